package api_test

// Issue 12: every finding of the security review, reproduced against the
// real api (as production serves it), Postgres and the Temporal dev server,
// and shown to fail now. Each test names its finding.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/vault"
)

// High: "anyone who reaches Temporal's port can start a CallSession for any
// clinic in plain JSON and hold slots in it". The probe is the Temporal
// CLI. The workflow now fails at once, before any activity, and Postgres is
// untouched; plain signals and updates to a live call change nothing.
func TestPlainJSONCallSessionFailsWithoutTouchingPostgres(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	sid := newCallSID()
	input := fmt.Sprintf(`{"call_sid":%q,"clinic_id":%q,"org_id":%q}`, sid, store.DemoClinicA, store.DemoOrgA)
	out, err := temporalCLI(t, "workflow", "start", "--task-queue", contract.TaskQueue, "--type", contract.WorkflowCallSession,
		"--workflow-id", contract.CallSessionID(sid), "--input", input)
	require.NoError(t, err, out)

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = s.temporal.GetWorkflow(wctx, contract.CallSessionID(sid), "").Get(wctx, nil)
	require.Error(t, err, "the plain-JSON workflow must fail")
	require.Contains(t, err.Error(), "not encrypted")
	d, err := s.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(sid), "")
	require.NoError(t, err)
	require.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_FAILED, d.GetWorkflowExecutionInfo().GetStatus())
	require.Zero(t, s.events(sid, enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), "no activity ran")
	require.Zero(t, s.count(`select count(*) from app.calls where call_sid = $1`, sid))
	require.Zero(t, s.count(`select count(*) from app.holds`))
	require.Zero(t, s.count(`select count(*) from app.audit_log`))

	// A live call (started through the signed webhooks) ignores a plain
	// hang-up signal and refuses a plain hold.
	live := newCallSID()
	s.startCall(live, store.DemoNumberA)
	out, err = temporalCLI(t, "workflow", "signal", "-w", contract.CallSessionID(live), "--name", contract.SignalCallStatus,
		"--input", `{"call_status":"completed","sequence_number":7}`)
	require.NoError(t, err, out) // the server takes it; the worker drops it
	var slot string
	require.NoError(t, s.admin.QueryRow(ctx, `select id::text from app.slots where org_id = $1 and starts_at > now() order by starts_at limit 1`, store.DemoOrgA).Scan(&slot))
	out, err = temporalCLI(t, "workflow", "update", "execute", "-w", contract.CallSessionID(live), "--name", contract.UpdateHoldSlot,
		"--input", fmt.Sprintf(`{"slot_id":%q,"hold_seconds":300}`, slot))
	require.Error(t, err, "a plain hold_slot update is refused: %s", out)
	st, err := starter.Calls{Client: s.temporal}.State(vault.ContextWithOrg(ctx, store.DemoOrgA.String()), live)
	require.NoError(t, err)
	require.False(t, st.Ended, "the plain hang-up was not applied")
	require.Nil(t, st.Hold)
	require.Zero(t, s.count(`select count(*) from app.holds`))
	require.Equal(t, contract.OutcomeCompleted, s.endCall(live, store.DemoNumberA, 1).Outcome)
}

