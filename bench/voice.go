package bench

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/demo"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/latency"
	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/audio"
	"github.com/frontdesk/frontdesk/voice/openai"
	"github.com/frontdesk/frontdesk/voice/openaifake"
	"github.com/frontdesk/frontdesk/voice/twiliosim"
	"github.com/frontdesk/frontdesk/worker"
)

// voiceBenchResult is `bench voice --json`. Latencies in ms.
type voiceBenchResult struct {
	// TTFB: the caller's turn decided final to the first media frame of
	// the answer written to the socket (a cached filler counts, on turns
	// that call a tool); TTFBNoFiller counts only the answer's own audio.
	TTFBMs         latency.Summary `json:"ttfb_ms"`
	TTFBNoFillerMs latency.Summary `json:"ttfb_no_filler_ms"`
	// Response: the caller's last voiced frame arriving to that frame.
	ResponseMs latency.Summary `json:"response_ms"`
	// Overhead: our code on the critical path, what TTFB holds beyond
	// the providers' own waits (LLM first token, the tokens up to the
	// first clause, TTS first byte) and the end of turn: the first
	// clause to its TTS request, plus the first audio in (and the turn
	// final) to the first frame on the socket. Turns without a filler.
	OverheadMs latency.Summary `json:"overhead_ms"`
	// Sequential: the same turns, whole LLM reply then whole TTS, no
	// speculation.
	SequentialTTFBMs     latency.Summary `json:"sequential_ttfb_ms"`
	SequentialResponseMs latency.Summary `json:"sequential_response_ms"`
	// BargeIn: the caller's first frame over agent audio sent to Twilio
	// receiving the clear (as Twilio sees it).
	BargeInMs latency.Summary `json:"barge_in_ms"`
	// Tool: an LLM tool call to its result (hold_slot and confirm_booking
	// go through the workflow's Updates and Postgres; find_free_slots,
	// the OpenAI agent's openai.ToolFindFreeSlots that this bench's fake
	// LLM calls, reads Postgres).
	ToolMs latency.Summary `json:"tool_ms"`
	// ToolByName: the same, per tool.
	ToolByName map[string]latency.Summary `json:"tool_by_name_ms"`
	Stages     map[string]latency.Summary `json:"stages_ms"`

	Turns           int     `json:"turns"`
	ToolTurns       int     `json:"tool_turns"`
	SpeculativeKept int     `json:"speculative_turns"`
	SequentialTurns int     `json:"sequential_turns"`
	Calls           int     `json:"calls"`
	Errors          int     `json:"errors"`
	Concurrency     int     `json:"concurrency"`
	WallSeconds     float64 `json:"wall_seconds"`
}

// Voice plays callers over the real Media Streams WebSocket (paced 20 ms
// frames: speech, then silence) against a system of its own (Temporal dev
// server, fresh database, worker, api) whose OpenAI-compatible providers are
// local fakes with the latencies, and reports the voice path's
// latencies, then runs some of the same turns sequentially as the baseline.
func Voice(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench voice", flag.ContinueOnError)
	turns := fs.Int("turns", 500, "caller turns to answer (streaming)")
	concurrency := fs.Int("concurrency", 1, "calls at once")
	baseline := fs.Int("baseline-turns", 0, "turns of the sequential baseline (default a fifth of --turns, at least 30)")
	seed := fs.Uint64("seed", 1, "seed of the fakes' latencies")
	plot := fs.String("plot", "", "write a PNG of the latency distributions here")
	asJSON := fs.Bool("json", false, "print one JSON object")
	logPath := fs.String("log", "", "write the voice path's log, debug lines included (ids and counts, no personal data), to this file")
	trace := fs.Bool("trace", false, "print each turn's timeline (ms after the caller's last voiced frame)")
	ramp := fs.Duration("ramp", 10*time.Second, "spread the calls' first rings evenly over this long (0: all at once, a herd no clinic's lines see)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the streaming run (this process: callers, fakes, api and worker; not the Temporal server) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *turns < 1 || *concurrency < 1 || *concurrency > 200 {
		return errors.New("--turns must be positive and --concurrency between 1 and 200")
	}
	if *ramp < 0 || *ramp > 10*time.Minute {
		return errors.New("--ramp must be between 0 and 10m")
	}
	if *baseline == 0 {
		*baseline = max(30, *turns/5)
	}
	progress := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "▸ "+format+"\n", a...) }

	voiceLog := slog.New(slog.NewTextHandler(io.Discard, nil))
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			return err
		}
		defer f.Close()
		voiceLog = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	sys, err := startVoiceBench(ctx, progress, *seed, voiceLog)
	if err != nil {
		return err
	}
	defer sys.close()

	start := time.Now()
	progress("streaming: %d turns, %d calls at once", *turns, *concurrency)
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	streaming := sys.run(ctx, sys.streamingURL, *turns, *concurrency, *ramp, progress)
	stopProfile()
	progress("sequential baseline: %d turns, %d calls at once", *baseline, *concurrency)
	sequential := sys.run(ctx, sys.sequentialURL, *baseline, *concurrency, *ramp, progress)
	if *trace {
		printVoiceTrace(os.Stderr, streaming.reports)
	}
	res := summarizeVoice(streaming, sequential, *concurrency)
	res.WallSeconds = round2(time.Since(start).Seconds())
	if *plot != "" {
		if err := plotVoice(*plot, streaming, sequential); err != nil {
			return err
		}
		progress("plot: %s", *plot)
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	printVoice(res)
	return nil
}

