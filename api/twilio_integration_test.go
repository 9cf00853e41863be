package api_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/worker"
)

const testToken = "test-twilio-auth-token"

// system is the api, a worker, Temporal and Postgres, all real.
type system struct {
	t        *testing.T
	url      string
	temporal client.Client
	store    *store.Store
}

func startSystem(t *testing.T) *system {
	t.Helper()
	_, st := testenv.DemoStore(t)

	tc := testenv.Client(t)
	w := worker.New(tc, &activities.Activities{Store: st})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	handler = api.New(api.Config{
		PublicURL:       srv.URL,
		TwilioAuthToken: testToken,
		MediaStreamURL:  "wss://frontdesk.example/twilio/media",
	}, starter.Calls{Client: tc}, st, func(context.Context) error { return nil }, testenv.Logger(t))
	return &system{t: t, url: srv.URL, temporal: tc, store: st}
}

// post sends a form the way Twilio does, signed with token over the public
// URL of path.
func (s *system) post(path, token string, form url.Values) (int, string) {
	s.t.Helper()
	u := s.url + path
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set(api.SignatureHeader, api.TwilioSignature(token, u, form))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (s *system) workflowExists(callSID string) bool {
	_, err := s.temporal.DescribeWorkflowExecution(context.Background(), contract.CallSessionID(callSID), "")
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return false
	}
	require.NoError(s.t, err)
	return true
}

func voiceForm(callSID, to string) url.Values {
	return url.Values{"CallSid": {callSID}, "AccountSid": {"AC00000000000000000000000000000000"},
		"From": {"+447700900123"}, "To": {to}, "CallStatus": {"ringing"}, "Direction": {"inbound"}}
}

func statusForm(callSID, status string, seq int) url.Values {
	return url.Values{"CallSid": {callSID}, "CallStatus": {status}, "SequenceNumber": {strconv.Itoa(seq)}}
}

