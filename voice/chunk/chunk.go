// Package chunk owns cutting an agent's streamed reply into clauses for
// text-to-speech. The LLM streams text a token at a time; speech should
// start on the first clause as soon as it is whole, while the LLM goes on.
// So the first clause may be short (a comma after two words will do) and
// later ones are longer (sentences, or clauses of some length), which
// gives TTS natural prosody and fewer requests.
//
// A boundary is punctuation followed by a space, so numbers ("10.30",
// "1,500", "£12.50"), times ("10:30"), e-mail addresses and web addresses
// never break; titles and abbreviations ("Dr.", "Mr.", "St.", "e.g.")
// do not end sentences. Text without punctuation breaks before a
// conjunction once a clause is long, and at a word break once it is too
// long.
//
// The package imports nothing of frontdesk.
package chunk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chunker cuts one reply at a time. Zero fields take the defaults of New.
// Not safe for concurrent use.
type Chunker struct {
	// FirstMinWords: the first clause ends at a comma or a sentence end
	// once it has this many words.
	FirstMinWords int
	// FirstSoftWords: past this many words without punctuation, the
	// first clause ends before a conjunction ("and", "but", …).
	FirstSoftWords int
	// FirstMaxWords: past this many, it ends at the next word break.
	FirstMaxWords int
	// MinWords: a later clause ends at a comma, colon, semicolon or dash
	// once it has this many words; at a sentence end always.
	MinWords int
	// SoftWords and MaxWords are FirstSoftWords and FirstMaxWords for
	// later clauses.
	SoftWords int
	MaxWords  int

	pending string
	emitted int
}

// New returns a Chunker with the defaults: the first clause from 2 words
// (soft break from 6, hard at 10), later ones at a comma from 6 words
// (soft break from 16, hard at 30).
func New() *Chunker {
	return &Chunker{}
}

func (c *Chunker) limits() (minClause, soft, hard int) {
	def := func(v, d int) int {
		if v <= 0 {
			return d
		}
		return v
	}
	if c.emitted == 0 {
		return def(c.FirstMinWords, 2), def(c.FirstSoftWords, 6), def(c.FirstMaxWords, 10)
	}
	return def(c.MinWords, 6), def(c.SoftWords, 16), def(c.MaxWords, 30)
}

// Push adds the next piece of the reply and returns the clauses it
// completed, in order (often none).
func (c *Chunker) Push(delta string) []string {
	c.pending += delta
	var out []string
	for {
		cut, ok := c.next()
		if !ok {
			return out
		}
		if clause := strings.TrimSpace(c.pending[:cut]); clause != "" {
			out = append(out, clause)
			c.emitted++
		}
		c.pending = strings.TrimLeftFunc(c.pending[cut:], unicode.IsSpace)
	}
}

// Flush returns what is left of the reply ("" if nothing) and makes the
// Chunker ready for the next reply, whose first clause is short again.
func (c *Chunker) Flush() string {
	rest := strings.TrimSpace(c.pending)
	c.Reset()
	return rest
}

// Reset drops the reply (after a barge-in).
func (c *Chunker) Reset() {
	c.pending = ""
	c.emitted = 0
}

// Titles never end a sentence: a name follows.
var titles = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "mx": true, "prof": true, "st": true, "mt": true,
	"rev": true, "sr": true, "jr": true, "capt": true, "col": true, "gen": true, "hon": true,
}

// Abbreviations that sit inside sentences.
var inner = map[string]bool{
	"e.g": true, "i.e": true, "eg": true, "ie": true, "vs": true, "approx": true, "incl": true, "dept": true,
	"tel": true, "ext": true, "no": true, "nos": true, "fig": true, "cf": true, "ca": true, "est": true,
}

// Abbreviations that may end a sentence: they do when the next word is
// capitalised ("… at 10 a.m. See you then.").
var maybeEnd = map[string]bool{"a.m": true, "p.m": true, "am": true, "pm": true, "etc": true}

// Words a long clause may break before.
var conjunctions = map[string]bool{
	"and": true, "but": true, "or": true, "so": true, "because": true, "which": true, "then": true,
	"when": true, "while": true, "if": true, "although": true, "though": true, "unless": true, "until": true,
}

