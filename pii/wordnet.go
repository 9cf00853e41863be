package pii

import (
	_ "embed"
	"iter"
	"strconv"
	"strings"
)

// WordNet's medical classes (wordnet_medical.txt, built by
// gazetteer/build_wordnet.go from Princeton WordNet 3.0) give the tagger
// and the verifier a say on words the hand-written lexicons never saw:
// some 4,700 nouns under disease, symptom, injury, drug, procedure, test,
// imaging and vaccine. As features they cover ambiguous words too
// ("cold", "shock" and "pill" have everyday senses that only context
// tells apart, so the trained models weigh them); only the lemmas every
// sense of which is medical are matched as spans (see wordnetConditions).

//go:embed wordnet_medical.txt
var wordnetSrc string

const (
	wnCondition  uint8 = 1 << iota // a condition, symptom or injury
	wnMedication                   // a drug or medicine
	wnProcedure                    // a procedure, test, scan or vaccine
	wnFirst                        // the lemma's most frequent noun sense is medical
)

var wordnetWords, wordnetPairs, wordnetLexicon = loadWordNet(wordnetSrc)

// loadWordNet reads the lemma list into single words and two-word lemmas
// (keyed by their words, so that a lookup allocates nothing; longer
// lemmas are left out of these, callers rarely say them), and the
// unambiguous lemmas by class: those every sense of which is a medical
// noun ("urticaria", "thyroidectomy", "clopidogrel"), which the rules'
// lexicons take in as they are.
func loadWordNet(src string) (map[string]uint8, map[[2]string]uint8, map[uint8][]string) {
	words := map[string]uint8{}
	pairs := map[[2]string]uint8{}
	lexicon := map[uint8][]string{}
	for f := range tabLines(src, 4) {
		var c uint8
		for _, r := range f[1] {
			switch r {
			case 'C':
				c |= wnCondition
			case 'M':
				c |= wnMedication
			case 'P':
				c |= wnProcedure
			}
		}
		if f[3] == "1" && lexiconWorthy(f[0]) {
			for _, k := range []uint8{wnCondition, wnMedication, wnProcedure} {
				if c&k != 0 {
					lexicon[k] = append(lexicon[k], f[0])
					break // a lemma of two classes goes to the first
				}
			}
		}
		if f[2] == "1" {
			c |= wnFirst
		}
		switch w := strings.Fields(f[0]); len(w) {
		case 1:
			words[w[0]] |= c
		case 2:
			pairs[[2]string{w[0], w[1]}] |= c
		}
	}
	return words, pairs, lexicon
}

// lexiconWorthy keeps the unambiguous lemmas that can stand as rules:
// phrases, and single words of five letters or more.
func lexiconWorthy(lemma string) bool {
	words := strings.Fields(lemma)
	if len(words) == 0 {
		return false
	}
	switch words[len(words)-1] {
	case "out", "up", "off", "down", "in", "on": // "cutting out": a phrasal verb's sense too
		return false
	}
	return len(lemma) >= 5 || len(words) > 1
}

// WordNet's unambiguous lemmas are matched as lexicons of their own, after
// the hand-written ones: the first words of those lexicons are evidence
// the tagger and the rules' guards weigh ("little", "social", "ring" would
// become such evidence through "little stroke", "social phobia", "ring
// rot"), so WordNet's phrases stay out of them.
var (
	wordnetConditions  = newPhraseLexicon(wordnetLexicon[wnCondition])
	wordnetMedications = newPhraseLexicon(wordnetLexicon[wnMedication])
	wordnetProcedures  = newPhraseLexicon(wordnetLexicon[wnProcedure])
)

// matchEither is the longer match at i of two lexicons.
func matchEither(a, b *phraseLexicon, toks []token, i int) int {
	return max(a.match(toks, i), b.match(toks, i))
}

// tabLines yields the fields of each line of a generated list that has
// exactly n tab-separated fields, skipping blank and '#' lines.
func tabLines(src string, n int) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		for line := range strings.SplitSeq(src, "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if f := strings.Split(line, "\t"); len(f) == n && !yield(f) {
				return
			}
		}
	}
}

// singular strips a plural ending for lookup: WordNet lists lemmas.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// wordnetClass is the class of one word, or of its singular.
func wordnetClass(w string) uint8 {
	if c, ok := wordnetWords[w]; ok {
		return c
	}
	return wordnetWords[singular(w)]
}

// wordnetPair is the class of the two-word lemma a and b, the last word
// possibly plural ("panic attacks").
func wordnetPair(a, b string) uint8 {
	if c, ok := wordnetPairs[[2]string{a, b}]; ok {
		return c
	}
	return wordnetPairs[[2]string{a, singular(b)}]
}

// WordNet's supersenses (wordnet_senses.txt): the lexicographer file of a
// word's most frequent noun and verb sense, for the English word list's
// words. They let the tagger generalise over word classes it has seen
// few of: a body part followed by a verb of the body or of perception
// ("my hip clunks", "my eyes water") reads as a symptom whatever the verb.

//go:embed wordnet_senses.txt
var sensesSrc string

// noSense marks a word without a noun (or verb) sense.
const noSense int8 = -1

var wordnetSenses = loadSenses(sensesSrc)

func loadSenses(src string) map[string][2]int8 {
	m := map[string][2]int8{}
	for f := range tabLines(src, 3) {
		n, errN := strconv.Atoi(f[1])
		v, errV := strconv.Atoi(f[2])
		if errN != nil || errV != nil {
			continue
		}
		m[f[0]] = [2]int8{int8(n), int8(v)}
	}
	return m
}

// WordNet lexicographer files (noun supersenses) the rules test for.
const (
	wnNounArtifact = 6
	wnNounBody     = 8
	wnNounFood     = 13
	wnNounGroup    = 14
	wnNounLocation = 15
	wnNounObject   = 17
	wnNounPlant    = 20
	wnNounQuantity = 23
)

// wordnetSense is the noun and verb supersense of w, through a plural or
// an -s, -ed or -ing ending when w itself is not listed.
func wordnetSense(w string) (noun, verb int8) {
	try := func(s string) bool {
		if v, ok := wordnetSenses[s]; ok {
			noun, verb = v[0], v[1]
			return true
		}
		return false
	}
	if try(w) || try(singular(w)) {
		return
	}
	for _, suf := range []string{"ed", "ing"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) > 2 {
			if try(stem) || try(stem+"e") {
				return
			}
			if n := len(stem); stem[n-1] == stem[n-2] && try(stem[:n-1]) { // "stopped"
				return
			}
		}
	}
	if stem, ok := strings.CutSuffix(w, "d"); ok && try(stem) { // "used"
		return
	}
	return noSense, noSense
}
