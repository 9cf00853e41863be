package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/store"
)

var followUpInput = contract.FollowUpInput{
	CallSID: testInput.CallSID, OrgID: testInput.OrgID, ClinicID: testInput.ClinicID,
	ProcedureID: "d1000000-0000-4000-8000-00000000000a",
}

type followUpEnv struct {
	*testsuite.TestWorkflowEnvironment
	sends *int
	// flagged is set when the workflow upserts FollowUpSent=true.
	flagged *bool
}

// newFollowUpEnv mocks the two activities: Prepare answers plan, Send
// answers sent (counting calls).
func newFollowUpEnv(t *testing.T, plan activities.FollowUpPlan, sent activities.FollowUpSendResult) followUpEnv {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.PrepareFollowUp, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.FollowUpRequest) (activities.FollowUpPlan, error) {
		require.Equal(t, followUpInput.ProcedureID, req.ProcedureID)
		return plan, nil
	})
	n := 0
	env.OnActivity(a.SendFollowUp, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.FollowUpRequest) (activities.FollowUpSendResult, error) {
		n++
		return sent, nil
	}).Maybe()
	flagged := false
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		if v, ok := args.Get(0).(temporal.SearchAttributes).GetBool(contract.SAFollowUpSent); ok {
			flagged = v
		}
	}).Return(nil).Maybe()
	return followUpEnv{env, &n, &flagged}
}

func followUpResult(t *testing.T, env followUpEnv) contract.FollowUpResult {
	t.Helper()
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res contract.FollowUpResult
	require.NoError(t, env.GetWorkflowResult(&res))
	return res
}

func TestFollowUpSendsForAnUnbookedCall(t *testing.T) {
	env := newFollowUpEnv(t, activities.FollowUpPlan{Version: 1}, activities.FollowUpSendResult{Status: "queued", MessageSID: "SM0123"})
	env.ExecuteWorkflow(FollowUp, followUpInput)
	res := followUpResult(t, env)
	require.True(t, res.Sent)
	require.Equal(t, "SM0123", res.MessageSID)
	require.Equal(t, 1, *env.sends)
	require.True(t, *env.flagged, "FollowUpSent is set once the message has left")
}

func TestFollowUpSkipsWhatPrepareRefuses(t *testing.T) {
	for _, skip := range []string{contract.SkipUnknownProcedure, store.SkipOptedOut, store.SkipBooked, store.SkipNoContact} {
		t.Run(skip, func(t *testing.T) {
			env := newFollowUpEnv(t, activities.FollowUpPlan{Skip: skip}, activities.FollowUpSendResult{Status: "queued"})
			env.ExecuteWorkflow(FollowUp, followUpInput)
			res := followUpResult(t, env)
			require.False(t, res.Sent)
			require.Equal(t, skip, res.Skipped)
			require.Zero(t, *env.sends, "nothing is sent")
			require.False(t, *env.flagged)
		})
	}
}

func TestFollowUpWaitsTheClinicsDelay(t *testing.T) {
	env := newFollowUpEnv(t, activities.FollowUpPlan{Version: 1, DelaySeconds: 3600}, activities.FollowUpSendResult{Status: "queued"})
	var started time.Time
	env.SetOnTimerScheduledListener(func(_ string, d time.Duration) {
		require.Equal(t, time.Hour, d)
		started = env.Now()
	})
	env.ExecuteWorkflow(FollowUp, followUpInput)
	res := followUpResult(t, env)
	require.True(t, res.Sent)
	require.False(t, started.IsZero(), "a timer was scheduled")
	require.Equal(t, 1, *env.sends)
}

func TestFollowUpCancelledDuringTheDelay(t *testing.T) {
	env := newFollowUpEnv(t, activities.FollowUpPlan{Version: 1, DelaySeconds: 3600}, activities.FollowUpSendResult{Status: "queued"})
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(contract.SignalFollowUpCancel, nil) }, 10*time.Minute)
	env.ExecuteWorkflow(FollowUp, followUpInput)
	res := followUpResult(t, env)
	require.False(t, res.Sent)
	require.Equal(t, contract.SkipCancelled, res.Skipped)
	require.Zero(t, *env.sends)
}

func TestFollowUpBookingDuringTheDelayStopsTheSend(t *testing.T) {
	// No signal: the caller booked online, and the send's own re-check finds it.
	env := newFollowUpEnv(t, activities.FollowUpPlan{Version: 1, DelaySeconds: 3600}, activities.FollowUpSendResult{Skip: store.SkipBooked})
	env.ExecuteWorkflow(FollowUp, followUpInput)
	res := followUpResult(t, env)
	require.False(t, res.Sent)
	require.Equal(t, store.SkipBooked, res.Skipped)
	require.False(t, *env.flagged)
}

func TestFollowUpRefusedByTwilioIsNotSent(t *testing.T) {
	env := newFollowUpEnv(t, activities.FollowUpPlan{Version: 1}, activities.FollowUpSendResult{Status: "failed", ErrorCode: 21211})
	env.ExecuteWorkflow(FollowUp, followUpInput)
	res := followUpResult(t, env)
	require.False(t, res.Sent)
	require.Equal(t, 21211, res.ErrorCode)
}

func TestFollowUpRejectsIncompleteInput(t *testing.T) {
	env := newFollowUpEnv(t, activities.FollowUpPlan{}, activities.FollowUpSendResult{})
	env.ExecuteWorkflow(FollowUp, contract.FollowUpInput{CallSID: testInput.CallSID})
	require.Error(t, env.GetWorkflowError())
}
