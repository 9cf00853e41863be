package openai

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/frontdesk/frontdesk/voice"
)

// maxSpeechInput is OpenAI's limit on one speech request's input.
const maxSpeechInput = 4096

// ErrNotAudio is Synthesize's answer when a server answers 2xx with a body
// that is not audio (a JSON or text error, an HTML page): go-openai only
// treats 4xx/5xx statuses as errors and would hand such a body over as
// audio, which would play as noise.
var ErrNotAudio = errors.New("openai: speech answer is not audio")

// Synthesizer is text-to-speech through CreateSpeech with response_format
// pcm, read as the body streams.
type Synthesizer struct {
	client *goopenai.Client
	cfg    Config
}

var _ voice.Synthesizer = (*Synthesizer)(nil)

// NewSynthesizer checks cfg and makes a Synthesizer.
func NewSynthesizer(cfg Config) (*Synthesizer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Synthesizer{client: cfg.client(), cfg: cfg}, nil
}

// Synthesize sends text and returns once the first audio bytes are in:
// the caller's next Read has samples. ctx bounds the whole speech;
// cancelling it (barge-in) or calling Close ends the request.
func (s *Synthesizer) Synthesize(ctx context.Context, text string) (voice.Speech, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("openai: nothing to say")
	}
	if n := utf8.RuneCountInString(text); n > maxSpeechInput {
		return nil, fmt.Errorf("openai: speech input of %d characters exceeds %d", n, maxSpeechInput)
	}
	reqCtx, dl := startDeadline(ctx, s.cfg.SpeechFirstByteTimeout, ErrFirstByteTimeout, s.cfg.IdleTimeout)
	resp, err := s.client.CreateSpeech(reqCtx, goopenai.CreateSpeechRequest{
		Model:          goopenai.SpeechModel(s.cfg.SpeechModel),
		Input:          text,
		Voice:          goopenai.SpeechVoice(s.cfg.Voice),
		Instructions:   s.cfg.SpeechInstructions,
		ResponseFormat: goopenai.SpeechResponseFormatPcm,
		Speed:          s.cfg.SpeechSpeed,
	})
	if err != nil {
		err = streamError(ctx, reqCtx, "speech", err)
		dl.stop()
		return nil, err
	}
	sp := &speech{
		parent: ctx,
		ctx:    reqCtx,
		dl:     dl,
		body:   resp.ReadCloser,
		r:      newBufReader(resp.ReadCloser),
		rate:   s.cfg.SpeechRate,
	}
	if err := sp.start(resp.Header().Get("Content-Type")); err != nil {
		sp.Close()
		return nil, err
	}
	return sp, nil
}

func newBufReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 8192) }

// speech is one clause's PCM as it arrives. The body may split a sample
// across two reads, so an odd trailing byte is carried to the next Read.
type speech struct {
	parent, ctx context.Context
	dl          *deadline
	body        io.ReadCloser
	r           *bufio.Reader
	rate        int

	buf   []byte
	carry []byte // 0 or 1 byte of a split sample
	err   error  // sticky: returned once the buffered samples are out
}

// start checks the answer is audio and waits for its first bytes (a WAV
// header, which some local servers send even for pcm, is read and
// dropped).
func (sp *speech) start(contentType string) error {
	if notAudio(contentType) {
		// Closing the body unread drops the connection; an error body is
		// small, so read a bounded part of it for the message.
		body, _ := io.ReadAll(io.LimitReader(sp.r, 2048))
		return fmt.Errorf("%w: content type %q: %s", ErrNotAudio, contentType, errorMessage(body))
	}
	head, err := sp.r.Peek(4)
	if len(head) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: empty body", ErrNotAudio)
		}
		return streamError(sp.parent, sp.ctx, "speech", err)
	}
	sp.dl.progress(true)
	if string(head) == "RIFF" {
		if err := sp.skipWAVHeader(); err != nil {
			return streamError(sp.parent, sp.ctx, "speech", err)
		}
	}
	return nil
}

