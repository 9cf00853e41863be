package vault

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
)

// AuditKeyLabel names the audit log's MAC key derived from the master key;
// a sealed row records the key id AuditKeyLabel@<master key id>.
const AuditKeyLabel = "audit"

const auditKeyInfo = "frontdesk/vault/audit-chain-mac/v1\x00"

// AuditSealer MACs audit chain links with a key derived from the master key,
// so the key is held by the services and never by the database: a database
// administrator can rewrite rows and recompute their SHA-256 chain, but not
// their MACs. Previous masters' keys still verify rows sealed before a
// master rotation.
type AuditSealer struct {
	current string
	keys    map[string][]byte
}

// NewAuditSealer derives the audit keys of master and of previous masters.
func NewAuditSealer(master Key, previous ...Key) (*AuditSealer, error) {
	s := &AuditSealer{keys: make(map[string][]byte)}
	for i, m := range append([]Key{master}, previous...) {
		if len(m.secret) != KeySize {
			return nil, fmt.Errorf("vault: audit key: %w", ErrNoMasterKey)
		}
		id := AuditKeyLabel + "@" + m.id
		secret, err := hkdf.Key(sha256.New, m.secret, nil, auditKeyInfo, KeySize)
		if err != nil {
			return nil, fmt.Errorf("vault: audit key: %w", err)
		}
		if i == 0 {
			s.current = id
		}
		s.keys[id] = secret
	}
	return s, nil
}

// Seal returns the MAC of an audit row's chain hash under the current key,
// and that key's id.
func (s *AuditSealer) Seal(hash []byte) (mac []byte, keyID string) {
	return auditMAC(s.keys[s.current], hash), s.current
}

// ErrAuditMAC means a row's MAC does not match its hash under the key it
// names, or names a key this sealer does not hold.
var ErrAuditMAC = errors.New("vault: audit MAC does not verify")

// Verify checks a MAC made by Seal (with this or a previous master).
func (s *AuditSealer) Verify(hash, mac []byte, keyID string) error {
	k, ok := s.keys[keyID]
	if !ok {
		return fmt.Errorf("%w: key %q is not held (FRONTDESK_MASTER_KEY_PREVIOUS?)", ErrAuditMAC, keyID)
	}
	if !hmac.Equal(auditMAC(k, hash), mac) {
		return ErrAuditMAC
	}
	return nil
}

func auditMAC(key, hash []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(hash)
	return m.Sum(nil)
}
