package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/sealed"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// TestRecordTurnRoutesAndEncrypts runs the turn activity on a real
// database: contact data lands in clear, identity and medical data only
// encrypted, payment nowhere, and the audit log holds decisions, not values.
func TestRecordTurnRoutesAndEncrypts(t *testing.T) {
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), vault.GenerateMasterKey())
	require.NoError(t, err)

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	a := &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})}
	env.RegisterActivity(a)
	org, sid := store.DemoOrgA.String(), fmt.Sprintf("CA%032x", 77)

	turn := func(seq int, req contract.TurnRequest) (contract.TurnResult, error) {
		t.Helper()
		plain, err := json.Marshal(req)
		require.NoError(t, err)
		sealed, err := sealed.Seal(ctx, v, org, sid, contract.PurposeTurnRequest, plain)
		require.NoError(t, err)
		val, err := env.ExecuteActivity(a.RecordTurn, activities.TurnInput{OrgID: org, ClinicID: store.DemoClinicA.String(), CallSID: sid, Seq: seq,
			Turn: contract.TurnUpdate{Speaker: req.Speaker, AtMS: req.AtMS, Sealed: sealed}})
		if err != nil {
			return contract.TurnResult{}, err
		}
		var res contract.TurnResult
		require.NoError(t, val.Get(&res))
		return res, nil
	}

	res, err := turn(1, contract.TurnRequest{Speaker: "caller", AtMS: 1200,
		Text: "Hi, I've had chest pains since Monday and I take metformin 500mg. My NHS number is 943 476 5919.",
		Fields: map[string]string{
			"caller_name": "Jane Doe", "callback_number": "07700 900123", "date_of_birth": "4th March 1961",
			"reason_for_visit": "chest pains", "card_number": "4111 1111 1111 1111", "nhs_number": "943 476 5919",
		}})
	require.NoError(t, err)
	require.Equal(t, "payment", res.Class, "a card number raises the turn to payment")
	require.Positive(t, res.Entities["MEDICAL_CONDITION"])
	answer, err := sealed.Open(ctx, v, res.Answer)
	require.NoError(t, err)
	require.Contains(t, string(answer), "chest pains", "the agent needs the symptom")
	require.NotContains(t, string(answer), "943 476 5919", "the agent never needs the NHS number")

	// Contact in clear on the patient; identity encrypted and readable by an authorised reader.
	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "staff:test", Role: "admin"}
	ids, err := st.PatientsOfCall(ctx, staff, sid)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	p, err := st.ReadPatient(ctx, v, staff, ids[0], "test")
	require.NoError(t, err)
	require.Equal(t, store.PatientFields{Name: "Jane Doe", Phone: "+447700900123", DateOfBirth: "1961-03-04", NationalID: "9434765919"}, p.Fields)

	turns, err := st.ReadTurns(ctx, v, staff, sid, "test")
	require.NoError(t, err)
	require.Len(t, turns, 1)
	require.Contains(t, turns[0].Body.Text, "metformin 500mg")
	require.Equal(t, map[string]string{"reason_for_visit": "chest pains"}, turns[0].Body.Fields, "contact, identity and payment fields are not in the turn")

	// Nothing planted is readable in the database without the vault.
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	defer admin.Close(ctx)
	var dump string
	require.NoError(t, admin.QueryRow(ctx, `select string_agg(x, ' ') from (
		select p::text x from app.patients p union all select t::text || encode(t.body, 'escape') from app.call_turns t
		union all select a::text from app.audit_log a) s`).Scan(&dump))
	// Whole values, not fragments: a four-digit fragment ("1961", "4111")
	// turns up by chance in the hex of random ciphertexts (CI saw it).
	for _, planted := range []string{"chest", "metformin", "9434765919", "943 476 5919", "1961-03-04", "March 1961",
		"4111 1111 1111 1111", "4111111111111111"} {
		require.NotContains(t, dump, planted)
	}
	require.Contains(t, dump, "Jane Doe", "contact data is clear by design")

	// The audit log has one decision per field and the text: types and counts.
	rows, err := st.ListAudit(ctx, staff)
	require.NoError(t, err)
	stored := map[string]string{}
	for _, r := range rows {
		if r.Action == store.AuditRoute {
			stored[r.Detail["field"].(string)] = r.Detail["stored"].(string)
		}
	}
	require.Equal(t, map[string]string{"caller_name": "clear", "callback_number": "clear", "date_of_birth": "encrypted+index",
		"nhs_number": "encrypted+index", "reason_for_visit": "encrypted", "card_number": "dropped", "text": "encrypted"}, stored)

	// A retry of the same turn writes nothing twice.
	before := len(rows)
	_, err = turn(1, contract.TurnRequest{Speaker: "caller", Text: "again", AtMS: 1200})
	require.NoError(t, err)
	rows, err = st.ListAudit(ctx, staff)
	require.NoError(t, err)
	require.Len(t, rows, before, "a retried turn adds no audit rows")

	// A turn sealed for another call does not open here.
	plain, _ := json.Marshal(contract.TurnRequest{Speaker: "caller", Text: "hello"})
	other, err := sealed.Seal(ctx, v, org, fmt.Sprintf("CA%032x", 78), contract.PurposeTurnRequest, plain)
	require.NoError(t, err)
	_, err = env.ExecuteActivity(a.RecordTurn, activities.TurnInput{OrgID: org, ClinicID: store.DemoClinicA.String(), CallSID: sid, Seq: 2,
		Turn: contract.TurnUpdate{Speaker: "caller", Sealed: other}})
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.Equal(t, contract.ErrTypeInvalidRequest, appErr.Type())
	require.False(t, strings.Contains(err.Error(), "hello"))
}

