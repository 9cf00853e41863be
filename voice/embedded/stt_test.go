package embedded

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice"
)

func TestRecognizerStream(t *testing.T) {
	r := recognizerFor(t, 0)
	st, err := r.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()

	// Nothing said yet: an empty transcript, not an error.
	tr, err := st.Transcribe(ctx)
	if err != nil || tr.Text != "" || len(tr.Words) != 0 {
		t.Fatalf("empty stream: %+v, %v", tr, err)
	}
	// Silence alone is no words either.
	writeFrames(t, st, make([]int16, voice.CallerRate))
	if tr, err = st.Transcribe(ctx); err != nil || tr.Text != "" {
		t.Fatalf("silence: %+v, %v", tr, err)
	}
	st.Commit()

	writeFrames(t, st, callerSays(t, "slt", "could I see doctor okafor tomorrow morning"))
	first, err := st.Transcribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"doctor", "okafor", "tomorrow", "morning"} {
		if !strings.Contains(first.Text, w) {
			t.Errorf("heard %q, missing %q", first.Text, w)
		}
	}
	if !first.Final || len(first.Words) < 4 || first.Confidence <= 0 || first.Confidence > 1 {
		t.Errorf("transcript %+v", first)
	}
	for _, w := range first.Words {
		if w.Confidence < 0 || w.Confidence > 1 || strings.ContainsAny(w.Text, "()<>[]") {
			t.Errorf("word %+v", w)
		}
	}
	// Asking again without new audio answers the same.
	again, err := st.Transcribe(ctx)
	if err != nil || again.Text != first.Text {
		t.Errorf("second Transcribe: %q, %v; first %q", again.Text, err, first.Text)
	}

	// After Commit only the next utterance counts.
	st.Commit()
	writeFrames(t, st, callerSays(t, "slt", "the second one please"))
	second, err := st.Transcribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(second.Text, "okafor") || !strings.Contains(second.Text, "second") {
		t.Errorf("after Commit: %q", second.Text)
	}

	// A speculative Transcribe on a pause, then the caller goes on: the
	// utterance is everything since the last Commit.
	st.Commit()
	writeFrames(t, st, callerSays(t, "slt", "a blood test"))
	part, err := st.Transcribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	writeFrames(t, st, callerSays(t, "slt", "with doctor hughes"))
	whole, err := st.Transcribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(part.Text, "blood") || !strings.Contains(whole.Text, "blood") || !strings.Contains(whole.Text, "hughes") {
		t.Errorf("speculative %q, then whole %q", part.Text, whole.Text)
	}

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Write(make([]int16, 160)); err == nil {
		t.Error("Write after Close: no error")
	}
	if _, err := st.Transcribe(ctx); err == nil {
		t.Error("Transcribe after Close: no error")
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// Write never waits for pocketsphinx: a process that reads nothing still
// lets the caller's audio be queued, up to a bound.
func TestWriteDoesNotBlock(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	r := &Recognizer{bin: sleep, args: []string{"60"}, noise: 328, pad: 4}
	st, err := r.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done := make(chan error, 1)
	go func() {
		// Tone bursts, which the speech gate takes for speech.
		frame := sine(400, voice.CallerRate, voice.FrameSamples, 8000)
		quiet := make([]int16, voice.FrameSamples)
		n := 0
		// 50 s of audio, far more than the pipe holds.
		next := func() []int16 {
			n++
			if n%10 < 3 {
				return quiet
			}
			return frame
		}
		for range 50 * voice.CallerRate / voice.FrameSamples {
			if err := st.Write(next()); err != nil {
				done <- err
				return
			}
		}
		// Past a minute the stream refuses rather than growing.
		for range 20 * voice.CallerRate / voice.FrameSamples {
			if err := st.Write(next()); err != nil {
				done <- nil
				return
			}
		}
		done <- errors.New("no error after 70 s of unread audio")
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second): // a deadlock guard, not a speed check
		t.Fatal("Write blocked")
	}
	// Transcribe waits on the process, and gives up with its context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.Transcribe(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Transcribe with a cancelled context: %v", err)
	}
}

// A recogniser process that dies makes the stream fail, never hang.
func TestRecognizerProcessDies(t *testing.T) {
	r := recognizerFor(t, 0)
	st, err := r.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.(*stream).cmd.Process.Kill()
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		werr = st.Write(make([]int16, voice.FrameSamples*10))
		if werr == nil {
			_, werr = st.Transcribe(context.Background())
		}
	}
	if werr == nil {
		t.Fatal("a dead recogniser gave no error")
	}
}

