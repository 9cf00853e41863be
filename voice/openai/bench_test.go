package openai

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice"
	"github.com/frontdesk/frontdesk/voice/openaifake"
)

// The benchmarks measure what this package adds on top of the servers:
// the fake answers at once, so each figure is the provider's own overhead
// (HTTP on loopback, JSON, SSE parsing, goroutine hand-offs), reported as
// p50/p95 in milliseconds besides ns/op.
//
//	go test -run '^$' -bench . -benchtime 300x ./voice/openai/

func reportPercentiles(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), name+"_p50_ms")
	b.ReportMetric(at(0.95), name+"_p95_ms")
}

// BenchmarkAgentFirstText: Respond to the first Text event.
func BenchmarkAgentFirstText(b *testing.B) {
	fake := openaifake.New(openaifake.Options{})
	srv := serveBench(b, fake)
	factory, err := NewAgentFactory(Config{BaseURL: srv + "/v1"})
	if err != nil {
		b.Fatal(err)
	}
	agent, err := factory(testClinic)
	if err != nil {
		b.Fatal(err)
	}
	tools := newBookTools(time.UTC, testNow)
	in := voice.AgentInput{History: []voice.Message{{Role: voice.RoleCaller, Text: "When are you open?"}}, Now: testNow, Tools: tools}
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		var first time.Duration
		for ev := range agent.Respond(context.Background(), in) {
			if ev.Text != "" && first == 0 {
				first = time.Since(start)
			}
			if ev.Err != nil {
				b.Fatal(ev.Err)
			}
		}
		ds = append(ds, first)
	}
	reportPercentiles(b, "first_text", ds)
}

// BenchmarkSpeechFirstAudio: Synthesize to the first samples read.
func BenchmarkSpeechFirstAudio(b *testing.B) {
	fake := openaifake.New(openaifake.Options{})
	srv := serveBench(b, fake)
	syn, err := NewSynthesizer(Config{BaseURL: srv + "/v1"})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]int16, 480)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		sp, err := syn.Synthesize(context.Background(), "I have half past nine on Tuesday.")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sp.Read(buf); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		for {
			if _, err := sp.Read(buf); err != nil {
				break
			}
		}
		sp.Close()
	}
	reportPercentiles(b, "first_audio", ds)
}

// BenchmarkTranscribe: a two-second utterance's upload and answer.
func BenchmarkTranscribe(b *testing.B) {
	fake := openaifake.New(openaifake.Options{Transcribe: func(openaifake.TranscriptionRequest) openaifake.TranscriptionReply {
		return openaifake.TranscriptionReply{Text: "a check-up on Tuesday please"}
	}})
	srv := serveBench(b, fake)
	rec, err := NewRecognizer(Config{BaseURL: srv + "/v1"})
	if err != nil {
		b.Fatal(err)
	}
	stream, err := rec.Open(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer stream.Close()
	audio := caller(2*voice.CallerRate, 0)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		stream.Commit()
		if err := stream.Write(audio); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := stream.Transcribe(context.Background()); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	reportPercentiles(b, "transcribe", ds)
}
