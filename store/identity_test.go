package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
)

const (
	victimNumber   = "+447700900123"
	attackerNumber = "+447700900666"
)

// The review's probe (issue 12, item 5): a caller who says another
// patient's NHS number overwrote that patient's name and phone, and their
// call was linked to the victim's record. Now the claim links nothing,
// overwrites nothing, and is audited.
func TestSpokenIdentifierIsAClaimNotProof(t *testing.T) {
	e := newPrivacyEnv(t)
	ctx := context.Background()
	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "staff:test", Role: "admin"}
	_, victim := e.callWithPatient(t, store.DemoOrgA, store.DemoClinicA, victimNumber,
		store.PatientFields{Name: "Jane Doe", Phone: victimNumber, DateOfBirth: "1961-03-04", NationalID: "9434765919"}, "chest pains")

	attack := func(f store.PatientFields) (store.CallRef, store.PatientLink) {
		t.Helper()
		ref := e.newCall(t, store.DemoOrgA, store.DemoClinicA, attackerNumber)
		link, err := e.st.RecordPatient(ctx, e.vault, ref, f)
		require.NoError(t, err)
		return ref, link
	}
	want := store.PatientFields{Name: "Jane Doe", Phone: victimNumber, DateOfBirth: "1961-03-04", NationalID: "9434765919"}
	unchanged := func() {
		t.Helper()
		p, err := e.st.ReadPatient(ctx, e.vault, staff, victim, "test")
		require.NoError(t, err)
		require.Equal(t, want, p.Fields)
	}

	// 1. The exact probe: the victim's NHS number, the attacker's name and number.
	ref, link := attack(store.PatientFields{Name: "Mallory Evil", Phone: attackerNumber, NationalID: "9434765919"})
	require.False(t, link.Linked())
	require.Equal(t, store.MismatchUnverified, link.Mismatch)
	require.ElementsMatch(t, []string{store.FieldName, store.FieldPhone, store.FieldNationalID}, link.Unfiled)
	unchanged()
	ids, err := e.st.PatientsOfCall(ctx, staff, ref.CallSID)
	require.NoError(t, err)
	require.Empty(t, ids, "the attacker's call is linked to nobody")
	mismatch := lastAudit(t, e, staff, store.AuditIdentityMismatch)
	require.Equal(t, victim.String(), mismatch.Subject, "the victim's chain shows the attempt")
	require.Equal(t, ref.CallSID, mismatch.Detail["call_sid"])
	require.Equal(t, store.MismatchUnverified, mismatch.Detail["reason"])
	require.Equal(t, false, mismatch.Detail["caller_number_agrees"])
	require.NotContains(t, fmt.Sprint(mismatch.Detail), "9434765919")
	require.NotContains(t, fmt.Sprint(mismatch.Detail), "Mallory")

	// 2. The NHS number with a wrong date of birth: a conflict, refused too.
	_, link = attack(store.PatientFields{NationalID: "9434765919", DateOfBirth: "1990-01-01"})
	require.Equal(t, store.MismatchConflict, link.Mismatch)
	unchanged()

	// 3. Two identifiers that agree link the call (the patient calling from
	// a friend's phone), but still overwrite nothing: the other name and
	// number stay in the turn (Unfiled).
	ref, link = attack(store.PatientFields{Name: "J. Doe", Phone: attackerNumber, NationalID: "9434765919", DateOfBirth: "1961-03-04"})
	require.Equal(t, victim, link.PatientID)
	require.ElementsMatch(t, []string{store.FieldName, store.FieldPhone}, link.Unfiled)
	unchanged()
	ids, err = e.st.PatientsOfCall(ctx, staff, ref.CallSID)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{victim}, ids)

	// 4. From the patient's own number one identifier is enough, and an
	// empty field is filled.
	own := e.newCall(t, store.DemoOrgA, store.DemoClinicA, victimNumber)
	link, err = e.st.RecordPatient(ctx, e.vault, own, store.PatientFields{NationalID: "9434765919", Email: "Jane@Example.org"})
	require.NoError(t, err)
	require.Equal(t, victim, link.PatientID)
	require.Empty(t, link.Unfiled)
	want.Email = "Jane@Example.org"
	unchanged()

	// 5. A later turn of a call may complete its patient, never swap it:
	// the attacker's number gets its own patient, then claims the victim.
	mallory := e.newCall(t, store.DemoOrgA, store.DemoClinicA, attackerNumber)
	link, err = e.st.RecordPatient(ctx, e.vault, mallory, store.PatientFields{Name: "Mallory Evil"})
	require.NoError(t, err)
	require.True(t, link.Linked())
	require.NotEqual(t, victim, link.PatientID)
	link, err = e.st.RecordPatient(ctx, e.vault, mallory, store.PatientFields{NationalID: "9434765919"})
	require.NoError(t, err)
	require.Equal(t, store.MismatchAmbiguous, link.Mismatch)
	unchanged()

	ver, err := e.st.VerifyAuditInTenant(ctx, staff)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)
}

