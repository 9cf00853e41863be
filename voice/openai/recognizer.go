package openai

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/frontdesk/frontdesk/voice"
)

// minUtterance is the shortest audio worth a request: OpenAI refuses
// anything under 0.1 s, and a blip that short holds no word.
const minUtterance = 100 * time.Millisecond

// ErrUtteranceTooLong is Write's answer once an utterance holds
// Config.MaxUtterance of audio; the audio past it is dropped.
var ErrUtteranceTooLong = errors.New("openai: utterance longer than MaxUtterance; audio dropped")

// ErrStreamClosed is the answer of a closed RecognizerStream.
var ErrStreamClosed = errors.New("openai: recognizer stream closed")

// Recognizer is speech-to-text through CreateTranscription: the stream
// buffers an utterance's audio and uploads it, as an in-memory WAV, on
// each Transcribe.
type Recognizer struct {
	client *goopenai.Client
	cfg    Config
	prompt string
}

var _ voice.Recognizer = (*Recognizer)(nil)

// NewRecognizer checks cfg and makes a Recognizer.
func NewRecognizer(cfg Config) (*Recognizer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Recognizer{client: cfg.client(), cfg: cfg, prompt: cfg.TranscriptionPrompt}, nil
}

// ForClinic returns a Recognizer sharing r's connections whose prompt adds
// the clinic's vocabulary (its name, procedures and practitioners), which
// the recogniser otherwise mishears. No caller data goes into it.
func (r *Recognizer) ForClinic(clinic *voice.ClinicProfile) *Recognizer {
	c := *r
	c.prompt = vocabularyPrompt(r.cfg.TranscriptionPrompt, clinic)
	return &c
}

// vocabularyPrompt is a short plain sentence of the clinic's words: a
// Whisper prompt works as preceding text, not as instructions, and only
// its last 224 tokens count.
func vocabularyPrompt(base string, clinic *voice.ClinicProfile) string {
	if clinic == nil {
		return base
	}
	var parts []string
	if base != "" {
		parts = append(parts, strings.TrimSpace(base))
	}
	if clinic.Name != "" {
		parts = append(parts, "Calling "+clinic.Name+".")
	}
	var words []string
	for _, p := range clinic.Procedures {
		words = append(words, p.Name)
	}
	if len(words) > 0 {
		parts = append(parts, "Appointments for "+strings.Join(words, ", ")+".")
	}
	words = words[:0]
	for _, p := range clinic.Practitioners {
		words = append(words, p.Name)
	}
	if len(words) > 0 {
		parts = append(parts, "With "+strings.Join(words, ", ")+".")
	}
	const maxRunes = 600 // about 150 tokens: the prompt's useful size
	prompt := strings.Join(parts, " ")
	if rs := []rune(prompt); len(rs) > maxRunes {
		prompt = string(rs[len(rs)-maxRunes:])
	}
	return prompt
}

// Open starts one call's stream. ctx bounds the stream: when it ends,
// pending and future Transcribe calls fail.
func (r *Recognizer) Open(ctx context.Context) (voice.RecognizerStream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	return &recognizerStream{
		r:      r,
		ctx:    sctx,
		cancel: cancel,
		max:    int(r.cfg.MaxUtterance.Seconds() * voice.CallerRate),
	}, nil
}

type recognizerStream struct {
	r      *Recognizer
	ctx    context.Context
	cancel context.CancelFunc
	max    int

	mu     sync.Mutex
	audio  []int16
	gen    int // utterance number, bumped by Commit
	closed bool
	full   bool
	// The last answer, for a Transcribe repeated with no new audio (the
	// session's speculative call was right).
	cached    *voice.Transcript
	cachedGen int
	cachedLen int
}

func (s *recognizerStream) Write(samples []int16) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrStreamClosed
	}
	room := s.max - len(s.audio)
	if len(samples) > room {
		s.audio = append(s.audio, samples[:max(room, 0)]...)
		if !s.full {
			s.full = true
			return ErrUtteranceTooLong
		}
		return nil
	}
	s.audio = append(s.audio, samples...)
	return nil
}

func (s *recognizerStream) Transcribe(ctx context.Context) (voice.Transcript, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return voice.Transcript{}, ErrStreamClosed
	}
	gen, n := s.gen, len(s.audio)
	if s.cached != nil && s.cachedGen == gen && s.cachedLen == n {
		t := *s.cached
		s.mu.Unlock()
		return t, nil
	}
	var wav []byte
	if n >= int(minUtterance.Seconds()*voice.CallerRate) {
		wav = encodeWAV(s.audio[:n], voice.CallerRate)
	}
	s.mu.Unlock()

	if wav == nil {
		return voice.Transcript{Final: true, Confidence: 1}, nil
	}
	// A transcription is not a stream: a whole-request deadline is right.
	ctx, cancel := context.WithTimeout(ctx, s.r.cfg.TranscriptionTimeout)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	resp, err := s.r.client.CreateTranscription(ctx, goopenai.AudioRequest{
		Model:    s.r.cfg.TranscriptionModel,
		FilePath: "utterance.wav",
		Reader:   bytes.NewReader(wav),
		Prompt:   s.r.prompt,
		Language: s.r.cfg.Language,
		Format:   goopenai.AudioResponseFormatJSON,
	})
	if err != nil {
		if s.ctx.Err() != nil {
			return voice.Transcript{}, fmt.Errorf("transcription: %w", ErrStreamClosed)
		}
		return voice.Transcript{}, fmt.Errorf("transcription: %w", err)
	}
	t := voice.Transcript{Text: strings.TrimSpace(resp.Text), Final: true, Confidence: 1}

	s.mu.Lock()
	if s.gen == gen {
		s.cached, s.cachedGen, s.cachedLen = &t, gen, n
	}
	s.mu.Unlock()
	return t, nil
}

func (s *recognizerStream) Commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	// A Transcribe in flight encoded its own copy, so the buffer is reused.
	s.audio = s.audio[:0]
	s.full = false
	s.cached = nil
}

func (s *recognizerStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.audio = nil
	s.cancel()
	return nil
}
