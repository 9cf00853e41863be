package vault

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Vault encrypts and decrypts column values with per-subject data keys,
// creating keys on first use, and rotates and destroys them. It is safe for
// concurrent use. It holds no unwrapped org or data keys between calls: a
// Shred in one process takes effect in every other at its next call.
type Vault struct {
	store KeyStore
	now   func() time.Time

	mu            sync.RWMutex
	masters       map[string]Key // by id; includes the current one
	currentMaster string
}

// New returns a vault over store. master wraps new org keys; previous master
// keys are kept only to unwrap org keys not yet re-wrapped by RotateMaster.
// The vault keeps its own copies of the keys.
func New(store KeyStore, master Key, previous ...Key) (*Vault, error) {
	if store == nil {
		return nil, errors.New("vault: nil KeyStore")
	}
	if master.IsZero() {
		return nil, ErrNoMasterKey
	}
	v := &Vault{store: store, now: time.Now, masters: make(map[string]Key)}
	for _, k := range append([]Key{master}, previous...) {
		if len(k.secret) != KeySize {
			return nil, fmt.Errorf("%w: master key %s", ErrInvalidKey, k.id)
		}
		if _, dup := v.masters[k.id]; !dup {
			v.masters[k.id] = k.clone()
		}
	}
	v.currentMaster = master.id
	return v, nil
}

// MasterKeyID returns the id of the master key that wraps new org keys.
func (v *Vault) MasterKeyID() string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.currentMaster
}

// Destroy zeroes the vault's copies of the master keys. The vault is
// unusable afterwards.
func (v *Vault) Destroy() {
	v.mu.Lock()
	defer v.mu.Unlock()
	for id, k := range v.masters {
		k.Destroy()
		delete(v.masters, id)
	}
}

func (v *Vault) master(id string) (Key, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if id == "" {
		id = v.currentMaster
	}
	k, ok := v.masters[id]
	if !ok || k.IsZero() {
		return Key{}, fmt.Errorf("%w: master key %s is not configured", ErrUnknownKey, id)
	}
	return k, nil
}

// Encrypt seals plaintext for one column of one row, under the data key of
// subjectID in aad.OrgID (created, with the org key, on first use).
//
// subjectID is the unit of erasure: use the patient id, or the patient id
// scoped to a data class ("<uuid>/health") when classes must be erasable
// separately because retention laws keep some of them.
func (v *Vault) Encrypt(ctx context.Context, aad AAD, subjectID string, plaintext []byte) ([]byte, error) {
	if err := checkSubject(aad, subjectID); err != nil {
		return nil, fmt.Errorf("vault: encrypt: %w", err)
	}
	dk, err := v.dataKeyForWrite(ctx, aad.OrgID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("vault: encrypt: %w", err)
	}
	defer dk.Destroy()
	header := dataHeader(dk.id)
	ct, err := seal(dk.secret, header, plaintext, dataAD(header, aad, subjectID))
	if err != nil {
		return nil, fmt.Errorf("vault: encrypt: %w", err)
	}
	return ct, nil
}

// Decrypt opens a ciphertext made by Encrypt with the same aad and subjectID.
// It returns an error wrapping ErrKeyDestroyed if the subject was shredded,
// ErrDecrypt if the ciphertext was altered or belongs elsewhere, and
// ErrMalformed if it is not a vault ciphertext.
func (v *Vault) Decrypt(ctx context.Context, aad AAD, subjectID string, ciphertext []byte) ([]byte, error) {
	if err := checkSubject(aad, subjectID); err != nil {
		return nil, fmt.Errorf("vault: decrypt: %w", err)
	}
	keyID, headerLen, err := parseDataHeader(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("vault: decrypt: %w", err)
	}
	w, err := v.store.GetDataKey(ctx, aad.OrgID, subjectID)
	if errors.Is(err, ErrKeyNotFound) {
		return nil, fmt.Errorf("vault: decrypt: data key %s of subject %s: %w", keyID, subjectID, ErrKeyDestroyed)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: decrypt: %w", err)
	}
	// A subject shredded and later given a new data key (a new record) has a
	// key with another id: the ciphertext's own key is still gone.
	if h, _, err := parseWrapHeader(w.Wrapped); err == nil && h.keyID != keyID {
		return nil, fmt.Errorf("vault: decrypt: data key %s of subject %s: %w", keyID, subjectID, ErrKeyDestroyed)
	}
	dk, err := v.openDataKey(ctx, w, aad.OrgID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("vault: decrypt: %w", err)
	}
	defer dk.Destroy()
	pt, err := open(dk.secret, ciphertext, headerLen, dataAD(ciphertext[:headerLen], aad, subjectID))
	if err != nil {
		return nil, fmt.Errorf("vault: decrypt %s.%s: %w", aad.Table, aad.Column, err)
	}
	return pt, nil
}

