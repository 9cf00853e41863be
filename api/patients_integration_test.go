package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
)

// patientSystem is the api with the staff, patient and follow-up routes,
// a worker with the vault and detector, Temporal and Postgres, all real.
type patientSystem struct {
	*system
	admin *pgx.Conn
	vault *vault.Vault
	turns starter.Turns
}

func startPatientSystem(t *testing.T) *patientSystem {
	t.Helper()
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	st.SetBlindIndexer(v)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(ctx) })

	tc := testenv.Client(t)
	w := worker.New(tc, &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	auth, err := api.NewAuthenticator(ctx, api.AuthConfig{HMACSecret: jwtSecret, Issuer: testIssuer, Audience: testAudience})
	require.NoError(t, err)
	patients, err := api.WithPatients(api.PatientsConfig{Auth: auth, Store: st, Vault: v, Retention: store.DefaultRetention})
	require.NoError(t, err)
	signer, err := followup.NewSigner([]byte(linkSecret), nil)
	require.NoError(t, err)
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	calls := starter.Calls{Client: tc}
	cfg := api.Config{PublicURL: srv.URL, TwilioAuthToken: testToken, MediaStreamURL: "wss://frontdesk.example/twilio/media"}
	handler = api.New(cfg, calls, st, func(context.Context) error { return nil }, testenv.Logger(t),
		api.WithStaffAPI(auth, st, calls), api.WithFollowUp(cfg, st, signer), patients)
	return &patientSystem{
		system: &system{t: t, url: srv.URL, temporal: tc, store: st},
		admin:  admin, vault: v, turns: starter.Turns{Calls: calls, Vault: v},
	}
}

// startCall rings the clinic of org A from a number, through the signed
// webhook, as Twilio does.
func (s *patientSystem) startCall(callSID, from string) {
	s.t.Helper()
	form := voiceForm(callSID, store.DemoNumberA)
	form.Set("From", from)
	code, body := s.post("/twilio/voice", testToken, form)
	require.Equal(s.t, http.StatusOK, code, body)
	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "in-progress", 0))
	require.Equal(s.t, http.StatusNoContent, code, body)
}

func (s *patientSystem) say(callSID string, n int, tr contract.TurnRequest) {
	s.t.Helper()
	_, err := s.turns.Turn(context.Background(), store.DemoOrgA.String(), callSID, fmt.Sprintf("turn-%d", n), tr, nil)
	require.NoError(s.t, err)
}

// hangUp completes the call and waits for its workflow to finish.
func (s *patientSystem) hangUp(callSID string) {
	s.t.Helper()
	code, body := s.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(s.t, http.StatusNoContent, code, body)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var final contract.CallState
	require.NoError(s.t, s.temporal.GetWorkflow(ctx, contract.CallSessionID(callSID), "").Get(ctx, &final))
}

// call is a whole call: ring, turns, hang up.
func (s *patientSystem) call(callSID, from string, turns ...contract.TurnRequest) {
	s.t.Helper()
	s.startCall(callSID, from)
	for i, tr := range turns {
		s.say(callSID, i+1, tr)
	}
	s.hangUp(callSID)
}

