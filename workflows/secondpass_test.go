package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// Each test here reproduces one defect a Temporal review found in the
// first version of CallSession, and shows it fixed.

// A Postgres outage during the tenant check used to end real calls as
// "rejected": any error counted as a forged tenant.
func TestTenantCheckRetriesAnOutageInsteadOfRejecting(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	attempts := 0
	env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).Return(func(context.Context, activities.TenantCheck) error {
		attempts++
		if attempts <= 7 {
			// Seven minutes of outage: longer than the five minutes the
			// first version waited before it called the call forged.
			return temporal.NewApplicationErrorWithOptions("dial tcp 127.0.0.1:5432: connect: connection refused", "",
				temporal.ApplicationErrorOptions{NextRetryDelay: time.Minute})
		}
		return nil
	})
	var recorded []activities.CallRecord
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Return(func(_ context.Context, rec activities.CallRecord) error {
		recorded = append(recorded, rec)
		return nil
	})
	env.OnActivity(a.FetchCallStatus, mock.Anything, mock.Anything).Return(activities.CallStatusAnswer{}, nil).Maybe()
	mockFollowUp(env)
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1, CallDuration: 30})
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, 8, attempts, "retried through the outage")
	require.Equal(t, contract.OutcomeCompleted, st.Outcome, "a real call is not rejected for an outage")
	require.NotEmpty(t, recorded, "and it has its record")
}

// The outage that never ends fails the workflow (for ops to see) rather
// than pass a security verdict on the call.
func TestTenantCheckThatNeverAnswersFailsTheWorkflow(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).Return(errors.New("connection refused"))
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Return(nil).Maybe()
	env.ExecuteWorkflow(CallSession, testInput)
	require.True(t, env.IsWorkflowCompleted())
	err := env.GetWorkflowError()
	require.Error(t, err)
	require.NotContains(t, err.Error(), contract.OutcomeRejected)
}

// Handlers used to run before the tenant check passed: an Update arriving
// during the check held a slot for a call about to be rejected, and the
// rejected path neither awaited it nor gave the slot back.
func TestHandlersWaitForTheTenantCheck(t *testing.T) {
	for _, tt := range []struct {
		name      string
		check     error
		wantHolds int
		wantErr   string
		outcome   string
	}{
		{name: "forged tenant", check: temporal.NewNonRetryableApplicationError("clinic not in org", contract.ErrTypeTenantMismatch, nil),
			wantErr: "rejected", outcome: contract.OutcomeRejected},
		{name: "genuine tenant", wantHolds: 1, outcome: contract.OutcomeCompleted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			var a *activities.Activities
			env.RegisterActivity(a)
			checked := false
			env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).After(5 * time.Second).Return(func(context.Context, activities.TenantCheck) error {
				checked = true
				return tt.check
			})
			holdBeforeCheck := false
			holds := 0
			env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(func(context.Context, activities.HoldSlotRequest) (contract.HoldSlotResult, error) {
				holdBeforeCheck = holdBeforeCheck || !checked
				holds++
				return contract.HoldSlotResult{Status: "held", HoldID: testHold, ExpiresAt: env.Now().Add(time.Minute)}, nil
			}).Maybe()
			env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Return(nil).Maybe()
			env.OnActivity(a.ReleaseHold, mock.Anything, mock.Anything).Return("released", nil).Maybe()
			env.OnActivity(a.FetchCallStatus, mock.Anything, mock.Anything).Return(activities.CallStatusAnswer{}, nil).Maybe()
			mockFollowUp(env)
			var hold updateResult
			sendUpdate(env, time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot}, &hold)
			endCall(env, 10*time.Second, "completed")
			env.ExecuteWorkflow(CallSession, testInput)
			st := callResult(t, env)
			require.False(t, holdBeforeCheck, "no slot is held before the check answers")
			require.Equal(t, tt.wantHolds, holds)
			require.Equal(t, tt.outcome, st.Outcome)
			if tt.wantErr != "" {
				require.ErrorContains(t, hold.err, tt.wantErr)
			} else {
				require.NoError(t, hold.err)
			}
		})
	}
}

// A lost final status callback used to cost the outcome and the follow-up:
// Twilio does not retry status callbacks by default, and the call waited
// four hours to end as timed-out. Now a call whose stream has ended asks
// Twilio.
func TestLostFinalCallbackIsRecoveredFromTwilio(t *testing.T) {
	env, _ := newEnv(t)
	tw := twilioFor(env)
	tw.answer = activities.CallStatusAnswer{Status: "completed", DurationSecs: 42}
	var started, discussed, ended updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamStarted}, &started)
	sendUpdate(env, 2*time.Second, contract.UpdateDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: testProcedure}, &discussed)
	sendUpdate(env, 20*time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamEnded, Reason: contract.StreamStop}, &ended)
	// ... and the `completed` callback never comes.
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.NoError(t, started.err)
	require.NoError(t, ended.err)
	require.Equal(t, []activities.CallStatusQuery{{OrgID: testInput.OrgID, CallSID: testInput.CallSID}}, tw.asked, "asked once, after the stream ended")
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Equal(t, 42, st.DurationSecs)
	require.Equal(t, activities.StatusSourceTwilioAPI, st.StatusSource)
	require.Equal(t, []contract.FollowUpInput{{CallSID: testInput.CallSID, OrgID: testInput.OrgID, ClinicID: testInput.ClinicID, ProcedureID: testProcedure}},
		*followUpsOf(env), "the follow-up goes out as if the callback had come")
}

