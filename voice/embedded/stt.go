package embedded

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded/clinicmodel"
)

// Recognizer is offline speech-to-text for one clinic: Debian's
// pocketsphinx_continuous with the clinic's language model
// (clinicmodel), one long-lived process per call.
//
// Telephone audio needs care with pocketsphinx's only English model, which
// is 16 kHz wideband: the 8 kHz caller audio is upsampled ×2 with a filter
// flat to 3.6 kHz and faint white noise (about −45 dBFS) is added, because
// the empty 4-8 kHz band otherwise breaks the model (see FIELD-NOTES);
// only the audio around speech is passed on (speechGate); and the model
// starts from the cepstral mean of telephone speech (DefaultCMNInit).
type Recognizer struct {
	model *clinicmodel.Model
	bin   string
	args  []string
	noise int
	pad   int // chunks of silence that end pocketsphinx's utterance
}

// RecognizerOptions tune the recogniser; the zero value is the verified
// recipe.
type RecognizerOptions struct {
	// Binary is pocketsphinx_continuous; default looked up on PATH.
	Binary string
	// HMM is the acoustic model directory; default the binary's own
	// (Debian: /usr/share/pocketsphinx/model/en-us/en-us).
	HMM string
	// NoiseAmplitude is the peak of the added white noise on the 16-bit
	// scale; default 328 (about −45 dBFS). Negative turns it off.
	NoiseAmplitude int
	// PostSpeechFrames is how many 10 ms frames of silence end an
	// utterance for pocketsphinx; default 50. The stream does not wait
	// for pocketsphinx to end an utterance on its own (Transcribe appends
	// the silence itself), so a longer value costs no latency and keeps a
	// caller's pause inside a sentence from splitting it in two.
	PostSpeechFrames int
	// CMNInit is pocketsphinx's starting cepstral mean; default
	// DefaultCMNInit. "-" keeps the acoustic model's own. (The model's
	// feat.params overrides -cmninit on the command line, so the
	// recogniser runs from a copy of the acoustic model directory, made of
	// links and its own feat.params, kept beside the clinic models.)
	CMNInit string
	// VADThreshold is how far above the noise floor pocketsphinx's voice
	// activity detector starts an utterance; default pocketsphinx's own
	// (2). The stream's speechGate already keeps long silences away.
	VADThreshold float64
	// Model says where the clinic model is built and cached.
	Model clinicmodel.Options
}

// DefaultCMNInit is the cepstral mean pocketsphinx settles on for
// telephone speech through this stream (μ-law, upsampled, with the noise
// floor), printed by go test -run TestDeriveCMNInit -args -cmn.derive on
// the development sentences. The model's own starting mean is that of
// wideband speech, far from it (41 against 59 in the first coefficient);
// from it the first utterance of a call, the one that names the
// procedure, began with a spurious word.
const DefaultCMNInit = "58.81,-0.56,-0.87,7.28,-2.01,-4.24,0.21,-4.39,-0.73,-1.30,-0.56,2.06,-1.11"

// ConfidenceThreshold is the per-word confidence below which a word the
// recogniser reports should not be acted on: pocketsphinx forces speech
// it has no words for into clinic words, mostly with low confidence. It
// was chosen on a development set (sentences from the model's templates
// and out-of-vocabulary speech of testdata/dev-oov.txt), not on the
// held-out sentences the accuracy figures come from.
const ConfidenceThreshold = 0.2

// Debian packages the embedded voice needs, for error messages.
const (
	PackagesSTT = "pocketsphinx pocketsphinx-en-us"
	PackagesTTS = "flite espeak-ng"
)

// NewRecognizer builds the clinic's model (or finds it in the cache) and
// checks once that pocketsphinx loads it.
func NewRecognizer(ctx context.Context, clinic *voice.ClinicProfile, opt RecognizerOptions) (*Recognizer, error) {
	m, err := clinicmodel.Build(ctx, clinic, opt.Model)
	if err != nil {
		return nil, fmt.Errorf("embedded recogniser: %w", err)
	}
	return NewRecognizerForModel(ctx, m, opt)
}

