package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind separates the three shapes every recognizer cares about.
type tokKind uint8

const (
	tokWord  tokKind = iota // letters, possibly with digits ("Zoë", "20mg", "O'Neil")
	tokNum                  // ASCII digits only
	tokPunct                // one rune that is neither letter, digit nor space
)

// token is a slice of a text by byte offsets. Recognizers work on tokens
// rather than raw regexes where they need context ("my name is", "born on"),
// which regexes express poorly and slowly.
type token struct {
	s, e  int
	kind  tokKind
	sp    bool   // whitespace right before the token
	nl    bool   // a line break between the previous token and this one
	text  string // as written
	low   string // lower case (same string when already lower)
	upper bool   // first rune is upper case
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// tokenize splits text into words, numbers and single punctuation runes.
// An apostrophe between letters stays inside the word ("O'Neil", "I'm").
func tokenize(text string, dst []token) []token {
	toks := dst[:0]
	sp, nl := false, false
	i := 0
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == '\n' || r == '\r':
			sp, nl = true, true
			i += size
		case unicode.IsSpace(r):
			sp = true
			i += size
		case isWordRune(r):
			start := i
			allDigits := true
			for i < len(text) {
				r2, s2 := rune(text[i]), 1
				if r2 >= utf8.RuneSelf {
					r2, s2 = utf8.DecodeRuneInString(text[i:])
				}
				if isWordRune(r2) {
					if r2 < '0' || r2 > '9' {
						allDigits = false
					}
					i += s2
					continue
				}
				if isApostrophe(r2) && i+s2 < len(text) && i > start {
					r3, _ := utf8.DecodeRuneInString(text[i+s2:])
					if unicode.IsLetter(r3) && !allDigits {
						i += s2
						continue
					}
				}
				break
			}
			w := text[start:i]
			t := token{s: start, e: i, kind: tokWord, sp: sp, nl: nl, text: w}
			if allDigits {
				t.kind = tokNum
				t.low = w
			} else {
				t.low = strings.ToLower(w)
				first, _ := utf8.DecodeRuneInString(w)
				t.upper = unicode.IsUpper(first)
			}
			toks = append(toks, t)
			sp, nl = false, false
		default:
			toks = append(toks, token{s: i, e: i + size, kind: tokPunct, sp: sp, nl: nl, text: text[i : i+size], low: text[i : i+size]})
			sp, nl = false, false
			i += size
		}
	}
	return toks
}
