package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/devenv"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/worker"
)

// securitySystem is the api as production runs it: its own database login
// (and the worker its own), the http.Server of api.NewHTTPServer with its
// timeouts, the staff API, the codec endpoint, the follow-up routes with
// Twilio (the fake) telling message times, a worker, Temporal and Postgres.
// Its log lines are kept for the tests that read them.
type securitySystem struct {
	t        *testing.T
	url      string
	db       *testenv.Database
	admin    *pgx.Conn
	apiStore *store.Store
	temporal client.Client
	fake     *twiliofake.Server
	signer   *followup.Signer
	logs     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startSecuritySystem(t *testing.T, timeouts api.Timeouts, extra ...api.Option) *securitySystem {
	t.Helper()
	ctx := context.Background()
	db, _ := testenv.DemoStore(t)
	open := func(u string) *store.Store {
		st, err := store.Open(ctx, u)
		require.NoError(t, err)
		t.Cleanup(st.Close)
		return st
	}
	apiStore, workerStore := open(db.APIURL), open(db.WorkerURL)
	admin, err := pgx.Connect(ctx, db.AdminURL)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(ctx) })

	codec := testenv.PayloadCodec()
	tc, err := client.Dial(starter.EncryptedOptions(testenv.Temporal(t), "default", testenv.Logger(t), codec))
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	workerVault, err := vault.New(workerStore.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	w := worker.New(tc, &activities.Activities{Store: workerStore, Vault: workerVault, PII: pii.NewDetector(pii.Options{})})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	s := &securitySystem{t: t, db: db, admin: admin, apiStore: apiStore, temporal: tc, logs: &syncBuffer{},
		fake: twiliofake.New(fakeAccountSID, fakeAuthToken)}
	t.Cleanup(s.fake.Close)
	s.signer, err = followup.NewSigner([]byte(linkSecret), nil)
	require.NoError(t, err)
	times, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: fakeAccountSID, AuthToken: fakeAuthToken, BaseURL: s.fake.URL})
	require.NoError(t, err)
	apiVault, err := vault.New(apiStore.KeyStore(), testenv.MasterKey())
	require.NoError(t, err)
	auth, err := api.NewAuthenticator(ctx, api.AuthConfig{HMACSecret: jwtSecret, Issuer: testIssuer, Audience: testAudience})
	require.NoError(t, err)
	codecOpt, err := api.WithCodec(api.CodecConfig{Codec: codec, Vault: apiVault, Auth: auth, Audit: apiStore, UIURL: "http://127.0.0.1:8233"})
	require.NoError(t, err)

	srv := httptest.NewUnstartedServer(nil)
	s.url = "http://" + srv.Listener.Addr().String()
	calls := starter.Calls{Client: tc, DataConverter: vault.NewDataConverter(codec), Namespace: "default"}
	cfg := api.Config{PublicURL: s.url, TwilioAuthToken: fakeAuthToken, MediaStreamURL: "wss://frontdesk.example/twilio/media", MessageTimes: times}
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(s.logs, testWriter{t}), &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts := append([]api.Option{api.WithStaffAPI(auth, apiStore, calls), codecOpt, api.WithFollowUp(cfg, apiStore, s.signer)}, extra...)
	handler := api.New(cfg, calls, apiStore, func(context.Context) error { return nil }, logger, opts...)
	// The production server's timeouts, on the test's listener.
	prod := api.NewHTTPServer("", handler, timeouts)
	srv.Config = prod
	srv.Start()
	t.Cleanup(srv.Close)
	return s
}

// testWriter shows the api's log lines with a failing test's output.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func newCallSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "CA" + hex.EncodeToString(b)
}

// postSigned sends form as Twilio does, signed over the public URL.
func (s *securitySystem) postSigned(path string, form url.Values) (int, string) {
	s.t.Helper()
	return s.postRaw(path, "application/x-www-form-urlencoded", form, form.Encode())
}

// postRaw sends body with the signature of form and the given type.
func (s *securitySystem) postRaw(path, contentType string, form url.Values, body string) (int, string) {
	s.t.Helper()
	u := s.url + path
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	require.NoError(s.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set(api.SignatureHeader, api.TwilioSignature(fakeAuthToken, u, form))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// do sends a /v1 or /codec request with a bearer token.
func (s *securitySystem) do(method, path, token, contentType, body string) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	require.NoError(s.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// twilioStatus is a status callback as Twilio sends it (To included).
func twilioStatus(callSID, to, status string, seq string) url.Values {
	return url.Values{"CallSid": {callSID}, "AccountSid": {fakeAccountSID}, "To": {to}, "From": {callerNumber},
		"CallStatus": {status}, "SequenceNumber": {seq}, "Timestamp": {time.Now().UTC().Format(time.RFC1123Z)}}
}

// startCall plays the incoming-call webhook and the call's answer.
func (s *securitySystem) startCall(callSID, to string) {
	s.t.Helper()
	code, body := s.postSigned("/twilio/voice", url.Values{"CallSid": {callSID}, "AccountSid": {fakeAccountSID},
		"From": {callerNumber}, "To": {to}, "CallStatus": {"ringing"}, "Direction": {"inbound"}})
	require.Equal(s.t, http.StatusOK, code, body)
	code, body = s.postSigned("/twilio/status", twilioStatus(callSID, to, "in-progress", "0"))
	require.Equal(s.t, http.StatusNoContent, code, body)
}

// endCall hangs up and waits for the workflow's outcome.
func (s *securitySystem) endCall(callSID, to string, seq int) contract.CallState {
	s.t.Helper()
	code, body := s.postSigned("/twilio/status", twilioStatus(callSID, to, "completed", itoa(seq)))
	require.Equal(s.t, http.StatusNoContent, code, body)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var st contract.CallState
	require.NoError(s.t, s.temporal.GetWorkflow(ctx, contract.CallSessionID(callSID), "").Get(ctx, &st))
	return st
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// events counts a call's history events of kind.
func (s *securitySystem) events(callSID string, kind enums.EventType) int {
	s.t.Helper()
	iter := s.temporal.GetWorkflowHistory(context.Background(), contract.CallSessionID(callSID), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(s.t, err)
		if ev.GetEventType() == kind {
			n++
		}
	}
	return n
}

// count runs a count(*) as the superuser (below row-level security).
func (s *securitySystem) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.admin.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// temporalCLI runs the Temporal CLI against the tests' dev server, as
// anyone who reaches Temporal's port could.
func temporalCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	bin, err := devenv.TemporalBinary()
	require.NoError(t, err)
	out, err := exec.Command(bin, append(args, "--address", testenv.Temporal(t))...).CombinedOutput()
	return string(out), err
}

// historyPayloads is every payload of a workflow's history as the CLI
// prints it (JSON objects with base64 metadata and data), as the Web UI
// posts them to /codec/decode.
func historyPayloads(t *testing.T, workflowID string) []json.RawMessage {
	t.Helper()
	out, err := temporalCLI(t, "workflow", "show", "--output", "json", "-w", workflowID)
	require.NoError(t, err, out)
	var v any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	var payloads []json.RawMessage
	payloadsIn(v, &payloads)
	require.NotEmpty(t, payloads)
	return payloads
}

func staffToken(t *testing.T, org uuid.UUID, role, sub string) string {
	return hs(t, claims(org, func(c *api.StaffClaims) { c.Role = role; c.Subject = sub }))
}
