package pii

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"
	"unicode"
)

// Eval scores a Detector on a labelled set in the presidio-research format
// (a JSON array of {"full_text", "spans":[{"entity_type", "start_position",
// "end_position"}]}, offsets in code points, end exclusive).
//
// Gold types map onto frontdesk's: the twelve frontdesk types by name,
// US_SSN to NATIONAL_ID; every other gold type (GPE, ORGANIZATION,
// DATE_TIME, ...) is ignored. Only types that occur in the gold set are
// scored, so predictions of a type the set never labels (a DATE_OF_BIRTH
// in the presidio set, whose birth dates are labelled DATE_TIME) count
// neither way.
//
// Matching rule, span level: a predicted entity is a true positive when it
// overlaps (shares at least one code point with) a gold span of the same
// type; precision is true-positive predictions over all predictions of the
// type. A gold span is found when at least one prediction of its type
// overlaps it; recall is found gold spans over all gold spans. So one
// prediction covering an address that the set splits into four spans
// finds all four. F2 = 5PR/(4P+R) weighs recall higher, as missing personal
// data costs more than over-protecting it.
//
// Token level (stricter about extents): the text is split at white space;
// a token takes the type of the gold (or predicted) span it overlaps, and
// true/false positives and negatives are counted per token.
func Eval(d *Detector, datasetPath string) (Report, error) {
	samples, err := loadSamples(datasetPath)
	if err != nil {
		return Report{}, err
	}
	r := evaluate(d, samples, nil)
	r.Dataset = datasetPath
	return r, nil
}

// Report holds Eval's figures; it marshals to JSON as is.
type Report struct {
	Dataset            string      `json:"dataset"`
	Sentences          int         `json:"sentences"`
	Seconds            float64     `json:"seconds"`
	SentencesPerSecond float64     `json:"sentences_per_second"`
	Types              []TypeScore `json:"types"`
	// Categories micro-average the scored types of each category (contact,
	// identity, financial, medical); Type holds the category's name.
	Categories []TypeScore `json:"categories"`
	// Routed scores each category as routing sees it: a prediction of a
	// category matches a gold span of any type of that category (a
	// "root canal" called a condition instead of a procedure is still
	// encrypted as medical). Span counts only; Type holds the category.
	Routed  []TypeScore `json:"routed"`
	Overall TypeScore   `json:"overall"` // micro-average over the scored types
	// Intervals are the routed figures' 95 % bootstrap intervals
	// (EvalPooled with resamples; empty otherwise).
	Intervals []Interval `json:"intervals,omitempty"`
}

// TypeScore is one entity type's figures.
type TypeScore struct {
	Type      string  `json:"type"`
	Gold      int     `json:"gold"`      // gold spans
	Predicted int     `json:"predicted"` // predicted spans
	Matched   int     `json:"matched"`   // predictions overlapping gold of the type
	Found     int     `json:"found"`     // gold spans overlapped by a prediction
	Precision float64 `json:"precision"` // Matched / Predicted
	Recall    float64 `json:"recall"`    // Found / Gold
	F2        float64 `json:"f2"`        //
	Token     Counts  `json:"token"`     // token-level figures
}

// Counts are token-level true positives, false positives and false
// negatives with the figures derived from them.
type Counts struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F2        float64 `json:"f2"`
}

// Category returns a category's figures, or false when none of its types
// was scored.
func (r Report) Category(cat string) (TypeScore, bool) {
	for _, c := range r.Categories {
		if c.Type == cat {
			return c, true
		}
	}
	return TypeScore{}, false
}

// RoutedCategory returns the category's routed figures (any type of the
// category matches), or false when the category was not scored.
func (r Report) RoutedCategory(cat string) (TypeScore, bool) {
	for _, c := range r.Routed {
		if c.Type == cat {
			return c, true
		}
	}
	return TypeScore{}, false
}

// Score returns the type's figures, or false when the type was not scored.
func (r Report) Score(typ string) (TypeScore, bool) {
	for _, t := range r.Types {
		if t.Type == typ {
			return t, true
		}
	}
	return TypeScore{}, false
}

