package vault

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// BlindIndex returns a deterministic keyed hash of an identifier, for
// equality lookups on a column whose values are encrypted (national ids,
// insurance numbers): store BlindIndex beside the ciphertext, and look rows
// up by the BlindIndex of the searched value.
//
// The value must already be normalised (E.164 phone, upper-case id without
// spaces, ...): the index matches bytes, not meanings. The key is derived
// with HKDF from the org's blind index root and the column name, so the same
// value gives unrelated indexes in different orgs and different columns, and
// nobody without the master key can test guesses against the index. It is
// 64 lowercase hex digits (HMAC-SHA-256).
//
// It takes a context and returns an error, unlike a pure helper, because the
// org key lives in the KeyStore (and is created on an org's first use).
func (v *Vault) BlindIndex(ctx context.Context, orgID, column, normalisedValue string) (string, error) {
	if orgID == "" || column == "" {
		return "", fmt.Errorf("vault: blind index: %w: org and column are required", ErrInvalidAAD)
	}
	ok, err := v.currentOrgKey(ctx, orgID)
	if err != nil {
		return "", fmt.Errorf("vault: blind index: %w", err)
	}
	defer ok.destroy()
	return blindIndex(ok.indexRoot, column, normalisedValue)
}

const blindIndexInfo = "frontdesk/vault/blind-index/v1\x00"

func blindIndex(root []byte, column, value string) (string, error) {
	key, err := hkdf.Key(sha256.New, root, nil, blindIndexInfo+column, KeySize)
	if err != nil {
		return "", fmt.Errorf("vault: blind index: %w", err)
	}
	defer clear(key)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)), nil
}
