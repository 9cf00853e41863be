package vault

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAADCanonicalIsUnambiguous(t *testing.T) {
	// Each pair concatenates to the same string without length prefixes.
	pairs := []struct {
		name string
		a, b AAD
	}{
		{"table/row boundary", AAD{"o", "ab", "c", "d"}, AAD{"o", "a", "bc", "d"}},
		{"org/table boundary", AAD{"o1", "t", "r", "c"}, AAD{"o", "1t", "r", "c"}},
		{"row/column boundary", AAD{"o", "t", "r|", "c"}, AAD{"o", "t", "r", "|c"}},
		{"empty shift", AAD{"o", "t", "", "rc"}, AAD{"o", "t", "rc", ""}},
	}
	for _, tc := range pairs {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotEqual(t, tc.a.Canonical(), tc.b.Canonical())
		})
	}
	a := AAD{"o", "t", "r", "c"}
	assert.Equal(t, a.Canonical(), a.Canonical(), "encoding must be deterministic")
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	v, _, _ := newTestVault(t)
	cases := []struct {
		name      string
		plaintext []byte
	}{
		{"empty", []byte{}},
		{"text", []byte("Patient reports chest pain since Tuesday; takes metformin.")},
		{"unicode", []byte("Überweisung: Kardiologie — Schmerzen ✓")},
		{"binary", []byte{0, 1, 2, 255, 254, 0}},
		{"large", bytes.Repeat([]byte("x"), 1<<20)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			aad := noteAAD(orgA, "row-"+tc.name)
			ct, err := v.Encrypt(context.Background(), aad, pat1, tc.plaintext)
			require.NoError(t, err)
			if len(tc.plaintext) > 8 {
				assert.False(t, bytes.Contains(ct, tc.plaintext[:8]), "ciphertext contains plaintext")
			}
			pt, err := v.Decrypt(context.Background(), aad, pat1, ct)
			require.NoError(t, err)
			assert.Equal(t, tc.plaintext, pt)
		})
	}
}

func TestCiphertextFormat(t *testing.T) {
	v, store, _ := newTestVault(t)
	aad := noteAAD(orgA, "r1")
	ct1 := mustEncrypt(t, v, aad, pat1, "same text")
	ct2 := mustEncrypt(t, v, aad, pat1, "same text")
	assert.NotEqual(t, ct1, ct2, "random nonces must make equal plaintexts differ")

	keyID, headerLen, err := parseDataHeader(ct1)
	require.NoError(t, err)
	assert.Equal(t, ciphertextV1, ct1[0])
	assert.Len(t, keyID, 36, "data key id is a UUID")
	assert.Equal(t, len(ct1), headerLen+12+len("same text")+16)

	w, err := store.GetDataKey(context.Background(), orgA, pat1)
	require.NoError(t, err)
	h, _, err := parseWrapHeader(w.Wrapped)
	require.NoError(t, err)
	assert.Equal(t, keyID, h.keyID, "ciphertext names the subject's data key")
	assert.Equal(t, "v1", h.wrappingKeyID)
}

func TestDecryptFailsWithOtherAssociatedData(t *testing.T) {
	v, _, _ := newTestVault(t)
	aad := noteAAD(orgA, "row-1")
	ct := mustEncrypt(t, v, aad, pat1, "diagnosis: asthma")
	// Give org B and patient 2 keys of their own so the lookups succeed.
	mustEncrypt(t, v, noteAAD(orgB, "row-9"), pat1, "x")
	mustEncrypt(t, v, aad, pat2, "x")

	cases := []struct {
		name    string
		aad     AAD
		subject string
		want    error
	}{
		{"other row", AAD{orgA, "app.call_notes", "row-2", "body"}, pat1, ErrDecrypt},
		{"other column", AAD{orgA, "app.call_notes", "row-1", "summary"}, pat1, ErrDecrypt},
		{"other table", AAD{orgA, "app.patients", "row-1", "body"}, pat1, ErrDecrypt},
		// Another org or subject has other data keys, so the ciphertext's
		// own key is not found there at all.
		{"other org", AAD{orgB, "app.call_notes", "row-1", "body"}, pat1, ErrKeyDestroyed},
		{"other subject", aad, pat2, ErrKeyDestroyed},
		{"unprovisioned org", AAD{"33333333-3333-4333-8333-333333333333", "app.call_notes", "row-1", "body"}, pat1, ErrKeyDestroyed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := v.Decrypt(context.Background(), tc.aad, tc.subject, ct)
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, pt)
			assert.NotContains(t, err.Error(), "asthma")
		})
	}
	assert.Equal(t, "diagnosis: asthma", mustDecrypt(t, v, aad, pat1, ct))
}

