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

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
)

// runCall plays a phone call against a running system exactly as Twilio
// would: signed form posts to the public webhook URLs.
func runCall(ctx context.Context, args []string) error {
	if len(args) < 1 || args[0] != "demo" {
		return errors.New("usage: frontdesk call demo [--clinic A|B] [--unbooked]")
	}
	fs := flag.NewFlagSet("call demo", flag.ContinueOnError)
	clinic := fs.String("clinic", "A", "demo clinic to call: A ("+store.DemoNumberA+") or B ("+store.DemoNumberB+")")
	unbooked := fs.Bool("unbooked", false, "hang up without booking a slot")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	setDefault("TWILIO_AUTH_TOKEN", config.DevTwilioAuthToken)
	cfg := config.FromEnv()
	to, demo := store.DemoNumberA, demoBooking{org: store.DemoOrgA, clinic: store.DemoClinicA, procedure: "blood-test"}
	if strings.EqualFold(*clinic, "B") {
		to, demo = store.DemoNumberB, demoBooking{org: store.DemoOrgB, clinic: store.DemoClinicB, procedure: "hygiene"}
	}
	tc, err := dialEncrypted(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer tc.Close()
	tw := twilioSim{publicURL: cfg.PublicURL, token: cfg.TwilioAuthToken, accountSID: config.DevTwilioAccountSID}
	callSID := newCallSID()
	fmt.Printf("▸ incoming call %s to %s\n", callSID, to)
	twimlDoc, err := tw.post(ctx, "/twilio/voice", url.Values{
		"CallSid": {callSID}, "From": {demoCaller()}, "To": {to},
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
		if st.status == "completed" && !*unbooked {
			if err := demo.book(ctx, cfg, starter.Calls{Client: tc}, callSID); err != nil {
				return err
			}
		}
		if st.status == "completed" && *unbooked {
			if err := demo.discuss(ctx, cfg, starter.Calls{Client: tc}, callSID); err != nil {
				return err
			}
		}
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
	var final contract.CallState
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := tc.GetWorkflow(wctx, contract.CallSessionID(callSID), "").Get(wctx, &final); err != nil {
		return fmt.Errorf("waiting for the call workflow: %w", err)
	}
	fmt.Printf("▸ workflow %s completed: outcome %q, %d status changes, %d callbacks ignored\n",
		contract.CallSessionID(callSID), final.Outcome, len(final.StatusTimeline), final.Ignored)
	fmt.Printf("  Web UI: %s/namespaces/%s/workflows/%s\n", cfg.TemporalUIURL, cfg.TemporalNamespace, contract.CallSessionID(callSID))
	if *unbooked {
		return demo.showFollowUp(ctx, cfg, tc, callSID)
	}
	return nil
}

// demoBooking is what the voice agent would do on a call: find a free slot
// near "the next working day at ten", hold it through the hold_slot update,
// confirm it through confirm_booking. The free-slot lookup reads the store
// directly, as the voice path does: a read needs no workflow round trip.
type demoBooking struct {
	org, clinic uuid.UUID
	procedure   string
}

func (d demoBooking) book(ctx context.Context, cfg config.Config, calls starter.Calls, callSID string) error {
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	claims := store.CallClaims(d.org, callSID)
	proc, err := st.ProcedureByCode(ctx, claims, d.clinic, d.procedure)
	if err != nil {
		return err
	}
	var slot *store.FreeSlot
	for day := time.Now().AddDate(0, 0, 1); slot == nil && day.Before(time.Now().AddDate(0, 0, 14)); day = day.AddDate(0, 0, 1) {
		free, err := st.FreeSlots(ctx, claims, d.clinic, day, proc.ID)
		if err != nil {
			return err
		}
		// The first free slot from ten o'clock, else the day's last one.
		for i := range free {
			slot = &free[i]
			if free[i].StartsAt.In(londonTime()).Hour() >= 10 {
				break
			}
		}
	}
	if slot == nil {
		return errors.New("no free slot in the next two weeks: run `frontdesk seed demo`")
	}
	when := func(t time.Time) string { return t.In(londonTime()).Format("Monday 2 Jan at 15:04") }
	fmt.Printf("▸ caller asks for a %s on %s\n", proc.Name, when(slot.StartsAt))
	held, err := calls.HoldSlot(ctx, callSID, "demo-hold-1", contract.HoldSlotRequest{SlotID: slot.SlotID.String(), HoldSeconds: 120, ProcedureID: proc.ID.String()})
	if err != nil {
		return fmt.Errorf("hold_slot: %w", err)
	}
	if held.Status != store.HoldHeld && len(held.Alternatives) > 0 {
		alt := held.Alternatives[0]
		fmt.Printf("  hold_slot: %s; the agent offers %s instead and the caller takes it\n", held.Status, when(alt.StartsAt))
		held, err = calls.HoldSlot(ctx, callSID, "demo-hold-2", contract.HoldSlotRequest{SlotID: alt.SlotID, HoldSeconds: 120, ProcedureID: proc.ID.String()})
		if err != nil {
			return fmt.Errorf("hold_slot: %w", err)
		}
	}
	if held.Status != store.HoldHeld {
		return fmt.Errorf("hold_slot answered %s", held.Status)
	}
	fmt.Printf("  hold_slot: held (hold %s) until %s while the agent confirms the details\n", held.HoldID, held.ExpiresAt.In(londonTime()).Format("15:04:05"))
	time.Sleep(time.Second)
	booked, err := calls.ConfirmBooking(ctx, callSID, "demo-confirm", contract.ConfirmBookingRequest{HoldID: held.HoldID, ProcedureID: proc.ID.String()})
	if err != nil {
		return fmt.Errorf("confirm_booking: %w", err)
	}
	if booked.Status != store.BookingBooked {
		return fmt.Errorf("confirm_booking answered %s", booked.Status)
	}
	fmt.Printf("▸ confirm_booking: booked (booking %s)\n", booked.BookingID)
	return nil
}

func londonTime() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
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

// demoCaller picks a number from Ofcom's drama range (+44 7700 900000 to
// 900999), which rings nobody: a different caller each run, so an earlier
// demo's booking does not stop this one's follow-up.
func demoCaller() string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return fmt.Sprintf("+447700900%03d", (int(b[0])<<8|int(b[1]))%1000)
}