// Medium: "an ops token of one clinic decodes another clinic's payloads'
// outer layer". Every payload of a call's history is bound to its org; an
// ops token opens its own org's and gets another org's back still
// encrypted, and each decode is audited in the payload's org.
func TestOpsTokenDecodesOnlyItsOwnOrg(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	callA, callB := newCallSID(), newCallSID()
	s.startCall(callA, store.DemoNumberA)
	s.endCall(callA, store.DemoNumberA, 1)
	s.startCall(callB, store.DemoNumberB)
	s.endCall(callB, store.DemoNumberB, 1)
	payloadsA := historyPayloads(t, contract.CallSessionID(callA))
	payloadsB := historyPayloads(t, contract.CallSessionID(callB))
	for _, ps := range []struct {
		org      string
		payloads []json.RawMessage
	}{{store.DemoOrgA.String(), payloadsA}, {store.DemoOrgB.String(), payloadsB}} {
		for _, raw := range ps.payloads {
			var p struct {
				Metadata map[string]string `json:"metadata"`
			}
			require.NoError(t, json.Unmarshal(raw, &p))
			enc, _ := base64.StdEncoding.DecodeString(p.Metadata["encoding"])
			if string(enc) != vault.MetadataEncodingEncrypted {
				continue // search attributes: ids and statuses, never through a codec
			}
			org, _ := base64.StdEncoding.DecodeString(p.Metadata[vault.MetadataOrg])
			require.Equal(t, ps.org, string(org), "every payload of the call is bound to its org")
		}
	}

	decode := func(token string, payloads []json.RawMessage) []byte {
		body, err := json.Marshal(map[string]any{"payloads": payloads})
		require.NoError(t, err)
		code, raw := s.do(http.MethodPost, "/codec/decode", token, "application/json", string(body))
		require.Equal(t, http.StatusOK, code, string(raw))
		return raw
	}
	opsA := staffToken(t, store.DemoOrgA, "ops", "ops-a")
	opsB := staffToken(t, store.DemoOrgB, "ops", "ops-b")

	require.Contains(t, clearText(t, decode(opsA, payloadsA)), callA)
	// The probe: org A's ops token on org B's history.
	got := decode(opsA, payloadsB)
	require.NotContains(t, clearText(t, got), callB)
	var resp struct {
		Payloads []json.RawMessage `json:"payloads"`
	}
	require.NoError(t, json.Unmarshal(got, &resp))
	require.Len(t, resp.Payloads, len(payloadsB))
	for i := range payloadsB {
		require.JSONEq(t, string(payloadsB[i]), string(resp.Payloads[i]), "answered as it came, still encrypted")
	}
	require.Contains(t, clearText(t, decode(opsB, payloadsB)), callB)

	audit := func(org string) []store.AuditRow {
		rows, err := s.apiStore.ListAudit(ctx, store.Claims{OrgID: mustParse(org), Sub: "auditor", Role: "admin"})
		require.NoError(t, err)
		var out []store.AuditRow
		for _, r := range rows {
			if r.Action == store.AuditCodecDecode {
				out = append(out, r)
			}
		}
		return out
	}
	rowsA, rowsB := audit(store.DemoOrgA.String()), audit(store.DemoOrgB.String())
	require.Len(t, rowsA, 2, "org A's two decode requests")
	require.Len(t, rowsB, 1, "org B's payloads were decoded once, by org B's ops, and audited there")
	require.Equal(t, "ops-b", rowsB[0].Actor)
	require.EqualValues(t, 0, rowsA[1].Detail["decoded"], "nothing of org B's decoded for org A")
	require.EqualValues(t, countEncrypted(t, payloadsB), rowsA[1].Detail["refused"])
}

func countEncrypted(t *testing.T, payloads []json.RawMessage) int {
	n := 0
	for _, raw := range payloads {
		if bytes.Contains(raw, []byte(base64.StdEncoding.EncodeToString([]byte(vault.MetadataEncodingEncrypted)))) {
			n++
		}
	}
	return n
}

func mustParse(s string) uuid.UUID { return uuid.MustParse(s) }

func newUUID() string { return uuid.NewString() }

// Low: "a signed SequenceNumber of 2^63-1 freezes a call until its 4-hour
// timeout". Out-of-range numbers are refused (400); status callbacks land
// once per (CallSid, SequenceNumber) however often they are replayed.
func TestStatusCallbacksAreBoundedAndLandOnce(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	sid := newCallSID()
	s.startCall(sid, store.DemoNumberA)
	for _, bad := range []struct{ field, value string }{
		{"SequenceNumber", "9223372036854775807"},
		{"SequenceNumber", "10001"},
		{"SequenceNumber", "-1"},
		{"SequenceNumber", "1e3"},
		{"CallDuration", "99999999999"},
		{"CallDuration", "-5"},
		{"CallStatus", "completed-and-more"},
	} {
		f := twilioStatus(sid, store.DemoNumberA, "completed", "5")
		f.Set(bad.field, bad.value)
		code, body := s.postSigned("/twilio/status", f)
		require.Equal(t, http.StatusBadRequest, code, "%s=%s: %s", bad.field, bad.value, body)
	}
	// A captured callback replayed five times.
	for range 5 {
		code, body := s.postSigned("/twilio/status", twilioStatus(sid, store.DemoNumberA, "in-progress", "0"))
		require.Equal(t, http.StatusNoContent, code, body)
	}
	require.Equal(t, 2, s.events(sid, enums.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
		"the start's ringing and one in-progress: replays of seq 0 never reach the history")
	st := s.endCall(sid, store.DemoNumberA, 1)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome, "the call ends normally, not frozen")
}

