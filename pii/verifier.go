package pii

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// The span verifier: a binary averaged perceptron that accepts or rejects
// each medical span the tagger proposes, from the words around it, its
// shape and the hand guards it fails. It is trained out of fold: the
// development data is cut into folds of consecutive utterances, a tagger
// is trained on all folds but one and proposes candidates on that one,
// and the verifier learns from those candidates (labelled by whether
// they overlap a gold span of their type), so it sees the tagger's
// mistakes on text the tagger never saw. Its threshold is chosen by a
// second cross-validation over the same folds (best F1); the embedded
// model's threshold was then set by the precision the detector must reach
// (ChooseVerifierThreshold, verifier_threshold.go). Held-out sets are
// refused.
//
// With a verifier the tagger proposes more (a lower margin, and spans the
// hand guards would drop): the guards become features and the verifier
// decides. A rule's span passes unless the model's rule threshold is set
// (it is not: the rules were written against the development data, so
// their out-of-fold errors there are not representative).

// Verifier holds the perceptron weights and the thresholds.
type Verifier struct {
	w map[uint64]float32
	// threshold: a tagger span scoring below it is dropped.
	threshold float32
	// ruleThreshold: a rule's medical span scoring below it is dropped
	// (-Inf: never).
	ruleThreshold float32
	// wideMargin is the tagger margin a span needs to be proposed.
	wideMargin float32
}

//go:embed verifier.model
var verifierModel []byte

// builtinVerifier is the embedded model, or nil when it does not load.
var builtinVerifier = func() *Verifier {
	v, err := ReadVerifier(bytes.NewReader(verifierModel))
	if err != nil || len(v.w) == 0 {
		return nil
	}
	return v
}()

var errBadVerifier = errors.New("pii: bad verifier model")

const verifierMagic = "PIIVER01"

// ReadVerifier loads a model written by WriteTo.
func ReadVerifier(r io.Reader) (*Verifier, error) {
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:]) != verifierMagic {
		return nil, errBadVerifier
	}
	var hdr struct {
		Threshold, RuleThreshold, WideMargin float32
		N                                    uint32
	}
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadVerifier, err)
	}
	if hdr.N > 1<<24 {
		return nil, errBadVerifier
	}
	v := &Verifier{w: make(map[uint64]float32, hdr.N), threshold: hdr.Threshold, ruleThreshold: hdr.RuleThreshold, wideMargin: hdr.WideMargin}
	if err := readWeights(r, hdr.N, errBadVerifier, func(k uint64, w float32) { v.w[k] = w }); err != nil {
		return nil, err
	}
	return v, nil
}