// The org is bound by the GCM additional data itself, not only by which key
// gets looked up: the same data key opened under another org's AAD fails.
func TestAADBindsOrgCryptographically(t *testing.T) {
	key := randomBytes(KeySize)
	header := dataHeader("k1")
	ct, err := seal(key, header, []byte("secret"), dataAD(header, noteAAD(orgA, "r"), pat1))
	require.NoError(t, err)
	_, err = open(key, ct, len(header), dataAD(header, noteAAD(orgB, "r"), pat1))
	require.ErrorIs(t, err, ErrDecrypt)
	pt, err := open(key, ct, len(header), dataAD(header, noteAAD(orgA, "r"), pat1))
	require.NoError(t, err)
	assert.Equal(t, "secret", string(pt))
}

func TestDecryptRejectsTamperedCiphertext(t *testing.T) {
	v, _, _ := newTestVault(t)
	aad := noteAAD(orgA, "row-1")
	ct := mustEncrypt(t, v, aad, pat1, "allergic to penicillin")
	_, headerLen, err := parseDataHeader(ct)
	require.NoError(t, err)

	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[i] ^= 0x01
		return c
	}
	cases := []struct {
		name string
		ct   []byte
		want error
	}{
		{"version byte", flip(0), ErrMalformed},
		{"key id", flip(2), ErrKeyDestroyed},
		{"nonce", flip(headerLen), ErrDecrypt},
		{"body", flip(headerLen + 12), ErrDecrypt},
		{"tag", flip(len(ct) - 1), ErrDecrypt},
		{"appended byte", append(bytes.Clone(ct), 0), ErrDecrypt},
		{"empty", nil, ErrMalformed},
		{"zero key id length", append([]byte{ciphertextV1, 0}, ct[2:]...), ErrMalformed},
		{"truncated to header", ct[:headerLen], ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Decrypt(context.Background(), aad, pat1, tc.ct)
			require.ErrorIs(t, err, tc.want)
		})
	}

	// Every single-bit flip and every truncation fails, and none panics.
	for i := range ct {
		_, err := v.Decrypt(context.Background(), aad, pat1, flip(i))
		require.Error(t, err, "flip at %d", i)
		_, err = v.Decrypt(context.Background(), aad, pat1, ct[:i])
		require.Error(t, err, "truncated to %d", i)
	}
}

func TestEncryptValidatesInput(t *testing.T) {
	v, _, _ := newTestVault(t)
	cases := []struct {
		name    string
		aad     AAD
		subject string
	}{
		{"no org", AAD{"", "t", "r", "c"}, pat1},
		{"no table", AAD{orgA, "", "r", "c"}, pat1},
		{"no row", AAD{orgA, "t", "", "c"}, pat1},
		{"no column", AAD{orgA, "t", "r", ""}, pat1},
		{"no subject", AAD{orgA, "t", "r", "c"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Encrypt(context.Background(), tc.aad, tc.subject, []byte("x"))
			require.ErrorIs(t, err, ErrInvalidAAD)
			_, err = v.Decrypt(context.Background(), tc.aad, tc.subject, []byte("x"))
			require.ErrorIs(t, err, ErrInvalidAAD)
		})
	}
}

func TestShredOnePatientLeavesOthersReadable(t *testing.T) {
	v, store, _ := newTestVault(t)
	ctx := context.Background()
	a1, a2 := noteAAD(orgA, "row-1"), noteAAD(orgA, "row-2")
	ct1 := mustEncrypt(t, v, a1, pat1, "patient one: migraine")
	ct2 := mustEncrypt(t, v, a2, pat2, "patient two: sprained ankle")

	require.NoError(t, v.Shred(ctx, orgA, pat1))

	_, err := v.Decrypt(ctx, a1, pat1, ct1)
	require.ErrorIs(t, err, ErrShredded)
	require.ErrorIs(t, err, ErrKeyDestroyed)
	assert.False(t, errors.Is(err, ErrDecrypt), "shredding is not tampering")
	assert.Equal(t, "patient two: sprained ankle", mustDecrypt(t, v, a2, pat2, ct2))

	_, err = store.GetDataKey(ctx, orgA, pat1)
	require.ErrorIs(t, err, ErrKeyNotFound, "the key itself is gone from the store")

	require.NoError(t, v.Shred(ctx, orgA, pat1), "shred is idempotent for activity retries")

	// A new record for the same subject gets a new key; the shredded data
	// stays unreadable.
	ct3 := mustEncrypt(t, v, a1, pat1, "new record")
	assert.Equal(t, "new record", mustDecrypt(t, v, a1, pat1, ct3))
	_, err = v.Decrypt(ctx, a1, pat1, ct1)
	require.ErrorIs(t, err, ErrKeyDestroyed)
}

