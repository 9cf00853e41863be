package vault

import (
	"context"
	"errors"
	"fmt"
)

// rotationPageSize bounds how many data keys a rotation holds at once; a
// variable so tests can cross page boundaries with a handful of keys.
var rotationPageSize = 500

// RotateMaster makes newMaster the key that wraps org keys and re-wraps
// every org key still wrapped by an older master. No data key and no
// ciphertext changes. It returns how many org keys it re-wrapped.
//
// The previous master stays in this vault's ring, so an interrupted rotation
// leaves everything readable and running it again finishes the job. Every
// process must be configured with the new master (and the old one in
// FRONTDESK_MASTER_KEY_PREVIOUS) before rotating; drop the old one only
// after a rotation that re-wrapped everything has finished.
func (v *Vault) RotateMaster(ctx context.Context, newMaster Key) (int, error) {
	if len(newMaster.secret) != KeySize {
		return 0, fmt.Errorf("vault: rotate master: %w", ErrInvalidKey)
	}
	v.mu.Lock()
	if _, ok := v.masters[newMaster.id]; !ok {
		v.masters[newMaster.id] = newMaster.clone()
	}
	v.currentMaster = newMaster.id
	v.mu.Unlock()

	mk, err := v.master(newMaster.id)
	if err != nil {
		return 0, fmt.Errorf("vault: rotate master: %w", err)
	}
	keys, err := v.store.ListAllOrgKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("vault: rotate master: %w", err)
	}
	rewrapped := 0
	for _, w := range keys {
		h, _, err := parseWrapHeader(w.Wrapped)
		if err != nil {
			return rewrapped, fmt.Errorf("vault: rotate master: org %s: %w", w.OrgID, err)
		}
		if h.wrappingKeyID == mk.id {
			continue
		}
		ok, err := v.openOrgKey(w.OrgID, w)
		if err != nil {
			return rewrapped, fmt.Errorf("vault: rotate master: %w", err)
		}
		material := append(append([]byte(nil), ok.kek.secret...), ok.indexRoot...)
		ok.destroy()
		blob, err := wrapKey(mk, kindOrgKey, h.keyID, w.OrgID, "", material)
		clear(material)
		if err != nil {
			return rewrapped, fmt.Errorf("vault: rotate master: %w", err)
		}
		next := w
		next.Wrapped, next.WrappingKeyID = blob, mk.id
		switch err := v.store.RewrapOrgKey(ctx, w, next); {
		case errors.Is(err, ErrKeyNotFound):
			// Another rotation got there first.
		case err != nil:
			return rewrapped, fmt.Errorf("vault: rotate master: %w", err)
		default:
			rewrapped++
		}
	}
	return rewrapped, nil
}

// RotateOrg creates a new version of orgID's key-encryption key and re-wraps
// every data key of the org under it. Ciphertexts are not touched: they name
// their data key, which keeps its id and material. It returns how many data
// keys it re-wrapped.
//
// The blind index root is carried into the new version, so blind indexes
// stay valid. Old org key versions are kept: a writer that read the old
// version just before the rotation may still wrap a new data key with it,
// and running RotateOrg again sweeps such stragglers.
func (v *Vault) RotateOrg(ctx context.Context, orgID string) (int, error) {
	if orgID == "" {
		return 0, fmt.Errorf("vault: rotate org: %w: org id is required", ErrInvalidAAD)
	}
	cur, err := v.currentOrgKey(ctx, orgID)
	if err != nil {
		return 0, fmt.Errorf("vault: rotate org %s: %w", orgID, err)
	}
	material := append(randomBytes(KeySize), cur.indexRoot...)
	next, err := v.putOrgKey(ctx, orgID, cur.version+1, material)
	cur.destroy()
	if errors.Is(err, ErrKeyExists) {
		// A concurrent rotation created this version; re-wrap under
		// whatever is newest now.
		clear(material)
		next, err = v.currentOrgKey(ctx, orgID)
	}
	if err != nil {
		clear(material)
		return 0, fmt.Errorf("vault: rotate org %s: %w", orgID, err)
	}
	defer next.destroy()

	// Old org key versions, unwrapped once per rotation rather than once
	// per data key.
	old := make(map[string]orgKey)
	defer func() {
		for _, k := range old {
			k.destroy()
		}
	}()
	rewrapped, after := 0, ""
	for {
		page, err := v.store.ListDataKeys(ctx, orgID, after, rotationPageSize)
		if err != nil {
			return rewrapped, fmt.Errorf("vault: rotate org %s: %w", orgID, err)
		}
		for _, w := range page {
			done, err := v.rewrapDataKey(ctx, orgID, w, next, old)
			if err != nil {
				return rewrapped, fmt.Errorf("vault: rotate org %s: %w", orgID, err)
			}
			if done {
				rewrapped++
			}
		}
		if len(page) < rotationPageSize {
			return rewrapped, nil
		}
		after = page[len(page)-1].SubjectID
	}
}

func (v *Vault) rewrapDataKey(ctx context.Context, orgID string, w WrappedKey, next orgKey, old map[string]orgKey) (bool, error) {
	h, _, err := parseWrapHeader(w.Wrapped)
	if err != nil {
		return false, fmt.Errorf("subject %s: %w", w.SubjectID, err)
	}
	if h.wrappingKeyID == next.kek.id {
		return false, nil
	}
	ok, have := old[h.wrappingKeyID]
	if !have {
		ok, err = v.orgKey(ctx, orgID, h.wrappingKeyID)
		if err != nil {
			return false, fmt.Errorf("subject %s: %w", w.SubjectID, err)
		}
		old[h.wrappingKeyID] = ok
	}
	_, material, err := unwrapKey(ok.kek, w.Wrapped, kindDataKey, orgID, w.SubjectID)
	if err != nil {
		return false, fmt.Errorf("subject %s: %w", w.SubjectID, err)
	}
	blob, err := wrapKey(next.kek, kindDataKey, h.keyID, orgID, w.SubjectID, material)
	clear(material)
	if err != nil {
		return false, err
	}
	n := w
	n.Wrapped, n.WrappingKeyID = blob, next.kek.id
	err = v.store.RewrapDataKey(ctx, w, n)
	if errors.Is(err, ErrKeyNotFound) {
		// Shredded (or re-created) since we listed it: writing it back
		// would resurrect a destroyed key.
		return false, nil
	}
	return err == nil, err
}
