package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

// superuserEdit runs sql as a superuser with triggers off, as the review's
// database administrator did.
func superuserEdit(t *testing.T, admin *pgx.Conn, sql string) {
	t.Helper()
	ctx := context.Background()
	tx, err := admin.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `set local session_replication_role = replica`)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, sql)
	require.NoError(t, err, sql)
	require.NoError(t, tx.Commit(ctx))
}

// rechainFrom recomputes canonical text, prev_hash and hash of every row of
// org from seq on: what anyone who can write the table can do.
func rechainFrom(t *testing.T, admin *pgx.Conn, org uuid.UUID, from int64) {
	t.Helper()
	ctx := context.Background()
	var last int64
	require.NoError(t, admin.QueryRow(ctx, `select max(seq) from app.audit_log where org_id = $1`, org).Scan(&last))
	for seq := from; seq <= last; seq++ {
		superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log l set
			prev_hash = coalesce((select p.hash from app.audit_log p where p.org_id = l.org_id and p.seq = l.seq - 1), decode(repeat('00', 32), 'hex')),
			canonical = app.audit_canonical(org_id, seq, at, actor, action, subject, detail, reason)
			where org_id = '%s' and seq = %d`, org, seq))
		superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log set hash = sha256(prev_hash || convert_to(canonical, 'UTF8'))
			where org_id = '%s' and seq = %d`, org, seq))
	}
}

// TestAuditRewriteWithoutTheKeyIsCaught reproduces the review's finding: a
// superuser rewrote a row and recomputed the chain, and `audit verify`
// still said intact. The structural check alone still cannot tell (that is
// its nature); with the audit key, the MAC of the rewritten row fails.
func TestAuditRewriteWithoutTheKeyIsCaught(t *testing.T) {
	st, _, db := newKeyStoreDB(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	appendAudit(t, st, store.DemoOrgA, 6)
	appendAudit(t, st, store.DemoOrgB, 2)

	keyed := store.VerifyOptions{Sealer: testenv.AuditSealer()}
	ver, err := store.VerifyAuditWith(ctx, admin, nil, keyed)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)
	require.Equal(t, 8, ver.Sealed, "every row is sealed with the audit key")

	// The attack: an erasure that never happened, and the chain recomputed.
	superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log set action = 'erase', detail = '{}' where org_id = '%s' and seq = 3`, store.DemoOrgA))
	rechainFrom(t, admin, store.DemoOrgA, 3)

	ver, err = store.VerifyAudit(ctx, admin, nil)
	require.NoError(t, err)
	require.Empty(t, ver.Broken, "without the key, a recomputed chain looks intact: this is what the review broke")

	ver, err = store.VerifyAuditWith(ctx, admin, nil, keyed)
	require.NoError(t, err)
	require.Equal(t, []store.AuditBreak{{OrgID: store.DemoOrgA, Seq: 3, Reason: "MAC does not verify: the chain was rewritten without the audit key"}}, ver.Broken)

	// Stripping the MACs as well is caught too: the head is no longer sealed.
	superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log set mac = null, mac_key_id = null where org_id = '%s'`, store.DemoOrgA))
	ver, err = store.VerifyAuditWith(ctx, admin, &store.DemoOrgA, keyed)
	require.NoError(t, err)
	require.Len(t, ver.Broken, 1)
	require.Contains(t, ver.Broken[0].Reason, "no row of this chain carries a MAC")

	// The other org's chain is untouched, and verifies in its tenant
	// transaction too.
	ver, err = st.VerifyAuditInTenantWith(ctx, store.Claims{OrgID: store.DemoOrgB, Sub: "auditor", Role: "admin"}, keyed)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)
	require.Equal(t, 2, ver.Sealed)
}