// startCPUProfile profiles this process to path until the returned func is
// called; with no path it does nothing.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// voiceBench is the system under test and the runs' collected figures.
type voiceBench struct {
	dev           *testsuite.DevServer
	stores        []*store.Store
	w             interface{ Stop() }
	fake          *openaifake.Server
	servers       []*http.Server
	streamingURL  string
	sequentialURL string
	day           string
	quiet         *slog.Logger

	mu      sync.Mutex
	reports map[string]*[]voice.TurnReport // by server URL
}

func startVoiceBench(ctx context.Context, progress func(string, ...any), seed uint64, voiceLog *slog.Logger) (*voiceBench, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := config.FromEnv()
	b := &voiceBench{quiet: quiet, reports: map[string]*[]voice.TurnReport{}}
	progress("starting the Temporal dev server")
	bin, err := devenv.TemporalBinary()
	if err != nil {
		return nil, err
	}
	master := vault.GenerateMasterKey()
	codec, err := vault.NewMasterPayloadCodec(master)
	if err != nil {
		return nil, err
	}
	b.dev, err = testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: bin, LogLevel: "error", ExtraArgs: append(devenv.SearchAttributeFlags(), devenv.EagerActivityFlags()...),
		ClientOptions: &client.Options{Logger: tlog.NewStructuredLogger(quiet)},
		Stdout:        io.Discard, Stderr: io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("temporal dev server: %w", err)
	}
	dc := vault.NewDataConverter(codec)
	tc, err := client.Dial(client.Options{HostPort: b.dev.FrontendHostPort(), Logger: tlog.NewStructuredLogger(quiet),
		DataConverter: dc, FailureConverter: vault.NewFailureConverter(dc)})
	if err != nil {
		return nil, err
	}

	progress("creating a fresh database")
	_, appURL, err := freshBenchDatabase(ctx, cfg, "frontdesk_bench_voice")
	if err != nil {
		return nil, err
	}
	// The api and the worker each have their own pool, as in production.
	openStore := func() (*store.Store, *vault.Vault, error) {
		st, err := store.Open(ctx, appURL)
		if err != nil {
			return nil, nil, err
		}
		b.stores = append(b.stores, st)
		v, err := vault.New(st.KeyStore(), master)
		if err != nil {
			return nil, nil, err
		}
		st.SetBlindIndexer(v)
		return st, v, nil
	}
	wst, wv, err := openStore()
	if err != nil {
		return nil, err
	}
	if _, err := wst.SeedDemo(ctx, time.Now()); err != nil {
		return nil, err
	}
	w := worker.New(tc, &activities.Activities{Store: wst, Vault: wv, PII: pii.NewDetector(pii.Options{})})
	if err := w.Start(); err != nil {
		return nil, err
	}
	b.w = w
	ast, av, err := openStore()
	if err != nil {
		return nil, err
	}

	b.day = firstWorkingDay(time.Now()).Format(time.DateOnly)
	opts := openaifake.BenchmarkOptions(seed)
	opts.Chat = benchScript(b.day)
	opts.Transcribe = benchTranscribe
	opts.TranscriptionLatency = openaifake.Fixed(0) // benchTranscribe times itself
	b.fake = openaifake.New(opts)
	fakeLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	fakeSrv := &http.Server{Handler: b.fake, ReadHeaderTimeout: 10 * time.Second}
	go fakeSrv.Serve(fakeLn)
	b.servers = append(b.servers, fakeSrv)
	oc := openai.Config{BaseURL: "http://" + fakeLn.Addr().String() + "/v1"}
	rec, err := openai.NewRecognizer(oc)
	if err != nil {
		return nil, err
	}
	synth, err := openai.NewSynthesizer(oc)
	if err != nil {
		return nil, err
	}
	agents, err := openai.NewAgentFactory(oc)
	if err != nil {
		return nil, err
	}

	calls := starter.Calls{Client: tc}
	serve := func(sequential bool) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		public := "http://" + ln.Addr().String()
		reports := &[]voice.TurnReport{}
		b.reports[public] = reports
		vc := voice.Config{
			Recognizers: func(_ context.Context, p *voice.ClinicProfile) (voice.Recognizer, error) {
				return rec.ForClinic(p), nil
			},
			Synthesizer: synth, Agents: agents, Calls: calls, Turns: starter.Turns{Calls: calls, Vault: av},
			Directory: voice.StoreDirectory{Store: ast, Vault: av}, Logger: voiceLog, Sequential: sequential,
			OnTurn: func(r voice.TurnReport) {
				b.mu.Lock()
				*reports = append(*reports, r)
				b.mu.Unlock()
			},
		}
		apiCfg := api.Config{PublicURL: public, TwilioAuthToken: config.DevTwilioAuthToken, MediaStreamURL: "ws://" + ln.Addr().String() + "/twilio/media"}
		h := api.New(apiCfg, calls, ast, func(context.Context) error { return nil }, quiet,
			api.WithVoice(apiCfg, api.VoiceOptions{Voice: vc, States: calls, Transfers: ast, Streams: &lifecycle.Streams{}}))
		srv := api.NewHTTPServer(ln.Addr().String(), h, api.DefaultTimeouts)
		go srv.Serve(ln)
		b.servers = append(b.servers, srv)
		return public, nil
	}
	if b.streamingURL, err = serve(false); err != nil {
		return nil, err
	}
	if b.sequentialURL, err = serve(true); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *voiceBench) close() {
	for _, s := range b.servers {
		_ = s.Close()
	}
	if b.fake != nil {
		b.fake.Close()
	}
	if b.w != nil {
		b.w.Stop()
	}
	for _, st := range b.stores {
		st.Close()
	}
	if b.dev != nil {
		_ = b.dev.Stop()
	}
}

