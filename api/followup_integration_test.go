package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
	"github.com/frontdesk/frontdesk/worker"
)

const (
	fakeAccountSID = "AC0123456789abcdef0123456789abcdef"
	// One account: Twilio signs webhooks with the token the REST API
	// authenticates with (alphanumeric, as twilio-go requires).
	fakeAuthToken = "fakeauthtoken"
	clinicFrom    = "+15005550006"
	callerNumber  = "+447700900123"
	linkSecret    = "integration-test-link-secret"
)

// followUpSystem is startSystem plus the follow-up: the Twilio fake, the
// link signer (with a clock the test can move) and a worker whose send
// activity can be stopped in the crash window.
type followUpSystem struct {
	*system
	fake      *twiliofake.Server
	clockSkew atomic.Int64 // added to the api's clock, in seconds
	deps      *activities.FollowUpDeps
	acts      *activities.Activities
	worker    sdkworker.Worker
	hookMu    sync.Mutex
	hook      func(ctx context.Context, callSID string)
}

func startFollowUpSystem(t *testing.T) *followUpSystem {
	t.Helper()
	_, st := testenv.DemoStore(t)
	tc := testenv.Client(t)

	fs := &followUpSystem{fake: twiliofake.New(fakeAccountSID, fakeAuthToken)}
	t.Cleanup(fs.fake.Close)
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)

	workerSigner, err := followup.NewSigner([]byte(linkSecret), nil)
	require.NoError(t, err)
	sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: fakeAccountSID, AuthToken: fakeAuthToken, BaseURL: fs.fake.URL})
	require.NoError(t, err)
	fs.deps = &activities.FollowUpDeps{Sender: sender, From: clinicFrom, Signer: workerSigner, PublicURL: srv.URL, Logger: testenv.Logger(t),
		AfterOutboxWrite: func(ctx context.Context, callSID string) {
			fs.hookMu.Lock()
			h := fs.hook
			fs.hookMu.Unlock()
			if h != nil {
				h(ctx, callSID)
			}
		}}
	fs.acts = &activities.Activities{Store: st, FollowUp: fs.deps, Twilio: sender}
	fs.startWorker(t, tc)

	apiSigner, err := followup.NewSigner([]byte(linkSecret), func() time.Time {
		return time.Now().Add(time.Duration(fs.clockSkew.Load()) * time.Second)
	})
	require.NoError(t, err)
	cfg := api.Config{PublicURL: srv.URL, TwilioAuthToken: fakeAuthToken, MediaStreamURL: "wss://frontdesk.example/twilio/media"}
	handler = api.New(cfg, starter.Calls{Client: tc}, st, func(context.Context) error { return nil }, testenv.Logger(t),
		api.WithFollowUp(cfg, st, apiSigner))
	fs.system = &system{t: t, url: srv.URL, temporal: tc, store: st}
	return fs
}

func (fs *followUpSystem) startWorker(t *testing.T, tc client.Client) {
	w := worker.New(tc, fs.acts)
	require.NoError(t, w.Start())
	fs.worker = w
	t.Cleanup(func() {
		if fs.worker == w {
			w.Stop()
		}
	})
}

func (fs *followUpSystem) setHook(h func(ctx context.Context, callSID string)) {
	fs.hookMu.Lock()
	fs.hook = h
	fs.hookMu.Unlock()
}

func (fs *followUpSystem) procedure(org, clinic uuid.UUID, code string) store.Procedure {
	p, err := fs.store.ProcedureByCode(context.Background(), store.Claims{OrgID: org, Sub: "test", Role: "staff"}, clinic, code)
	require.NoError(fs.t, err)
	return p
}

// unbookedCall plays a call from callerNumber to the clinic that asks about
// procedureID and hangs up without booking, through the signed webhooks.
func (fs *followUpSystem) unbookedCall(callSID, to, procedureID string) {
	t := fs.t
	form := voiceForm(callSID, to)
	code, body := fs.post("/twilio/voice", fakeAuthToken, form)
	require.Equal(t, http.StatusOK, code, body)
	code, body = fs.post("/twilio/status", fakeAuthToken, statusForm(callSID, "in-progress", 0))
	require.Equal(t, http.StatusNoContent, code, body)
	if procedureID != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h, err := fs.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: contract.CallSessionID(callSID), UpdateName: contract.UpdateDiscussProcedure,
			Args: []any{contract.DiscussProcedureRequest{ProcedureID: procedureID}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		require.NoError(t, err)
		require.NoError(t, h.Get(ctx, nil))
	}
	code, body = fs.post("/twilio/status", fakeAuthToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code, body)
}