// DefaultHMM is where Debian's pocketsphinx-en-us puts the US English
// acoustic model.
const DefaultHMM = "/usr/share/pocketsphinx/model/en-us/en-us"

// acousticModel makes (once) a directory that is the acoustic model src
// with its starting cepstral mean replaced: links to every file but
// feat.params, which is rewritten.
func acousticModel(cacheDir, src, cmninit string) (string, error) {
	if src == "" {
		src = DefaultHMM
	}
	for _, f := range strings.Split(cmninit, ",") {
		if _, err := strconv.ParseFloat(f, 64); err != nil {
			return "", fmt.Errorf("cepstral mean %q: %w", cmninit, err)
		}
	}
	params, err := os.ReadFile(filepath.Join(src, "feat.params"))
	if err != nil {
		return "", fmt.Errorf("acoustic model (Debian package %s): %w", "pocketsphinx-en-us", err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(params), "\n"), "\n") {
		if !strings.HasPrefix(l, "-cmninit ") {
			lines = append(lines, l)
		}
	}
	lines = append(lines, "-cmninit "+cmninit)
	newParams := strings.Join(lines, "\n") + "\n"
	sum := sha256.Sum256([]byte(src + "\x00" + newParams))
	dir := filepath.Join(cacheDir, "acoustic-"+hex.EncodeToString(sum[:8]))
	if b, err := os.ReadFile(filepath.Join(dir, "feat.params")); err == nil && string(b) == newParams {
		return dir, nil
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cacheDir, ".acoustic-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	entries, err := os.ReadDir(src)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Name() == "feat.params" {
			continue
		}
		if err := os.Symlink(filepath.Join(abs, e.Name()), filepath.Join(tmp, e.Name())); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "feat.params"), []byte(newParams), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, err2 := os.Stat(filepath.Join(dir, "feat.params")); err2 == nil {
			return dir, nil // made meanwhile by another process
		}
		return "", err
	}
	return dir, nil
}

// checked remembers models pocketsphinx has loaded once.
var checked sync.Map

// NewRecognizerForModel makes a recogniser for a model already built.
func NewRecognizerForModel(ctx context.Context, m *clinicmodel.Model, opt RecognizerOptions) (*Recognizer, error) {
	bin := opt.Binary
	if bin == "" {
		bin = "pocketsphinx_continuous"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("embedded recogniser: %s not found (Debian packages: %s): %w", bin, PackagesSTT, err)
	}
	r := &Recognizer{model: m, bin: path, noise: opt.NoiseAmplitude}
	if r.noise == 0 {
		r.noise = 328
	}
	post := opt.PostSpeechFrames
	if post <= 0 {
		post = 50
	}
	r.args = []string{"-infile", "/dev/stdin", "-lm", m.LM, "-dict", m.Dict, "-time", "yes",
		"-vad_postspeech", strconv.Itoa(post)}
	if opt.VADThreshold > 0 {
		r.args = append(r.args, "-vad_threshold", strconv.FormatFloat(opt.VADThreshold, 'f', -1, 64))
	}
	hmm := opt.HMM
	if opt.CMNInit != "-" {
		cmn := opt.CMNInit
		if cmn == "" {
			cmn = DefaultCMNInit
		}
		if hmm, err = acousticModel(filepath.Dir(m.Dir), hmm, cmn); err != nil {
			return nil, fmt.Errorf("embedded recogniser: %w", err)
		}
	}
	if hmm != "" {
		r.args = append(r.args, "-hmm", hmm)
	}
	// pad: enough silence for the VAD to end an utterance (post frames
	// plus its own smoothing), in whole chunks.
	r.pad = (post*160*2+pipeChunk-1)/pipeChunk + 2
	key := path + "\x00" + strings.Join(r.args, "\x00")
	if _, ok := checked.Load(key); !ok {
		if err := r.check(ctx); err != nil {
			return nil, err
		}
		checked.Store(key, true)
	}
	return r, nil
}

// Model is the clinic model the recogniser uses.
func (r *Recognizer) Model() *clinicmodel.Model { return r.model }

