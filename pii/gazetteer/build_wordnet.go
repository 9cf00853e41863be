//go:build ignore

// build_wordnet derives two lists from Princeton WordNet 3.0 (Debian's
// wordnet-base, /usr/share/wordnet):
//
//   - pii/wordnet_medical.txt: every noun lemma under a few medical roots,
//     with its class and whether its most frequent noun sense is the
//     medical one;
//   - pii/wordnet_senses.txt: for each English word of pii/words_en.txt
//     that WordNet knows, the lexicographer file ("supersense": noun.body,
//     verb.body, noun.state, ...) of its most frequent noun and verb sense.
//
// The detector uses both as features of its tagger and verifier: a word
// the hand-written lexicons never saw ("polymyalgia", "sigmoidoscopy")
// still carries WordNet's say that it names a disease or a procedure, and
// "my hip clunks" pairs a body part with a verb of the body.
//
//	apt-get install wordnet-base
//	go run pii/gazetteer/build_wordnet.go
package main

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// roots are WordNet 3.0 noun synset offsets, by class: C a condition,
// symptom or injury, M a medication, P a procedure, test, scan or vaccine.
var roots = map[byte][]string{
	'C': {
		"14070360", // disease
		"14061805", // illness, sickness
		"14299637", // symptom (medicine)
		"14285662", // injury, hurt, trauma
		"14322699", // pain, hurting
		"14052403", // disorder, upset (physical)
		"14204950", // pathology (deviation from health)
		"14174549", // infection (pathological state)
		"14298815", // wound, lesion
		"14083790", // mental disorder
	},
	'M': {
		"03247620", // drug
		"03740161", // medicine, medication
	},
	'P': {
		"01024392", // medical procedure
		"00671351", // surgery, operation
		"00661091", // therapy
		"00177127", // diagnostic procedure
		"00657604", // medical care
		"05739043", // diagnostic test
		"00901083", // imaging (medicine)
		"04042358", // radiogram, x-ray picture
		"00142361", // checkup, medical examination
		"00642045", // endoscopy
		"04517535", // vaccine: a clinic books a vaccination, the labels call it a procedure
	},
}

// excluded subtrees are not descended into: drugs of abuse would bring
// every wine, beer and cigar under "drug".
var excluded = map[string]bool{
	"03248958": true, // drug of abuse, street drug
}

const dir = "/usr/share/wordnet/"

func main() {
	words, kids, err := readData(dir + "data.noun")
	if err != nil {
		fmt.Fprintln(os.Stderr, "build_wordnet:", err, "(apt-get install wordnet-base)")
		os.Exit(1)
	}
	class := map[string]byte{}        // synset offset -> class
	for _, c := range []byte("PMC") { // C last: a synset under two roots is a condition
		stack := append([]string(nil), roots[c]...)
		seen := map[string]bool{}
		for len(stack) > 0 {
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[o] || excluded[o] {
				continue
			}
			seen[o] = true
			class[o] = c
			stack = append(stack, kids[o]...)
		}
	}
	first, err := readFirstSenses(dir + "index.noun")
	if err != nil {
		fmt.Fprintln(os.Stderr, "build_wordnet:", err)
		os.Exit(1)
	}
	senses, err := readSenses(dir + "index.noun")
	if err != nil {
		fmt.Fprintln(os.Stderr, "build_wordnet:", err)
		os.Exit(1)
	}
	otherPOS := map[string]bool{} // lemmas that are also verbs, adjectives or adverbs
	for _, pos := range []string{"verb", "adj", "adv"} {
		s, err := readSenses(dir + "index." + pos)
		if err != nil {
			fmt.Fprintln(os.Stderr, "build_wordnet:", err)
			os.Exit(1)
		}
		for l := range s {
			otherPOS[l] = true
		}
	}
	// unambiguous: every noun sense is medical and the lemma is nothing
	// but a noun, so that it can stand as a lexicon entry on its own
	unambiguous := func(lemma string) bool {
		if otherPOS[lemma] || len(senses[lemma]) == 0 {
			return false
		}
		for _, o := range senses[lemma] {
			if _, ok := class[o]; !ok {
				return false
			}
		}
		return true
	}
	// lemma -> classes of its medical senses, and whether its first sense is one
	type entry struct {
		classes     map[byte]bool
		first       bool
		unambiguous bool
	}
	lemmas := map[string]*entry{}
	for o, c := range class {
		for _, w := range words[o] {
			l := strings.ToLower(strings.ReplaceAll(w, "_", " "))
			if len(l) < 3 || strings.ContainsAny(l, "0123456789") {
				continue
			}
			e := lemmas[l]
			if e == nil {
				e = &entry{classes: map[byte]bool{}}
				lemmas[l] = e
			}
			e.classes[c] = true
			if first[strings.ToLower(w)] == o {
				e.first = true
			}
			if unambiguous(strings.ToLower(w)) {
				e.unambiguous = true
			}
		}
	}
	if err := writeSenses(); err != nil {
		fmt.Fprintln(os.Stderr, "build_wordnet:", err)
		os.Exit(1)
	}
	keys := slices.Sorted(maps.Keys(lemmas))
	file, err := os.Create("pii/wordnet_medical.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "build_wordnet:", err, "(run from the repository's root)")
		os.Exit(1)
	}
	defer file.Close()
	out := bufio.NewWriter(file)
	defer out.Flush()
	fmt.Fprintln(out, "# Derived from Princeton WordNet 3.0 by pii/gazetteer/build_wordnet.go; licence in WORDNET-LICENSE.md.")
	fmt.Fprintln(out, "# lemma<TAB>classes (C condition, M medication, P procedure)<TAB>1 when the lemma's most frequent noun sense is medical<TAB>1 when every sense is a medical noun")
	for _, l := range keys {
		e := lemmas[l]
		var cs []byte
		for _, c := range []byte("CMP") {
			if e.classes[c] {
				cs = append(cs, c)
			}
		}
		f := 0
		if e.first {
			f = 1
		}
		u := 0
		if e.unambiguous {
			u = 1
		}
		fmt.Fprintf(out, "%s\t%s\t%d\t%d\n", l, cs, f, u)
	}
}

// readData returns each noun synset's words and its hyponyms (the
// synsets naming it as hypernym or instance hypernym).
func readData(path string) (map[string][]string, map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	words := map[string][]string{}
	kids := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // licence header
		}
		head, _, _ := strings.Cut(line, " | ")
		f := strings.Fields(head)
		if len(f) < 6 {
			continue
		}
		off := f[0]
		n, err := strconv.ParseInt(f[3], 16, 32)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: synset %s: %v", path, off, err)
		}
		k := 4
		for i := 0; i < int(n); i++ {
			words[off] = append(words[off], f[k])
			k += 2
		}
		p, err := strconv.Atoi(f[k])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: synset %s: %v", path, off, err)
		}
		k++
		for i := 0; i < p; i++ {
			sym, target, pos := f[k], f[k+1], f[k+2]
			if (sym == "@" || sym == "@i") && pos == "n" {
				kids[target] = append(kids[target], off)
			}
			k += 4
		}
	}
	return words, kids, sc.Err()
}

