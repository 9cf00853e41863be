package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/worker"
	"github.com/frontdesk/frontdesk/workflows"
)

// Registered here rather than in the dispatcher's table, so that each bench
// lives in its own file.
func init() { benches["followup"] = benchFollowUp }

// followUpBenchResult is `bench followup --json`.
type followUpBenchResult struct {
	// SMSLatencyMs runs from the final status webhook's arrival at the api
	// to the Twilio fake receiving the message.
	SMSLatencyMs latency.Summary `json:"sms_latency_ms"`
	Calls        int             `json:"calls"`
	Errors       int             `json:"errors"`
	WallSeconds  float64         `json:"wall_seconds"`
}

const benchTwilioAccount = "AC0000000000000000000000000000bench"

// benchFollowUp plays N concurrent unbooked calls through the signed
// webhooks against a system of its own (Temporal dev server, fresh
// database, worker, api on loopback, a Twilio fake) and measures how soon
// each caller's follow-up SMS reaches Twilio.
func benchFollowUp(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench followup", flag.ContinueOnError)
	calls := fs.Int("calls", 200, "concurrent unbooked calls")
	asJSON := fs.Bool("json", false, "print one JSON object")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up waiting for messages after this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *calls < 1 || *calls > 10000 {
		return errors.New("--calls must be between 1 and 10000")
	}
	progress := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "▸ "+format+"\n", a...) }
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := config.FromEnv()

	progress("starting the Temporal dev server")
	bin, err := devenv.TemporalBinary()
	if err != nil {
		return err
	}
	dev, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: bin, LogLevel: "error", ExtraArgs: devenv.SearchAttributeFlags(),
		ClientOptions: &client.Options{Logger: tlog.NewStructuredLogger(quiet)},
		Stdout:        io.Discard, Stderr: io.Discard,
	})
	if err != nil {
		return fmt.Errorf("temporal dev server: %w", err)
	}
	defer dev.Stop()
	tc := dev.Client()

	progress("creating a fresh database")
	_, appURL, err := freshBenchDatabase(ctx, cfg, "frontdesk_bench_followup")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, appURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.SeedDemo(ctx, time.Now()); err != nil {
		return err
	}
	procs, err := st.Procedures(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "bench", Role: "staff"}, store.DemoClinicA)
	if err != nil || len(procs) == 0 {
		return fmt.Errorf("demo procedures: %v", err)
	}

	fake := twiliofake.New(benchTwilioAccount[:34], "benchtoken")
	defer fake.Close()
	received := fake.Subscribe(*calls * 2)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	publicURL := "http://" + ln.Addr().String()
	secret := []byte("bench-link-secret-not-for-production")
	signer, err := followup.NewSigner(secret, nil)
	if err != nil {
		return err
	}
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken, BaseURL: fake.URL})
	if err != nil {
		return err
	}
	w := worker.New(tc, &activities.Activities{Store: st, FollowUp: &activities.FollowUpDeps{
		Sender: sender, From: "+15005550006", Signer: signer, PublicURL: publicURL, Logger: quiet}})
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()

	// The webhook's arrival is stamped before the api sees the request.
	var arrivals sync.Map // CallSid → time.Time
	apiCfg := api.Config{PublicURL: publicURL, TwilioAuthToken: config.DevTwilioAuthToken, MediaStreamURL: "ws://127.0.0.1/twilio/media"}
	e := api.New(apiCfg, starter.Calls{Client: tc}, st, func(context.Context) error { return nil }, quiet, api.WithFollowUp(apiCfg, st, signer))
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/twilio/status" {
			at := time.Now()
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if form, err := url.ParseQuery(string(body)); err == nil && form.Get("CallStatus") == "completed" {
				arrivals.LoadOrStore(form.Get("CallSid"), at)
			}
		}
		e.ServeHTTP(rw, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	tw := twilioSim{publicURL: publicURL, token: config.DevTwilioAuthToken, accountSID: config.DevTwilioAccountSID}
	calling := starter.Calls{Client: tc}
	type callInfo struct{ sid, phone string }
	list := make([]callInfo, *calls)
	bySID := map[string]int{}
	byPhone := map[string]int{}
	for i := range list {
		list[i] = callInfo{sid: newCallSID(), phone: fmt.Sprintf("+4477009%05d", i)}
		bySID[list[i].sid], byPhone[list[i].phone] = i, i
	}

	progress("playing %d concurrent unbooked calls (voice webhook, answered, a procedure discussed, hang-up)", *calls)
	var errCount atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := benchUnbookedCall(ctx, tw, calling, c.sid, c.phone, procs[i%len(procs)].ID.String()); err != nil {
				if errCount.Add(1) <= 3 {
					progress("call %d failed: %v", i, err)
				}
			}
		}()
	}

	got := make([]time.Duration, 0, *calls)
	seen := map[int]bool{}
	deadline := time.After(*timeout)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	callsDone := false
