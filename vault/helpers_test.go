package vault

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	orgA = "11111111-1111-4111-8111-111111111111"
	orgB = "22222222-2222-4222-8222-222222222222"
	pat1 = "aaaaaaaa-0000-4000-8000-000000000001"
	pat2 = "aaaaaaaa-0000-4000-8000-000000000002"
	pat3 = "aaaaaaaa-0000-4000-8000-000000000003"
)

func newTestVault(t *testing.T) (*Vault, *MemoryKeyStore, Key) {
	t.Helper()
	store := NewMemoryKeyStore()
	master := GenerateMasterKey()
	v, err := New(store, master)
	require.NoError(t, err)
	return v, store, master
}

func noteAAD(org, row string) AAD {
	return AAD{OrgID: org, Table: "app.call_notes", RowID: row, Column: "body"}
}

func mustEncrypt(t *testing.T, v *Vault, aad AAD, subject string, pt string) []byte {
	t.Helper()
	ct, err := v.Encrypt(context.Background(), aad, subject, []byte(pt))
	require.NoError(t, err)
	return ct
}

func mustDecrypt(t *testing.T, v *Vault, aad AAD, subject string, ct []byte) string {
	t.Helper()
	pt, err := v.Decrypt(context.Background(), aad, subject, ct)
	require.NoError(t, err)
	return string(pt)
}

func hexString(b []byte) string { return fmt.Sprintf("%x", b) }

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
