package audio

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Resampler design. The cut-off sits just under the lower rate's Nyquist
// frequency (3.9 kHz for 8 kHz), with a 1 kHz transition band, so the
// telephone band (300-3400 Hz) passes flat and everything from 4.4 kHz up
// is down at least stopbandDB before it can fold back into it.
const (
	stopbandDB     = 80
	cutoffFraction = 0.4875 // of the lower rate
	transitionFrac = 0.125  // of the lower rate
	maxPhases      = 1024
	maxTaps        = 1 << 20
)

// Resampler converts 16-bit mono PCM between two sample rates with a
// polyphase windowed-sinc (Kaiser) low-pass filter. It keeps the last
// samples of each chunk, so audio resampled in chunks of any size is
// sample for sample the audio resampled whole: chunk boundaries add no
// clicks. Use one per stream; it is not safe for concurrent use.
//
// The output is aligned with the input (the filter's delay is taken out):
// output sample n is the input at time n/outRate. The last few
// milliseconds of input come out on Flush.
type Resampler struct {
	in, out int
	l, m    int // out/g and in/g: L phases, step M
	taps    int // per phase
	bank    []float32
	center  int // filter delay, in 1/L input samples

	buf   []float32 // history then pending input
	pos   int       // next output's position in 1/L input samples from buf[0]
	fed   int64     // input samples fed since the last reset
	made  int64     // output samples produced since the last reset
	zeros []int16
}

type bankKey struct{ in, out int }

// banks caches filter banks: a call makes a Resampler per stream and the
// 22050→8000 bank (160 phases) is worth computing once per process.
var banks sync.Map // bankKey → *filterBank

type filterBank struct {
	l, m, taps, center int
	coef               []float32
}

// NewResampler makes a resampler from inRate to outRate (Hz).
func NewResampler(inRate, outRate int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 || inRate > 384000 || outRate > 384000 {
		return nil, fmt.Errorf("audio: resample %d Hz to %d Hz: rates must be 1..384000", inRate, outRate)
	}
	fb, err := bankFor(inRate, outRate)
	if err != nil {
		return nil, err
	}
	r := &Resampler{in: inRate, out: outRate, l: fb.l, m: fb.m, taps: fb.taps, bank: fb.coef, center: fb.center}
	r.Reset()
	return r, nil
}

func bankFor(in, out int) (*filterBank, error) {
	key := bankKey{in, out}
	if fb, ok := banks.Load(key); ok {
		return fb.(*filterBank), nil
	}
	g := gcd(in, out)
	l, m := out/g, in/g
	if l > maxPhases {
		return nil, fmt.Errorf("audio: resample %d Hz to %d Hz: ratio %d/%d needs too many filter phases", in, out, l, m)
	}
	low := float64(min(in, out))
	fc := cutoffFraction * low     // Hz
	df := transitionFrac * low     // Hz
	up := float64(in) * float64(l) // the rate the prototype runs at
	// Kaiser's estimate of the length for stopbandDB over a transition df.
	n := int(math.Ceil((stopbandDB - 8) / (2.285 * 2 * math.Pi * df / up)))
	taps := (n + l - 1) / l
	if taps*l > maxTaps {
		return nil, fmt.Errorf("audio: resample %d Hz to %d Hz: filter too long", in, out)
	}
	n = taps * l
	beta := 0.1102 * (stopbandDB - 8.7)
	center := float64(n-1) / 2
	proto := make([]float64, n)
	w := 2 * fc / up // normalised cut-off, 1 = Nyquist of the prototype
	for i := range proto {
		x := float64(i) - center
		proto[i] = w * sinc(w*x) * kaiser(x/center, beta) * float64(l)
	}
	// Phase p's taps, newest input last, so a phase is a forward dot
	// product over the input: coef[p*taps+t] = proto[p + (taps-1-t)*l].
	coef := make([]float32, n)
	for p := 0; p < l; p++ {
		for t := 0; t < taps; t++ {
			coef[p*taps+t] = float32(proto[p+(taps-1-t)*l])
		}
	}
	fb := &filterBank{l: l, m: m, taps: taps, center: int(math.Round(center)), coef: coef}
	actual, _ := banks.LoadOrStore(key, fb)
	return actual.(*filterBank), nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window at x in [-1, 1].
func kaiser(x, beta float64) float64 {
	if x < -1 || x > 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-x*x)) / besselI0(beta)
}

func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < 1e-12*sum {
			break
		}
	}
	return sum
}

// InRate and OutRate are the rates the Resampler converts between.
func (r *Resampler) InRate() int  { return r.in }
func (r *Resampler) OutRate() int { return r.out }

// Latency is how much input the Resampler holds back until more input (or
// Flush) arrives: about half the filter.
func (r *Resampler) Latency() time.Duration {
	return time.Duration(r.center/r.l+1) * time.Second / time.Duration(r.in)
}

// Reset forgets all input, as for a new stream.
func (r *Resampler) Reset() {
	r.buf = r.buf[:0]
	for i := 0; i < r.taps-1; i++ {
		r.buf = append(r.buf, 0)
	}
	r.pos = (r.taps-1)*r.l + r.center
	r.fed, r.made = 0, 0
}

// Resample appends to dst the output that src makes available.
func (r *Resampler) Resample(dst []int16, src []int16) []int16 {
	for _, s := range src {
		r.buf = append(r.buf, float32(s))
	}
	r.fed += int64(len(src))
	return r.drain(dst, r.fed*int64(r.l))
}

// drain produces outputs while their input is available and their time
// is before limit (in 1/L input samples from the stream's start).
func (r *Resampler) drain(dst []int16, limit int64) []int16 {
	taps, l := r.taps, r.l
	for {
		i := r.pos / l
		if i >= len(r.buf) || r.made*int64(r.m) >= limit {
			break
		}
		p := r.pos - i*l
		coef := r.bank[p*taps : p*taps+taps]
		x := r.buf[i+1-taps : i+1]
		var acc0, acc1, acc2, acc3 float32
		t := 0
		for ; t+4 <= taps; t += 4 {
			acc0 += coef[t] * x[t]
			acc1 += coef[t+1] * x[t+1]
			acc2 += coef[t+2] * x[t+2]
			acc3 += coef[t+3] * x[t+3]
		}
		for ; t < taps; t++ {
			acc0 += coef[t] * x[t]
		}
		dst = append(dst, clamp16(acc0+acc1+acc2+acc3))
		r.pos += r.m
		r.made++
	}
	// Keep only the history the next output needs.
	if drop := r.pos/l - (taps - 1); drop > 0 {
		if drop > len(r.buf) {
			drop = len(r.buf)
		}
		n := copy(r.buf, r.buf[drop:])
		r.buf = r.buf[:n]
		r.pos -= drop * l
	}
	return dst
}

// Flush appends the output still held back (the filter's tail) and resets
// the Resampler for a new stream. Call it at the end of a stream, not
// between a stream's chunks.
func (r *Resampler) Flush(dst []int16) []int16 {
	limit := r.fed * int64(r.l)
	need := r.center/r.l + r.taps + 1
	if cap(r.zeros) < need {
		r.zeros = make([]int16, need)
	}
	for _, s := range r.zeros[:need] {
		r.buf = append(r.buf, float32(s))
	}
	dst = r.drain(dst, limit)
	r.Reset()
	return dst
}

func clamp16(v float32) int16 {
	switch {
	case v >= 32767:
		return 32767
	case v <= -32768:
		return -32768
	case v >= 0:
		return int16(v + 0.5)
	default:
		return int16(v - 0.5)
	}
}