func TestTurnRequestValidate(t *testing.T) {
	ok := contract.TurnRequest{Speaker: "caller", Text: "hello"}
	require.NoError(t, ok.Validate())
	for name, r := range map[string]contract.TurnRequest{
		"empty":        {Speaker: "caller"},
		"blank":        {Speaker: "caller", Text: "   "},
		"speaker":      {Speaker: "nurse", Text: "hi"},
		"long text":    {Speaker: "caller", Text: strings.Repeat("a", contract.MaxTurnTextBytes+1)},
		"long field":   {Speaker: "caller", Fields: map[string]string{"x": strings.Repeat("a", contract.MaxTurnFieldBytes+1)}},
		"negative at":  {Speaker: "caller", Text: "hi", AtMS: -1},
		"invalid utf8": {Speaker: "caller", Text: "\xff"},
	} {
		require.Error(t, r.Validate(), name)
	}
}

// A turn whose identity claim is refused (issue 12, item 5) files nothing
// on any patient: the claimed values stay in the encrypted turn, where
// staff can read them, and each decision's audit row says why.
func TestRecordTurnKeepsRefusedClaimsInTheTurn(t *testing.T) {
	ctx := context.Background()
	_, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), vault.GenerateMasterKey())
	require.NoError(t, err)
	st.SetBlindIndexer(v)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	a := &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})}
	env.RegisterActivity(a)
	org := store.DemoOrgA.String()
	clinic := store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}

	turn := func(sid, from string, req contract.TurnRequest) {
		t.Helper()
		require.NoError(t, st.RecordCallContact(ctx, clinic, sid, from))
		plain, err := json.Marshal(req)
		require.NoError(t, err)
		s, err := sealed.Seal(ctx, v, org, sid, contract.PurposeTurnRequest, plain)
		require.NoError(t, err)
		_, err = env.ExecuteActivity(a.RecordTurn, activities.TurnInput{OrgID: org, ClinicID: store.DemoClinicA.String(), CallSID: sid, Seq: 1,
			Turn: contract.TurnUpdate{Speaker: req.Speaker, AtMS: req.AtMS, Sealed: s}})
		require.NoError(t, err)
	}
	victimCall, attackerCall := fmt.Sprintf("CA%032x", 1), fmt.Sprintf("CA%032x", 2)
	turn(victimCall, "+447700900123", contract.TurnRequest{Speaker: "caller", Text: "It's Jane.",
		Fields: map[string]string{"caller_name": "Jane Doe", "nhs_number": "943 476 5919"}})
	turn(attackerCall, "+447700900666", contract.TurnRequest{Speaker: "caller", Text: "I'd like to change my details.",
		Fields: map[string]string{"caller_name": "Mallory Evil", "callback_number": "07700 900666", "nhs_number": "943 476 5919"}})

	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "staff:test", Role: "admin"}
	ids, err := st.PatientsOfCall(ctx, staff, victimCall)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	p, err := st.ReadPatient(ctx, v, staff, ids[0], "test")
	require.NoError(t, err)
	require.Equal(t, store.PatientFields{Name: "Jane Doe", Phone: "+447700900123", NationalID: "9434765919"}, p.Fields)
	ids, err = st.PatientsOfCall(ctx, staff, attackerCall)
	require.NoError(t, err)
	require.Empty(t, ids)

	turns, err := st.ReadTurns(ctx, v, staff, attackerCall, "test")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"caller_name": "Mallory Evil", "callback_number": "07700 900666", "nhs_number": "943 476 5919"},
		turns[0].Body.Fields, "refused claims stay in the encrypted turn")

	rows, err := st.ListAudit(ctx, staff)
	require.NoError(t, err)
	notFiled := map[string]any{}
	for _, r := range rows {
		if r.Action == store.AuditRoute && r.Subject == store.CallSubject(attackerCall) {
			notFiled[r.Detail["field"].(string)] = r.Detail["not_filed"]
			if r.Detail["field"] != "text" {
				require.Equal(t, "encrypted", r.Detail["stored"])
				require.NotContains(t, r.Detail, "patient_id")
			}
		}
	}
	require.Equal(t, map[string]any{"caller_name": "unverified", "callback_number": "unverified", "nhs_number": "unverified", "text": nil}, notFiled)
}