// voiceRun is what one run (streaming or sequential) measured.
type voiceRun struct {
	reports []voice.TurnReport
	bargeIn []time.Duration
	calls   int
	errors  int
}

// run plays calls against the api at public until n turns were answered.
func (b *voiceBench) run(ctx context.Context, public string, n, concurrency int, ramp time.Duration, progress func(string, ...any)) voiceRun {
	var answered, callCount, errCount atomic.Int64
	var mu sync.Mutex
	var barge []time.Duration
	var wg sync.WaitGroup
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-tick.C:
				progress("%d/%d turns answered, %d calls, %d errors", min(answered.Load(), int64(n)), n, callCount.Load(), errCount.Load())
			case <-done:
				return
			}
		}
	}()
	for i := 0; i < concurrency; i++ {
		wg.Add(1)
		go func(caller int) {
			defer wg.Done()
			// Callers ring in over the ramp, not all in the same 20 ms.
			select {
			case <-time.After(ramp * time.Duration(caller) / time.Duration(concurrency)):
			case <-ctx.Done():
			}
			for answered.Load() < int64(n) && ctx.Err() == nil {
				callCount.Add(1)
				got, bargeIn, err := b.call(ctx, public, uint64(caller)<<32|uint64(callCount.Load()))
				answered.Add(int64(got))
				if bargeIn > 0 {
					mu.Lock()
					barge = append(barge, bargeIn)
					mu.Unlock()
				}
				if err != nil {
					if errCount.Add(1) <= 3 {
						progress("call failed: %v", err)
					}
				}
			}
		}(i)
	}
	wg.Wait()
	close(done)
	b.mu.Lock()
	reports := append([]voice.TurnReport(nil), (*b.reports[public])...)
	b.mu.Unlock()
	return voiceRun{reports: reports, bargeIn: barge, calls: int(callCount.Load()), errors: int(errCount.Load())}
}