// Low: "a replayed webhook re-inserts the number before it is refused".
// A replay of an ended call's voice webhook writes nothing, also once its
// workflow is gone (Postgres remembers the call ended).
func TestReplayedVoiceWebhookOfAnEndedCallWritesNothing(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	sid := newCallSID()
	voice := url.Values{"CallSid": {sid}, "AccountSid": {fakeAccountSID}, "From": {callerNumber}, "To": {store.DemoNumberA},
		"CallStatus": {"ringing"}, "Direction": {"inbound"}}
	code, body := s.postSigned("/twilio/voice", voice)
	require.Equal(t, http.StatusOK, code, body)
	s.postSigned("/twilio/status", twilioStatus(sid, store.DemoNumberA, "in-progress", "0"))
	s.endCall(sid, store.DemoNumberA, 1)
	require.Equal(t, 1, s.count(`select count(*) from app.call_contacts where call_sid = $1`, sid))
	// The caller's number is erased (as an erasure would)...
	_, err := s.admin.Exec(ctx, `delete from app.call_contacts where call_sid = $1`, sid)
	require.NoError(t, err)

	// ...and the captured webhook replayed.
	code, body = s.postSigned("/twilio/voice", voice)
	require.Equal(t, http.StatusConflict, code, body)
	require.Zero(t, s.count(`select count(*) from app.call_contacts where call_sid = $1`, sid))

	// A call Temporal has forgotten (its history past the namespace's
	// retention) is still known to Postgres as ended.
	old := newCallSID()
	_, err = s.admin.Exec(ctx, `insert into app.calls (org_id, call_sid, clinic_id, status, outcome, started_at, ended_at)
		values ($1, $2, $3, 'completed', 'completed', now() - interval '40 days', now() - interval '40 days')`, store.DemoOrgA, old, store.DemoClinicA)
	require.NoError(t, err)
	voice.Set("CallSid", old)
	code, body = s.postSigned("/twilio/voice", voice)
	require.Equal(t, http.StatusConflict, code, body)
	require.Zero(t, s.count(`select count(*) from app.call_contacts where call_sid = $1`, old))
	_, err = s.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(old), "")
	var nf *serviceerror.NotFound
	require.ErrorAs(t, err, &nf, "and nothing was started")
}

// Low: "replaying a captured START undoes a later STOP". Replies are taken
// once per MessageSid and in Twilio's order (its date_created, fetched
// from Twilio), not in their webhooks' order of arrival.
func TestReplayedStartCannotUndoALaterStop(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour).Truncate(time.Second)
	reply := func(body string, at time.Time) url.Values {
		m := s.fake.Inbound(callerNumber, store.DemoNumberA, body, at)
		return url.Values{"MessageSid": {m.SID}, "SmsSid": {m.SID}, "AccountSid": {fakeAccountSID}, "From": {callerNumber},
			"To": {store.DemoNumberA}, "Body": {body}, "NumMedia": {"0"}}
	}
	send := func(f url.Values) {
		t.Helper()
		code, body := s.postSigned("/twilio/sms", f)
		require.Equal(t, http.StatusOK, code, body)
	}
	optedOut := func() bool {
		t.Helper()
		out, err := s.apiStore.SMSOptedOut(ctx, store.DemoOrgA, callerNumber)
		require.NoError(t, err)
		return out
	}

	start := reply("START", t0.Add(20*time.Second))
	send(start)
	require.False(t, optedOut())
	send(reply("STOP", t0.Add(30*time.Second)))
	require.True(t, optedOut())

	// The probe: the captured START, replayed after the STOP.
	send(start)
	require.True(t, optedOut(), "a replayed START must not undo the later STOP")

	// A genuine START that Twilio received before the STOP but delivered
	// after it is stale too; one received after the STOP opts back in.
	send(reply("START", t0.Add(25*time.Second)))
	require.True(t, optedOut())
	send(reply("START", t0.Add(40*time.Second)))
	require.False(t, optedOut())
	require.Equal(t, 4, s.count(`select count(*) from app.sms_keywords`), "one row per message, the replay not counted")
	require.Zero(t, s.count(`select count(*) from app.sms_keywords where phone_hash like '%' || $1 || '%'`, strings.TrimPrefix(callerNumber, "+")),
		"the number is not stored in clear")

	// An unsigned or unknown message is refused.
	code, _ := s.postRaw("/twilio/sms", "application/x-www-form-urlencoded", url.Values{}, start.Encode())
	require.Equal(t, http.StatusForbidden, code)
}

