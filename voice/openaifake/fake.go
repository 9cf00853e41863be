// Package openaifake is a local stand-in for the OpenAI endpoints the voice
// path uses, speaking their real wire formats so that tests and the voice
// benchmark drive the real client (go-openai) against it:
//
//   - POST /v1/chat/completions with stream: true: server-sent events as
//     OpenAI sends them, text in token-sized deltas at a set token rate,
//     tool calls in fragments, a scripted reply per request;
//   - POST /v1/audio/speech: 16-bit 24 kHz PCM streamed in chunks, a
//     voiced tone as long as the text would take to say;
//   - POST /v1/audio/transcriptions: the multipart upload, answered with a
//     scripted text.
//
// Latencies are sampled per request from seeded distributions and logged
// (Samples), and the server counts the requests its clients cancelled
// mid-stream (Cancelled), for barge-in tests.
//
// A Server is an http.Handler: serve it with httptest.NewServer in tests or
// on a loopback port in the benchmark, with the client's BaseURL set to
// the server's URL plus "/v1".
package openaifake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Endpoint names one of the fake's endpoints.
type Endpoint string

const (
	Chat          Endpoint = "chat"
	Speech        Endpoint = "speech"
	Transcription Endpoint = "transcription"
)

// Options script the fake. The zero value answers at once with the
// default scripts.
type Options struct {
	// Chat scripts the reply to a chat request (default DefaultScript).
	Chat func(req openai.ChatCompletionRequest) Reply
	// ChatFirstToken is the delay from the request to its first token.
	ChatFirstToken Latency
	// TokensPerSecond paces the chunks after the first (text tokens and
	// tool-call fragments alike); 0 sends them back to back.
	TokensPerSecond float64
	// KeepAlive, when set, sends an SSE comment line at this interval
	// while a chat stream waits (before its first token, or stalled), as
	// some servers and proxies do.
	KeepAlive time.Duration

	// Speech scripts the answer to a speech request (default: Tone of the
	// input).
	Speech func(req openai.CreateSpeechRequest) SpeechReply
	// SpeechFirstByte is the delay from the request to the first audio.
	SpeechFirstByte Latency
	// SpeechSpeed paces the audio as a multiple of real time (1 plays out
	// as fast as it would be heard); 0 sends it as fast as the network
	// takes it.
	SpeechSpeed float64
	// SpeechChunkBytes is the size of each audio write (default 1920, 40
	// ms); an odd size splits samples across writes.
	SpeechChunkBytes int

	// Transcribe scripts a transcription's answer; without it the queue
	// (QueueTranscripts) answers, and an empty queue answers "".
	Transcribe func(req TranscriptionRequest) TranscriptionReply
	// TranscriptionLatency is the delay before the answer.
	TranscriptionLatency Latency

	// Seed makes the latency samples reproducible (each endpoint draws
	// from its own seeded source, in the order requests arrive).
	Seed uint64
	// OnSample, when set, is called as each request's latencies are
	// sampled, before it is answered. It must not block.
	OnSample func(Sample)
}

// BenchmarkOptions are the latencies the voice benchmark runs with:
// transcription 150 ms, chat first token log-normal (median 250 ms, P99 500
// ms) then 40 tokens a second, speech first byte log-normal (median 100 ms,
// P99 250 ms) then audio at real time.
func BenchmarkOptions(seed uint64) Options {
	return Options{
		ChatFirstToken:       LogNormal{Median: 250 * time.Millisecond, P99: 500 * time.Millisecond},
		TokensPerSecond:      40,
		SpeechFirstByte:      LogNormal{Median: 100 * time.Millisecond, P99: 250 * time.Millisecond},
		SpeechSpeed:          1,
		TranscriptionLatency: Fixed(150 * time.Millisecond),
		Seed:                 seed,
	}
}

