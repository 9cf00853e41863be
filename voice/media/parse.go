package media

import (
	"encoding/base64"
	"unicode/utf8"
)

// b64 is standard base64 with padding, refusing non-zero padding bits, so
// a payload has exactly one spelling and re-encodes to the same text.
var b64 = base64.StdEncoding.Strict()

// Parser parses one connection's messages. It keeps a payload buffer and
// the stream's SID between calls, so parsing a media message allocates
// nothing. The zero value is ready to use; a Parser is not safe for
// concurrent use.
type Parser struct {
	s       scanner
	payload []byte
	// fresh: give every message its own payload (the package-level Parse).
	fresh bool
	// sid is the last streamSid seen, reused rather than allocated again.
	sid string
}

// Parse parses one message from Twilio. The result owns its memory.
// A connection's reader should use a Parser instead, which does not
// allocate per media message.
func Parse(b []byte) (Inbound, error) {
	p := Parser{fresh: true}
	return p.Parse(b)
}

// ParseOutbound parses one message we send (media, mark or clear), as
// Twilio reads it: for tests and the demo caller.
func ParseOutbound(b []byte) (Outbound, error) {
	p := Parser{fresh: true}
	return p.ParseOutbound(b)
}

// Top-level fields, as bits of a seen-mask.
const (
	fEvent = 1 << iota
	fSeq
	fSID
	fProtocol
	fVersion
	fStart
	fMedia
	fDTMF
	fMark
	fStop
)

// Parse parses one message from Twilio. Media.Payload of the result
// aliases the Parser's buffer and is valid until the next call.
func (p *Parser) Parse(b []byte) (Inbound, error) {
	var m Inbound
	if len(b) > MaxMessageBytes {
		return Inbound{}, fail(ErrTooLarge, "")
	}
	p.s.reset(b)
	seen, err := p.object("", func(k []byte) (int, error) {
		switch string(k) {
		case "event":
			return fEvent, p.event(&m.Event, inboundEvents)
		case "sequenceNumber":
			return fSeq, p.counter(&m.SequenceNumber, "sequenceNumber")
		case "streamSid":
			return fSID, p.streamSID(&m.StreamSID)
		case "protocol":
			return fProtocol, p.text(&m.Connected.Protocol, "protocol", 1, MaxTextBytes)
		case "version":
			return fVersion, p.text(&m.Connected.Version, "version", 1, MaxTextBytes)
		case "start":
			return fStart, p.start(&m.Start)
		case "media":
			return fMedia, p.media(&m.Media)
		case "dtmf":
			return fDTMF, p.dtmf(&m.DTMF)
		case "mark":
			return fMark, p.mark(&m.Mark, "mark.name")
		case "stop":
			return fStop, p.stop(&m.Stop)
		}
		return 0, p.skip()
	})
	if err != nil {
		return Inbound{}, err
	}
	if !p.s.end() {
		return Inbound{}, p.badJSON("")
	}
	if seen&fEvent == 0 {
		return Inbound{}, fail(ErrMissingField, "event")
	}
	// Keep only the event's own fields, so one message has one value.
	out := Inbound{Event: m.Event, SequenceNumber: m.SequenceNumber, StreamSID: m.StreamSID}
	var need int
	switch m.Event {
	case EventConnected:
		need = fProtocol | fVersion
		out.SequenceNumber, out.StreamSID = 0, ""
		out.Connected = m.Connected
	case EventStart:
		need = fSeq | fSID | fStart
		out.Start = m.Start
	case EventMedia:
		need = fSeq | fSID | fMedia
		out.Media = m.Media
	case EventDTMF:
		need = fSeq | fSID | fDTMF
		out.DTMF = m.DTMF
	case EventMark:
		need = fSeq | fSID | fMark
		out.Mark = m.Mark
	case EventStop:
		need = fSeq | fSID | fStop
		out.Stop = m.Stop
	}
	if missing := need &^ seen; missing != 0 {
		return Inbound{}, fail(ErrMissingField, topField(missing))
	}
	if m.Event == EventStart && m.Start.StreamSID != m.StreamSID {
		return Inbound{}, fail(ErrStreamMismatch, "start.streamSid")
	}
	return out, nil
}

func topField(missing int) string {
	names := []string{"event", "sequenceNumber", "streamSid", "protocol", "version", "start", "media", "dtmf", "mark", "stop"}
	for i, n := range names {
		if missing&(1<<i) != 0 {
			return n
		}
	}
	return ""
}

