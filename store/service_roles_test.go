package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// TestAPIRoleCannotWriteWhatOnlyTheWorkerWrites is the database trust
// boundary: claims are the client's to set, so a leaked api credential can
// claim any org and role, but it cannot record calls, turns, patients,
// outgoing SMS or rendered guides, which only the worker writes. The
// worker's login, for its part, cannot store callers' numbers, which only
// the api writes. Each write is made through the store's own function, as
// the services make it, once per login.
func TestAPIRoleCannotWriteWhatOnlyTheWorkerWrites(t *testing.T) {
	ctx := context.Background()
	db, _ := testenv.DemoStore(t)
	open := func(url string) *store.Store {
		s, err := store.Open(ctx, url)
		require.NoError(t, err)
		t.Cleanup(s.Close)
		return s
	}
	api, worker := open(db.APIURL), open(db.WorkerURL)

	type write struct {
		name string
		do   func(st *store.Store, sid string) error
	}
	var proc uuid.UUID
	require.NoError(t, worker.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "t", Role: "staff"}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select id from app.procedures where clinic_id = $1 order by code limit 1`, store.DemoClinicA).Scan(&proc)
	}))
	vaultFor := func(st *store.Store) *vault.Vault {
		v, err := vault.New(st.KeyStore(), testenv.MasterKey())
		require.NoError(t, err)
		return v
	}
	ref := func(sid string) store.CallRef {
		return store.CallRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA, CallSID: sid}
	}
	workerOnly := []write{
		{"record a call", func(st *store.Store, sid string) error {
			return st.RecordCall(ctx, store.DemoOrgA, store.CallRecord{CallSID: sid, ClinicID: store.DemoClinicA, Status: "in-progress", StartedAt: time.Now()})
		}},
		{"end a call", func(st *store.Store, sid string) error {
			now := time.Now()
			return st.RecordCall(ctx, store.DemoOrgA, store.CallRecord{CallSID: sid, ClinicID: store.DemoClinicA, Status: "completed", Outcome: "completed", StartedAt: now, EndedAt: &now})
		}},
		{"save a transcript turn", func(st *store.Store, sid string) error {
			_, err := st.SaveTurn(ctx, vaultFor(st), ref(sid), store.Turn{Seq: 1, Speaker: "caller", Class: "medical", Body: store.TurnBody{Text: "forged"}})
			return err
		}},
		{"record a patient", func(st *store.Store, sid string) error {
			_, err := st.RecordPatient(ctx, vaultFor(st), ref(sid), store.PatientFields{Name: "Forged Name", Phone: "+447700900999"})
			return err
		}},
		{"queue an SMS", func(st *store.Store, sid string) error {
			_, err := st.ClaimOutbox(ctx, store.OutboxEntry{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA, CallSID: sid, Purpose: store.PurposeFollowUp, Body: "forged"}, proc)
			return err
		}},
		{"store a guide", func(st *store.Store, sid string) error {
			return st.SaveProcedureDocument(ctx, store.CallClaims(store.DemoOrgA, sid), proc, 99, []byte("%PDF forged"))
		}},
		{"record a routing decision", func(st *store.Store, sid string) error {
			return st.Audit(ctx, store.CallClaims(store.DemoOrgA, sid), store.AuditEntry{Action: store.AuditRoute, Subject: "call:" + sid})
		}},
	}
	apiOnly := []write{
		{"store a caller's number", func(st *store.Store, sid string) error {
			return st.RecordCallContact(ctx, store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}, sid, "+447700900123")
		}},
	}

	// The api login, with claims it chose, against the worker's writes.
	// Each case gets a call row (the worker's) and the caller's number (the
	// api's) first, so that only the login decides.
	for _, w := range workerOnly {
		t.Run("api cannot "+w.name, func(t *testing.T) {
			sid := newCallSID()
			require.NoError(t, worker.RecordCall(ctx, store.DemoOrgA, store.CallRecord{CallSID: sid, ClinicID: store.DemoClinicA, Status: "ringing", StartedAt: time.Now()}))
			require.NoError(t, api.RecordCallContact(ctx, store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}, sid, "+447700900123"))
			requireRefused(t, w.do(api, sid), w.name)
			// Positive control: the same write as the worker's login.
			require.NoError(t, w.do(worker, sid), "worker: %s", w.name)
		})
	}
	for _, w := range apiOnly {
		t.Run("worker cannot "+w.name, func(t *testing.T) {
			sid := newCallSID()
			requireRefused(t, w.do(worker, sid), w.name)
			require.NoError(t, w.do(api, sid), "api: %s", w.name)
		})
	}

	// Nothing of the refused writes is there.
	var calls, turns, patients int
	require.NoError(t, worker.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "t", Role: "staff"}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select (select count(*) from app.calls), (select count(*) from app.call_turns where subject_id like 'call:%'), (select count(*) from app.patients where name = 'Forged Name')`).Scan(&calls, &turns, &patients)
	}))
	require.Equal(t, len(workerOnly), calls, "one call row per case, written by the worker")
	require.Equal(t, 1, turns, "only the worker's turn")
	require.Equal(t, 1, patients, "only the worker's patient")
}

// requireRefused: row-level security (42501) or a privilege check refused
// the write.
func requireRefused(t *testing.T, err error, what string) {
	t.Helper()
	var pgErr *pgconn.PgError
	require.True(t, errors.As(err, &pgErr), "%s: want a refusal, got %v", what, err)
	require.Equal(t, "42501", pgErr.Code, "%s: %s", what, pgErr.Message)
}

func newCallSID() string {
	return "CA" + strings.ReplaceAll(uuid.NewString(), "-", "")
}