// The caller's turns, in order: each is speech of one tone (benchTranscribe
// hears the words by the tone), then silence until the agent has answered.
var benchTurns = []struct {
	text     string
	speech   time.Duration
	bargeIn  bool // the caller cuts into the answer
	endsCall bool
}{
	{text: "Hello, I'd like to book an appointment please.", speech: 1800 * time.Millisecond},
	{text: "Yes please, book it.", speech: 900 * time.Millisecond},
	{text: "What are your opening hours?", speech: 1200 * time.Millisecond},
	{text: "Can you tell me about the clinic?", speech: 1300 * time.Millisecond, bargeIn: true},
	{text: "Sorry, just one more thing.", speech: 1100 * time.Millisecond},
	{text: "Thanks, that's all, goodbye.", speech: 1400 * time.Millisecond, endsCall: true},
}

// benchTones are the tones of benchTurns' speech, far enough apart for
// the fake recogniser to tell them with a Goertzel filter.
var benchTones = []float64{500, 800, 1100, 1400, 1700, 2000}

// call plays one caller to the goodbye and answers how many turns the agent
// answered, and the barge-in's latency as Twilio saw it.
func (b *voiceBench) call(ctx context.Context, public string, seed uint64) (answered int, bargeIn time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	tw := demo.Twilio{PublicURL: public, AuthToken: config.DevTwilioAuthToken, AccountSID: config.DevTwilioAccountSID}
	callSID := demo.NewCallSID()
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s: %w", callSID, err)
		}
	}()
	body, err := tw.Post(ctx, "/twilio/voice", url.Values{"CallSid": {callSID}, "From": {demo.CallerNumber()}, "To": {store.DemoNumberA},
		"CallStatus": {"ringing"}, "Direction": {"inbound"}})
	if err != nil {
		return 0, 0, err
	}
	var doc struct {
		Connect struct {
			Stream struct {
				URL    string `xml:"url,attr"`
				Params []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"Parameter"`
			} `xml:"Stream"`
		} `xml:"Connect"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		return 0, 0, err
	}
	params := map[string]string{}
	for _, p := range doc.Connect.Stream.Params {
		params[p.Name] = p.Value
	}
	if _, err := tw.Post(ctx, "/twilio/status", url.Values{"CallSid": {callSID}, "CallStatus": {"in-progress"}, "SequenceNumber": {"0"}}); err != nil {
		return 0, 0, err
	}
	c, err := twiliosim.Dial(ctx, doc.Connect.Stream.URL, doc.Connect.Stream.URL, config.DevTwilioAuthToken, twiliosim.Params{
		AccountSID: config.DevTwilioAccountSID, CallSID: callSID, StreamSID: "MZ" + callSID[2:], Custom: params})
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	finish := func() {
		_, _ = tw.Post(ctx, api.AfterStreamPath, url.Values{"CallSid": {callSID}, "CallStatus": {"in-progress"}})
		_, _ = tw.Post(ctx, "/twilio/status", url.Values{"CallSid": {callSID}, "CallStatus": {"completed"}, "SequenceNumber": {"1"}})
	}
	defer finish()
	if _, err := c.WaitFor(ctx, "played", time.Time{}); err != nil {
		return 0, 0, fmt.Errorf("no greeting: %w", err)
	}
	// A caller takes a moment before answering, 0.3 to 1.5 s. With one
	// fixed pause every call of a run stayed in step with the others, and
	// all 50 reached hold_slot within the same 100 ms, cycle after cycle:
	// a herd on a few practitioners' locks that real callers do not make.
	pauses := rand.New(rand.NewPCG(seed, 0x70617573))
	pause := func() time.Duration {
		return 300*time.Millisecond + time.Duration(pauses.Int64N(int64(1200*time.Millisecond)))
	}
	if err := c.Idle(ctx, pause()); err != nil {
		return 0, 0, err
	}
	for i := 0; i < len(benchTurns); i++ {
		t := benchTurns[i]
		if err := c.Say(ctx, toneSpeech(seed+uint64(i), benchTones[i], t.speech)); err != nil {
			return answered, bargeIn, fmt.Errorf("turn %d: saying: %w", i, err)
		}
		// From the line's start: on a loaded machine the answer can start
		// before the last frame's send is stamped (latency is taken from
		// the server's turn report, not from here).
		said := c.SayStartedAt()
		played, err := c.WaitFor(ctx, "played", said)
		if err != nil {
			if t.endsCall && c.Err() != nil {
				return answered + 1, bargeIn, nil
			}
			return answered, bargeIn, fmt.Errorf("turn %d (%q): waiting for the answer: %w (%s)", i, t.text, err, c.Describe(said))
		}
		answered++
		switch {
		case t.bargeIn:
			// Cut in about a second into the answer, with the next line.
			time.Sleep(time.Until(played.At.Add(time.Second)))
			i++
			sayDone := make(chan error, 1)
			go func() { sayDone <- c.Say(ctx, toneSpeech(seed+uint64(i), benchTones[i], benchTurns[i].speech)) }()
			clr, err := c.WaitFor(ctx, "clear", played.At)
			if err != nil {
				return answered, bargeIn, fmt.Errorf("turn %d: waiting for the barge-in's clear: %w", i, err)
			}
			if onset := c.SayStartedAt(); onset.After(played.At) {
				bargeIn = clr.At.Sub(onset)
			}
			if err := <-sayDone; err != nil {
				return answered, bargeIn, err
			}
			if _, err := c.WaitFor(ctx, "played", c.SentAt()); err != nil {
				return answered, bargeIn, fmt.Errorf("turn %d: waiting for the answer to the interruption: %w", i, err)
			}
			answered++
		case t.endsCall:
			select {
			case <-c.Done():
			case <-ctx.Done():
				return answered, bargeIn, fmt.Errorf("waiting for the agent to end the call: %w", ctx.Err())
			}
			return answered, bargeIn, nil
		}
		if err := c.Idle(ctx, pause()); err != nil {
			return answered, bargeIn, err
		}
	}
	return answered, bargeIn, nil
}

// toneSpeech is speech-like audio at 8 kHz: a tone under a syllable
// envelope (taken from audio.Speech), so the VAD hears speech and the
// fake recogniser can tell which line it is. The envelope never falls
// below -40 dBFS inside the line: a caller who pauses for breath past the
// end-of-turn wait gets answered mid-sentence (as on a real line), which
// is not what this benchmark measures.
func toneSpeech(seed uint64, freq float64, d time.Duration) []int16 {
	base := audio.Speech(seed, voice.CallerRate, d, -20)
	out := make([]int16, len(base))
	const win = 80 // 10 ms
	floor := audio.AmplitudeFor(-40) * math.Sqrt2
	for i := 0; i < len(base); i += win {
		end := min(i+win, len(base))
		env := max(audio.RMS(base[i:end])*math.Sqrt2, floor)
		for j := i; j < end; j++ {
			out[j] = int16(max(-32767, min(32767, env*math.Sin(2*math.Pi*freq*float64(j)/voice.CallerRate))))
		}
	}
	return out
}

// benchTranscribe is the fake recogniser: it hears which line was said by
// its tone, and answers 150 ms after the end of speech (as a streaming
// recogniser's final would come), whenever it is asked.
func benchTranscribe(req openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
	pcm := req.Samples
	if req.SampleRate != voice.CallerRate && req.SampleRate > 0 {
		if rs, err := audio.NewResampler(req.SampleRate, voice.CallerRate); err == nil {
			pcm = rs.Flush(rs.Resample(nil, pcm))
		}
	}
	trailing := 0
	for i := len(pcm) - 1; i >= 0 && abs16(pcm[i]) < 300; i-- {
		trailing++
	}
	wait := 150*time.Millisecond - time.Duration(trailing)*time.Second/voice.CallerRate
	if wait > 0 {
		time.Sleep(wait)
	}
	best, bestPower := -1, 0.0
	for i, f := range benchTones {
		if p := goertzel(pcm, f, voice.CallerRate); p > bestPower {
			best, bestPower = i, p
		}
	}
	if best < 0 || bestPower < 1e6 {
		return openaifake.TranscriptionReply{Text: ""}
	}
	return openaifake.TranscriptionReply{Text: benchTurns[best].text}
}

func abs16(v int16) int {
	if v < 0 {
		return -int(v)
	}
	return int(v)
}

// goertzel is the power of one frequency in pcm.
func goertzel(pcm []int16, freq, rate float64) float64 {
	k := 2 * math.Cos(2*math.Pi*freq/rate)
	var s1, s2 float64
	for _, x := range pcm {
		s0 := float64(x) + k*s1 - s2
		s2, s1 = s1, s0
	}
	return (s1*s1 + s2*s2 - k*s1*s2) / float64(max(1, len(pcm)))
}

// benchScript is the receptionist the fake LLM plays: it books on the
// first line (find, hold a random free slot of a working day), confirms on
// "yes", answers the rest in words, and ends the call on "goodbye".
func benchScript(firstDay string) func(goopenai.ChatCompletionRequest) openaifake.Reply {
	var n atomic.Int64
	id := func(name string) string { return fmt.Sprintf("call_%s_%d", name, n.Add(1)) }
	call := func(name string, args map[string]any) openaifake.ToolCall {
		b, _ := json.Marshal(args)
		return openaifake.ToolCall{ID: id(name), Name: name, Arguments: string(b)}
	}
	return func(req goopenai.ChatCompletionRequest) openaifake.Reply {
		msgs := req.Messages
		last := msgs[len(msgs)-1]
		if last.Role == goopenai.ChatMessageRoleTool {
			var res map[string]any
			_ = json.Unmarshal([]byte(last.Content), &res)
			switch toolNameOf(msgs, last.ToolCallID) {
			case openai.ToolFindFreeSlots:
				slots, _ := res["slots"].([]any)
				if len(slots) == 0 {
					return openaifake.Reply{Text: "Sorry, nothing is free that day. Would another day suit you?"}
				}
				slot := slots[rand.IntN(len(slots))].(map[string]any)["slot_id"].(string)
				return openaifake.Reply{ToolCalls: []openaifake.ToolCall{call(openai.ToolHoldSlot, map[string]any{"slot_id": slot})}}
			case openai.ToolHoldSlot:
				if res["status"] != "held" {
					return openaifake.Reply{Text: "Sorry, that time has just gone. Shall I look at another?"}
				}
				return openaifake.Reply{Text: fmt.Sprintf("Sure, I have held %v for you. Shall I book it?", res["time"])}
			case openai.ToolConfirmBooking:
				return openaifake.Reply{Text: "Done, you're booked in. Is there anything else?"}
			}
			return openaifake.Reply{Text: "Sorry, something went wrong there."}
		}
		said := strings.ToLower(last.Content)
		switch {
		case strings.Contains(said, "goodbye"):
			return openaifake.Reply{Text: "Thank you for calling, goodbye!", ToolCalls: []openaifake.ToolCall{call(openai.ToolEndCall, map[string]any{})}}
		case strings.Contains(said, "yes please"):
			if hold := lastHoldID(msgs); hold != "" {
				return openaifake.Reply{ToolCalls: []openaifake.ToolCall{call(openai.ToolConfirmBooking, map[string]any{"hold_id": hold, "procedure_id": benchProcedure(req)})}}
			}
			return openaifake.Reply{Text: "Sorry, I have nothing held for you yet."}
		case strings.Contains(said, "book"):
			day, _ := time.Parse(time.DateOnly, firstDay)
			day = addWorkingDays(day, rand.IntN(5))
			return openaifake.Reply{ToolCalls: []openaifake.ToolCall{call(openai.ToolFindFreeSlots, map[string]any{"day": day.Format(time.DateOnly), "procedure_id": benchProcedure(req)})}}
		case strings.Contains(said, "opening hours"):
			return openaifake.Reply{Text: "Sure, we're open Monday to Friday, nine to five. Can I help with anything else?"}
		case strings.Contains(said, "about the clinic"):
			return openaifake.Reply{Text: "Of course. We are a family clinic in the centre of Leeds. We do blood tests every weekday morning, " +
				"and scans of the knee in the afternoons. Colonoscopies need some preparation the day before. " +
				"Our two doctors have been with us for many years."}
		case strings.Contains(said, "one more thing"):
			return openaifake.Reply{Text: "Of course, go ahead."}
		}
		return openaifake.Reply{Text: "Sorry, could you say that again?"}
	}
}

func toolNameOf(msgs []goopenai.ChatCompletionMessage, id string) string {
	for _, m := range msgs {
		for _, c := range m.ToolCalls {
			if c.ID == id {
				return c.Function.Name
			}
		}
	}
	return ""
}

func lastHoldID(msgs []goopenai.ChatCompletionMessage) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		var res map[string]any
		if msgs[i].Role == goopenai.ChatMessageRoleTool && json.Unmarshal([]byte(msgs[i].Content), &res) == nil {
			if h, ok := res["hold_id"].(string); ok {
				return h
			}
		}
	}
	return ""
}

