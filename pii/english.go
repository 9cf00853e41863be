package pii

import (
	_ "embed"
	"strings"
)

// An English word list answers one question the rules keep asking: is this
// word English at all? An unknown capitalised word after "I'm on" is a
// drug brand, an unknown word ending in "-vir" a drug, an unknown word
// after "my name is" a name; an English one is none of these without more
// evidence.

var (
	//go:embed words_en.txt
	wordsEnSrc string
	//go:embed names_given_open.txt
	givenOpenSrc string
	//go:embed names_family_open.txt
	familyOpenSrc string

	ordinaryWords, properNouns = loadEnglish(wordsEnSrc)
	givenOpen                  = loadOpenNames(givenOpenSrc)
	familyOpen                 = loadOpenNames(familyOpenSrc)
)

func loadEnglish(src string) (lower, proper map[string]bool) {
	lower = make(map[string]bool, 64000)
	proper = make(map[string]bool, 12000)
	for _, line := range strings.Split(src, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if c := line[0]; c >= 'A' && c <= 'Z' {
			proper[strings.ToLower(line)] = true
			continue
		}
		lower[line] = true
	}
	return lower, proper
}

// loadOpenNames reads an open name list. Like loadWordList it also enters
// each name without accents, except where that makes an English word:
// "Côme" must not turn "come" into a name.
func loadOpenNames(src string) map[string]bool {
	m := make(map[string]bool, 16000)
	for _, line := range strings.Split(src, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || w[0] == '#' {
			continue
		}
		m[w] = true
		if f := foldAccents(w); f != w && !ordinaryWords[f] && !stopWords[f] {
			m[f] = true
		}
	}
	return m
}

// englishWord reports whether a lower-case word is an ordinary English
// word, a regular plural or verb form of one included.
func englishWord(w string) bool {
	if ordinaryWords[w] {
		return true
	}
	for _, suf := range []string{"s", "es", "ed", "ing", "'s"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 && ordinaryWords[w[:len(w)-len(suf)]] {
			return true
		}
	}
	return false
}

// unknownWord: a word no list knows (not English, not a proper noun, not a
// name, not a place). Drug brands and jargon live here.
func unknownWord(w string) bool {
	if len(w) < 3 {
		return false
	}
	for i := 0; i < len(w); i++ { // cheaper than the lists, so first
		if isASCIIDigit(w[i]) {
			return false
		}
	}
	return !(englishWord(w) || properNouns[w] || stopWords[w] || places[w] ||
		firstNames[w] || lastNames[w] || givenOpen[w] || familyOpen[w])
}
