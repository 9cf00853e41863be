package embedded

import (
	"context"
	"errors"
	"io"
	"math"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestSynthesizers(t *testing.T) {
	needBinaries(t)
	flite := func(v string) func() (*Synthesizer, error) {
		return func() (*Synthesizer, error) { return NewFlite(v) }
	}
	for _, tc := range []struct {
		name string
		make func() (*Synthesizer, error)
		rate int
	}{
		{"flite kal", flite("kal"), 8000},
		{"flite slt", flite("slt"), 16000},
		{"flite awb", flite("awb"), 16000},
		{"espeak-ng", func() (*Synthesizer, error) { return NewEspeak(EspeakOptions{}) }, 22050},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			pcm, rate := speak(t, s, "Which day would suit you?")
			if rate != tc.rate || s.Rate() != tc.rate {
				t.Fatalf("rate %d, want %d", rate, tc.rate)
			}
			// About a second of speech, and not silence.
			dur := float64(len(pcm)) / float64(rate)
			if dur < 0.6 || dur > 4 {
				t.Errorf("%.2f s of speech", dur)
			}
			if r := rms(pcm); r < 300 {
				t.Errorf("rms %.0f: silence?", r)
			}
			// A longer text gives longer speech.
			long, _ := speak(t, s, "Which day would suit you? I have Tuesday at half past ten with Doctor Okafor.")
			if len(long) < 2*len(pcm) {
				t.Errorf("long text: %d samples, short: %d", len(long), len(pcm))
			}
		})
	}
}

func rms(pcm []int16) float64 {
	var sum float64
	for _, v := range pcm {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(max(len(pcm), 1)))
}

func TestSynthesizeEdges(t *testing.T) {
	needBinaries(t)
	s, err := NewFlite("kal")
	if err != nil {
		t.Fatal(err)
	}
	// Nothing to say: no process, immediate EOF.
	sp, err := s.Synthesize(context.Background(), " \n\t ")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := sp.Read(make([]int16, 10)); n != 0 || err != io.EOF {
		t.Errorf("empty text: %d, %v", n, err)
	}
	// Options-looking text is spoken, not parsed as an option.
	pcm, _ := speak(t, s, "-voice slt hello")
	if len(pcm) == 0 {
		t.Error("dash text: no speech")
	}
	if _, err := s.Synthesize(context.Background(), strings.Repeat("a ", 3000)); err == nil {
		t.Error("huge text: no error")
	}
	if _, err := NewFlite("nobody"); err == nil {
		t.Error("unknown voice: no error")
	}
	if _, err := NewEspeak(EspeakOptions{Voice: "--help"}); err == nil {
		t.Error("option as a voice: no error")
	}

	// Closing mid-speech kills the engine; reads then fail.
	sp, err = s.Synthesize(context.Background(), strings.Repeat("This is a long sentence to speak. ", 40))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]int16, 160)
	if _, err := sp.Read(buf); err != nil {
		t.Fatal(err)
	}
	sp.Close()
	if _, err := sp.Read(buf); err == nil {
		t.Error("read after close: no error")
	}
	if err := sp.Close(); err != nil {
		t.Error(err)
	}

	// A cancelled context stops the engine.
	ctx, cancel := context.WithCancel(context.Background())
	sp, err = s.Synthesize(ctx, strings.Repeat("This is a long sentence to speak. ", 40))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	var rerr error
	for rerr == nil {
		_, rerr = sp.Read(buf)
	}
	if rerr == io.EOF || !errors.Is(rerr, context.Canceled) {
		t.Errorf("cancelled speech ended with %v, want context.Canceled", rerr)
	}
	sp.Close()
}

// An engine that fails is an error, never audio.
func TestSynthesizeEngineFailure(t *testing.T) {
	bin, err := exec.LookPath("false")
	if err != nil {
		t.Fatal(err)
	}
	s := &Synthesizer{bin: bin, rate: 8000}
	sp, err := s.Synthesize(context.Background(), "hello")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.Read(make([]int16, 10)); err == nil || err == io.EOF {
		t.Errorf("failing engine: %v", err)
	}
	// An engine writing something other than WAV.
	echo, _ := exec.LookPath("echo")
	s = &Synthesizer{bin: echo, rate: 8000}
	sp, _ = s.Synthesize(context.Background(), "this is not a wav file at all, just text")
	if _, err := sp.Read(make([]int16, 10)); err == nil || err == io.EOF {
		t.Errorf("non-WAV output: %v", err)
	}
}

// BenchmarkFirstAudio measures the time from Synthesize to the first
// samples of a short clause, per voice: the TTS share of a turn's latency.
func BenchmarkFirstAudio(b *testing.B) {
	needBinaries(b)
	for _, v := range []struct {
		name string
		make func() (*Synthesizer, error)
	}{
		{"flite-kal", func() (*Synthesizer, error) { return NewFlite("kal") }},
		{"flite-slt", func() (*Synthesizer, error) { return NewFlite("slt") }},
		{"flite-awb", func() (*Synthesizer, error) { return NewFlite("awb") }},
		{"espeak-ng", func() (*Synthesizer, error) { return NewEspeak(EspeakOptions{}) }},
	} {
		for _, text := range []struct{ name, text string }{
			{"short", "Which day would suit you?"},
			{"long", "I have Tuesday the fourteenth of March at half past ten with Doctor Okafor, or eleven o'clock with Doctor Hughes. Which would you like?"},
		} {
			b.Run(v.name+"/"+text.name, func(b *testing.B) {
				s, err := v.make()
				if err != nil {
					b.Fatal(err)
				}
				var firsts []time.Duration
				buf := make([]int16, 160)
				for b.Loop() {
					start := time.Now()
					sp, err := s.Synthesize(context.Background(), text.text)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := sp.Read(buf); err != nil {
						b.Fatal(err)
					}
					firsts = append(firsts, time.Since(start))
					for err == nil {
						_, err = sp.Read(buf)
					}
					sp.Close()
				}
				sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
				b.ReportMetric(float64(firsts[len(firsts)/2].Microseconds())/1000, "ms-first-p50")
				b.ReportMetric(float64(firsts[len(firsts)*95/100].Microseconds())/1000, "ms-first-p95")
			})
		}
	}
}

func TestSpellAcronyms(t *testing.T) {
	for in, want := range map[string]string{
		"An MRI scan of the knee.": "An M R I scan of the knee.",
		"NHS, GP and ECG":          "N H S, G P and E C G",
		"I can book it":            "I can book it",
		"OKAFOR":                   "OKAFOR",
		"Dr Okafor":                "Dr Okafor",
		"ÉCG":                      "É C G",
	} {
		if got := spellAcronyms(in); got != want {
			t.Errorf("spellAcronyms(%q) = %q, want %q", in, got, want)
		}
	}
}