// ParseOutbound parses one message we send. Payload of the result aliases
// the Parser's buffer and is valid until the next call.
func (p *Parser) ParseOutbound(b []byte) (Outbound, error) {
	var m Outbound
	if len(b) > MaxMessageBytes {
		return Outbound{}, fail(ErrTooLarge, "")
	}
	p.s.reset(b)
	seen, err := p.object("", func(k []byte) (int, error) {
		switch string(k) {
		case "event":
			return fEvent, p.event(&m.Event, outboundEvents)
		case "streamSid":
			return fSID, p.streamSID(&m.StreamSID)
		case "media":
			return fMedia, p.outboundMedia(&m.Payload)
		case "mark":
			return fMark, p.mark(&m.Mark, "mark.name")
		}
		return 0, p.skip()
	})
	if err != nil {
		return Outbound{}, err
	}
	if !p.s.end() {
		return Outbound{}, p.badJSON("")
	}
	if seen&fEvent == 0 {
		return Outbound{}, fail(ErrMissingField, "event")
	}
	out := Outbound{Event: m.Event, StreamSID: m.StreamSID}
	need := fSID
	switch m.Event {
	case EventMedia:
		need |= fMedia
		out.Payload = m.Payload
	case EventMark:
		need |= fMark
		out.Mark = m.Mark
	}
	if missing := need &^ seen; missing != 0 {
		return Outbound{}, fail(ErrMissingField, topField(missing))
	}
	return out, nil
}

// object reads an object whose members field handles: it returns the
// field's bit (0 for a field it skipped) and the value's error. object
// refuses a field seen twice, since JSON parsers disagree on which copy
// wins, and returns the mask of fields seen.
func (p *Parser) object(path string, field func(k []byte) (int, error)) (int, error) {
	s := &p.s
	if !s.open('{') {
		return 0, p.badJSON(path)
	}
	seen := 0
	for first := true; ; first = false {
		more, ok := s.member('}', first)
		if !ok {
			return 0, p.badJSON(path)
		}
		if !more {
			return seen, nil
		}
		k, ok := s.key()
		if !ok {
			return 0, p.badJSON(path)
		}
		bit, err := field(k)
		if err != nil {
			return 0, err
		}
		if seen&bit != 0 {
			return 0, fail(ErrDuplicateField, path)
		}
		seen |= bit
	}
}

func (p *Parser) badJSON(path string) error { return fail(ErrBadJSON, path) }

func (p *Parser) skip() error {
	if !p.s.skip(0) {
		return fail(ErrBadJSON, "")
	}
	return nil
}

var (
	inboundEvents  = []string{EventConnected, EventStart, EventMedia, EventDTMF, EventMark, EventStop}
	outboundEvents = []string{EventMedia, EventMark, EventClear}
)

func (p *Parser) event(dst *string, known []string) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, "event")
	}
	for _, e := range known {
		if string(v) == e {
			*dst = e
			return nil
		}
	}
	return fail(ErrUnknownEvent, "event")
}

func (p *Parser) counter(dst *uint64, field string) error {
	n, ok, valid := p.s.uint()
	if !ok {
		return fail(ErrBadJSON, field)
	}
	if !valid {
		return fail(ErrBadNumber, field)
	}
	*dst = n
	return nil
}

func (p *Parser) smallInt(dst *int, field string) error {
	var n uint64
	if err := p.counter(&n, field); err != nil {
		return err
	}
	if n > 1<<31-1 {
		return fail(ErrBadNumber, field)
	}
	*dst = int(n)
	return nil
}

// streamSID reads a SID, reusing the last one's string when it is the same.
func (p *Parser) streamSID(dst *string) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, "streamSid")
	}
	if !validSID(v) {
		return fail(ErrBadSID, "streamSid")
	}
	if string(v) != p.sid {
		p.sid = string(v)
	}
	*dst = p.sid
	return nil
}

func (p *Parser) sidField(dst *string, field string) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, field)
	}
	if !validSID(v) {
		return fail(ErrBadSID, field)
	}
	*dst = string(v)
	return nil
}

// validSID accepts what a Twilio SID can be (two letters and 32 hex
// digits) and a little more, so fakes with short SIDs work: ASCII letters
// and digits only, which also keeps them safe to log.
func validSID(b []byte) bool {
	if len(b) == 0 || len(b) > MaxSIDBytes {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func (p *Parser) text(dst *string, field string, minLen, maxLen int) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, field)
	}
	if !validText(v, minLen, maxLen) {
		return fail(ErrBadText, field)
	}
	*dst = string(v)
	return nil
}