// check runs pocketsphinx once on a little silence, so a broken model
// fails here with its error rather than later in a call.
func (r *Recognizer) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, r.args...)
	cmd.Stdin = bytes.NewReader(make([]byte, 4*pipeChunk))
	var log tail
	cmd.Stderr = &log
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("embedded recogniser: %s does not start: %w: %s", r.bin, err, log.errors())
	}
	_ = out
	return nil
}

// Open starts pocketsphinx for one call.
func (r *Recognizer) Open(ctx context.Context) (voice.RecognizerStream, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	closeAll := func() {
		for _, f := range []*os.File{inR, inW, outR, outW} {
			f.Close()
		}
	}
	if err := shrinkPipe(inW); err != nil {
		closeAll()
		return nil, fmt.Errorf("embedded recogniser: %w", err)
	}
	s := &stream{
		in: inW, out: outR,
		noise: r.noise, pad: r.pad,
		rng:  rand.New(rand.NewPCG(0x5eed, 0x6e6f697365)),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	s.cmd = exec.Command(r.bin, r.args...)
	s.cmd.Stdin, s.cmd.Stdout, s.cmd.Stderr = inR, outW, &s.log
	if err := s.cmd.Start(); err != nil {
		closeAll()
		return nil, fmt.Errorf("embedded recogniser: start %s: %w", r.bin, err)
	}
	inR.Close()
	outW.Close()
	go s.run()
	// The call's context ends the process too.
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

// maxQueued bounds the caller audio waiting for pocketsphinx (written but
// not yet passed on): a minute of it means pocketsphinx has stopped
// reading.
const maxQueued = 60 * voice.CallerRate

type opKind int

const (
	opAudio opKind = iota
	opTranscribe
	opCommit
)

type op struct {
	kind    opKind
	samples []int16
	reply   chan transcribed
}

type transcribed struct {
	t   voice.Transcript
	err error
}

// stream is one call's pocketsphinx process. Write, Transcribe and Commit
// queue operations; one goroutine (run) feeds them to the process in
// order, so Write never waits on pocketsphinx.
//
// How the stream knows pocketsphinx has dealt with the audio: its stdin
// pipe holds exactly one of its reads (4096 bytes), so a chunk written
// there is accepted only once pocketsphinx has taken the one before, and
// it takes a chunk only after it has processed the previous one and
// flushed any result. Transcribe therefore appends silence (enough for
// pocketsphinx to end the utterance) and two more chunks; when the second
// is accepted, every result for the audio before it is in the stdout pipe,
// which is then read to the end without waiting.
type stream struct {
	cmd   *exec.Cmd
	in    *os.File
	out   *os.File
	log   tail
	noise int
	pad   int

	mu     sync.Mutex
	ops    []op
	queued int
	closed bool
	err    error
	wake   chan struct{}
	done   chan struct{}

	closeOnce sync.Once
	closeErr  error

	// Owned by run.
	rng     *rand.Rand
	gate    speechGate
	gated   []int16
	up      upsampler
	pending []byte
	dirty   bool
	words   []voice.Word
	line    []byte
	buf16   []int16
}

var errClosed = errors.New("embedded recogniser: stream closed")

func (s *stream) Write(samples []int16) error {
	if len(samples) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.err != nil:
		return s.err
	case s.closed:
		return errClosed
	case s.queued+len(samples) > maxQueued:
		return errors.New("embedded recogniser: pocketsphinx is not keeping up (a minute of audio queued)")
	}
	if n := len(s.ops); n > 0 && s.ops[n-1].kind == opAudio {
		s.ops[n-1].samples = append(s.ops[n-1].samples, samples...)
	} else {
		s.ops = append(s.ops, op{kind: opAudio, samples: append([]int16(nil), samples...)})
	}
	s.queued += len(samples)
	s.signal()
	return nil
}

func (s *stream) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *stream) Transcribe(ctx context.Context) (voice.Transcript, error) {
	reply := make(chan transcribed, 1)
	s.mu.Lock()
	switch {
	case s.err != nil:
		s.mu.Unlock()
		return voice.Transcript{}, s.err
	case s.closed:
		s.mu.Unlock()
		return voice.Transcript{}, errClosed
	}
	s.ops = append(s.ops, op{kind: opTranscribe, reply: reply})
	s.signal()
	s.mu.Unlock()
	select {
	case r := <-reply:
		return r.t, r.err
	case <-ctx.Done():
		return voice.Transcript{}, ctx.Err()
	case <-s.done:
		// run may have answered just before it ended.
		select {
		case r := <-reply:
			return r.t, r.err
		default:
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.err != nil {
			return voice.Transcript{}, s.err
		}
		return voice.Transcript{}, errClosed
	}
}

func (s *stream) Commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.err != nil {
		return
	}
	s.ops = append(s.ops, op{kind: opCommit})
	s.signal()
}

