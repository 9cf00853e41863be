package vault

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBlindIndex(t *testing.T) {
	v, _, _ := newTestVault(t)
	ctx := context.Background()
	idx := func(org, column, value string) string {
		t.Helper()
		s, err := v.BlindIndex(ctx, org, column, value)
		require.NoError(t, err)
		return s
	}
	base := idx(orgA, "insurance_id", "A123456789")
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), base)
	assert.Equal(t, base, idx(orgA, "insurance_id", "A123456789"), "deterministic, so it can be looked up")

	differs := []struct{ name, org, column, value string }{
		{"other value", orgA, "insurance_id", "A123456788"},
		{"other column", orgA, "national_id", "A123456789"},
		{"other org", orgB, "insurance_id", "A123456789"},
		{"not normalised", orgA, "insurance_id", "a123456789"},
	}
	for _, tc := range differs {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotEqual(t, base, idx(tc.org, tc.column, tc.value))
		})
	}

	// Stable across both rotations.
	_, err := v.RotateMaster(ctx, GenerateMasterKey())
	require.NoError(t, err)
	_, err = v.RotateOrg(ctx, orgA)
	require.NoError(t, err)
	assert.Equal(t, base, idx(orgA, "insurance_id", "A123456789"))

	_, err = v.BlindIndex(ctx, "", "c", "v")
	require.ErrorIs(t, err, ErrInvalidAAD)
}
