package pii

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTaggerOnlyPrecision tallies, on development or validation files
// (PII_TAGGER_SETS=a.json,b.json; never a held-out set), how often the
// tagger's own medical spans (no rule found them) are right, split by
// whether the span carries a clinical word and by the hand guards it
// fails, or with PII_TAGGER_BY=line by the line's length and case, or
// with PII_TAGGER_BY=shape by the span's length in words. It
// prints counts only, and with PII_TAGGER_SHOW=prefix the spans of the
// classes whose name starts so (held-out sets are refused); the twelfth round's figures in
// testdata/README.md come from it.
func TestTaggerOnlyPrecision(t *testing.T) {
	env := os.Getenv("PII_TAGGER_SETS")
	if env == "" {
		t.Skip("a tuning aid, not a check: PII_TAGGER_SETS=a.json,b.json tallies the tagger's own spans on those files")
	}
	byLine := os.Getenv("PII_TAGGER_BY") == "line"
	show := os.Getenv("PII_TAGGER_SHOW") // list the spans of the classes with this prefix
	full, rules := NewDetector(Options{}), NewDetector(Options{RulesOnly: true})
	for _, path := range strings.Split(env, ",") {
		samples, err := loadDevSamples("tagger-only", []string{path})
		require.NoError(t, err)
		counts := map[string][2]int{}
		for _, s := range samples {
			byRules := rules.Detect(s.Text)
			var tb [64]token
			st := full.scan(s.Text, tb[:0])
			var gold []Entity
			for _, g := range s.Spans {
				gold = append(gold, Entity{Type: g.Type, Start: g.Start, End: g.End})
			}
			runes := []rune(s.Text)
			for _, e := range full.Detect(s.Text) {
				if CategoryOf(e.Type) != CategoryMedical || overlapsMedical(byRules, e.Start, e.End) {
					continue
				}
				// Byte offsets of the original text: close enough to the
				// normalised text's for a tally.
				i, j := st.tokenRange(len(string(runes[:e.Start])), len(string(runes[:e.End])))
				key := spanKind(st, i, j, byLine, s.Text == strings.ToLower(s.Text))
				c := counts[key]
				right := overlapsMedical(gold, e.Start, e.End)
				if right {
					c[0]++
				} else {
					c[1]++
				}
				if show != "" && strings.HasPrefix(key, show) {
					t.Logf("%v %s %q <- %q", right, e.Type, string(runes[e.Start:e.End]), s.Text)
				}
				counts[key] = c
			}
		}
		t.Logf("%s: tagger-only spans [right wrong]: %v", path, counts)
	}
}

// spanKind names the class a tagger span is tallied under.
func spanKind(st *scanState, i, j int, byLine, lower bool) string {
	key := "clinical word"
	if i >= 0 && noClinicalEvidence(st, i, j) {
		key = "no clinical word"
	}
	if os.Getenv("PII_TAGGER_BY") == "shape" {
		n := "1 word"
		if j-i == 2 {
			n = "2 words"
		} else if j-i > 2 {
			n = "3+ words"
		}
		return key + ", " + n
	}
	if byLine {
		line := "short"
		if len(st.toks) > 30 {
			line = "long"
		}
		if lower {
			line += " lower"
		}
		return line + " " + key
	}
	if i >= 0 {
		if g := guardBits(st, i, j); g != 0 {
			key += fmt.Sprintf(", guards %b", g)
		}
	}
	return key
}
