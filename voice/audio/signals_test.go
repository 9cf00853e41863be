package audio

import (
	"math"
	"slices"
	"testing"
	"time"
)

func frameLevels(pcm []int16, frame int) []float64 {
	var lv []float64
	for i := 0; i+frame <= len(pcm); i += frame {
		lv = append(lv, DBFS(pcm[i:i+frame]))
	}
	return lv
}

func TestSignalsAreDeterministic(t *testing.T) {
	if !slices.Equal(Speech(1, 8000, time.Second, -20), Speech(1, 8000, time.Second, -20)) {
		t.Fatal("Speech differs for one seed")
	}
	if slices.Equal(Speech(1, 8000, time.Second, -20), Speech(2, 8000, time.Second, -20)) {
		t.Fatal("Speech is the same for two seeds")
	}
	if !slices.Equal(PinkNoise(3, 8000, time.Second, -40), PinkNoise(3, 8000, time.Second, -40)) {
		t.Fatal("PinkNoise differs for one seed")
	}
}

// Speech is shaped like speech where an energy detector looks: syllables
// at 2.5-7 a second with dips between them, voiced from the first
// 100 ms to the last.
func TestSpeechShape(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		x := Speech(seed, 8000, 3*time.Second, -20)
		if len(x) != 24000 {
			t.Fatalf("seed %d: %d samples", seed, len(x))
		}
		lv := frameLevels(x, 80) // 10 ms
		// Syllable nuclei: peaks of the level that rise 6 dB over the
		// lowest point since the last peak.
		peaks, low, high := 0, lv[0], math.Inf(-1)
		rising := true
		for _, l := range lv {
			if rising {
				high = math.Max(high, l)
				if l < high-6 {
					peaks++
					rising, low = false, l
				}
			} else {
				low = math.Min(low, l)
				if l > low+6 {
					rising, high = true, l
				}
			}
		}
		if rate := float64(peaks) / 3; rate < 2.5 || rate > 7 {
			t.Errorf("seed %d: %.1f syllables a second", seed, rate)
		}
		if head, tail := DBFS(x[:800]), DBFS(x[len(x)-800:]); head < -45 || tail < -50 {
			t.Errorf("seed %d: first 100 ms at %.0f dBFS, last at %.0f: not speech edge to edge", seed, head, tail)
		}
	}
}

func TestBackchannelAndCoughAreShort(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		b := Backchannel(seed, 8000, -20)
		if d := time.Duration(len(b)) * time.Second / 8000; d < 200*time.Millisecond || d > 330*time.Millisecond {
			t.Errorf("backchannel %d lasts %v", seed, d)
		}
		c := Cough(seed, 8000, -15)
		if d := time.Duration(len(c)) * time.Second / 8000; d < 150*time.Millisecond || d > 300*time.Millisecond {
			t.Errorf("cough %d lasts %v", seed, d)
		}
	}
}

// bandPower is the mean power of x between lo and hi Hz (DFT of 256
// samples, averaged over blocks).
func bandPower(x []int16, rate int, lo, hi float64) float64 {
	const n = 256
	var p float64
	blocks := 0
	for s := 0; s+n <= len(x); s += n {
		for k := 1; k < n/2; k++ {
			f := float64(k) * float64(rate) / n
			if f < lo || f >= hi {
				continue
			}
			var re, im float64
			for i := 0; i < n; i++ {
				a := 2 * math.Pi * float64(k*i) / n
				re += float64(x[s+i]) * math.Cos(a)
				im -= float64(x[s+i]) * math.Sin(a)
			}
			p += re*re + im*im
		}
		blocks++
	}
	return p / float64(blocks)
}

// White noise has twice the power in each higher octave; pink noise the
// same power in each.
func TestNoiseColours(t *testing.T) {
	octave := func(x []int16) float64 {
		return 10 * math.Log10(bandPower(x, 8000, 1000, 2000)/bandPower(x, 8000, 500, 1000))
	}
	if d := octave(WhiteNoise(1, 8000, 2*time.Second, -30)); math.Abs(d-3) > 1 {
		t.Errorf("white noise: next octave %+.1f dB, want +3", d)
	}
	if d := octave(PinkNoise(1, 8000, 2*time.Second, -30)); math.Abs(d) > 1 {
		t.Errorf("pink noise: next octave %+.1f dB, want 0", d)
	}
	hum := Hum(8000, 50, time.Second, -30)
	if bandPower(hum, 8000, 0, 400) < 100*bandPower(hum, 8000, 1000, 4000) {
		t.Error("hum is not low")
	}
}

func TestMixAndGain(t *testing.T) {
	a := []int16{1000, -1000, 32000}
	Mix(a, []int16{1, 1, 32000, 5})
	if !slices.Equal(a, []int16{1001, -999, 32767}) {
		t.Fatalf("Mix = %v", a)
	}
	Gain(a, -20)
	if a[0] != 100 {
		t.Fatalf("Gain(-20 dB) of 1001 = %d", a[0])
	}
	if got := Concat([]int16{1}, nil, []int16{2, 3}); !slices.Equal(got, []int16{1, 2, 3}) {
		t.Fatalf("Concat = %v", got)
	}
}
