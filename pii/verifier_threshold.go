package pii

import (
	"errors"
	"fmt"
)

// The verifier's weights say how likely a tagger span is to be right;
// its threshold says how likely is likely enough. TrainVerifier chooses
// the threshold of best out-of-fold F1, which weighs a missed mention
// and a false one alike. The issue this detector answers to asks for a
// precision (0.95) first and a recall (0.90) second, so the embedded
// model's threshold is chosen by ChooseVerifierThreshold instead: the
// lowest threshold at which development data neither model was trained
// on reaches the target precision (see testdata/README.md, seventeenth
// round). The weights are unchanged.

// BuiltinVerifier returns the embedded span verifier (nil if it did not
// load).
func BuiltinVerifier() *Verifier { return builtinVerifier }

// WithThreshold returns a copy of v whose tagger threshold is th.
func (v *Verifier) WithThreshold(th float32) *Verifier {
	c := *v
	c.threshold = th
	return &c
}

// ThresholdRow is one row of ChooseVerifierThreshold's table: the
// detector with the embedded tagger and v at one threshold.
type ThresholdRow struct {
	Threshold float32
	Routed    TypeScore // medical, any medical type matches
}

// ChooseVerifierThreshold scores the detector with the embedded tagger
// and v at each of thresholds (ascending) on the development sets at
// paths, samples [from, to) (the batches the models were not trained on;
// to <= 0: to the end), and returns the lowest threshold whose routed medical precision
// reaches target, with the table. Held-out sets are refused.
func ChooseVerifierThreshold(v *Verifier, paths []string, from, to int, thresholds []float32, target float64) (float32, []ThresholdRow, error) {
	if v == nil {
		return 0, nil, errors.New("pii threshold: no verifier")
	}
	if len(thresholds) == 0 {
		return 0, nil, errors.New("pii threshold: no thresholds to try")
	}
	samples, err := loadDevSamples("pii threshold", paths)
	if err != nil {
		return 0, nil, err
	}
	if to <= 0 {
		to = len(samples)
	}
	if from < 0 || from >= to || to > len(samples) {
		return 0, nil, fmt.Errorf("pii threshold: samples %d to %d outside the %d samples", from, to, len(samples))
	}
	samples = samples[from:to]
	var rows []ThresholdRow
	chosen, found := float32(0), false
	for k, th := range thresholds {
		if k > 0 && th <= thresholds[k-1] {
			return 0, nil, errors.New("pii threshold: thresholds must ascend")
		}
		d := NewDetector(Options{Verifier: v.WithThreshold(th)})
		preds := make([][]Entity, len(samples))
		for i, s := range samples {
			preds[i] = d.Detect(s.Text)
		}
		m, _ := score(samples, preds, 0, nil).RoutedCategory(CategoryMedical)
		rows = append(rows, ThresholdRow{Threshold: th, Routed: m})
		if !found && m.Precision >= target {
			chosen, found = th, true
		}
	}
	if !found {
		return 0, rows, fmt.Errorf("pii threshold: no threshold reaches precision %.3f", target)
	}
	return chosen, rows, nil
}
