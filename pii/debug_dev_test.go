package pii

import (
	"os"
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
