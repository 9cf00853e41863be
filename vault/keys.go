package vault

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// KeySize is the size of every symmetric key in the vault: AES-256.
const KeySize = 32

// Environment variables read by MasterKeysFromEnv.
const (
	// EnvMasterKey holds the current master key as base64 or hex, or
	// "file:<path>" to read it from a file.
	EnvMasterKey = "FRONTDESK_MASTER_KEY"
	// EnvMasterKeyFile names a file holding the current master key; used
	// when EnvMasterKey is empty (the habit of Docker and Kubernetes secrets).
	EnvMasterKeyFile = "FRONTDESK_MASTER_KEY_FILE"
	// EnvMasterKeyPrevious holds retired master keys, comma separated, each
	// in the same forms as EnvMasterKey. They stay needed until RotateMaster
	// has re-wrapped every org key and until no Temporal history still
	// holds payloads sealed with a codec key derived from them.
	EnvMasterKeyPrevious = "FRONTDESK_MASTER_KEY_PREVIOUS"
)

// Key is a 256-bit symmetric key with a stable, non-secret identifier.
//
// The secret cannot be read from outside the package, and Key formats itself
// (fmt, %v, %+v, %#v, slog) as its id only, so logging a Key or a struct that
// holds one does not leak it.
type Key struct {
	id     string
	secret []byte
}

// NewKey builds a key from an id and 32 bytes of secret, which it copies.
func NewKey(id string, secret []byte) (Key, error) {
	if err := validateKeyID(id); err != nil {
		return Key{}, err
	}
	if len(secret) != KeySize {
		return Key{}, fmt.Errorf("%w: key %q has %d bytes, want %d", ErrInvalidKey, id, len(secret), KeySize)
	}
	return Key{id: id, secret: bytes.Clone(secret)}, nil
}

// GenerateKey returns a fresh random key with the given id.
func GenerateKey(id string) (Key, error) {
	if err := validateKeyID(id); err != nil {
		return Key{}, err
	}
	return Key{id: id, secret: randomBytes(KeySize)}, nil
}

// GenerateMasterKey returns a fresh random master key, its id derived from
// the secret as in ParseMasterKey.
func GenerateMasterKey() Key {
	secret := randomBytes(KeySize)
	return Key{id: masterKeyID(secret), secret: secret}
}

// ID returns the key's identifier.
func (k Key) ID() string { return k.id }

// IsZero reports whether k is the zero Key (or has been destroyed).
func (k Key) IsZero() bool { return len(k.secret) == 0 }

// String returns the key's id, never its secret.
func (k Key) String() string { return "vault.Key(" + k.id + ")" }

// Format makes every fmt verb print String, so %x or %+v cannot dump the
// secret through reflection.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue keeps the secret out of structured logs.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Destroy zeroes the secret. Copies of a Key share the secret, so Destroy
// affects them too; the Vault and the codec key ring keep their own clones.
func (k *Key) Destroy() {
	clear(k.secret)
	k.secret = nil
}

func (k Key) clone() Key { return Key{id: k.id, secret: bytes.Clone(k.secret)} }

// EncodeMasterKey renders a master key's secret as standard base64, the form
// FRONTDESK_MASTER_KEY takes. It is for the `frontdesk keys` CLI printing a
// freshly generated key once; nothing else should call it.
func EncodeMasterKey(k Key) string { return base64.StdEncoding.EncodeToString(k.secret) }

// ParseMasterKey decodes a 32-byte master key written as hex (64 digits) or
// base64 (standard or URL alphabet, padded or not). Its id is a fingerprint
// of the secret ("mk-" and 16 hex digits of an HMAC), so the same key gets
// the same id in every process without configuration, and a wrapped org key
// names the master that wrapped it.
func ParseMasterKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Key{}, ErrNoMasterKey
	}
	secret, ok := decodeKeyText(s)
	if !ok {
		// The value itself must not appear in the error: it may be a key
		// with a typo.
		return Key{}, fmt.Errorf("%w: master key is not %d bytes of hex or base64", ErrInvalidKey, KeySize)
	}
	k := Key{id: masterKeyID(secret), secret: secret}
	return k, nil
}

// LoadMasterKeyFile reads a master key from a file holding either 32 raw
// bytes or the hex/base64 text ParseMasterKey accepts.
func LoadMasterKeyFile(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Key{}, fmt.Errorf("vault: read master key file: %w", err)
	}
	defer clear(b)
	if len(b) == KeySize {
		secret := bytes.Clone(b)
		return Key{id: masterKeyID(secret), secret: secret}, nil
	}
	k, err := ParseMasterKey(string(b))
	if err != nil {
		return Key{}, fmt.Errorf("master key file %s: %w", path, err)
	}
	return k, nil
}

// MasterKeysFromEnv loads the current master key and any previous ones from
// the environment (EnvMasterKey or EnvMasterKeyFile, and
// EnvMasterKeyPrevious). getenv is os.Getenv in production.
func MasterKeysFromEnv(getenv func(string) string) (current Key, previous []Key, err error) {
	switch v, file := getenv(EnvMasterKey), getenv(EnvMasterKeyFile); {
	case strings.TrimSpace(v) != "":
		current, err = loadMasterKeyValue(v)
	case strings.TrimSpace(file) != "":
		current, err = LoadMasterKeyFile(strings.TrimSpace(file))
	default:
		err = fmt.Errorf("%w: set %s or %s", ErrNoMasterKey, EnvMasterKey, EnvMasterKeyFile)
	}
	if err != nil {
		return Key{}, nil, fmt.Errorf("%s: %w", EnvMasterKey, err)
	}
	for i, v := range strings.Split(getenv(EnvMasterKeyPrevious), ",") {
		if strings.TrimSpace(v) == "" {
			continue
		}
		k, err := loadMasterKeyValue(v)
		if err != nil {
			return Key{}, nil, fmt.Errorf("%s entry %d: %w", EnvMasterKeyPrevious, i+1, err)
		}
		if k.id != current.id {
			previous = append(previous, k)
		}
	}
	return current, previous, nil
}

func loadMasterKeyValue(v string) (Key, error) {
	v = strings.TrimSpace(v)
	if path, ok := strings.CutPrefix(v, "file:"); ok {
		return LoadMasterKeyFile(path)
	}
	return ParseMasterKey(v)
}

func decodeKeyText(s string) ([]byte, bool) {
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, true
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		b, err := enc.DecodeString(s)
		if err == nil && len(b) == KeySize {
			return b, true
		}
		clear(b)
	}
	return nil, false
}

// masterKeyID fingerprints a master key. An HMAC keyed by the secret (rather
// than a plain hash) reveals nothing usable about it, and 64 bits are plenty
// to tell a handful of master keys apart.
func masterKeyID(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("frontdesk/vault/master-key-id/v1"))
	return "mk-" + hex.EncodeToString(m.Sum(nil)[:8])
}

// validateKeyID keeps ids short and printable: they travel in one-byte
// length prefixes, in Temporal payload metadata and in SQL text columns.
func validateKeyID(id string) error {
	if id == "" || len(id) > 255 {
		return fmt.Errorf("%w: key id must be 1 to 255 bytes", ErrInvalidKey)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-_.:@/", r)
		if !ok {
			return fmt.Errorf("%w: key id %q has characters outside [A-Za-z0-9-_.:@/]", ErrInvalidKey, id)
		}
	}
	return nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error since Go 1.24; it aborts the
	// program if the system source fails, which is the right outcome for a
	// key generator.
	_, _ = rand.Read(b)
	return b
}
