package audio

import (
	"math"
	"math/rand/v2"
	"time"
)

// Synthetic signals for tests and benchmarks. Each is deterministic for
// its seed. Levels are RMS over the whole signal in dBFS (see FullScale).
//
// Speech is not speech, only shaped like it where an energy detector
// looks: voiced syllables (a harmonic series under moving formants) at
// 3.5-5.5 a second with attacks, releases, stress and pitch movement,
// word gaps and noisy consonants. Tune detectors on it, but check them on
// real recordings too (voice/turn's tests use flite voices).

// Samples is the number of samples of d at rate.
func Samples(rate int, d time.Duration) int {
	return int(int64(d) * int64(rate) / int64(time.Second))
}

// Silence is d of digital silence.
func Silence(rate int, d time.Duration) []int16 {
	return make([]int16, Samples(rate, d))
}

// Tone is a sine of freq Hz.
func Tone(rate int, freq float64, d time.Duration, dbfs float64) []int16 {
	n := Samples(rate, d)
	a := AmplitudeFor(dbfs) * math.Sqrt2
	out := make([]int16, n)
	for i := range out {
		out[i] = clamp16(float32(a * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))))
	}
	return out
}

// WhiteNoise is Gaussian white noise.
func WhiteNoise(seed uint64, rate int, d time.Duration, dbfs float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 0x301))
	x := make([]float64, Samples(rate, d))
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return toPCM(x, dbfs)
}

// PinkNoise is noise whose power falls 3 dB an octave, like most room
// and line noise (Paul Kellet's filter over white noise).
func PinkNoise(seed uint64, rate int, d time.Duration, dbfs float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 0x302))
	x := make([]float64, Samples(rate, d))
	var b0, b1, b2, b3, b4, b5, b6 float64
	for i := range x {
		w := rng.NormFloat64()
		b0 = 0.99886*b0 + w*0.0555179
		b1 = 0.99332*b1 + w*0.0750759
		b2 = 0.96900*b2 + w*0.1538520
		b3 = 0.86650*b3 + w*0.3104856
		b4 = 0.55000*b4 + w*0.5329522
		b5 = -0.7616*b5 - w*0.0168980
		x[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w*0.5362
		b6 = w * 0.115926
	}
	return toPCM(x, dbfs)
}

// Hum is mains hum: mains Hz (50 or 60) and its odd harmonics, as a bad
// line or an unearthed headset adds.
func Hum(rate int, mains float64, d time.Duration, dbfs float64) []int16 {
	x := make([]float64, Samples(rate, d))
	for i := range x {
		t := float64(i) / float64(rate)
		for k, a := range []float64{1, 0.5, 0.3, 0.15} {
			x[i] += a * math.Sin(2*math.Pi*mains*float64(2*k+1)*t)
		}
	}
	return toPCM(x, dbfs)
}

// Speech is d of speech-like audio in one breath: it starts with a
// syllable's onset and ends with a syllable's release at exactly d.
func Speech(seed uint64, rate int, d time.Duration, dbfs float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 0x5e))
	x := make([]float64, Samples(rate, d))
	v := newVoice(rng, rate)
	minSyl := Samples(rate, 80*time.Millisecond)
	t := 0
	for t < len(x) {
		// A gap between words, or a noisy consonant before the vowel,
		// when a syllable still fits after it.
		if gap := Samples(rate, time.Duration(40+rng.IntN(120))*time.Millisecond); t > 0 && rng.Float64() < 0.35 && t+gap+minSyl < len(x) {
			t += gap
		}
		if n := Samples(rate, time.Duration(30+rng.IntN(50))*time.Millisecond); rng.Float64() < 0.4 && t+n+minSyl < len(x) {
			v.fricative(x[t:t+n], rng, 0.25)
			t += n
		}
		n := Samples(rate, time.Duration((0.6+0.8*rng.Float64())/v.syllableRate*float64(time.Second)))
		if left := len(x) - t; n > left || left-n < minSyl {
			n = left // the last syllable ends the breath exactly at d
		}
		v.syllable(x[t:t+n], rng, vowelFormants(rng), 0.5+0.5*rng.Float64(), 1, 1+0.16*(rng.Float64()-0.5))
		t += n
	}
	return toPCM(x, dbfs)
}

// Backchannel is a listener's short noise ("mm-hm", "mm", "yeah"): 200
// to 330 ms of voiced hum, which must not count as an interruption.
func Backchannel(seed uint64, rate int, dbfs float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 0xbc))
	v := newVoice(rng, rate)
	nasal := [3][2]float64{{250, 100}, {1000, 200}, {2500, 300}}
	ms := func(lo, hi int) int { return Samples(rate, time.Duration(lo+rng.IntN(hi-lo+1))*time.Millisecond) }
	var x []float64
	switch rng.IntN(3) {
	case 0: // "mm-hm": two hums, the second higher
		a := make([]float64, ms(80, 120))
		v.syllable(a, rng, nasal, 0.8, 1, 1)
		gap := make([]float64, ms(40, 70))
		v.fricative(gap, rng, 0.05)
		b := make([]float64, ms(90, 140))
		v.syllable(b, rng, nasal, 1, 1.05, 1.25)
		x = append(append(a, gap...), b...)
	case 1: // "mm"
		x = make([]float64, ms(200, 300))
		v.syllable(x, rng, nasal, 1, 1, 0.9)
	default: // "yeah"
		x = make([]float64, ms(200, 300))
		v.syllable(x, rng, [3][2]float64{{600, 90}, {1800, 120}, {2600, 200}}, 1, 1.05, 0.85)
	}
	return toPCM(x, dbfs)
}

