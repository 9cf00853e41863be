package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

type privacyEnv struct {
	st    *store.Store
	vault *vault.Vault
	admin *pgx.Conn
}

func newPrivacyEnv(t *testing.T) *privacyEnv {
	t.Helper()
	ctx := context.Background()
	st, _, db := newKeyStoreDB(t)
	v, err := vault.New(st.KeyStore(), vault.GenerateMasterKey())
	require.NoError(t, err)
	st.SetBlindIndexer(v)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(ctx) })
	return &privacyEnv{st: st, vault: v, admin: admin}
}

// newCall files a call from the number from ("" for a withheld number), as
// the incoming-call webhook does.
func (e *privacyEnv) newCall(t *testing.T, org, clinic uuid.UUID, from string) store.CallRef {
	t.Helper()
	ref := store.CallRef{OrgID: org, ClinicID: clinic, CallSID: randomCallSID()}
	require.NoError(t, e.st.RecordCall(context.Background(), org, store.CallRecord{CallSID: ref.CallSID, ClinicID: clinic, Status: "in-progress", StartedAt: time.Now()}))
	if from != "" {
		require.NoError(t, e.st.RecordCallContact(context.Background(), store.ClinicRef{OrgID: org, ClinicID: clinic}, ref.CallSID, from))
	}
	return ref
}

// callWithPatient stores a caller's details and two turns for a new call
// from the number from, which must link it to a patient.
func (e *privacyEnv) callWithPatient(t *testing.T, org, clinic uuid.UUID, from string, f store.PatientFields, said string) (store.CallRef, uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	ref := e.newCall(t, org, clinic, from)
	link, err := e.st.RecordPatient(ctx, e.vault, ref, f, store.AuditEntry{Actor: "call:" + ref.CallSID, Action: store.AuditRoute, Detail: map[string]any{"field": "date_of_birth", "class": "identity"}})
	require.NoError(t, err)
	require.True(t, link.Linked(), "mismatch %q", link.Mismatch)
	id := link.PatientID
	for seq, text := range []string{said, "thank you"} {
		saved, err := e.st.SaveTurn(ctx, e.vault, ref, store.Turn{Seq: seq + 1, Speaker: "caller", AtMS: int64(seq) * 1000, Class: "medical",
			Entities: map[string]int{"MEDICAL_CONDITION": 1}, Body: store.TurnBody{Text: text, Fields: map[string]string{"reason_for_visit": text}}},
			store.AuditEntry{Actor: "call:" + ref.CallSID, Action: store.AuditRoute, Subject: store.CallSubject(ref.CallSID), Detail: map[string]any{"field": "text", "class": "medical"}})
		require.NoError(t, err)
		require.True(t, saved)
	}
	return ref, id
}

