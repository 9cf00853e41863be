// Package vaulttest holds the contract tests every vault.KeyStore must pass,
// so the in-memory store and the Postgres store are checked by the same
// assertions.
package vaulttest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/vault"
)

// Ids are UUIDs because the Postgres columns org_id is uuid; subject ids
// are text and may carry a data-class suffix.
const (
	orgA  = "0a000000-0000-4000-8000-00000000000a"
	orgB  = "0b000000-0000-4000-8000-00000000000b"
	subj1 = "5a000000-0000-4000-8000-000000000001"
	subj2 = "5a000000-0000-4000-8000-000000000002"
	subj3 = "5a000000-0000-4000-8000-000000000003/health"
)

// RunKeyStoreTests runs the KeyStore contract against stores made by
// newStore, which must return an empty store each call.
func RunKeyStoreTests(t *testing.T, newStore func(t *testing.T) vault.KeyStore) {
	t.Run("OrgKeys", func(t *testing.T) { testOrgKeys(t, newStore(t)) })
	t.Run("DataKeys", func(t *testing.T) { testDataKeys(t, newStore(t)) })
	t.Run("ListDataKeysPaging", func(t *testing.T) { testListDataKeys(t, newStore(t)) })
	t.Run("ThroughVault", func(t *testing.T) { testThroughVault(t, newStore(t)) })
}

func blob(tag byte) []byte { return bytes.Repeat([]byte{tag}, 48) }

func testOrgKeys(t *testing.T, s vault.KeyStore) {
	ctx := context.Background()
	_, err := s.GetOrgKey(ctx, orgA, "v1")
	require.ErrorIs(t, err, vault.ErrKeyNotFound)

	now := time.Now().UTC().Truncate(time.Microsecond)
	k1 := vault.WrappedKey{OrgID: orgA, KeyID: "v1", WrappingKeyID: "mk-1", Wrapped: blob(1), CreatedAt: now}
	require.NoError(t, s.PutOrgKey(ctx, k1))
	dup := k1
	dup.Wrapped = blob(9)
	require.ErrorIs(t, s.PutOrgKey(ctx, dup), vault.ErrKeyExists)
	require.NoError(t, s.PutOrgKey(ctx, vault.WrappedKey{OrgID: orgA, KeyID: "v2", WrappingKeyID: "mk-1", Wrapped: blob(2), CreatedAt: now.Add(time.Second)}))
	require.NoError(t, s.PutOrgKey(ctx, vault.WrappedKey{OrgID: orgB, KeyID: "v1", WrappingKeyID: "mk-1", Wrapped: blob(3), CreatedAt: now}))

	got, err := s.GetOrgKey(ctx, orgA, "v1")
	require.NoError(t, err)
	assert.Equal(t, k1.OrgID, got.OrgID)
	assert.Equal(t, k1.KeyID, got.KeyID)
	assert.Equal(t, k1.WrappingKeyID, got.WrappingKeyID)
	assert.Equal(t, k1.Wrapped, got.Wrapped, "a failed duplicate insert must not overwrite")
	got.Wrapped[0] = 0xff
	again, err := s.GetOrgKey(ctx, orgA, "v1")
	require.NoError(t, err)
	assert.Equal(t, blob(1), again.Wrapped, "returned blobs must not alias the store")

	list, err := s.ListOrgKeys(ctx, orgA)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"v1", "v2"}, keyIDs(list))
	all, err := s.ListAllOrgKeys(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 3)

	next := k1
	next.Wrapped, next.WrappingKeyID = blob(4), "mk-2"
	require.NoError(t, s.RewrapOrgKey(ctx, k1, next))
	require.ErrorIs(t, s.RewrapOrgKey(ctx, k1, next), vault.ErrKeyNotFound, "rewrap is compare-and-swap on the old blob")
	got, err = s.GetOrgKey(ctx, orgA, "v1")
	require.NoError(t, err)
	assert.Equal(t, blob(4), got.Wrapped)
	assert.Equal(t, "mk-2", got.WrappingKeyID)
}

