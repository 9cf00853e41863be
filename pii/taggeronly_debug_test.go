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
// whether the span carries a clinical word: a tuning aid that prints
// counts only.
func TestTaggerOnlyPrecision(t *testing.T) {
	env := os.Getenv("PII_TAGGER_SETS")
	if env == "" {
		t.Skip("a tuning aid: PII_TAGGER_SETS=a.json,b.json")
	}
	full, rules := NewDetector(Options{}), NewDetector(Options{RulesOnly: true})
	medical := func(typ string) bool { return CategoryOf(typ) == CategoryMedical }
	for _, path := range strings.Split(env, ",") {
		samples, err := loadDevSamples("tagger-only", []string{path})
		require.NoError(t, err)
		counts := map[string][2]int{}
		for _, s := range samples {
			byRules := rules.Detect(s.Text)
			var tb [64]token
			st := full.scan(s.Text, tb[:0])
			for _, e := range full.Detect(s.Text) {
				if !medical(e.Type) {
					continue
				}
				ruled := false
				for _, r := range byRules {
					ruled = ruled || medical(r.Type) && r.Start < e.End && e.Start < r.End
				}
				if ruled {
					continue
				}
				hit := false
				for _, g := range s.Spans {
					hit = hit || medical(g.Type) && g.Start < e.End && e.Start < g.End
				}
				runes := []rune(s.Text)
				bs := len(string(runes[:e.Start]))
				be := len(string(runes[:e.End]))
				i, j := st.tokenRange(bs, be)
				key := "short"
				if len(st.toks) > 30 {
					key = "long"
				}
				if s.Text == strings.ToLower(s.Text) {
					key += " lower"
				}
				if os.Getenv("PII_TAGGER_BY") != "line" {
					key = ""
				}
				key += " clinical word"
				if i >= 0 && noClinicalEvidence(st, i, j) {
					key = strings.Replace(key, "clinical word", "no clinical word", 1)
				}
				if i >= 0 {
					if g := guardBits(st, i, j); g != 0 && os.Getenv("PII_TAGGER_BY") != "line" {
						key += fmt.Sprintf(", guards %b", g)
					}
				}
				c := counts[key]
				if hit {
					c[0]++
				} else {
					c[1]++
				}
				counts[key] = c
			}
		}
		t.Logf("%s: tagger-only spans [right wrong]: %v", path, counts)
	}
}