// Cough is one or two bursts of noise, 150-300 ms in all: loud and short,
// not an interruption.
func Cough(seed uint64, rate int, dbfs float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 0xc0))
	n := Samples(rate, time.Duration(150+rng.IntN(150))*time.Millisecond)
	x := make([]float64, n)
	bursts := 1 + rng.IntN(2)
	var lp float64
	for b := 0; b < bursts; b++ {
		start := b * n / bursts
		tau := float64(rate) * (0.03 + 0.03*rng.Float64())
		for i := start; i < n; i++ {
			k := float64(i - start)
			env := math.Exp(-k/tau) * math.Min(1, k/float64(Samples(rate, 8*time.Millisecond)+1))
			lp = 0.6*lp + 0.4*rng.NormFloat64()
			x[i] += env * lp
		}
	}
	return toPCM(x, dbfs)
}

// Mix adds src into dst (sample by sample, from the start, saturating).
func Mix(dst, src []int16) {
	for i := 0; i < len(dst) && i < len(src); i++ {
		dst[i] = clamp16(float32(int32(dst[i]) + int32(src[i])))
	}
}

// Concat joins signals.
func Concat(parts ...[]int16) []int16 {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]int16, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Gain scales samples by db decibels, saturating.
func Gain(pcm []int16, db float64) {
	g := float32(math.Pow(10, db/20))
	for i, s := range pcm {
		pcm[i] = clamp16(float32(s) * g)
	}
}

// toPCM scales x to an RMS of dbfs.
func toPCM(x []float64, dbfs float64) []int16 {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	out := make([]int16, len(x))
	if ss == 0 {
		return out
	}
	g := AmplitudeFor(dbfs) / math.Sqrt(ss/float64(len(x)))
	for i, v := range x {
		out[i] = clamp16(float32(v * g))
	}
	return out
}

// voice is one synthetic speaker.
type voice struct {
	rate         int
	f0           float64 // Hz
	syllableRate float64 // per second
	phase        float64
	hp           float64
}

func newVoice(rng *rand.Rand, rate int) *voice {
	return &voice{rate: rate, f0: 90 + 140*rng.Float64(), syllableRate: 3.5 + 2*rng.Float64()}
}

func vowelFormants(rng *rand.Rand) [3][2]float64 {
	return [3][2]float64{
		{300 + 550*rng.Float64(), 80 + 40*rng.Float64()},
		{850 + 1450*rng.Float64(), 100 + 60*rng.Float64()},
		{2400 + 700*rng.Float64(), 150 + 100*rng.Float64()},
	}
}

// syllable adds a voiced syllable over x: a harmonic series shaped by
// formants (Gaussian bumps over a falling tilt), pitch gliding from
// from·f0 to to·f0, under an envelope with a raised-cosine attack and
// release.
func (v *voice) syllable(x []float64, rng *rand.Rand, formants [3][2]float64, stress, from, to float64) {
	n := len(x)
	if n == 0 {
		return
	}
	nyq := math.Min(3800, 0.45*float64(v.rate))
	f0 := v.f0 * (from + to) / 2
	k := int(nyq / (v.f0 * math.Max(from, to)))
	amps := make([]float64, k+1)
	for h := 1; h <= k; h++ {
		f := float64(h) * f0
		g := 0.03
		for j, fm := range formants {
			g += math.Exp(-0.5*math.Pow((f-fm[0])/fm[1], 2)) / float64(j+1)
		}
		amps[h] = g / math.Sqrt(float64(h))
	}
	attack := min(n/2, Samples(v.rate, time.Duration(15+rng.IntN(20))*time.Millisecond))
	release := min(n/2, Samples(v.rate, time.Duration(40+rng.IntN(40))*time.Millisecond))
	for i := range x {
		env := stress * (1 - 0.3*float64(i)/float64(n))
		if i < attack {
			env *= 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(attack))
		} else if j := n - 1 - i; j < release {
			env *= 0.5 - 0.5*math.Cos(math.Pi*float64(j)/float64(release))
		}
		f := v.f0 * (from + (to-from)*float64(i)/float64(n))
		v.phase += 2 * math.Pi * f / float64(v.rate)
		if v.phase > 2*math.Pi {
			v.phase -= 2 * math.Pi
		}
		// sin(h·φ) by Chebyshev's recurrence: one sin and cos a sample.
		s1, c := math.Sin(v.phase), 2*math.Cos(v.phase)
		s0, sum := 0.0, 0.0
		for h := 1; h <= k; h++ {
			sum += amps[h] * s1
			s0, s1 = s1, c*s1-s0
		}
		x[i] += env * sum
	}
}

// fricative adds high-passed noise at level relative to a vowel.
func (v *voice) fricative(x []float64, rng *rand.Rand, level float64) {
	n := len(x)
	for i := range x {
		env := level * math.Sin(math.Pi*float64(i)/float64(n))
		w := rng.NormFloat64()
		x[i] += env * (w - v.hp)
		v.hp = w
	}
}