func TestCallLifecycleThroughSignedWebhooks(t *testing.T) {
	s := startSystem(t)
	callSID := newCallSID()

	code, body := s.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	var doc struct {
		Stream struct {
			URL    string `xml:"url,attr"`
			Params []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"Parameter"`
		} `xml:"Connect>Stream"`
	}
	require.NoError(t, xml.Unmarshal([]byte(body), &doc), body)
	require.Equal(t, "wss://frontdesk.example/twilio/media", doc.Stream.URL)
	params := map[string]string{}
	for _, p := range doc.Stream.Params {
		params[p.Name] = p.Value
	}
	require.Equal(t, map[string]string{"call_sid": callSID, "clinic_id": store.DemoClinicA.String()}, params)
	require.NotContains(t, body, "+447700900123", "the caller's number must not reach TwiML parameters")

	// Twilio repeats the incoming-call webhook: same workflow, no error.
	code, _ = s.post("/twilio/voice", testToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code)

	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "in-progress", 0))
	require.Equal(t, http.StatusNoContent, code, body)
	require.Eventually(t, func() bool {
		st, err := starter.Calls{Client: s.temporal}.State(context.Background(), callSID)
		return err == nil && st.Status == "in-progress"
	}, 10*time.Second, 50*time.Millisecond)

	code, body = s.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code, body)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	run := s.temporal.GetWorkflow(ctx, contract.CallSessionID(callSID), "")
	var final contract.CallState
	require.NoError(t, run.Get(ctx, &final))
	require.Equal(t, contract.OutcomeCompleted, final.Outcome)
	require.Equal(t, store.DemoClinicA.String(), final.ClinicID)

	desc, err := s.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), "")
	require.NoError(t, err)
	sa := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	require.Contains(t, string(sa["ClinicId"].GetData()), store.DemoClinicA.String())
	require.Contains(t, string(sa["Outcome"].GetData()), "completed")
	require.Contains(t, string(sa["CallStatus"].GetData()), "completed")

	// The call's row landed in its org, through row-level security.
	rec, err := s.store.GetCall(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "staff"}, callSID)
	require.NoError(t, err)
	require.Equal(t, "completed", rec.Status)
	require.NotNil(t, rec.EndedAt)
	_, err = s.store.GetCall(ctx, store.Claims{OrgID: store.DemoOrgB, Sub: "test", Role: "staff"}, callSID)
	require.ErrorIs(t, err, store.ErrNotFound, "another org must not see the call")

	// A late repeat of the final callback is accepted and changes nothing.
	code, _ = s.post("/twilio/status", testToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code)

	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, s.temporal, contract.CallSessionID(callSID), filepath.Join(dir, "callsession_completed.json"))
	}
}

func TestWebhooksRefuseBadInput(t *testing.T) {
	s := startSystem(t)
	callSID := newCallSID()
	form := voiceForm(callSID, store.DemoNumberA)

	tests := []struct {
		name     string
		path     string
		token    string
		form     url.Values
		tamper   func(url.Values)
		wantCode int
		wantBody string
	}{
		{name: "no signature", path: "/twilio/voice", form: form, wantCode: http.StatusForbidden, wantBody: "missing Twilio signature"},
		{name: "forged signature", path: "/twilio/voice", token: "not-the-token", form: form, wantCode: http.StatusForbidden, wantBody: "invalid Twilio signature"},
		{name: "body changed after signing", path: "/twilio/voice", token: testToken, form: form,
			tamper: func(v url.Values) { v.Set("To", store.DemoNumberB) }, wantCode: http.StatusForbidden, wantBody: "invalid Twilio signature"},
		{name: "unknown called number", path: "/twilio/voice", token: testToken, form: voiceForm(callSID, "+441632960999"), wantCode: http.StatusNotFound, wantBody: "no clinic answers this number"},
		{name: "malformed CallSid", path: "/twilio/voice", token: testToken, form: voiceForm("CA-nope", store.DemoNumberA), wantCode: http.StatusBadRequest, wantBody: "CallSid"},
		{name: "malformed To", path: "/twilio/voice", token: testToken, form: voiceForm(callSID, "01632 960001"), wantCode: http.StatusBadRequest, wantBody: "To number"},
		{name: "status without sequence", path: "/twilio/status", token: testToken,
			form: url.Values{"CallSid": {callSID}, "CallStatus": {"completed"}}, wantCode: http.StatusBadRequest, wantBody: "SequenceNumber"},
		{name: "status of an unknown call", path: "/twilio/status", token: testToken, form: statusForm(callSID, "completed", 1), wantCode: http.StatusNotFound, wantBody: "unknown call"},
		{name: "forged status", path: "/twilio/status", token: "forged", form: statusForm(callSID, "completed", 1), wantCode: http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := s.url + tt.path
			f := url.Values{}
			for k, v := range tt.form {
				f[k] = append([]string(nil), v...)
			}
			sig := ""
			if tt.token != "" {
				sig = api.TwilioSignature(tt.token, u, f)
			}
			if tt.tamper != nil {
				tt.tamper(f)
			}
			req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if sig != "" {
				req.Header.Set(api.SignatureHeader, sig)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, tt.wantCode, resp.StatusCode, string(body))
			require.Contains(t, string(body), tt.wantBody)
			require.False(t, s.workflowExists(callSID), "a refused webhook must start nothing")
		})
	}
}

func TestSignatureUsesPublicURLNotHost(t *testing.T) {
	s := startSystem(t)
	callSID := newCallSID()
	form := voiceForm(callSID, store.DemoNumberA)
	// Signed over a URL an attacker controls, sent with that Host header.
	evil := "http://evil.example/twilio/voice"
	req, _ := http.NewRequest(http.MethodPost, s.url+"/twilio/voice", strings.NewReader(form.Encode()))
	req.Host = "evil.example"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(api.SignatureHeader, api.TwilioSignature(testToken, evil, form))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.False(t, s.workflowExists(callSID))
}