// Close ends pocketsphinx: its stdin is closed, it finishes and exits; it
// is killed if it has not within two seconds.
func (s *stream) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.signal()
		s.in.Close() // unblocks a pending write
		<-s.done
		exited := make(chan error, 1)
		go func() { exited <- s.cmd.Wait() }()
		select {
		case <-exited:
		case <-time.After(2 * time.Second):
			s.cmd.Process.Kill()
			<-exited
		}
		s.out.Close()
	})
	return s.closeErr
}

// take waits for queued operations; nil means the stream is closed.
func (s *stream) take() []op {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil
		}
		if len(s.ops) > 0 {
			ops := s.ops
			s.ops = nil
			s.mu.Unlock()
			return ops
		}
		s.mu.Unlock()
		<-s.wake
	}
}

func (s *stream) run() {
	defer close(s.done)
	for {
		ops := s.take()
		if ops == nil {
			return
		}
		for i, o := range ops {
			var err error
			switch o.kind {
			case opAudio:
				err = s.feed(o.samples)
				s.mu.Lock()
				s.queued -= len(o.samples)
				s.mu.Unlock()
			case opTranscribe:
				if err = s.flush(); err == nil {
					o.reply <- transcribed{t: s.transcript()}
				}
			case opCommit:
				if err = s.flush(); err == nil {
					s.words = nil
				}
			}
			if err != nil {
				s.fail(err, ops[i:])
				return
			}
		}
	}
}

// fail records the process's failure and answers the waiting Transcribes.
func (s *stream) fail(err error, rest []op) {
	s.mu.Lock()
	if s.closed {
		err = errClosed
	} else {
		err = fmt.Errorf("embedded recogniser: pocketsphinx failed: %w%s", err, s.log.errors())
	}
	s.err = err
	rest = append(rest, s.ops...)
	s.ops = nil
	s.mu.Unlock()
	for _, o := range rest {
		if o.reply != nil {
			o.reply <- transcribed{err: err}
		}
	}
}

// feed passes caller audio around speech (speechGate) on, upsampled to
// 16 kHz with the noise floor added, in whole chunks.
func (s *stream) feed(samples []int16) error {
	s.gated = s.gate.write(samples, s.gated[:0])
	if len(s.gated) == 0 {
		return nil
	}
	s.buf16 = s.up.write(s.gated, s.buf16[:0])
	s.dirty = true
	return s.writePCM(s.buf16)
}

func (s *stream) writePCM(pcm []int16) error {
	for _, v := range pcm {
		if s.noise > 0 {
			v = clamp16(float64(v) + float64(s.rng.IntN(2*s.noise+1)-s.noise))
		}
		s.pending = append(s.pending, byte(v), byte(uint16(v)>>8))
	}
	for len(s.pending) >= pipeChunk {
		if err := s.writeChunk(s.pending[:pipeChunk]); err != nil {
			return err
		}
		s.pending = append(s.pending[:0], s.pending[pipeChunk:]...)
	}
	return nil
}

// writeChunk writes one chunk (accepted once pocketsphinx has taken the
// previous one) and reads whatever results it printed meanwhile.
func (s *stream) writeChunk(b []byte) error {
	if _, err := s.in.Write(b); err != nil {
		return err
	}
	return s.drain()
}

