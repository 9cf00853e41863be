package audio

import (
	"bytes"
	"testing"
)

// G.711 μ-law vectors: the two zeros, the extremes (8031 in the 14-bit
// domain of the standard, ×4 = 32124 in 16 bits), and the sign bit.
func TestMulawKnownValues(t *testing.T) {
	decode := map[byte]int16{0xFF: 0, 0x7F: 0, 0x80: 32124, 0x00: -32124, 0xFE: 8, 0x7E: -8, 0xCE: 988, 0x4E: -988}
	for code, want := range decode {
		if got := DecodeMulaw(nil, []byte{code})[0]; got != want {
			t.Errorf("decode %#02x = %d, want %d", code, got, want)
		}
	}
	encode := map[int16]byte{0: 0xFF, 32767: 0x80, -32768: 0x00, 32124: 0x80, -32124: 0x00, 1000: 0xCE, -1000: 0x4E}
	for v, want := range encode {
		if got := EncodeMulaw(nil, []int16{v})[0]; got != want {
			t.Errorf("encode %d = %#02x, want %#02x", v, got, want)
		}
	}
}

func TestMulawSignSymmetry(t *testing.T) {
	for c := 0; c < 256; c++ {
		pos := DecodeMulaw(nil, []byte{byte(c) | 0x80})[0]
		neg := DecodeMulaw(nil, []byte{byte(c) &^ 0x80})[0]
		if pos != -neg || pos < 0 {
			t.Fatalf("code %#02x: +%d / %d", c, pos, neg)
		}
	}
}

// Every 16-bit value survives encode and decode within μ-law's
// quantisation error (about 3 % of the value, 8 near zero) and keeps its
// sign; the code is monotonic in the value.
func TestMulawRoundTrip(t *testing.T) {
	all := make([]int16, 0, 65536)
	for v := -32768; v <= 32767; v++ {
		all = append(all, int16(v))
	}
	codes := EncodeMulaw(nil, all)
	back := DecodeMulaw(nil, codes)
	prev := -40000
	for i, v := range all {
		got := int(back[i])
		err := got - int(v)
		if err < 0 {
			err = -err
		}
		limit := 8 + abs(int(v))*33/1000
		if abs(int(v)) > 32124 {
			limit = abs(int(v)) - 32124 + 1
		}
		if err > limit {
			t.Fatalf("%d → %#02x → %d: error %d over %d", v, codes[i], got, err, limit)
		}
		if v > 8 && got <= 0 || v < -8 && got >= 0 {
			t.Fatalf("%d decoded with the wrong sign: %d", v, got)
		}
		if got < prev {
			t.Fatalf("not monotonic at %d: %d after %d", v, got, prev)
		}
		prev = got
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestPCM16Bytes(t *testing.T) {
	s := []int16{0, 1, -1, 32767, -32768, 0x1234}
	b := AppendPCM16(nil, s)
	want := []byte{0, 0, 1, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0x80, 0x34, 0x12}
	if !bytes.Equal(b, want) {
		t.Fatalf("AppendPCM16 = % x", b)
	}
	got := DecodePCM16(nil, append(b, 0x99)) // the odd byte is ignored
	if len(got) != len(s) {
		t.Fatalf("DecodePCM16: %d samples", len(got))
	}
	for i := range s {
		if got[i] != s[i] {
			t.Fatalf("DecodePCM16[%d] = %d, want %d", i, got[i], s[i])
		}
	}
}

func TestMulawAppendsWithoutAllocating(t *testing.T) {
	frame := make([]byte, 160)
	pcm := make([]int16, 0, 160)
	out := make([]byte, 0, 160)
	if n := testing.AllocsPerRun(100, func() {
		pcm = DecodeMulaw(pcm[:0], frame)
		out = EncodeMulaw(out[:0], pcm)
	}); n != 0 {
		t.Fatalf("%v allocations per frame", n)
	}
}
