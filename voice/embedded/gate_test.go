package embedded

import (
	"math/rand/v2"
	"testing"
)

func noise(n int, amp int, seed uint64) []int16 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(r.IntN(2*amp+1) - amp)
	}
	return out
}

func TestSpeechGate(t *testing.T) {
	var g speechGate
	var out []int16
	// Seconds of line noise (about -50 dBFS) and digital silence: nothing passes.
	out = g.write(noise(3*8000, 180, 1), out)
	out = g.write(make([]int16, 8000), out)
	out = g.write(noise(8000, 180, 2), out)
	if len(out) != 0 {
		t.Fatalf("%d samples of noise passed", len(out))
	}
	// Speech (a loud tone here), with a short pause inside: it passes
	// whole, with 300 ms before it, and the gate stays open 800 ms after.
	speech := sine(500, 8000, 8000, 8000)
	pause := noise(4000, 180, 3) // 500 ms
	before := len(out)
	out = g.write(speech, out)
	out = g.write(pause, out)
	out = g.write(speech, out)
	passed := len(out) - before
	want := gatePreFrames*gateFrame + 2*len(speech) + len(pause)
	if passed < want-2*gateFrame || passed > want {
		t.Errorf("%d samples passed, want about %d", passed, want)
	}
	// Then silence: 800 ms more, then nothing.
	before = len(out)
	out = g.write(noise(3*8000, 180, 4), out)
	if n := len(out) - before; n != gateHangFrames*gateFrame {
		t.Errorf("%d samples after speech, want %d", n, gateHangFrames*gateFrame)
	}
	// A lone click (one loud frame) does not open it.
	before = len(out)
	click := noise(8000, 180, 5)
	for i := 4000; i < 4080; i++ {
		click[i] = 20000
	}
	out = g.write(click, out)
	if n := len(out) - before; n != 0 {
		t.Errorf("a click passed %d samples", n)
	}
}
