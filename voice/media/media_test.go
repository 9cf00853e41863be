package media_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/voice/media"
)

// Fictional SIDs in Twilio's shape.
const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	streamSID  = "MZ18ad3ab5a668481ce02b83e7395059f0"
	callSID    = "CA0123456789abcdef0123456789abcdef"
)

func frame(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

func newTwilio() *media.Twilio {
	return &media.Twilio{AccountSID: accountSID, StreamSID: streamSID, CallSID: callSID,
		CustomParameters: map[string]string{"clinic": "c-42", "lang": "en-GB"}}
}

// Twilio's side encodes every message type; our side parses it back to
// the same value.
func TestInboundRoundTrip(t *testing.T) {
	tw := newTwilio()
	payload := make([]byte, 2*media.FrameBytes)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	tests := []struct {
		name string
		msg  []byte
		want media.Inbound
	}{
		{"connected", tw.AppendConnected(nil), media.Inbound{Event: "connected", Connected: media.Connected{Protocol: "Call", Version: "1.0.0"}}},
		{"start", tw.AppendStart(nil), media.Inbound{Event: "start", SequenceNumber: 1, StreamSID: streamSID, Start: media.Start{
			AccountSID: accountSID, StreamSID: streamSID, CallSID: callSID, Tracks: []string{"inbound"},
			CustomParameters: map[string]string{"clinic": "c-42", "lang": "en-GB"},
			MediaFormat:      media.MediaFormat{Encoding: "audio/x-mulaw", SampleRate: 8000, Channels: 1}}}},
		{"media", tw.AppendMedia(nil, payload[:media.FrameBytes]), media.Inbound{Event: "media", SequenceNumber: 2, StreamSID: streamSID,
			Media: media.Media{Track: "inbound", Chunk: 1, Timestamp: 0, Payload: payload[:media.FrameBytes]}}},
		{"media 2 frames", tw.AppendMedia(nil, payload), media.Inbound{Event: "media", SequenceNumber: 3, StreamSID: streamSID,
			Media: media.Media{Track: "inbound", Chunk: 2, Timestamp: 20, Payload: payload}}},
		{"dtmf", tw.AppendDTMF(nil, "#"), media.Inbound{Event: "dtmf", SequenceNumber: 4, StreamSID: streamSID,
			DTMF: media.DTMF{Track: "inbound_track", Digit: "#"}}},
		{"mark", tw.AppendMark(nil, "turn 3/clause 2 ✓"), media.Inbound{Event: "mark", SequenceNumber: 5, StreamSID: streamSID,
			Mark: media.Mark{Name: "turn 3/clause 2 ✓"}}},
		{"stop", tw.AppendStop(nil), media.Inbound{Event: "stop", SequenceNumber: 6, StreamSID: streamSID,
			Stop: media.Stop{AccountSID: accountSID, CallSID: callSID}}},
	}
	var p media.Parser
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid(tt.msg) {
				t.Fatalf("encoder wrote invalid JSON: %s", tt.msg)
			}
			got, err := media.Parse(tt.msg)
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, tt.msg)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse = %+v\nwant    %+v", got, tt.want)
			}
			reused, err := p.Parse(tt.msg)
			if err != nil || !reflect.DeepEqual(reused, tt.want) {
				t.Fatalf("Parser.Parse = %+v, %v", reused, err)
			}
			again := media.AppendInbound(nil, &got)
			if !bytes.Equal(again, tt.msg) {
				t.Fatalf("re-encoded differently:\n%s\n%s", again, tt.msg)
			}
		})
	}
	if got := tw.Elapsed(); got != 60*time.Millisecond {
		t.Errorf("Elapsed = %v after three frames, want 60ms", got)
	}
}

