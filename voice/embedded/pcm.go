package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// This file holds the few PCM helpers the embedded providers need: a 2×
// interpolator (8 → 16 kHz for pocketsphinx's wideband model), a 2×
// decimator (16 → 8 kHz, for the telephone channel of tests and the demo
// caller), and a WAV header reader for what espeak-ng and flite write.
// voice/audio owns the pipeline's resampling; these are local until the
// two are merged.

// halfTaps is the number of input samples each side of an interpolated
// point. Telephone speech reaches up to 3.4-4 kHz, and the fricatives that
// tell "Thursday" from "for the" live at the top of that band, so the
// interpolation filter must stay flat almost to 4 kHz: 32 taps a side with
// a Kaiser window (β 8) keep it within 0.1 dB to 3.6 kHz and reject the
// image above 4.4 kHz by about 80 dB. (A short Blackman filter muffled
// everything above 2.5 kHz and cost whole words.)
const halfTaps = 32

// kaiserBeta sets the window's sidelobe level (about 80 dB).
const kaiserBeta = 8.0

// kaiser is the Kaiser window at x in [-1, 1].
func kaiser(x float64) float64 {
	if x <= -1 || x >= 1 {
		return 0
	}
	return besselI0(kaiserBeta*math.Sqrt(1-x*x)) / besselI0(kaiserBeta)
}

// besselI0 is the modified Bessel function of order 0, by its series.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return sum
}

// halfSampleTaps[i] weighs the i-th of the last 2·halfTaps inputs (oldest
// first) for the point halfway between the halfTaps-th and the next one: a
// Kaiser-windowed sinc at distances halfTaps-0.5-i.
var halfSampleTaps = func() []float64 {
	taps := make([]float64, 2*halfTaps)
	var sum float64
	for i := range taps {
		d := halfTaps - 0.5 - float64(i)
		x := math.Pi * d
		taps[i] = math.Sin(x) / x * kaiser(d/halfTaps)
		sum += taps[i]
	}
	for i := range taps {
		taps[i] /= sum // unity gain at DC
	}
	return taps
}()

// upsampler doubles the sample rate of a stream: even outputs are the
// input samples, odd ones are interpolated. It lags halfTaps input samples
// (1 ms at 8 kHz) behind, the look-ahead the interpolation needs.
type upsampler struct {
	hist [2 * halfTaps]float64 // the last inputs, oldest first
}

// write appends two output samples per input sample to out.
func (u *upsampler) write(in []int16, out []int16) []int16 {
	for _, s := range in {
		copy(u.hist[:], u.hist[1:])
		u.hist[len(u.hist)-1] = float64(s)
		var acc float64
		for i, t := range halfSampleTaps {
			acc += t * u.hist[i]
		}
		out = append(out, int16(u.hist[halfTaps-1]), clamp16(acc))
	}
	return out
}

func clamp16(v float64) int16 {
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(math.Round(v))
}

// downsample2 halves the sample rate of a whole signal, low-passing at a
// quarter of the input rate first (16 → 8 kHz keeps 0-4 kHz, as a
// telephone line does).
func downsample2(in []int16) []int16 {
	const m = 64 // taps each side
	taps := make([]float64, 2*m+1)
	var sum float64
	for i := range taps {
		k := float64(i - m)
		sinc := 1.0
		if k != 0 {
			x := math.Pi * k / 2
			sinc = math.Sin(x) / x
		}
		taps[i] = sinc * kaiser(k/(m+1))
		sum += taps[i]
	}
	out := make([]int16, 0, len(in)/2)
	for n := 0; n < len(in); n += 2 {
		var acc float64
		for i, t := range taps {
			k := n + i - m
			if k >= 0 && k < len(in) {
				acc += t * float64(in[k])
			}
		}
		out = append(out, clamp16(acc/sum))
	}
	return out
}

// wavFormat is what a WAV header says of the samples after it.
type wavFormat struct {
	Rate     int
	Channels int
	// DataBytes is the data chunk's declared size; streaming writers
	// (espeak-ng --stdout) put a placeholder there, so readers go to EOF.
	DataBytes uint32
}

var errNotWAV = errors.New("not a RIFF/WAVE stream")

// readWAVHeader reads a RIFF/WAVE header up to the start of the samples,
// accepting only 16-bit PCM (what espeak-ng and flite write).
func readWAVHeader(r io.Reader) (wavFormat, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return wavFormat{}, fmt.Errorf("wav header: %w", err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return wavFormat{}, errNotWAV
	}
	var f wavFormat
	var haveFmt bool
	for range 16 { // a header has a handful of chunks; more is garbage
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return wavFormat{}, fmt.Errorf("wav header: %w", err)
		}
		id, size := string(ch[0:4]), binary.LittleEndian.Uint32(ch[4:8])
		switch id {
		case "fmt ":
			if size < 16 || size > 1024 {
				return wavFormat{}, fmt.Errorf("wav header: fmt chunk of %d bytes", size)
			}
			b := make([]byte, size+size%2)
			if _, err := io.ReadFull(r, b); err != nil {
				return wavFormat{}, fmt.Errorf("wav header: %w", err)
			}
			format := binary.LittleEndian.Uint16(b[0:2])
			f.Channels = int(binary.LittleEndian.Uint16(b[2:4]))
			f.Rate = int(binary.LittleEndian.Uint32(b[4:8]))
			bits := binary.LittleEndian.Uint16(b[14:16])
			if format != 1 || bits != 16 || f.Channels < 1 || f.Rate < 1000 || f.Rate > 192000 {
				return wavFormat{}, fmt.Errorf("wav header: format %d, %d bits, %d channels, %d Hz; want 16-bit PCM", format, bits, f.Channels, f.Rate)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return wavFormat{}, errors.New("wav header: data before fmt")
			}
			f.DataBytes = size
			return f, nil
		default:
			if size > 1<<20 {
				return wavFormat{}, fmt.Errorf("wav header: %q chunk of %d bytes", id, size)
			}
			if _, err := io.CopyN(io.Discard, r, int64(size+size%2)); err != nil {
				return wavFormat{}, fmt.Errorf("wav header: %w", err)
			}
		}
	}
	return wavFormat{}, errors.New("wav header: no data chunk")
}
