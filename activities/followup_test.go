package activities_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/followup"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

const (
	fakeAccount = "AC0123456789abcdef0123456789abcdef"
	fakeToken   = "faketoken"
	callerPhone = "+447700900123"
	fromNumber  = "+15005550006"
)

type followUpFixture struct {
	t      *testing.T
	st     *store.Store
	fake   *twiliofake.Server
	acts   *activities.Activities
	env    *testsuite.TestActivityEnvironment
	proc   store.Procedure
	nCalls int
}

func newFollowUpFixture(t *testing.T, withTwilio bool) *followUpFixture {
	ctx := context.Background()
	_, st := testenv.DemoStore(t)
	signer, err := followup.NewSigner([]byte("test-link-secret-0123456789"), nil)
	require.NoError(t, err)
	f := &followUpFixture{t: t, st: st}
	deps := &activities.FollowUpDeps{Signer: signer, From: fromNumber, PublicURL: "https://fd.example", Logger: testenv.Logger(t)}
	if withTwilio {
		f.fake = twiliofake.New(fakeAccount, fakeToken)
		t.Cleanup(f.fake.Close)
		sender, err := followup.NewTwilioSender(followup.TwilioConfig{AccountSID: fakeAccount, AuthToken: fakeToken, BaseURL: f.fake.URL})
		require.NoError(t, err)
		deps.Sender = sender
	}
	f.acts = &activities.Activities{Store: st, FollowUp: deps}
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	f.env.RegisterActivity(f.acts)
	f.proc, err = st.ProcedureByCode(ctx, store.CallClaims(store.DemoOrgA, "CA"+strings.Repeat("0", 32)), store.DemoClinicA, "blood-test")
	require.NoError(t, err)
	return f
}

// call makes a call from phone (empty: withheld number) and returns its
// follow-up request.
func (f *followUpFixture) call(phone string) activities.FollowUpRequest {
	f.nCalls++
	sid := fmt.Sprintf("CA%032x", f.nCalls+1000)
	if phone != "" {
		require.NoError(f.t, f.st.RecordCallContact(context.Background(), store.ClinicRef{OrgID: store.DemoOrgA, ClinicID: store.DemoClinicA}, sid, phone))
	}
	return activities.FollowUpRequest{OrgID: store.DemoOrgA.String(), ClinicID: store.DemoClinicA.String(), CallSID: sid, ProcedureID: f.proc.ID.String()}
}

func (f *followUpFixture) prepare(req activities.FollowUpRequest) activities.FollowUpPlan {
	v, err := f.env.ExecuteActivity(f.acts.PrepareFollowUp, req)
	require.NoError(f.t, err)
	var plan activities.FollowUpPlan
	require.NoError(f.t, v.Get(&plan))
	return plan
}

func (f *followUpFixture) send(req activities.FollowUpRequest) (activities.FollowUpSendResult, error) {
	v, err := f.env.ExecuteActivity(f.acts.SendFollowUp, req)
	if err != nil {
		return activities.FollowUpSendResult{}, err
	}
	var res activities.FollowUpSendResult
	require.NoError(f.t, v.Get(&res))
	return res, nil
}

func TestPrepareFollowUp(t *testing.T) {
	f := newFollowUpFixture(t, false)
	ctx := context.Background()

	req := f.call(callerPhone)
	plan := f.prepare(req)
	require.Empty(t, plan.Skip)
	require.Equal(t, 1, plan.Version)
	require.Zero(t, plan.DelaySeconds)
	pdf, err := f.st.ProcedureDocument(ctx, store.CallClaims(store.DemoOrgA, req.CallSID), f.proc.ID, 1)
	require.NoError(t, err, "the guide is rendered and cached before the SMS goes")
	require.True(t, strings.HasPrefix(string(pdf), "%PDF-"))

	unknown := req
	unknown.ProcedureID = uuid.NewString()
	require.Equal(t, contract.SkipUnknownProcedure, f.prepare(unknown).Skip)
	// Another org's procedure is as unknown as a made-up one.
	other, err := f.st.ProcedureByCode(ctx, store.CallClaims(store.DemoOrgB, req.CallSID), store.DemoClinicB, "hygiene")
	require.NoError(t, err)
	unknown.ProcedureID = other.ID.String()
	require.Equal(t, contract.SkipUnknownProcedure, f.prepare(unknown).Skip)

	require.Equal(t, store.SkipNoContact, f.prepare(f.call("")).Skip, "withheld number")

	require.NoError(t, f.st.SetSMSOptOut(ctx, store.DemoOrgA, "+447700900999", true))
	require.Equal(t, store.SkipOptedOut, f.prepare(f.call("+447700900999")).Skip)
	// An opt-out in org B does not silence org A.
	require.NoError(t, f.st.SetSMSOptOut(ctx, store.DemoOrgB, "+447700900888", true))
	require.Empty(t, f.prepare(f.call("+447700900888")).Skip)
}