func TestOutboundRoundTrip(t *testing.T) {
	audio := frame(media.FrameBytes, 0xff)
	tests := []struct {
		name string
		msg  []byte
		want media.Outbound
	}{
		{"media", media.AppendMedia(nil, streamSID, audio), media.Outbound{Event: "media", StreamSID: streamSID, Payload: audio}},
		{"media odd length", media.AppendMedia(nil, streamSID, audio[:7]), media.Outbound{Event: "media", StreamSID: streamSID, Payload: audio[:7]}},
		{"mark", media.AppendMark(nil, streamSID, `say "hi"\n`), media.Outbound{Event: "mark", StreamSID: streamSID, Mark: media.Mark{Name: `say "hi"\n`}}},
		{"clear", media.AppendClear(nil, streamSID), media.Outbound{Event: "clear", StreamSID: streamSID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var generic map[string]any
			if err := json.Unmarshal(tt.msg, &generic); err != nil {
				t.Fatalf("invalid JSON %s: %v", tt.msg, err)
			}
			got, err := media.ParseOutbound(tt.msg)
			if err != nil {
				t.Fatalf("ParseOutbound: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if again := media.AppendOutbound(nil, &got); !bytes.Equal(again, tt.msg) {
				t.Fatalf("re-encoded differently:\n%s\n%s", again, tt.msg)
			}
		})
	}
}

// The payload is plain base64 of the raw μ-law, as Twilio wants it.
func TestAppendMediaWireFormat(t *testing.T) {
	got := string(media.AppendMedia(nil, "MZ1", []byte{0xff, 0x7f, 0x00}))
	want := `{"event":"media","streamSid":"MZ1","media":{"payload":"/38A"}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	var v struct {
		Event     string `json:"event"`
		StreamSid string `json:"streamSid"`
		Media     struct {
			Payload []byte `json:"payload"`
		} `json:"media"`
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil || !bytes.Equal(v.Media.Payload, []byte{0xff, 0x7f, 0x00}) {
		t.Fatalf("encoding/json reads %+v, %v", v, err)
	}
}

// Messages as Twilio's documentation prints them: indented, fields in
// another order.
func TestParseDocumentedMessages(t *testing.T) {
	pay := strings.Repeat("/", 212) + "/w=="
	docs := []struct {
		msg   string
		event string
		check func(media.Inbound) bool
	}{
		{`{
  "event": "connected",
  "protocol": "Call",
  "version": "1.0.0"
}`, "connected", func(m media.Inbound) bool { return m.Connected.Version == "1.0.0" }},
		{`{
  "event": "start",
  "sequenceNumber": "1",
  "start": {
    "accountSid": "` + accountSID + `",
    "streamSid": "` + streamSID + `",
    "callSid": "` + callSID + `",
    "tracks": [ "inbound", "outbound" ],
    "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
    "customParameters": { "FirstParam": "one", "SecondParam": "two" }
  },
  "streamSid": "` + streamSID + `"
}`, "start", func(m media.Inbound) bool {
			return len(m.Start.Tracks) == 2 && m.Start.CustomParameters["SecondParam"] == "two"
		}},
		{`{ "event": "media", "sequenceNumber": "3", "media": { "track": "outbound", "chunk": "1", "timestamp": "5", "payload": "` + pay + `" }, "streamSid": "` + streamSID + `" }`,
			"media", func(m media.Inbound) bool {
				return m.Media.Track == "outbound" && m.Media.Timestamp == 5 && len(m.Media.Payload) == 160 && m.Media.Time() == 5*time.Millisecond
			}},
		{`{ "event": "dtmf", "streamSid": "` + streamSID + `", "sequenceNumber": "5", "dtmf": { "track": "inbound_track", "digit": "1" } }`,
			"dtmf", func(m media.Inbound) bool { return m.DTMF.Digit == "1" }},
		{`{ "event": "mark", "sequenceNumber": "4", "streamSid": "` + streamSID + `", "mark": { "name": "my label" } }`,
			"mark", func(m media.Inbound) bool { return m.Mark.Name == "my label" }},
		{`{ "event": "stop", "sequenceNumber": "5", "streamSid": "` + streamSID + `", "stop": { "accountSid": "` + accountSID + `", "callSid": "` + callSID + `" } }`,
			"stop", func(m media.Inbound) bool { return m.Stop.CallSID == callSID }},
	}
	for _, d := range docs {
		m, err := media.Parse([]byte(d.msg))
		if err != nil {
			t.Fatalf("%s: %v", d.event, err)
		}
		if m.Event != d.event || !d.check(m) {
			t.Errorf("%s parsed as %+v", d.event, m)
		}
	}
}

// Forward compatibility and JSON's corners: unknown fields are skipped,
// escapes are decoded, counters may be plain integers.
func TestParseTolerates(t *testing.T) {
	tests := []struct {
		name, msg string
		check     func(media.Inbound) bool
	}{
		{"unknown fields of any shape",
			`{"event":"mark","future":{"a":[1,2.5e-3,{"b":null}],"c":true,"d":false},"sequenceNumber":"9","streamSid":"MZ1","mark":{"name":"m","extra":"x"}}`,
			func(m media.Inbound) bool { return m.Mark.Name == "m" && m.SequenceNumber == 9 }},
		{"escaped key and value",
			`{"\u0065vent":"mark","sequenceNumber":"1","streamSid":"MZ1","mark":{"name":"caf\u00e9 \ud83d\ude00 \/ \"q\""}}`,
			func(m media.Inbound) bool { return m.Event == "mark" && m.Mark.Name == `café 😀 / "q"` }},
		{"integer counters",
			`{"event":"media","sequenceNumber":7,"streamSid":"MZ1","media":{"track":"inbound","chunk":6,"timestamp":100,"payload":"` + b64frame + `"}}`,
			func(m media.Inbound) bool {
				return m.SequenceNumber == 7 && m.Media.Chunk == 6 && m.Media.Timestamp == 100
			}},
		{"largest counter",
			`{"event":"mark","sequenceNumber":"18446744073709551615","streamSid":"MZ1","mark":{"name":"m"}}`,
			func(m media.Inbound) bool { return m.SequenceNumber == 1<<64-1 }},
		{"fields of another event are dropped",
			`{"event":"mark","sequenceNumber":"1","streamSid":"MZ1","mark":{"name":"m"},"stop":{"accountSid":"AC1","callSid":"CA1"}}`,
			func(m media.Inbound) bool { return m.Stop == media.Stop{} }},
		{"no custom parameters",
			`{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":"8000","channels":1}}}`,
			func(m media.Inbound) bool { return m.Start.CustomParameters == nil }},
	}
	for _, tt := range tests {
		m, err := media.Parse([]byte(tt.msg))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !tt.check(m) {
			t.Errorf("%s: parsed as %+v", tt.name, m)
		}
	}
}