func testDataKeys(t *testing.T, s vault.KeyStore) {
	ctx := context.Background()
	_, err := s.GetDataKey(ctx, orgA, subj1)
	require.ErrorIs(t, err, vault.ErrKeyNotFound)

	k := vault.WrappedKey{OrgID: orgA, SubjectID: subj1, WrappingKeyID: "v1", Wrapped: blob(1), CreatedAt: time.Now()}
	require.NoError(t, s.PutDataKey(ctx, k))
	dup := k
	dup.Wrapped = blob(9)
	require.ErrorIs(t, s.PutDataKey(ctx, dup), vault.ErrKeyExists)
	require.NoError(t, s.PutDataKey(ctx, vault.WrappedKey{OrgID: orgB, SubjectID: subj1, WrappingKeyID: "v1", Wrapped: blob(2), CreatedAt: time.Now()}))

	got, err := s.GetDataKey(ctx, orgA, subj1)
	require.NoError(t, err)
	assert.Equal(t, orgA, got.OrgID)
	assert.Equal(t, subj1, got.SubjectID)
	assert.Equal(t, "v1", got.WrappingKeyID)
	assert.Equal(t, blob(1), got.Wrapped)

	next := k
	next.Wrapped, next.WrappingKeyID = blob(3), "v2"
	require.NoError(t, s.RewrapDataKey(ctx, k, next))
	require.ErrorIs(t, s.RewrapDataKey(ctx, k, next), vault.ErrKeyNotFound)

	require.NoError(t, s.DeleteDataKey(ctx, orgA, subj1))
	_, err = s.GetDataKey(ctx, orgA, subj1)
	require.ErrorIs(t, err, vault.ErrKeyNotFound)
	require.ErrorIs(t, s.DeleteDataKey(ctx, orgA, subj1), vault.ErrKeyNotFound)
	require.ErrorIs(t, s.RewrapDataKey(ctx, next, k), vault.ErrKeyNotFound, "a deleted key must never come back")

	_, err = s.GetDataKey(ctx, orgB, subj1)
	require.NoError(t, err, "deleting in one org leaves the same subject id in another")
}

func testListDataKeys(t *testing.T, s vault.KeyStore) {
	ctx := context.Background()
	for i, subj := range []string{subj3, subj1, subj2} {
		require.NoError(t, s.PutDataKey(ctx, vault.WrappedKey{OrgID: orgA, SubjectID: subj, WrappingKeyID: "v1", Wrapped: blob(byte(i + 1)), CreatedAt: time.Now()}))
	}
	require.NoError(t, s.PutDataKey(ctx, vault.WrappedKey{OrgID: orgB, SubjectID: subj1, WrappingKeyID: "v1", Wrapped: blob(9), CreatedAt: time.Now()}))

	page, err := s.ListDataKeys(ctx, orgA, "", 2)
	require.NoError(t, err)
	assert.Equal(t, []string{subj1, subj2}, subjectIDs(page))
	page, err = s.ListDataKeys(ctx, orgA, page[1].SubjectID, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{subj3}, subjectIDs(page))
	page, err = s.ListDataKeys(ctx, orgA, subj3, 2)
	require.NoError(t, err)
	assert.Empty(t, page)
}

func testThroughVault(t *testing.T, s vault.KeyStore) {
	ctx := context.Background()
	v, err := vault.New(s, vault.GenerateMasterKey())
	require.NoError(t, err)
	aad := vault.AAD{OrgID: orgA, Table: "app.call_notes", RowID: "6e000000-0000-4000-8000-000000000001", Column: "body"}
	ct, err := v.Encrypt(ctx, aad, subj1, []byte("note"))
	require.NoError(t, err)
	_, err = v.RotateOrg(ctx, orgA)
	require.NoError(t, err)
	_, err = v.RotateMaster(ctx, vault.GenerateMasterKey())
	require.NoError(t, err)
	pt, err := v.Decrypt(ctx, aad, subj1, ct)
	require.NoError(t, err)
	assert.Equal(t, "note", string(pt))
	require.NoError(t, v.Shred(ctx, orgA, subj1))
	_, err = v.Decrypt(ctx, aad, subj1, ct)
	require.ErrorIs(t, err, vault.ErrShredded)
}

func keyIDs(ks []vault.WrappedKey) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.KeyID)
	}
	return out
}

func subjectIDs(ks []vault.WrappedKey) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.SubjectID)
	}
	return out
}