func lastAudit(t *testing.T, e *privacyEnv, c store.Claims, action string) store.AuditRow {
	t.Helper()
	rows, err := e.st.ListAudit(context.Background(), c)
	require.NoError(t, err)
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Action == action {
			return rows[i]
		}
	}
	t.Fatalf("no %s audit row", action)
	return store.AuditRow{}
}

// Two (and more) concurrent first calls from one number create one
// patient: the unique blind index per org and the upsert on it.
func TestConcurrentFirstCallsFromOneNumberCreateOnePatient(t *testing.T) {
	e := newPrivacyEnv(t)
	ctx := context.Background()
	for round := range 5 {
		number := fmt.Sprintf("+44770090%04d", 7000+round)
		const callers = 6
		refs := make([]store.CallRef, callers)
		for i := range refs {
			refs[i] = e.newCall(t, store.DemoOrgA, store.DemoClinicA, number)
		}
		links := make([]store.PatientLink, callers)
		errs := make([]error, callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range refs {
			wg.Go(func() {
				<-start
				links[i], errs[i] = e.st.RecordPatient(ctx, e.vault, refs[i], store.PatientFields{Name: "Sam Caller", DateOfBirth: "1980-05-05"})
			})
		}
		close(start)
		wg.Wait()
		for i := range refs {
			require.NoError(t, errs[i])
			require.True(t, links[i].Linked(), "round %d caller %d: %q", round, i, links[i].Mismatch)
			require.Equal(t, links[0].PatientID, links[i].PatientID, "round %d: every call links the same patient", round)
		}
		var n int
		require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from app.patients where org_id = $1 and phone = $2`, store.DemoOrgA, number).Scan(&n))
		require.Equal(t, 1, n, "round %d: one patient for the number", round)
	}

	// The same number in another org is another org's patient.
	ref := e.newCall(t, store.DemoOrgB, store.DemoClinicB, "+447700907000")
	link, err := e.st.RecordPatient(ctx, e.vault, ref, store.PatientFields{Name: "Sam Caller"})
	require.NoError(t, err)
	require.True(t, link.Linked())
	var orgs int
	require.NoError(t, e.admin.QueryRow(ctx, `select count(distinct org_id) from app.patients where phone = '+447700907000'`).Scan(&orgs))
	require.Equal(t, 2, orgs)
}

// The review's probe (issue 12, item 8): erasure left the caller's number
// in the contact rows of calls never linked to the patient, and a replayed
// webhook re-inserted it. Now every call from the number loses it, an
// opt-out survives only as a blind index, and a replay is refused.
func TestErasureReachesEveryCallFromTheNumber(t *testing.T) {
	e := newPrivacyEnv(t)
	ctx := context.Background()
	admin := store.Claims{OrgID: store.DemoOrgA, Sub: "staff:dpo", Role: "admin"}
	linked, patient := e.callWithPatient(t, store.DemoOrgA, store.DemoClinicA, victimNumber,
		store.PatientFields{Name: "Jane Doe", NationalID: "9434765919"}, "chest pains")
	// Calls from her number that never said who was calling.
	unlinked1 := e.newCall(t, store.DemoOrgA, store.DemoClinicA, victimNumber)
	unlinked2 := e.newCall(t, store.DemoOrgA, store.DemoClinicA, victimNumber)
	// Rows from before phones had an index (written without an indexer).
	legacy := store.CallRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA, CallSID: randomCallSID()}
	_, err := e.admin.Exec(ctx, `insert into app.call_contacts (org_id, call_sid, clinic_id, caller_phone) values ($1, $2, $3, $4)`,
		store.DemoOrgA, legacy.CallSID, store.DemoClinicA, victimNumber)
	require.NoError(t, err)
	// Someone else's call, and her number in the other org: both stay.
	other := e.newCall(t, store.DemoOrgA, store.DemoClinicA, "+447700900999")
	otherOrg := e.newCall(t, store.DemoOrgB, store.DemoClinicB, victimNumber)
	require.NoError(t, e.st.SetSMSOptOut(ctx, store.DemoOrgA, victimNumber, true))
	for _, ref := range []store.CallRef{linked, unlinked1, unlinked2} {
		require.NoError(t, e.st.RecordCall(ctx, store.DemoOrgA, store.CallRecord{CallSID: ref.CallSID, ClinicID: ref.ClinicID, Status: "completed",
			Outcome: "completed", StartedAt: time.Now().Add(-time.Hour), EndedAt: ptr(time.Now())}))
	}

	rep, err := e.st.ErasePatient(ctx, e.vault, admin, patient, store.DefaultRetention, "ticket 7")
	require.NoError(t, err)
	require.Equal(t, []string{linked.CallSID}, rep.Calls)
	require.ElementsMatch(t, []string{unlinked1.CallSID, unlinked2.CallSID, legacy.CallSID}, rep.UnlinkedCalls)
	require.EqualValues(t, 4, rep.ContactsDeleted)
	require.EqualValues(t, 1, rep.OptOutsHashed)

	// The number is nowhere in the org's tables any more...
	require.Zero(t, e.numberRows(t, store.DemoOrgA, victimNumber), "the erased number in org A")
	require.Equal(t, 1, e.numberRows(t, store.DemoOrgB, victimNumber), "org B's own call from the same number is org B's")
	phone, err := e.st.CallerPhone(ctx, store.DemoOrgA, other.CallSID)
	require.NoError(t, err)
	require.Equal(t, "+447700900999", phone)
	_, err = e.st.CallerPhone(ctx, store.DemoOrgB, otherOrg.CallSID)
	require.NoError(t, err)

	// ...but her STOP still holds, through the kept blind index, for the
	// next call from the number too.
	var hashed int
	require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from app.sms_opt_outs where org_id = $1 and phone is null and phone_bidx is not null`, store.DemoOrgA).Scan(&hashed))
	require.Equal(t, 1, hashed)
	out, err := e.st.SMSOptedOut(ctx, store.DemoOrgA, victimNumber)
	require.NoError(t, err)
	require.True(t, out)
	next := e.newCall(t, store.DemoOrgA, store.DemoClinicA, victimNumber)
	var proc uuid.UUID
	require.NoError(t, e.admin.QueryRow(ctx, `select id from app.procedures where org_id = $1 limit 1`, store.DemoOrgA).Scan(&proc))
	blocked, err := e.st.FollowUpBlocker(ctx, store.DemoOrgA, next.CallSID, proc)
	require.NoError(t, err)
	require.Equal(t, store.SkipOptedOut, blocked)
	// A START lifts it.
	require.NoError(t, e.st.SetSMSOptOut(ctx, store.DemoOrgA, victimNumber, false))
	out, err = e.st.SMSOptedOut(ctx, store.DemoOrgA, victimNumber)
	require.NoError(t, err)
	require.False(t, out)

	// A replayed incoming-call webhook of an erased, ended call is refused
	// and writes nothing.
	for _, ref := range []store.CallRef{linked, unlinked1} {
		err = e.st.RecordCallContact(ctx, store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}, ref.CallSID, victimNumber)
		require.ErrorIs(t, err, store.ErrContactRefused)
		_, err = e.st.CallerPhone(ctx, store.DemoOrgA, ref.CallSID)
		require.ErrorIs(t, err, store.ErrNotFound)
	}

	last := lastAudit(t, e, admin, store.AuditErase)
	require.ElementsMatch(t, []any{unlinked1.CallSID, unlinked2.CallSID, legacy.CallSID}, last.Detail["unlinked_calls"])
	require.EqualValues(t, 1, last.Detail["opt_outs_hashed"])
}

func ptr[T any](v T) *T { return &v }

// numberRows counts the rows of an org, in every app table, whose text
// contains number (the only rows left should be the new call's).
func (e *privacyEnv) numberRows(t *testing.T, org uuid.UUID, number string) int {
	t.Helper()
	ctx := context.Background()
	rows, err := e.admin.Query(ctx, `select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id'
		where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	total := 0
	for _, tbl := range tables {
		var n int
		require.NoError(t, e.admin.QueryRow(ctx, fmt.Sprintf(`select count(*) from app.%s x where x.org_id = $1 and x::text like '%%' || $2 || '%%'`, tbl), org, number).Scan(&n))
		total += n
	}
	return total
}
