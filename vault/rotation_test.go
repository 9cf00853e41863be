package vault

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sealed struct {
	aad     AAD
	subject string
	ct      []byte
	want    string
}

func seedData(t *testing.T, v *Vault) []sealed {
	t.Helper()
	var out []sealed
	for _, c := range []struct{ org, subject, row, text string }{
		{orgA, pat1, "r1", "A/1: hypertension"},
		{orgA, pat2, "r2", "A/2: pregnancy, week 12"},
		{orgA, pat3, "r3", "A/3: knee surgery follow-up"},
		{orgB, pat1, "r4", "B/1: dental abscess"},
	} {
		aad := noteAAD(c.org, c.row)
		out = append(out, sealed{aad, c.subject, mustEncrypt(t, v, aad, c.subject, c.text), c.text})
	}
	return out
}

func assertReadable(t *testing.T, v *Vault, data []sealed) {
	t.Helper()
	for _, d := range data {
		assert.Equal(t, d.want, mustDecrypt(t, v, d.aad, d.subject, d.ct))
	}
}

func orgKeyWrappers(t *testing.T, store KeyStore) map[string]string {
	t.Helper()
	keys, err := store.ListAllOrgKeys(context.Background())
	require.NoError(t, err)
	out := map[string]string{}
	for _, k := range keys {
		h, _, err := parseWrapHeader(k.Wrapped)
		require.NoError(t, err)
		assert.Equal(t, h.wrappingKeyID, k.WrappingKeyID, "store column agrees with the blob")
		out[k.OrgID+"/"+h.keyID] = h.wrappingKeyID
	}
	return out
}

func TestRotateMasterRewrapsOrgKeysOnly(t *testing.T) {
	v, store, oldMaster := newTestVault(t)
	ctx := context.Background()
	data := seedData(t, v)
	dataKeysBefore, err := store.ListDataKeys(ctx, orgA, "", 0)
	require.NoError(t, err)

	newMaster := GenerateMasterKey()
	n, err := v.RotateMaster(ctx, newMaster)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "one org key per org")
	assert.Equal(t, newMaster.ID(), v.MasterKeyID())
	for id, wrapper := range orgKeyWrappers(t, store) {
		assert.Equal(t, newMaster.ID(), wrapper, id)
	}
	dataKeysAfter, err := store.ListDataKeys(ctx, orgA, "", 0)
	require.NoError(t, err)
	assert.Equal(t, dataKeysBefore, dataKeysAfter, "data keys are not touched by a master rotation")
	assertReadable(t, v, data)

	// A process that only has the new master reads everything: nothing is
	// left wrapped by the old one.
	fresh, err := New(store, newMaster)
	require.NoError(t, err)
	assertReadable(t, fresh, data)

	// A process that only has the old master cannot.
	stale, err := New(store, oldMaster)
	require.NoError(t, err)
	_, err = stale.Decrypt(ctx, data[0].aad, data[0].subject, data[0].ct)
	require.ErrorIs(t, err, ErrUnknownKey)

	// New orgs are wrapped by the new master; a second run has nothing to do.
	mustEncrypt(t, v, noteAAD("33333333-3333-4333-8333-333333333333", "r"), pat1, "x")
	assert.Equal(t, newMaster.ID(), orgKeyWrappers(t, store)["33333333-3333-4333-8333-333333333333/v1"])
	n, err = v.RotateMaster(ctx, newMaster)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// failingStore fails chosen calls once, to interrupt a rotation midway.
type failingStore struct {
	*MemoryKeyStore
	failRewrapOrgAfter int
	onListDataKeys     func()
}

var errInjected = errors.New("injected store failure")

func (s *failingStore) RewrapOrgKey(ctx context.Context, prev, next WrappedKey) error {
	if s.failRewrapOrgAfter == 0 {
		s.failRewrapOrgAfter = -1
		return errInjected
	}
	s.failRewrapOrgAfter--
	return s.MemoryKeyStore.RewrapOrgKey(ctx, prev, next)
}

func (s *failingStore) ListDataKeys(ctx context.Context, orgID, after string, limit int) ([]WrappedKey, error) {
	keys, err := s.MemoryKeyStore.ListDataKeys(ctx, orgID, after, limit)
	if s.onListDataKeys != nil {
		s.onListDataKeys()
	}
	return keys, err
}

