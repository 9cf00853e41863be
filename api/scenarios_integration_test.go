package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/followup/twiliofake"
	"github.com/frontdesk/frontdesk/sealed"
	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
)

// The scenarios here are the paths a call can take, run end to end on the
// real dev server and Postgres. With FRONTDESK_RECORD_HISTORY set (`make
// record-histories`) each also records its histories for the replay tests,
// so every path is replayed against every later change of the workflows.

func record(t *testing.T, c client.Client, workflowID, name string) {
	if dir := os.Getenv("FRONTDESK_RECORD_HISTORY"); dir != "" {
		recordHistory(t, c, workflowID, filepath.Join(dir, name))
	}
}

func awaitCall(t *testing.T, c client.Client, callSID string) contract.CallState {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var st contract.CallState
	require.NoError(t, c.GetWorkflow(ctx, contract.CallSessionID(callSID), "").Get(ctx, &st))
	return st
}

// Twilio does not retry status callbacks by default. A call whose stream
// has ended and whose `completed` never came asks Twilio's API, ends with
// the right outcome and still sends the follow-up.
func TestLostFinalCallbackIsRecoveredThroughTwilio(t *testing.T) {
	fs := startFollowUpSystem(t)
	ctx := context.Background()
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "mri-knee")
	callSID := newCallSID()
	calls := starter.Calls{Client: fs.temporal}

	code, body := fs.post("/twilio/voice", fakeAuthToken, voiceForm(callSID, store.DemoNumberA))
	require.Equal(t, http.StatusOK, code, body)
	code, body = fs.post("/twilio/status", fakeAuthToken, statusForm(callSID, "in-progress", 0))
	require.Equal(t, http.StatusNoContent, code, body)
	ack, err := calls.MediaStream(ctx, callSID, "stream-start", contract.MediaStreamEvent{Event: contract.StreamStarted})
	require.NoError(t, err)
	require.Equal(t, store.DemoClinicA.String(), ack.ClinicID)
	require.NoError(t, calls.DiscussProcedure(ctx, callSID, "tool-1", contract.DiscussProcedureRequest{ProcedureID: proc.ID.String()}))
	fs.fake.SetCall(callSID, twiliofake.Call{Status: "completed", DurationSecs: 61})
	_, err = calls.MediaStream(ctx, callSID, "stream-end", contract.MediaStreamEvent{Event: contract.StreamEnded, Reason: contract.StreamStop})
	require.NoError(t, err)
	// ... and the `completed` callback is lost.

	st := awaitCall(t, fs.temporal, callSID)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Equal(t, 61, st.DurationSecs)
	require.Equal(t, "twilio_api", st.StatusSource)
	res := fs.followUpResult(callSID)
	require.True(t, res.Sent, "the follow-up goes out as if the callback had come")
	rec, err := fs.store.GetCall(ctx, store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "staff"}, callSID)
	require.NoError(t, err)
	require.Equal(t, "completed", rec.Status)
	record(t, fs.temporal, contract.CallSessionID(callSID), "callsession_lost_callback.json")
}

