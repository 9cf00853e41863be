package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/workflows"
)

// runCall plays a phone call against a running system exactly as Twilio
// would: signed form posts to the public webhook URLs.
func runCall(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "demo" {
		return errors.New("usage: frontdesk call demo [--clinic A|B]")
	}
	fs := flag.NewFlagSet("call demo", flag.ContinueOnError)
	clinic := fs.String("clinic", "A", "demo clinic to call: A ("+store.DemoNumberA+") or B ("+store.DemoNumberB+")")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	setDefault("TWILIO_AUTH_TOKEN", config.DevTwilioAuthToken)
	cfg := config.FromEnv()
	to := store.DemoNumberA
	if strings.EqualFold(*clinic, "B") {
		to = store.DemoNumberB
	}
	tw := twilioSim{publicURL: cfg.PublicURL, token: cfg.TwilioAuthToken, accountSID: config.DevTwilioAccountSID}
	callSID := newCallSID()
	fmt.Printf("▸ incoming call %s to %s\n", callSID, to)
	twimlDoc, err := tw.post(ctx, "/twilio/voice", url.Values{
		"CallSid": {callSID}, "From": {"+447700900123"}, "To": {to},
		"CallStatus": {"ringing"}, "Direction": {"inbound"},
	})
	if err != nil {
		return err
	}
	fmt.Printf("  TwiML answer: %s\n", twimlDoc)
	steps := []struct {
		status string
		seq    int
		note   string
	}{
		{"in-progress", 0, "caller connected"},
		{"in-progress", 0, "Twilio repeats a callback (ignored)"},
		{"completed", 1, "caller hangs up"},
	}
	for _, st := range steps {
		time.Sleep(time.Second)
		form := url.Values{"CallSid": {callSID}, "CallStatus": {st.status}, "SequenceNumber": {strconv.Itoa(st.seq)},
			"Timestamp": {time.Now().UTC().Format(time.RFC1123Z)}}
		if st.status == "completed" {
			form.Set("CallDuration", "42")
		}
		if _, err := tw.post(ctx, "/twilio/status", form); err != nil {
			return err
		}
		fmt.Printf("▸ status %s #%d: %s\n", st.status, st.seq, st.note)
	}
	tc, err := starter.Dial(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer tc.Close()
	var final workflows.CallState
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := tc.GetWorkflow(wctx, workflows.CallSessionID(callSID), "").Get(wctx, &final); err != nil {
		return fmt.Errorf("waiting for the call workflow: %w", err)
	}
	fmt.Printf("▸ workflow %s completed: outcome %q, %d status changes, %d callbacks ignored\n",
		workflows.CallSessionID(callSID), final.Outcome, len(final.StatusTimeline), final.Ignored)
	fmt.Printf("  Web UI: %s/namespaces/%s/workflows/%s\n", cfg.TemporalUIURL, cfg.TemporalNamespace, workflows.CallSessionID(callSID))
	return nil
}

// twilioSim posts webhooks the way Twilio does.
type twilioSim struct {
	publicURL, token, accountSID string
}

func (t twilioSim) post(ctx context.Context, path string, form url.Values) (string, error) {
	form.Set("AccountSid", t.accountSID)
	form.Set("ApiVersion", "2010-04-01")
	u := t.publicURL + path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(api.SignatureHeader, api.TwilioSignature(t.token, u, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST %s (is `make dev` running?): %w", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return "", fmt.Errorf("POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return string(body), nil
}

func newCallSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "CA" + hex.EncodeToString(b)
}
