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
	env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.HoldSlotRequest) (activities.HoldSlotResult, error) {
		m.holds = append(m.holds, req)
		if holdStatus != "held" {
			return activities.HoldSlotResult{Status: holdStatus, Alternatives: []activities.FreeSlot{{SlotID: "5a000000-0000-4000-8000-000000000002"}}}, nil
		}
		return activities.HoldSlotResult{Status: "held", HoldID: testHold, ExpiresAt: env.Now().Add(time.Duration(req.HoldSeconds) * time.Second)}, nil
	}).Maybe()
	env.OnActivity(a.ConfirmBooking, mock.Anything, mock.Anything).Return(func(_ context.Context, req activities.ConfirmBookingRequest) (activities.ConfirmBookingResult, error) {
		m.confirms = append(m.confirms, req)
		if confirmStatus == "booked" {
			return activities.ConfirmBookingResult{Status: "booked", BookingID: testBooking}, nil
		}
		return activities.ConfirmBookingResult{Status: confirmStatus}, nil
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
		{"hold: slot_id not a uuid", UpdateHoldSlot, HoldSlotRequest{SlotID: "tuesday-10am"}, "slot_id"},
		{"hold: empty slot_id", UpdateHoldSlot, HoldSlotRequest{}, "slot_id"},
		{"hold: negative hold_seconds", UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, HoldSeconds: -5}, "hold_seconds"},
		{"hold: huge hold_seconds", UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, HoldSeconds: 86400}, "hold_seconds"},
		{"hold: procedure_id not a uuid", UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, ProcedureID: "mri"}, "procedure_id"},
		{"confirm without a hold", UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, "current hold"},
		{"confirm: hold_id not a uuid", UpdateConfirmBooking, ConfirmBookingRequest{HoldID: "x", ProcedureID: testProcedure}, "hold_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, m, _ := newBookingEnv(t, "held", "booked")
			var res updateResult
			sendUpdate(env, time.Second, tt.update, tt.arg, &res)
			signals(env, CallStatusSignal{"in-progress", 0, "", 0}, CallStatusSignal{"in-progress", 1, "", 0}, CallStatusSignal{"completed", 2, "", 0})
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
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 0})
		env.UpdateWorkflow(UpdateHoldSlot, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { res.rejected, res.err = true, err },
			OnAccept:   func() { res.accepted = true },
			OnComplete: func(any, error) {},
		}, HoldSlotRequest{SlotID: testSlot})
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
		if v, ok := args.Get(0).(temporal.SearchAttributes).GetBool(SABookingConfirmed); ok {
			booked = append(booked, v)
		}
	}).Return(nil)
	var hold, confirm updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, HoldSeconds: 60, ProcedureID: testProcedure}, &hold)
	sendUpdate(env, 3*time.Second, UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 4*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())

	require.NoError(t, hold.err)
	require.Equal(t, "held", hold.value.(HoldSlotResult).Status)
	require.Equal(t, testHold, hold.value.(HoldSlotResult).HoldID)
	require.Equal(t, []activities.HoldSlotRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID, SlotID: testSlot, HoldSeconds: 60, ProcedureID: testProcedure}}, m.holds)
	require.NoError(t, confirm.err)
	require.Equal(t, ConfirmBookingResult{Status: "booked", BookingID: testBooking}, confirm.value)
	require.Empty(t, m.releases, "a booked hold is not released")

	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeBooked, st.Outcome)
	require.Equal(t, testBooking, st.BookingID)
	require.Nil(t, st.Hold)
	require.Equal(t, []bool{true}, booked)
	require.Equal(t, OutcomeBooked, (*recorded)[len(*recorded)-1].Outcome)
}

func TestHoldDefaultsAndConflicts(t *testing.T) {
	env, m, _ := newBookingEnv(t, "conflict", "booked")
	var res updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot}, &res)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	got := res.value.(HoldSlotResult)
	require.Equal(t, "conflict", got.Status)
	require.NotEmpty(t, got.Alternatives, "a conflict offers another time")
	require.Equal(t, DefaultHoldSeconds, m.holds[0].HoldSeconds)
	require.Empty(t, m.releases, "nothing held, nothing to release")
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeCompleted, st.Outcome)
}

func TestLockTimeoutAnswersConflict(t *testing.T) {
	env, _ := newEnv(t)
	var a *activities.Activities
	calls := 0
	env.OnActivity(a.HoldSlot, mock.Anything, mock.Anything).Return(func(context.Context, activities.HoldSlotRequest) (activities.HoldSlotResult, error) {
		calls++
		return activities.HoldSlotResult{}, temporal.NewNonRetryableApplicationError("hold slot: slot contended (55P03)", activities.ErrTypeSlotConflict, nil)
	})
	var res updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot}, &res)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	require.Equal(t, "conflict", res.value.(HoldSlotResult).Status)
	require.Equal(t, 1, calls, "a conflict is not retried while the caller waits")
}

func TestUnbookedHoldIsReleasedWhenTheCallEnds(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	var hold updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, HoldSeconds: 600}, &hold)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 5*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "held", hold.value.(HoldSlotResult).Status)
	require.Equal(t, []activities.ReleaseHoldRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID}}, m.releases,
		"every live hold of the call is given back at once")
	require.Empty(t, m.confirms)
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeCompleted, st.Outcome)
	require.Nil(t, st.Hold)
}

func TestHoldTimerReleasesAtExpiry(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "expired")
	var hold, confirm updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot, HoldSeconds: 30}, &hold)
	// Long after the hold's 30 seconds.
	sendUpdate(env, 2*time.Minute, UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &confirm)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 3*time.Minute)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []activities.ReleaseHoldRequest{{OrgID: testInput.OrgID, CallSID: testInput.CallSID, HoldID: testHold}}, m.releases,
		"released by the timer, and not again at the end")
	// Postgres has the last word on expiry: the confirm still asks it.
	require.NoError(t, confirm.err)
	require.Equal(t, "expired", confirm.value.(ConfirmBookingResult).Status)
	var st CallState
	require.NoError(t, env.GetWorkflowResult(&st))
	require.Equal(t, OutcomeCompleted, st.Outcome)
	require.Empty(t, st.BookingID)
}

func TestConfirmRepeatedAfterBookingAnswersAgain(t *testing.T) {
	env, m, _ := newBookingEnv(t, "held", "booked")
	var hold, first, again updateResult
	signals(env, CallStatusSignal{"in-progress", 0, "", 0})
	sendUpdate(env, 2*time.Second, UpdateHoldSlot, HoldSlotRequest{SlotID: testSlot}, &hold)
	sendUpdate(env, 3*time.Second, UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &first)
	sendUpdate(env, 4*time.Second, UpdateConfirmBooking, ConfirmBookingRequest{HoldID: testHold, ProcedureID: testProcedure}, &again)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCallStatus, CallStatusSignal{CallStatus: "completed", SequenceNumber: 1})
	}, 5*time.Second)
	env.ExecuteWorkflow(CallSession, testInput)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, first.value, again.value)
	require.Len(t, m.confirms, 1, "the repeat is answered from the workflow's state")
}
