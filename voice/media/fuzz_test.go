package media_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/frontdesk/frontdesk/voice/media"
)

// FuzzParse feeds any bytes to both parsers (Twilio's messages and ours)
// and checks what must hold whatever the input: no panic; a Parser and
// Parse agree; an accepted message is valid JSON, says what
// encoding/json reads in it, and re-encodes to a message that parses to
// the same value and re-encodes to the same bytes; a refusal has a
// reason. Seeds: testdata/fuzz/FuzzParse (valid-* and bad-* files, which
// TestSeedCorpus keeps honest).
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		checkInbound(t, b)
		checkOutbound(t, b)
	})
}

func checkInbound(t *testing.T, b []byte) {
	m, err := media.Parse(b)
	var p media.Parser
	m2, err2 := p.Parse(b)
	if !sameError(err, err2) {
		t.Fatalf("Parse: %v, Parser.Parse: %v", err, err2)
	}
	if err != nil {
		checkRefusal(t, err)
		return
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("Parse %+v, Parser.Parse %+v", m, m2)
	}
	if !json.Valid(b) {
		t.Fatalf("accepted invalid JSON %q", b)
	}
	agreeWithEncodingJSON(t, b, m.Event, m.StreamSID, m.Media.Payload)
	enc := media.AppendInbound(nil, &m)
	m3, err := media.Parse(enc)
	if err != nil {
		t.Fatalf("re-encoded %q: %v", enc, err)
	}
	if !reflect.DeepEqual(m, m3) {
		t.Fatalf("round trip changed the message:\n%+v\n%+v", m, m3)
	}
	if again := media.AppendInbound(nil, &m3); !bytes.Equal(enc, again) {
		t.Fatalf("encoding is not stable:\n%s\n%s", enc, again)
	}
}

func checkOutbound(t *testing.T, b []byte) {
	o, err := media.ParseOutbound(b)
	var p media.Parser
	o2, err2 := p.ParseOutbound(b)
	if !sameError(err, err2) {
		t.Fatalf("ParseOutbound: %v, Parser.ParseOutbound: %v", err, err2)
	}
	if err != nil {
		checkRefusal(t, err)
		return
	}
	if !reflect.DeepEqual(o, o2) {
		t.Fatalf("ParseOutbound %+v, Parser.ParseOutbound %+v", o, o2)
	}
	if !json.Valid(b) {
		t.Fatalf("accepted invalid JSON %q", b)
	}
	agreeWithEncodingJSON(t, b, o.Event, o.StreamSID, o.Payload)
	enc := media.AppendOutbound(nil, &o)
	o3, err := media.ParseOutbound(enc)
	if err != nil {
		t.Fatalf("re-encoded %q: %v", enc, err)
	}
	if !reflect.DeepEqual(o, o3) {
		t.Fatalf("round trip changed the message:\n%+v\n%+v", o, o3)
	}
}

func sameError(a, b error) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	return a == nil || media.Reason(a) == media.Reason(b)
}

func checkRefusal(t *testing.T, err error) {
	var pe *media.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("refusal %v is not a *ParseError", err)
	}
	if r := media.Reason(err); r == "" || r == "other" {
		t.Fatalf("refusal %v has no reason", err)
	}
}

// agreeWithEncodingJSON reads b with encoding/json (exact keys, through a
// map) and checks it sees the same event, stream and payload.
func agreeWithEncodingJSON(t *testing.T, b []byte, event, streamSID string, payload []byte) {
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("encoding/json refuses what we accepted: %v", err)
	}
	if v["event"] != event {
		t.Fatalf("event %q, encoding/json reads %v", event, v["event"])
	}
	if streamSID != "" && v["streamSid"] != streamSID {
		t.Fatalf("streamSid %q, encoding/json reads %v", streamSID, v["streamSid"])
	}
	if payload != nil {
		md, _ := v["media"].(map[string]any)
		text, _ := md["payload"].(string)
		want, err := base64.StdEncoding.DecodeString(text)
		if err != nil || !bytes.Equal(want, payload) {
			t.Fatalf("payload differs from encoding/json's reading (%v)", err)
		}
	}
}

// TestSeedCorpus checks the checked-in seeds still mean what their names
// say: valid-* parse (as Twilio's or as ours), bad-* are refused as
// Twilio's (some are fine as ours: we may send a partial frame).
func TestSeedCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/FuzzParse/*")
	if err != nil || len(files) < 20 {
		t.Fatalf("seed corpus: %d files, %v", len(files), err)
	}
	kinds := map[string]int{}
	for _, file := range files {
		b := readSeed(t, file)
		name := filepath.Base(file)
		_, errIn := media.Parse(b)
		_, errOut := media.ParseOutbound(b)
		switch {
		case strings.HasPrefix(name, "valid-"):
			if errIn != nil && errOut != nil {
				t.Errorf("%s refused: %v / %v", name, errIn, errOut)
			}
			if errIn == nil {
				m, _ := media.Parse(b)
				kinds[m.Event]++
			} else {
				kinds["out-"+name]++
			}
		case strings.HasPrefix(name, "bad-"):
			if errIn == nil {
				t.Errorf("%s accepted", name)
			}
		default:
			t.Errorf("%s: seed names start with valid- or bad-", name)
		}
		checkInbound(t, b)
		checkOutbound(t, b)
	}
	for _, e := range []string{"connected", "start", "media", "dtmf", "mark", "stop"} {
		if kinds[e] == 0 {
			t.Errorf("no valid %s seed", e)
		}
	}
}

// readSeed reads a file in the "go test fuzz v1" format holding one
// []byte value.
func readSeed(t *testing.T, file string) []byte {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	header, rest, ok := strings.Cut(string(raw), "\n")
	if !ok || header != "go test fuzz v1" {
		t.Fatalf("%s: not a fuzz corpus file", file)
	}
	lit := strings.TrimSpace(rest)
	if !strings.HasPrefix(lit, "[]byte(") || !strings.HasSuffix(lit, ")") {
		t.Fatalf("%s: want one []byte value", file)
	}
	s, err := strconv.Unquote(lit[len("[]byte(") : len(lit)-1])
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return []byte(s)
}
