package spoken

import (
	"strconv"
	"strings"
	"unicode"
)

var titles = map[string]string{"dr": "doctor", "mr": "mister", "mrs": "missus", "ms": "miss", "prof": "professor"}

// NameWords says a name from the clinic's records (a procedure, a
// practitioner, the clinic) as the words a caller would use: "Dr Amara
// Okafor" is "doctor amara okafor", "Covid-19 jab" is "covid nineteen jab".
func NameWords(name string) []string {
	name = strings.ReplaceAll(name, "&", " and ")
	var out []string
	for _, w := range Words(name) {
		if t, ok := titles[w]; ok {
			out = append(out, t)
			continue
		}
		out = append(out, numberWords(w)...)
	}
	return out
}

// numberWords says a digit token in words ("19" as "nineteen", "2nd" as
// "second"); other tokens are returned as they are.
func numberWords(w string) []string {
	if w == "" || !unicode.IsDigit(rune(w[0])) {
		return []string{w}
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if n, err := strconv.Atoi(strings.TrimSuffix(w, suf)); err == nil && strings.HasSuffix(w, suf) && n >= 0 && n < 100 {
			return strings.Fields(Ordinal(n))
		}
	}
	if n, err := strconv.Atoi(w); err == nil && n >= 0 && n < 100 {
		return strings.Fields(Number(n))
	}
	// Anything else digit by digit.
	var out []string
	for _, r := range w {
		if unicode.IsDigit(r) {
			out = append(out, ones[r-'0'])
		}
	}
	return out
}

// Acronyms lists the words of name written in capitals ("MRI", "ECG"),
// lower case: they are spoken letter by letter.
func Acronyms(name string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(f) >= 2 && len(f) <= 5 && strings.ToUpper(f) == f && strings.IndexFunc(f, unicode.IsDigit) < 0 {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}