func TestRotateMasterInterruptedThenResumed(t *testing.T) {
	store := &failingStore{MemoryKeyStore: NewMemoryKeyStore(), failRewrapOrgAfter: 1}
	oldMaster, newMaster := GenerateMasterKey(), GenerateMasterKey()
	v, err := New(store, oldMaster)
	require.NoError(t, err)
	data := seedData(t, v)

	n, err := v.RotateMaster(context.Background(), newMaster)
	require.ErrorIs(t, err, errInjected)
	assert.Equal(t, 1, n)
	assertReadable(t, v, data) // half rotated, still readable

	n, err = v.RotateMaster(context.Background(), newMaster)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the second run finishes what the first left")
	for id, wrapper := range orgKeyWrappers(t, store) {
		assert.Equal(t, newMaster.ID(), wrapper, id)
	}
	assertReadable(t, v, data)
}

func TestRotateOrgRewrapsDataKeysWithoutReencrypting(t *testing.T) {
	defer func(n int) { rotationPageSize = n }(rotationPageSize)
	rotationPageSize = 2 // three subjects in org A cross a page boundary

	v, store, _ := newTestVault(t)
	ctx := context.Background()
	data := seedData(t, v)
	indexBefore, err := v.BlindIndex(ctx, orgA, "national_id", "756.1234.5678.97")
	require.NoError(t, err)

	n, err := v.RotateOrg(ctx, orgA)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	wrappers := func(org string) map[string]string {
		keys, err := store.ListDataKeys(ctx, org, "", 0)
		require.NoError(t, err)
		out := map[string]string{}
		for _, k := range keys {
			h, _, err := parseWrapHeader(k.Wrapped)
			require.NoError(t, err)
			assert.Equal(t, h.wrappingKeyID, k.WrappingKeyID)
			out[k.SubjectID] = h.wrappingKeyID
		}
		return out
	}
	assert.Equal(t, map[string]string{pat1: "v2", pat2: "v2", pat3: "v2"}, wrappers(orgA))
	assert.Equal(t, map[string]string{pat1: "v1"}, wrappers(orgB), "other orgs are untouched")
	assertReadable(t, v, data)

	// New subjects are wrapped by the new version.
	mustEncrypt(t, v, noteAAD(orgA, "r9"), "aaaaaaaa-0000-4000-8000-000000000009", "new")
	assert.Equal(t, "v2", wrappers(orgA)["aaaaaaaa-0000-4000-8000-000000000009"])

	// Blind indexes survive: the index root is carried into the new version.
	indexAfter, err := v.BlindIndex(ctx, orgA, "national_id", "756.1234.5678.97")
	require.NoError(t, err)
	assert.Equal(t, indexBefore, indexAfter)

	n, err = v.RotateOrg(ctx, orgA)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, "v3", wrappers(orgA)[pat1])
	assertReadable(t, v, data)

	// Both rotations compose with a master rotation.
	_, err = v.RotateMaster(ctx, GenerateMasterKey())
	require.NoError(t, err)
	assertReadable(t, v, data)
}

// A subject shredded while a rotation is under way must stay shredded: the
// rotation's conditional rewrap must not write the destroyed key back.
func TestRotateOrgDoesNotResurrectShreddedKeys(t *testing.T) {
	store := &failingStore{MemoryKeyStore: NewMemoryKeyStore(), failRewrapOrgAfter: -1}
	v, err := New(store, GenerateMasterKey())
	require.NoError(t, err)
	ctx := context.Background()
	data := seedData(t, v)

	store.onListDataKeys = func() {
		store.onListDataKeys = nil
		require.NoError(t, v.Shred(ctx, orgA, pat2))
	}
	n, err := v.RotateOrg(ctx, orgA)
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	_, err = store.GetDataKey(ctx, orgA, pat2)
	require.ErrorIs(t, err, ErrKeyNotFound)
	_, err = v.Decrypt(ctx, data[1].aad, pat2, data[1].ct)
	require.ErrorIs(t, err, ErrShredded)
	assertReadable(t, v, []sealed{data[0], data[2], data[3]})
}

func TestRotateOrgOnNewOrgProvisionsThenRotates(t *testing.T) {
	v, store, _ := newTestVault(t)
	n, err := v.RotateOrg(context.Background(), orgA)
	require.NoError(t, err)
	assert.Zero(t, n)
	keys, err := store.ListOrgKeys(context.Background(), orgA)
	require.NoError(t, err)
	assert.Len(t, keys, 2)
}
