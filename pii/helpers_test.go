package pii

import "fmt"

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
