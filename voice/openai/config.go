// Package openai holds frontdesk's OpenAI-compatible voice providers: a
// speech-to-text Recognizer (CreateTranscription, one upload per
// utterance), a text-to-speech Synthesizer (CreateSpeech, 16-bit PCM read
// as it streams) and an LLM Agent (CreateChatCompletionStream with the
// booking tools), all through github.com/sashabaranov/go-openai. The same
// code serves OpenAI or local servers (vLLM or Ollama for chat, a Whisper
// server, a local TTS server): point Config.BaseURL at them.
//
// Every stage streams, and no request has a whole-request timeout on its
// live stream: a first-token (first-byte) deadline and an idle timer reset
// on each chunk cut a stalled stream instead, with typed errors the
// session can answer with a fallback line.
package openai

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// Defaults for the zero fields of Config.
const (
	DefaultBaseURL            = "https://api.openai.com/v1"
	DefaultChatModel          = "gpt-4o-mini"
	DefaultTranscriptionModel = "gpt-4o-mini-transcribe"
	DefaultSpeechModel        = "tts-1"
	DefaultVoice              = "alloy"
	// DefaultSpeechRate is the rate of OpenAI's response_format pcm.
	DefaultSpeechRate = 24000

	DefaultFirstTokenTimeout      = 3 * time.Second
	DefaultIdleTimeout            = 2 * time.Second
	DefaultSpeechFirstByteTimeout = 3 * time.Second
	DefaultTranscriptionTimeout   = 5 * time.Second
	DefaultMaxUtterance           = 60 * time.Second
	DefaultMaxToolRounds          = 4
	// DefaultEmptyMessagesLimit bounds the non-data lines (the blank line
	// between events, comments, keep-alives) go-openai accepts between two
	// events. The idle timer bounds the time between events; this bounds a
	// server that floods comment lines. go-openai's own default is 300.
	DefaultEmptyMessagesLimit = 100
)

// Config selects an OpenAI-compatible server, the models and the deadlines.
// One Config can serve all three providers; give each provider its own
// Config to use different servers (a local Whisper, vLLM for chat, ...).
type Config struct {
	// APIKey is sent as a bearer token. Empty sends no Authorization
	// header, as local servers expect.
	APIKey string
	// BaseURL of the API, including /v1 (default DefaultBaseURL).
	BaseURL string
	// HTTPClient carries the requests (default: a client with a pooled
	// transport). It must have no Timeout: http.Client.Timeout cuts live
	// streams; the deadlines below are what bound a request.
	HTTPClient *http.Client

	// ChatModel is the LLM (default DefaultChatModel).
	ChatModel string
	// Temperature of the LLM; 0 leaves the server's default.
	Temperature float32
	// MaxTokens bounds one reply round (max_completion_tokens); 0 leaves
	// the server's default.
	MaxTokens int
	// ReasoningEffort is passed through for reasoning models ("minimal"
	// keeps them fast); empty omits it.
	ReasoningEffort string
	// FirstTokenTimeout bounds the wait from the request to the first
	// token (text or tool call) of each reply round.
	FirstTokenTimeout time.Duration
	// IdleTimeout bounds the gap between two chunks of a chat or speech
	// stream once it has started. Keep-alive comment lines do not reset it.
	IdleTimeout time.Duration
	// MaxToolRounds bounds how many rounds of tool calls one reply may
	// make; one more round then asks for text only.
	MaxToolRounds int
	// EmptyMessagesLimit: see DefaultEmptyMessagesLimit.
	EmptyMessagesLimit uint
	// Greeting overrides the agent's greeting; "{clinic}" is replaced by
	// the clinic's name.
	Greeting string

	// TranscriptionModel is the speech-to-text model (default
	// DefaultTranscriptionModel; "whisper-1" or a local Whisper's name).
	TranscriptionModel string
	// Language is the callers' language, ISO-639-1 ("en"); empty lets the
	// model detect it.
	Language string
	// TranscriptionPrompt primes the recogniser with vocabulary; see
	// Recognizer.ForClinic for the clinic's own words.
	TranscriptionPrompt string
	// TranscriptionTimeout bounds one transcription request. It is not a
	// stream, so a whole-request deadline is right here.
	TranscriptionTimeout time.Duration
	// MaxUtterance bounds the audio buffered for one utterance.
	MaxUtterance time.Duration

	// SpeechModel is the text-to-speech model (default DefaultSpeechModel).
	SpeechModel string
	// Voice of the speech model (default DefaultVoice).
	Voice string
	// SpeechInstructions steer models that take them (gpt-4o-mini-tts).
	SpeechInstructions string
	// SpeechSpeed, 0.25 to 4; 0 leaves the server's default.
	SpeechSpeed float64
	// SpeechFirstByteTimeout bounds the wait for the first audio byte.
	SpeechFirstByteTimeout time.Duration
	// SpeechRate is the rate of the server's pcm (default
	// DefaultSpeechRate). A WAV answer carries its own rate.
	SpeechRate int
}

