package pii

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifierModelLoads(t *testing.T) {
	require.NotNil(t, builtinVerifier, "embedded verifier.model does not load")
	th, rule, wide := builtinVerifier.Thresholds()
	assert.Greater(t, len(builtinVerifier.w), 100)
	t.Logf("verifier: %d weights, threshold %.1f, rule threshold %v, proposal margin %.1f", len(builtinVerifier.w), th, rule, wide)
	var buf bytes.Buffer
	_, err := builtinVerifier.WriteTo(&buf)
	require.NoError(t, err)
	assert.Equal(t, verifierModel, buf.Bytes(), "a read and write changes the model")
}

func TestReadVerifierRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("nope"), []byte("PIIVER01"), append([]byte("PIIVER01"), make([]byte, 12)...)} {
		_, err := ReadVerifier(bytes.NewReader(b))
		assert.ErrorIs(t, err, errBadVerifier, "%q", b)
	}
}

func TestTrainVerifierRefusesHeldOut(t *testing.T) {
	for _, name := range heldOutSets {
		_, _, err := TrainVerifier([]string{filepath.Join("testdata", "clinic_calls.json"), filepath.Join("testdata", name)}, 2, 1, 1, []float32{0}, 0)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "held-out")
	}
}

// TestTrainVerifierSmall trains on the small in-sample set: a model comes
// back with a threshold from the table, and it survives a write and read.
func TestTrainVerifierSmall(t *testing.T) {
	v, sweep, err := TrainVerifier([]string{filepath.Join("testdata", "clinic_calls.json")}, 2, 2, 1, []float32{0, -2}, 50)
	require.NoError(t, err)
	require.NotEmpty(t, sweep)
	th, _, wide := v.Thresholds()
	found := false
	for _, s := range sweep[1:] {
		if s.Threshold == th && s.WideMargin == wide {
			found = true
		}
	}
	assert.True(t, found, "chosen threshold not in the table")
	var buf bytes.Buffer
	_, err = v.WriteTo(&buf)
	require.NoError(t, err)
	v2, err := ReadVerifier(&buf)
	require.NoError(t, err)
	assert.Equal(t, len(v2.w), func() int {
		n := 0
		for _, x := range v.w {
			if x != 0 {
				n++
			}
		}
		return n
	}())
	// The detector runs with it and stays deterministic.
	d := NewDetector(Options{Verifier: v})
	text := "I've had a funny rash on my arm since the weekend and my knee is stiff"
	assert.Equal(t, d.Detect(text), d.Detect(text))
}
