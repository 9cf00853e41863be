package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// WAV files: 16-bit PCM, RIFF little-endian. Writers record calls (caller
// left, agent right); readers take what espeak-ng and flite write,
// including espeak-ng's --stdout stream, whose header cannot know the
// length and says 0x7FFFF000 (others write 0 or 0xFFFFFFFF).

const wavHeaderBytes = 44

// ErrNotWAV is wrapped by every refusal of a WAV header.
var ErrNotWAV = errors.New("not a 16-bit PCM WAV")

// WAVWriter writes a WAV file of 16-bit samples. The sizes in the header
// are written at Close, which needs an io.WriteSeeker (a file).
type WAVWriter struct {
	w        io.WriteSeeker
	channels int
	data     int64 // bytes of samples written
	buf      []byte
	err      error
}

// NewWAVWriter writes a header for rate Hz and 1 or 2 channels to w.
func NewWAVWriter(w io.WriteSeeker, rate, channels int) (*WAVWriter, error) {
	if rate <= 0 || channels < 1 || channels > 2 {
		return nil, fmt.Errorf("audio: WAV of %d Hz, %d channels: want a positive rate and 1 or 2 channels", rate, channels)
	}
	if _, err := w.Write(wavHeader(rate, channels, 0)); err != nil {
		return nil, fmt.Errorf("audio: write WAV header: %w", err)
	}
	return &WAVWriter{w: w, channels: channels}, nil
}

// Write appends samples, interleaved (left, right, left, …) for stereo.
func (w *WAVWriter) Write(samples []int16) error {
	if w.err != nil {
		return w.err
	}
	if len(samples)%w.channels != 0 {
		return fmt.Errorf("audio: WAV write of %d samples: not a whole number of %d-channel frames", len(samples), w.channels)
	}
	w.buf = AppendPCM16(w.buf[:0], samples)
	n, err := w.w.Write(w.buf)
	w.data += int64(n)
	if err != nil {
		w.err = fmt.Errorf("audio: write WAV samples: %w", err)
	}
	return w.err
}

// Close writes the final sizes into the header. It does not close the
// underlying writer.
func (w *WAVWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.data > 0xFFFFFFFF-36 {
		return fmt.Errorf("audio: WAV of %d bytes is over the format's 4 GiB", w.data)
	}
	if _, err := w.w.Seek(4, io.SeekStart); err != nil {
		return fmt.Errorf("audio: finish WAV: %w", err)
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(36+w.data))
	if _, err := w.w.Write(b[:]); err != nil {
		return fmt.Errorf("audio: finish WAV: %w", err)
	}
	if _, err := w.w.Seek(40, io.SeekStart); err != nil {
		return fmt.Errorf("audio: finish WAV: %w", err)
	}
	binary.LittleEndian.PutUint32(b[:], uint32(w.data))
	if _, err := w.w.Write(b[:]); err != nil {
		return fmt.Errorf("audio: finish WAV: %w", err)
	}
	_, err := w.w.Seek(0, io.SeekEnd)
	return err
}

// Interleave appends left and right as stereo frames (left, right, …) to
// dst, for a call recorded as caller left, agent right. The shorter side
// is padded with silence.
func Interleave(dst, left, right []int16) []int16 {
	n := max(len(left), len(right))
	for i := 0; i < n; i++ {
		var l, r int16
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		dst = append(dst, l, r)
	}
	return dst
}

// EncodeWAV returns a whole WAV file of samples (interleaved for stereo).
func EncodeWAV(rate, channels int, samples []int16) []byte {
	b := wavHeader(rate, channels, 2*len(samples))
	return AppendPCM16(b, samples)
}

func wavHeader(rate, channels, dataBytes int) []byte {
	b := make([]byte, 0, wavHeaderBytes+dataBytes)
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(36+dataBytes))
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = binary.LittleEndian.AppendUint16(b, 1) // PCM
	b = binary.LittleEndian.AppendUint16(b, uint16(channels))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate*channels*2))
	b = binary.LittleEndian.AppendUint16(b, uint16(channels*2))
	b = binary.LittleEndian.AppendUint16(b, 16)
	b = append(b, "data"...)
	return binary.LittleEndian.AppendUint32(b, uint32(dataBytes))
}

// WAVReader reads the samples of a 16-bit PCM WAV stream as it arrives.
type WAVReader struct {
	r        io.Reader
	rate     int
	channels int
	// left is the data bytes still to read; -1 when the header does not
	// know (a stream), which reads to EOF.
	left int64
	buf  []byte
	odd  []byte // a byte of a sample split across reads
}

// maxHeaderSkip bounds the chunks skipped before "data" (LIST, fact, …),
// so garbage cannot make the reader consume a stream looking for it.
const maxHeaderSkip = 1 << 20

// streamingSize reports whether a RIFF or data size is a placeholder for
// "unknown": 0 or 0xFFFFFFFF by convention, 0x7FFFF000 from espeak-ng
// (anything that large is no TTS clause).
func streamingSize(n uint32) bool { return n == 0 || n >= 0x7FFF0000 }