func TestSendFollowUpOnceThroughTwilio(t *testing.T) {
	f := newFollowUpFixture(t, true)
	ctx := context.Background()
	req := f.call(callerPhone)
	first, err := f.send(req)
	require.NoError(t, err)
	require.Equal(t, "queued", first.Status)
	require.Regexp(t, `^SM[0-9a-f]{32}$`, first.MessageSID)
	msgs := f.fake.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, callerPhone, msgs[0].To)
	require.Equal(t, fromNumber, msgs[0].From)
	require.Contains(t, msgs[0].Body, "Northgate Clinic")
	require.Contains(t, msgs[0].Body, "https://fd.example/d/")
	require.NotContains(t, strings.ToLower(msgs[0].Body), "blood")
	require.Empty(t, msgs[0].MediaURLs, "MMS is off unless the clinic enables it")
	require.Equal(t, "https://fd.example/twilio/sms-status?org="+store.DemoOrgA.String(), msgs[0].StatusCallback)

	again, err := f.send(req)
	require.NoError(t, err)
	require.Equal(t, first.MessageSID, again.MessageSID, "a retried activity answers the first send")
	require.Len(t, f.fake.Messages(), 1)

	row, err := f.st.OutboxFor(ctx, store.DemoOrgA, req.CallSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, first.MessageSID, row.MessageSID)
	require.Equal(t, 2, row.Attempts)

	// MMS where the clinic enables it: the guide link is the media.
	require.NoError(t, f.st.InTenant(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "admin"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update app.clinics set followup_mms = true`)
		return err
	}))
	mms, err := f.send(f.call("+447700900125"))
	require.NoError(t, err)
	require.Regexp(t, `^MM`, mms.MessageSID)
	msgs = f.fake.Messages()
	require.Len(t, msgs, 2)
	require.Len(t, msgs[1].MediaURLs, 1)
	require.True(t, strings.HasPrefix(msgs[1].MediaURLs[0], "https://fd.example/d/"))
	require.Contains(t, msgs[1].Body, msgs[1].MediaURLs[0])
}

func TestSendFollowUpRecoversAPendingRow(t *testing.T) {
	f := newFollowUpFixture(t, true)
	ctx := context.Background()

	// The worker died after Twilio accepted but before the answer was
	// recorded: the retry finds the message at Twilio and sends nothing.
	req := f.call(callerPhone)
	crash := errors.New("worker died")
	f.acts.FollowUp.AfterOutboxWrite = func(ctx context.Context, callSID string) {
		row, err := f.st.OutboxFor(ctx, store.DemoOrgA, callSID, store.PurposeFollowUp)
		require.NoError(t, err)
		_, err = f.acts.FollowUp.Sender.Send(ctx, followup.Message{To: callerPhone, From: fromNumber, Body: row.Body})
		require.NoError(t, err)
		panic(crash)
	}
	_, err := f.send(req)
	require.Error(t, err)
	f.acts.FollowUp.AfterOutboxWrite = nil
	res, err := f.send(req)
	require.NoError(t, err)
	require.Len(t, f.fake.Messages(), 1)
	require.Equal(t, f.fake.Messages()[0].SID, res.MessageSID)

	// Died before Twilio was reached: the retry sends, once.
	req2 := f.call("+447700900124")
	f.acts.FollowUp.AfterOutboxWrite = func(context.Context, string) { panic(crash) }
	_, err = f.send(req2)
	require.Error(t, err)
	f.acts.FollowUp.AfterOutboxWrite = nil
	res, err = f.send(req2)
	require.NoError(t, err)
	require.Len(t, f.fake.Messages(), 2)
	row, err := f.st.OutboxFor(ctx, store.DemoOrgA, req2.CallSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, res.MessageSID, row.MessageSID)
}

func TestSendFollowUpTwilioErrors(t *testing.T) {
	f := newFollowUpFixture(t, true)
	ctx := context.Background()

	req := f.call(callerPhone)
	f.fake.FailNext(twiliofake.Failure{HTTPStatus: 429, Code: 20429, Message: "Too Many Requests", RetryAfter: 7})
	_, err := f.send(req)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.Equal(t, contract.ErrTypeTwilioUnavailable, appErr.Type())
	require.False(t, appErr.NonRetryable())
	require.Equal(t, 7*time.Second, appErr.NextRetryDelay(), "Twilio's Retry-After")
	require.NotContains(t, err.Error(), callerPhone)

	f.fake.FailNext(twiliofake.Failure{HTTPStatus: 503, Code: 20503})
	_, err = f.send(req)
	require.True(t, errors.As(err, &appErr))
	require.Zero(t, appErr.NextRetryDelay(), "no Retry-After: the retry policy's backoff")
	res, err := f.send(req)
	require.NoError(t, err)
	require.Equal(t, "queued", res.Status)
	require.Len(t, f.fake.Messages(), 1)

	// An invalid number: recorded, not retried.
	bad := f.call("+15005550001")
	f.fake.FailNext(twiliofake.Failure{HTTPStatus: 400, Code: followup.CodeInvalidTo, Message: "The 'To' number +15005550001 is not a valid phone number."})
	res, err = f.send(bad)
	require.NoError(t, err)
	require.Equal(t, store.OutboxFailed, res.Status)
	require.Equal(t, followup.CodeInvalidTo, res.ErrorCode)
	res, err = f.send(bad)
	require.NoError(t, err)
	require.Equal(t, store.OutboxFailed, res.Status, "a refusal is final")

	// Opted out at Twilio: recorded as an opt-out here too.
	stopped := f.call("+447700900555")
	f.fake.FailNext(twiliofake.Failure{HTTPStatus: 400, Code: followup.CodeUnsubscribed, Message: "Attempt to send to unsubscribed recipient"})
	res, err = f.send(stopped)
	require.NoError(t, err)
	require.Equal(t, followup.CodeUnsubscribed, res.ErrorCode)
	out, err := f.st.SMSOptedOut(ctx, store.DemoOrgA, "+447700900555")
	require.NoError(t, err)
	require.True(t, out)
	require.Len(t, f.fake.Messages(), 1)
}

func TestSendFollowUpSkipsAndLogs(t *testing.T) {
	f := newFollowUpFixture(t, false)
	ctx := context.Background()

	// No Twilio account: the outbox row ends `logged`.
	req := f.call(callerPhone)
	res, err := f.send(req)
	require.NoError(t, err)
	require.Equal(t, store.OutboxLogged, res.Status)
	row, err := f.st.OutboxFor(ctx, store.DemoOrgA, req.CallSID, store.PurposeFollowUp)
	require.NoError(t, err)
	require.Equal(t, store.OutboxLogged, row.Status)
	require.Empty(t, row.MessageSID)

	// Opted out between prepare and send.
	req = f.call("+447700900777")
	require.NoError(t, f.st.SetSMSOptOut(ctx, store.DemoOrgA, "+447700900777", true))
	res, err = f.send(req)
	require.NoError(t, err)
	require.Equal(t, store.SkipOptedOut, res.Skip)
	_, err = f.st.OutboxFor(ctx, store.DemoOrgA, req.CallSID, store.PurposeFollowUp)
	require.ErrorIs(t, err, store.ErrNotFound, "nothing written for a skipped follow-up")

	// Booked for that procedure by another call from the same number.
	req = f.call("+447700900666")
	booker := f.call("+447700900666")
	claims := store.CallClaims(store.DemoOrgA, booker.CallSID)
	free, err := f.st.FreeSlots(ctx, claims, store.DemoClinicA, nextWeekday(time.Now()), f.proc.ID)
	require.NoError(t, err)
	require.NotEmpty(t, free)
	hold, err := f.st.LockSlot(ctx, store.DemoOrgA, booker.CallSID, free[0].SlotID, time.Minute)
	require.NoError(t, err)
	b, err := f.st.ConfirmBooking(ctx, store.DemoOrgA, booker.CallSID, hold.HoldID, f.proc.ID)
	require.NoError(t, err)
	require.Equal(t, store.BookingBooked, b.Status)
	res, err = f.send(req)
	require.NoError(t, err)
	require.Equal(t, store.SkipBooked, res.Skip)
	require.Equal(t, store.SkipBooked, f.prepare(req).Skip)
}