// Medium: "/v1 has no body limit: one 300 MB POST took the api from 51 MB
// to 1.19 GB". Every route refuses a body over its limit, declared or
// streamed, and reads no more than the limit of it.
func TestBodyLimitOnEveryRoute(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	staff := staffToken(t, store.DemoOrgA, "staff", "nurse-1")
	ops := staffToken(t, store.DemoOrgA, "ops", "ops-1")
	routes := []struct {
		method, path, token, contentType string
		limit                            int64
	}{
		{http.MethodPost, "/v1/bookings", staff, "application/json", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/v1/slots/" + newUUID() + "/block", staff, "application/json", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/twilio/voice", "", "application/x-www-form-urlencoded", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/twilio/status", "", "application/x-www-form-urlencoded", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/twilio/sms", "", "application/x-www-form-urlencoded", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/twilio/sms-status", "", "application/x-www-form-urlencoded", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/codec/decode", ops, "application/json", api.CodecMaxBodyBytes},
		{http.MethodGet, "/healthz", "", "text/plain", api.DefaultMaxBodyBytes},
		{http.MethodPost, "/no-such-route", "", "text/plain", api.DefaultMaxBodyBytes},
	}
	const attack = 300 << 20
	for _, r := range routes {
		for _, declared := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s %s declared=%v", r.method, r.path, declared), func(t *testing.T) {
				prefix := "Body="
				if strings.HasPrefix(r.contentType, "application/json") {
					prefix = `{"payloads":[{"data":"`
				}
				body := &countingReader{prefix: prefix, n: attack}
				req, err := http.NewRequest(r.method, s.url+r.path, body)
				require.NoError(t, err)
				req.ContentLength = -1 // streamed (chunked)
				if declared {
					req.ContentLength = attack
				}
				req.Header.Set("Content-Type", r.contentType)
				if r.token != "" {
					req.Header.Set("Authorization", "Bearer "+r.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					defer resp.Body.Close()
					if r.path != "/no-such-route" && r.path != "/healthz" {
						require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
					}
				}
				// The server may close the connection while the client is
				// still sending (an error here); either way it stopped
				// reading near the limit, far from 300 MB.
				require.Less(t, body.read(), r.limit+16<<20, "bytes taken from a 300 MB body")
			})
		}
	}
}

// countingReader produces n bytes, prefix then 'a's (a JSON string or a
// form value that never ends), and counts what was taken.
type countingReader struct {
	mu     sync.Mutex
	prefix string
	n      int64
	took   int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.took >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.took)
	for i := range p[:k] {
		if j := c.took + int64(i); j < int64(len(c.prefix)) {
			p[i] = c.prefix[j]
		} else {
			p[i] = 'a'
		}
	}
	c.took += k
	return int(k), nil
}

func (c *countingReader) read() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.took
}