var b64frame = strings.Repeat("/", 212) + "/w=="

func TestParseRefuses(t *testing.T) {
	media1 := func(payload string) string {
		return `{"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"` + payload + `"}}`
	}
	mark := func(name string) string {
		return `{"event":"mark","sequenceNumber":"2","streamSid":"MZ1","mark":{"name":` + name + `}}`
	}
	start := func(format string) string {
		return `{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"mediaFormat":` + format + `}}`
	}
	tests := []struct {
		name, msg string
		want      error
		field     string
	}{
		{"empty", ``, media.ErrBadJSON, ""},
		{"not an object", `[]`, media.ErrBadJSON, ""},
		{"trailing garbage", `{"event":"mark","sequenceNumber":"2","streamSid":"MZ1","mark":{"name":"m"}} x`, media.ErrBadJSON, ""},
		{"two messages", `{"event":"mark","sequenceNumber":"2","streamSid":"MZ1","mark":{"name":"m"}}{}`, media.ErrBadJSON, ""},
		{"trailing comma", `{"event":"mark",}`, media.ErrBadJSON, ""},
		{"truncated", media1(b64frame)[:100], media.ErrBadJSON, "media"},
		{"control char in string", "{\"event\":\"mark\x01\"}", media.ErrBadJSON, "event"},
		{"invalid utf-8", "{\"event\":\"\xff\"}", media.ErrBadJSON, "event"},
		{"lone surrogate", `{"event":"mark","x":"\ud800"}`, media.ErrBadJSON, ""},
		{"leading zero number", `{"event":"mark","x":01}`, media.ErrBadJSON, ""},
		{"deep nesting", `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, media.ErrBadJSON, ""},
		{"too large", `{"event":"mark","x":"` + strings.Repeat("a", media.MaxMessageBytes) + `"}`, media.ErrTooLarge, ""},
		{"no event", `{"sequenceNumber":"1"}`, media.ErrMissingField, "event"},
		{"unknown event", `{"event":"hello"}`, media.ErrUnknownEvent, "event"},
		{"our event from Twilio", `{"event":"clear","streamSid":"MZ1"}`, media.ErrUnknownEvent, "event"},
		{"event not a string", `{"event":1}`, media.ErrBadJSON, "event"},
		{"duplicate event", `{"event":"mark","event":"stop"}`, media.ErrDuplicateField, ""},
		{"missing streamSid", `{"event":"mark","sequenceNumber":"2","mark":{"name":"m"}}`, media.ErrMissingField, "streamSid"},
		{"missing sequenceNumber", `{"event":"mark","streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrMissingField, "sequenceNumber"},
		{"missing mark", `{"event":"mark","sequenceNumber":"2","streamSid":"MZ1"}`, media.ErrMissingField, "mark"},
		{"missing protocol", `{"event":"connected","version":"1.0.0"}`, media.ErrMissingField, "protocol"},
		{"non-digit sequence", `{"event":"mark","sequenceNumber":"1a","streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrBadNumber, "sequenceNumber"},
		{"negative sequence", `{"event":"mark","sequenceNumber":-1,"streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrBadNumber, "sequenceNumber"},
		{"fractional sequence", `{"event":"mark","sequenceNumber":1.5,"streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrBadNumber, "sequenceNumber"},
		{"empty sequence", `{"event":"mark","sequenceNumber":"","streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrBadNumber, "sequenceNumber"},
		{"overflowing sequence", `{"event":"mark","sequenceNumber":"18446744073709551616","streamSid":"MZ1","mark":{"name":"m"}}`, media.ErrBadNumber, "sequenceNumber"},
		{"signed chunk", strings.Replace(media1(b64frame), `"chunk":"1"`, `"chunk":"+1"`, 1), media.ErrBadNumber, "media.chunk"},
		{"bad timestamp", strings.Replace(media1(b64frame), `"timestamp":"0"`, `"timestamp":"0x10"`, 1), media.ErrBadNumber, "media.timestamp"},
		{"bad SID", `{"event":"mark","sequenceNumber":"2","streamSid":"MZ 1","mark":{"name":"m"}}`, media.ErrBadSID, "streamSid"},
		{"long SID", `{"event":"mark","sequenceNumber":"2","streamSid":"` + strings.Repeat("M", 65) + `","mark":{"name":"m"}}`, media.ErrBadSID, "streamSid"},
		{"bad base64", media1(strings.Repeat("!", 216)), media.ErrBadBase64, "media.payload"},
		{"unpadded base64", media1(strings.Repeat("/", 214)), media.ErrBadBase64, "media.payload"},
		{"base64 with newline", media1(b64frame[:100] + `\n` + b64frame[100:]), media.ErrBadBase64, "media.payload"},
		{"non-canonical base64", media1(strings.Repeat("/", 212) + "/x=="), media.ErrBadBase64, "media.payload"},
		{"empty payload", media1(""), media.ErrBadPayload, "media.payload"},
		{"partial frame", media1("/38A"), media.ErrBadPayload, "media.payload"},
		{"payload too long", media1(strings.Repeat(b64frame, 26)), media.ErrBadPayload, "media.payload"},
		{"bad track", strings.Replace(media1(b64frame), `"inbound"`, `"sideways"`, 1), media.ErrBadTrack, "media.track"},
		{"dtmf track on media", strings.Replace(media1(b64frame), `"inbound"`, `"inbound_track"`, 1), media.ErrBadTrack, "media.track"},
		{"media without payload", `{"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"0"}}`, media.ErrMissingField, "media.payload"},
		{"bad digit", `{"event":"dtmf","sequenceNumber":"2","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"E"}}`, media.ErrBadDigit, "dtmf.digit"},
		{"two digits", `{"event":"dtmf","sequenceNumber":"2","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"12"}}`, media.ErrBadDigit, "dtmf.digit"},
		{"lowercase digit", `{"event":"dtmf","sequenceNumber":"2","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"a"}}`, media.ErrBadDigit, "dtmf.digit"},
		{"empty mark name", mark(`""`), media.ErrBadMarkName, "mark.name"},
		{"long mark name", mark(`"` + strings.Repeat("x", media.MaxMarkNameBytes+1) + `"`), media.ErrBadMarkName, "mark.name"},
		{"control char in mark name", mark(`"a\nb"`), media.ErrBadMarkName, "mark.name"},
		{"mark name not a string", mark(`7`), media.ErrBadJSON, "mark.name"},
		{"stop without callSid", `{"event":"stop","sequenceNumber":"9","streamSid":"MZ1","stop":{"accountSid":"AC1"}}`, media.ErrMissingField, "stop.callSid"},
		{"start of another stream", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `"streamSid":"MZ1","start"`, `"streamSid":"MZ2","start"`, 1), media.ErrStreamMismatch, "start.streamSid"},
		{"start in L16", start(`{"encoding":"audio/l16","sampleRate":8000,"channels":1}`), media.ErrUnsupportedFormat, "start.mediaFormat"},
		{"start at 16 kHz", start(`{"encoding":"audio/x-mulaw","sampleRate":16000,"channels":1}`), media.ErrUnsupportedFormat, "start.mediaFormat"},
		{"start without channels", start(`{"encoding":"audio/x-mulaw","sampleRate":8000}`), media.ErrMissingField, "start.mediaFormat"},
		{"start with no tracks", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `["inbound"]`, `[]`, 1), media.ErrMissingField, "start.tracks"},
		{"start with a bad track", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `["inbound"]`, `["both"]`, 1), media.ErrBadTrack, "start.tracks"},
		{"start with duplicate tracks", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `["inbound"]`, `["inbound","inbound"]`, 1), media.ErrDuplicateField, "start.tracks"},
		{"start without format", `{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"]}}`, media.ErrMissingField, "start.mediaFormat"},
		{"duplicate custom parameter", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `"tracks"`, `"customParameters":{"a":"1","a":"2"},"tracks"`, 1), media.ErrDuplicateField, "start.customParameters"},
		{"custom parameter not a string", strings.Replace(start(`{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}`), `"tracks"`, `"customParameters":{"a":1},"tracks"`, 1), media.ErrBadJSON, "start.customParameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := media.Parse([]byte(tt.msg))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %+v, %v; want %v", m, err, tt.want)
			}
			var pe *media.ParseError
			if !errors.As(err, &pe) || pe.Field != tt.field {
				t.Fatalf("error %v: field %q, want %q", err, pe.Field, tt.field)
			}
			if r := media.Reason(err); r == "" || r == "other" {
				t.Fatalf("Reason(%v) = %q", err, r)
			}
			var p media.Parser
			if _, err2 := p.Parse([]byte(tt.msg)); !errors.Is(err2, tt.want) {
				t.Fatalf("Parser.Parse: %v, Parse: %v", err2, err)
			}
		})
	}
}

