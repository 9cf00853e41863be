package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
)

var testInput = contract.CallSessionInput{
	CallSID:  "CA0123456789abcdef0123456789abcdef",
	ClinicID: "c1000000-0000-4000-8000-00000000000a",
	OrgID:    "0a000000-0000-4000-8000-00000000000a",
}

func newEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *[]activities.CallRecord) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var recorded []activities.CallRecord
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Return(func(_ context.Context, rec activities.CallRecord) error {
		recorded = append(recorded, rec)
		return nil
	})
	mockFollowUp(env)
	env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).Return(nil).Maybe()
	// Without an account Twilio's API answers no status; tests that lose a
	// callback program their own answer.
	tw := &fakeTwilio{}
	twilioOf.Store(env, tw)
	env.OnActivity(a.FetchCallStatus, mock.Anything, mock.Anything).Return(func(_ context.Context, q activities.CallStatusQuery) (activities.CallStatusAnswer, error) {
		tw.asked = append(tw.asked, q)
		return tw.answer, nil
	}).Maybe()
	return env, &recorded
}

// fakeTwilio is what Twilio's API answers a test's quiet call.
type fakeTwilio struct {
	answer activities.CallStatusAnswer
	asked  []activities.CallStatusQuery
}

var twilioOf sync.Map // *testsuite.TestWorkflowEnvironment → *fakeTwilio

func twilioFor(env *testsuite.TestWorkflowEnvironment) *fakeTwilio {
	v, _ := twilioOf.Load(env)
	return v.(*fakeTwilio)
}

func signals(env *testsuite.TestWorkflowEnvironment, sigs ...contract.CallStatusSignal) {
	for i, s := range sigs {
		s := s
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(contract.SignalCallStatus, s) }, time.Duration(i)*time.Second)
	}
}

func TestCallSessionStatusSequences(t *testing.T) {
	tests := []struct {
		name         string
		sigs         []contract.CallStatusSignal
		wantOutcome  string
		wantTimeline []string
		wantIgnored  int
	}{
		{
			name:         "answered then completed",
			sigs:         []contract.CallStatusSignal{{CallStatus: "ringing", SequenceNumber: -1}, {CallStatus: "in-progress", SequenceNumber: 0}, {CallStatus: "completed", SequenceNumber: 1, CallDuration: 42}},
			wantOutcome:  contract.OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
		},
		{
			name:         "duplicates are ignored",
			sigs:         []contract.CallStatusSignal{{CallStatus: "ringing", SequenceNumber: -1}, {CallStatus: "in-progress", SequenceNumber: 0}, {CallStatus: "in-progress", SequenceNumber: 0}, {CallStatus: "completed", SequenceNumber: 1, CallDuration: 3}},
			wantOutcome:  contract.OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
			wantIgnored:  1,
		},
		{
			name: "a stale callback after a newer one is ignored",
			sigs: []contract.CallStatusSignal{{CallStatus: "ringing", SequenceNumber: -1}, {CallStatus: "in-progress", SequenceNumber: 2}, {CallStatus: "ringing", SequenceNumber: 1}, {CallStatus: "busy", SequenceNumber: 0}, {CallStatus: "completed", SequenceNumber: 3, CallDuration: 9}},
			// busy #0 arrives late: it must not end the call.
			wantOutcome:  contract.OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
			wantIgnored:  2,
		},
		{name: "busy", sigs: []contract.CallStatusSignal{{CallStatus: "ringing", SequenceNumber: -1}, {CallStatus: "busy", SequenceNumber: 0}}, wantOutcome: contract.OutcomeBusy, wantTimeline: []string{"ringing", "busy"}},
		{name: "failed", sigs: []contract.CallStatusSignal{{CallStatus: "failed", SequenceNumber: 0}}, wantOutcome: contract.OutcomeFailed, wantTimeline: []string{"failed"}},
		{name: "no-answer", sigs: []contract.CallStatusSignal{{CallStatus: "no-answer", SequenceNumber: 4}}, wantOutcome: contract.OutcomeNoAnswer, wantTimeline: []string{"no-answer"}},
		{name: "canceled", sigs: []contract.CallStatusSignal{{CallStatus: "ringing", SequenceNumber: -1}, {CallStatus: "canceled", SequenceNumber: 0}}, wantOutcome: contract.OutcomeCanceled, wantTimeline: []string{"ringing", "canceled"}},
		{
			name:         "unknown statuses are ignored",
			sigs:         []contract.CallStatusSignal{{CallStatus: "exploded", SequenceNumber: 0}, {CallStatus: "completed", SequenceNumber: 1, CallDuration: 1}},
			wantOutcome:  contract.OutcomeCompleted,
			wantTimeline: []string{"completed"},
			wantIgnored:  1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, recorded := newEnv(t)
			signals(env, tt.sigs...)
			env.ExecuteWorkflow(CallSession, testInput)
			require.True(t, env.IsWorkflowCompleted())
			require.NoError(t, env.GetWorkflowError())
			var st contract.CallState
			require.NoError(t, env.GetWorkflowResult(&st))
			require.Equal(t, tt.wantOutcome, st.Outcome)
			require.True(t, st.Ended)
			var got []string
			for _, ev := range st.StatusTimeline {
				got = append(got, ev.Status)
			}
			require.Equal(t, tt.wantTimeline, got)
			require.Equal(t, tt.wantIgnored, st.Ignored)
			last := (*recorded)[len(*recorded)-1]
			require.Equal(t, tt.wantOutcome, last.Outcome)
			require.NotNil(t, last.EndedAt, "the final record carries the end time")
			require.Equal(t, testInput.OrgID, last.OrgID)
		})
	}
}

