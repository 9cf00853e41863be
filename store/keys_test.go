package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/vault/vaulttest"
)

// newKeyStore is an empty Postgres KeyStore with the admin connection
// (master rotation needs it), on a fresh database whose orgs are the demo
// orgs, which are also the contract tests' org ids.
func newKeyStore(t *testing.T) (*store.Store, *store.KeyStore) {
	st, ks, _ := newKeyStoreDB(t)
	return st, ks
}

func newKeyStoreDB(t *testing.T) (*store.Store, *store.KeyStore, *testenv.Database) {
	t.Helper()
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	admin, err := pgxpool.New(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(admin.Close)
	return st, st.AdminKeyStore(admin), db
}

func TestPostgresKeyStore(t *testing.T) {
	vaulttest.RunKeyStoreTests(t, func(t *testing.T) vault.KeyStore {
		_, ks := newKeyStore(t)
		return ks
	})
}

// TestKeyStoreWithoutAdminCannotRewrap: the request path can add and read
// keys but never replace one or list other orgs'.
func TestKeyStoreWithoutAdminCannotRewrap(t *testing.T) {
	st, _ := newKeyStore(t)
	ctx := context.Background()
	ks := st.KeyStore()
	v, err := vault.New(ks, vault.GenerateMasterKey())
	require.NoError(t, err)
	_, err = v.Encrypt(ctx, vault.AAD{OrgID: store.DemoOrgA.String(), Table: "t", RowID: "r", Column: "c"}, "s", []byte("x"))
	require.NoError(t, err)
	_, err = ks.ListAllOrgKeys(ctx)
	require.ErrorIs(t, err, store.ErrNeedsAdmin)
	_, err = v.RotateMaster(ctx, vault.GenerateMasterKey())
	require.Error(t, err)
	_, err = v.RotateOrg(ctx, store.DemoOrgA.String())
	require.ErrorIs(t, err, store.ErrNeedsAdmin)
	// And the table grants say the same, whatever the Go code does.
	err = st.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "x", Role: "service"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update app.data_keys set wrapped = wrapped`)
		return err
	})
	requireSQLStateFor(t, err, "42501", "update data_keys as a tenant")
}
