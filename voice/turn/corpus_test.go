package turn

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/audio"
)

// The evaluation corpus: caller audio as a phone line carries it (8 kHz,
// μ-law), with the truth of where speech is and what was said.
//
// Speech comes from two places: voice/audio's generator (seeded) and
// recorded text-to-speech, flite's voices (and espeak-ng's as the agent's
// echo), which this package's detectors were not built from. Tests need
// flite and espeak-ng installed (make test installs them).

// segment is one stretch of speech and its words ("" when generated).
type segment struct {
	pcm  []int16 // 8 kHz, trimmed to the speech
	text string
}

// clip is a scenario's audio with its truth.
type clip struct {
	name  string
	pcm   []int16
	spans [][2]time.Duration // true speech, in order
	texts []string           // words of each span
	// For barge-in clips: what the caller does over the agent.
	kind string // "speech", "backchannel", "cough", or "" for plain utterances / noise
}

var (
	ttsDir  string
	ttsOnce sync.Once
	ttsErr  error
	ttsMu   sync.Mutex
	ttsMemo = map[string][]int16{}
	ttsSem  = make(chan struct{}, 2)
)

func TestMain(m *testing.M) {
	code := m.Run()
	if ttsDir != "" {
		os.RemoveAll(ttsDir)
	}
	os.Exit(code)
}

// tts renders text with flite (voice "flite/NAME") or espeak-ng (voice
// "espeak/NAME", through --stdout, whose WAV header has no length), and
// returns it at 8 kHz, trimmed to the speech.
func tts(t testing.TB, voice, text string) []int16 {
	t.Helper()
	pcm, err := render(voice, text)
	if err != nil {
		t.Fatal(err)
	}
	return pcm
}

func render(voice, text string) ([]int16, error) {
	key := voice + "|" + text
	ttsMu.Lock()
	if pcm, ok := ttsMemo[key]; ok {
		ttsMu.Unlock()
		return pcm, nil
	}
	ttsMu.Unlock()
	ttsOnce.Do(func() { ttsDir, ttsErr = os.MkdirTemp("", "turn-tts-") })
	if ttsErr != nil {
		return nil, ttsErr
	}
	ttsSem <- struct{}{}
	defer func() { <-ttsSem }()

	engine, name, _ := cutString(voice, "/")
	var wav []byte
	switch engine {
	case "flite":
		if _, err := exec.LookPath("flite"); err != nil {
			return nil, fmt.Errorf("flite is not installed (Debian: apt-get install flite; make test installs it): %w", err)
		}
		out := filepath.Join(ttsDir, fmt.Sprintf("%x.wav", fnv(key)))
		if b, err := exec.Command("flite", "-voice", name, "-t", text, "-o", out).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("flite %s: %w: %s", name, err, b)
		}
		var err error
		if wav, err = os.ReadFile(out); err != nil {
			return nil, err
		}
	case "espeak":
		if _, err := exec.LookPath("espeak-ng"); err != nil {
			return nil, fmt.Errorf("espeak-ng is not installed (Debian: apt-get install espeak-ng; make test installs it): %w", err)
		}
		var stderr bytes.Buffer
		cmd := exec.Command("espeak-ng", "-v", name, "--stdout", text)
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("espeak-ng %s: %w: %s", name, err, stderr.Bytes())
		}
		wav = b
	default:
		return nil, fmt.Errorf("unknown voice %q", voice)
	}
	pcm, rate, channels, err := audio.DecodeWAV(wav)
	if err != nil || channels != 1 {
		return nil, fmt.Errorf("%s: %v (%d channels)", voice, err, channels)
	}
	if rate != 8000 {
		r, err := audio.NewResampler(rate, 8000)
		if err != nil {
			return nil, err
		}
		pcm = r.Flush(r.Resample(nil, pcm))
	}
	pcm = trimToSpeech(pcm)
	if len(pcm) == 0 {
		return nil, fmt.Errorf("%s said nothing for %q", voice, text)
	}
	ttsMu.Lock()
	ttsMemo[key] = pcm
	ttsMu.Unlock()
	return pcm, nil
}