// A hold the caller let run out: Postgres expired it, the confirm hears so,
// and the hang-up gives back nothing more.
func TestHeldSlotExpiresBeforeTheConfirm(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	calls := starter.Calls{Client: s.temporal}
	callSID := newCallSID()
	s.answer(callSID)
	proc := s.procedure("blood-test")
	held, err := calls.HoldSlot(ctx, callSID, "tool-1", contract.HoldSlotRequest{SlotID: s.freeSlots()[0].SlotID.String(), HoldSeconds: 1, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, contract.HoldHeld, held.Status)
	time.Sleep(time.Until(held.ExpiresAt) + 200*time.Millisecond)
	state, err := calls.State(ctx, callSID)
	require.NoError(t, err)
	require.True(t, state.Hold.Expired, "expired by workflow time")
	conf, err := calls.ConfirmBooking(ctx, callSID, "tool-2", contract.ConfirmBookingRequest{HoldID: held.HoldID, ProcedureID: proc})
	require.NoError(t, err)
	require.Equal(t, contract.HoldExpired, conf.Status)
	st := s.hangUp(callSID)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.Empty(t, st.BookingID)
	record(t, s.temporal, contract.CallSessionID(callSID), "callsession_hold_expired.json")
}

// Twilio refuses the follow-up for good (not a mobile number): the
// FollowUp ends not sent, with Twilio's code, and is not retried.
func TestFollowUpRefusedByTwilio(t *testing.T) {
	fs := startFollowUpSystem(t)
	proc := fs.procedure(store.DemoOrgA, store.DemoClinicA, "colonoscopy")
	fs.fake.FailNext(twiliofake.Failure{HTTPStatus: 400, Code: 21614, Message: "not a mobile number"})
	callSID := newCallSID()
	fs.unbookedCall(callSID, store.DemoNumberA, proc.ID.String())
	res := fs.followUpResult(callSID)
	require.False(t, res.Sent)
	require.Equal(t, 21614, res.ErrorCode)
	require.Equal(t, 1, fs.fake.Attempts(), "a refusal that names the number is not retried")
	record(t, fs.temporal, contract.CallSessionID(callSID), "callsession_followup_refused.json")
	record(t, fs.temporal, contract.FollowUpID(callSID), "followup_refused.json")
}

// A CallSession started with a clinic of another org (forged input, e.g.
// through Temporal's port) is rejected by its tenant check and writes
// nothing.
func TestForgedTenantIsRejected(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	callSID := newCallSID()
	_, err := starter.Calls{Client: s.temporal}.Start(ctx,
		contract.CallSessionInput{CallSID: callSID, ClinicID: store.DemoClinicA.String(), OrgID: store.DemoOrgB.String()},
		contract.CallStatusSignal{CallStatus: "ringing", SequenceNumber: -1})
	require.NoError(t, err)
	st := awaitCall(t, s.temporal, callSID)
	require.Equal(t, contract.OutcomeRejected, st.Outcome)
	for _, org := range []store.Claims{{OrgID: store.DemoOrgA, Sub: "t", Role: "staff"}, {OrgID: store.DemoOrgB, Sub: "t", Role: "staff"}} {
		_, err := s.store.GetCall(ctx, org, callSID)
		require.ErrorIs(t, err, store.ErrNotFound, "no call row in any org")
	}
	desc, err := s.temporal.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.WorkflowExecutionInfo.Status)
	record(t, s.temporal, contract.CallSessionID(callSID), "callsession_rejected.json")
}

// A turn retried with the same turn id (the client timed out waiting) is
// the same turn: one Update in the history, one stored turn, one answer.
// Then the patient is erased while the call goes on: a turn sealed before
// the erasure and delivered after it is refused as erased, the call still
// ends normally, and its history replays.
func TestTurnRetriesAreDeduplicatedAndErasureMidCall(t *testing.T) {
	s := startPrivacySystem(t)
	ctx := context.Background()
	org := store.DemoOrgA.String()
	callSID := newCallSID()
	s.answer(callSID)
	turn := contract.TurnRequest{Speaker: "caller", Text: "This is Jane Doe, I'd like a blood test.", AtMS: 1200,
		Fields: map[string]string{"caller_name": "Jane Doe"}}
	first, err := s.turns.Turn(ctx, org, callSID, "caller-1", turn, &contract.TurnTimings{EndpointMS: 310, STTMS: 150})
	require.NoError(t, err)
	again, err := s.turns.Turn(ctx, org, callSID, "caller-1", turn, &contract.TurnTimings{EndpointMS: 310, STTMS: 150})
	require.NoError(t, err)
	require.Equal(t, first.Seq, again.Seq, "the retry gets the first answer")
	require.Equal(t, 1, countEvents(t, s.system, callSID, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED), "one Update in the history")
	state, err := starter.Calls{Client: s.temporal}.State(ctx, callSID)
	require.NoError(t, err)
	require.Equal(t, 1, state.Turns)

	// Sealed now, delivered after the erasure.
	plain, err := json.Marshal(contract.TurnRequest{Speaker: "caller", Text: "Tuesday morning please.", AtMS: 5400})
	require.NoError(t, err)
	late, err := sealed.Seal(ctx, s.vault, org, callSID, contract.PurposeTurnRequest, plain)
	require.NoError(t, err)

	staff := store.Claims{OrgID: store.DemoOrgA, Sub: "auditor", Role: "admin"}
	ids, err := s.store.PatientsOfCall(ctx, staff, callSID)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	_, err = s.store.ErasePatient(ctx, s.vault, staff, ids[0], store.DefaultRetention, "erasure requested mid-call")
	require.NoError(t, err)

	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: contract.CallSessionID(callSID), UpdateID: "turn:caller-2", UpdateName: contract.UpdateTurn,
		Args: []any{contract.TurnUpdate{Speaker: "caller", AtMS: 5400, Sealed: late}}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	require.NoError(t, err)
	err = h.Get(ctx, nil)
	var appErr *temporal.ApplicationError
	require.ErrorAs(t, err, &appErr)
	require.Equal(t, contract.ErrTypeCallErased, appErr.Type())

	st := s.hangUp(callSID)
	require.Equal(t, contract.OutcomeCompleted, st.Outcome)
	require.NoError(t, replayWithCodec(t, s.temporal, contract.CallSessionID(callSID)))
	record(t, s.temporal, contract.CallSessionID(callSID), "callsession_erased_mid_call.json")
}
