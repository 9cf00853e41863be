package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/frontdesk/frontdesk/voice"
)

// Synthesizer is offline text-to-speech through a local engine, one
// process per clause, no cgo: flite or espeak-ng writing a WAV stream to
// stdout. Samples are readable as the engine writes them: espeak-ng
// streams within a clause; flite writes a clause once it has synthesised
// all of it (its WAV writer needs the length first), which for a clause
// of a few words takes 10-70 ms.
type Synthesizer struct {
	bin  string
	args []string
	// stdin: the text goes on stdin rather than in argv.
	stdin bool
	// spell: acronyms are spelt out first (flite says "MRI" as "mree").
	spell bool
	rate  int
}

// Flite voices in Debian's flite 2.2 and their sample rates.
var fliteRates = map[string]int{"kal": 8000, "kal16": 16000, "awb": 16000, "slt": 16000, "rms": 16000, "awb_time": 16000}

// NewFlite speaks with one of flite's built-in voices: "kal" (8 kHz, the
// telephone rate, a diphone voice), or "slt", "awb", "rms", "kal16" (16
// kHz).
func NewFlite(voiceName string) (*Synthesizer, error) {
	rate, ok := fliteRates[voiceName]
	if !ok {
		return nil, fmt.Errorf("flite has no voice %q (kal, kal16, slt, awb, rms)", voiceName)
	}
	bin, err := exec.LookPath("flite")
	if err != nil {
		return nil, fmt.Errorf("flite not found (Debian package flite): %w", err)
	}
	// -o /dev/stdout: flite writes a complete WAV there once the text is
	// synthesised ("-o -" writes nothing, and -f input appends by
	// seeking, which a pipe cannot).
	return &Synthesizer{bin: bin, args: []string{"-voice", voiceName, "-o", "/dev/stdout", "-t"}, rate: rate, spell: true}, nil
}

// EspeakOptions choose espeak-ng's voice.
type EspeakOptions struct {
	// Voice is an espeak-ng voice name; default "en-gb".
	Voice string
	// WordsPerMinute; default espeak-ng's 175.
	WordsPerMinute int
}

// NewEspeak speaks with espeak-ng (22050 Hz).
func NewEspeak(o EspeakOptions) (*Synthesizer, error) {
	bin, err := exec.LookPath("espeak-ng")
	if err != nil {
		return nil, fmt.Errorf("espeak-ng not found (Debian package espeak-ng): %w", err)
	}
	if o.Voice == "" {
		o.Voice = "en-gb"
	}
	if strings.HasPrefix(o.Voice, "-") || strings.ContainsAny(o.Voice, " \t\n") {
		return nil, fmt.Errorf("espeak-ng voice %q is not a voice name", o.Voice)
	}
	args := []string{"--stdout", "-v", o.Voice}
	if o.WordsPerMinute > 0 {
		args = append(args, "-s", fmt.Sprint(o.WordsPerMinute))
	}
	return &Synthesizer{bin: bin, args: append(args, "--stdin"), stdin: true, rate: 22050}, nil
}

// NewAgentVoice is the embedded agent's default voice: flite's kal. It is
// the quickest of flite's voices to first audio (about 15 ms for a short
// clause, 26 ms for a two-sentence offer; espeak-ng, which streams, is
// about as quick), and it is made at the telephone's own 8 kHz, so
// nothing is resampled or cut off on the line. Its diphone sound is plain
// but clear: through the phone channel the recogniser got more of its
// words right than of slt's or awb's, a machine's stand-in for a
// listener. And it is not slt, the demo's caller, so the two sides of a
// demo call sound apart.
func NewAgentVoice() (*Synthesizer, error) { return NewFlite("kal") }

// NewCallerVoice is the simulated caller of the demo and tests: flite's
// slt, the voice pocketsphinx recognises best through a telephone
// channel.
func NewCallerVoice() (*Synthesizer, error) { return NewFlite("slt") }

// Rate is the sample rate of the voice's speech.
func (s *Synthesizer) Rate() int { return s.rate }

// maxText bounds one clause.
const maxText = 4000

