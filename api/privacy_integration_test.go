package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
)

// Planted in the call below; none may appear in clear in the database dump
// or the call's Temporal history.
var planted = []string{"chest pains", "metformin", "943 476 5919", "9434765919", "1961-03-04", "4th March 1961", "shortness of breath"}

// privacySystem is the api with the codec endpoint, a worker with the
// vault and detector, Temporal and Postgres, all real.
type privacySystem struct {
	*system
	db    *testenv.Database
	vault *vault.Vault
	turns starter.Turns
}

func startPrivacySystem(t *testing.T) *privacySystem {
	t.Helper()
	ctx := context.Background()
	db, st := testenv.DemoStore(t)
	v, err := vault.New(st.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)

	tc := testenv.Client(t)
	w := worker.New(tc, &activities.Activities{Store: st, Vault: v, PII: pii.NewDetector(pii.Options{})})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	auth, err := api.NewAuthenticator(ctx, api.AuthConfig{HMACSecret: jwtSecret, Issuer: testIssuer, Audience: testAudience})
	require.NoError(t, err)
	codec, err := api.WithCodec(api.CodecConfig{Codec: testenv.PayloadCodec(), Vault: v, Auth: auth, Audit: st, UIURL: "http://127.0.0.1:8233"})
	require.NoError(t, err)
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	calls := starter.Calls{Client: tc}
	handler = api.New(api.Config{PublicURL: srv.URL, TwilioAuthToken: testToken, MediaStreamURL: "wss://frontdesk.example/twilio/media"},
		calls, st, func(context.Context) error { return nil }, testenv.Logger(t), codec)
	return &privacySystem{
		system: &system{t: t, url: srv.URL, temporal: tc, store: st},
		db:     db, vault: v, turns: starter.Turns{Calls: calls, Vault: v},
	}
}

func opsToken(t *testing.T, role string) string {
	return hs(t, claims(store.DemoOrgA, func(c *api.StaffClaims) { c.Role = role; c.Subject = role + "-1" }))
}

// decode posts payloads to /codec/decode as the Web UI does.
func (s *privacySystem) decode(token string, payloads []json.RawMessage) (int, []byte) {
	s.t.Helper()
	body, err := json.Marshal(map[string]any{"payloads": payloads})
	require.NoError(s.t, err)
	req, err := http.NewRequest(http.MethodPost, s.url+"/codec/decode", bytes.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Namespace", "default")
	req.Header.Set("Origin", "http://127.0.0.1:8233")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		require.Equal(s.t, "http://127.0.0.1:8233", resp.Header.Get("Access-Control-Allow-Origin"), "CORS grant for the Web UI")
	}
	return resp.StatusCode, raw
}

// payloadsIn collects every payload object of a history in JSON.
func payloadsIn(v any, out *[]json.RawMessage) {
	switch x := v.(type) {
	case map[string]any:
		if ps, ok := x["payloads"].([]any); ok {
			for _, p := range ps {
				raw, _ := json.Marshal(p)
				*out = append(*out, raw)
			}
		}
		for _, e := range x {
			payloadsIn(e, out)
		}
	case []any:
		for _, e := range x {
			payloadsIn(e, out)
		}
	}
}