// benchProcedure is the first procedure the find tool's schema offers.
func benchProcedure(req goopenai.ChatCompletionRequest) string {
	for _, t := range req.Tools {
		if t.Function == nil || t.Function.Name != openai.ToolFindFreeSlots {
			continue
		}
		raw, _ := json.Marshal(t.Function.Parameters)
		var schema struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		}
		if json.Unmarshal(raw, &schema) == nil && len(schema.Properties["procedure_id"].Enum) > 0 {
			return schema.Properties["procedure_id"].Enum[0]
		}
	}
	return ""
}

func firstWorkingDay(now time.Time) time.Time {
	loc, _ := time.LoadLocation("Europe/London")
	d := now.In(loc)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	return addWorkingDays(d, 1)
}

func addWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

func msDur(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() {
		return -1
	}
	return b.Sub(a)
}

// summarizeVoice turns the runs' turn reports into the figures.
func summarizeVoice(streaming, sequential voiceRun, concurrency int) voiceBenchResult {
	var ttfb, noFiller, response, overhead, tools, seqTTFB, seqResponse []time.Duration
	byTool := map[string][]time.Duration{}
	stages := map[string][]time.Duration{}
	res := voiceBenchResult{Concurrency: concurrency, Calls: streaming.calls + sequential.calls, Errors: streaming.errors + sequential.errors}
	for _, r := range streaming.reports {
		t := r.Times
		res.Turns++
		if r.ToolCalled {
			res.ToolTurns++
		}
		if r.Timings.Speculative {
			res.SpeculativeKept++
		}
		ttfb = append(ttfb, t.FirstFrame.Sub(t.Final))
		noFiller = append(noFiller, t.FirstAnswerFrame.Sub(t.Final))
		response = append(response, t.FirstFrame.Sub(t.LastVoiced))
		// Our code on the critical path, on turns without a filler (a
		// filler's own playback delays the answer by design): the first
		// clause to its TTS request, plus, once the turn is final and the
		// first audio is in, the time to the first frame on the socket.
		if t.FirstFrame.Equal(t.FirstAnswerFrame) && !t.TTSFirstByte.IsZero() && !t.FirstClause.IsZero() {
			ready := t.Final
			if t.TTSFirstByte.After(ready) {
				ready = t.TTSFirstByte
			}
			overhead = append(overhead, t.TTSStart.Sub(t.FirstClause)+t.FirstAnswerFrame.Sub(ready))
		}
		for i, ms := range r.Timings.ToolMS {
			d := time.Duration(ms * float64(time.Millisecond))
			tools = append(tools, d)
			if i < len(r.Timings.Tools) {
				byTool[r.Timings.Tools[i]] = append(byTool[r.Timings.Tools[i]], d)
			}
		}
		add := func(name string, d time.Duration) {
			if d >= 0 {
				stages[name] = append(stages[name], d)
			}
		}
		add("llm_first_token", msDur(t.AgentStart, t.FirstToken))
		add("first_clause", msDur(t.FirstToken, t.FirstClause))
		add("tts_first_byte", msDur(t.TTSStart, t.TTSFirstByte))
		add("endpoint", msDur(t.LastVoiced, t.Final))
		if r.Timings.STTMS > 0 {
			add("stt", time.Duration(r.Timings.STTMS*float64(time.Millisecond)))
		}
	}
	for _, r := range sequential.reports {
		seqTTFB = append(seqTTFB, r.Times.FirstAnswerFrame.Sub(r.Times.Final))
		seqResponse = append(seqResponse, r.Times.FirstAnswerFrame.Sub(r.Times.LastVoiced))
		res.SequentialTurns++
	}
	res.TTFBMs, res.TTFBNoFillerMs, res.ResponseMs = latency.Summarize(ttfb), latency.Summarize(noFiller), latency.Summarize(response)
	res.OverheadMs, res.ToolMs, res.BargeInMs = latency.Summarize(overhead), latency.Summarize(tools), latency.Summarize(streaming.bargeIn)
	res.SequentialTTFBMs, res.SequentialResponseMs = latency.Summarize(seqTTFB), latency.Summarize(seqResponse)
	res.Stages = map[string]latency.Summary{}
	for name, ds := range stages {
		res.Stages[name] = latency.Summarize(ds)
	}
	res.ToolByName = map[string]latency.Summary{}
	for name, ds := range byTool {
		res.ToolByName[name] = latency.Summarize(ds)
	}
	return res
}

