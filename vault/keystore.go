package vault

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// WrappedKey is one row of app.org_keys or app.data_keys (see SCHEMA.md).
//
// Wrapped is self-describing (see wrap.go): the vault reads the key id and
// the wrapping key id from it and authenticates them, so the other fields are
// what a store needs to index and query rows, not what the vault trusts.
type WrappedKey struct {
	OrgID string
	// SubjectID is the data subject (a patient id, or a patient id scoped to
	// a data class such as "<uuid>/health"); empty for org keys.
	SubjectID string
	// KeyID is org_keys.key_id for an org key. Data keys have no id column
	// (there is one per org and subject); a store may leave it empty on read.
	KeyID string
	// WrappingKeyID is org_keys.master_key_id or data_keys.org_key_id.
	WrappingKeyID string
	// Wrapped is the sealed key in the wrapped key format.
	Wrapped   []byte
	CreatedAt time.Time
}

// KeyStore persists wrapped keys. It never sees key material in the clear.
//
// Inserts never overwrite and rewraps are compare-and-swap on the previous
// blob. That is what keeps crypto-shredding final: a rotation that races with
// a Shred must not write the destroyed key back, and two processes creating
// the same subject's first data key must end up sharing one.
//
// The Postgres implementation maps each method onto one statement over
// app.org_keys and app.data_keys; SCHEMA.md has the tables and statements.
type KeyStore interface {
	// GetOrgKey returns one version of an org's key, or ErrKeyNotFound.
	GetOrgKey(ctx context.Context, orgID, keyID string) (WrappedKey, error)
	// ListOrgKeys returns every version of one org's key, in any order.
	ListOrgKeys(ctx context.Context, orgID string) ([]WrappedKey, error)
	// ListAllOrgKeys returns every org key of every org, for master rotation.
	ListAllOrgKeys(ctx context.Context) ([]WrappedKey, error)
	// PutOrgKey inserts a new org key version, or returns ErrKeyExists if
	// (OrgID, KeyID) is taken.
	PutOrgKey(ctx context.Context, k WrappedKey) error
	// RewrapOrgKey replaces the Wrapped and WrappingKeyID of the row
	// (OrgID, KeyID) if its Wrapped still equals prev.Wrapped; otherwise it
	// returns ErrKeyNotFound.
	RewrapOrgKey(ctx context.Context, prev, next WrappedKey) error

	// GetDataKey returns a subject's data key, or ErrKeyNotFound.
	GetDataKey(ctx context.Context, orgID, subjectID string) (WrappedKey, error)
	// ListDataKeys returns up to limit data keys of an org with SubjectID
	// greater than afterSubjectID, ordered by SubjectID in byte order
	// (keyset paging); limit <= 0 means no limit.
	ListDataKeys(ctx context.Context, orgID, afterSubjectID string, limit int) ([]WrappedKey, error)
	// PutDataKey inserts a subject's data key, or returns ErrKeyExists.
	PutDataKey(ctx context.Context, k WrappedKey) error
	// RewrapDataKey replaces the Wrapped and WrappingKeyID of the row
	// (OrgID, SubjectID) if its Wrapped still equals prev.Wrapped; otherwise
	// (shredded or changed meanwhile) it returns ErrKeyNotFound.
	RewrapDataKey(ctx context.Context, prev, next WrappedKey) error
	// DeleteDataKey removes a subject's data key for good, or returns
	// ErrKeyNotFound. Implementations must not keep copies (no soft delete).
	DeleteDataKey(ctx context.Context, orgID, subjectID string) error
}

// MemoryKeyStore is a KeyStore in memory, for tests and the embedded dev
// mode. It copies blobs in and out so callers cannot alias its state.
type MemoryKeyStore struct {
	mu       sync.Mutex
	orgKeys  map[[2]string]WrappedKey // {orgID, keyID}
	dataKeys map[[2]string]WrappedKey // {orgID, subjectID}
}

var _ KeyStore = (*MemoryKeyStore)(nil)

// NewMemoryKeyStore returns an empty in-memory key store.
func NewMemoryKeyStore() *MemoryKeyStore {
	return &MemoryKeyStore{
		orgKeys:  make(map[[2]string]WrappedKey),
		dataKeys: make(map[[2]string]WrappedKey),
	}
}

func copyKey(k WrappedKey) WrappedKey {
	k.Wrapped = bytes.Clone(k.Wrapped)
	return k
}

func byCreated(a, b WrappedKey) int {
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.OrgID, b.OrgID), cmp.Compare(a.KeyID, b.KeyID))
}