// WriteTo writes the model: magic, thresholds, then the weights sorted by
// key, so that one training run gives one file.
func (v *Verifier) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(verifierMagic)
	keys := make([]uint64, 0, len(v.w))
	for k, x := range v.w {
		if x != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	binary.Write(&buf, binary.LittleEndian, struct {
		Threshold, RuleThreshold, WideMargin float32
		N                                    uint32
	}{v.threshold, v.ruleThreshold, v.wideMargin, uint32(len(keys))})
	for _, k := range keys {
		binary.Write(&buf, binary.LittleEndian, struct {
			K uint64
			W float32
		}{k, v.w[k]})
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// Thresholds returns the tagger and rule thresholds and the margin at
// which the tagger proposes spans.
func (v *Verifier) Thresholds() (tagger, rule, wideMargin float32) {
	return v.threshold, v.ruleThreshold, v.wideMargin
}

// filter drops the medical candidates the verifier rejects.
func (v *Verifier) filter(st *scanState) {
	var buf [96]uint64
	kept := st.cands[:0]
	for _, c := range st.cands {
		if CategoryOf(c.typ) == CategoryMedical {
			th := v.ruleThreshold
			if c.prio == prioTagger {
				th = v.threshold
			}
			if th > float32(math.Inf(-1)) && v.score(verifierFeatures(st, c, buf[:0])) < th {
				continue
			}
		}
		kept = append(kept, c)
	}
	st.cands = kept
}

func (v *Verifier) score(feats []uint64) float32 {
	var s float32
	for _, f := range feats {
		s += v.w[f]
	}
	return s
}

// verifierFeatures describes a medical candidate: its origin and type,
// the tagger's margin and the guards it fails, its words, its first and
// last word and their neighbours, a bag of the words before and after
// it, and a few word-class flags.
func verifierFeatures(st *scanState, c candidate, dst []uint64) []uint64 {
	i, j := st.tokenRange(c.s, c.e)
	if i < 0 {
		return dst
	}
	origin := 0
	if c.prio == prioTagger {
		origin = 1
	}
	o := hashInt(hashStr(hashID(100), c.typ), origin) // origin and type
	dst = append(dst, o, hashInt(hashID(101), origin))
	if origin == 1 {
		b := int(math.Floor(float64(c.margin)))
		b = max(-8, min(b, 8))
		dst = append(dst, hashInt(hashID(102), b))
		if c.guards == 0 {
			dst = append(dst, hashID(103))
		}
		for g := range numGuards {
			if c.guards&(1<<g) != 0 {
				dst = append(dst, hashInt(hashID(104), g))
			}
		}
	}
	first, head := st.toks[i], st.toks[j-1]
	prev, prev2, next, next2 := st.tok(i-1).low, st.tok(i-2).low, st.tok(j).low, st.tok(j+1).low
	dst = append(dst,
		hashStr(hashID(105), first.low),
		hashStr(hashID(106), head.low),
		hashStr(hashID(107), suffixN(head.low, 3)),
		hashStr(o, head.low),
		hashStr(hashID(108), prev),
		hashStr(hashID(109), prev2),
		hashStr(hashStr(hashID(110), prev2), prev),
		hashStr(hashID(111), next),
		hashStr(hashID(112), next2),
		hashStr(hashStr(hashID(113), prev), first.low),
		hashStr(hashStr(hashID(114), head.low), next),
		hashInt(hashID(115), min(j-i, 6)),
		hashStr(hashID(116), shape(first)),
	)
	if lowerSentence(st) {
		dst = append(dst, hashID(117))
	}
	var flags uint32
	var wn uint8 // WordNet classes of the span's words and two-word lemmas
	for k := i; k < j; k++ {
		t := st.toks[k]
		if t.kind == tokPunct {
			continue
		}
		w := baseName(t)
		wn |= wordnetClass(w)
		if k+1 < j {
			wn |= wordnetPair(t.low, st.toks[k+1].low)
		}
		dst = append(dst, hashStr(hashID(118), t.low))
		switch {
		case stopWords[w] || determiners[w]:
			flags |= 1
		case medWord(w):
			flags |= 2
		case unknownWord(w):
			flags |= 4
		case bodyParts[w] || bodyParts[strings.TrimSuffix(w, "s")] || organs[w]:
			flags |= 8
		case clinicalEvidence(w):
			flags |= 16
		default:
			flags |= 32 // an ordinary English word
		}
	}
	for b := range 6 {
		if flags&(1<<b) != 0 {
			dst = append(dst, hashInt(hashID(119), b))
		}
	}
	dst = append(dst, hashInt(hashID(120), int(flags)))
	for b := range 4 {
		if wn&(1<<b) != 0 {
			dst = append(dst, hashInt(hashStr(hashID(124), c.typ), b))
		}
	}
	dst = append(dst, hashInt(hashID(125), int(wordnetClass(baseName(head)))))
	for _, v := range st.vetoed {
		if v[0] < c.e && c.s < v[1] {
			dst = append(dst, hashID(121))
			break
		}
	}
	for k, n := i-1, 0; k >= 0 && n < 6; k-- {
		if t := st.toks[k]; t.kind != tokPunct {
			dst = append(dst, hashStr(hashID(122), t.low))
			n++
		}
	}
	for k, n := j, 0; k < len(st.toks) && n < 4; k++ {
		if t := st.toks[k]; t.kind != tokPunct {
			dst = append(dst, hashStr(hashID(123), t.low))
			n++
		}
	}
	return dst
}

// vExample is one candidate of the out-of-fold data: its features,
// whether it overlaps a gold span of its type, and where it came from.
type vExample struct {
	feats  []uint64
	gold   bool
	tagger bool
	sample int
	fold   int
	cand   int // index in its sample's candidate list
}

// vSample keeps one sample's candidates for replaying the pipeline's end
// at any threshold.
type vSample struct {
	st    *scanState
	cands []candidate
}

// VerifierSweep is one row of the table TrainVerifier reports: the
// out-of-fold detector (tagger and verifier both trained without the
// fold) at one proposal margin and one threshold. The first row, margin
// and threshold NaN, is the out-of-fold detector without a verifier.
type VerifierSweep struct {
	WideMargin, Threshold float32
	Report                Report
	F1                    float64 // medical F1, routed (any medical type matches)
	Smoothed              float64 // mean medical F1 over the neighbouring thresholds
}

// TrainVerifier trains the span verifier on development sets, with the
// taggers that propose its candidates trained out of fold, and chooses
// the proposal margin (one of wideMargins) and the threshold by
// cross-validation: the best medical F1 of the out-of-fold detector
// (routed: any medical type matches), averaged over each threshold and
// its two neighbours (the curve is flat
// and a single point is noise). It returns the verifier and the table.
// Held-out sets are refused.
//
// selectLast > 0 scores the choice on the last selectLast samples only
// (of all paths, in order): the newest development batches, written after
// the rules and scored before any fix. Elsewhere the rules were written
// against the text, so they leave the tagger little but their own
// silences, and its spans there are more often wrong than on new calls;
// a threshold chosen there rejects too much.
func TrainVerifier(paths []string, folds, epochs int, seed uint64, wideMargins []float32, selectLast int) (*Verifier, []VerifierSweep, error) {
	if folds < 2 || len(wideMargins) == 0 {
		return nil, nil, fmt.Errorf("pii train verifier: need at least two folds and one margin")
	}
	samples, err := loadDevSamples("pii train verifier", paths)
	if err != nil {
		return nil, nil, err
	}
	if len(samples) < folds {
		return nil, nil, fmt.Errorf("pii train verifier: %d samples for %d folds", len(samples), folds)
	}
	taggers := make([]*Tagger, folds)
	for f := range folds {
		lo, hi := f*len(samples)/folds, (f+1)*len(samples)/folds
		train := append(append([]sample{}, samples[:lo]...), samples[hi:]...)
		taggers[f] = trainSamples(train, epochs, seed)
	}
	// The first row is the detector without a verifier (the tagger at its
	// own margin behind the hand guards), out of fold on the same samples.
	from := 0
	if selectLast > 0 && selectLast < len(samples) {
		from = len(samples) - selectLast
	}
	base := make([][]Entity, len(samples)-from)
	for f := range folds {
		lo, hi := f*len(samples)/folds, (f+1)*len(samples)/folds
		d := NewDetector(Options{Tagger: taggers[f], NoVerifier: true})
		for i := max(lo, from); i < hi; i++ {
			base[i-from] = d.Detect(samples[i].Text)
		}
	}
	baseRow := VerifierSweep{WideMargin: float32(math.NaN()), Threshold: float32(math.NaN()), Report: score(samples[from:], base, 0, nil)}
	if m, ok := baseRow.Report.Category(CategoryMedical); ok && m.Precision+m.Recall > 0 {
		baseRow.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
		baseRow.Smoothed = baseRow.F1
	}
	sweep := []VerifierSweep{baseRow}
	var bestEx []vExample
	bestRow := -1
	for _, wm := range wideMargins {
		vs, ex := verifierExamples(samples, taggers, wm)
		rows := sweepThresholds(samples, vs, ex, folds, epochs, seed, selectLast)
		for k := range rows {
			rows[k].WideMargin = wm
			sweep = append(sweep, rows[k])
			if bestRow < 1 || rows[k].Smoothed > sweep[bestRow].Smoothed {
				bestRow, bestEx = len(sweep)-1, ex
			}
		}
	}
	v := trainPerceptron(bestEx, epochs, seed)
	v.threshold, v.ruleThreshold, v.wideMargin = sweep[bestRow].Threshold, float32(math.Inf(-1)), sweep[bestRow].WideMargin
	return v, sweep, nil
}

// verifierExamples runs the detector with each fold's tagger over that
// fold and returns every sample's candidates and the medical ones as
// examples.
func verifierExamples(samples []sample, taggers []*Tagger, wideMargin float32) ([]vSample, []vExample) {
	folds := len(taggers)
	vs := make([]vSample, len(samples))
	var ex []vExample
	for f := range folds {
		lo, hi := f*len(samples)/folds, (f+1)*len(samples)/folds
		d := NewDetector(Options{Tagger: taggers[f], Verifier: &Verifier{wideMargin: wideMargin}})
		for i := lo; i < hi; i++ {
			st := d.scan(samples[i].Text, nil)
			vs[i] = vSample{st: st, cands: slices.Clone(st.cands)}
			ents := candidateEntities(samples[i].Text, st)
			for k, c := range st.cands {
				if CategoryOf(c.typ) != CategoryMedical {
					continue
				}
				ex = append(ex, vExample{
					feats:  verifierFeatures(st, c, nil),
					gold:   overlapsGold(samples[i], ents[k]),
					tagger: c.prio == prioTagger,
					sample: i, fold: f, cand: k,
				})
			}
		}
	}
	return vs, ex
}

// sweepThresholds scores every example with a verifier trained without
// its fold, then replays the end of the pipeline at each threshold.
func sweepThresholds(samples []sample, vs []vSample, ex []vExample, folds, epochs int, seed uint64, selectLast int) []VerifierSweep {
	from := 0
	if selectLast > 0 && selectLast < len(samples) {
		from = len(samples) - selectLast
	}
	scores := make([]float32, len(ex))
	for f := range folds {
		var train []vExample
		for _, e := range ex {
			if e.fold != f {
				train = append(train, e)
			}
		}
		v := trainPerceptron(train, epochs, seed)
		for k, e := range ex {
			if e.fold == f {
				scores[k] = v.score(e.feats)
			}
		}
	}
	candScore := make([]map[int]float32, len(samples))
	for k, e := range ex {
		if candScore[e.sample] == nil {
			candScore[e.sample] = map[int]float32{}
		}
		candScore[e.sample][e.cand] = scores[k]
	}
	var rows []VerifierSweep
	for th := float32(-8); th <= 8.01; th += 0.5 {
		preds := make([][]Entity, len(samples)-from)
		for i, s := range vs[from:] {
			i += from
			st := s.st
			st.cands = st.cands[:0]
			for k, c := range s.cands {
				if c.prio == prioTagger && CategoryOf(c.typ) == CategoryMedical && candScore[i][k] < th {
					continue
				}
				st.cands = append(st.cands, c)
			}
			preds[i-from] = st.entities(samples[i].Text)
		}
		r := score(samples[from:], preds, 0, nil)
		r.Dataset = fmt.Sprintf("%d-fold out-of-fold, verifier threshold %.1f", folds, th)
		row := VerifierSweep{Threshold: th, Report: r}
		// chosen on medical data as routing sees it: a span found under
		// another medical type is encrypted all the same
		if m, ok := r.RoutedCategory(CategoryMedical); ok && m.Precision+m.Recall > 0 {
			row.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
		}
		rows = append(rows, row)
	}
	for k := range rows {
		sum, n := 0.0, 0
		for d := -1; d <= 1; d++ {
			if k+d >= 0 && k+d < len(rows) {
				sum += rows[k+d].F1
				n++
			}
		}
		rows[k].Smoothed = sum / float64(n)
	}
	return rows
}

// candidateEntities maps each candidate to code-point offsets of text.
func candidateEntities(text string, st *scanState) []Entity {
	runeAt := runeOffsets(text)
	out := make([]Entity, len(st.cands))
	for k, c := range st.cands {
		s, e := st.n.origSpan(c.s, c.e)
		out[k] = Entity{Type: c.typ, Start: runeAt(s), End: runeAt(e)}
	}
	return out
}

func overlapsGold(s sample, e Entity) bool {
	for _, g := range s.Spans {
		if g.Type == e.Type && g.Start < e.End && e.Start < g.End {
			return true
		}
	}
	return false
}

// trainPerceptron trains the binary averaged perceptron: weights rise on
// a missed gold candidate's features and fall on a wrongly accepted one's.
// A margin of 1 around zero counts as a mistake, so the weights keep
// separating after the data is fitted.
func trainPerceptron(ex []vExample, epochs int, seed uint64) *Verifier {
	w := map[uint64]float32{}
	total := map[uint64]float32{}
	stamp := map[uint64]int{}
	step := 0
	update := func(f uint64, d float32) {
		total[f] += float32(step-stamp[f]) * w[f]
		stamp[f] = step
		w[f] += d
	}
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed27f5a3c1b4e9))
	v := &Verifier{w: w}
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			step++
			e := ex[k]
			s := v.score(e.feats)
			y := float32(-1)
			if e.gold {
				y = 1
			}
			if y*s <= 1 {
				for _, f := range e.feats {
					update(f, y)
				}
			}
		}
	}
	avg := make(map[uint64]float32, len(w))
	for f, x := range w {
		t := total[f] + float32(step-stamp[f])*x
		if a := t / float32(step); a != 0 {
			avg[f] = a
		}
	}
	return &Verifier{w: avg}
}