func (fs *followUpSystem) followUpResult(callSID string) contract.FollowUpResult {
	fs.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var res contract.FollowUpResult
	// The child may not have started the instant the call ends.
	require.Eventually(fs.t, func() bool {
		_, err := fs.temporal.DescribeWorkflowExecution(ctx, contract.FollowUpID(callSID), "")
		return err == nil
	}, 20*time.Second, 50*time.Millisecond, "FollowUp workflow of %s", callSID)
	require.NoError(fs.t, fs.temporal.GetWorkflow(ctx, contract.FollowUpID(callSID), "").Get(ctx, &res))
	return res
}

func (fs *followUpSystem) get(u string) (int, http.Header, []byte) {
	resp, err := http.Get(u)
	require.NoError(fs.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

var linkPattern = regexp.MustCompile(`https?://\S+/d/[A-Za-z0-9_-]+`)

func TestFollowUpSMSAfterAnUnbookedCall(t *testing.T) {
	fs := startFollowUpSystem(t)
	ctx := context.Background()
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "colonoscopy")
	callSID := newCallSID()
	got := fs.fake.Subscribe(4)

	fs.unbookedCall(callSID, store.DemoNumberA, proc.ID.String())
	var msg twiliofake.Message
	select {
	case msg = <-got:
	case <-time.After(20 * time.Second):
		t.Fatal("no SMS reached Twilio")
	}
	require.Equal(t, callerNumber, msg.To)
	require.Equal(t, clinicFrom, msg.From)
	require.Contains(t, msg.Body, "Northgate Clinic")
	// The demo clinic has no booking site: the SMS gives its number, and
	// never a placeholder link.
	require.Contains(t, msg.Body, "To book, call "+store.DemoNumberA)
	require.NotContains(t, msg.Body, "example.org")
	require.NotContains(t, strings.ToLower(msg.Body), "colonoscopy", "a procedure name is health data")
	require.Empty(t, msg.MediaURLs)

	res := fs.followUpResult(callSID)
	require.True(t, res.Sent)
	require.Equal(t, msg.SID, res.MessageSID)
	desc, err := fs.temporal.DescribeWorkflowExecution(ctx, contract.FollowUpID(callSID), "")
	require.NoError(t, err)
	sa := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	require.Equal(t, "true", string(sa["FollowUpSent"].GetData()))
	require.Contains(t, string(sa["ClinicId"].GetData()), store.DemoClinicA.String())
	for _, p := range sa {
		require.NotContains(t, string(p.GetData()), callerNumber, "no personal data in search attributes")
	}
	hist := fs.temporal.GetWorkflowHistory(ctx, contract.FollowUpID(callSID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for hist.HasNext() {
		ev, err := hist.Next()
		require.NoError(t, err)
		require.NotContains(t, ev.String(), callerNumber, "the caller's number never enters Temporal")
	}

	// The link serves the PDF until it expires, then 410; a forged one 404.
	link := linkPattern.FindString(msg.Body)
	require.NotEmpty(t, link, msg.Body)
	code, hdr, pdf := fs.get(link)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "application/pdf", hdr.Get("Content-Type"))
	require.NotContains(t, hdr.Get("Content-Disposition"), "olonoscopy")
	require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
	// pdftotext is installed by `make test` (poppler-utils).
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	text, err := cmd.Output()
	require.NoError(t, err, "pdftotext (poppler-utils) reads the served guide")
	require.Contains(t, string(text), "Colonoscopy")
	require.Contains(t, string(text), "low-fibre diet")
	code, _, _ = fs.get(link[:len(link)-2] + "xx")
	require.Equal(t, http.StatusNotFound, code)
	fs.clockSkew.Store(int64((followup.DefaultLinkTTL - time.Hour) / time.Second))
	code, _, _ = fs.get(link)
	require.Equal(t, http.StatusOK, code, "still valid an hour before expiry")
	fs.clockSkew.Store(int64((followup.DefaultLinkTTL + time.Minute) / time.Second))
	code, _, _ = fs.get(link)
	require.Equal(t, http.StatusGone, code)

	// Twilio's status callbacks move the outbox row along.
	row, err := fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, msg.SID, row.MessageSID)
	require.Equal(t, "queued", row.Status)
	code, err = fs.fake.DeliverStatus(msg.SID, "delivered")
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, code)
	row, err = fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, "delivered", row.Status)
	// Callbacks arrive out of order: a late "sent" does not undo "delivered".
	code, err = fs.fake.DeliverStatus(msg.SID, "sent")
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, code)
	row, err = fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, "delivered", row.Status)
	// A forged status callback changes nothing.
	forged := url.Values{"MessageSid": {msg.SID}, "MessageStatus": {"failed"}}
	code, _ = fs.post("/twilio/sms-status?org="+store.DemoOrgA.String(), "not-the-token", forged)
	require.Equal(t, http.StatusForbidden, code)
	// The org comes from the signed URL: another org's status URL finds nothing.
	code, _ = fs.post("/twilio/sms-status?org="+store.DemoOrgB.String(), fakeAuthToken, url.Values{"MessageSid": {msg.SID}, "MessageStatus": {"failed"}})
	require.Equal(t, http.StatusNoContent, code)
	row, err = fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, "delivered", row.Status)

	// A repeated final callback sends nothing more: the call has closed, so
	// the repeat reaches no workflow and starts no new run.
	before, err := fs.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, before.WorkflowExecutionInfo.Status)
	code, _ = fs.post("/twilio/status", fakeAuthToken, statusForm(callSID, "completed", 1))
	require.Equal(t, http.StatusNoContent, code)
	after, err := fs.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), "")
	require.NoError(t, err)
	require.Equal(t, before.WorkflowExecutionInfo.Execution.RunId, after.WorkflowExecutionInfo.Execution.RunId)
	require.Equal(t, before.WorkflowExecutionInfo.HistoryLength, after.WorkflowExecutionInfo.HistoryLength, "nothing appended to the closed call")
	require.Len(t, fs.fake.Messages(), 1)

	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, fs.temporal, contract.CallSessionID(callSID), filepath.Join(dir, "callsession_unbooked_followup.json"))
		recordHistory(t, fs.temporal, contract.FollowUpID(callSID), filepath.Join(dir, "followup_sent.json"))
	}
}

