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
)

const (
	testSlot      = "5a000000-0000-4000-8000-000000000001"
	testHold      = "4a000000-0000-4000-8000-000000000001"
	testProcedure = "9a000000-0000-4000-8000-000000000001"
	testBooking   = "b0000000-0000-4000-8000-000000000001"
)

// slotMocks counts the slot activities a test's workflow ran.
type slotMocks struct {
	holds    []activities.HoldSlotRequest
	confirms []activities.ConfirmBookingRequest
	releases []activities.ReleaseHoldRequest
}

// newBookingEnv mocks the slot activities: HoldSlot answers holdStatus,
// ConfirmBooking answers confirmStatus.
func newBookingEnv(t *testing.T, holdStatus, confirmStatus string) (*testsuite.TestWorkflowEnvironment, *slotMocks, *[]activities.CallRecord) {
	env, recorded := newEnv(t)
	m := &slotMocks{}
	var a *activities.Activities
	env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.HoldSlotRequest) (contract.HoldSlotResult, error) {
		m.holds = append(m.holds, req)
		if holdStatus != "held" {
			return contract.HoldSlotResult{Status: holdStatus, Alternatives: []contract.FreeSlot{{SlotID: "5a000000-0000-4000-8000-000000000002"}}}, nil
		}
		return contract.HoldSlotResult{Status: "held", HoldID: testHold, ExpiresAt: env.Now().Add(time.Duration(req.HoldSeconds) * time.Second)}, nil
	}).Maybe()
	env.OnActivity(a.ConfirmBooking, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
		m.confirms = append(m.confirms, req)
		if confirmStatus == "booked" {
			return contract.ConfirmBookingResult{Status: "booked", BookingID: testBooking}, nil
		}
		return contract.ConfirmBookingResult{Status: confirmStatus}, nil
	}).Maybe()
	env.OnActivity(a.ReleaseHold, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.ReleaseHoldRequest) (string, error) {
		m.releases = append(m.releases, req)
		return "released", nil
	}).Maybe()
	return env, m, recorded
}

// updateResult captures one update's fate.
type updateResult struct {
	rejected, accepted bool
	err                error
	value              any
}

func sendUpdate(env *testsuite.TestWorkflowEnvironment, at time.Duration, name string, arg any, out *updateResult) {
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { out.rejected, out.err = true, err },
			OnAccept:   func() { out.accepted = true },
			OnComplete: func(v any, err error) { out.value, out.err = v, err },
		}, arg)
	}, at)
}

func TestBookingUpdateValidatorsRejectBeforeHistory(t *testing.T) {
	tests := []struct {
		name   string
		update string
		arg    any
		want   string
	}{
		{"hold: slot_id not a uuid", contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: "tuesday-10am"}, "slot_id"},
		{"hold: empty slot_id", contract.UpdateHoldSlot, contract.HoldSlotRequest{}, "slot_id"},
		{"hold: negative hold_seconds", contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: -5}, "hold_seconds"},
		{"hold: huge hold_seconds", contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: 86400}, "hold_seconds"},
		{"hold: procedure_id not a uuid", contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, ProcedureID: "mri"}, "procedure_id"},
		{"confirm without a hold", contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, "current hold"},
		{"confirm: hold_id not a uuid", contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: "x", ProcedureID: testProcedure}, "hold_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, m, _ := newBookingEnv(t, "held", "booked")
			var res updateResult
			sendUpdate(env, time.Second, tt.update, tt.arg, &res)
			signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0}, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 1}, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 2})
			env.ExecuteWorkflow(CallSession, testInput)
			require.NoError(t, env.GetWorkflowError())
			require.True(t, res.rejected, "rejected by the validator")
			require.False(t, res.accepted, "never accepted, so never in history")
			require.ErrorContains(t, res.err, tt.want)
			require.Empty(t, m.holds)
			require.Empty(t, m.confirms)
			require.Empty(t, m.releases)
		})
	}
}

func TestBookingUpdatesRejectedAfterTheCallEnded(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	var res updateResult
	// The final status arrives at 0s; the update comes while the workflow
	// is still finishing.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 0})
		env.UpdateWorkflow(contract.UpdateHoldSlot, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { res.rejected, res.err = true, err },
			OnAccept:   func() { res.accepted = true },
			OnComplete: func(any, error) {},
		}, contract.HoldSlotRequest{SlotID: testSlot})
	}, time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.True(t, res.rejected)
	require.ErrorContains(t, res.err, "call already ended")
	require.Empty(t, m.holds)
}

