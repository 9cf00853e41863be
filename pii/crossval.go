package pii

import (
	"fmt"
	"time"
)

// CrossValidate estimates the detector (rules plus tagger) on development
// data the tagger did not learn from: the samples of paths are cut into
// folds of consecutive utterances (a batch's phrasings stay together), a
// tagger is trained on all folds but one and scores that one, once per
// confidence margin. It returns one report per margin over the
// out-of-fold predictions. Held-out sets are refused, as in TrainTagger.
// The rules were written against the same data, so the figures are
// optimistic for them; they are honest for the tagger's share.
func CrossValidate(paths []string, folds, epochs int, seed uint64, margins []float32) ([]Report, error) {
	return crossValidate(paths, folds, epochs, seed, margins, nil)
}

func crossValidate(paths []string, folds, epochs int, seed uint64, margins []float32, onMismatch func(margin float32, m mismatch)) ([]Report, error) {
	if folds < 2 || len(margins) == 0 {
		return nil, fmt.Errorf("pii crossval: need at least two folds and one margin")
	}
	samples, err := loadDevSamples("pii crossval", paths)
	if err != nil {
		return nil, err
	}
	if len(samples) < folds {
		return nil, fmt.Errorf("pii crossval: %d samples for %d folds", len(samples), folds)
	}
	preds := make([][][]Entity, len(margins))
	for k := range preds {
		preds[k] = make([][]Entity, len(samples))
	}
	start := time.Now()
	for f := range folds {
		lo, hi := f*len(samples)/folds, (f+1)*len(samples)/folds
		train := append(append([]sample{}, samples[:lo]...), samples[hi:]...)
		t := trainSamples(train, epochs, seed)
		for k, m := range margins {
			t.minMargin = m
			d := NewDetector(Options{Tagger: t})
			for i := lo; i < hi; i++ {
				preds[k][i] = d.Detect(samples[i].Text)
			}
		}
	}
	elapsed := time.Since(start).Seconds()
	reports := make([]Report, len(margins))
	for k, m := range margins {
		var cb func(mismatch)
		if onMismatch != nil {
			cb = func(x mismatch) { onMismatch(m, x) }
		}
		reports[k] = score(samples, preds[k], elapsed, cb)
		reports[k].Dataset = fmt.Sprintf("%d-fold out-of-fold, margin %.2f", folds, m)
	}
	return reports, nil
}