// Sample is what the fake drew for one request and how it went.
type Sample struct {
	// Seq numbers requests in arrival order over all endpoints, from 1.
	Seq       int
	Endpoint  Endpoint
	RequestID string // also the x-request-id header
	Arrived   time.Time
	// Latency is the sampled delay: to the first token (chat), the first
	// audio byte (speech), or the answer (transcription).
	Latency time.Duration

	// Chat: the last user message of the request, the scripted reply and
	// how it was paced. Text token i was sent at Latency + i*TokenInterval
	// after arrival; tool-call fragments follow on the same pace.
	LastUser      string
	Reply         Reply
	TokenInterval time.Duration
	Tokens        []string

	// Speech: the input and its audio's length. ChatRequestID is the chat
	// reply whose text begins with this input, when there is one: the
	// first clause of that reply (see Floor).
	Input         string
	AudioDuration time.Duration
	ChatRequestID string

	// Transcription: the answer's text and the uploaded audio's length.
	Text string

	// Cancelled: the client went away before the answer was complete.
	Cancelled bool
}

// TextAt is when (after arrival) the first n bytes of a chat reply's text
// had been sent: the time the pipeline has its first clause of n bytes.
func (s Sample) TextAt(n int) time.Duration {
	sent := 0
	for i, tok := range s.Tokens {
		sent += len(tok)
		if sent >= n {
			return s.Latency + time.Duration(i)*s.TokenInterval
		}
	}
	return s.Latency + time.Duration(max(len(s.Tokens)-1, 0))*s.TokenInterval
}

// Server is the fake. It is safe for concurrent requests.
type Server struct {
	opts   Options
	closed chan struct{}
	once   sync.Once

	mu          sync.Mutex
	rng         map[Endpoint]*rand.Rand
	samples     []Sample
	chatReqs    []openai.ChatCompletionRequest
	speechReqs  []openai.CreateSpeechRequest
	transReqs   []TranscriptionRequest
	cancelled   map[Endpoint]int
	transcripts []string
	changed     chan struct{} // closed and replaced whenever a count moves
}

// New makes a fake with opts.
func New(opts Options) *Server {
	if opts.Chat == nil {
		opts.Chat = DefaultScript
	}
	if opts.SpeechChunkBytes <= 0 {
		opts.SpeechChunkBytes = 1920
	}
	s := &Server{
		opts:      opts,
		closed:    make(chan struct{}),
		rng:       map[Endpoint]*rand.Rand{},
		cancelled: map[Endpoint]int{},
		changed:   make(chan struct{}),
	}
	for i, e := range []Endpoint{Chat, Speech, Transcription} {
		s.rng[e] = rand.New(rand.NewPCG(opts.Seed, uint64(i+1)))
	}
	return s
}

// Close releases every request the fake is holding (stalled streams,
// pending delays), so that httptest.Server.Close does not wait on them.
// Call it before closing the HTTP server.
func (s *Server) Close() { s.once.Do(func() { close(s.closed) }) }

// ServeHTTP routes by path suffix, so any base path ("/v1") works.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	var handle func(http.ResponseWriter, *http.Request)
	switch {
	case strings.HasSuffix(path, "/chat/completions"):
		handle = s.serveChat
	case strings.HasSuffix(path, "/audio/speech"):
		handle = s.serveSpeech
	case strings.HasSuffix(path, "/audio/transcriptions"):
		handle = s.serveTranscription
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "the fake serves no "+path)
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "use POST")
		return
	}
	handle(w, r)
}

// QueueTranscripts adds answers for the transcriptions to come, used in
// order when Options.Transcribe is not set.
func (s *Server) QueueTranscripts(texts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transcripts = append(s.transcripts, texts...)
}

// Samples returns a copy of the log of sampled requests, in arrival order.
func (s *Server) Samples() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sample(nil), s.samples...)
}