// flush makes pocketsphinx finish everything written so far: the
// upsampler's look-ahead and the partial chunk, silence to end its
// utterance, then two chunks to know it has.
func (s *stream) flush() error {
	if !s.dirty {
		return s.drain()
	}
	s.buf16 = s.up.write(make([]int16, halfTaps), s.buf16[:0])
	silence := (pipeChunk - len(s.pending)%pipeChunk) / 2
	silence += (s.pad + 2) * pipeChunk / 2
	s.buf16 = append(s.buf16, make([]int16, silence)...)
	if err := s.writePCM(s.buf16); err != nil {
		return err
	}
	s.dirty = false
	return s.drain()
}

// drain reads pocketsphinx's results that are in the pipe, without
// waiting for more.
func (s *stream) drain() error {
	rc, err := s.out.SyscallConn()
	if err != nil {
		return err
	}
	var buf [4096]byte
	for {
		var n int
		var rerr error
		if err := rc.Read(func(fd uintptr) bool {
			n, rerr = unix.Read(int(fd), buf[:])
			return true
		}); err != nil {
			return err
		}
		switch {
		case rerr == unix.EAGAIN:
			return nil
		case rerr == unix.EINTR:
			continue
		case rerr != nil:
			return rerr
		case n == 0:
			return io.ErrUnexpectedEOF
		}
		s.parse(buf[:n])
	}
}

// parse reads pocketsphinx's output lines. With -time yes each utterance
// is a line with the hypothesis, then one line per segment: "word start
// end confidence" (word with "(2)" for an alternative pronunciation;
// <s>, </s>, <sil> and [NOISE]-style fillers among them). Empty
// utterances print an empty hypothesis.
func (s *stream) parse(b []byte) {
	s.line = append(s.line, b...)
	for {
		i := bytes.IndexByte(s.line, '\n')
		if i < 0 {
			return
		}
		if w, ok := parseSegment(string(s.line[:i])); ok {
			s.words = append(s.words, w)
		}
		s.line = append(s.line[:0], s.line[i+1:]...)
	}
}

// parseSegment reads one segment line; hypothesis lines and fillers
// answer false.
func parseSegment(line string) (voice.Word, bool) {
	f := strings.Fields(line)
	if len(f) != 4 {
		return voice.Word{}, false
	}
	for _, x := range f[1:3] {
		if _, err := strconv.ParseFloat(x, 64); err != nil {
			return voice.Word{}, false
		}
	}
	conf, err := strconv.ParseFloat(f[3], 64)
	if err != nil {
		return voice.Word{}, false
	}
	w := f[0]
	if i := strings.IndexByte(w, '('); i > 0 {
		w = w[:i]
	}
	if w == "" || w[0] == '<' || w[0] == '[' || w[0] == '+' {
		return voice.Word{}, false
	}
	return voice.Word{Text: w, Confidence: min(max(conf, 0), 1)}, true
}

func (s *stream) transcript() voice.Transcript {
	t := voice.Transcript{Final: true, Confidence: 1, Words: append([]voice.Word(nil), s.words...)}
	if len(s.words) > 0 {
		var texts []string
		var sum float64
		for _, w := range s.words {
			texts = append(texts, w.Text)
			sum += w.Confidence
		}
		t.Text = strings.Join(texts, " ")
		t.Confidence = sum / float64(len(s.words))
	}
	return t
}

// tail keeps pocketsphinx's error lines (its log also holds what it
// recognised, which is personal data and never kept).
type tail struct {
	mu   sync.Mutex
	buf  []byte
	errs []string
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	for {
		i := bytes.IndexByte(t.buf, '\n')
		if i < 0 {
			break
		}
		line := string(t.buf[:i])
		t.buf = t.buf[i+1:]
		if strings.HasPrefix(line, "ERROR") || strings.HasPrefix(line, "FATAL") {
			if len(t.errs) == 8 {
				t.errs = t.errs[1:]
			}
			t.errs = append(t.errs, line)
		}
	}
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

func (t *tail) errors() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) == 0 {
		return ""
	}
	return ": " + strings.Join(t.errs, "; ")
}
