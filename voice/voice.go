// Package voice is frontdesk's streaming voice path: a Twilio Media Streams
// WebSocket per call, caller audio through turn-taking and speech-to-text
// into an agent (an LLM with tools, or the embedded rule-based
// receptionist), and the agent's words back through text-to-speech as
// paced μ-law frames.
//
// This file holds the small interfaces the pipeline is built from, so that
// OpenAI-compatible providers (voice/openai), the embedded offline ones
// (voice/embedded) and test fakes are interchangeable. The pure parts live
// in subpackages that import nothing of frontdesk: voice/media (the wire
// protocol), voice/audio (μ-law, resampling), voice/turn (VAD, endpointing,
// barge-in) and voice/chunk (clauses for TTS).
package voice

import (
	"context"
)

// CallerRate is the sample rate of telephone audio: Twilio sends and
// expects 8 kHz μ-law, which the pipeline decodes to 16-bit PCM.
const CallerRate = 8000

// FrameSamples is one 20 ms Media Streams frame at CallerRate.
const FrameSamples = 160

// Word is one recognised word with the recogniser's confidence in [0,1]
// (1 when the provider gives none).
type Word struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
}

// Transcript is what a recogniser heard in one utterance.
type Transcript struct {
	Text string `json:"text"`
	// Final is false for a streaming provider's partial hypothesis.
	Final bool `json:"final"`
	// Confidence of the whole utterance in [0,1]; 1 when unknown.
	Confidence float64 `json:"confidence"`
	// Words, when the provider reports them (the embedded recogniser
	// does, and its per-word confidence is how out-of-vocabulary speech
	// forced into clinic words is rejected).
	Words []Word `json:"words,omitempty"`
}

// Recognizer is speech-to-text for one call at a time.
type Recognizer interface {
	// Open starts recognising one call's caller audio (CallerRate PCM).
	Open(ctx context.Context) (RecognizerStream, error)
}

// RecognizerStream receives a call's caller audio in order and answers
// what was said in the current utterance: the audio written since the
// last Commit.
//
// The session calls Transcribe speculatively on a short pause and cancels
// its context when the caller goes on; it may then call Transcribe again
// for the same, longer utterance. A per-utterance provider (OpenAI's
// CreateTranscription) sends the utterance's audio on each call; a
// streaming provider answers from what it has already recognised.
type RecognizerStream interface {
	// Write appends caller audio (CallerRate, mono). It must not block on
	// the network: the WebSocket reader calls it for every frame.
	Write(samples []int16) error
	// Transcribe returns the final transcript of the current utterance,
	// waiting until the recogniser has dealt with all audio written so
	// far. An utterance with no words answers an empty Text, not an error.
	Transcribe(ctx context.Context) (Transcript, error)
	// Commit ends the current utterance: audio written afterwards belongs
	// to the next one.
	Commit()
	// Close releases the stream (and any subprocess behind it).
	Close() error
}

// RecognizerFactory makes the recogniser for a clinic's calls: a prompt or
// language model built from the clinic's own words (procedures,
// practitioners) recognises them far better.
type RecognizerFactory func(ctx context.Context, clinic *ClinicProfile) (Recognizer, error)

// PartialTranscripts is implemented by streaming recognisers that report
// partial hypotheses while the caller speaks. Optional.
type PartialTranscripts interface {
	Partials() <-chan Transcript
}

// Synthesizer is text-to-speech.
type Synthesizer interface {
	// Synthesize starts speaking text. Audio streams as the provider
	// produces it: the first samples are readable before the whole clause
	// is synthesised. An error answer of the provider is an error here,
	// never audio.
	Synthesize(ctx context.Context, text string) (Speech, error)
}

// Speech is one clause's audio as it arrives: 16-bit mono PCM at Rate().
type Speech interface {
	Rate() int
	// Read fills p with the next samples; io.EOF after the last.
	Read(p []int16) (int, error)
	Close() error
}