wait:
	for len(seen) < *calls {
		select {
		case m := <-received:
			i, ok := byPhone[m.To]
			if !ok || seen[i] {
				continue
			}
			seen[i] = true
			if at, ok := arrivals.Load(list[i].sid); ok {
				got = append(got, m.Received.Sub(at.(time.Time)))
			}
		case <-done:
			done, callsDone = nil, true
			if int(errCount.Load())+len(seen) >= *calls && len(seen) < *calls {
				// Every call either failed or has its message.
				break wait
			}
		case <-tick.C:
			progress("%d/%d messages received", len(seen), *calls)
		case <-deadline:
			progress("timed out with %d/%d messages", len(seen), *calls)
			break wait
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if !callsDone {
		wg.Wait()
	}
	wall := time.Since(start)
	missing := *calls - len(got)
	res := followUpBenchResult{SMSLatencyMs: latency.Summarize(got), Calls: *calls, Errors: max(missing, int(errCount.Load())),
		WallSeconds: round2(wall.Seconds())}
	if extra := len(fake.Messages()) - len(seen); extra > 0 {
		res.Errors += extra // a duplicate is an error too
	}
	progress("done in %.1fs", wall.Seconds())
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	s := res.SMSLatencyMs
	fmt.Printf("\nfollow-up SMS latency, status webhook `completed` → Twilio (fake) receives the message\n")
	fmt.Printf("%d concurrent unbooked calls, %d errors, %.1fs wall\n\n", res.Calls, res.Errors, res.WallSeconds)
	fmt.Printf("%-16s %8s %8s %8s %8s\n", "", "p50 ms", "p95 ms", "p99 ms", "max ms")
	fmt.Printf("%-16s %8.1f %8.1f %8.1f %8.1f\n", "sms_latency", s.P50, s.P95, s.P99, s.Max)
	return nil
}

// benchUnbookedCall is one caller: rings, is answered, asks about a
// procedure, hangs up.
func benchUnbookedCall(ctx context.Context, tw twilioSim, calls starter.Calls, sid, from, procedureID string) error {
	if _, err := tw.post(ctx, "/twilio/voice", url.Values{"CallSid": {sid}, "From": {from}, "To": {store.DemoNumberA},
		"CallStatus": {"ringing"}, "Direction": {"inbound"}}); err != nil {
		return err
	}
	if _, err := tw.post(ctx, "/twilio/status", url.Values{"CallSid": {sid}, "CallStatus": {"in-progress"}, "SequenceNumber": {"0"}}); err != nil {
		return err
	}
	if err := calls.DiscussProcedure(ctx, sid, workflows.DiscussProcedureRequest{ProcedureID: procedureID}); err != nil {
		return err
	}
	_, err := tw.post(ctx, "/twilio/status", url.Values{"CallSid": {sid}, "CallStatus": {"completed"}, "SequenceNumber": {"1"},
		"CallDuration": {"30"}, "Timestamp": {time.Now().UTC().Format(time.RFC1123Z)}})
	if err != nil && strings.Contains(err.Error(), "204") {
		return nil
	}
	return err
}
