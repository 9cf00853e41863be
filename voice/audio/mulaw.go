// Package audio owns the sound itself on frontdesk's voice path: μ-law ↔
// 16-bit PCM, resampling between the rates providers speak and the 8 kHz
// of a phone line, frame energy, real-time pacing of outbound frames, WAV
// files, and synthetic test signals (speech-like audio, noise,
// backchannels) for tests and benchmarks.
//
// PCM here is signed 16-bit mono (or interleaved stereo for recordings)
// held in []int16. Functions on the per-frame path append to a
// caller-provided slice, so a call's pipeline reuses its buffers and
// allocates nothing per 20 ms frame.
//
// The package imports nothing of frontdesk.
package audio

import (
	"slices"

	"github.com/zaf/g711"
)

// DecodeMulaw appends the 16-bit PCM of G.711 μ-law samples to dst.
// μ-law 0xFF and 0x7F are the two zeros; 0x80 and 0x00 are ±32124, the
// largest magnitudes.
func DecodeMulaw(dst []int16, mulaw []byte) []int16 {
	dst = slices.Grow(dst, len(mulaw))
	for _, b := range mulaw {
		dst = append(dst, g711.DecodeUlawFrame(b))
	}
	return dst
}

// EncodeMulaw appends the G.711 μ-law of 16-bit PCM samples to dst.
func EncodeMulaw(dst []byte, pcm []int16) []byte {
	dst = slices.Grow(dst, len(pcm))
	for _, s := range pcm {
		dst = append(dst, g711.EncodeUlawFrame(s))
	}
	return dst
}

// DecodePCM16 appends little-endian 16-bit PCM bytes (OpenAI's "pcm"
// format, a WAV data chunk) as samples to dst. A trailing odd byte is
// ignored: callers read in even byte counts.
func DecodePCM16(dst []int16, le []byte) []int16 {
	dst = slices.Grow(dst, len(le)/2)
	for i := 0; i+1 < len(le); i += 2 {
		dst = append(dst, int16(uint16(le[i])|uint16(le[i+1])<<8))
	}
	return dst
}

// AppendPCM16 appends samples to dst as little-endian 16-bit PCM bytes.
func AppendPCM16(dst []byte, pcm []int16) []byte {
	dst = slices.Grow(dst, 2*len(pcm))
	for _, s := range pcm {
		dst = append(dst, byte(s), byte(uint16(s)>>8))
	}
	return dst
}
