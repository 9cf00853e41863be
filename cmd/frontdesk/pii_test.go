package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpandDatasets: `pii eval --dataset` takes a file, a comma-separated
// list or a glob; a glob that matches nothing is an error, not a pooled
// report over no data.
func TestExpandDatasets(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"set_b.json", "set_a.json", "other.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("[]"), 0o600))
	}
	got, err := expandDatasets(filepath.Join(dir, "set_*.json") + ", " + filepath.Join(dir, "other.json"))
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "set_a.json"), filepath.Join(dir, "set_b.json"), filepath.Join(dir, "other.json")}, got)

	got, err = expandDatasets("just/one.json")
	require.NoError(t, err)
	assert.Equal(t, []string{"just/one.json"}, got)

	_, err = expandDatasets(filepath.Join(dir, "none_*.json"))
	assert.ErrorContains(t, err, "matches no file")
	_, err = expandDatasets(" , ")
	assert.Error(t, err)
	assert.ErrorContains(t, runPII(context.Background(), []string{"eval", "--dataset", filepath.Join(dir, "none_*.json")}), "matches no file")
}