func TestPatientsTurnsAndErasure(t *testing.T) {
	e := newPrivacyEnv(t)
	ctx := context.Background()
	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "staff:dr-who", Role: "admin"}

	erased, erasedID := e.callWithPatient(t, store.DemoOrgA, store.DemoClinicA, "+447700900123",
		store.PatientFields{Name: "Jane Doe", Phone: "+447700900123", DateOfBirth: "1961-03-04", NationalID: "9434765919"}, "I have chest pains")
	kept, keptID := e.callWithPatient(t, store.DemoOrgA, store.DemoClinicA, "+447700900456",
		store.PatientFields{Name: "John Roe", Phone: "+447700900456", DateOfBirth: "1970-01-02"}, "I take metformin 500mg")
	require.NotEqual(t, erasedID, keptID)

	// The same caller again (her number agrees with the NHS number she gives) is the same patient.
	again, againID := e.callWithPatient(t, store.DemoOrgA, store.DemoClinicA, "+447700900123", store.PatientFields{NationalID: "9434765919"}, "about my chest pains again")
	require.Equal(t, erasedID, againID)

	// A retry of a turn stores nothing twice.
	saved, err := e.st.SaveTurn(ctx, e.vault, erased, store.Turn{Seq: 1, Speaker: "caller", Class: "medical", Body: store.TurnBody{Text: "dup"}})
	require.NoError(t, err)
	require.False(t, saved)

	p, err := e.st.ReadPatient(ctx, e.vault, staff, erasedID, "test: check stored identity")
	require.NoError(t, err)
	require.Equal(t, "Jane Doe", p.Fields.Name)
	require.Equal(t, "1961-03-04", p.Fields.DateOfBirth)
	require.Equal(t, "9434765919", p.Fields.NationalID)
	require.ElementsMatch(t, []string{erased.CallSID, again.CallSID}, p.Calls)

	turns, err := e.st.ReadTurns(ctx, e.vault, staff, erased.CallSID, "test")
	require.NoError(t, err)
	require.Equal(t, "I have chest pains", turns[0].Body.Text)

	// Identity and medical values are not in clear in any column.
	var leaks int
	require.NoError(t, e.admin.QueryRow(ctx, `select (select count(*) from app.patients p where p::text like '%9434765919%' or p::text like '%1961-03-04%')
		+ (select count(*) from app.call_turns c where c::text like '%chest%' or encode(c.body, 'escape') like '%chest%')`).Scan(&leaks))
	require.Zero(t, leaks)

	// A booking of the erased patient's call: the retained class.
	_, err = e.admin.Exec(ctx, `insert into app.bookings (org_id, clinic_id, slot_id, practitioner_id, procedure_id, during, call_sid)
		select s.org_id, s.clinic_id, s.id, s.practitioner_id, (select id from app.procedures where org_id = s.org_id limit 1), s.during, $2
		from app.slots s where s.org_id = $1 order by lower(s.during) limit 1`, store.DemoOrgA, erased.CallSID)
	require.NoError(t, err)

	// Capture a ciphertext before erasure, as a backup would hold it.
	var oldTurn []byte
	require.NoError(t, e.admin.QueryRow(ctx, `select body from app.call_turns where call_sid = $1 and seq = 1`, erased.CallSID).Scan(&oldTurn))

	rep, err := e.st.ErasePatient(ctx, e.vault, staff, erasedID, store.DefaultRetention, "patient request, ticket 42")
	require.NoError(t, err)
	require.Equal(t, 3, rep.KeysShredded, "the patient's key and both calls' keys")
	require.EqualValues(t, 4, rep.TurnsDeleted)
	require.EqualValues(t, 1, rep.BookingsKept)

	// Crypto-shredded: the old ciphertext no longer opens...
	_, err = e.vault.Decrypt(ctx, vault.AAD{OrgID: store.DemoOrgA.String(), Table: "app.call_turns", RowID: erased.CallSID + "/1", Column: "body"}, store.CallSubject(erased.CallSID), oldTurn)
	require.ErrorIs(t, err, vault.ErrKeyDestroyed)
	// ...while another patient's data still does.
	turns, err = e.st.ReadTurns(ctx, e.vault, staff, kept.CallSID, "test")
	require.NoError(t, err)
	require.Equal(t, "I take metformin 500mg", turns[0].Body.Text)
	p, err = e.st.ReadPatient(ctx, e.vault, staff, keptID, "test")
	require.NoError(t, err)
	require.Equal(t, "1970-01-02", p.Fields.DateOfBirth)

	// Contact data deleted, tombstone left; the retained class is kept.
	var name, phone *string
	var erasedAt *time.Time
	require.NoError(t, e.admin.QueryRow(ctx, `select name, phone, erased_at from app.patients where id = $1`, erasedID).Scan(&name, &phone, &erasedAt))
	require.Nil(t, name)
	require.Nil(t, phone)
	require.NotNil(t, erasedAt)
	var bookings, calls int
	require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from app.bookings where call_sid = $1`, erased.CallSID).Scan(&bookings))
	require.Equal(t, 1, bookings)
	require.NoError(t, e.admin.QueryRow(ctx, `select count(*) from app.calls where call_sid = any($1)`, []string{erased.CallSID, again.CallSID}).Scan(&calls))
	require.Equal(t, 2, calls, "operational call rows stay")

	// The erasure is in the audit log, and the chain is intact.
	rows, err := e.st.ListAudit(ctx, staff)
	require.NoError(t, err)
	var last store.AuditRow
	for _, r := range rows {
		if r.Action == store.AuditErase {
			last = r
		}
	}
	require.Equal(t, store.AuditErase, last.Action)
	require.Equal(t, erasedID.String(), last.Subject)
	require.Equal(t, "patient request, ticket 42", last.Reason)
	ver, err := e.st.VerifyAuditInTenant(ctx, staff)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)

	// Erasing again is harmless.
	rep, err = e.st.ErasePatient(ctx, e.vault, staff, erasedID, store.DefaultRetention, "retry")
	require.NoError(t, err)
	require.True(t, rep.AlreadyErased)
	// Another org cannot erase (or even see) the patient.
	_, err = e.st.ErasePatient(ctx, e.vault, store.Claims{OrgID: store.DemoOrgB, Sub: "x", Role: "admin"}, keptID, store.DefaultRetention, "attack")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]store.Retention{
		"": store.DefaultRetention, "none": {}, "bookings": {Bookings: true}, "bookings, medical": {Bookings: true, Medical: true},
	} {
		got, err := store.ParseRetention(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := store.ParseRetention("contact")
	require.Error(t, err)
}