// Medium: "a body trickled at a byte every 8 s stays open indefinitely,
// and idle keep-alive connections never close". The production server's
// read and idle timeouts (shortened here) close both. A handler that
// declares itself long-lived (the media WebSocket) keeps streaming past
// the write timeout; any other is cut there.
func TestServerTimeoutsCloseSlowAndIdleConnections(t *testing.T) {
	const streamFor = 3 * time.Second
	stream := func(longLived bool) api.Option {
		return func(e *echo.Echo, _ *slog.Logger) {
			path := "/test/short"
			if longLived {
				path = "/test/long"
			}
			e.GET(path, func(c echo.Context) error {
				w := c.Response()
				if longLived {
					require.NoError(t, api.LongLived(w))
				}
				rc := http.NewResponseController(w)
				w.Header().Set("Content-Type", "text/plain")
				for i := range 6 {
					fmt.Fprintf(w, "tick %d\n", i)
					if rc.Flush() != nil {
						return nil
					}
					time.Sleep(streamFor / 6)
				}
				fmt.Fprint(w, "done\n")
				return rc.Flush()
			})
		}
	}
	s := startSecuritySystem(t, api.Timeouts{ReadHeader: time.Second, Read: time.Second, Write: time.Second, Idle: time.Second}, stream(true), stream(false))
	host := strings.TrimPrefix(s.url, "http://")

	// Slowloris: a 100-byte body at a byte every 200 ms would take 20 s.
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /twilio/voice HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n", host)
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, conn); close(closed) }()
	sent := 0
trickle:
	for ; sent < 100; sent++ {
		select {
		case <-closed:
			break trickle
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := conn.Write([]byte("a")); err != nil {
			break
		}
	}
	require.Less(t, sent, 100, "the server cut the trickled body off")

	// An idle keep-alive connection is closed.
	idle, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer idle.Close()
	fmt.Fprintf(idle, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", host)
	require.NoError(t, idle.SetReadDeadline(time.Now().Add(20*time.Second)))
	got, err := io.ReadAll(idle)
	require.NoError(t, err, "the server closes the idle connection (EOF), not our deadline")
	require.Contains(t, string(got), "200 OK")

	read := func(path string) string {
		resp, err := http.Get(s.url + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body) // a cut stream ends in an error
		return string(b)
	}
	require.Contains(t, read("/test/long"), "done", "a long-lived stream outlives the write timeout")
	require.NotContains(t, read("/test/short"), "done", "any other response is cut at the write timeout")
}

// Content-Type is checked on form webhooks: a signed body of another type
// is refused (415) before it is read, and starts nothing.
func TestFormWebhooksRequireFormContentType(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	sid := newCallSID()
	form := url.Values{"CallSid": {sid}, "AccountSid": {fakeAccountSID}, "From": {callerNumber}, "To": {store.DemoNumberA}, "CallStatus": {"ringing"}}
	for _, ct := range []string{"application/json", "text/plain", "multipart/form-data; boundary=x", ""} {
		code, body := s.postRaw("/twilio/voice", ct, form, form.Encode())
		require.Equal(t, http.StatusUnsupportedMediaType, code, "%q: %s", ct, body)
	}
	_, err := s.temporal.DescribeWorkflowExecution(context.Background(), contract.CallSessionID(sid), "")
	var nf *serviceerror.NotFound
	require.ErrorAs(t, err, &nf, "nothing started")
	code, body := s.postRaw("/twilio/voice", "application/x-www-form-urlencoded; charset=utf-8", form, form.Encode())
	require.Equal(t, http.StatusOK, code, body)
}

// Low: "/readyz shows internal error text to anyone". It says "not ready"
// and nothing else; the detail goes to the log.
func TestReadyzSaysNothingInternal(t *testing.T) {
	logs := &syncBuffer{}
	e := api.New(api.Config{PublicURL: "http://x", TwilioAuthToken: "t"}, starter.Calls{Client: testenv.Client(t)}, nil,
		func(context.Context) error {
			return errors.New("postgres: failed to connect to `user=frontdesk_app database=frontdesk`: dial tcp 10.1.2.3:5432: connection refused")
		}, slog.New(slog.NewTextHandler(logs, nil)))
	srv := httptest.NewServer(e)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "not ready\n", string(body))
	require.Contains(t, logs.String(), "10.1.2.3", "the operator still finds the reason in the log")
}