// NewWAVReader reads a WAV header from r, up to the start of its samples.
// It accepts PCM (format 1) and WAVE_FORMAT_EXTENSIBLE with a PCM
// sub-format, 16 bits per sample, 1 to 8 channels.
func NewWAVReader(r io.Reader) (*WAVReader, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return nil, fmt.Errorf("audio: WAV header: %w: %w", ErrNotWAV, err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return nil, fmt.Errorf("audio: WAV header: %w: no RIFF/WAVE", ErrNotWAV)
	}
	w := &WAVReader{r: r}
	haveFmt := false
	skipped := 0
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, fmt.Errorf("audio: WAV header: %w: no data chunk: %w", ErrNotWAV, err)
		}
		id, size := string(ch[0:4]), binary.LittleEndian.Uint32(ch[4:8])
		switch id {
		case "fmt ":
			if size < 16 || size > 1024 {
				return nil, fmt.Errorf("audio: WAV header: %w: fmt chunk of %d bytes", ErrNotWAV, size)
			}
			f := make([]byte, size+size%2)
			if _, err := io.ReadFull(r, f); err != nil {
				return nil, fmt.Errorf("audio: WAV header: %w: %w", ErrNotWAV, err)
			}
			if err := w.format(f[:size]); err != nil {
				return nil, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, fmt.Errorf("audio: WAV header: %w: data before fmt", ErrNotWAV)
			}
			w.left = int64(size)
			if streamingSize(size) {
				w.left = -1
			}
			return w, nil
		default:
			skip := int64(size) + int64(size%2)
			skipped += int(min(skip, maxHeaderSkip+1))
			if skipped > maxHeaderSkip {
				return nil, fmt.Errorf("audio: WAV header: %w: over %d bytes before the data", ErrNotWAV, maxHeaderSkip)
			}
			if _, err := io.CopyN(io.Discard, r, skip); err != nil {
				return nil, fmt.Errorf("audio: WAV header: %w: %w", ErrNotWAV, err)
			}
		}
	}
}

func (w *WAVReader) format(f []byte) error {
	tag := binary.LittleEndian.Uint16(f[0:2])
	channels := int(binary.LittleEndian.Uint16(f[2:4]))
	rate := int(binary.LittleEndian.Uint32(f[4:8]))
	blockAlign := int(binary.LittleEndian.Uint16(f[12:14]))
	bits := int(binary.LittleEndian.Uint16(f[14:16]))
	if tag == 0xFFFE { // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real tag
		if len(f) < 40 {
			return fmt.Errorf("audio: WAV header: %w: short extensible fmt", ErrNotWAV)
		}
		tag = binary.LittleEndian.Uint16(f[24:26])
	}
	switch {
	case tag != 1:
		return fmt.Errorf("audio: WAV header: %w: format %#x is not PCM", ErrNotWAV, tag)
	case bits != 16:
		return fmt.Errorf("audio: WAV header: %w: %d bits per sample", ErrNotWAV, bits)
	case channels < 1 || channels > 8:
		return fmt.Errorf("audio: WAV header: %w: %d channels", ErrNotWAV, channels)
	case rate < 1 || rate > 384000:
		return fmt.Errorf("audio: WAV header: %w: %d Hz", ErrNotWAV, rate)
	case blockAlign != 2*channels:
		return fmt.Errorf("audio: WAV header: %w: block align %d for %d channels", ErrNotWAV, blockAlign, channels)
	}
	w.rate, w.channels = rate, channels
	return nil
}

// Rate is the sample rate in Hz.
func (w *WAVReader) Rate() int { return w.rate }

// Channels is the number of interleaved channels.
func (w *WAVReader) Channels() int { return w.channels }

// Read reads up to len(p) samples (interleaved for stereo). It returns
// io.EOF after the last sample, and io.ErrUnexpectedEOF when a stream
// whose header gave its length ends early.
func (w *WAVReader) Read(p []int16) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	want := int64(2 * len(p))
	if w.left >= 0 {
		if w.left == 0 {
			return 0, io.EOF
		}
		want = min(want, w.left)
	}
	if int64(cap(w.buf)) < want {
		w.buf = make([]byte, want)
	}
	buf := w.buf[:want]
	n := copy(buf, w.odd)
	w.odd = w.odd[:0]
	m, err := w.r.Read(buf[n:])
	n += m
	if w.left >= 0 {
		w.left -= int64(m)
	}
	samples := n / 2
	if n%2 == 1 {
		w.odd = append(w.odd, buf[n-1])
	}
	for i := 0; i < samples; i++ {
		p[i] = int16(binary.LittleEndian.Uint16(buf[2*i:]))
	}
	if err == io.EOF {
		if w.left > 0 {
			err = io.ErrUnexpectedEOF
		} else if samples > 0 {
			err = nil // EOF on the next call
		}
		// A stream that ends on half a sample drops it.
	}
	return samples, err
}

// ReadWAV reads a whole WAV file: samples (interleaved for stereo), rate
// and channel count.
func ReadWAV(r io.Reader) (samples []int16, rate, channels int, err error) {
	w, err := NewWAVReader(r)
	if err != nil {
		return nil, 0, 0, err
	}
	buf := make([]int16, 4096)
	for {
		n, err := w.Read(buf)
		samples = append(samples, buf[:n]...)
		if err == io.EOF {
			return samples, w.rate, w.channels, nil
		}
		if err != nil {
			return samples, w.rate, w.channels, err
		}
	}
}

// DecodeWAV is ReadWAV of an in-memory file.
func DecodeWAV(b []byte) (samples []int16, rate, channels int, err error) {
	return ReadWAV(bytes.NewReader(b))
}