func TestParseOutboundRefuses(t *testing.T) {
	tests := []struct {
		name, msg string
		want      error
	}{
		{"Twilio's event", `{"event":"stop","streamSid":"MZ1"}`, media.ErrUnknownEvent},
		{"no streamSid", `{"event":"clear"}`, media.ErrMissingField},
		{"media without payload", `{"event":"media","streamSid":"MZ1","media":{}}`, media.ErrMissingField},
		{"empty payload", `{"event":"media","streamSid":"MZ1","media":{"payload":""}}`, media.ErrBadPayload},
		{"WAV-like junk", `{"event":"media","streamSid":"MZ1","media":{"payload":"UklGR!"}}`, media.ErrBadBase64},
		{"mark without name", `{"event":"mark","streamSid":"MZ1","mark":{}}`, media.ErrMissingField},
	}
	for _, tt := range tests {
		if _, err := media.ParseOutbound([]byte(tt.msg)); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

// Errors never quote the message: a DTMF digit or a mark name could be
// personal data.
func TestErrorsHoldNoValues(t *testing.T) {
	msg := `{"event":"dtmf","sequenceNumber":"2","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"SECRET"}}`
	_, err := media.Parse([]byte(msg))
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error %v", err)
	}
}

func TestReason(t *testing.T) {
	if media.Reason(nil) != "" || media.Reason(errors.New("x")) != "other" {
		t.Fatal("Reason of nil or a foreign error")
	}
	_, err := media.Parse([]byte(`{"event":"mark","sequenceNumber":"x","streamSid":"MZ1","mark":{"name":"m"}}`))
	if media.Reason(err) != "bad_number" {
		t.Fatalf("Reason(%v) = %q", err, media.Reason(err))
	}
}

// The connection's reader parses a media message every 20 ms: with a
// Parser that allocates nothing.
func TestParserMediaAllocatesNothing(t *testing.T) {
	tw := newTwilio()
	msg := tw.AppendMedia(nil, frame(media.FrameBytes, 0x55))
	var p media.Parser
	if _, err := p.Parse(msg); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := p.Parse(msg); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Parser.Parse of a media message: %v allocations, want 0", allocs)
	}
	dst := make([]byte, 0, 512)
	audio := frame(media.FrameBytes, 0x55)
	allocs = testing.AllocsPerRun(100, func() { dst = media.AppendMedia(dst[:0], streamSID, audio) })
	if allocs != 0 {
		t.Fatalf("AppendMedia: %v allocations, want 0", allocs)
	}
}

