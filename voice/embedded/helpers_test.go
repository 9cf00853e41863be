package embedded

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zaf/g711"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/embedded/clinicmodel"
)

// needBinaries fails (never skips) when the Debian packages are missing:
// make test installs them.
func needBinaries(t testing.TB) {
	t.Helper()
	for bin, pkg := range map[string]string{
		"pocketsphinx_continuous": "pocketsphinx",
		"flite":                   "flite",
		"espeak-ng":               "espeak-ng",
	} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is missing: install the Debian packages %s %s (make test does): %v", bin, PackagesSTT, PackagesTTS, err)
		}
		_ = pkg
	}
	if _, err := os.Stat(clinicmodel.DefaultCMUDict[0]); err != nil {
		t.Fatalf("the pocketsphinx English model is missing: install the Debian package pocketsphinx-en-us (make test does): %v", err)
	}
}

func demoClinics(t testing.TB) []voice.ClinicProfile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "demo-clinics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []voice.ClinicProfile
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// testCache is one model cache for the package's tests.
var testCache = sync.OnceValue(func() string {
	d, err := os.MkdirTemp("", "frontdesk-embedded-test-")
	if err != nil {
		panic(err)
	}
	return d
})

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(testCache())
	os.Exit(code)
}

// recognizerFor builds the recogniser of a demo clinic (0 Northgate, 1
// Riverside).
func recognizerFor(t testing.TB, clinic int) *Recognizer {
	t.Helper()
	needBinaries(t)
	c := demoClinics(t)[clinic]
	r, err := NewRecognizer(context.Background(), &c, RecognizerOptions{CMNInit: *cmnInit, VADThreshold: *vadThreshold, Model: clinicmodel.Options{
		CacheDir: testCache(), GeneralWords: *modelGeneral, GeneralWeight: *modelGamma}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// speak synthesises text and answers all of its samples and their rate.
func speak(t testing.TB, s voice.Synthesizer, text string) ([]int16, int) {
	t.Helper()
	sp, err := s.Synthesize(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	var out []int16
	buf := make([]int16, 1024)
	for {
		n, err := sp.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, sp.Rate()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// telephone passes speech through what a phone call does to it: down to
// 8 kHz (from 16 kHz) and through μ-law, as Twilio carries it.
func telephone(t testing.TB, samples []int16, rate int) []int16 {
	t.Helper()
	switch rate {
	case 8000:
	case 16000:
		samples = downsample2(samples)
	default:
		t.Fatalf("telephone: %d Hz", rate)
	}
	lin := make([]byte, 2*len(samples))
	for i, v := range samples {
		lin[2*i], lin[2*i+1] = byte(v), byte(uint16(v)>>8)
	}
	back := g711.DecodeUlaw(g711.EncodeUlaw(lin))
	out := make([]int16, len(back)/2)
	for i := range out {
		out[i] = int16(uint16(back[2*i]) | uint16(back[2*i+1])<<8)
	}
	return out
}

// callerSays is a caller's utterance on the phone line: speech between a
// little line silence, as Twilio frames deliver it.
func callerSays(t testing.TB, voiceName, text string) []int16 {
	t.Helper()
	s, err := NewFlite(voiceName)
	if err != nil {
		t.Fatal(err)
	}
	pcm, rate := speak(t, s, text)
	line := telephone(t, pcm, rate)
	out := make([]int16, voice.CallerRate/5) // 200 ms before
	out = append(out, line...)
	return append(out, make([]int16, voice.CallerRate*3/10)...) // 300 ms after, as an endpointer waits
}

// writeFrames writes audio in 20 ms frames, as the WebSocket reader does.
func writeFrames(t testing.TB, s voice.RecognizerStream, pcm []int16) {
	t.Helper()
	for i := 0; i < len(pcm); i += voice.FrameSamples {
		if err := s.Write(pcm[i:min(i+voice.FrameSamples, len(pcm))]); err != nil {
			t.Fatal(err)
		}
	}
}
