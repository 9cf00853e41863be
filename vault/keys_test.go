package vault

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMasterKey(t *testing.T) {
	secret := make([]byte, KeySize)
	for i := range secret {
		secret[i] = byte(i * 7)
	}
	want := masterKeyID(secret)
	ok := []struct{ name, in string }{
		{"hex", hex.EncodeToString(secret)},
		{"HEX", strings.ToUpper(hex.EncodeToString(secret))},
		{"base64", base64.StdEncoding.EncodeToString(secret)},
		{"base64 raw", base64.RawStdEncoding.EncodeToString(secret)},
		{"base64 url", base64.URLEncoding.EncodeToString(secret)},
		{"surrounding whitespace", "  " + base64.StdEncoding.EncodeToString(secret) + "\n"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseMasterKey(tc.in)
			require.NoError(t, err)
			assert.Equal(t, want, k.ID(), "the id depends on the key, not on its spelling")
			assert.Equal(t, secret, k.secret)
		})
	}
	bad := []struct{ name, in string }{
		{"short base64", base64.StdEncoding.EncodeToString(secret[:16])},
		{"long hex", hex.EncodeToString(append(secret, 1))},
		{"garbage", "not a key at all!"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMasterKey(tc.in)
			require.ErrorIs(t, err, ErrInvalidKey)
			assert.NotContains(t, err.Error(), tc.in)
		})
	}
	_, err := ParseMasterKey("  ")
	require.ErrorIs(t, err, ErrNoMasterKey)

	assert.True(t, strings.HasPrefix(want, "mk-"))
	assert.NotEqual(t, want, GenerateMasterKey().ID())
}

func TestMasterKeysFromEnv(t *testing.T) {
	k1, k2, k3 := GenerateMasterKey(), GenerateMasterKey(), GenerateMasterKey()
	dir := t.TempDir()
	rawFile := filepath.Join(dir, "raw.key")
	require.NoError(t, os.WriteFile(rawFile, k2.secret, 0o600))
	textFile := filepath.Join(dir, "text.key")
	require.NoError(t, os.WriteFile(textFile, []byte(hex.EncodeToString(k3.secret)+"\n"), 0o600))

	cases := []struct {
		name         string
		env          map[string]string
		wantCurrent  Key
		wantPrevious []Key
		wantErr      error
	}{
		{"value", map[string]string{EnvMasterKey: EncodeMasterKey(k1)}, k1, nil, nil},
		{"file: prefix, raw bytes", map[string]string{EnvMasterKey: "file:" + rawFile}, k2, nil, nil},
		{"_FILE variable, hex text", map[string]string{EnvMasterKeyFile: textFile}, k3, nil, nil},
		{"value wins over file", map[string]string{EnvMasterKey: EncodeMasterKey(k1), EnvMasterKeyFile: textFile}, k1, nil, nil},
		{"previous keys", map[string]string{
			EnvMasterKey:         EncodeMasterKey(k1),
			EnvMasterKeyPrevious: EncodeMasterKey(k2) + ", file:" + textFile + "," + EncodeMasterKey(k1),
		}, k1, []Key{k2, k3}, nil},
		{"missing", map[string]string{}, Key{}, nil, ErrNoMasterKey},
		{"bad value", map[string]string{EnvMasterKey: "abc"}, Key{}, nil, ErrInvalidKey},
		{"bad previous", map[string]string{EnvMasterKey: EncodeMasterKey(k1), EnvMasterKeyPrevious: "abc"}, Key{}, nil, ErrInvalidKey},
		{"missing file", map[string]string{EnvMasterKey: "file:" + filepath.Join(dir, "nope")}, Key{}, nil, os.ErrNotExist},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur, prev, err := MasterKeysFromEnv(func(k string) string { return tc.env[k] })
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantCurrent.ID(), cur.ID())
			var ids, wantIDs []string
			for _, k := range prev {
				ids = append(ids, k.ID())
			}
			for _, k := range tc.wantPrevious {
				wantIDs = append(wantIDs, k.ID())
			}
			assert.Equal(t, wantIDs, ids)
		})
	}
}

func TestKeyIDValidation(t *testing.T) {
	for _, id := range []string{"", "has space", "new\nline", strings.Repeat("a", 256)} {
		_, err := GenerateKey(id)
		require.ErrorIs(t, err, ErrInvalidKey, "%q", id)
	}
	k, err := GenerateKey("codec-2026@mk-0123")
	require.NoError(t, err)
	assert.Equal(t, "codec-2026@mk-0123", k.ID())

	_, err = NewKey("k", make([]byte, 16))
	require.ErrorIs(t, err, ErrInvalidKey)
}

func TestVaultKeepsItsOwnKeyCopy(t *testing.T) {
	master := GenerateMasterKey()
	v, err := New(NewMemoryKeyStore(), master)
	require.NoError(t, err)
	master.Destroy()
	assert.True(t, master.IsZero())
	ct := mustEncrypt(t, v, noteAAD(orgA, "r"), pat1, "still works")
	assert.Equal(t, "still works", mustDecrypt(t, v, noteAAD(orgA, "r"), pat1, ct))

	v.Destroy()
	_, err = v.Encrypt(t.Context(), noteAAD(orgB, "r"), pat1, []byte("x"))
	require.ErrorIs(t, err, ErrUnknownKey)
}
