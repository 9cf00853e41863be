package pii

import (
	"testing"
)

// BenchmarkDetect measures utterances per second on one goroutine over the
// presidio sentences (run with -cpu 1 for the one-core figure).
func BenchmarkDetect(b *testing.B) { benchmarkDetect(b, Options{}) }

// BenchmarkDetectRulesOnly is the same without the tagger and verifier,
// to show what the learned parts cost.
func BenchmarkDetectRulesOnly(b *testing.B) { benchmarkDetect(b, Options{RulesOnly: true}) }

func benchmarkDetect(b *testing.B, opts Options) {
	samples, err := loadSamples(presidioPath(b))
	if err != nil {
		b.Fatal(err)
	}
	d := NewDetector(opts)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		d.Detect(samples[n%len(samples)].Text)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "utterances/s")
}
