package pii

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestScanContract(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a1","text":"Zoë Ångström, call me on 020 7946 0018"}`,
		`{"id":42,"text":"nothing here"}`,
		``,
		`{"id":{"call":"CA1"},"text":"my card is 4111 1111 1111 1111"}`,
	}, "\n")
	var out bytes.Buffer
	require.NoError(t, Scan(context.Background(), testDetector, strings.NewReader(in), &out))

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 3, "blank lines produce no output")
	assert.JSONEq(t, `{"id":"a1","entities":[
		{"type":"PERSON","category":"contact","start":0,"end":12,"score":0.75},
		{"type":"PHONE_NUMBER","category":"contact","start":25,"end":38,"score":0.85}]}`, lines[0])
	assert.JSONEq(t, `{"id":42,"entities":[]}`, lines[1])
	assert.JSONEq(t, `{"id":{"call":"CA1"},"entities":[{"type":"CREDIT_CARD","category":"financial","start":11,"end":30,"score":1}]}`, lines[2])

	// Offsets are code points: "Zoë Ångström" is 12 runes but 14 bytes.
	var rec struct {
		Entities []Entity `json:"entities"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec))
	text := []rune("Zoë Ångström, call me on 020 7946 0018")
	assert.Equal(t, "Zoë Ångström", string(text[rec.Entities[0].Start:rec.Entities[0].End]))
	assert.Equal(t, "020 7946 0018", string(text[rec.Entities[1].Start:rec.Entities[1].End]))
}

func TestScanMalformedLines(t *testing.T) {
	in := strings.Join([]string{
		`{"id":1,"text":"fine"}`,
		`{"id":2,"text":`,
		`{"id":3}`,
		`{"id":4,"text":5}`,
		`not json at all`,
		`{"id":6,"text":"still scanned after errors: 020 7946 0018"}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	err := Scan(context.Background(), testDetector, strings.NewReader(in), &out)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrMalformedInput))
	assert.Contains(t, err.Error(), "4 malformed line(s)")
	assert.Contains(t, err.Error(), "line 2:")

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 6, "one output line per input line")
	type errLine struct {
		ID    json.RawMessage `json:"id"`
		Error string          `json:"error"`
	}
	for i, want := range map[int]struct{ id, msg string }{
		1: {"null", "line 2:"},
		2: {"3", `line 3: malformed input: missing "text"`},
		3: {"4", "line 4:"},
		4: {"null", "line 5:"},
	} {
		var e errLine
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &e), lines[i])
		assert.Equal(t, want.id, string(e.ID), lines[i])
		assert.True(t, strings.HasPrefix(e.Error, want.msg), lines[i])
	}
	assert.Contains(t, lines[5], `"PHONE_NUMBER"`)
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Scan(ctx, testDetector, strings.NewReader(`{"id":1,"text":"x"}`), &bytes.Buffer{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDetectConcurrent(t *testing.T) {
	texts := []string{
		"my number is oh seven seven double oh nine hundred one two three",
		"I'm Sarah Mitchell, card 4111 1111 1111 1111",
		"I live at 42 Harley Street, London W1G 9PF and I have asthma",
	}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = spans(testDetector, s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 50 {
				i := (g + n) % len(texts)
				assert.Equal(t, want[i], spans(testDetector, texts[i]))
			}
		}()
	}
	wg.Wait()
}

func TestReportJSONAndPrint(t *testing.T) {
	r, err := Eval(testDetector, "testdata/clinic_calls.json")
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back Report
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r.Sentences, back.Sentences)
	assert.Len(t, back.Types, len(Types))
	var buf bytes.Buffer
	r.Print(&buf)
	assert.Contains(t, buf.String(), "MEDICAL_CONDITION")
	assert.Contains(t, buf.String(), "sentences/s")

	_, err = Eval(testDetector, "testdata/does-not-exist.json")
	assert.Error(t, err)
}