// Errors a stream ends with when the server goes quiet. The session
// answers them with a fallback line.
var (
	ErrFirstTokenTimeout = errors.New("openai: no first token before the deadline")
	ErrFirstByteTimeout  = errors.New("openai: no first audio byte before the deadline")
	ErrIdleTimeout       = errors.New("openai: stream idle too long")
)

// withDefaults fills the zero fields and rejects settings that cannot work.
func (c Config) withDefaults() (Config, error) {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.HTTPClient != nil && c.HTTPClient.Timeout != 0 {
		return c, errors.New("openai: HTTPClient.Timeout must be zero: it cuts live streams (the Config deadlines bound requests)")
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.ChatModel, DefaultChatModel)
	def(&c.TranscriptionModel, DefaultTranscriptionModel)
	def(&c.SpeechModel, DefaultSpeechModel)
	def(&c.Voice, DefaultVoice)
	defDur := func(d *time.Duration, v time.Duration, name string) error {
		switch {
		case *d < 0:
			return fmt.Errorf("openai: %s is negative", name)
		case *d == 0:
			*d = v
		}
		return nil
	}
	for _, f := range []struct {
		d    *time.Duration
		v    time.Duration
		name string
	}{
		{&c.FirstTokenTimeout, DefaultFirstTokenTimeout, "FirstTokenTimeout"},
		{&c.IdleTimeout, DefaultIdleTimeout, "IdleTimeout"},
		{&c.SpeechFirstByteTimeout, DefaultSpeechFirstByteTimeout, "SpeechFirstByteTimeout"},
		{&c.TranscriptionTimeout, DefaultTranscriptionTimeout, "TranscriptionTimeout"},
		{&c.MaxUtterance, DefaultMaxUtterance, "MaxUtterance"},
	} {
		if err := defDur(f.d, f.v, f.name); err != nil {
			return c, err
		}
	}
	if c.MaxToolRounds < 0 {
		return c, errors.New("openai: MaxToolRounds is negative")
	}
	if c.MaxToolRounds == 0 {
		c.MaxToolRounds = DefaultMaxToolRounds
	}
	if c.EmptyMessagesLimit == 0 {
		c.EmptyMessagesLimit = DefaultEmptyMessagesLimit
	}
	if c.SpeechRate < 0 {
		return c, errors.New("openai: SpeechRate is negative")
	}
	if c.SpeechRate == 0 {
		c.SpeechRate = DefaultSpeechRate
	}
	if c.SpeechSpeed != 0 && (c.SpeechSpeed < 0.25 || c.SpeechSpeed > 4) {
		return c, fmt.Errorf("openai: SpeechSpeed %v is outside 0.25..4", c.SpeechSpeed)
	}
	return c, nil
}

// client makes the go-openai client of a (defaulted) Config.
func (c Config) client() *goopenai.Client {
	cc := goopenai.DefaultConfig(c.APIKey)
	cc.BaseURL = c.BaseURL
	cc.EmptyMessagesLimit = c.EmptyMessagesLimit
	// Assigned only when set: a nil *http.Client in the HTTPDoer
	// interface would not be a nil interface.
	cc.HTTPClient = defaultHTTPClient()
	if c.HTTPClient != nil {
		cc.HTTPClient = c.HTTPClient
	}
	return goopenai.NewClientWithConfig(cc)
}

// defaultHTTPClient keeps connections warm for many concurrent calls: a
// new TLS handshake on the hot path costs more than the SLA allows.
// net/http's default keeps only two idle connections per host.
func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}