func TestFollowUpSurvivesTwilioFailures(t *testing.T) {
	fs := startFollowUpSystem(t)
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "mri-knee")
	fs.fake.FailNext(twiliofake.Failure{HTTPStatus: 500, Code: 20500}, twiliofake.Failure{HTTPStatus: 500, Code: 20500})
	callSID := newCallSID()
	fs.unbookedCall(callSID, store.DemoNumberA, proc.ID.String())
	res := fs.followUpResult(callSID)
	require.True(t, res.Sent)
	require.Len(t, fs.fake.Messages(), 1, "exactly one message")
	require.Equal(t, 3, fs.fake.Attempts(), "two 500s, then the send")
	row, err := fs.store.OutboxFor(context.Background(), store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, 3, row.Attempts)
}

func TestFollowUpSurvivesAWorkerKilledBeforeTwilio(t *testing.T) {
	fs := startFollowUpSystem(t)
	ctx := context.Background()
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "blood-test")
	callSID := newCallSID()
	reached := make(chan struct{}, 1)
	fs.setHook(func(ctx context.Context, sid string) {
		if sid != callSID {
			return
		}
		reached <- struct{}{}
		<-ctx.Done()
		// The process is gone: nothing after the outbox write runs.
		panic("worker killed between the outbox write and the Twilio call")
	})
	fs.unbookedCall(callSID, store.DemoNumberA, proc.ID.String())
	select {
	case <-reached:
	case <-time.After(20 * time.Second):
		t.Fatal("the send activity never reached the outbox write")
	}
	row, err := fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, store.OutboxPending, row.Status)
	require.Empty(t, row.MessageSID)

	old := fs.worker
	fs.worker = nil
	old.Stop()
	require.Empty(t, fs.fake.Messages(), "nothing reached Twilio before the kill")
	fs.setHook(nil)
	fs.startWorker(t, fs.temporal)

	res := fs.followUpResult(callSID)
	require.True(t, res.Sent)
	require.Len(t, fs.fake.Messages(), 1, "exactly one message")
	row, err = fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, res.MessageSID, row.MessageSID)
}