// readFirstSenses returns each lemma's most frequent sense: an index file
// lists a lemma's synsets in order of their frequency in tagged text.
func readFirstSenses(path string) (map[string]string, error) {
	senses, err := readSenses(path)
	if err != nil {
		return nil, err
	}
	first := make(map[string]string, len(senses))
	for lemma, s := range senses {
		if len(s) > 0 {
			first[lemma] = s[0]
		}
	}
	return first, nil
}

// writeSenses writes pii/wordnet_senses.txt: word, lexicographer file
// number of its first noun sense and of its first verb sense (-1: none),
// for the words of pii/words_en.txt that WordNet has.
func writeSenses() error {
	en, err := os.ReadFile("pii/words_en.txt")
	if err != nil {
		return fmt.Errorf("%v (run from the repository's root)", err)
	}
	nouns, err := firstLexFiles("noun")
	if err != nil {
		return err
	}
	verbs, err := firstLexFiles("verb")
	if err != nil {
		return err
	}
	words := map[string]bool{}
	for _, line := range strings.Split(string(en), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			w = strings.ToLower(w)
			if _, ok := nouns[w]; ok {
				words[w] = true
			} else if _, ok := verbs[w]; ok {
				words[w] = true
			}
		}
	}
	keys := slices.Sorted(maps.Keys(words))
	f, err := os.Create("pii/wordnet_senses.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	out := bufio.NewWriter(f)
	fmt.Fprintln(out, "# Derived from Princeton WordNet 3.0 by pii/gazetteer/build_wordnet.go; licence in WORDNET-LICENSE.md.")
	fmt.Fprintln(out, "# word<TAB>lexicographer file of its first noun sense<TAB>of its first verb sense (-1: none)")
	for _, w := range keys {
		n, ok := nouns[w]
		if !ok {
			n = -1
		}
		v, ok := verbs[w]
		if !ok {
			v = -1
		}
		fmt.Fprintf(out, "%s\t%d\t%d\n", w, n, v)
	}
	return out.Flush()
}

// firstLexFiles maps each lemma of one part of speech to the
// lexicographer file of its most frequent sense.
func firstLexFiles(pos string) (map[string]int, error) {
	lexOf := map[string]int{}
	data, err := os.ReadFile(dir + "data." + pos)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if strings.HasPrefix(line, "  ") || len(f) < 2 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("data.%s: %v", pos, err)
		}
		lexOf[f[0]] = n
	}
	first, err := readFirstSenses(dir + "index." + pos)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for lemma, off := range first {
		if n, ok := lexOf[off]; ok {
			out[lemma] = n
		}
	}
	return out, nil
}

// readSenses returns each lemma's synsets (lower case) of one index file.
func readSenses(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		p, err := strconv.Atoi(f[3])
		if err != nil {
			continue
		}
		// lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
		if k := 4 + p + 2; k <= len(f) {
			out[strings.ToLower(f[0])] = f[k:]
		}
	}
	return out, sc.Err()
}
