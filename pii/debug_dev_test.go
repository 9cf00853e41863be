package pii

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEvalDevFile scores the development file PII_EVAL_FILE names and, with
// PII_EVAL_DEBUG, lists its misses (a tuning aid). Held-out sets are refused.
func TestEvalDevFile(t *testing.T) {
	path := os.Getenv("PII_EVAL_FILE")
	if path == "" {
		t.Skip("PII_EVAL_FILE not set")
	}
	require.False(t, isHeldOut(path), "held-out sets are not for tuning")
	d := NewDetector(Options{})
	r, err := Eval(d, path)
	require.NoError(t, err)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	dumpMismatches(t, d, path)
}

// TestAttributeDevErrors splits the development set's medical errors by
// the component that makes them (PII_ATTRIBUTE=1; a tuning aid, it reads
// no held-out set): the rules alone (in sample, so optimistic), then the
// tagger's additions out of fold (five folds of consecutive utterances,
// margin 3, no verifier), each error counted once under the first
// component that shows it.
func TestAttributeDevErrors(t *testing.T) {
	if os.Getenv("PII_ATTRIBUTE") == "" {
		t.Skip("a tuning aid, not a check: PII_ATTRIBUTE=1 splits the development set's medical errors by component")
	}
	paths := []string{filepath.Join("testdata", "clinic_calls.json"), filepath.Join("testdata", "clinic_calls_dev.json")}
	samples, err := loadDevSamples("attribute", paths)
	require.NoError(t, err)
	key := func(m mismatch) string { return fmt.Sprintf("%d|%s|%s|%s", m.Sample, m.Kind, m.Type, m.Value) }
	medical := func(m mismatch) bool { return CategoryOf(m.Type) == CategoryMedical }
	rules := map[string]bool{}
	evaluate(NewDetector(Options{RulesOnly: true}), samples, func(m mismatch) {
		if medical(m) {
			rules[key(m)] = true
		}
	})
	oof := map[string]mismatch{}
	_, err = crossValidate(paths, 5, 8, 1, []float32{3}, func(_ float32, m mismatch) {
		if medical(m) {
			oof[key(m)] = m
		}
	})
	require.NoError(t, err)
	counts := map[string]int{}
	var lines []string
	for k, m := range oof {
		src := "tagger"
		if rules[k] {
			src = "rules"
		}
		counts[src+" "+m.Kind]++
		lines = append(lines, fmt.Sprintf("%s %s %s %q <- %q", src, m.Kind, m.Type, m.Value, m.Text))
	}
	for k := range rules {
		if _, ok := oof[k]; !ok {
			counts["rules error fixed by the tagger"]++
		}
	}
	sort.Strings(lines)
	if os.Getenv("PII_ATTRIBUTE") == "all" {
		for _, l := range lines {
			t.Log(l)
		}
	}
	t.Logf("out-of-fold medical errors by component: %v", counts)
}

// TestProbeLines prints what the detector finds in each line of the text
// file PII_PROBE names (a tuning aid for invented sentences; held-out
// sets are refused).
func TestProbeLines(t *testing.T) {
	path := os.Getenv("PII_PROBE")
	if path == "" {
		t.Skip("a tuning aid, not a check: PII_PROBE=FILE prints what the detector finds in invented lines")
	}
	require.False(t, isHeldOut(path), "held-out sets are not for tuning")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	d := NewDetector(Options{RulesOnly: os.Getenv("PII_PROBE_RULES") != ""})
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		runes := []rune(line)
		var found []string
		for _, e := range d.Detect(line) {
			found = append(found, fmt.Sprintf("%s %q", e.Type, string(runes[e.Start:e.End])))
		}
		t.Logf("%-50s %s", line, strings.Join(found, ", "))
	}
}

// TestAttributeFresh splits the medical errors on a fresh development
// file (PII_FRESH=path, never a held-out set) by where they come from, as
// routing sees them (any medical type matches): a false span from the
// rules or from the tagger; a missed mention the tagger proposed but the
// verifier rejected, or that nothing proposed. On a file written after
// the rules, their errors are as representative as the tagger's.
func TestAttributeFresh(t *testing.T) {
	path := os.Getenv("PII_FRESH")
	if path == "" {
		t.Skip("a tuning aid, not a check: PII_FRESH=FILE splits a fresh file's medical errors by component")
	}
	samples, err := loadDevSamples("attribute", []string{path})
	require.NoError(t, err)
	full, rules := NewDetector(Options{}), NewDetector(Options{RulesOnly: true})
	medical := func(typ string) bool { return CategoryOf(typ) == CategoryMedical }
	overlaps := overlapsMedical
	counts := map[string]int{}
	var lines []string
	for _, s := range samples {
		got, byRules := full.Detect(s.Text), rules.Detect(s.Text)
		var tb [64]token
		st := full.scan(s.Text, tb[:0])
		proposed := candidateEntities(s.Text, st)
		runes := []rune(s.Text)
		for _, e := range got {
			if !medical(e.Type) {
				continue
			}
			hit := false
			for _, g := range s.Spans {
				hit = hit || (medical(g.Type) && g.Start < e.End && e.Start < g.End)
			}
			if hit {
				continue
			}
			src := "tagger"
			if overlaps(byRules, e.Start, e.End) {
				src = "rules"
			}
			counts["false "+src]++
			lines = append(lines, fmt.Sprintf("false %s %s %q <- %q", src, e.Type, string(runes[e.Start:e.End]), s.Text))
		}
		for _, g := range s.Spans {
			if !medical(g.Type) {
				continue
			}
			counts["gold"]++
			if overlaps(got, g.Start, g.End) {
				continue
			}
			why := "nothing proposed"
			if overlaps(proposed, g.Start, g.End) {
				why = "verifier rejected"
			}
			counts["missed, "+why]++
			lines = append(lines, fmt.Sprintf("missed (%s) %s %q <- %q", why, g.Type, string(runes[g.Start:g.End]), s.Text))
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("medical errors by component: %v", counts)
}

// TestDumpForAdjudication writes the detector's entities for each line of
// the set PII_ADJUDICATE names to PII_ADJUDICATE_OUT (JSON lines: text,
// gold spans, predicted spans), for a blind adjudication of the
// disagreements by a labeller who does not know which side marked a span.
// It prints nothing of the set, so it may read a held-out set: nothing
// here changes the detector.
func TestDumpForAdjudication(t *testing.T) {
	in, out := os.Getenv("PII_ADJUDICATE"), os.Getenv("PII_ADJUDICATE_OUT")
	if in == "" || out == "" {
		t.Skip("an evaluation aid: PII_ADJUDICATE=set.json PII_ADJUDICATE_OUT=file.jsonl")
	}
	samples, err := loadSamples(in)
	require.NoError(t, err)
	f, err := os.Create(out)
	require.NoError(t, err)
	defer f.Close()
	enc := json.NewEncoder(f)
	d := NewDetector(Options{})
	for _, s := range samples {
		var pred []goldSpan
		for _, e := range d.Detect(s.Text) {
			pred = append(pred, goldSpan{Type: e.Type, Start: e.Start, End: e.End})
		}
		require.NoError(t, enc.Encode(map[string]any{"text": s.Text, "gold": s.Spans, "pred": pred}))
	}
	t.Logf("%d lines written", len(samples))
}

// overlapsMedical reports whether a medical entity of es overlaps the
// rune span [s, e).
func overlapsMedical(es []Entity, s, e int) bool {
	for _, x := range es {
		if CategoryOf(x.Type) == CategoryMedical && x.Start < e && s < x.End {
			return true
		}
	}
	return false
}