// request calls the staff API and decodes the JSON answer into out.
func (s *patientSystem) request(method, path, token, body string, out any) int {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(s.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if resp.StatusCode == http.StatusOK {
		require.Equal(s.t, "no-store", resp.Header.Get("Cache-Control"), "personal data is never cached")
	}
	if out != nil && len(raw) > 0 {
		require.NoError(s.t, json.Unmarshal(raw, out), string(raw))
	}
	return resp.StatusCode
}

func token(org uuid.UUID, role string) func(*testing.T) string {
	return func(t *testing.T) string {
		return hs(t, claims(org, func(c *api.StaffClaims) { c.Role = role; c.Subject = role + "@" + org.String()[:2] }))
	}
}

func findPath(phone string) string { return "/v1/patients?phone=" + url.QueryEscape(phone) }

func sid(n int) string { return fmt.Sprintf("CA%032x", 0x5000+n) }

const janeNumber = "+447700900123"

var janeFirstCall = []contract.TurnRequest{
	{Speaker: "agent", Text: "Northgate Clinic, how can I help?", AtMS: 400},
	{Speaker: "caller", Text: "Hi, this is Jane Doe, I've had chest pains since Monday.", AtMS: 3100,
		Fields: map[string]string{"caller_name": "Jane Doe", "reason_for_visit": "chest pains"}},
	{Speaker: "caller", Text: "My NHS number is 943 476 5919, born 4th March 1961.", AtMS: 7900,
		Fields: map[string]string{"nhs_number": "943 476 5919", "date_of_birth": "4th March 1961"}},
}

// The patient's rights through the staff API (issue 14): find, read,
// export (with the planted turn decrypted for the right clinic only) and
// erase, each for the right role only, 404 for another clinic's token; an
// erasure through the API leaves the export empty and the keys destroyed,
// and a replayed webhook cannot bring the number back (issue 12, item 8).
func TestPatientRightsThroughTheStaffAPI(t *testing.T) {
	s := startPatientSystem(t)
	ctx := context.Background()
	staffA, adminA, opsA := token(store.DemoOrgA, "staff")(t), token(store.DemoOrgA, "admin")(t), token(store.DemoOrgA, "ops")(t)
	adminB, staffB := token(store.DemoOrgB, "admin")(t), token(store.DemoOrgB, "staff")(t)

	s.call(sid(1), janeNumber, janeFirstCall...)
	// A second call from her number that never says who is calling.
	s.call(sid(2), janeNumber, contract.TurnRequest{Speaker: "caller", Text: "Is the clinic open on Saturday?", AtMS: 900})

	// Find by number: staff and admin; not ops; not another clinic.
	var found struct {
		Patient store.PatientSummary `json:"patient"`
	}
	require.Equal(t, http.StatusOK, s.request("GET", findPath(janeNumber), staffA, "", &found))
	id := found.Patient.ID
	require.NotEqual(t, uuid.Nil, id)
	require.Equal(t, "Jane Doe", found.Patient.Name)
	require.Equal(t, 1, found.Patient.Calls)
	require.Equal(t, http.StatusOK, s.request("GET", findPath(janeNumber), adminA, "", nil))
	require.Equal(t, http.StatusForbidden, s.request("GET", findPath(janeNumber), opsA, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", findPath(janeNumber), adminB, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", findPath("+447700900999"), staffA, "", nil))
	require.Equal(t, http.StatusBadRequest, s.request("GET", findPath("07700 900123"), staffA, "", nil))
	require.Equal(t, http.StatusUnauthorized, s.request("GET", findPath(janeNumber), "", "", nil))
	require.Equal(t, http.StatusUnauthorized, s.request("GET", findPath(janeNumber), "garbage", "", nil))

	// Read: identifiers decrypted for staff of her clinic only.
	var read struct {
		Patient store.PatientRecord `json:"patient"`
	}
	patientPath := "/v1/patients/" + id.String()
	require.Equal(t, http.StatusOK, s.request("GET", patientPath, staffA, "", &read))
	require.Equal(t, "9434765919", read.Patient.NationalID)
	require.Equal(t, "1961-03-04", read.Patient.DateOfBirth)
	require.Equal(t, janeNumber, read.Patient.Phone)
	require.Equal(t, []string{sid(1)}, read.Patient.Calls)
	require.Equal(t, http.StatusForbidden, s.request("GET", patientPath, opsA, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", patientPath, adminB, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", patientPath, staffB, "", nil))
	require.Equal(t, http.StatusBadRequest, s.request("GET", "/v1/patients/not-a-uuid", staffA, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", "/v1/patients/"+uuid.NewString(), staffA, "", nil))

	// Export: admin only; the planted turn decrypted for her clinic.
	exportPath := patientPath + "/export"
	require.Equal(t, http.StatusForbidden, s.request("GET", exportPath, staffA, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("GET", exportPath, adminB, "", nil))
	var ex store.PatientExport
	require.Equal(t, http.StatusOK, s.request("GET", exportPath, adminA, "", &ex))
	require.Equal(t, store.ExportFormat, ex.Format)
	require.Equal(t, id, ex.Patient.ID)
	require.Equal(t, "9434765919", ex.Patient.NationalID)
	require.Len(t, ex.Calls, 2)
	first, second := ex.Calls[0], ex.Calls[1]
	require.Equal(t, sid(1), first.CallSID)
	require.True(t, first.Linked)
	require.Equal(t, store.TurnsReadable, first.TurnsState)
	require.Equal(t, janeNumber, first.CallerPhone)
	require.Len(t, first.Turns, 3)
	require.Equal(t, "Hi, this is Jane Doe, I've had chest pains since Monday.", first.Turns[1].Body.Text)
	require.Equal(t, "chest pains", first.Turns[1].Body.Fields["reason_for_visit"])
	require.Equal(t, sid(2), second.CallSID)
	require.False(t, second.Linked)
	require.Equal(t, store.TurnsNotLinked, second.TurnsState)
	require.Empty(t, second.Turns, "an unlinked call's turns may be someone else's")
	actions := map[string]int{}
	for _, r := range ex.Audit {
		actions[r.Action]++
	}
	require.Positive(t, actions[store.AuditRoute], "routing decisions of her turns")
	require.Equal(t, 2, actions[store.AuditPatientFind], "both successful lookups")
	require.Positive(t, actions[store.AuditDecrypt])
	require.Equal(t, 1, actions[store.AuditPatientExport], "this export itself")
	var ciphertext []byte
	require.NoError(t, s.admin.QueryRow(ctx, `select body from app.call_turns where call_sid = $1 and seq = 2`, sid(1)).Scan(&ciphertext))

	// Erase: admin only; another clinic's admin cannot touch her.
	require.Equal(t, http.StatusForbidden, s.request("DELETE", patientPath, staffA, "", nil))
	require.Equal(t, http.StatusNotFound, s.request("DELETE", patientPath, adminB, "", nil))
	require.Equal(t, http.StatusBadRequest, s.request("DELETE", patientPath, adminA, `{"reason": "two\nlines"}`, nil))
	require.Equal(t, http.StatusOK, s.request("GET", patientPath, staffA, "", &read), "still there after the refusals")
	require.Equal(t, "Jane Doe", read.Patient.Name)
	var erased struct {
		Erasure store.ErasureReport `json:"erasure"`
	}
	require.Equal(t, http.StatusOK, s.request("DELETE", patientPath, adminA, `{"reason": "ticket 12"}`, &erased))
	require.Equal(t, []string{sid(1)}, erased.Erasure.Calls)
	require.Equal(t, []string{sid(2)}, erased.Erasure.UnlinkedCalls)
	require.Equal(t, 2, erased.Erasure.KeysShredded, "the patient's key and her call's key")

	// The export is empty: a tombstone and the audit trail, nothing else.
	ex = store.PatientExport{}
	require.Equal(t, http.StatusOK, s.request("GET", exportPath, adminA, "", &ex))
	require.True(t, ex.Patient.Erased)
	require.Equal(t, store.PatientRecord{ID: id, Calls: []string{}, Erased: true, CreatedAt: ex.Patient.CreatedAt, UpdatedAt: ex.Patient.UpdatedAt, ErasedAt: ex.Patient.ErasedAt}, ex.Patient)
	require.Empty(t, ex.Calls)
	require.Empty(t, ex.Bookings)
	require.Empty(t, ex.SMS)
	require.Empty(t, ex.SMSOptOuts)
	var eraseRow store.AuditRow
	for _, r := range ex.Audit {
		if r.Action == store.AuditErase {
			eraseRow = r
		}
	}
	require.Equal(t, "ticket 12", eraseRow.Reason)
	require.Equal(t, http.StatusNotFound, s.request("GET", findPath(janeNumber), staffA, "", nil))

	// The keys are destroyed: no key rows, and the turn a backup would
	// still hold no longer opens.
	var keys int
	require.NoError(t, s.admin.QueryRow(ctx, `select count(*) from app.data_keys where subject_id = any($1)`,
		[]string{id.String(), store.CallSubject(sid(1))}).Scan(&keys))
	require.Zero(t, keys)
	_, err := s.vault.Decrypt(ctx, vault.AAD{OrgID: store.DemoOrgA.String(), Table: "app.call_turns", RowID: sid(1) + "/2", Column: "body"},
		store.CallSubject(sid(1)), ciphertext)
	require.ErrorIs(t, err, vault.ErrKeyDestroyed)

	// Her number is gone from both calls' contact rows, and a replayed
	// incoming-call webhook of either call does not bring it back.
	require.Zero(t, s.numberRows(janeNumber))
	var ended int
	require.NoError(t, s.admin.QueryRow(ctx, `select count(*) from app.calls where call_sid = any($1) and ended_at is not null`, []string{sid(1), sid(2)}).Scan(&ended))
	require.Equal(t, 2, ended)
	for _, c := range []string{sid(1), sid(2)} {
		form := voiceForm(c, store.DemoNumberA)
		form.Set("From", janeNumber)
		s.post("/twilio/voice", testToken, form) // whatever it answers, it must write nothing
	}
	require.Zero(t, s.numberRows(janeNumber), "a replayed webhook re-inserted the erased number")
}

// numberRows counts contact rows and patients holding the number.
func (s *patientSystem) numberRows(number string) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.admin.QueryRow(context.Background(), `select (select count(*) from app.call_contacts where caller_phone = $1)
		+ (select count(*) from app.patients where phone = $1) + (select count(*) from app.sms_opt_outs where phone = $1)`, number).Scan(&n))
	return n
}

// The review's probe through a real call (issue 12, item 5): a caller who
// gives another patient's NHS number from their own phone is not linked to
// her, changes nothing of hers, and the attempt is in her export.
func TestCallerClaimingAnotherPatientsNHSNumber(t *testing.T) {
	s := startPatientSystem(t)
	staffA, adminA := token(store.DemoOrgA, "staff")(t), token(store.DemoOrgA, "admin")(t)
	s.call(sid(10), janeNumber, janeFirstCall...)
	s.call(sid(11), "+447700900666", contract.TurnRequest{Speaker: "caller", AtMS: 1200,
		Text:   "Hello, I need to update my details, my NHS number is 943 476 5919 and my name is Mallory Evil.",
		Fields: map[string]string{"nhs_number": "943 476 5919", "caller_name": "Mallory Evil", "callback_number": "07700 900666"}})

	var found struct {
		Patient store.PatientSummary `json:"patient"`
	}
	require.Equal(t, http.StatusOK, s.request("GET", findPath(janeNumber), staffA, "", &found))
	var read struct {
		Patient store.PatientRecord `json:"patient"`
	}
	require.Equal(t, http.StatusOK, s.request("GET", "/v1/patients/"+found.Patient.ID.String(), staffA, "", &read))
	require.Equal(t, "Jane Doe", read.Patient.Name, "her name is not overwritten")
	require.Equal(t, janeNumber, read.Patient.Phone, "nor her number")
	require.Equal(t, []string{sid(10)}, read.Patient.Calls, "the attacker's call is not linked to her")
	require.Equal(t, http.StatusNotFound, s.request("GET", findPath("+447700900666"), staffA, "", nil), "nor to anyone")

	var ex store.PatientExport
	require.Equal(t, http.StatusOK, s.request("GET", "/v1/patients/"+found.Patient.ID.String()+"/export", adminA, "", &ex))
	var mismatch *store.AuditRow
	for i, r := range ex.Audit {
		if r.Action == store.AuditIdentityMismatch {
			mismatch = &ex.Audit[i]
		}
	}
	require.NotNil(t, mismatch, "the attempt is in her export")
	require.Equal(t, sid(11), mismatch.Detail["call_sid"])
	require.Equal(t, store.MismatchUnverified, mismatch.Detail["reason"])
	raw, err := json.Marshal(mismatch)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "Mallory")
	require.NotContains(t, string(raw), "9434765919")
}

// Two concurrent first calls from one number create one patient (issue
// 14), through the webhook, the workflows and the turn activity.
func TestConcurrentFirstCallsCreateOnePatient(t *testing.T) {
	s := startPatientSystem(t)
	staffA := token(store.DemoOrgA, "staff")(t)
	const number = "+447700900321"
	calls := []string{sid(20), sid(21), sid(22)}
	for _, c := range calls {
		s.startCall(c, number)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, len(calls))
	for i, c := range calls {
		wg.Go(func() {
			<-start
			_, errs[i] = s.turns.Turn(context.Background(), store.DemoOrgA.String(), c, "turn-1",
				contract.TurnRequest{Speaker: "caller", Text: "Hi, it's Sam Lee, I'd like to book a blood test.", AtMS: 800,
					Fields: map[string]string{"caller_name": "Sam Lee"}}, nil)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	for _, c := range calls {
		s.hangUp(c)
	}
	var n int
	require.NoError(t, s.admin.QueryRow(context.Background(), `select count(*) from app.patients where phone = $1`, number).Scan(&n))
	require.Equal(t, 1, n, "one patient for the number")
	var found struct {
		Patient store.PatientSummary `json:"patient"`
	}
	require.Equal(t, http.StatusOK, s.request("GET", findPath(number), staffA, "", &found))
	require.Equal(t, len(calls), found.Patient.Calls, "every call linked to that patient")
}

// The retention workflow runs from a daily Schedule (created idempotently,
// short catch-up window, overlaps skipped); a triggered run removes the
// turns past the clinic's period, including a call never linked to a
// patient, and nothing younger.
func TestRetentionScheduleRemovesWhatIsPastRetention(t *testing.T) {
	testStart := time.Now().Add(-time.Second)
	s := startPatientSystem(t)
	ctx := context.Background()
	adminA := token(store.DemoOrgA, "admin")(t)
	require.NoError(t, starter.EnsureRetentionSchedule(ctx, s.temporal))
	require.NoError(t, starter.EnsureRetentionSchedule(ctx, s.temporal), "a second worker starting finds the schedule")
	handle := s.temporal.ScheduleClient().GetHandle(ctx, contract.RetentionScheduleID)
	t.Cleanup(func() { _ = handle.Delete(context.Background()) })
	desc, err := handle.Describe(ctx)
	require.NoError(t, err)
	require.Equal(t, starter.RetentionCatchupWindow, desc.Schedule.Policy.CatchupWindow)
	require.Equal(t, time.Hour, desc.Schedule.Policy.CatchupWindow)
	require.Len(t, desc.Schedule.Spec.Calendars, 1, "one run a day")
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok)
	require.Equal(t, contract.WorkflowRetention, action.Workflow)
	require.Len(t, desc.Info.NextActionTimes, 10)
	for i := 1; i < len(desc.Info.NextActionTimes); i++ {
		require.Equal(t, 24*time.Hour, desc.Info.NextActionTimes[i].Sub(desc.Info.NextActionTimes[i-1]), "daily")
	}

	// Jane's first call was 31 days ago; a call never linked to anyone 40
	// days ago; her second call 29 days ago.
	s.call(sid(30), janeNumber, janeFirstCall...)
	s.call(sid(31), "+447700900777", contract.TurnRequest{Speaker: "caller", Text: "Do you do flu jabs?", AtMS: 700})
	s.call(sid(32), janeNumber, contract.TurnRequest{Speaker: "caller", Text: "It's Jane Doe again, the pains are back.", AtMS: 900,
		Fields: map[string]string{"caller_name": "Jane Doe"}})
	age := func(callSID string, days int) {
		_, err := s.admin.Exec(ctx, `update app.calls set started_at = now() - make_interval(days => $2), ended_at = now() - make_interval(days => $2) + interval '5 minutes'
			where call_sid = $1`, callSID, days)
		require.NoError(t, err)
	}
	age(sid(30), 31)
	age(sid(31), 40)
	age(sid(32), 29)

	require.NoError(t, handle.Trigger(ctx, client.ScheduleTriggerOptions{}))
	var run client.WorkflowRun
	require.Eventually(t, func() bool {
		d, err := handle.Describe(ctx)
		if err != nil || len(d.Info.RecentActions) == 0 {
			return false
		}
		res := d.Info.RecentActions[0].StartWorkflowResult
		run = s.temporal.GetWorkflow(ctx, res.WorkflowID, res.FirstExecutionRunID)
		return true
	}, 20*time.Second, 100*time.Millisecond, "the triggered run starts")
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var res contract.RetentionResult
	require.NoError(t, run.Get(wctx, &res))
	require.Equal(t, 2, res.Calls, "Jane's old call and the unlinked one")
	require.Equal(t, 2, res.KeysShredded)
	require.EqualValues(t, len(janeFirstCall)+1, res.TurnsDeleted)
	require.True(t, strings.HasPrefix(run.GetID(), contract.RetentionWorkflowID+"-"), run.GetID())
	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, s.temporal, run.GetID(), filepath.Join(dir, "retention_daily.json"))
	}

	left := map[string]int{}
	rows, err := s.admin.Query(ctx, `select call_sid, count(*) from app.call_turns where call_sid = any($1) group by call_sid`, []string{sid(30), sid(31), sid(32)})
	require.NoError(t, err)
	for rows.Next() {
		var c string
		var n int
		require.NoError(t, rows.Scan(&c, &n))
		left[c] = n
	}
	require.NoError(t, rows.Err())
	require.Equal(t, map[string]int{sid(32): 1}, left, "only the younger call keeps its turns")
	var keys []string
	require.NoError(t, pgx.BeginFunc(ctx, s.admin, func(tx pgx.Tx) error {
		r, err := tx.Query(ctx, `select subject_id from app.data_keys where subject_id = any($1) order by 1`,
			[]string{store.CallSubject(sid(30)), store.CallSubject(sid(31)), store.CallSubject(sid(32))})
		if err != nil {
			return err
		}
		keys, err = pgx.CollectRows(r, pgx.RowTo[string])
		return err
	}))
	require.Equal(t, []string{store.CallSubject(sid(32))}, keys, "the old calls' keys are shredded")

	// Her export says so; the younger call is still readable.
	var found struct {
		Patient store.PatientSummary `json:"patient"`
	}
	require.Equal(t, http.StatusOK, s.request("GET", findPath(janeNumber), adminA, "", &found))
	var ex store.PatientExport
	require.Equal(t, http.StatusOK, s.request("GET", "/v1/patients/"+found.Patient.ID.String()+"/export", adminA, "", &ex))
	require.Len(t, ex.Calls, 2)
	require.Equal(t, store.TurnsPurged, ex.Calls[0].TurnsState)
	require.Empty(t, ex.Calls[0].Turns)
	require.Equal(t, store.TurnsReadable, ex.Calls[1].TurnsState)
	require.Equal(t, "It's Jane Doe again, the pains are back.", ex.Calls[1].Turns[0].Body.Text)

	// One workflow for the day in the list, and the purge is audited.
	var purge *store.AuditRow
	audit, err := s.store.ListAudit(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "admin"})
	require.NoError(t, err)
	for i, r := range audit {
		if r.Action == store.AuditRetentionPurge {
			require.Nil(t, purge, "one audit row for the clinic's purge")
			purge = &audit[i]
		}
	}
	require.NotNil(t, purge)
	require.ElementsMatch(t, []any{sid(30), sid(31)}, purge.Detail["calls"])
	require.Eventually(t, func() bool {
		list, err := s.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowType = '%s' AND StartTime >= '%s'", contract.WorkflowRetention, testStart.UTC().Format(time.RFC3339))})
		return err == nil && len(list.Executions) == 1
	}, 10*time.Second, 200*time.Millisecond, "one retention workflow for the run")
}