func TestStopRepliesSilenceFollowUps(t *testing.T) {
	fs := startFollowUpSystem(t)
	ctx := context.Background()
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "blood-test")
	n := 0
	inbound := func(body string) {
		n++ // each reply is its own message
		code, twiml := fs.post("/twilio/sms", fakeAuthToken, url.Values{"MessageSid": {fmt.Sprintf("SM%032d", n)}, "AccountSid": {fakeAccountSID},
			"From": {callerNumber}, "To": {store.DemoNumberA}, "Body": {body}})
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, twiml, "<Response></Response>")
	}
	inbound("Stop")
	out, err := fs.store.SMSOptedOut(ctx, store.DemoOrgA, callerNumber)
	require.NoError(t, err)
	require.True(t, out)
	b, err := fs.store.SMSOptedOut(ctx, store.DemoOrgB, callerNumber)
	require.NoError(t, err)
	require.False(t, b, "a STOP to one clinic's number opts out of that org only")

	callSID := newCallSID()
	fs.unbookedCall(callSID, store.DemoNumberA, proc.ID.String())
	res := fs.followUpResult(callSID)
	require.False(t, res.Sent)
	require.Equal(t, store.SkipOptedOut, res.Skipped)
	require.Empty(t, fs.fake.Messages())
	_, err = fs.store.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
	require.ErrorIs(t, err, store.ErrNotFound)

	inbound("hello") // not a keyword: no change
	out, _ = fs.store.SMSOptedOut(ctx, store.DemoOrgA, callerNumber)
	require.True(t, out)
	inbound("START")
	out, _ = fs.store.SMSOptedOut(ctx, store.DemoOrgA, callerNumber)
	require.False(t, out)

	code, _ := fs.post("/twilio/sms", "forged", url.Values{"From": {callerNumber}, "To": {store.DemoNumberA}, "Body": {"STOP"}})
	require.Equal(t, http.StatusForbidden, code)
}

func TestNoFollowUpWithoutAProcedureOrAfterABooking(t *testing.T) {
	fs := startFollowUpSystem(t)
	ctx := context.Background()

	// Unbooked, but no procedure was ever discussed.
	callSID := newCallSID()
	fs.unbookedCall(callSID, store.DemoNumberA, "")
	var final contract.CallState
	require.NoError(t, fs.temporal.GetWorkflow(ctx, contract.CallSessionID(callSID), "").Get(ctx, &final))
	require.Equal(t, contract.OutcomeCompleted, final.Outcome)

	// Booked through the agent's tool calls.
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "blood-test")
	booked := newCallSID()
	code, body := fs.post("/twilio/voice", fakeAuthToken, voiceForm(booked, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	calls := starter.Calls{Client: fs.temporal}
	claims := store.CallClaims(store.DemoOrgA, booked)
	var slot *store.FreeSlot
	for d := 1; slot == nil && d < 10; d++ {
		free, err := fs.store.FreeSlots(ctx, claims, store.DemoClinicA, time.Now().AddDate(0, 0, d), proc.ID)
		require.NoError(t, err)
		if len(free) > 0 {
			slot = &free[0]
		}
	}
	require.NotNil(t, slot)
	held, err := calls.HoldSlot(ctx, booked, "t1", contract.HoldSlotRequest{SlotID: slot.SlotID.String(), ProcedureID: proc.ID.String()})
	require.NoError(t, err)
	require.Equal(t, store.HoldHeld, held.Status)
	conf, err := calls.ConfirmBooking(ctx, booked, "t2", contract.ConfirmBookingRequest{HoldID: held.HoldID, ProcedureID: proc.ID.String()})
	require.NoError(t, err)
	require.Equal(t, store.BookingBooked, conf.Status)
	code, body = fs.post("/twilio/status", fakeAuthToken, statusForm(booked, "completed", 1))
	require.Equal(t, http.StatusNoContent, code, body)
	require.NoError(t, fs.temporal.GetWorkflow(ctx, contract.CallSessionID(booked), "").Get(ctx, &final))
	require.Equal(t, contract.OutcomeBooked, final.Outcome)

	for _, sid := range []string{callSID, booked} {
		_, err := fs.temporal.DescribeWorkflowExecution(ctx, contract.FollowUpID(sid), "")
		var nf *serviceerror.NotFound
		require.True(t, errors.As(err, &nf), "no FollowUp for %s: %v", sid, err)
	}
	require.Empty(t, fs.fake.Messages())
}
