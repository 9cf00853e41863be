package workflows

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// followUpStarts holds, per test environment, the inputs of the FollowUp
// children its CallSession started.
var followUpStarts sync.Map // *testsuite.TestWorkflowEnvironment → *[]FollowUpInput

// mockFollowUp registers FollowUp as a mocked child (newEnv does it for
// every CallSession test).
func mockFollowUp(env *testsuite.TestWorkflowEnvironment) {
	started := &[]FollowUpInput{}
	followUpStarts.Store(env, started)
	env.RegisterWorkflowWithOptions(FollowUp, workflow.RegisterOptions{Name: "FollowUp"})
	env.OnWorkflow("FollowUp", mock.Anything, mock.Anything).Return(func(_ workflow.Context, in FollowUpInput) (FollowUpResult, error) {
		*started = append(*started, in)
		return FollowUpResult{Sent: true}, nil
	}).Maybe()
}

func followUpsOf(env *testsuite.TestWorkflowEnvironment) *[]FollowUpInput {
	v, _ := followUpStarts.Load(env)
	return v.(*[]FollowUpInput)
}

func endCall(env *testsuite.TestWorkflowEnvironment, at time.Duration, status string) {
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: status, SequenceNumber: 1})
	}, at)
}

func callResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) CallState {
	t.Helper()
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	return st
}

func TestUnbookedCallWithAProcedureStartsFollowUp(t *testing.T) {
	env, _ := newEnv(t)
	started := followUpsOf(env)
	var discuss updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateDiscussProcedure, DiscussProcedureRequest{ProcedureID: testProcedure}, &discuss)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.NoError(t, discuss.err)
	require.Equal(t, OutcomeCompleted, st.Outcome)
	require.Equal(t, testProcedure, st.ProcedureID)
	require.Equal(t, FollowUpID(testInput.CallSID), st.FollowUpID)
	require.Equal(t, []FollowUpInput{{CallSID: testInput.CallSID, OrgID: testInput.OrgID, ClinicID: testInput.ClinicID, ProcedureID: testProcedure}}, *started)
}

func TestUnbookedHoldStartsFollowUpWithItsProcedure(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	started := followUpsOf(env)
	var hold updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, ProcedureID: testProcedure}, &hold)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, "held", hold.value.(HoldSlotResult).Status)
	require.Len(t, m.releases, 1, "the unbooked hold is given back")
	require.Len(t, *started, 1)
	require.Equal(t, testProcedure, (*started)[0].ProcedureID)
	require.Equal(t, FollowUpID(testInput.CallSID), st.FollowUpID)
}

func TestBookedCallHasNoFollowUp(t *testing.T) {
	env, _, _ := newBookingEnv(t, "held", "booked")
	started := followUpsOf(env)
	var hold, confirm updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, ProcedureID: testProcedure}, &hold)
	sendUpdate(env, 3*time.Second, UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	endCall(env, 4*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, OutcomeBooked, st.Outcome)
	require.Empty(t, *started)
	require.Empty(t, st.FollowUpID)
}

func TestNoFollowUpWithoutAProcedureOrAnAnsweredCall(t *testing.T) {
	t.Run("no procedure discussed", func(t *testing.T) {
		env, _ := newEnv(t)
		started := followUpsOf(env)
		signals(env, CallStatusSignal{"in-progress", 0, "", 0})
		endCall(env, 2*time.Second, "completed")
		env.ExecuteWorkflow(CallSession, testInput)
		st := callResult(t, env)
		require.Equal(t, OutcomeCompleted, st.Outcome)
		require.Empty(t, *started)
	})
	t.Run("call never answered", func(t *testing.T) {
		env, _ := newEnv(t)
		started := followUpsOf(env)
		var discuss updateResult
		sendUpdate(env, time.Second, UpdateDiscussProcedure, DiscussProcedureRequest{ProcedureID: testProcedure}, &discuss)
		endCall(env, 2*time.Second, "no-answer")
		env.ExecuteWorkflow(CallSession, testInput)
		st := callResult(t, env)
		require.Equal(t, OutcomeNoAnswer, st.Outcome)
		require.Empty(t, *started)
	})
}

func TestDiscussProcedureValidation(t *testing.T) {
	env, _ := newEnv(t)
	started := followUpsOf(env)
	var bad updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateDiscussProcedure, DiscussProcedureRequest{ProcedureID: "colonoscopy"}, &bad)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	callResult(t, env)
	require.True(t, bad.rejected, "a procedure name is not an id, and never enters history")
	require.ErrorContains(t, bad.err, "procedure_id")
	require.Empty(t, *started, "an unknown procedure starts no follow-up")
}
