package turn

import (
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/audio"
)

// The per-frame path: one 20 ms frame through the VAD.
func BenchmarkVADFrame(b *testing.B) {
	pcm := phone(audio.Speech(1, rate, 2*time.Second, -20))
	v := NewVAD(DefaultVADConfig())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v.Process(pcm[i : i+160])
		i = (i + 160) % (len(pcm) - 160)
	}
}

// Per decision (a few times a turn, not per frame).
func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Classify("My number is oh seven seven double oh nine")
	}
}