// The call's context ends the process.
func TestRecognizerContextEndsStream(t *testing.T) {
	r := recognizerFor(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := r.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	<-st.(*stream).done
	if err := st.Write(make([]int16, 160)); err == nil {
		t.Error("Write after the call's context ended: no error")
	}
}

func TestRecognizerConcurrentUse(t *testing.T) {
	r := recognizerFor(t, 1)
	st, err := r.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pcm := callerSays(t, "awb", "a root canal with doctor patel")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		writeFrames(t, st, pcm)
	}()
	for range 5 {
		if _, err := st.Transcribe(context.Background()); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	tr, err := st.Transcribe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tr.Text, "canal") {
		t.Errorf("heard %q", tr.Text)
	}
}

func TestNewRecognizerErrors(t *testing.T) {
	needBinaries(t)
	m := recognizerFor(t, 0).Model()
	if _, err := NewRecognizerForModel(context.Background(), m, RecognizerOptions{Binary: "no-such-pocketsphinx"}); err == nil ||
		!strings.Contains(err.Error(), PackagesSTT) {
		t.Errorf("missing binary: %v", err)
	}
	bad := *m
	bad.LM = m.LM + ".missing"
	if _, err := NewRecognizerForModel(context.Background(), &bad, RecognizerOptions{}); err == nil {
		t.Error("missing language model: no error")
	}
	if _, err := NewRecognizer(context.Background(), nil, RecognizerOptions{}); err == nil {
		t.Error("nil clinic: no error")
	}
}

func TestParseSegment(t *testing.T) {
	for _, tc := range []struct {
		line string
		ok   bool
		want voice.Word
	}{
		{"tuesday(2) 1.280 1.440 0.080011", true, voice.Word{Text: "tuesday", Confidence: 0.080011}},
		{"okafor 1.620 2.010 1.000100", true, voice.Word{Text: "okafor", Confidence: 1}},
		{"<s> 0.000 0.700 0.998201", false, voice.Word{}},
		{"</s> 4.350 4.730 1.000000", false, voice.Word{}},
		{"<sil> 2.080 2.100 0.136159", false, voice.Word{}},
		{"[NOISE] 2.080 2.100 0.136159", false, voice.Word{}},
		{"i need a blood", false, voice.Word{}},
		{"yes no maybe 0.5", false, voice.Word{}},
		{"", false, voice.Word{}},
	} {
		got, ok := parseSegment(tc.line)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseSegment(%q) = %+v, %v", tc.line, got, ok)
		}
	}
}

// BenchmarkTranscribeAfterSpeech measures what the recogniser adds to a
// turn: caller audio is written in real time (20 ms frames, paced), and
// the clock runs from the end of the speech audio to Transcribe's answer.
// The session calls Transcribe once its endpointer has heard some
// silence; the figure here is Transcribe alone, with the 300 ms of
// silence after speech already written.
func BenchmarkTranscribeAfterSpeech(b *testing.B) {
	r := recognizerFor(b, 0)
	st, err := r.Open(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	utterances := [][]int16{
		callerSays(b, "slt", "I would like to book a blood test please"),
		callerSays(b, "slt", "next Tuesday in the morning"),
		callerSays(b, "slt", "yes please"),
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		pcm := utterances[i%len(utterances)]
		i++
		tick := time.NewTicker(20 * time.Millisecond)
		for k := 0; k < len(pcm); k += voice.FrameSamples {
			<-tick.C
			if err := st.Write(pcm[k:min(k+voice.FrameSamples, len(pcm))]); err != nil {
				b.Fatal(err)
			}
		}
		tick.Stop()
		start := time.Now()
		if _, err := st.Transcribe(context.Background()); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		st.Commit()
	}
	reportLatency(b, lat, "transcribe")
}

func reportLatency(b *testing.B, lat []time.Duration, name string) {
	if len(lat) == 0 {
		return
	}
	s := append([]time.Duration(nil), lat...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	b.ReportMetric(float64(s[len(s)/2].Microseconds())/1000, "ms-"+name+"-p50")
	b.ReportMetric(float64(s[len(s)*95/100].Microseconds())/1000, "ms-"+name+"-p95")
	b.ReportMetric(float64(s[len(s)-1].Microseconds())/1000, "ms-"+name+"-max")
}
