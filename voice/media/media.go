// Package media owns the Twilio Media Streams wire protocol: the JSON
// messages of a bidirectional <Connect><Stream> WebSocket, both ways.
//
// Our side parses what Twilio sends (Parser.Parse) and encodes what we send
// (AppendMedia, AppendMark, AppendClear). Twilio's side is here too
// (Twilio's Append methods, ParseOutbound) so tests, benchmarks and the
// demo caller can play Twilio with the same code that defines the format.
//
// Parsing is strict and cheap: a media message of one 20 ms frame parses
// without allocating, its payload decoded into the Parser's own buffer.
// Every refusal wraps one of the Err sentinels below; Reason maps it to a
// short label for counting malformed messages. Errors name fields, never
// values: a DTMF digit or a custom parameter may be personal data.
//
// The package imports nothing of frontdesk.
package media

import "time"

// Event names, as they appear in a message's "event" field.
const (
	EventConnected = "connected"
	EventStart     = "start"
	EventMedia     = "media"
	EventDTMF      = "dtmf"
	EventMark      = "mark"
	EventStop      = "stop"
	EventClear     = "clear"
)

// Track names. Media messages use inbound/outbound; Twilio labels DTMF
// with inbound_track.
const (
	TrackInbound       = "inbound"
	TrackOutbound      = "outbound"
	TrackInboundTrack  = "inbound_track"
	TrackOutboundTrack = "outbound_track"
)

// The only media format a Media Stream carries.
const (
	Encoding   = "audio/x-mulaw"
	SampleRate = 8000
	Channels   = 1
)

const (
	// FrameBytes is one 20 ms frame of 8 kHz μ-law: Twilio's media unit.
	FrameBytes = 160
	// FrameDuration is the audio time of FrameBytes.
	FrameDuration = 20 * time.Millisecond
	// MaxPayloadBytes bounds one media message's audio: 500 ms. Twilio
	// sends 20 ms per message; we send 20 ms too.
	MaxPayloadBytes = 25 * FrameBytes
	// MaxMessageBytes bounds a whole message. A 20 ms media message is
	// about 300 bytes of JSON; a start with custom parameters under 2 KiB.
	MaxMessageBytes = 16 << 10
	// MaxMarkNameBytes bounds a mark's name (we choose our names; Twilio
	// echoes them).
	MaxMarkNameBytes = 128
	// MaxSIDBytes bounds a Twilio SID (they are 34 characters).
	MaxSIDBytes = 64
	// MaxTextBytes bounds other short text fields (protocol, version,
	// encoding, custom parameter names).
	MaxTextBytes = 64
	// MaxCustomParameters bounds start.customParameters.
	MaxCustomParameters = 32
	// MaxCustomValueBytes bounds one custom parameter's value.
	MaxCustomValueBytes = 1024
)

// Inbound is one message from Twilio. Event says which of the per-event
// fields is set; the others are zero.
type Inbound struct {
	Event string
	// SequenceNumber counts Twilio's messages from 1 (0 on connected).
	SequenceNumber uint64
	// StreamSID is the Media Stream's SID ("" on connected).
	StreamSID string

	Connected Connected
	Start     Start
	Media     Media
	DTMF      DTMF
	Mark      Mark
	Stop      Stop
}

// Connected is the first message of a stream.
type Connected struct {
	Protocol string // "Call"
	Version  string // "1.0.0"
}

// Start describes the stream; it comes once, after connected.
type Start struct {
	AccountSID string
	StreamSID  string
	CallSID    string
	// Tracks expected in media messages: inbound and/or outbound.
	Tracks []string
	// CustomParameters are the TwiML <Parameter>s (nil when none). Twilio
	// logs them: they must never carry personal data.
	CustomParameters map[string]string
	MediaFormat      MediaFormat
}

// MediaFormat is the audio format of the stream's payloads. Parse refuses
// anything but 8 kHz mono μ-law.
type MediaFormat struct {
	Encoding   string
	SampleRate int
	Channels   int
}

// Media is one chunk of audio.
type Media struct {
	Track string
	// Chunk counts media messages from 1.
	Chunk uint64
	// Timestamp is the stream time of the chunk's start, in milliseconds.
	Timestamp uint64
	// Payload is raw μ-law, a whole number of 20 ms frames. From
	// Parser.Parse it aliases the Parser's buffer: valid until its next
	// Parse.
	Payload []byte
}

// Time is the chunk's stream time.
func (m Media) Time() time.Duration { return time.Duration(m.Timestamp) * time.Millisecond }

// DTMF is one key the caller pressed.
type DTMF struct {
	Track string
	// Digit is one of 0-9 * # A-D.
	Digit string
}

// Mark names a point in the audio we sent; Twilio sends it back when the
// audio before it has played (or was cleared).
type Mark struct {
	Name string
}

// Stop ends the stream.
type Stop struct {
	AccountSID string
	CallSID    string
}

// Outbound is one message we send to Twilio: media, mark or clear.
type Outbound struct {
	Event     string
	StreamSID string
	// Payload of a media message: raw μ-law.
	Payload []byte
	// Mark of a mark message.
	Mark Mark
}
