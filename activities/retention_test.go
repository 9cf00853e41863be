package activities_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

func newCallSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "CA" + hex.EncodeToString(b)
}

// plantCall stores a call that started at started (and ended an hour
// later unless live) with one encrypted turn, and returns the turn's
// ciphertext as a backup would hold it.
func plantCall(t *testing.T, st *store.Store, v *vault.Vault, db *testenv.Database, org, clinic [16]byte, started time.Time, live bool) (string, []byte) {
	t.Helper()
	ctx := context.Background()
	sid := newCallSID()
	rec := store.CallRecord{CallSID: sid, ClinicID: clinic, Status: "completed", Outcome: "completed", StartedAt: started}
	if live {
		rec.Status, rec.Outcome = "in-progress", ""
	} else {
		end := started.Add(time.Hour)
		rec.EndedAt = &end
	}
	require.NoError(t, st.RecordCall(ctx, org, rec))
	_, err := st.SaveTurn(ctx, v, store.CallRef{OrgID: org, ClinicID: clinic, CallSID: sid},
		store.Turn{Seq: 1, Speaker: "caller", Class: "medical", Body: store.TurnBody{Text: "my knee hurts"}})
	require.NoError(t, err)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	var ct []byte
	require.NoError(t, admin.QueryRow(ctx, `select body from app.call_turns where call_sid = $1`, sid).Scan(&ct))
	return sid, ct
}

// The retention activity removes what is past each clinic's period, and
// nothing younger: one minute either side of the cutoff decides.
func TestPurgeExpiredTurnsRemovesWhatIsPastRetentionOnly(t *testing.T) {
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), vault.GenerateMasterKey())
	require.NoError(t, err)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	// Clinic A keeps the default 30 days; clinic B keeps 7.
	_, err = admin.Exec(ctx, `update app.clinics set transcript_retention_days = 7 where id = $1`, store.DemoClinicB)
	require.NoError(t, err)

	asOf := time.Now().Truncate(time.Second)
	day := 24 * time.Hour
	a, b := store.DemoOrgA, store.DemoOrgB
	ca, cb := store.DemoClinicA, store.DemoClinicB
	expiredA, expiredCT := plantCall(t, st, v, db, a, ca, asOf.Add(-30*day-time.Minute), false)
	ancientA, _ := plantCall(t, st, v, db, a, ca, asOf.Add(-400*day), false)
	lostA, _ := plantCall(t, st, v, db, a, ca, asOf.Add(-32*day), true) // never ended: a lost workflow
	youngA, _ := plantCall(t, st, v, db, a, ca, asOf.Add(-30*day+time.Minute), false)
	recentLiveA, _ := plantCall(t, st, v, db, a, ca, asOf.Add(-30*day-2*time.Hour), true) // not ended, within a day of the cutoff
	expiredB, _ := plantCall(t, st, v, db, b, cb, asOf.Add(-7*day-time.Minute), false)
	youngB, _ := plantCall(t, st, v, db, b, cb, asOf.Add(-7*day+time.Minute), false)
	// Twenty days: past clinic B's period, within clinic A's.
	twentyDaysA, _ := plantCall(t, st, v, db, a, ca, asOf.Add(-20*day), false)
	twentyDaysB, _ := plantCall(t, st, v, db, b, cb, asOf.Add(-20*day), false)

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	acts := &activities.Activities{Store: st, Vault: v}
	env.RegisterActivity(acts)
	run := func(in activities.RetentionBatch) activities.RetentionBatchResult {
		t.Helper()
		val, err := env.ExecuteActivity(acts.PurgeExpiredTurns, in)
		require.NoError(t, err)
		var res activities.RetentionBatchResult
		require.NoError(t, val.Get(&res))
		return res
	}

	// One clinic per batch: the first batch is clinic A (ids in order), and
	// says where the next starts.
	first := run(activities.RetentionBatch{AsOf: asOf, Clinics: 1})
	require.False(t, first.Done)
	require.Equal(t, ca.String(), first.Next)
	require.Equal(t, 1, first.Clinics)
	require.Equal(t, 3, first.Calls, "expired, ancient and lost")
	require.EqualValues(t, 3, first.TurnsDeleted)
	require.Equal(t, 3, first.KeysShredded)
	second := run(activities.RetentionBatch{AsOf: asOf, After: first.Next, Clinics: 1})
	require.Equal(t, cb.String(), second.Next)
	require.Equal(t, 2, second.Calls, "expired and twenty days old")
	third := run(activities.RetentionBatch{AsOf: asOf, After: second.Next, Clinics: 1})
	require.True(t, third.Done)
	require.Zero(t, third.Clinics)

	staffA := store.Claims{OrgID: a, Sub: "staff:test", Role: "admin"}
	staffB := store.Claims{OrgID: b, Sub: "staff:test", Role: "admin"}
	for _, gone := range []struct {
		c   store.Claims
		sid string
	}{{staffA, expiredA}, {staffA, ancientA}, {staffA, lostA}, {staffB, expiredB}, {staffB, twentyDaysB}} {
		turns, err := st.ReadTurns(ctx, v, gone.c, gone.sid, "test")
		require.NoError(t, err)
		require.Empty(t, turns, "turns past retention are deleted")
	}
	for _, kept := range []struct {
		c   store.Claims
		sid string
	}{{staffA, youngA}, {staffA, recentLiveA}, {staffA, twentyDaysA}, {staffB, youngB}} {
		turns, err := st.ReadTurns(ctx, v, kept.c, kept.sid, "test")
		require.NoError(t, err)
		require.Len(t, turns, 1, "younger turns stay readable")
		require.Equal(t, "my knee hurts", turns[0].Body.Text)
	}
	// Shredded, not just deleted: a backup's copy of the turn no longer opens.
	_, err = v.Decrypt(ctx, vault.AAD{OrgID: a.String(), Table: "app.call_turns", RowID: expiredA + "/1", Column: "body"}, store.CallSubject(expiredA), expiredCT)
	require.ErrorIs(t, err, vault.ErrKeyDestroyed)

	// Audited per org: which calls, how much, why.
	rows, err := st.ListAudit(ctx, staffA)
	require.NoError(t, err)
	var purges []store.AuditRow
	for _, r := range rows {
		if r.Action == store.AuditRetentionPurge {
			purges = append(purges, r)
		}
	}
	require.Len(t, purges, 1)
	require.Equal(t, store.RetentionActor, purges[0].Actor)
	require.Equal(t, "clinic:"+ca.String(), purges[0].Subject)
	var named []string
	for _, s := range purges[0].Detail["calls"].([]any) {
		named = append(named, s.(string))
	}
	slices.Sort(named)
	want := []string{expiredA, ancientA, lostA}
	slices.Sort(want)
	require.Equal(t, want, named)
	require.EqualValues(t, 30, purges[0].Detail["retention_days"])

	// A second run finds nothing left and writes nothing.
	again := run(activities.RetentionBatch{AsOf: asOf, Clinics: 100})
	require.True(t, again.Done)
	require.Equal(t, 2, again.Clinics)
	require.Zero(t, again.Calls)
	after, err := st.ListAudit(ctx, staffA)
	require.NoError(t, err)
	require.Len(t, after, len(rows))

	// Bad input is refused, not retried.
	_, err = env.ExecuteActivity(acts.PurgeExpiredTurns, activities.RetentionBatch{Clinics: 1})
	require.Error(t, err)
	_, err = env.ExecuteActivity(acts.PurgeExpiredTurns, activities.RetentionBatch{AsOf: asOf, After: "not-a-uuid", Clinics: 1})
	require.Error(t, err)
}
