package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

// Claims are attacker-controlled text (a JWT's sub): the literal they are
// rendered into must hold whatever they contain.
func TestClaimsLiteralHoldsHostileText(t *testing.T) {
	db := testenv.NewDatabase(t)
	ctx := context.Background()
	st, err := store.Open(ctx, db.AppURL)
	require.NoError(t, err)
	defer st.Close()
	for _, sub := range []string{
		`plain`, `it's`, `back\slash`, `\'); select 1; --`, `'||(select 1)||'`, "tab\tnew\nline", `ünïcødé ☎`, `$$ dollar $$`,
	} {
		c := store.Claims{OrgID: store.DemoOrgA, Sub: sub, Role: "staff"}
		err := st.InTenant(ctx, c, func(tx pgx.Tx) error {
			var got, role string
			if err := tx.QueryRow(ctx, `select auth.jwt() ->> 'sub', current_user`).Scan(&got, &role); err != nil {
				return err
			}
			require.Equal(t, sub, got)
			require.Equal(t, "authenticated", role)
			return nil
		})
		require.NoError(t, err, sub)
	}
}
