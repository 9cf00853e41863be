package media

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendMedia appends the media message that plays mulaw (raw 8 kHz
// μ-law, no WAV header) on the stream. It allocates nothing when dst has
// room: a connection's writer reuses one buffer per message.
func AppendMedia(dst []byte, streamSID string, mulaw []byte) []byte {
	dst = append(dst, `{"event":"media","streamSid":`...)
	dst = appendString(dst, streamSID)
	dst = append(dst, `,"media":{"payload":"`...)
	dst = b64.AppendEncode(dst, mulaw)
	return append(dst, `"}}`...)
}

// AppendMark appends a mark message: Twilio sends the mark back when the
// audio sent before it has finished playing, or was cleared.
func AppendMark(dst []byte, streamSID, name string) []byte {
	dst = append(dst, `{"event":"mark","streamSid":`...)
	dst = appendString(dst, streamSID)
	dst = append(dst, `,"mark":{"name":`...)
	dst = appendString(dst, name)
	return append(dst, `}}`...)
}

// AppendClear appends a clear message: Twilio drops the audio it has not
// played yet and sends back the marks still pending.
func AppendClear(dst []byte, streamSID string) []byte {
	dst = append(dst, `{"event":"clear","streamSid":`...)
	dst = appendString(dst, streamSID)
	return append(dst, '}')
}

// AppendOutbound appends m, one of the messages we send.
func AppendOutbound(dst []byte, m *Outbound) []byte {
	switch m.Event {
	case EventMedia:
		return AppendMedia(dst, m.StreamSID, m.Payload)
	case EventMark:
		return AppendMark(dst, m.StreamSID, m.Mark.Name)
	default:
		return AppendClear(dst, m.StreamSID)
	}
}

// AppendInbound appends m as Twilio sends it (counters as strings of
// digits, field order as in Twilio's examples). Twilio's side of the
// protocol, for tests, benchmarks and the demo caller.
func AppendInbound(dst []byte, m *Inbound) []byte {
	dst = append(dst, `{"event":`...)
	dst = appendString(dst, m.Event)
	if m.Event == EventConnected {
		dst = append(dst, `,"protocol":`...)
		dst = appendString(dst, m.Connected.Protocol)
		dst = append(dst, `,"version":`...)
		dst = appendString(dst, m.Connected.Version)
		return append(dst, '}')
	}
	dst = append(dst, `,"sequenceNumber":`...)
	dst = appendCounter(dst, m.SequenceNumber)
	dst = append(dst, `,"streamSid":`...)
	dst = appendString(dst, m.StreamSID)
	switch m.Event {
	case EventStart:
		st := &m.Start
		dst = append(dst, `,"start":{"accountSid":`...)
		dst = appendString(dst, st.AccountSID)
		dst = append(dst, `,"streamSid":`...)
		dst = appendString(dst, st.StreamSID)
		dst = append(dst, `,"callSid":`...)
		dst = appendString(dst, st.CallSID)
		dst = append(dst, `,"tracks":[`...)
		for i, t := range st.Tracks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, t)
		}
		dst = append(dst, `],"customParameters":{`...)
		names := make([]string, 0, len(st.CustomParameters))
		for k := range st.CustomParameters {
			names = append(names, k)
		}
		slices.Sort(names)
		for i, k := range names {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendString(dst, st.CustomParameters[k])
		}
		dst = append(dst, `},"mediaFormat":{"encoding":`...)
		dst = appendString(dst, st.MediaFormat.Encoding)
		dst = append(dst, `,"sampleRate":`...)
		dst = strconv.AppendInt(dst, int64(st.MediaFormat.SampleRate), 10)
		dst = append(dst, `,"channels":`...)
		dst = strconv.AppendInt(dst, int64(st.MediaFormat.Channels), 10)
		dst = append(dst, `}}`...)
	case EventMedia:
		md := &m.Media
		dst = append(dst, `,"media":{"track":`...)
		dst = appendString(dst, md.Track)
		dst = append(dst, `,"chunk":`...)
		dst = appendCounter(dst, md.Chunk)
		dst = append(dst, `,"timestamp":`...)
		dst = appendCounter(dst, md.Timestamp)
		dst = append(dst, `,"payload":"`...)
		dst = b64.AppendEncode(dst, md.Payload)
		dst = append(dst, `"}`...)
	case EventDTMF:
		dst = append(dst, `,"dtmf":{"track":`...)
		dst = appendString(dst, m.DTMF.Track)
		dst = append(dst, `,"digit":`...)
		dst = appendString(dst, m.DTMF.Digit)
		dst = append(dst, '}')
	case EventMark:
		dst = append(dst, `,"mark":{"name":`...)
		dst = appendString(dst, m.Mark.Name)
		dst = append(dst, '}')
	case EventStop:
		dst = append(dst, `,"stop":{"accountSid":`...)
		dst = appendString(dst, m.Stop.AccountSID)
		dst = append(dst, `,"callSid":`...)
		dst = appendString(dst, m.Stop.CallSID)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

func appendCounter(dst []byte, n uint64) []byte {
	dst = append(dst, '"')
	dst = strconv.AppendUint(dst, n, 10)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does, so the output is always valid JSON.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Twilio plays Twilio's side of one stream: it numbers messages and
// media chunks and stamps media with stream time, as Twilio does. For
// tests, benchmarks and the demo caller; not safe for concurrent use.
type Twilio struct {
	AccountSID string
	StreamSID  string
	CallSID    string
	// CustomParameters for the start message (the TwiML <Parameter>s).
	CustomParameters map[string]string

	seq     uint64
	chunks  uint64
	samples uint64 // μ-law bytes sent: stream time at 8 kHz
}

func (t *Twilio) next() uint64 {
	t.seq++
	return t.seq
}

// Elapsed is the stream time of the audio sent so far.
func (t *Twilio) Elapsed() time.Duration {
	return time.Duration(t.samples) * time.Second / SampleRate
}

// AppendConnected appends the first message of a stream.
func (t *Twilio) AppendConnected(dst []byte) []byte {
	return AppendInbound(dst, &Inbound{Event: EventConnected, Connected: Connected{Protocol: "Call", Version: "1.0.0"}})
}

// AppendStart appends the start message of a bidirectional stream
// (inbound track, 8 kHz μ-law).
func (t *Twilio) AppendStart(dst []byte) []byte {
	return AppendInbound(dst, &Inbound{
		Event: EventStart, SequenceNumber: t.next(), StreamSID: t.StreamSID,
		Start: Start{
			AccountSID: t.AccountSID, StreamSID: t.StreamSID, CallSID: t.CallSID,
			Tracks:           []string{TrackInbound},
			CustomParameters: t.CustomParameters,
			MediaFormat:      MediaFormat{Encoding: Encoding, SampleRate: SampleRate, Channels: Channels},
		},
	})
}

// AppendMedia appends a media message of caller audio (raw μ-law,
// normally one 20 ms frame).
func (t *Twilio) AppendMedia(dst []byte, mulaw []byte) []byte {
	t.chunks++
	m := Inbound{
		Event: EventMedia, SequenceNumber: t.next(), StreamSID: t.StreamSID,
		Media: Media{Track: TrackInbound, Chunk: t.chunks, Timestamp: uint64(t.Elapsed() / time.Millisecond), Payload: mulaw},
	}
	t.samples += uint64(len(mulaw))
	return AppendInbound(dst, &m)
}

// AppendDTMF appends a key press; digit is one of 0-9 * # A-D.
func (t *Twilio) AppendDTMF(dst []byte, digit string) []byte {
	return AppendInbound(dst, &Inbound{
		Event: EventDTMF, SequenceNumber: t.next(), StreamSID: t.StreamSID,
		DTMF: DTMF{Track: TrackInboundTrack, Digit: digit},
	})
}

// AppendMark appends the echo of one of our marks: its audio has played.
func (t *Twilio) AppendMark(dst []byte, name string) []byte {
	return AppendInbound(dst, &Inbound{Event: EventMark, SequenceNumber: t.next(), StreamSID: t.StreamSID, Mark: Mark{Name: name}})
}

// AppendStop appends the last message of a stream.
func (t *Twilio) AppendStop(dst []byte) []byte {
	return AppendInbound(dst, &Inbound{
		Event: EventStop, SequenceNumber: t.next(), StreamSID: t.StreamSID,
		Stop: Stop{AccountSID: t.AccountSID, CallSID: t.CallSID},
	})
}
