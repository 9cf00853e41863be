package pii

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChooseVerifierThreshold: a higher threshold never lets more tagger
// spans through, the choice is the lowest threshold that reaches the
// target, the embedded model is not changed, and held-out sets and a
// range outside the data are refused.
func TestChooseVerifierThreshold(t *testing.T) {
	v := BuiltinVerifier()
	require.NotNil(t, v)
	before, _, _ := v.Thresholds()
	dev := filepath.Join("testdata", "clinic_calls_dev.json")
	ths := []float32{-8, 0, 8, 30}
	th, rows, err := ChooseVerifierThreshold(v, []string{dev}, 20000, 20600, ths, 0.5)
	require.NoError(t, err)
	require.Len(t, rows, len(ths))
	for k := 1; k < len(rows); k++ {
		assert.LessOrEqual(t, rows[k].Routed.Predicted, rows[k-1].Routed.Predicted, "threshold %v lets more through than %v", rows[k].Threshold, rows[k-1].Threshold)
	}
	assert.Equal(t, float32(-8), th, "precision 0.5 is reached at the lowest threshold")
	target := rows[len(rows)-1].Routed.Precision
	th, _, err = ChooseVerifierThreshold(v, []string{dev}, 20000, 20600, ths, target)
	require.NoError(t, err)
	for _, r := range rows {
		if r.Threshold < th {
			assert.Less(t, r.Routed.Precision, target, "a lower threshold %v already reached the target", r.Threshold)
		}
	}
	_, _, err = ChooseVerifierThreshold(v, []string{dev}, 20000, 20600, ths, 1.01)
	assert.Error(t, err, "no threshold reaches precision above 1")
	after, _, _ := v.Thresholds()
	assert.Equal(t, before, after, "choosing must not change the embedded model")
	_, _, err = ChooseVerifierThreshold(v, []string{filepath.Join("testdata", "clinic_calls_heldout28.json")}, 0, 0, ths, 0.9)
	assert.ErrorContains(t, err, "held-out")
	_, _, err = ChooseVerifierThreshold(v, []string{dev}, 10, 5, ths, 0.9)
	assert.Error(t, err)
	_, _, err = ChooseVerifierThreshold(v, []string{dev}, 0, 10, []float32{1, 0}, 0.9)
	assert.Error(t, err, "thresholds must ascend")
}

// TestEmbeddedVerifierThreshold pins the embedded verifier's threshold to
// the one `frontdesk pii threshold --from 10580 --to 20877 --precision
// 0.95` chose in the seventeenth round (development batches 95-182, which
// neither model was trained on): changing it is a decision to write down,
// not a side effect of retraining.
func TestEmbeddedVerifierThreshold(t *testing.T) {
	th, rule, margin := BuiltinVerifier().Thresholds()
	assert.Equal(t, float32(-1), th)
	assert.Equal(t, float32(-8), margin)
	assert.Less(t, rule, float32(-1e30), "rule spans pass the verifier")
}