// GetOrgKey implements KeyStore.
func (s *MemoryKeyStore) GetOrgKey(ctx context.Context, orgID, keyID string) (WrappedKey, error) {
	if err := ctx.Err(); err != nil {
		return WrappedKey{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.orgKeys[[2]string{orgID, keyID}]
	if !ok {
		return WrappedKey{}, fmt.Errorf("org key %s of org %s: %w", keyID, orgID, ErrKeyNotFound)
	}
	return copyKey(k), nil
}

// ListOrgKeys implements KeyStore.
func (s *MemoryKeyStore) ListOrgKeys(ctx context.Context, orgID string) ([]WrappedKey, error) {
	return s.listOrgKeys(ctx, func(k WrappedKey) bool { return k.OrgID == orgID })
}

// ListAllOrgKeys implements KeyStore.
func (s *MemoryKeyStore) ListAllOrgKeys(ctx context.Context) ([]WrappedKey, error) {
	return s.listOrgKeys(ctx, func(WrappedKey) bool { return true })
}

func (s *MemoryKeyStore) listOrgKeys(ctx context.Context, keep func(WrappedKey) bool) ([]WrappedKey, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []WrappedKey
	for _, k := range s.orgKeys {
		if keep(k) {
			out = append(out, copyKey(k))
		}
	}
	slices.SortFunc(out, byCreated)
	return out, nil
}

// PutOrgKey implements KeyStore.
func (s *MemoryKeyStore) PutOrgKey(ctx context.Context, k WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if k.OrgID == "" || k.KeyID == "" || len(k.Wrapped) == 0 {
		return fmt.Errorf("vault: memory store: org key needs OrgID, KeyID and Wrapped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{k.OrgID, k.KeyID}
	if _, ok := s.orgKeys[id]; ok {
		return fmt.Errorf("org key %s of org %s: %w", k.KeyID, k.OrgID, ErrKeyExists)
	}
	s.orgKeys[id] = copyKey(k)
	return nil
}

// RewrapOrgKey implements KeyStore.
func (s *MemoryKeyStore) RewrapOrgKey(ctx context.Context, prev, next WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{prev.OrgID, prev.KeyID}
	cur, ok := s.orgKeys[id]
	if !ok || !bytes.Equal(cur.Wrapped, prev.Wrapped) {
		return fmt.Errorf("org key %s of org %s changed: %w", prev.KeyID, prev.OrgID, ErrKeyNotFound)
	}
	cur.Wrapped = bytes.Clone(next.Wrapped)
	cur.WrappingKeyID = next.WrappingKeyID
	s.orgKeys[id] = cur
	return nil
}

// GetDataKey implements KeyStore.
func (s *MemoryKeyStore) GetDataKey(ctx context.Context, orgID, subjectID string) (WrappedKey, error) {
	if err := ctx.Err(); err != nil {
		return WrappedKey{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.dataKeys[[2]string{orgID, subjectID}]
	if !ok {
		return WrappedKey{}, fmt.Errorf("data key of subject %s in org %s: %w", subjectID, orgID, ErrKeyNotFound)
	}
	return copyKey(k), nil
}

// ListDataKeys implements KeyStore.
func (s *MemoryKeyStore) ListDataKeys(ctx context.Context, orgID, afterSubjectID string, limit int) ([]WrappedKey, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []WrappedKey
	for _, k := range s.dataKeys {
		if k.OrgID == orgID && k.SubjectID > afterSubjectID {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b WrappedKey) int { return cmp.Compare(a.SubjectID, b.SubjectID) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i] = copyKey(out[i])
	}
	return out, nil
}

// PutDataKey implements KeyStore.
func (s *MemoryKeyStore) PutDataKey(ctx context.Context, k WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if k.OrgID == "" || k.SubjectID == "" || len(k.Wrapped) == 0 {
		return fmt.Errorf("vault: memory store: data key needs OrgID, SubjectID and Wrapped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{k.OrgID, k.SubjectID}
	if _, ok := s.dataKeys[id]; ok {
		return fmt.Errorf("data key of subject %s in org %s: %w", k.SubjectID, k.OrgID, ErrKeyExists)
	}
	s.dataKeys[id] = copyKey(k)
	return nil
}

// RewrapDataKey implements KeyStore.
func (s *MemoryKeyStore) RewrapDataKey(ctx context.Context, prev, next WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{prev.OrgID, prev.SubjectID}
	cur, ok := s.dataKeys[id]
	if !ok || !bytes.Equal(cur.Wrapped, prev.Wrapped) {
		return fmt.Errorf("data key of subject %s in org %s changed: %w", prev.SubjectID, prev.OrgID, ErrKeyNotFound)
	}
	cur.Wrapped = bytes.Clone(next.Wrapped)
	cur.WrappingKeyID = next.WrappingKeyID
	s.dataKeys[id] = cur
	return nil
}

// DeleteDataKey implements KeyStore. The blob is zeroed before it is dropped
// so it does not linger in memory the map no longer references.
func (s *MemoryKeyStore) DeleteDataKey(ctx context.Context, orgID, subjectID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{orgID, subjectID}
	k, ok := s.dataKeys[id]
	if !ok {
		return fmt.Errorf("data key of subject %s in org %s: %w", subjectID, orgID, ErrKeyNotFound)
	}
	clear(k.Wrapped)
	delete(s.dataKeys, id)
	return nil
}
