package audio

import (
	"fmt"
	"testing"
	"time"
)

// The per-frame paths: one 20 ms frame each.

func BenchmarkDecodeMulawFrame(b *testing.B) {
	frame := EncodeMulaw(nil, Speech(1, 8000, 20*time.Millisecond, -20))
	pcm := make([]int16, 0, 160)
	b.ReportAllocs()
	for b.Loop() {
		pcm = DecodeMulaw(pcm[:0], frame)
	}
}

func BenchmarkEncodeMulawFrame(b *testing.B) {
	pcm := Speech(1, 8000, 20*time.Millisecond, -20)
	out := make([]byte, 0, 160)
	b.ReportAllocs()
	for b.Loop() {
		out = EncodeMulaw(out[:0], pcm)
	}
}

func BenchmarkDBFSFrame(b *testing.B) {
	pcm := Speech(1, 8000, 20*time.Millisecond, -20)
	b.ReportAllocs()
	for b.Loop() {
		DBFS(pcm)
	}
}

// Resample 20 ms of input at each rate the pipeline meets.
func BenchmarkResample20ms(b *testing.B) {
	for _, r := range [][2]int{{24000, 8000}, {22050, 8000}, {16000, 8000}, {8000, 16000}} {
		b.Run(fmt.Sprintf("%dto%d", r[0], r[1]), func(b *testing.B) {
			rs, err := NewResampler(r[0], r[1])
			if err != nil {
				b.Fatal(err)
			}
			in := Speech(1, r[0], 20*time.Millisecond, -20)
			out := make([]int16, 0, 400)
			b.ReportAllocs()
			for b.Loop() {
				out = rs.Resample(out[:0], in)
			}
		})
	}
}

func BenchmarkNewResampler22050(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewResampler(22050, 8000); err != nil {
			b.Fatal(err)
		}
	}
}