// Print writes a human table.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "dataset: %s\nsentences: %d in %.3fs (%.0f sentences/s)\n\n", r.Dataset, r.Sentences, r.Seconds, r.SentencesPerSecond)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tgold\tpred\tP\tR\tF2\ttok P\ttok R\ttok F2\t")
	rows := append(append([]TypeScore{}, r.Types...), r.Categories...)
	rows = append(rows, r.Overall)
	for _, t := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", t.Type, t.Gold, t.Predicted, t.Precision, t.Recall, t.F2, t.Token.Precision, t.Token.Recall, t.Token.F2)
	}
	for _, t := range r.Routed {
		fmt.Fprintf(tw, "%s, any type of it\t%d\t%d\t%.3f\t%.3f\t%.3f\t\t\t\t\n", t.Type, t.Gold, t.Predicted, t.Precision, t.Recall, t.F2)
	}
	tw.Flush()
	if len(r.Intervals) > 0 {
		fmt.Fprintln(w, "\n95 % bootstrap intervals (utterances resampled within each set), any type of the category:")
		for _, iv := range r.Intervals {
			fmt.Fprintf(w, "  %s\n", iv)
		}
	}
}

type goldSpan struct {
	Type  string `json:"entity_type"`
	Start int    `json:"start_position"`
	End   int    `json:"end_position"`
}

type sample struct {
	Text  string     `json:"full_text"`
	Spans []goldSpan `json:"spans"`
}

func loadSamples(path string) ([]sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pii eval: %w", err)
	}
	defer f.Close()
	var samples []sample
	if err := json.NewDecoder(f).Decode(&samples); err != nil {
		return nil, fmt.Errorf("pii eval: %s: %w", path, err)
	}
	for i := range samples {
		kept := samples[i].Spans[:0]
		for _, s := range samples[i].Spans {
			if t, ok := mapGoldType(s.Type); ok {
				s.Type = t
				kept = append(kept, s)
			}
		}
		samples[i].Spans = kept
	}
	return samples, nil
}

func mapGoldType(t string) (string, bool) {
	if t == "US_SSN" {
		return TypeNationalID, true
	}
	for _, known := range Types {
		if t == known {
			return t, true
		}
	}
	return "", false
}

// mismatch describes one scoring error, for tuning and test failures.
type mismatch struct {
	Sample int
	Kind   string // "fp" or "fn"
	Type   string
	Value  string
	Text   string
}

func evaluate(d *Detector, samples []sample, onMismatch func(mismatch)) Report {
	preds := make([][]Entity, len(samples))
	start := time.Now()
	for i, s := range samples {
		preds[i] = d.Detect(s.Text)
	}
	return score(samples, preds, time.Since(start).Seconds(), onMismatch)
}

// score compares predictions with the samples' gold spans.
func score(samples []sample, preds [][]Entity, elapsed float64, onMismatch func(mismatch)) Report {
	scored := map[string]bool{}
	for _, s := range samples {
		for _, g := range s.Spans {
			scored[g.Type] = true
		}
	}
	scores := map[string]*TypeScore{}
	routed := map[string]*TypeScore{}
	for t := range scored {
		scores[t] = &TypeScore{Type: t}
		routed[CategoryOf(t)] = &TypeScore{Type: CategoryOf(t)}
	}
	for i, s := range samples {
		runes := []rune(s.Text)
		slice := func(a, b int) string {
			a, b = max(0, min(a, len(runes))), max(0, min(b, len(runes)))
			return string(runes[a:b])
		}
		for _, g := range s.Spans {
			sc := scores[g.Type]
			sc.Gold++
			found := false
			for _, p := range preds[i] {
				if p.Type == g.Type && p.Start < g.End && g.Start < p.End {
					found = true
					break
				}
			}
			if found {
				sc.Found++
			} else if onMismatch != nil {
				onMismatch(mismatch{Sample: i, Kind: "fn", Type: g.Type, Value: slice(g.Start, g.End), Text: s.Text})
			}
		}
		for _, p := range preds[i] {
			sc, ok := scores[p.Type]
			if !ok {
				continue
			}
			sc.Predicted++
			hit := false
			for _, g := range s.Spans {
				if p.Type == g.Type && p.Start < g.End && g.Start < p.End {
					hit = true
					break
				}
			}
			if hit {
				sc.Matched++
			} else if onMismatch != nil {
				onMismatch(mismatch{Sample: i, Kind: "fp", Type: p.Type, Value: slice(p.Start, p.End), Text: s.Text})
			}
		}
		tokenCounts(runes, s.Spans, preds[i], scores)
		routedCounts(s.Spans, preds[i], scores, routed)
	}

	r := Report{Sentences: len(samples), Seconds: elapsed}
	if elapsed > 0 {
		r.SentencesPerSecond = float64(len(samples)) / elapsed
	}
	overall := TypeScore{Type: "ALL"}
	cats := map[string]*TypeScore{}
	for _, sc := range scores {
		sc.finish()
		r.Types = append(r.Types, *sc)
		overall.add(sc)
		cat := CategoryOf(sc.Type)
		if cats[cat] == nil {
			cats[cat] = &TypeScore{Type: cat}
		}
		cats[cat].add(sc)
	}
	overall.finish()
	r.Overall = overall
	for _, c := range cats {
		c.finish()
		r.Categories = append(r.Categories, *c)
	}
	for _, c := range routed {
		c.finish()
		r.Routed = append(r.Routed, *c)
	}
	sort.Slice(r.Routed, func(i, j int) bool { return r.Routed[i].Type < r.Routed[j].Type })
	sort.Slice(r.Types, func(i, j int) bool { return r.Types[i].Type < r.Types[j].Type })
	sort.Slice(r.Categories, func(i, j int) bool { return r.Categories[i].Type < r.Categories[j].Type })
	return r
}