// A wrapped data key copied onto another patient's row (a malicious or
// mistaken UPDATE) does not unwrap there: the subject is bound into the wrap.
func TestWrappedDataKeyBoundToSubject(t *testing.T) {
	v, store, _ := newTestVault(t)
	ctx := context.Background()
	aad := noteAAD(orgA, "row-1")
	ct := mustEncrypt(t, v, aad, pat1, "only for patient one")
	mustEncrypt(t, v, aad, pat2, "x")

	w1, err := store.GetDataKey(ctx, orgA, pat1)
	require.NoError(t, err)
	require.NoError(t, store.DeleteDataKey(ctx, orgA, pat2))
	w1.SubjectID = pat2
	require.NoError(t, store.PutDataKey(ctx, w1))

	_, err = v.Decrypt(ctx, aad, pat2, ct)
	require.ErrorIs(t, err, ErrDecrypt)
}

func TestConcurrentFirstUseSharesOneKey(t *testing.T) {
	v, store, _ := newTestVault(t)
	ctx := context.Background()
	const writers = 16
	cts := make([][]byte, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			ct, err := v.Encrypt(ctx, noteAAD(orgA, "row"), pat1, []byte("hello"))
			assert.NoError(t, err)
			cts[i] = ct
		})
	}
	wg.Wait()
	for _, ct := range cts {
		assert.Equal(t, "hello", mustDecrypt(t, v, noteAAD(orgA, "row"), pat1, ct))
	}
	keys, err := store.ListOrgKeys(ctx, orgA)
	require.NoError(t, err)
	assert.Len(t, keys, 1, "concurrent first use must not create two org keys")
}

func TestNoSecretsInFormattingOrErrors(t *testing.T) {
	k := GenerateMasterKey()
	secretHex := strings.ToLower(strings.TrimSpace(hexString(k.secret)))
	secretB64 := EncodeMasterKey(k)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		out := sprintf(verb, k)
		assert.NotContains(t, strings.ToLower(out), secretHex, verb)
		assert.NotContains(t, out, secretB64, verb)
		out = sprintf(verb, struct{ K Key }{k})
		assert.NotContains(t, strings.ToLower(out), secretHex[:16], verb+" in struct")
	}

	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("loaded", "master", k)
	assert.Contains(t, logged.String(), k.ID())
	assert.NotContains(t, logged.String(), secretB64)
	assert.NotContains(t, strings.ToLower(logged.String()), secretHex)

	bad := "c2VjcmV0LWJ1dC10b28tc2hvcnQ="
	_, err := ParseMasterKey(bad)
	require.ErrorIs(t, err, ErrInvalidKey)
	assert.NotContains(t, err.Error(), bad)
}

// racingStore lets another writer create the subject's data key between the
// vault's lookup and its insert.
type racingStore struct {
	*MemoryKeyStore
	before func()
}

func (s *racingStore) PutDataKey(ctx context.Context, k WrappedKey) error {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.MemoryKeyStore.PutDataKey(ctx, k)
}

func TestLosingTheFirstKeyRaceUsesTheWinnersKey(t *testing.T) {
	store := &racingStore{MemoryKeyStore: NewMemoryKeyStore()}
	master := GenerateMasterKey()
	v1, err := New(store, master)
	require.NoError(t, err)
	v2, err := New(store.MemoryKeyStore, master)
	require.NoError(t, err)
	aad := noteAAD(orgA, "r1")

	var winner []byte
	store.before = func() { winner = mustEncrypt(t, v2, aad, pat1, "winner") }
	loser := mustEncrypt(t, v1, aad, pat1, "loser")

	assert.Equal(t, "winner", mustDecrypt(t, v1, aad, pat1, winner))
	assert.Equal(t, "loser", mustDecrypt(t, v2, aad, pat1, loser))
	wk, _, _ := parseDataHeader(winner)
	lk, _, _ := parseDataHeader(loser)
	assert.Equal(t, wk, lk, "both writers sealed under the one stored key")
}

func TestShredValidatesInput(t *testing.T) {
	v, _, _ := newTestVault(t)
	require.ErrorIs(t, v.Shred(context.Background(), "", pat1), ErrInvalidAAD)
	require.ErrorIs(t, v.Shred(context.Background(), orgA, ""), ErrInvalidAAD)
	require.NoError(t, v.Shred(context.Background(), orgA, pat1), "never-seen subject: nothing to destroy")
}
