package bench

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
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/worker"
)

// followUpBenchResult is `bench followup --json`.
type followUpBenchResult struct {
	// SMSLatencyMs runs from the final status webhook's arrival at the api
	// to the Twilio fake receiving the message.
	SMSLatencyMs latency.Summary `json:"sms_latency_ms"`
	Calls        int             `json:"calls"`
	Errors       int             `json:"errors"`
	WallSeconds  float64         `json:"wall_seconds"`
}

const benchTwilioAccount = "AC000000000000000000000000000000be"

// FollowUp plays N concurrent unbooked calls through the signed
// webhooks against a system of its own (Temporal dev server, fresh
// database, worker, api on loopback, a Twilio fake) and measures how soon
// each caller's follow-up SMS reaches Twilio.
func FollowUp(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench followup", flag.ContinueOnError)
	calls := fs.Int("calls", 200, "concurrent unbooked calls")
	asJSON := fs.Bool("json", false, "print one JSON object")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up waiting for messages after this")
	ramp := fs.Duration("ramp", 10*time.Second, "calls start evenly over this time (0: all at once)")
	talk := fs.Duration("talk", 10*time.Second, "shortest conversation between answer and hang-up (at least --ramp keeps every call in progress at the end of the ramp)")
	talkMax := fs.Duration("talk-max", 40*time.Second, "longest conversation; each call's length is spread evenly between --talk and --talk-max (equal values: every caller hangs up at once)")
	trace := fs.Bool("trace", false, "print the workflow events of the slowest call (where the time goes)")
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
		ExistingPath: bin, LogLevel: "error", ExtraArgs: append(devenv.SearchAttributeFlags(), devenv.EagerActivityFlags()...),
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
	// The api and the worker are separate processes in production, each
	// with its own pool.
	apiStore, err := store.Open(ctx, appURL)
	if err != nil {
		return err
	}
	defer apiStore.Close()
	procs, err := st.Procedures(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "bench", Role: "staff"}, store.DemoClinicA)
	if err != nil || len(procs) == 0 {
		return fmt.Errorf("demo procedures: %v", err)
	}

	fake := twiliofake.New(benchTwilioAccount, "benchtoken")
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
	e := api.New(apiCfg, starter.Calls{Client: tc}, apiStore, func(context.Context) error { return nil }, quiet, api.WithFollowUp(apiCfg, apiStore, signer))
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

	tw := demo.Twilio{PublicURL: publicURL, AuthToken: config.DevTwilioAuthToken, AccountSID: config.DevTwilioAccountSID}
	calling := starter.Calls{Client: tc}
	type callInfo struct {
		sid, phone  string
		start, talk time.Duration
	}
	list := make([]callInfo, *calls)
	bySID := map[string]int{}
	byPhone := map[string]int{}
	for i := range list {
		list[i] = callInfo{sid: demo.NewCallSID(), phone: fmt.Sprintf("+4477009%05d", i), talk: *talk}
		if *calls > 1 {
			list[i].start = *ramp * time.Duration(i) / time.Duration(*calls-1)
		}
		if *talkMax > *talk && *calls > 1 {
			list[i].talk += (*talkMax - *talk) * time.Duration(i) / time.Duration(*calls-1)
		}
		bySID[list[i].sid], byPhone[list[i].phone] = i, i
	}

	progress("playing %d unbooked calls starting over %s (voice webhook, answered, a procedure discussed, hang-up after %s to %s)", *calls, *ramp, *talk, max(*talk, *talkMax))
	var errCount atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(c.start)
			if err := benchUnbookedCall(ctx, tw, calling, c.sid, c.phone, procs[i%len(procs)].ID.String(), c.talk); err != nil {
				if errCount.Add(1) <= 3 {
					progress("call %d failed: %v", i, err)
				}
			}
		}()
	}

	got := make([]time.Duration, 0, *calls)
	slowest, slowestSID := time.Duration(0), ""
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
				d := m.Received.Sub(at.(time.Time))
				got = append(got, d)
				if d > slowest {
					slowest, slowestSID = d, list[i].sid
				}
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
	if *trace && slowestSID != "" {
		at, _ := arrivals.Load(slowestSID)
		traceCall(ctx, tc, slowestSID, at.(time.Time))
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	s := res.SMSLatencyMs
	fmt.Printf("\nfollow-up SMS latency, status webhook `completed` → Twilio (fake) receives the message\n")
	fmt.Printf("%d unbooked calls starting over %s, talking %s to %s, %d errors, %.1fs wall\n\n", res.Calls, *ramp, *talk, max(*talk, *talkMax), res.Errors, res.WallSeconds)
	fmt.Printf("%-16s %8s %8s %8s %8s\n", "", "p50 ms", "p95 ms", "p99 ms", "max ms")
	fmt.Printf("%-16s %8.1f %8.1f %8.1f %8.1f\n", "sms_latency", s.P50, s.P95, s.P99, s.Max)
	return nil
}

// benchUnbookedCall is one caller: rings, is answered, asks about a
// procedure, hangs up.
func benchUnbookedCall(ctx context.Context, tw demo.Twilio, calls starter.Calls, sid, from, procedureID string, talk time.Duration) error {
	if _, err := tw.Post(ctx, "/twilio/voice", url.Values{"CallSid": {sid}, "From": {from}, "To": {store.DemoNumberA},
		"CallStatus": {"ringing"}, "Direction": {"inbound"}}); err != nil {
		return err
	}
	if _, err := tw.Post(ctx, "/twilio/status", url.Values{"CallSid": {sid}, "CallStatus": {"in-progress"}, "SequenceNumber": {"0"}}); err != nil {
		return err
	}
	time.Sleep(talk / 2)
	if err := calls.DiscussProcedure(ctx, sid, "bench-discuss", contract.DiscussProcedureRequest{ProcedureID: procedureID}); err != nil {
		return err
	}
	time.Sleep(talk / 2)
	_, err := tw.Post(ctx, "/twilio/status", url.Values{"CallSid": {sid}, "CallStatus": {"completed"}, "SequenceNumber": {"1"},
		"CallDuration": {"30"}, "Timestamp": {time.Now().UTC().Format(time.RFC1123Z)}})
	return err
}

// traceCall prints the events of a call's two workflows after its final
// status webhook arrived, in ms from that arrival, on stderr.
func traceCall(ctx context.Context, tc client.Client, callSID string, arrival time.Time) {
	for _, id := range []string{contract.CallSessionID(callSID), contract.FollowUpID(callSID)} {
		it := tc.GetWorkflowHistory(ctx, id, "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				break
			}
			if d := ev.GetEventTime().AsTime().Sub(arrival); d > -50*time.Millisecond {
				fmt.Fprintf(os.Stderr, "  %-26s %7.1f ms  %s\n", id[:min(len(id), 26)], float64(d.Microseconds())/1000, ev.GetEventType())
			}
		}
	}
}
