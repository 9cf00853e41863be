package openai

import (
	"encoding/binary"
	"errors"
)

// encodeWAV wraps 16-bit mono PCM in a canonical 44-byte RIFF header, the
// one container every transcription server accepts.
func encodeWAV(samples []int16, rate int) []byte {
	data := 2 * len(samples)
	b := make([]byte, 44+data)
	le := binary.LittleEndian
	copy(b[0:], "RIFF")
	le.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVE")
	copy(b[12:], "fmt ")
	le.PutUint32(b[16:], 16) // fmt chunk size
	le.PutUint16(b[20:], 1)  // PCM
	le.PutUint16(b[22:], 1)  // mono
	le.PutUint32(b[24:], uint32(rate))
	le.PutUint32(b[28:], uint32(2*rate)) // byte rate
	le.PutUint16(b[32:], 2)              // block align
	le.PutUint16(b[34:], 16)             // bits per sample
	copy(b[36:], "data")
	le.PutUint32(b[40:], uint32(data))
	for i, s := range samples {
		le.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}

// wavFormat is what a WAV header says of its audio.
type wavFormat struct {
	rate, channels, bits int
}

var errNotWAV = errors.New("not a RIFF/WAVE header")

// parseWAVFormat reads a "fmt " chunk's body.
func parseWAVFormat(b []byte) (wavFormat, error) {
	if len(b) < 16 {
		return wavFormat{}, errors.New("wav: fmt chunk too short")
	}
	le := binary.LittleEndian
	f := wavFormat{
		channels: int(le.Uint16(b[2:])),
		rate:     int(le.Uint32(b[4:])),
		bits:     int(le.Uint16(b[14:])),
	}
	if tag := le.Uint16(b[0:]); tag != 1 && tag != 0xFFFE {
		return f, errors.New("wav: not PCM")
	}
	return f, nil
}