// Shred destroys the data key of subjectID in orgID, so every ciphertext
// sealed under it becomes permanently unreadable, in backups too once the
// key rows age out of them. It is idempotent, so an activity retry after a
// lost reply succeeds. A later Encrypt for the same subject creates a new
// key; the shredded ciphertexts stay unreadable.
func (v *Vault) Shred(ctx context.Context, orgID, subjectID string) error {
	if orgID == "" || subjectID == "" {
		return fmt.Errorf("vault: shred: %w: org and subject are required", ErrInvalidAAD)
	}
	err := v.store.DeleteDataKey(ctx, orgID, subjectID)
	if err != nil && !errors.Is(err, ErrKeyNotFound) {
		return fmt.Errorf("vault: shred: %w", err)
	}
	return nil
}

func checkSubject(aad AAD, subjectID string) error {
	if err := aad.validate(); err != nil {
		return err
	}
	if subjectID == "" {
		return fmt.Errorf("%w: subject id is required", ErrInvalidAAD)
	}
	return nil
}

// dataKeyForWrite returns the subject's data key, creating it if needed. The
// caller must Destroy it.
func (v *Vault) dataKeyForWrite(ctx context.Context, orgID, subjectID string) (Key, error) {
	w, err := v.store.GetDataKey(ctx, orgID, subjectID)
	if err == nil {
		return v.openDataKey(ctx, w, orgID, subjectID)
	}
	if !errors.Is(err, ErrKeyNotFound) {
		return Key{}, err
	}
	ok, err := v.currentOrgKey(ctx, orgID)
	if err != nil {
		return Key{}, err
	}
	defer ok.destroy()
	dk := Key{id: uuid.NewString(), secret: randomBytes(KeySize)}
	blob, err := wrapKey(ok.kek, kindDataKey, dk.id, orgID, subjectID, dk.secret)
	if err != nil {
		dk.Destroy()
		return Key{}, err
	}
	err = v.store.PutDataKey(ctx, WrappedKey{
		OrgID: orgID, SubjectID: subjectID, KeyID: dk.id,
		WrappingKeyID: ok.kek.id, Wrapped: blob, CreatedAt: v.now(),
	})
	if err == nil {
		return dk, nil
	}
	dk.Destroy()
	if !errors.Is(err, ErrKeyExists) {
		return Key{}, err
	}
	// Another writer created the subject's key first; use theirs so both
	// writers' ciphertexts stay readable.
	w, err = v.store.GetDataKey(ctx, orgID, subjectID)
	if err != nil {
		return Key{}, err
	}
	return v.openDataKey(ctx, w, orgID, subjectID)
}

// openDataKey unwraps a data key with the org key version its blob names.
func (v *Vault) openDataKey(ctx context.Context, w WrappedKey, orgID, subjectID string) (Key, error) {
	h, _, err := parseWrapHeader(w.Wrapped)
	if err != nil {
		return Key{}, err
	}
	ok, err := v.orgKey(ctx, orgID, h.wrappingKeyID)
	if err != nil {
		return Key{}, err
	}
	defer ok.destroy()
	h, material, err := unwrapKey(ok.kek, w.Wrapped, kindDataKey, orgID, subjectID)
	if err != nil {
		return Key{}, err
	}
	return Key{id: h.keyID, secret: material}, nil
}

// orgKey is an unwrapped org key version. Its material is two halves: the
// key-encryption key, which changes on every RotateOrg, and the blind index
// root, which RotateOrg carries over, because changing it would break
// every stored blind index until all identifiers were re-indexed.
type orgKey struct {
	version   int
	kek       Key // id is the org key id, e.g. "v3"
	indexRoot []byte
}

