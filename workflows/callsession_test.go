package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
)

var testInput = CallSessionInput{
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
	return env, &recorded
}

func signals(env *testsuite.TestWorkflowEnvironment, sigs ...CallStatusSignal) {
	for i, s := range sigs {
		s := s
		env.RegisterDelayedCallback(func() { env.SignalWorkflow(SignalCallStatus, s) }, time.Duration(i)*time.Second)
	}
}

func TestCallSessionStatusSequences(t *testing.T) {
	tests := []struct {
		name         string
		sigs         []CallStatusSignal
		wantOutcome  string
		wantTimeline []string
		wantIgnored  int
	}{
		{
			name:         "answered then completed",
			sigs:         []CallStatusSignal{{"ringing", -1, "", 0}, {"in-progress", 0, "", 0}, {"completed", 1, "", 42}},
			wantOutcome:  OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
		},
		{
			name:         "duplicates are ignored",
			sigs:         []CallStatusSignal{{"ringing", -1, "", 0}, {"in-progress", 0, "", 0}, {"in-progress", 0, "", 0}, {"completed", 1, "", 3}},
			wantOutcome:  OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
			wantIgnored:  1,
		},
		{
			name: "a stale callback after a newer one is ignored",
			sigs: []CallStatusSignal{{"ringing", -1, "", 0}, {"in-progress", 2, "", 0}, {"ringing", 1, "", 0}, {"busy", 0, "", 0}, {"completed", 3, "", 9}},
			// busy #0 arrives late: it must not end the call.
			wantOutcome:  OutcomeCompleted,
			wantTimeline: []string{"ringing", "in-progress", "completed"},
			wantIgnored:  2,
		},
		{name: "busy", sigs: []CallStatusSignal{{"ringing", -1, "", 0}, {"busy", 0, "", 0}}, wantOutcome: OutcomeBusy, wantTimeline: []string{"ringing", "busy"}},
		{name: "failed", sigs: []CallStatusSignal{{"failed", 0, "", 0}}, wantOutcome: OutcomeFailed, wantTimeline: []string{"failed"}},
		{name: "no-answer", sigs: []CallStatusSignal{{"no-answer", 4, "", 0}}, wantOutcome: OutcomeNoAnswer, wantTimeline: []string{"no-answer"}},
		{name: "canceled", sigs: []CallStatusSignal{{"ringing", -1, "", 0}, {"canceled", 0, "", 0}}, wantOutcome: OutcomeCanceled, wantTimeline: []string{"ringing", "canceled"}},
		{
			name:         "unknown statuses are ignored",
			sigs:         []CallStatusSignal{{"exploded", 0, "", 0}, {"completed", 1, "", 1}},
			wantOutcome:  OutcomeCompleted,
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
			var st CallState
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
		if v, ok := sa.GetKeyword(SACallStatus); ok {
			statuses = append(statuses, v)
		}
		if v, ok := sa.GetKeyword(SAOutcome); ok {
			outcomes = append(outcomes, v)
		}
	}).Return(nil)
	signals(env, CallStatusSignal{"in-progress", 0, "", 0}, CallStatusSignal{"no-answer", 1, "", 0})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{"in-progress", "no-answer"}, statuses)
	require.Equal(t, []string{OutcomeNoAnswer}, outcomes)
}

func TestCallSessionStateQuery(t *testing.T) {
	env, _ := newEnv(t)
	var mid CallState
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	}, time.Second)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(QueryState)
		require.NoError(t, err)
		require.NoError(t, v.Get(&mid))
	}, 2*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
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
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeTimedOut, st.Outcome)
}

func TestCallSessionRejectsIncompleteInput(t *testing.T) {
	env, _ := newEnv(t)
	env.ExecuteWorkflow(CallSession, CallSessionInput{CallSID: testInput.CallSID})
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
	signals(env, CallStatusSignal{"completed", 0, "", 0})
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
		temporal.NewNonRetryableApplicationError("clinic not in org", activities.ErrTypeTenantMismatch, nil))
	recorded := 0
	env.OnActivity(a.RecordCall, mock.Anything, mock.Anything).Run(func(mock.Arguments) { recorded++ }).Return(nil).Maybe()
	signals(env, CallStatusSignal{"in-progress", 0, "", 0}, CallStatusSignal{"completed", 1, "", 5})
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeRejected, st.Outcome)
	require.Zero(t, recorded, "a rejected call writes nothing")
}