// Synthesize starts the engine on text; reading the speech gives samples
// as the engine writes them.
func (s *Synthesizer) Synthesize(ctx context.Context, text string) (voice.Speech, error) {
	text = cleanText(text)
	if s.spell {
		text = spellAcronyms(text)
	}
	if len(text) > maxText {
		return nil, fmt.Errorf("tts: %d bytes of text in one clause (max %d)", len(text), maxText)
	}
	if text == "" {
		return &speech{rate: s.rate, eof: true}, nil
	}
	args := s.args
	cmd := exec.CommandContext(ctx, s.bin)
	if s.stdin {
		cmd.Stdin = strings.NewReader(text)
	} else {
		args = append(append([]string(nil), args...), text)
	}
	cmd.Args = append([]string{s.bin}, args...)
	var stderr tail
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("tts: start %s: %w", s.bin, err)
	}
	return &speech{cmd: cmd, r: bufio.NewReaderSize(out, 8192), rate: s.rate, ctx: ctx}, nil
}

// cleanText drops control characters and a leading dash (which engines
// may read as an option).
func cleanText(text string) string {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text)
	return strings.TrimLeft(strings.TrimSpace(text), "-")
}

// spellAcronyms writes words of 2-5 capitals letter by letter ("MRI" as
// "M R I").
func spellAcronyms(text string) string {
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && unicode.IsUpper(rs[j]) {
			j++
		}
		boundary := (i == 0 || !unicode.IsLetter(rs[i-1])) && (j == len(rs) || !unicode.IsLetter(rs[j]))
		if n := j - i; n >= 2 && n <= 5 && boundary {
			for k := i; k < j; k++ {
				if k > i {
					b.WriteByte(' ')
				}
				b.WriteRune(rs[k])
			}
			i = j
			continue
		}
		if j == i {
			j = i + 1
		}
		b.WriteString(string(rs[i:j]))
		i = j
	}
	return b.String()
}

// speech is one clause being spoken. Read and Close may be called from
// different goroutines (a barge-in closes speech being read).
type speech struct {
	cmd  *exec.Cmd
	r    *bufio.Reader
	ctx  context.Context
	rate int

	// Owned by Read.
	header bool
	eof    bool
	err    error
	odd    []byte // a byte of a sample split across reads

	closed   atomic.Bool
	waitOnce sync.Once
	waitErr  error
}

func (s *speech) Rate() int { return s.rate }

func (s *speech) Read(p []int16) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.eof {
		return 0, io.EOF
	}
	if s.closed.Load() {
		return 0, errSpeechClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !s.header {
		f, err := readWAVHeader(s.r)
		if err != nil {
			return 0, s.finish(fmt.Errorf("tts: %w", err))
		}
		if f.Rate != s.rate || f.Channels != 1 {
			return 0, s.finish(fmt.Errorf("tts: engine wrote %d Hz × %d channels, expected %d Hz mono", f.Rate, f.Channels, s.rate))
		}
		s.header = true
	}
	buf := make([]byte, 2*len(p))
	n := copy(buf, s.odd)
	s.odd = s.odd[:0]
	for n < 2 {
		m, err := s.r.Read(buf[n:])
		n += m
		if err == io.EOF {
			if n >= 2 {
				break
			}
			return 0, s.finish(nil)
		}
		if err != nil {
			return 0, s.finish(fmt.Errorf("tts: %w", err))
		}
	}
	// Take what is buffered without waiting for more.
	if k := min(s.r.Buffered(), len(buf)-n); k > 0 {
		m, _ := s.r.Read(buf[n : n+k])
		n += m
	}
	samples := n / 2
	for i := range samples {
		p[i] = int16(uint16(buf[2*i]) | uint16(buf[2*i+1])<<8)
	}
	if n%2 == 1 {
		s.odd = append(s.odd, buf[n-1])
	}
	return samples, nil
}

var errSpeechClosed = errors.New("tts: speech closed")

func (s *speech) wait() error {
	s.waitOnce.Do(func() { s.waitErr = s.cmd.Wait() })
	return s.waitErr
}

// finish waits for the engine at the end of its output: a failed engine
// is an error, never a short clause.
func (s *speech) finish(err error) error {
	werr := s.wait()
	switch {
	case s.closed.Load():
		err = errSpeechClosed
	case s.ctx.Err() != nil && (err != nil || werr != nil):
		err = fmt.Errorf("tts: %w", s.ctx.Err())
	case err == nil && werr != nil:
		err = fmt.Errorf("tts: %s: %w", s.cmd.Path, werr)
	case err != nil && werr != nil:
		err = fmt.Errorf("%w (%s: %v)", err, s.cmd.Path, werr)
	}
	if err != nil {
		s.err = err
		return err
	}
	s.eof = true
	return io.EOF
}

// Close stops the engine if it is still speaking.
func (s *speech) Close() error {
	if s.cmd == nil || s.closed.Swap(true) {
		return nil
	}
	s.cmd.Process.Kill() // harmless once it has exited
	s.wait()
	return nil
}