// Low: "/d/<token> paths are written to the access log" and "a /d token
// with version 0xFFFFFFFF answers 500". Logs name the route template; the
// out-of-range version is a plain 404.
func TestDocumentTokensStayOutOfLogsAndOddVersionsAre404(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	var proc string
	require.NoError(t, s.admin.QueryRow(context.Background(), `select id::text from app.procedures where org_id = $1 limit 1`, store.DemoOrgA).Scan(&proc))
	for _, version := range []int{0xFFFFFFFF, 0x80000000, 0} {
		token := s.signer.Sign(followup.Link{Purpose: followup.PurposeGuide, OrgID: store.DemoOrgA, ProcedureID: mustParse(proc),
			Version: version, Expires: time.Now().Add(time.Hour)})
		code, _ := s.do(http.MethodGet, "/d/"+token, "", "", "")
		require.Equal(t, http.StatusNotFound, code, "version %d", version)
		require.NotContains(t, s.logs.String(), token, "the token is a bearer credential")
	}
	require.Contains(t, s.logs.String(), "route=/d/:token")
	// An unrouted path (which could be anything a client sent) is not
	// logged either.
	code, _ := s.do(http.MethodGet, "/secret-looking-path-123", "", "", "")
	require.Equal(t, http.StatusNotFound, code)
	require.NotContains(t, s.logs.String(), "secret-looking-path-123")
}

// Low: "/v1 treats staff, admin and ops roles alike". Staff and admin run
// the diary; ops decode payloads and nothing else; only admin may erase
// and export (issue 14's routes check PermErase and PermExport).
func TestV1RolesHaveDistinctPermissions(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	day := firstSeededDay().Format(time.DateOnly)
	var slot, proc string
	require.NoError(t, s.admin.QueryRow(context.Background(), `select s.id::text, p.id::text from app.slots s join app.procedures p on p.clinic_id = s.clinic_id
		where s.org_id = $1 and s.starts_at > now() and p.duration_minutes <= 30 order by s.starts_at limit 1`, store.DemoOrgA).Scan(&slot, &proc))
	staff := staffToken(t, store.DemoOrgA, "staff", "nurse-1")
	admin := staffToken(t, store.DemoOrgA, "admin", "manager-1")
	ops := staffToken(t, store.DemoOrgA, "ops", "ops-1")

	v1 := []struct{ method, path, body string }{
		{http.MethodGet, "/v1/procedures", ""},
		{http.MethodGet, "/v1/slots?date=" + day, ""},
		{http.MethodGet, "/v1/bookings?date=" + day, ""},
		{http.MethodGet, "/v1/calls", ""},
		{http.MethodPost, "/v1/slots/" + slot + "/block", `{"blocked": false}`},
	}
	for _, r := range v1 {
		for _, tok := range []string{staff, admin} {
			code, body := s.do(r.method, r.path, tok, "application/json", r.body)
			require.Equal(t, http.StatusOK, code, "%s %s: %s", r.method, r.path, body)
		}
		code, body := s.do(r.method, r.path, ops, "application/json", r.body)
		require.Equal(t, http.StatusForbidden, code, "ops on %s %s: %s", r.method, r.path, body)
	}
	code, body := s.do(http.MethodPost, "/v1/bookings", ops, "application/json", fmt.Sprintf(`{"slot_id":%q,"procedure_id":%q}`, slot, proc))
	require.Equal(t, http.StatusForbidden, code, string(body))
	code, body = s.do(http.MethodPost, "/v1/bookings", staff, "application/json", fmt.Sprintf(`{"slot_id":%q,"procedure_id":%q}`, slot, proc))
	require.Equal(t, http.StatusCreated, code, string(body))

	decodeBody := `{"payloads":[]}`
	code, _ = s.do(http.MethodPost, "/codec/decode", ops, "application/json", decodeBody)
	require.Equal(t, http.StatusOK, code)
	for _, tok := range []string{staff, admin} {
		code, _ = s.do(http.MethodPost, "/codec/decode", tok, "application/json", decodeBody)
		require.Equal(t, http.StatusForbidden, code)
	}

	for role, want := range map[string][]api.Permission{
		"staff": {api.PermRead, api.PermBook},
		"admin": {api.PermRead, api.PermBook, api.PermErase, api.PermExport},
		"ops":   {api.PermDecode},
	} {
		for _, p := range []api.Permission{api.PermRead, api.PermBook, api.PermDecode, api.PermErase, api.PermExport} {
			require.Equal(t, slices.Contains(want, p), api.Can(role, p), "%s %s", role, p)
		}
	}
	require.False(t, api.Can("service", api.PermRead), "a role no token carries holds nothing")
}