func cutString(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// trimToSpeech cuts a clean recording to its speech: from the first to
// the last 10 ms frame within 40 dB of the loudest (and over -55 dBFS).
// That is the truth the detectors are measured against.
func trimToSpeech(pcm []int16) []int16 {
	const n = 80
	peak := -100.0
	for i := 0; i+n <= len(pcm); i += n {
		peak = math.Max(peak, audio.DBFS(pcm[i:i+n]))
	}
	thr := math.Max(peak-40, -55)
	first, last := -1, -1
	for i := 0; i+n <= len(pcm); i += n {
		if audio.DBFS(pcm[i:i+n]) >= thr {
			if first < 0 {
				first = i
			}
			last = i + n
		}
	}
	if first < 0 {
		return nil
	}
	return append([]int16(nil), pcm[first:last]...)
}

// scaled returns a copy of pcm at an RMS of dbfs.
func scaled(pcm []int16, dbfs float64) []int16 {
	out := append([]int16(nil), pcm...)
	audio.Gain(out, dbfs-audio.DBFS(pcm))
	return out
}

// background is a line's noise: digital silence, white, pink, or hum
// under pink, at level dBFS.
func background(rng *rand.Rand, kind int, d time.Duration, level float64) []int16 {
	seed := rng.Uint64()
	switch kind {
	case 0:
		return audio.Silence(rate, d)
	case 1:
		return audio.WhiteNoise(seed, rate, d, level)
	case 2:
		return audio.PinkNoise(seed, rate, d, level)
	default:
		x := audio.PinkNoise(seed, rate, d, level-3)
		audio.Mix(x, audio.Hum(rate, []float64{50, 60}[rng.IntN(2)], d, level-3))
		return x
	}
}

func dur(n int) time.Duration { return time.Duration(n) * time.Second / rate }

// utterance lays segments out as one caller turn: lead-in, the segments
// with pauses between them, a long tail, all over a line's noise.
func utterance(name string, rng *rand.Rand, segs []segment, pauses []time.Duration) clip {
	level := -32 + 16*rng.Float64()
	noiseKind := rng.IntN(4)
	noiseLevel := -68 + 23*rng.Float64() // -68 to -45 dBFS
	var pcm []int16
	c := clip{name: name}
	pcm = append(pcm, audio.Silence(rate, time.Duration(600+rng.IntN(600))*time.Millisecond)...)
	for i, s := range segs {
		if i > 0 {
			pcm = append(pcm, audio.Silence(rate, pauses[i-1])...)
		}
		start := dur(len(pcm))
		pcm = append(pcm, scaled(s.pcm, level+3*(rng.Float64()-0.5))...)
		c.spans = append(c.spans, [2]time.Duration{start, dur(len(pcm))})
		c.texts = append(c.texts, s.text)
	}
	pcm = append(pcm, audio.Silence(rate, 2500*time.Millisecond)...)
	audio.Mix(pcm, background(rng, noiseKind, dur(len(pcm)), noiseLevel))
	c.pcm = phone(pcm)
	return c
}

// overAgent puts a caller's event over the agent's echo: agent speech
// (what the phone's echo canceller leaves, -55 to -42 dBFS) from the
// start, the caller's event at 1.5 s, over a line's noise.
func overAgent(name, kind string, rng *rand.Rand, agent []int16, caller []int16, callerLevel float64) clip {
	total := 1500*time.Millisecond + dur(len(caller)) + 1500*time.Millisecond
	pcm := audio.Silence(rate, total)
	echo := scaled(agent, -55+13*rng.Float64())
	for len(echo) < len(pcm) {
		echo = append(echo, echo...)
	}
	audio.Mix(pcm, echo)
	audio.Mix(pcm, background(rng, rng.IntN(4), total, -68+18*rng.Float64()))
	at := audio.Samples(rate, 1500*time.Millisecond)
	audio.Mix(pcm[at:], scaled(caller, callerLevel))
	return clip{name: name, kind: kind, pcm: phone(pcm),
		spans: [][2]time.Duration{{dur(at), dur(at + len(caller))}}, texts: []string{""}}
}

// noiseOnly is a line with nobody speaking.
func noiseOnly(name string, rng *rand.Rand, kind int, level float64) clip {
	return clip{name: name, pcm: phone(background(rng, kind, 8*time.Second, level))}
}
