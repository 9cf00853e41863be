package clinicmodel

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// DefaultCMUDict lists where Debian's pocketsphinx-en-us puts the
// pronouncing dictionary, first found wins.
var DefaultCMUDict = []string{
	"/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict",
	"/usr/share/pocketsphinx/model/lm/en_US/cmu07a.dic",
}

// phones is the en-us acoustic model's phone set.
var phones = map[string]bool{}

func init() {
	for _, p := range strings.Fields("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH") {
		phones[p] = true
	}
}

// letterNames are the letters as a caller spells them, for acronyms
// ("MRI") the dictionary lacks.
var letterNames = map[rune]string{
	'a': "EY", 'b': "B IY", 'c': "S IY", 'd': "D IY", 'e': "IY", 'f': "EH F", 'g': "JH IY",
	'h': "EY CH", 'i': "AY", 'j': "JH EY", 'k': "K EY", 'l': "EH L", 'm': "EH M", 'n': "EH N",
	'o': "OW", 'p': "P IY", 'q': "K Y UW", 'r': "AA R", 's': "EH S", 't': "T IY", 'u': "Y UW",
	'v': "V IY", 'w': "D AH B AH L Y UW", 'x': "EH K S", 'y': "W AY", 'z': "Z IY",
}

// Pronunciation sources, as Model reports them.
const (
	SourceDict     = "cmudict"
	SourceCompound = "compound"
	SourceLetters  = "letters"
	SourceLTS      = "flite-lts"
)

// lookupDict reads the pronunciations of the wanted words from a
// cmudict-format file ("word PH ONES", variants as "word(2) ...").
func lookupDict(path string, want map[string]bool) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pronouncing dictionary: %w", err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		sp := strings.IndexAny(line, " \t")
		if sp <= 0 {
			continue
		}
		w := line[:sp]
		if i := strings.IndexByte(w, '('); i > 0 {
			w = w[:i]
		}
		if want[w] {
			out[w] = append(out[w], strings.Join(strings.Fields(line[sp:]), " "))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("pronouncing dictionary %s: %w", path, err)
	}
	if len(out) == 0 && len(want) > 0 {
		return nil, fmt.Errorf("pronouncing dictionary %s: none of %d words found; is it a cmudict file?", path, len(want))
	}
	return out, nil
}

// splitCompound pronounces a word the dictionary lacks as two words it
// has ("northgate" as "north" + "gate"), trying the most even split first.
func splitCompound(w string, dict map[string][]string) (string, bool) {
	best := ""
	bestScore := -1
	for i := 2; i <= len(w)-2; i++ {
		a, b := dict[w[:i]], dict[w[i:]]
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		score := min(i, len(w)-i)
		if score > bestScore {
			best, bestScore = a[0]+" "+b[0], score
		}
	}
	return best, bestScore >= 0
}

// spellLetters pronounces an acronym letter by letter.
func spellLetters(w string) (string, bool) {
	var ps []string
	for _, r := range w {
		p, ok := letterNames[r]
		if !ok {
			return "", false
		}
		ps = append(ps, p)
	}
	return strings.Join(ps, " "), len(ps) > 0
}

// fliteLTS asks flite's letter-to-sound rules (trained on CMUdict) how to
// say a word, mapping its phones to the acoustic model's.
func fliteLTS(ctx context.Context, flite, w string) (string, error) {
	out, err := exec.CommandContext(ctx, flite, "-ps", "-t", w, "none").Output()
	if err != nil {
		return "", fmt.Errorf("flite letter-to-sound: %w", err)
	}
	var ps []string
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "pau":
			continue
		case "ax":
			p = "ah"
		case "axr":
			p = "er"
		}
		p = strings.ToUpper(p)
		if !phones[p] {
			return "", fmt.Errorf("flite letter-to-sound: phone %q outside the model's set", p)
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return "", fmt.Errorf("flite letter-to-sound: no phones for %q", w)
	}
	return strings.Join(ps, " "), nil
}

// validPronunciation checks a dictionary line's phones against the model.
func validPronunciation(p string) bool {
	fs := strings.Fields(p)
	for _, f := range fs {
		if !phones[f] {
			return false
		}
	}
	return len(fs) > 0
}
