package embedded

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

func sine(freq, rate float64, n int, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amp * math.Sin(2*math.Pi*freq*float64(i)/rate))
	}
	return out
}

// level is the amplitude of freq in x (a single-bin DFT), relative to a
// full-scale sine.
func level(x []int16, freq, rate float64) float64 {
	var re, im float64
	for i, v := range x {
		a := 2 * math.Pi * freq * float64(i) / rate
		re += float64(v) * math.Cos(a)
		im += float64(v) * math.Sin(a)
	}
	return 2 * math.Hypot(re, im) / float64(len(x))
}

func TestUpsamplerKeepsTheTelephoneBand(t *testing.T) {
	for _, f := range []float64{300, 1000, 2500, 3400} {
		in := sine(f, 8000, 8000, 10000)
		var u upsampler
		out := u.write(in, nil)
		if len(out) != 2*len(in) {
			t.Fatalf("%d samples out for %d in", len(out), len(in))
		}
		out = out[2*halfTaps+200 : len(out)-200] // past the filter's start
		if got := level(out, f, 16000); math.Abs(got-10000) > 10000*0.02 {
			t.Errorf("%.0f Hz: level %.0f, want 10000 ±2 %%", f, got)
		}
		// The image at 8000-f is what a poor filter leaves.
		if img := level(out, 8000-f, 16000); img > 10 {
			t.Errorf("%.0f Hz: image at %.0f Hz has level %.1f", f, 8000-f, img)
		}
	}
	// Streaming in pieces gives the same samples as in one go.
	in := sine(700, 8000, 1000, 8000)
	var a, b upsampler
	whole := a.write(in, nil)
	var parts []int16
	for i := 0; i < len(in); i += 160 {
		parts = b.write(in[i:min(i+160, len(in))], parts)
	}
	if !slicesEqual(whole, parts) {
		t.Error("upsampling in pieces differs from in one go")
	}
}

func slicesEqual(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDownsample2(t *testing.T) {
	pass := downsample2(sine(1000, 16000, 16000, 10000))
	if got := level(pass[200:len(pass)-200], 1000, 8000); math.Abs(got-10000) > 200 {
		t.Errorf("1 kHz level %.0f", got)
	}
	// 6 kHz would alias to 2 kHz on the phone line: it must be gone.
	stop := downsample2(sine(6000, 16000, 16000, 10000))
	if got := level(stop[200:len(stop)-200], 2000, 8000); got > 10 {
		t.Errorf("6 kHz leaks in as %.1f at 2 kHz", got)
	}
}

func wavHeader(rate, channels, bits, format int, extra string) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(0x7ffff000))
	b.WriteString("WAVE")
	if extra != "" {
		b.WriteString("LIST")
		binary.Write(&b, binary.LittleEndian, uint32(len(extra)))
		b.WriteString(extra)
		if len(extra)%2 == 1 {
			b.WriteByte(0)
		}
	}
	b.WriteString("fmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, uint16(format))
	binary.Write(&b, binary.LittleEndian, uint16(channels))
	binary.Write(&b, binary.LittleEndian, uint32(rate))
	binary.Write(&b, binary.LittleEndian, uint32(rate*channels*bits/8))
	binary.Write(&b, binary.LittleEndian, uint16(channels*bits/8))
	binary.Write(&b, binary.LittleEndian, uint16(bits))
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(0x7ffff000))
	return b.Bytes()
}

func TestReadWAVHeader(t *testing.T) {
	f, err := readWAVHeader(bytes.NewReader(append(wavHeader(22050, 1, 16, 1, "odd"), 1, 2, 3, 4)))
	if err != nil || f.Rate != 22050 || f.Channels != 1 {
		t.Errorf("espeak-style header: %+v, %v", f, err)
	}
	for name, in := range map[string][]byte{
		"empty":      nil,
		"text":       []byte(strings.Repeat("not a wav file ", 10)),
		"8-bit":      wavHeader(8000, 1, 8, 1, ""),
		"float":      wavHeader(8000, 1, 16, 3, ""),
		"truncated":  wavHeader(8000, 1, 16, 1, "")[:30],
		"no data":    wavHeader(8000, 1, 16, 1, "")[:36],
		"zero rate":  wavHeader(0, 1, 16, 1, ""),
		"huge chunk": append([]byte("RIFF\x00\x00\x00\x00WAVEjunk"), 0xff, 0xff, 0xff, 0x7f),
	} {
		if _, err := readWAVHeader(bytes.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