// The payload of one Parse is overwritten by the next: documented, and
// the reason Parse (not Parser) hands out its own memory.
func TestParsePayloadOwnership(t *testing.T) {
	tw := newTwilio()
	a := tw.AppendMedia(nil, frame(media.FrameBytes, 1))
	b := tw.AppendMedia(nil, frame(media.FrameBytes, 2))
	ma, _ := media.Parse(a)
	if _, err := media.Parse(b); err != nil {
		t.Fatal(err)
	}
	if ma.Media.Payload[0] != 1 {
		t.Fatal("Parse's payload was overwritten by a later Parse")
	}
	var p media.Parser
	pa, _ := p.Parse(a)
	if _, err := p.Parse(b); err != nil {
		t.Fatal(err)
	}
	if pa.Media.Payload[0] != 2 {
		t.Fatal("a Parser is expected to reuse its payload buffer")
	}
}

func TestValidMarkName(t *testing.T) {
	for name, want := range map[string]bool{"m1": true, "turn 3 ✓": true, "": false, "a\tb": false, "\xff": false, strings.Repeat("x", 129): false} {
		if got := media.ValidMarkName(name); got != want {
			t.Errorf("ValidMarkName(%q) = %v", name, got)
		}
	}
}

func TestLimiter(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	l := media.NewLimiter(media.DefaultRate, media.DefaultBurst)
	// Twilio's own pace, 50 messages a second for a minute, never trips it.
	now := t0
	for i := 0; i < 3000; i++ {
		if !l.Allow(now) {
			t.Fatalf("message %d at Twilio's rate refused", i)
		}
		now = now.Add(20 * time.Millisecond)
	}
	// A 5 s network stall delivers 250 messages at once: allowed.
	now = now.Add(5 * time.Second)
	for i := 0; i < 250; i++ {
		if !l.Allow(now) {
			t.Fatalf("backlog message %d refused", i)
		}
	}
	// A flood (10,000 messages in one second) is mostly refused.
	flood := media.NewLimiter(media.DefaultRate, media.DefaultBurst)
	allowed := 0
	for i := 0; i < 10000; i++ {
		if flood.Allow(t0.Add(time.Duration(i) * 100 * time.Microsecond)) {
			allowed++
		}
	}
	if want := media.DefaultBurst + media.DefaultRate + 1; allowed > want {
		t.Fatalf("flood: %d allowed in a second, want at most %d", allowed, want)
	}
	if allowed < media.DefaultBurst {
		t.Fatalf("flood: only %d allowed, the burst is %d", allowed, media.DefaultBurst)
	}
	// A clock that steps back refunds nothing.
	back := media.NewLimiter(1, 1)
	if !back.Allow(t0) || back.Allow(t0.Add(-time.Hour)) || back.Allow(t0) {
		t.Fatal("a backwards clock refilled the bucket")
	}
}
