package workflows

import (
	"sync"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// followUpStarts holds, per test environment, the inputs of the FollowUp
// children its CallSession started.
var followUpStarts sync.Map // *testsuite.TestWorkflowEnvironment → *[]contract.FollowUpInput

// mockFollowUp registers FollowUp as a mocked child (newEnv does it for
// every CallSession test).
func mockFollowUp(env *testsuite.TestWorkflowEnvironment) {
	started := &[]contract.FollowUpInput{}
	followUpStarts.Store(env, started)
	env.RegisterWorkflowWithOptions(FollowUp, workflow.RegisterOptions{Name: "FollowUp"})
	env.OnWorkflow("FollowUp", mock.Anything, mock.Anything).Return(func(_ workflow.Context, in contract.FollowUpInput) (contract.FollowUpResult, error) {
		*started = append(*started, in)
		return contract.FollowUpResult{Sent: true}, nil
	}).Maybe()
}

func followUpsOf(env *testsuite.TestWorkflowEnvironment) *[]contract.FollowUpInput {
	v, _ := followUpStarts.Load(env)
	return v.(*[]contract.FollowUpInput)
}

func endCall(env *testsuite.TestWorkflowEnvironment, at time.Duration, status string) {
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: status, SequenceNumber: 1})
	}, at)
}

func callResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) contract.CallState {
	t.Helper()
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	return st
}

func TestUnbookedCallWithAProcedureStartsFollowUp(t *testing.T) {
	env, _ := newEnv(t)
	started := followUpsOf(env)
	var discuss updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: testProcedure}, &discuss)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.NoError(t, discuss.err)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Equal(t, testProcedure, st.ProcedureID)
	require.Equal(t, contract.FollowUpID(testInput.CallSID), st.FollowUpID)
	require.Equal(t, []contract.FollowUpInput{{CallSID: testInput.CallSID, OrgID: testInput.OrgID, ClinicID: testInput.ClinicID, ProcedureID: testProcedure}}, *started)
}

func TestUnbookedHoldStartsFollowUpWithItsProcedure(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	started := followUpsOf(env)
	var hold updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, ProcedureID: testProcedure}, &hold)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, "held", hold.value.(contract.HoldSlotResult).Status)
	require.Len(t, m.releases, 1, "the unbooked hold is given back")
	require.Len(t, *started, 1)
	require.Equal(t, testProcedure, (*started)[0].ProcedureID)
	require.Equal(t, contract.FollowUpID(testInput.CallSID), st.FollowUpID)
}

func TestBookedCallHasNoFollowUp(t *testing.T) {
	env, _, _ := newBookingEnv(t, "held", "booked")
	started := followUpsOf(env)
	var hold, confirm updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, ProcedureID: testProcedure}, &hold)
	sendUpdate(env, 3*time.Second, contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	endCall(env, 4*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	st := callResult(t, env)
	require.Equal(t, contract.OutcomeBooked, st.Outcome)
	require.Empty(t, *started)
	require.Empty(t, st.FollowUpID)
}

func TestNoFollowUpWithoutAProcedureOrAnAnsweredCall(t *testing.T) {
	t.Run("no procedure discussed", func(t *testing.T) {
		env, _ := newEnv(t)
		started := followUpsOf(env)
		signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
		endCall(env, 2*time.Second, "completed")
		env.ExecuteWorkflow(CallSession, testInput)
		st := callResult(t, env)
		require.Equal(t, contract.OutcomeCompleted, st.Outcome)
		require.Empty(t, *started)
	})
	t.Run("call never answered", func(t *testing.T) {
		env, _ := newEnv(t)
		started := followUpsOf(env)
		var discuss updateResult
		sendUpdate(env, time.Second, contract.UpdateDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: testProcedure}, &discuss)
		endCall(env, 2*time.Second, "no-answer")
		env.ExecuteWorkflow(CallSession, testInput)
		st := callResult(t, env)
		require.Equal(t, contract.OutcomeNoAnswer, st.Outcome)
		require.Empty(t, *started)
	})
}

func TestDiscussProcedureValidation(t *testing.T) {
	env, _ := newEnv(t)
	started := followUpsOf(env)
	var bad updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateDiscussProcedure, contract.DiscussProcedureRequest{ProcedureID: "colonoscopy"}, &bad)
	endCall(env, 3*time.Second, "completed")
	env.ExecuteWorkflow(CallSession, testInput)
	callResult(t, env)
	require.True(t, bad.rejected, "a procedure name is not an id, and never enters history")
	require.ErrorContains(t, bad.err, "procedure_id")
	require.Empty(t, *started, "an unknown procedure starts no follow-up")
}
