package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
)

func appendAudit(t *testing.T, st *store.Store, org uuid.UUID, n int) {
	t.Helper()
	for i := range n {
		require.NoError(t, st.Audit(context.Background(), store.Claims{OrgID: org, Sub: "test", Role: "service"},
			store.AuditEntry{Actor: "test", Action: store.AuditRoute, Subject: "call:x", Detail: map[string]any{"field": "text", "class": "medical", "n": i}}))
	}
}

func TestAuditChainDetectsEdits(t *testing.T) {
	st, _, db := newKeyStoreDB(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)

	// Concurrent appenders of one org queue on the org's advisory lock:
	// the chain stays linear.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); appendAudit(t, st, store.DemoOrgA, 5) }()
	}
	wg.Wait()
	appendAudit(t, st, store.DemoOrgB, 3)

	ver, err := store.VerifyAudit(ctx, admin, nil)
	require.NoError(t, err)
	require.Equal(t, 2, ver.Orgs)
	require.Equal(t, 23, ver.Rows)
	require.Empty(t, ver.Broken)

	// Append-only, for the owner and superusers too.
	for _, stmt := range []string{`update app.audit_log set reason = 'x' where seq = 3`, `delete from app.audit_log where seq = 3`, `truncate app.audit_log`} {
		_, err := admin.Exec(ctx, stmt)
		requireSQLStateFor(t, err, "42501", stmt)
	}
	err = st.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "x", Role: "admin"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update app.audit_log set reason = 'x'`)
		return err
	})
	requireSQLStateFor(t, err, "42501", "tenant update")

	// A superuser who turns the triggers off can edit, and verify names the row.
	edit := func(sql string) {
		t.Helper()
		tx, err := admin.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, `set local session_replication_role = replica`)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, sql)
		require.NoError(t, err)
		require.NoError(t, tx.Commit(ctx))
	}
	edit(fmt.Sprintf(`update app.audit_log set detail = '{"field":"text","class":"contact"}' where org_id = '%s' and seq = 7`, store.DemoOrgA))
	ver, err = store.VerifyAudit(ctx, admin, nil)
	require.NoError(t, err)
	require.Equal(t, []store.AuditBreak{{OrgID: store.DemoOrgA, Seq: 7, Reason: "row edited: its columns no longer render to the hashed canonical text"}}, ver.Broken)

	// Editing the canonical text and the hash too moves the break to the next link.
	edit(fmt.Sprintf(`update app.audit_log set canonical = app.audit_canonical(org_id, seq, at, actor, action, subject, detail, reason) where org_id = '%s' and seq = 7`, store.DemoOrgA))
	edit(fmt.Sprintf(`update app.audit_log set hash = sha256(prev_hash || convert_to(canonical, 'UTF8')) where org_id = '%s' and seq = 7`, store.DemoOrgA))
	ver, err = store.VerifyAudit(ctx, admin, &store.DemoOrgA)
	require.NoError(t, err)
	require.Len(t, ver.Broken, 1)
	require.Equal(t, int64(8), ver.Broken[0].Seq)

	// A deleted row in org B names the missing seq.
	edit(fmt.Sprintf(`delete from app.audit_log where org_id = '%s' and seq = 2`, store.DemoOrgB))
	ver, err = st.VerifyAuditInTenant(ctx, store.Claims{OrgID: store.DemoOrgB, Sub: "auditor", Role: "admin"})
	require.NoError(t, err)
	require.Len(t, ver.Broken, 1)
	require.Equal(t, int64(2), ver.Broken[0].Seq)
}
