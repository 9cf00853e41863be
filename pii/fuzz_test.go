package pii_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/frontdesk/frontdesk/pii"
)

// FuzzDetect (issue 12, item 9): the detector never panics on any text,
// and every entity it reports lies inside the text, in code points, with a
// known type; what RedactForLLM returns is valid text. `frontdesk pii scan`
// (the JSON lines front end) answers every line, garbage included.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"My NHS number is 943 476 5919 and I was born on 4th March 1961",
		"Zoë Ångström, call me on 020 7946 0018 or zoe@example.org",
		"card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32",
		"I take metformin 500mg for type 2 diabetes and have chest pains",
		"\xff\xfe invalid utf-8 \xc3",
		"0\u200b7\u200b7\u200b0\u200b0 900 123",
		strings.Repeat("9", 300),
		"",
	} {
		f.Add(s)
	}
	d := pii.NewDetector(pii.Options{Procedures: []string{"hydrafacial"}})
	types := map[string]bool{}
	for _, t := range []string{"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "DATE_OF_BIRTH", "NATIONAL_ID",
		"INSURANCE_ID", "CREDIT_CARD", "IBAN_CODE", "MEDICAL_CONDITION", "MEDICATION", "PROCEDURE"} {
		types[t] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := utf8.RuneCountInString(text)
		for _, e := range d.Detect(text) {
			if e.Start < 0 || e.End > n || e.Start >= e.End {
				t.Fatalf("entity %+v outside [0, %d) of %q", e, n, text)
			}
			if !types[e.Type] {
				t.Fatalf("unknown entity type %q", e.Type)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(d.RedactForLLM(text)) {
			t.Fatalf("redaction broke valid text %q", text)
		}
		line, _ := json.Marshal(map[string]string{"id": "x", "text": text})
		var out bytes.Buffer
		if err := pii.Scan(context.Background(), d, bytes.NewReader(append(line, '\n')), &out); err != nil {
			t.Fatalf("scan: %v", err)
		}
		if out.Len() == 0 {
			t.Fatalf("scan answered nothing for %q", text)
		}
	})
}