// add sums another score's counts into sc (finish derives the ratios).
func (sc *TypeScore) add(o *TypeScore) {
	sc.Gold += o.Gold
	sc.Predicted += o.Predicted
	sc.Matched += o.Matched
	sc.Found += o.Found
	sc.Token.TP += o.Token.TP
	sc.Token.FP += o.Token.FP
	sc.Token.FN += o.Token.FN
}

// routedCounts adds one sample's span counts by category, a prediction
// matching gold of any type of its category. The predictions are those
// the strict figures count: of types the set labels somewhere.
func routedCounts(gold []goldSpan, pred []Entity, scores, routed map[string]*TypeScore) {
	for _, g := range gold {
		c := CategoryOf(g.Type)
		routed[c].Gold++
		for _, p := range pred {
			if _, ok := scores[p.Type]; ok && CategoryOf(p.Type) == c && p.Start < g.End && g.Start < p.End {
				routed[c].Found++
				break
			}
		}
	}
	for _, p := range pred {
		if _, ok := scores[p.Type]; !ok {
			continue
		}
		c := CategoryOf(p.Type)
		routed[c].Predicted++
		for _, g := range gold {
			if CategoryOf(g.Type) == c && p.Start < g.End && g.Start < p.End {
				routed[c].Matched++
				break
			}
		}
	}
}

func tokenCounts(runes []rune, gold []goldSpan, pred []Entity, scores map[string]*TypeScore) {
	labelAt := func(a, b int, spansGold bool) string {
		if spansGold {
			for _, g := range gold {
				if g.Start < b && a < g.End {
					return g.Type
				}
			}
			return ""
		}
		for _, p := range pred {
			if _, ok := scores[p.Type]; ok && p.Start < b && a < p.End {
				return p.Type
			}
		}
		return ""
	}
	for i := 0; i < len(runes); {
		if unicode.IsSpace(runes[i]) {
			i++
			continue
		}
		j := i
		for j < len(runes) && !unicode.IsSpace(runes[j]) {
			j++
		}
		g, p := labelAt(i, j, true), labelAt(i, j, false)
		switch {
		case g != "" && g == p:
			scores[g].Token.TP++
		default:
			if p != "" {
				scores[p].Token.FP++
			}
			if g != "" {
				scores[g].Token.FN++
			}
		}
		i = j
	}
}

func (sc *TypeScore) finish() {
	sc.Precision = ratio(sc.Matched, sc.Predicted)
	sc.Recall = ratio(sc.Found, sc.Gold)
	sc.F2 = f2(sc.Precision, sc.Recall)
	c := &sc.Token
	c.Precision = ratio(c.TP, c.TP+c.FP)
	c.Recall = ratio(c.TP, c.TP+c.FN)
	c.F2 = f2(c.Precision, c.Recall)
}

// ratio is n/d, with 0/0 = 1: no predictions means no false ones.
func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

func f2(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 5 * p * r / (4*p + r)
}