// Floor is a turn's least possible time to first audio given what the
// fake drew, for a speech sample linked to its chat reply: the chat's
// first token, its tokens up to the end of the speech's input (the first
// clause), and the speech's first byte. ok is false when the speech
// sample is not linked to a chat reply.
func (s *Server) Floor(speech Sample) (floor time.Duration, ok bool) {
	if speech.ChatRequestID == "" {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.samples {
		if c.RequestID == speech.ChatRequestID {
			return c.TextAt(len(normalize(speech.Input))) + speech.Latency, true
		}
	}
	return 0, false
}

// ChatRequests returns the chat requests received, decoded.
func (s *Server) ChatRequests() []openai.ChatCompletionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]openai.ChatCompletionRequest(nil), s.chatReqs...)
}

// SpeechRequests returns the speech requests received, decoded.
func (s *Server) SpeechRequests() []openai.CreateSpeechRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]openai.CreateSpeechRequest(nil), s.speechReqs...)
}

// Transcriptions returns the transcription requests received, decoded.
func (s *Server) Transcriptions() []TranscriptionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TranscriptionRequest(nil), s.transReqs...)
}

// Cancelled is how many requests to e their clients cancelled before the
// answer was complete.
func (s *Server) Cancelled(e Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancelled[e]
}

// WaitCancelled waits until at least n requests to e were cancelled, or
// ctx ends. The server learns of a cancellation a moment after the client
// acts, so a test waits for it rather than reading Cancelled at once.
func (s *Server) WaitCancelled(ctx context.Context, e Endpoint, n int) error {
	for {
		s.mu.Lock()
		got, changed := s.cancelled[e], s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("%d of %d %s requests cancelled: %w", got, n, e, ctx.Err())
		}
	}
}

// Reset forgets the logs and counts (not the options or the queue).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples, s.chatReqs, s.speechReqs, s.transReqs = nil, nil, nil, nil
	s.cancelled = map[Endpoint]int{}
}

// begin logs a request's sample and returns its index in the log. The
// sample's clock starts at arrived, when the handler was entered, so that
// the fake's own work (decoding, making the tone) hides inside the sampled
// latency instead of adding to it.
func (s *Server) begin(arrived time.Time, smp Sample, l Latency) (Sample, int) {
	s.mu.Lock()
	smp.Seq = len(s.samples) + 1
	smp.Arrived = arrived
	smp.Latency = sample(l, s.rng[smp.Endpoint])
	smp.RequestID = fmt.Sprintf("req_%s_%d", smp.Endpoint, smp.Seq)
	s.samples = append(s.samples, smp)
	i := len(s.samples) - 1
	s.mu.Unlock()
	if s.opts.OnSample != nil {
		s.opts.OnSample(smp)
	}
	return smp, i
}

// cancel records that the client of sample i went away.
func (s *Server) cancel(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.samples[i].Cancelled {
		return
	}
	s.samples[i].Cancelled = true
	s.cancelled[s.samples[i].Endpoint]++
	close(s.changed)
	s.changed = make(chan struct{})
}

var (
	errClientGone = errors.New("client went away")
	errClosed     = errors.New("fake closed")
)

// sleepUntil waits until t, calling tick at each keep-alive interval (when
// every > 0). It fails when the client goes away or the fake is closed.
func (s *Server) sleepUntil(ctx context.Context, t time.Time, every time.Duration, tick func() error) error {
	for {
		wait := time.Until(t)
		if wait <= 0 {
			return nil
		}
		step := wait
		if every > 0 && every < step {
			step = every
		}
		timer := time.NewTimer(step)
		select {
		case <-ctx.Done():
			timer.Stop()
			return errClientGone
		case <-s.closed:
			timer.Stop()
			return errClosed
		case <-timer.C:
		}
		if every > 0 && time.Until(t) > 0 {
			if err := tick(); err != nil {
				return errClientGone
			}
		}
	}
}

// hang holds a request until the client goes away or the fake closes.
func (s *Server) hang(ctx context.Context, every time.Duration, tick func() error) error {
	return s.sleepUntil(ctx, time.Now().Add(100*365*24*time.Hour), every, tick)
}

// writeError answers as OpenAI does: {"error": {...}} with the status.
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": typ, "param": nil, "code": nil,
	}})
}

// errorType is the OpenAI error type that goes with a status.
func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_exceeded"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }
