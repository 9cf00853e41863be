package main

import (
	"fmt"
	"os"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// privacy is what the worker and api need for personal data: the vault
// over the Postgres KeyStore, the Temporal payload codec derived from the
// same master key, and the detector.
type privacy struct {
	vault *vault.Vault
	codec *vault.PayloadCodec
	pii   *pii.Detector
}

// openPrivacy fails closed: without a master key nothing that writes
// personal data or Temporal payloads starts.
func openPrivacy(st *store.Store) (*privacy, error) {
	v, master, previous, err := loadVault(st.KeyStore())
	if err != nil {
		return nil, fmt.Errorf("%w (development: `frontdesk dev` creates one; production: `frontdesk keys generate`)", err)
	}
	codec, err := vault.NewMasterPayloadCodec(master, previous...)
	if err != nil {
		return nil, err
	}
	sealer, err := vault.NewAuditSealer(master, previous...)
	if err != nil {
		return nil, err
	}
	store.SetAuditSealer(sealer)
	return &privacy{vault: v, codec: codec, pii: pii.NewDetector(pii.Options{})}, nil
}

// codecOption mounts /codec for ops tokens verified by auth.
func (s *services) codecOption(auth *api.Authenticator) (api.Option, error) {
	return api.WithCodec(api.CodecConfig{Codec: s.privacy.codec, Vault: s.privacy.vault, Auth: auth, Audit: s.store, UIURL: s.cfg.TemporalUIURL})
}

// patientsOption mounts /v1/patients; an erasure keeps what
// FRONTDESK_ERASURE_RETAIN says, as `frontdesk erase` does.
func (s *services) patientsOption(auth *api.Authenticator) (api.Option, error) {
	keep, err := store.ParseRetention(os.Getenv(EnvErasureRetain))
	if err != nil {
		return nil, err
	}
	return api.WithPatients(api.PatientsConfig{Auth: auth, Store: s.store, Vault: s.privacy.vault, Retention: keep})
}