func printVoice(r voiceBenchResult) {
	fmt.Printf("\nvoice path: %d answered turns (%d calling a tool, %d answered speculatively) in %d calls, %d at once; %d errors; %.0f s\n",
		r.Turns, r.ToolTurns, r.SpeculativeKept, r.Calls, r.Concurrency, r.Errors, r.WallSeconds)
	fmt.Printf("fakes: STT final 150 ms after end of speech; LLM first token log-normal median 250 / P99 500 ms, 40 tokens/s; TTS first byte log-normal median 100 / P99 250 ms\n\n")
	fmt.Printf("%-26s %8s %8s %8s %8s\n", "", "p50 ms", "p95 ms", "p99 ms", "max ms")
	row := func(name string, s latency.Summary) {
		fmt.Printf("%-26s %8.1f %8.1f %8.1f %8.1f\n", name, s.P50, s.P95, s.P99, s.Max)
	}
	row("ttfb (filler counts)", r.TTFBMs)
	row("ttfb (answer only)", r.TTFBNoFillerMs)
	row("response", r.ResponseMs)
	row("overhead", r.OverheadMs)
	row("barge_in", r.BargeInMs)
	row("tool", r.ToolMs)
	for _, name := range []string{openai.ToolFindFreeSlots, openai.ToolHoldSlot, openai.ToolConfirmBooking} {
		if s, ok := r.ToolByName[name]; ok {
			row("  "+name, s)
		}
	}
	for _, name := range []string{"endpoint", "stt", "llm_first_token", "first_clause", "tts_first_byte"} {
		if s, ok := r.Stages[name]; ok {
			row("  "+name, s)
		}
	}
	row("sequential ttfb", r.SequentialTTFBMs)
	row("sequential response", r.SequentialResponseMs)
	if r.TTFBNoFillerMs.P50 > 0 {
		fmt.Printf("\nsequential / streaming ttfb at p50: ×%.1f (%d sequential turns)\n", r.SequentialTTFBMs.P50/r.TTFBNoFillerMs.P50, r.SequentialTurns)
	}
}

// printVoiceTrace prints each turn's moments, in ms after the caller's
// last voiced frame: where a turn's time went.
func printVoiceTrace(w io.Writer, reports []voice.TurnReport) {
	fmt.Fprintf(w, "%-34s %7s %7s %7s %7s %7s %7s %7s %7s %5s\n", "caller", "final", "agent", "token", "clause", "tts", "ttsbyte", "frame", "answer", "spec")
	for _, r := range reports {
		t := r.Times
		at := func(x time.Time) string {
			if x.IsZero() {
				return "-"
			}
			return fmt.Sprintf("%.0f", float64(x.Sub(t.LastVoiced).Microseconds())/1000)
		}
		caller := r.Caller
		if len(caller) > 34 {
			caller = caller[:34]
		}
		fmt.Fprintf(w, "%-34s %7s %7s %7s %7s %7s %7s %7s %7s %5v\n", caller, at(t.Final), at(t.AgentStart), at(t.FirstToken), at(t.FirstClause),
			at(t.TTSStart), at(t.TTSFirstByte), at(t.FirstFrame), at(t.FirstAnswerFrame), r.Timings.Speculative)
	}
}
