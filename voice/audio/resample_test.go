package audio

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// gainDB resamples a tone of freq Hz and returns the output's level
// relative to the input's, away from the edges.
func gainDB(t *testing.T, in, out int, freq float64) float64 {
	t.Helper()
	r, err := NewResampler(in, out)
	if err != nil {
		t.Fatal(err)
	}
	x := Tone(in, freq, time.Second, -10)
	y := r.Flush(r.Resample(nil, x))
	edge := Samples(out, 50*time.Millisecond)
	return DBFS(y[edge:len(y)-edge]) - DBFS(x)
}

func TestResamplerResponse(t *testing.T) {
	tests := []struct {
		in, out int
		pass    []float64 // within 1 dB
		stop    []float64 // attenuated by at least 60 dB
	}{
		{24000, 8000, []float64{300, 1000, 3000, 3400}, []float64{4500, 6000, 8000, 11000}},
		{22050, 8000, []float64{300, 1000, 3000, 3400}, []float64{4500, 6000, 8000, 10500}},
		{16000, 8000, []float64{300, 1000, 3000, 3400}, []float64{4500, 6000, 7900}},
		{44100, 8000, []float64{1000, 3400}, []float64{6000, 20000}},
		{8000, 8000, []float64{1000, 3400}, nil},
	}
	for _, tt := range tests {
		for _, f := range tt.pass {
			if g := gainDB(t, tt.in, tt.out, f); math.Abs(g) > 1 {
				t.Errorf("%d→%d: %v Hz changed by %.2f dB, want within 1 dB", tt.in, tt.out, f, g)
			}
		}
		for _, f := range tt.stop {
			if g := gainDB(t, tt.in, tt.out, f); g > -60 {
				t.Errorf("%d→%d: %v Hz only %.1f dB down, want 60 dB", tt.in, tt.out, f, g)
			}
		}
	}
	// The brief's figures, explicitly: 24 kHz → 8 kHz, 1 kHz within 1 dB,
	// 6 kHz down at least 40 dB.
	if g := gainDB(t, 24000, 8000, 1000); math.Abs(g) > 1 {
		t.Errorf("1 kHz: %.2f dB", g)
	}
	if g := gainDB(t, 24000, 8000, 6000); g > -40 {
		t.Errorf("6 kHz: %.1f dB", g)
	}
}

// Upsampling 8 kHz to 16 kHz (for the recogniser): the tone passes, its
// image above 4 kHz does not.
func TestResamplerUpsampleImages(t *testing.T) {
	for _, f := range []float64{1000, 3000, 3400} {
		if g := gainDB(t, 8000, 16000, f); math.Abs(g) > 1 {
			t.Errorf("8000→16000: %v Hz changed by %.2f dB", f, g)
		}
		r, _ := NewResampler(8000, 16000)
		y := r.Flush(r.Resample(nil, Tone(8000, f, time.Second, -10)))
		y = y[800 : len(y)-800]
		signal := goertzelDB(y, 16000, f)
		image := goertzelDB(y, 16000, 8000-f)
		if signal-image < 60 {
			t.Errorf("8000→16000 of %v Hz: image at %v Hz only %.1f dB down", f, 8000-f, signal-image)
		}
	}
}

// goertzelDB is the power of x at freq, in dB (arbitrary reference).
func goertzelDB(x []int16, rate int, freq float64) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for i, v := range x {
		// A Hann window keeps the tone's leakage out of the image's bin.
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(x)-1))
		s0 := float64(v)*h + c*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	return 10 * math.Log10(p+1e-9)
}

// Chunk boundaries change nothing: the same signal resampled in random
// chunks is the same, sample for sample, as resampled whole.
func TestResamplerChunksEqualWhole(t *testing.T) {
	for _, rates := range [][2]int{{24000, 8000}, {22050, 8000}, {16000, 8000}, {8000, 16000}} {
		x := Speech(7, rates[0], 2*time.Second, -20)
		Mix(x, WhiteNoise(8, rates[0], 2*time.Second, -40))
		whole, _ := NewResampler(rates[0], rates[1])
		want := whole.Flush(whole.Resample(nil, x))

		rng := rand.New(rand.NewPCG(uint64(rates[0]), 1))
		chunked, _ := NewResampler(rates[0], rates[1])
		var got []int16
		for rest := x; len(rest) > 0; {
			n := min(len(rest), rng.IntN(700)) // zero-length chunks too
			got = chunked.Resample(got, rest[:n])
			rest = rest[n:]
		}
		got = chunked.Flush(got)
		if !slices.Equal(got, want) {
			t.Fatalf("%d→%d: chunked output differs (%d vs %d samples)", rates[0], rates[1], len(got), len(want))
		}
		if wantLen := int(math.Ceil(float64(len(x)) * float64(rates[1]) / float64(rates[0]))); len(want) != wantLen {
			t.Errorf("%d→%d: %d samples out of %d, want %d", rates[0], rates[1], len(want), len(x), wantLen)
		}
	}
}

// The filter's delay is taken out: a click at input time t comes out at
// output time t.
func TestResamplerAlignment(t *testing.T) {
	for _, rates := range [][2]int{{24000, 8000}, {22050, 8000}, {16000, 8000}, {8000, 16000}} {
		x := make([]int16, rates[0]/2)
		at := rates[0] / 4 // 250 ms
		x[at] = 30000
		r, _ := NewResampler(rates[0], rates[1])
		y := r.Flush(r.Resample(nil, x))
		peak := 0
		for i := range y {
			if abs(int(y[i])) > abs(int(y[peak])) {
				peak = i
			}
		}
		want := float64(at) * float64(rates[1]) / float64(rates[0])
		if math.Abs(float64(peak)-want) > 1 {
			t.Errorf("%d→%d: click at output %d, want %.1f", rates[0], rates[1], peak, want)
		}
	}
}

func TestResamplerReuseAfterFlush(t *testing.T) {
	r, _ := NewResampler(24000, 8000)
	x := Speech(3, 24000, 500*time.Millisecond, -20)
	a := r.Flush(r.Resample(nil, x))
	b := r.Flush(r.Resample(nil, x))
	if !slices.Equal(a, b) {
		t.Fatal("a flushed Resampler does not start afresh")
	}
}

func TestResamplerRefuses(t *testing.T) {
	for _, rates := range [][2]int{{0, 8000}, {8000, -1}, {1_000_000, 8000}, {8000, 8191}} {
		if _, err := NewResampler(rates[0], rates[1]); err == nil {
			t.Errorf("NewResampler(%d, %d) accepted", rates[0], rates[1])
		}
	}
}

func TestResampleAllocatesNothingPerFrame(t *testing.T) {
	r, _ := NewResampler(24000, 8000)
	in := Speech(1, 24000, 20*time.Millisecond, -20)
	out := make([]int16, 0, 200)
	out = r.Resample(out[:0], in)
	if n := testing.AllocsPerRun(100, func() { out = r.Resample(out[:0], in) }); n != 0 {
		t.Fatalf("%v allocations per 20 ms", n)
	}
}