// validText bounds a string's length in bytes and refuses control
// characters (the scanner has already refused invalid UTF-8).
func validText[T string | []byte](b T, minLen, maxLen int) bool {
	if len(b) < minLen || len(b) > maxLen {
		return false
	}
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

func (p *Parser) start(st *Start) error {
	const (
		fAccount = 1 << iota
		fStream
		fCall
		fTracks
		fParams
		fFormat
	)
	seen, err := p.object("start", func(k []byte) (int, error) {
		switch string(k) {
		case "accountSid":
			return fAccount, p.sidField(&st.AccountSID, "start.accountSid")
		case "streamSid":
			return fStream, p.sidField(&st.StreamSID, "start.streamSid")
		case "callSid":
			return fCall, p.sidField(&st.CallSID, "start.callSid")
		case "tracks":
			return fTracks, p.tracks(&st.Tracks)
		case "customParameters":
			return fParams, p.params(&st.CustomParameters)
		case "mediaFormat":
			return fFormat, p.format(&st.MediaFormat)
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	for _, f := range []struct {
		bit  int
		name string
	}{{fAccount, "start.accountSid"}, {fStream, "start.streamSid"}, {fCall, "start.callSid"}, {fTracks, "start.tracks"}, {fFormat, "start.mediaFormat"}} {
		if seen&f.bit == 0 {
			return fail(ErrMissingField, f.name)
		}
	}
	return nil
}

func (p *Parser) tracks(dst *[]string) error {
	s := &p.s
	if !s.open('[') {
		return fail(ErrBadJSON, "start.tracks")
	}
	var tracks []string
	for first := true; ; first = false {
		more, ok := s.member(']', first)
		if !ok {
			return fail(ErrBadJSON, "start.tracks")
		}
		if !more {
			break
		}
		v, ok := s.str()
		if !ok {
			return fail(ErrBadJSON, "start.tracks")
		}
		var t string
		switch string(v) {
		case TrackInbound:
			t = TrackInbound
		case TrackOutbound:
			t = TrackOutbound
		default:
			return fail(ErrBadTrack, "start.tracks")
		}
		for _, have := range tracks {
			if have == t {
				return fail(ErrDuplicateField, "start.tracks")
			}
		}
		tracks = append(tracks, t)
	}
	if len(tracks) == 0 {
		return fail(ErrMissingField, "start.tracks")
	}
	*dst = tracks
	return nil
}

func (p *Parser) params(dst *map[string]string) error {
	var params map[string]string
	_, err := p.object("start.customParameters", func(k []byte) (int, error) {
		if !validText(k, 1, MaxTextBytes) {
			return 0, fail(ErrBadText, "start.customParameters")
		}
		if _, dup := params[string(k)]; dup {
			return 0, fail(ErrDuplicateField, "start.customParameters")
		}
		if len(params) == MaxCustomParameters {
			return 0, fail(ErrBadText, "start.customParameters")
		}
		name := string(k) // before str() reuses the scanner's buffer
		var v string
		if err := p.text(&v, "start.customParameters", 0, MaxCustomValueBytes); err != nil {
			return 0, err
		}
		if params == nil {
			params = make(map[string]string)
		}
		params[name] = v
		return 0, nil
	})
	if err != nil {
		return err
	}
	*dst = params
	return nil
}

func (p *Parser) format(f *MediaFormat) error {
	const (
		fEnc = 1 << iota
		fRate
		fChannels
	)
	seen, err := p.object("start.mediaFormat", func(k []byte) (int, error) {
		switch string(k) {
		case "encoding":
			return fEnc, p.text(&f.Encoding, "start.mediaFormat.encoding", 1, MaxTextBytes)
		case "sampleRate":
			return fRate, p.smallInt(&f.SampleRate, "start.mediaFormat.sampleRate")
		case "channels":
			return fChannels, p.smallInt(&f.Channels, "start.mediaFormat.channels")
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	if seen != fEnc|fRate|fChannels {
		return fail(ErrMissingField, "start.mediaFormat")
	}
	if f.Encoding != Encoding || f.SampleRate != SampleRate || f.Channels != Channels {
		return fail(ErrUnsupportedFormat, "start.mediaFormat")
	}
	return nil
}

func (p *Parser) media(md *Media) error {
	const (
		fTrack = 1 << iota
		fChunk
		fTimestamp
		fPayload
	)
	seen, err := p.object("media", func(k []byte) (int, error) {
		switch string(k) {
		case "track":
			return fTrack, p.track(&md.Track, "media.track", false)
		case "chunk":
			return fChunk, p.counter(&md.Chunk, "media.chunk")
		case "timestamp":
			return fTimestamp, p.counter(&md.Timestamp, "media.timestamp")
		case "payload":
			return fPayload, p.payloadField(&md.Payload, true)
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	switch {
	case seen&fTrack == 0:
		return fail(ErrMissingField, "media.track")
	case seen&fChunk == 0:
		return fail(ErrMissingField, "media.chunk")
	case seen&fTimestamp == 0:
		return fail(ErrMissingField, "media.timestamp")
	case seen&fPayload == 0:
		return fail(ErrMissingField, "media.payload")
	}
	return nil
}

func (p *Parser) outboundMedia(dst *[]byte) error {
	seen, err := p.object("media", func(k []byte) (int, error) {
		if string(k) == "payload" {
			return 1, p.payloadField(dst, false)
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	if seen == 0 {
		return fail(ErrMissingField, "media.payload")
	}
	return nil
}

// payloadField decodes base64 μ-law into the Parser's buffer.
// wholeFrames: Twilio sends whole 20 ms frames; what we send to Twilio
// may be any number of samples.
func (p *Parser) payloadField(dst *[]byte, wholeFrames bool) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, "media.payload")
	}
	if len(v) > b64.EncodedLen(MaxPayloadBytes) {
		return fail(ErrBadPayload, "media.payload")
	}
	var buf []byte
	if p.fresh {
		buf = make([]byte, b64.DecodedLen(len(v)))
	} else {
		if p.payload == nil {
			p.payload = make([]byte, b64.DecodedLen(b64.EncodedLen(MaxPayloadBytes)))
		}
		buf = p.payload
	}
	n, err := b64.Decode(buf, v)
	// The decoder skips CR and LF; a payload with them has more text than
	// its bytes need and is refused too.
	if err != nil || b64.EncodedLen(n) != len(v) {
		return fail(ErrBadBase64, "media.payload")
	}
	if n == 0 || n > MaxPayloadBytes || wholeFrames && n%FrameBytes != 0 {
		return fail(ErrBadPayload, "media.payload")
	}
	*dst = buf[:n:n]
	return nil
}

// track accepts the track names Twilio uses; dtmf also takes the
// *_track spelling Twilio labels DTMF with.
func (p *Parser) track(dst *string, field string, dtmf bool) error {
	v, ok := p.s.str()
	if !ok {
		return fail(ErrBadJSON, field)
	}
	switch string(v) {
	case TrackInbound:
		*dst = TrackInbound
	case TrackOutbound:
		*dst = TrackOutbound
	case TrackInboundTrack:
		if !dtmf {
			return fail(ErrBadTrack, field)
		}
		*dst = TrackInboundTrack
	case TrackOutboundTrack:
		if !dtmf {
			return fail(ErrBadTrack, field)
		}
		*dst = TrackOutboundTrack
	default:
		return fail(ErrBadTrack, field)
	}
	return nil
}

// dtmfDigits are the sixteen DTMF keys; a digit's string is a slice of
// this constant, so parsing one allocates nothing.
const dtmfDigits = "0123456789*#ABCD"

func (p *Parser) dtmf(d *DTMF) error {
	const (
		fTrack = 1 << iota
		fDigit
	)
	seen, err := p.object("dtmf", func(k []byte) (int, error) {
		switch string(k) {
		case "track":
			return fTrack, p.track(&d.Track, "dtmf.track", true)
		case "digit":
			v, ok := p.s.str()
			if !ok {
				return fDigit, fail(ErrBadJSON, "dtmf.digit")
			}
			if len(v) != 1 {
				return fDigit, fail(ErrBadDigit, "dtmf.digit")
			}
			for i := 0; i < len(dtmfDigits); i++ {
				if dtmfDigits[i] == v[0] {
					d.Digit = dtmfDigits[i : i+1]
					return fDigit, nil
				}
			}
			return fDigit, fail(ErrBadDigit, "dtmf.digit")
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	if seen&fTrack == 0 {
		return fail(ErrMissingField, "dtmf.track")
	}
	if seen&fDigit == 0 {
		return fail(ErrMissingField, "dtmf.digit")
	}
	return nil
}

func (p *Parser) mark(mk *Mark, field string) error {
	seen, err := p.object("mark", func(k []byte) (int, error) {
		if string(k) == "name" {
			v, ok := p.s.str()
			if !ok {
				return 1, fail(ErrBadJSON, field)
			}
			if !validText(v, 1, MaxMarkNameBytes) {
				return 1, fail(ErrBadMarkName, field)
			}
			mk.Name = string(v)
			return 1, nil
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	if seen == 0 {
		return fail(ErrMissingField, field)
	}
	return nil
}

func (p *Parser) stop(st *Stop) error {
	const (
		fAccount = 1 << iota
		fCall
	)
	seen, err := p.object("stop", func(k []byte) (int, error) {
		switch string(k) {
		case "accountSid":
			return fAccount, p.sidField(&st.AccountSID, "stop.accountSid")
		case "callSid":
			return fCall, p.sidField(&st.CallSID, "stop.callSid")
		}
		return 0, p.skip()
	})
	if err != nil {
		return err
	}
	if seen&fAccount == 0 {
		return fail(ErrMissingField, "stop.accountSid")
	}
	if seen&fCall == 0 {
		return fail(ErrMissingField, "stop.callSid")
	}
	return nil
}

// ValidMarkName reports whether Twilio's side of this package would
// accept name in a mark: 1 to MaxMarkNameBytes bytes of UTF-8 with no
// control characters.
func ValidMarkName(name string) bool {
	return validText(name, 1, MaxMarkNameBytes) && utf8.ValidString(name)
}