const orgKeyMaterialSize = 2 * KeySize

func (k *orgKey) destroy() {
	k.kek.Destroy()
	clear(k.indexRoot)
}

func orgKeyID(version int) string { return "v" + strconv.Itoa(version) }

func parseOrgKeyVersion(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, "v")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

func (v *Vault) orgKey(ctx context.Context, orgID, keyID string) (orgKey, error) {
	w, err := v.store.GetOrgKey(ctx, orgID, keyID)
	if err != nil {
		return orgKey{}, err
	}
	return v.openOrgKey(orgID, w)
}

func (v *Vault) openOrgKey(orgID string, w WrappedKey) (orgKey, error) {
	h, _, err := parseWrapHeader(w.Wrapped)
	if err != nil {
		return orgKey{}, err
	}
	mk, err := v.master(h.wrappingKeyID)
	if err != nil {
		return orgKey{}, fmt.Errorf("org key %s of org %s: %w", h.keyID, orgID, err)
	}
	h, material, err := unwrapKey(mk, w.Wrapped, kindOrgKey, orgID, "")
	if err != nil {
		return orgKey{}, err
	}
	version, ok := parseOrgKeyVersion(h.keyID)
	if !ok || len(material) != orgKeyMaterialSize {
		clear(material)
		return orgKey{}, fmt.Errorf("%w: org key %s of org %s", ErrMalformed, h.keyID, orgID)
	}
	return orgKey{
		version:   version,
		kek:       Key{id: h.keyID, secret: material[:KeySize:KeySize]},
		indexRoot: material[KeySize:],
	}, nil
}

// currentOrgKey returns the newest org key version, provisioning version 1
// on an org's first use. Versions are numbered so that concurrent creators
// collide on the (org_id, key_id) primary key instead of each making a
// "first" key with its own blind index root.
func (v *Vault) currentOrgKey(ctx context.Context, orgID string) (orgKey, error) {
	for range 3 {
		keys, err := v.store.ListOrgKeys(ctx, orgID)
		if err != nil {
			return orgKey{}, err
		}
		if newest, ok := newestOrgKey(keys); ok {
			return v.openOrgKey(orgID, newest)
		}
		if len(keys) > 0 {
			return orgKey{}, fmt.Errorf("%w: org %s has no readable org key version", ErrMalformed, orgID)
		}
		material := randomBytes(orgKeyMaterialSize)
		k, err := v.putOrgKey(ctx, orgID, 1, material)
		if err == nil {
			return k, nil
		}
		clear(material)
		if !errors.Is(err, ErrKeyExists) {
			return orgKey{}, err
		}
	}
	return orgKey{}, fmt.Errorf("vault: org %s: org key keeps changing under concurrent writers", orgID)
}

// newestOrgKey picks the highest version by the authenticated blob header,
// not by created_at, which clocks of different hosts may disorder.
func newestOrgKey(keys []WrappedKey) (WrappedKey, bool) {
	best, bestVersion := WrappedKey{}, 0
	for _, k := range keys {
		h, _, err := parseWrapHeader(k.Wrapped)
		if err != nil {
			continue
		}
		if n, ok := parseOrgKeyVersion(h.keyID); ok && n > bestVersion {
			best, bestVersion = k, n
		}
	}
	return best, bestVersion > 0
}

// putOrgKey wraps material as the given version under the current master
// and inserts it. On success the returned orgKey owns material.
func (v *Vault) putOrgKey(ctx context.Context, orgID string, version int, material []byte) (orgKey, error) {
	mk, err := v.master("")
	if err != nil {
		return orgKey{}, err
	}
	id := orgKeyID(version)
	blob, err := wrapKey(mk, kindOrgKey, id, orgID, "", material)
	if err != nil {
		return orgKey{}, err
	}
	err = v.store.PutOrgKey(ctx, WrappedKey{
		OrgID: orgID, KeyID: id, WrappingKeyID: mk.id, Wrapped: blob, CreatedAt: v.now(),
	})
	if err != nil {
		return orgKey{}, err
	}
	return orgKey{
		version:   version,
		kek:       Key{id: id, secret: material[:KeySize:KeySize]},
		indexRoot: material[KeySize:],
	}, nil
}
