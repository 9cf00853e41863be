package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk/frontdesk/vault"
)

// KeyStore is the vault's KeyStore over app.org_keys and app.data_keys
// (vault/SCHEMA.md). Each method runs in a tenant transaction of the key's
// org, so row-level security confines it exactly like application queries.
//
// Two things cannot run as a tenant: listing every org's keys (master
// rotation) and re-wrapping keys (the tables grant `authenticated` no
// UPDATE, so a compromised service can read and add keys but never replace
// one). Those need the admin connection, which only the CLI opens
// (`frontdesk keys rotate`, DATABASE_ADMIN_URL); without it they fail.
type KeyStore struct {
	st    *Store
	admin *pgxpool.Pool
}

var _ vault.KeyStore = (*KeyStore)(nil)

// ErrNeedsAdmin means a key operation that crosses orgs or replaces a key
// ran without the admin connection.
var ErrNeedsAdmin = errors.New("store: key rotation needs the admin connection (DATABASE_ADMIN_URL, `frontdesk keys rotate`)")

// KeyStore returns the store's vault KeyStore for the request path.
func (s *Store) KeyStore() *KeyStore { return &KeyStore{st: s} }

// AdminKeyStore returns a KeyStore that can also list every org's keys and
// re-wrap keys, through admin: a pool on DATABASE_ADMIN_URL, whose role
// must bypass row-level security (a superuser, or BYPASSRLS).
func (s *Store) AdminKeyStore(admin *pgxpool.Pool) *KeyStore { return &KeyStore{st: s, admin: admin} }

const orgKeyCols = `org_id::text, key_id, wrapped, master_key_id, created_at`
const dataKeyCols = `org_id::text, subject_id, wrapped, org_key_id, created_at`

func keyClaims(orgID string) (Claims, error) {
	org, err := uuid.Parse(orgID)
	if err != nil {
		return Claims{}, fmt.Errorf("store: key store: org id: %w", err)
	}
	return Claims{OrgID: org, Sub: "vault", Role: "service"}, nil
}

func (k *KeyStore) inOrg(ctx context.Context, orgID string, fn func(pgx.Tx) error) error {
	c, err := keyClaims(orgID)
	if err != nil {
		return err
	}
	return k.st.InTenant(ctx, c, fn)
}

func scanOrgKey(row pgx.Row) (vault.WrappedKey, error) {
	var w vault.WrappedKey
	err := row.Scan(&w.OrgID, &w.KeyID, &w.Wrapped, &w.WrappingKeyID, &w.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return w, vault.ErrKeyNotFound
	}
	return w, err
}

func scanDataKey(row pgx.Row) (vault.WrappedKey, error) {
	var w vault.WrappedKey
	err := row.Scan(&w.OrgID, &w.SubjectID, &w.Wrapped, &w.WrappingKeyID, &w.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return w, vault.ErrKeyNotFound
	}
	return w, err
}