// A hold whose answer was lost (Postgres committed, the activity failed)
// used to stay blocked until it expired: the hang-up released only holds
// the workflow knew of.
func TestHoldWhoseAnswerWasLostIsReleasedAtHangUp(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(contract.HoldSlotResult{}, errors.New("read tcp: connection reset by peer"))
	var releases []activities.ReleaseHoldRequest
	env.OnActivity(a.ReleaseHold, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.ReleaseHoldRequest) (string, error) {
		releases = append(releases, req)
		return "released", nil
	})
	var hold updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot}, &hold)
	endCall(env, time.Minute, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Error(t, hold.err, "the agent heard the hold failed")
	require.Equal(t, []activities.ReleaseHoldRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID}}, releases,
		"yet the hang-up gives back whatever the call may hold")
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
}

// The voice path's final transcript turn can arrive just after Twilio's
// `completed`: the call keeps a grace window open for the turns its
// stream has sent.
func TestLateTurnsAreRecordedWithinTheGraceWindow(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	var seqs []int
	env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.TurnInput) (contract.TurnResult, error) {
		seqs = append(seqs, in.Seq)
		return contract.TurnResult{Seq: in.Seq, Class: "medical"}, nil
	})
	var started, early, late, ended updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamStarted}, &started)
	sendUpdate(env, 2*time.Second, contract.UpdateTurn, sealedTurn(testInput.CallSID, 40), &early)
	endCall(env, 3*time.Second, "completed")
	sendUpdate(env, 4*time.Second, contract.UpdateTurn, sealedTurn(testInput.CallSID, 40), &late)
	sendUpdate(env, 5*time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamEnded, Reason: contract.StreamStop, Turns: 2}, &ended)
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.NoError(t, early.err)
	require.True(t, late.accepted, "a turn just after `completed` is accepted")
	require.NoError(t, late.err)
	require.NoError(t, ended.err)
	require.Equal(t, []int{1, 2}, seqs)
	require.Equal(t, 2, st.Turns)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
}

// Once the grace window has closed, a turn is refused before history.
func TestTurnAfterTheGraceWindowIsRefused(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	env.OnActivity(a.RecordTurn, mock.Anything, mock.Anything).Return(contract.TurnResult{}, nil).Maybe()
	var started, late updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamStarted}, &started)
	endCall(env, 2*time.Second, "completed")
	// The stream never says it ended: the window closes after lateTurnGrace.
	sendUpdate(env, 2*time.Second+lateTurnGrace+time.Second, contract.UpdateTurn, sealedTurn(testInput.CallSID, 40), &late)
	env.ExecuteWorkflow(CallSession, testInput)
	callResult(t, env)
	require.False(t, late.accepted)
}

// A media stream for an ended call is refused, so the voice path closes it.
func TestMediaStreamForAnEndedCallIsRefused(t *testing.T) {
	env, _ := newEnv(t)
	var res updateResult
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "canceled", SequenceNumber: 0})
		env.UpdateWorkflow(contract.UpdateMediaStream, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { res.rejected, res.err = true, err },
			OnAccept:   func() { res.accepted = true },
			OnComplete: func(any, error) {},
		}, contract.MediaStreamEvent{Event: contract.StreamStarted})
	}, time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	callResult(t, env)
	require.True(t, res.rejected)
	require.ErrorContains(t, res.err, "ended")
}

// A transfer to staff is the call's outcome and skips the follow-up: the
// staff member has the caller.
func TestTransferredCallHasNoFollowUp(t *testing.T) {
	env, _ := newEnv(t)
	var started, discussed, ended updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamStarted}, &started)
	sendUpdate(env, 2*time.Second, contract.UpdateDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: testProcedure}, &discussed)
	sendUpdate(env, 3*time.Second, contract.UpdateMediaStream, contract.MediaStreamEvent{Event: contract.StreamEnded, Reason: contract.StreamTransfer}, &ended)
	endCall(env, 4*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, contract.OutcomeTransferred, st.Outcome)
	require.True(t, st.Transfer)
	require.Empty(t, *followUpsOf(env))
}

// A signed SequenceNumber near 2^63 used to fence off every later
// callback, freezing the call until its four-hour timeout.
func TestOutOfRangeSequenceNumberIsIgnored(t *testing.T) {
	env, _ := newEnv(t)
	signals(env,
		contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 1<<63 - 1},
		contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Equal(t, 1, st.Ignored)
}