// next finds the end of the next clause in pending. ok is false when
// there is none yet (or it cannot be decided without more text).
func (c *Chunker) next() (cut int, ok bool) {
	s := c.pending
	minClause, soft, hard := c.limits()
	words := 0 // words so far: runs of non-space with a letter or digit
	inWord, counted := false, false
	wordStart := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if inWord {
				inWord = false
				word := s[wordStart:i]
				// A word just ended at i. Soft and hard breaks happen at
				// the space before the next word.
				if r == '\n' {
					return i, true
				}
				if words >= hard && breakableAfter(word) {
					return i, true
				}
				if words >= soft && breakableAfter(word) {
					if nextWord, whole := wordAt(s, i); whole && conjunctions[strings.ToLower(nextWord)] {
						return i, true
					}
				}
			} else if r == '\n' && words > 0 {
				return i, true
			}
			i += size
			continue
		}
		if !inWord {
			inWord, counted = true, false
			wordStart = i
		}
		if !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			counted = true
			words++
		}
		kind := punctuation(s, i, r)
		if kind == none {
			i += size
			continue
		}
		// Take in the rest of the punctuation and closing quotes or
		// brackets: "?!", "...", ".)", ".”".
		end := i + size
		for end < len(s) {
			r2, n := utf8.DecodeRuneInString(s[end:])
			if !strings.ContainsRune(`.!?…"'”’)]»`, r2) {
				break
			}
			if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '…' {
				kind = sentence
			}
			end += n
		}
		if end == len(s) {
			// A boundary needs the character after it: "10." may go on
			// as "10.30".
			return 0, false
		}
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsSpace(after) {
			i = end
			continue
		}
		if kind == sentence && r == '.' {
			switch ends := c.periodEnds(s, wordStart, i, end); ends {
			case undecided:
				return 0, false
			case no:
				i = end
				continue
			}
		}
		if kind == sentence && words >= min(minClause, 2) || words >= minClause {
			return end, true
		}
		i = end
	}
	return 0, false
}

type kind int

const (
	none kind = iota
	clause
	sentence
)

// punctuation says what the rune at s[i] may end.
func punctuation(s string, i int, r rune) kind {
	switch r {
	case '.', '!', '?', '…':
		return sentence
	case ',', ';', ':', '—', '–':
		return clause
	case '-':
		// A dash set off by spaces (" - ") is a clause break; a hyphen is not.
		if i > 0 && s[i-1] == ' ' {
			return clause
		}
	}
	return none
}

type verdict int

const (
	yes verdict = iota
	no
	undecided
)

// periodEnds decides whether the full stop at s[dot] (the word it ends
// starts at wordStart; the punctuation ends at end, followed by a space)
// ends a sentence.
func (c *Chunker) periodEnds(s string, wordStart, dot, end int) verdict {
	word := strings.ToLower(strings.TrimLeft(s[wordStart:dot], `"'“‘([`))
	switch {
	case titles[word], inner[word]:
		return no
	case len(word) == 1 && unicode.IsLetter(rune(word[0])):
		return no // an initial: "J. Smith"
	case isDigits(word) && (wordStart == 0 || s[wordStart-1] == '\n'):
		return no // a list item: "1. Book online"
	case maybeEnd[word]:
		next, whole := wordAt(s, end)
		if next == "" && !whole {
			return undecided
		}
		if r, _ := utf8.DecodeRuneInString(next); unicode.IsUpper(r) {
			return yes
		}
		return no
	}
	return yes
}

// wordAt returns the word after the spaces at s[i:], and whether it is
// whole (something follows it). A word that is not whole is returned as
// far as it goes.
func wordAt(s string, i int) (string, bool) {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	start := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '-' {
			return s[start:i], true
		}
		i += n
	}
	return s[start:], false
}

// breakableAfter: a clause may not end right after a title or a number,
// which belong with what follows ("Dr Patel", "10 am", "£12 50").
func breakableAfter(word string) bool {
	w := strings.ToLower(strings.TrimRight(word, ".,"))
	if titles[w] {
		return false
	}
	for _, r := range w {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isDigits(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