func TestCallSessionSearchAttributes(t *testing.T) {
	env, _ := newEnv(t)
	var statuses, outcomes []string
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		if v, ok := sa.GetKeyword(contract.SACallStatus); ok {
			statuses = append(statuses, v)
		}
		if v, ok := sa.GetKeyword(contract.SAOutcome); ok {
			outcomes = append(outcomes, v)
		}
	}).Return(nil)
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "no-answer", SequenceNumber: 1})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{"in-progress", "no-answer"}, statuses)
	require.Equal(t, []string{contract.OutcomeNoAnswer}, outcomes)
}

func TestCallSessionStateQuery(t *testing.T) {
	env, _ := newEnv(t)
	var mid contract.CallState
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	}, time.Second)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(contract.QueryState)
		require.NoError(t, err)
		require.NoError(t, v.Get(&mid))
	}, 2*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "in-progress", mid.Status)
	require.False(t, mid.Ended)
	require.Equal(t, 0, mid.LastSequence)
	require.Equal(t, testInput.CallSID, mid.CallSID)
}

func TestCallSessionTimesOutWithoutFinalStatus(t *testing.T) {
	env, _ := newEnv(t)
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeTimedOut, st.Outcome)
}

func TestCallSessionRejectsIncompleteInput(t *testing.T) {
	env, _ := newEnv(t)
	env.ExecuteWorkflow(CallSession, contract.CallSessionInput{CallSID: testInput.CallSID})
	require.Error(t, env.GetWorkflowError())
}

func TestCallSessionKeepsGoingWhenRecordingFails(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Return(errFake)
	env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).Return(nil)
	env.SetTestTimeout(time.Minute)
	signals(env, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 0})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
}

var errFake = fakeErr("postgres down")

type fakeErr string

func (e fakeErr) Error() string { return string(e) }

// A call whose clinic is not in its org ends at once as rejected, before
// any status is recorded or any handler can act for it.
func TestCallSessionRejectsAForgedTenant(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.CheckTenant, mock.Anything, mock.Anything).Return(
		temporal.NewNonRetryableApplicationError("clinic not in org", contract.ErrTypeTenantMismatch, nil))
	recorded := 0
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Run(func(mock.Arguments) { recorded++ }).Return(nil).Maybe()
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1, CallDuration: 5})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeRejected, st.Outcome)
	require.Zero(t, recorded, "a rejected call writes nothing")
}