// Low: "refused /codec calls flood the audit log, with unbounded header
// text in it". A looping client with a staff token gets one audit row per
// minute, counting the rest, and the text in it is bounded.
func TestRefusedCodecRequestsAreRateLimitedInTheAudit(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	staff := staffToken(t, store.DemoOrgA, "staff", "nurse-1")
	long := "/codec/" + strings.Repeat("x", 5000) + "/decode"
	for range 50 {
		code, _ := s.do(http.MethodPost, long, staff, "application/json", `{"payloads":[]}`)
		require.Equal(t, http.StatusForbidden, code)
	}
	code, _ := s.do(http.MethodPost, "/codec/decode", staffToken(t, store.DemoOrgA, "admin", "manager-1"), "application/json", `{"payloads":[]}`)
	require.Equal(t, http.StatusForbidden, code)

	rows, err := s.apiStore.ListAudit(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "auditor", Role: "admin"})
	require.NoError(t, err)
	denied := map[string]int{}
	for _, r := range rows {
		require.Equal(t, store.AuditCodecDenied, r.Action)
		denied[r.Actor]++
		path, _ := r.Detail["path"].(string)
		require.LessOrEqual(t, len(path), 70, "bounded text")
	}
	require.Equal(t, map[string]int{"nurse-1": 1, "manager-1": 1}, denied, "one row per user and minute")
	require.Less(t, strings.Count(s.logs.String(), "codec request refused"), 3, "the log is not flooded either")
}

// Audit heads exported by the AuditAnchor Schedule to Temporal catch what
// the chain alone cannot: its newest rows deleted by whoever administers
// Postgres.
func TestAuditAnchorsCatchATruncatedChain(t *testing.T) {
	s := startSecuritySystem(t, api.Timeouts{})
	ctx := context.Background()
	admin := store.Claims{OrgID: store.DemoOrgA, Sub: "manager-1", Role: "admin"}
	for i := range 3 {
		require.NoError(t, s.apiStore.Audit(ctx, admin, store.AuditEntry{Action: store.AuditErase, Subject: fmt.Sprintf("patient-%d", i), Reason: "test"}))
	}
	require.NoError(t, starter.EnsureAuditAnchorSchedule(ctx, s.temporal, time.Hour))
	t.Cleanup(func() {
		_ = s.temporal.ScheduleClient().GetHandle(context.Background(), contract.AuditAnchorScheduleID).Delete(context.Background())
	})
	require.NoError(t, starter.EnsureAuditAnchorSchedule(ctx, s.temporal, time.Hour), "idempotent")

	var runs []contract.AuditAnchorResult
	require.Eventually(t, func() bool {
		var err error
		runs, err = starter.AuditAnchors(ctx, s.temporal, "default", 10)
		return err == nil && len(runs) > 0
	}, 60*time.Second, 250*time.Millisecond, "the schedule's first run")
	var heads []store.AuditHead
	for _, h := range runs[0].Heads {
		heads = append(heads, store.AuditHead{OrgID: mustParse(h.OrgID), Seq: h.Seq, Hash: h.Hash, MAC: h.MAC, KeyID: h.KeyID})
	}
	require.Len(t, heads, 1)
	require.Equal(t, int64(3), heads[0].Seq)

	opts := store.VerifyOptions{Sealer: testenv.AuditSealer(), Heads: heads}
	ver, err := store.VerifyAuditWith(ctx, s.admin, nil, opts)
	require.NoError(t, err)
	require.Empty(t, ver.Broken)

	tx, err := s.admin.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `set local session_replication_role = replica`)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `delete from app.audit_log where org_id = $1 and seq >= 2`, store.DemoOrgA)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	ver, err = store.VerifyAuditWith(ctx, s.admin, nil, opts)
	require.NoError(t, err)
	require.Len(t, ver.Broken, 1)
	require.Contains(t, ver.Broken[0].Reason, "rows deleted")
}