// notAudio reports a content type that is certainly not audio. An empty
// or generic type is let through: servers differ (OpenAI's pcm comes as
// audio/pcm, others send application/octet-stream or nothing).
func notAudio(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return true
	}
	return strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") ||
		strings.Contains(mt, "xml") || strings.Contains(mt, "html")
}

// errorMessage pulls the message out of an OpenAI-style error body, or
// shows the start of whatever else it is.
func errorMessage(body []byte) string {
	var e goopenai.ErrorResponse
	if json.Unmarshal(body, &e) == nil && e.Error != nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// skipWAVHeader reads the RIFF header up to the data chunk, taking the
// rate from its fmt chunk. The data chunk's size is not trusted (streaming
// servers write 0 or 0xFFFFFFFF): the data runs to the end of the body.
func (sp *speech) skipWAVHeader() error {
	var riff [12]byte
	if _, err := io.ReadFull(sp.r, riff[:]); err != nil {
		return fmt.Errorf("wav header: %w", err)
	}
	if string(riff[8:12]) != "WAVE" {
		return errNotWAV
	}
	var got bool
	for {
		var ch [8]byte
		if _, err := io.ReadFull(sp.r, ch[:]); err != nil {
			return fmt.Errorf("wav header: %w", err)
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		switch string(ch[:4]) {
		case "data":
			if !got {
				return errors.New("wav: data before fmt")
			}
			return nil
		case "fmt ":
			if size > 1024 {
				return errors.New("wav: fmt chunk too large")
			}
			b := make([]byte, size+size%2)
			if _, err := io.ReadFull(sp.r, b); err != nil {
				return fmt.Errorf("wav header: %w", err)
			}
			f, err := parseWAVFormat(b)
			if err != nil {
				return err
			}
			if f.channels != 1 || f.bits != 16 || f.rate <= 0 {
				return fmt.Errorf("wav: %d channels, %d bits: want 16-bit mono", f.channels, f.bits)
			}
			sp.rate = f.rate
			got = true
		default:
			if _, err := io.CopyN(io.Discard, sp.r, size+size%2); err != nil {
				return fmt.Errorf("wav header: %w", err)
			}
		}
	}
}

func (sp *speech) Rate() int { return sp.rate }

// Read returns the samples that have arrived, at least one, blocking only
// while none has.
func (sp *speech) Read(p []int16) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if sp.err != nil {
		return 0, sp.err
	}
	want := 2 * len(p)
	if cap(sp.buf) < want {
		sp.buf = make([]byte, want)
	}
	buf := sp.buf[:want]
	n := copy(buf, sp.carry)
	sp.carry = sp.carry[:0]
	for n < 2 {
		m, err := sp.r.Read(buf[n:])
		n += m
		if m > 0 {
			sp.dl.progress(true)
		}
		if err != nil {
			sp.err = sp.readError(err, n%2 == 1)
			if n < 2 {
				return 0, sp.err
			}
			break
		}
	}
	samples := n / 2
	for i := range samples {
		p[i] = int16(binary.LittleEndian.Uint16(buf[2*i:]))
	}
	if n%2 == 1 {
		sp.carry = append(sp.carry, buf[n-1])
	}
	return samples, nil
}

// readError is the sticky error after the body ends or fails.
func (sp *speech) readError(err error, oddByte bool) error {
	if errors.Is(err, io.EOF) {
		sp.dl.stop()
		if oddByte {
			return fmt.Errorf("speech: odd byte count: %w", io.ErrUnexpectedEOF)
		}
		return io.EOF
	}
	return streamError(sp.parent, sp.ctx, "speech", err)
}

// Close ends the request (closing an unfinished body drops its
// connection, which is what barge-in wants).
func (sp *speech) Close() error {
	sp.dl.stop()
	if sp.err == nil {
		sp.err = errors.New("speech: closed")
	}
	return sp.body.Close()
}