// TestAuditTruncationIsCaughtByExportedHeads: deleting the newest rows
// leaves a shorter chain that is intact link by link; an exported head (as
// the AuditAnchor workflow keeps them in Temporal) names the missing rows.
func TestAuditTruncationIsCaughtByExportedHeads(t *testing.T) {
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	appendAudit(t, st, store.DemoOrgA, 5)
	appendAudit(t, st, store.DemoOrgB, 3)

	heads, err := st.AuditHeads(ctx)
	require.NoError(t, err)
	require.Len(t, heads, 2)
	byOrg := map[uuid.UUID]store.AuditHead{}
	for _, h := range heads {
		byOrg[h.OrgID] = h
		require.NotEmpty(t, h.MAC)
	}
	require.Equal(t, int64(5), byOrg[store.DemoOrgA].Seq)
	require.Equal(t, int64(3), byOrg[store.DemoOrgB].Seq)

	opts := store.VerifyOptions{Sealer: testenv.AuditSealer(), Heads: heads}
	ver, err := store.VerifyAuditWith(ctx, admin, nil, opts)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)
	require.Equal(t, 2, ver.Heads)

	superuserEdit(t, admin, fmt.Sprintf(`delete from app.audit_log where org_id = '%s' and seq >= 4`, store.DemoOrgA))
	ver, err = store.VerifyAuditWith(ctx, admin, nil, store.VerifyOptions{Sealer: testenv.AuditSealer()})
	require.NoError(t, err)
	require.Empty(t, ver.Broken, "a truncated chain is intact link by link")
	ver, err = store.VerifyAuditWith(ctx, admin, nil, opts)
	require.NoError(t, err)
	require.Equal(t, []store.AuditBreak{{OrgID: store.DemoOrgA, Seq: 4, Reason: "an exported head names seq 5 but the chain ends at seq 3: rows deleted"}}, ver.Broken)

	// A chain rebuilt from an earlier point (rows replaced, re-hashed) no
	// longer holds the exported head's hash either.
	superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log set reason = 'rewritten' where org_id = '%s' and seq = 2`, store.DemoOrgB))
	rechainFrom(t, admin, store.DemoOrgB, 2)
	superuserEdit(t, admin, fmt.Sprintf(`update app.audit_log set mac = null where org_id = '%s' and seq >= 2`, store.DemoOrgB))
	ver, err = store.VerifyAuditWith(ctx, admin, &store.DemoOrgB, store.VerifyOptions{Heads: heads})
	require.NoError(t, err)
	require.Equal(t, []store.AuditBreak{{OrgID: store.DemoOrgB, Seq: 3, Reason: "differs from the exported chain head: the chain was rewritten"}}, ver.Broken)

	// The heads are the worker's to export: the api's login is refused.
	api, err := store.Open(ctx, db.APIURL)
	require.NoError(t, err)
	defer api.Close()
	_, err = api.AuditHeads(ctx)
	requireSQLStateFor(t, err, "42501", "api reading chain heads")
}

// TestAuditRowsOnlyThroughTheDefiner reproduces "the app's database role
// can set its own claims and write audit rows that claim to be an
// erasure": direct inserts are refused, and app.audit_append takes org and
// actor from the claims and refuses what the login or role may not record.
func TestAuditRowsOnlyThroughTheDefiner(t *testing.T) {
	ctx := context.Background()
	db, _ := testenv.DemoStore(t)
	open := func(url string) *store.Store {
		s, err := store.Open(ctx, url)
		require.NoError(t, err)
		t.Cleanup(s.Close)
		return s
	}
	api, worker := open(db.APIURL), open(db.WorkerURL)
	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "staff-1", Role: "staff"}
	admin := store.Claims{OrgID: store.DemoOrgA, Sub: "admin-1", Role: "admin"}
	service := store.CallClaims(store.DemoOrgA, "CA"+strings.Repeat("a", 32))

	// The forged erasure row of the review, straight into the table.
	err := api.InTenant(ctx, admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into app.audit_log (org_id, actor, action, subject, detail, reason, prev_hash, hash, canonical)
			values ($1, 'dpo', 'erase', 'patient', '{}', 'forged', '\x00', '\x00', '')`, store.DemoOrgA)
		return err
	})
	requireSQLStateFor(t, err, "42501", "direct insert")

	cases := []struct {
		name  string
		st    *store.Store
		c     store.Claims
		entry store.AuditEntry
		state string
	}{
		{"staff claims an erasure", api, staff, store.AuditEntry{Action: store.AuditErase, Subject: "patient"}, "42501"},
		{"api login records a routing decision", api, service, store.AuditEntry{Action: store.AuditRoute}, "42501"},
		{"worker login records a codec decode", worker, store.Claims{OrgID: store.DemoOrgA, Sub: "ops-1", Role: "ops"}, store.AuditEntry{Action: store.AuditCodecDecode}, "42501"},
		{"staff records a codec decode", api, staff, store.AuditEntry{Action: store.AuditCodecDecode}, "42501"},
		{"actor other than the claims' sub", api, admin, store.AuditEntry{Actor: "someone-else", Action: store.AuditErase}, "42501"},
		{"org other than the claims' org", api, admin, store.AuditEntry{Action: store.AuditErase}, "42501"},
		{"unregistered action", api, admin, store.AuditEntry{Action: "made_up"}, "42501"},
		{"oversized detail", api, admin, store.AuditEntry{Action: store.AuditErase, Detail: map[string]any{"x": strings.Repeat("a", 5000)}}, "22001"},
		{"oversized reason", api, admin, store.AuditEntry{Action: store.AuditErase, Reason: strings.Repeat("r", 501)}, "22001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			org := tc.c.OrgID
			if tc.name == "org other than the claims' org" {
				org = store.DemoOrgB
			}
			err := tc.st.InTenant(ctx, tc.c, func(tx pgx.Tx) error { return store.AppendAudit(ctx, tx, org, tc.entry) })
			requireSQLStateFor(t, err, tc.state, tc.name)
		})
	}

	// What each may record, with the actor taken from the claims.
	require.NoError(t, api.Audit(ctx, admin, store.AuditEntry{Action: store.AuditErase, Subject: "patient", Reason: "request"}))
	require.NoError(t, worker.Audit(ctx, service, store.AuditEntry{Action: store.AuditRoute, Subject: "call:x"}))
	rows, err := api.ListAudit(ctx, admin)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, "admin-1", rows[0].Actor)
	require.Equal(t, service.Sub, rows[1].Actor)

	// A row appended with the credential but without the audit key (the
	// leaked-credential case) is caught by verify.
	require.NoError(t, api.InTenant(ctx, admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `select app.audit_append(null, 'erase', 'patient', '{}', 'forged', null)`)
		return err
	}))
	ver, err := api.VerifyAuditInTenantWith(ctx, admin, store.VerifyOptions{Sealer: testenv.AuditSealer()})
	require.NoError(t, err)
	require.Equal(t, []store.AuditBreak{{OrgID: store.DemoOrgA, Seq: 3, Reason: "row written without the audit key (no MAC) after sealed rows"}}, ver.Broken)

	// A seal for another transaction's row, or a second seal, is refused.
	err = api.InTenant(ctx, admin, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `select app.audit_seal(3, decode(repeat('00', 32), 'hex'), 'audit@x')`)
		return err
	})
	requireSQLStateFor(t, err, "42501", "sealing another transaction's row")
}
