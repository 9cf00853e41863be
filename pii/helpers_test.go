package pii

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// spans renders Detect's output as "TYPE:value" strings, values cut from the
// original text by code-point offsets, so tests also check the offsets.
func spans(d *Detector, text string) []string {
	r := []rune(text)
	var out []string
	for _, e := range d.Detect(text) {
		out = append(out, fmt.Sprintf("%s:%s", e.Type, string(r[e.Start:e.End])))
	}
	return out
}

// typesOf returns the value found for each type (last one wins).
func typesOf(d *Detector, text string) map[string]string {
	r := []rune(text)
	m := map[string]string{}
	for _, e := range d.Detect(text) {
		m[e.Type] = string(r[e.Start:e.End])
	}
	return m
}

var testDetector = NewDetector(Options{Procedures: []string{"Hydrafacial", "Invisalign consultation"}})

// finds is one text and the value a detector must find in it.
type finds struct{ text, want string }

// requireFinds checks that each text yields an entity of typ with exactly
// the wanted value, and that none of the texts in misses yields one of
// typ at all.
func requireFinds(t *testing.T, d *Detector, typ string, hits []finds, misses []string) {
	t.Helper()
	for _, c := range hits {
		got := spans(d, c.text)
		if !slices.Contains(got, typ+":"+c.want) {
			t.Errorf("%q: want %s %q, got %v", c.text, typ, c.want, got)
		}
	}
	for _, text := range misses {
		for _, sp := range spans(d, text) {
			if strings.HasPrefix(sp, typ+":") {
				t.Errorf("%q: unwanted %s", text, sp)
			}
		}
	}
}