func collectKeys(rows pgx.Rows, scan func(pgx.Row) (vault.WrappedKey, error)) ([]vault.WrappedKey, error) {
	defer rows.Close()
	var out []vault.WrappedKey
	for rows.Next() {
		w, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// GetOrgKey implements vault.KeyStore.
func (k *KeyStore) GetOrgKey(ctx context.Context, orgID, keyID string) (vault.WrappedKey, error) {
	var w vault.WrappedKey
	err := k.inOrg(ctx, orgID, func(tx pgx.Tx) error {
		var err error
		w, err = scanOrgKey(tx.QueryRow(ctx, `select `+orgKeyCols+` from app.org_keys where org_id = $1 and key_id = $2`, orgID, keyID))
		return err
	})
	return w, err
}

// ListOrgKeys implements vault.KeyStore.
func (k *KeyStore) ListOrgKeys(ctx context.Context, orgID string) ([]vault.WrappedKey, error) {
	var out []vault.WrappedKey
	err := k.inOrg(ctx, orgID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select `+orgKeyCols+` from app.org_keys where org_id = $1`, orgID)
		if err != nil {
			return err
		}
		out, err = collectKeys(rows, scanOrgKey)
		return err
	})
	return out, err
}

// ListAllOrgKeys implements vault.KeyStore; it needs the admin connection.
func (k *KeyStore) ListAllOrgKeys(ctx context.Context) ([]vault.WrappedKey, error) {
	if k.admin == nil {
		return nil, ErrNeedsAdmin
	}
	rows, err := k.admin.Query(ctx, `select `+orgKeyCols+` from app.org_keys order by org_id, created_at`)
	if err != nil {
		return nil, err
	}
	return collectKeys(rows, scanOrgKey)
}

// PutOrgKey implements vault.KeyStore.
func (k *KeyStore) PutOrgKey(ctx context.Context, w vault.WrappedKey) error {
	return k.inOrg(ctx, w.OrgID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `insert into app.org_keys (org_id, key_id, wrapped, master_key_id, created_at) values ($1, $2, $3, $4, $5)
			on conflict (org_id, key_id) do nothing`, w.OrgID, w.KeyID, w.Wrapped, w.WrappingKeyID, w.CreatedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return vault.ErrKeyExists
		}
		return nil
	})
}

// RewrapOrgKey implements vault.KeyStore; it needs the admin connection.
func (k *KeyStore) RewrapOrgKey(ctx context.Context, prev, next vault.WrappedKey) error {
	if k.admin == nil {
		return ErrNeedsAdmin
	}
	tag, err := k.admin.Exec(ctx, `update app.org_keys set wrapped = $3, master_key_id = $4 where org_id = $1 and key_id = $2 and wrapped = $5`,
		prev.OrgID, prev.KeyID, next.Wrapped, next.WrappingKeyID, prev.Wrapped)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return vault.ErrKeyNotFound
	}
	return nil
}

// GetDataKey implements vault.KeyStore.
func (k *KeyStore) GetDataKey(ctx context.Context, orgID, subjectID string) (vault.WrappedKey, error) {
	var w vault.WrappedKey
	err := k.inOrg(ctx, orgID, func(tx pgx.Tx) error {
		var err error
		w, err = scanDataKey(tx.QueryRow(ctx, `select `+dataKeyCols+` from app.data_keys where org_id = $1 and subject_id = $2`, orgID, subjectID))
		return err
	})
	return w, err
}

// ListDataKeys implements vault.KeyStore.
func (k *KeyStore) ListDataKeys(ctx context.Context, orgID, afterSubjectID string, limit int) ([]vault.WrappedKey, error) {
	var out []vault.WrappedKey
	err := k.inOrg(ctx, orgID, func(tx pgx.Tx) error {
		q := `select ` + dataKeyCols + ` from app.data_keys where org_id = $1 and subject_id > $2 order by subject_id`
		args := []any{orgID, afterSubjectID}
		if limit > 0 {
			q += ` limit $3`
			args = append(args, limit)
		}
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err = collectKeys(rows, scanDataKey)
		return err
	})
	return out, err
}

// PutDataKey implements vault.KeyStore.
func (k *KeyStore) PutDataKey(ctx context.Context, w vault.WrappedKey) error {
	return k.inOrg(ctx, w.OrgID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `insert into app.data_keys (org_id, subject_id, wrapped, org_key_id, created_at) values ($1, $2, $3, $4, $5)
			on conflict (org_id, subject_id) do nothing`, w.OrgID, w.SubjectID, w.Wrapped, w.WrappingKeyID, w.CreatedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return vault.ErrKeyExists
		}
		return nil
	})
}

// RewrapDataKey implements vault.KeyStore; it needs the admin connection.
// The compare on the previous blob is what stops a rotation from writing
// back a key that an erasure destroyed meanwhile.
func (k *KeyStore) RewrapDataKey(ctx context.Context, prev, next vault.WrappedKey) error {
	if k.admin == nil {
		return ErrNeedsAdmin
	}
	tag, err := k.admin.Exec(ctx, `update app.data_keys set wrapped = $3, org_key_id = $4 where org_id = $1 and subject_id = $2 and wrapped = $5`,
		prev.OrgID, prev.SubjectID, next.Wrapped, next.WrappingKeyID, prev.Wrapped)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return vault.ErrKeyNotFound
	}
	return nil
}

// DeleteDataKey implements vault.KeyStore: a real DELETE, no soft delete.
func (k *KeyStore) DeleteDataKey(ctx context.Context, orgID, subjectID string) error {
	return k.inOrg(ctx, orgID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `delete from app.data_keys where org_id = $1 and subject_id = $2`, orgID, subjectID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return vault.ErrKeyNotFound
		}
		return nil
	})
}