// clearText renders decoded payloads (base64 data) as text to search.
func clearText(t *testing.T, body []byte) string {
	var resp struct {
		Payloads []struct {
			Data string `json:"data"`
		} `json:"payloads"`
	}
	require.NoError(t, json.Unmarshal(body, &resp), string(body))
	var b strings.Builder
	for _, p := range resp.Payloads {
		d, err := base64.StdEncoding.DecodeString(p.Data)
		require.NoError(t, err)
		b.Write(d)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestCallWithMedicalTalkLeavesNothingInClear(t *testing.T) {
	s := startPrivacySystem(t)
	ctx := context.Background()
	callSID := newCallSID()
	org := store.DemoOrgA.String()

	code, body := s.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "in-progress", 0))
	require.Equal(t, http.StatusNoContent, code, body)

	turns := []contract.TurnRequest{
		{Speaker: "agent", Text: "Northgate Clinic, how can I help?", AtMS: 500},
		{Speaker: "caller", Text: "Hi, I'm Jane Doe. I've had chest pains and some shortness of breath since Monday.", AtMS: 4200,
			Fields: map[string]string{"caller_name": "Jane Doe", "reason_for_visit": "chest pains, shortness of breath"}},
		{Speaker: "caller", Text: "I take metformin 500mg twice a day. My NHS number is 943 476 5919 and I was born on the 4th March 1961.", AtMS: 9100,
			Fields: map[string]string{"date_of_birth": "4th March 1961", "nhs_number": "943 476 5919", "callback_number": "07700 900123"}},
	}
	var answers []starter.TurnAnswer
	for i, tr := range turns {
		a, err := s.turns.Turn(ctx, org, callSID, fmt.Sprintf("turn-%d", i+1), tr, nil)
		require.NoError(t, err)
		answers = append(answers, a)
	}
	require.Equal(t, 3, answers[2].Seq)
	require.Equal(t, "medical", answers[2].Class)
	require.Contains(t, answers[2].Text, "metformin 500mg", "the agent sees what it needs")
	require.NotContains(t, answers[2].Text, "943 476 5919", "and not the NHS number")
	require.Positive(t, answers[2].Entities["MEDICATION"])

	// A malformed turn is refused before it reaches the history.
	_, err := s.turns.Turn(ctx, org, callSID, "turn-bad", contract.TurnRequest{Speaker: "caller"}, nil)
	require.ErrorIs(t, err, starter.ErrUpdateRejected)

	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code, body)
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var final contract.CallState
	require.NoError(t, s.temporal.GetWorkflow(wctx, contract.CallSessionID(callSID), "").Get(wctx, &final))
	require.Equal(t, contract.OutcomeCompleted, final.Outcome)
	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, s.temporal, contract.CallSessionID(callSID), filepath.Join(dir, "callsession_turns.json"))
	}

	// 1. The database dump holds none of it in clear.
	dump, err := exec.Command("pg_dump", "--data-only", s.db.AdminURL).CombinedOutput()
	require.NoError(t, err, string(dump))
	require.Contains(t, string(dump), "Jane Doe", "contact data is clear by design (the dump is real)")
	for _, p := range planted {
		require.NotContains(t, string(dump), p, "pg_dump")
	}

	// 2. Nor does the call's Temporal history, as the CLI shows it.
	bin, err := devenv.TemporalBinary()
	require.NoError(t, err)
	hist, err := exec.Command(bin, "workflow", "show", "--output", "json", "--address", testenv.Temporal(t), "-w", contract.CallSessionID(callSID)).Output()
	require.NoError(t, err)
	require.Contains(t, string(hist), "WORKFLOW_EXECUTION_UPDATE_ACCEPTED", "the turns are in the history")
	var histJSON any
	require.NoError(t, json.Unmarshal(hist, &histJSON))
	var payloads []json.RawMessage
	payloadsIn(histJSON, &payloads)
	require.NotEmpty(t, payloads)
	rawText := string(hist) + decodeAllBase64(payloads)
	for _, p := range planted {
		require.NotContains(t, rawText, p, "temporal workflow show")
	}

	// 3. The codec endpoint: refused without a token and for a staff token...
	code, _ = s.decode("", payloads)
	require.Equal(t, http.StatusUnauthorized, code)
	code, _ = s.decode("not-a-token", payloads)
	require.Equal(t, http.StatusUnauthorized, code)
	code, _ = s.decode(opsToken(t, "staff"), payloads)
	require.Equal(t, http.StatusForbidden, code)
	// ...and an ops token sees what was said.
	code, body2 := s.decode(opsToken(t, "ops"), payloads)
	require.Equal(t, http.StatusOK, code, string(body2))
	decoded := clearText(t, body2)
	require.Contains(t, decoded, "chest pains")
	require.Contains(t, decoded, "metformin 500mg")
	// An ops token of another org opens nothing: not the call's seal, not
	// even the payload codec's layer (ids, timings, turn classes).
	otherOps := hs(t, claims(store.DemoOrgB, func(c *api.StaffClaims) { c.Role = "ops" }))
	code, body2 = s.decode(otherOps, payloads)
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, clearText(t, body2), "chest pains")
	require.NotContains(t, clearText(t, body2), callSID, "org A's payloads stay encrypted for org B's ops")

	// Each decode is in the audit log; the refused staff token too.
	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "auditor", Role: "admin"}
	rows, err := s.store.ListAudit(ctx, staff)
	require.NoError(t, err)
	actions := map[string]int{}
	for _, r := range rows {
		actions[r.Action]++
		require.NotContains(t, r.Detail, "value")
	}
	require.Equal(t, 1, actions[store.AuditCodecDecode])
	require.Equal(t, 1, actions[store.AuditCodecDenied])
	require.Equal(t, 1+3+4, actions[store.AuditRoute], "one decision per field and per text of each turn")

	// 4. Erasure reaches the history: the same payloads no longer open.
	ids, err := s.store.PatientsOfCall(ctx, staff, callSID)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	_, err = s.store.ErasePatient(ctx, s.vault, staff, ids[0], store.DefaultRetention, "test erasure")
	require.NoError(t, err)
	code, body2 = s.decode(opsToken(t, "ops"), payloads)
	require.Equal(t, http.StatusOK, code)
	after := clearText(t, body2)
	require.NotContains(t, after, "chest pains")
	require.NotContains(t, after, "metformin")
	require.Contains(t, after, `"erased"`)

	ver, err := s.store.VerifyAuditInTenant(ctx, staff)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)

	// The history still replays after erasure: workflow code never opens the seal.
	require.NoError(t, replayWithCodec(t, s.temporal, contract.CallSessionID(callSID)))
}

func decodeAllBase64(payloads []json.RawMessage) string {
	var b strings.Builder
	for _, raw := range payloads {
		var p struct {
			Data string `json:"data"`
		}
		_ = json.Unmarshal(raw, &p)
		d, _ := base64.StdEncoding.DecodeString(p.Data)
		b.Write(d)
	}
	return b.String()
}

// replayWithCodec replays a finished workflow's history with the
// encrypting converter, as workflows/replay_test.go does with recorded ones.
func replayWithCodec(t *testing.T, c client.Client, workflowID string) error {
	t.Helper()
	replayer, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{DataConverter: vault.NewDataConverter(testenv.PayloadCodec())})
	require.NoError(t, err)
	worker.RegisterWorkflows(replayer)
	iter := c.GetWorkflowHistory(context.Background(), workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	hist := &historypb.History{}
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		hist.Events = append(hist.Events, ev)
	}
	return replayer.ReplayWorkflowHistory(nil, hist)
}
