package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/iotest"
	"time"
)

func TestWAVWriterRoundTrip(t *testing.T) {
	for _, channels := range []int{1, 2} {
		path := filepath.Join(t.TempDir(), "call.wav")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w, err := NewWAVWriter(f, 8000, channels)
		if err != nil {
			t.Fatal(err)
		}
		caller := Speech(1, 8000, 300*time.Millisecond, -20)
		agent := Speech(2, 8000, 300*time.Millisecond, -20)
		var want []int16
		for i := 0; i < len(caller); i += 160 { // as a call records: frame by frame
			var frame []int16
			if channels == 1 {
				frame = caller[i : i+160]
			} else {
				for j := i; j < i+160; j++ {
					frame = append(frame, caller[j], agent[j])
				}
			}
			if err := w.Write(frame); err != nil {
				t.Fatal(err)
			}
			want = append(want, frame...)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		raw, _ := os.ReadFile(path)
		if got := binary.LittleEndian.Uint32(raw[40:44]); int(got) != 2*len(want) {
			t.Fatalf("data size %d, want %d", got, 2*len(want))
		}
		if got := binary.LittleEndian.Uint32(raw[4:8]); int(got) != len(raw)-8 {
			t.Fatalf("RIFF size %d, file %d bytes", got, len(raw))
		}
		samples, rate, ch, err := DecodeWAV(raw)
		if err != nil || rate != 8000 || ch != channels || !slices.Equal(samples, want) {
			t.Fatalf("%d channels: read back %d samples, %d Hz, %d channels, %v", channels, len(samples), rate, ch, err)
		}
	}
}

func TestWAVWriterRefuses(t *testing.T) {
	f, _ := os.Create(filepath.Join(t.TempDir(), "x.wav"))
	defer f.Close()
	if _, err := NewWAVWriter(f, 8000, 3); err == nil {
		t.Error("3 channels accepted")
	}
	w, _ := NewWAVWriter(f, 8000, 2)
	if err := w.Write([]int16{1, 2, 3}); err == nil {
		t.Error("half a stereo frame accepted")
	}
}

// espeak-ng --stdout writes a header before it knows the length:
// RIFF and data sizes of 0x7FFFF000-ish. The reader reads to EOF.
func TestWAVReaderStreamingHeader(t *testing.T) {
	for _, size := range []uint32{0x7FFFF000, 0xFFFFFFFF, 0} {
		pcm := Speech(5, 22050, 200*time.Millisecond, -20)
		b := EncodeWAV(22050, 1, pcm)
		binary.LittleEndian.PutUint32(b[4:8], size+36)
		binary.LittleEndian.PutUint32(b[40:44], size)
		// Read a byte at a time: samples split across reads come out whole.
		r, err := NewWAVReader(iotest.OneByteReader(bytes.NewReader(b)))
		if err != nil {
			t.Fatal(err)
		}
		var got []int16
		buf := make([]int16, 7)
		for {
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("size %#x: %v", size, err)
			}
		}
		if r.Rate() != 22050 || !slices.Equal(got, pcm) {
			t.Fatalf("size %#x: %d samples at %d Hz, want %d", size, len(got), r.Rate(), len(pcm))
		}
	}
}

// Headers as other writers make them: a LIST chunk of odd size (padded)
// before the data, WAVE_FORMAT_EXTENSIBLE, an 18-byte fmt.
func TestWAVReaderHeaders(t *testing.T) {
	pcm := []int16{1, -2, 3, -4}
	data := AppendPCM16(nil, pcm)
	build := func(fmtChunk []byte, extra ...[]byte) []byte {
		var body []byte
		body = append(body, "WAVE"...)
		body = append(body, chunk("fmt ", fmtChunk)...)
		for _, e := range extra {
			body = append(body, e...)
		}
		body = append(body, chunk("data", data)...)
		return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
	}
	pcmFmt := func(tag uint16, size int) []byte {
		f := make([]byte, size)
		binary.LittleEndian.PutUint16(f[0:], tag)
		binary.LittleEndian.PutUint16(f[2:], 1)
		binary.LittleEndian.PutUint32(f[4:], 16000)
		binary.LittleEndian.PutUint32(f[8:], 32000)
		binary.LittleEndian.PutUint16(f[12:], 2)
		binary.LittleEndian.PutUint16(f[14:], 16)
		return f
	}
	ext := pcmFmt(0xFFFE, 40)
	binary.LittleEndian.PutUint16(ext[24:], 1) // KSDATAFORMAT_SUBTYPE_PCM
	for name, file := range map[string][]byte{
		"LIST of odd size": build(pcmFmt(1, 16), chunk("LIST", []byte("INFOISFT\x03\x00\x00\x00ab\x00"))),
		"extensible":       build(ext),
		"18-byte fmt":      build(pcmFmt(1, 18)),
	} {
		got, rate, ch, err := DecodeWAV(file)
		if err != nil || rate != 16000 || ch != 1 || !slices.Equal(got, pcm) {
			t.Errorf("%s: %v %d %d %v", name, got, rate, ch, err)
		}
	}

	bad := map[string][]byte{
		"empty":    nil,
		"not RIFF": []byte("RIFX\x00\x00\x00\x00WAVEfmt "),
		"8-bit": build(func() []byte {
			f := pcmFmt(1, 16)
			binary.LittleEndian.PutUint16(f[14:], 8)
			binary.LittleEndian.PutUint16(f[12:], 1)
			return f
		}()),
		"float":         build(pcmFmt(3, 16)),
		"μ-law":         build(pcmFmt(7, 16)),
		"no channels":   build(func() []byte { f := pcmFmt(1, 16); binary.LittleEndian.PutUint16(f[2:], 0); return f }()),
		"short fmt":     build(make([]byte, 8)),
		"data first":    append([]byte("RIFF\x00\x00\x00\x00WAVE"), chunk("data", data)...),
		"huge junk":     append([]byte("RIFF\x00\x00\x00\x00WAVE"), chunk("junk", make([]byte, 16))[:8:8]...),
		"no data chunk": []byte("RIFF\x00\x00\x00\x00WAVE"),
	}
	// A junk chunk claiming 2 GiB is refused before it is read.
	binary.LittleEndian.PutUint32(bad["huge junk"][16:], 0x7FFFFFFF)
	for name, file := range bad {
		if _, _, _, err := DecodeWAV(file); !errors.Is(err, ErrNotWAV) {
			t.Errorf("%s: %v, want ErrNotWAV", name, err)
		}
	}
}

// A file whose header gives its length but whose data stops short.
func TestWAVReaderTruncated(t *testing.T) {
	b := EncodeWAV(8000, 1, Speech(1, 8000, 100*time.Millisecond, -20))
	_, _, _, err := DecodeWAV(b[:len(b)-100])
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated file: %v", err)
	}
}

func chunk(id string, body []byte) []byte {
	b := binary.LittleEndian.AppendUint32([]byte(id), uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func TestInterleave(t *testing.T) {
	got := Interleave(nil, []int16{1, 2, 3}, []int16{-1})
	if !slices.Equal(got, []int16{1, -1, 2, 0, 3, 0}) {
		t.Fatalf("Interleave = %v", got)
	}
}
