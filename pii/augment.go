package pii

import (
	"strings"
	"unicode"
)

// asrCopy rewrites a training sample as speech-to-text writes it: lower
// case, without punctuation or apostrophes ("It's my Ventolin." becomes
// "its my ventolin"), its spans moved with the text. About a third of
// the calls the voice path transcribes look like this, and the tagger
// learns much of its evidence from capitals and punctuation; the copy
// teaches it the same spans without them. ok is false when the sample
// already reads that way.
func asrCopy(s sample) (out sample, ok bool) {
	runes := []rune(s.Text)
	newPos := make([]int, len(runes)+1) // old rune offset -> new one
	var b strings.Builder
	n := 0
	lastSpace := true // drops leading spaces and doubled ones
	for i, r := range runes {
		newPos[i] = n
		switch {
		case unicode.IsPunct(r) && r != '-' && r != '@' && r != '/' && r != '+':
			continue
		case unicode.IsSpace(r):
			if lastSpace {
				continue
			}
			lastSpace = true
			b.WriteRune(' ')
		default:
			lastSpace = false
			b.WriteRune(unicode.ToLower(r))
		}
		n++
	}
	newPos[len(runes)] = n
	text := b.String()
	if text == s.Text {
		return sample{}, false
	}
	out.Text = text
	for _, g := range s.Spans {
		if g.Start < 0 || g.End > len(runes) || g.Start >= g.End {
			continue // malformed; goldTags skips it in the original too
		}
		a, e := newPos[g.Start], newPos[g.End]
		for e > a && out.Text[runeByte(out.Text, e-1)] == ' ' {
			e-- // a span that ended on dropped punctuation
		}
		if e > a {
			out.Spans = append(out.Spans, goldSpan{Type: g.Type, Start: a, End: e})
		}
	}
	return out, true
}

// runeByte is the byte offset of rune k of s.
func runeByte(s string, k int) int {
	for b := range s {
		if k == 0 {
			return b
		}
		k--
	}
	return len(s)
}

// withASRCopies returns samples followed by the speech-to-text copy of
// each one that differs.
func withASRCopies(samples []sample) []sample {
	out := append([]sample(nil), samples...)
	for _, s := range samples {
		if c, ok := asrCopy(s); ok {
			out = append(out, c)
		}
	}
	return out
}