func TestHoldThenConfirmBooksTheCall(t *testing.T) {
	env, m, recorded := newBookingEnv(t, "held", "booked")
	var booked []bool
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		if v, ok := args.Get(0).(temporal.SearchAttributes).GetBool(contract.SABookingConfirmed); ok {
			booked = append(booked, v)
		}
	}).Return(nil)
	var hold, confirm updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: 60, ProcedureID: testProcedure}, &hold)
	sendUpdate(env, 3*time.Second, contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 4*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())

	require.NoError(t, hold.err)
	require.Equal(t, "held", hold.value.(contract.HoldSlotResult).Status)
	require.Equal(t, testHold, hold.value.(contract.HoldSlotResult).HoldID)
	require.Equal(t, []activities.HoldSlotRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID, SlotID: testSlot, HoldSeconds: 60, ProcedureID: testProcedure}}, m.holds)
	require.NoError(t, confirm.err)
	require.Equal(t, contract.ConfirmBookingResult{Status: "booked", BookingID: testBooking}, confirm.value)
	require.Empty(t, m.releases, "a booked hold is not released")

	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeBooked, st.Outcome)
	require.Equal(t, testBooking, st.BookingID)
	require.Nil(t, st.Hold)
	require.Equal(t, []bool{true}, booked)
	require.Equal(t, contract.OutcomeBooked, (*recorded)[len(*recorded)-1].Outcome)
}

func TestHoldDefaultsAndConflicts(t *testing.T) {
	env, m, _ := newBookingEnv(t, "conflict", "booked")
	var res updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot}, &res)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	got := res.value.(contract.HoldSlotResult)
	require.Equal(t, "conflict", got.Status)
	require.NotEmpty(t, got.Alternatives, "a conflict offers another time")
	require.Equal(t, contract.DefaultHoldSeconds, m.holds[0].HoldSeconds)
	require.Empty(t, m.releases, "nothing held, nothing to release")
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
}

func TestLockTimeoutAnswersConflict(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	calls := 0
	env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(func(context.Context, activities.HoldSlotRequest) (contract.HoldSlotResult, error) {
		calls++
		return contract.HoldSlotResult{}, temporal.NewNonRetryableApplicationError("hold slot: slot contended (55P03)", contract.ErrTypeSlotConflict, nil)
	})
	var res updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot}, &res)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	require.Equal(t, "conflict", res.value.(contract.HoldSlotResult).Status)
	require.Equal(t, 1, calls, "a conflict is not retried while the caller waits")
}

func TestUnbookedHoldIsReleasedWhenTheCallEnds(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	var hold updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: 600}, &hold)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 5*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "held", hold.value.(contract.HoldSlotResult).Status)
	require.Equal(t, []activities.ReleaseHoldRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID}}, m.releases,
		"every live hold of the call is given back at once")
	require.Empty(t, m.confirms)
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Nil(t, st.Hold)
}

// Postgres is the authority on expiry: the workflow runs no timer and no
// release for it (a release that retried under the booking lock once kept
// the caller's next request waiting for minutes). The state query derives
// "expired" from workflow time, the next hold_slot is answered at once,
// and the hang-up gives back what is left.
func TestHoldExpiryIsDerivedFromWorkflowTime(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "expired")
	var hold, confirm, second updateResult
	var mid contract.CallState
	releasesBeforeEnd := -1
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: 30}, &hold)
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(contract.QueryState)
		require.NoError(t, err)
		require.NoError(t, v.Get(&mid))
	}, time.Minute)
	// Long after the hold's 30 seconds.
	sendUpdate(env, 2*time.Minute, contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	sendUpdate(env, 150*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot, HoldSeconds: 30}, &second)
	env.RegisterDelayedCallback(func() {
		releasesBeforeEnd = len(m.releases)
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Minute)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NotNil(t, mid.Hold)
	require.True(t, mid.Hold.Expired, "expired by workflow time, with no timer")
	require.Zero(t, releasesBeforeEnd, "nothing released before the hang-up")
	// Postgres has the last word on expiry: the confirm still asks it.
	require.NoError(t, confirm.err)
	require.Equal(t, "expired", confirm.value.(contract.ConfirmBookingResult).Status)
	require.NoError(t, second.err)
	require.Equal(t, "held", second.value.(contract.HoldSlotResult).Status)
	require.Equal(t, []activities.ReleaseHoldRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID}}, m.releases,
		"the hang-up gives back every hold of the call, once")
	var st contract.CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Empty(t, st.BookingID)
}

func TestConfirmRepeatedAfterBookingAnswersAgain(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	var hold, first, again updateResult
	signals(env, contract.CallStatusSignal{CallStatus: "in-progress", SequenceNumber: 0})
	sendUpdate(env, 2*time.Second, contract.UpdateHoldSlot, contract.HoldSlotRequest{SlotID: testSlot}, &hold)
	sendUpdate(env, 3*time.Second, contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &first)
	sendUpdate(env, 4*time.Second, contract.UpdateConfirmBooking, contract.ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &again)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contract.SignalCallStatus, contract.CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 5*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, first.value, again.value)
	require.Len(t, m.confirms, 1, "the repeat is answered from the workflow's state")
}
