package contract

import "go.temporal.io/sdk/temporal"

// TaskQueue is the one task queue frontdesk's worker polls.
const TaskQueue = "frontdesk"

// Workflow type names, as registered on the worker and shown in the Web UI.
const (
	WorkflowCallSession = "CallSession"
	WorkflowFollowUp    = "FollowUp"
)

// Handlers of CallSession. Every Update carries an Update ID chosen by its
// caller (the voice agent's tool-call or turn id), so a client's retry
// after a timeout is de-duplicated by Temporal instead of running twice.
const (
	// SignalCallStatus is a Twilio status callback (CallStatusSignal).
	SignalCallStatus = "call_status"
	// QueryState answers the call's CallState.
	QueryState = "state"
	// UpdateHoldSlot holds a slot for the caller while the agent confirms;
	// answered synchronously with held, conflict (plus alternatives),
	// not_found or expired.
	UpdateHoldSlot = "hold_slot"
	// UpdateConfirmBooking turns the call's current hold into a booking.
	UpdateConfirmBooking = "confirm_booking"
	// UpdateDiscussProcedure names the procedure a caller asks about, so an
	// unbooked call can be followed up with its guide.
	UpdateDiscussProcedure = "discuss_procedure"
	// UpdateTurn is a transcript turn, sealed under the call's data key.
	UpdateTurn = "turn"
	// UpdateMediaStream tells the call its voice stream started or ended
	// (MediaStreamEvent): an ended stream is how the workflow learns a
	// call has gone quiet, or has been handed to staff.
	UpdateMediaStream = "media_stream"
)

// SignalFollowUpCancel withdraws a follow-up that is still waiting out the
// clinic's delay.
const SignalFollowUpCancel = "cancel"

// CallSessionID is the workflow ID of a call. A Twilio CallSid is not
// personal data, so it may appear in IDs and the Web UI.
func CallSessionID(callSID string) string { return "call-" + callSID }

// FollowUpID is the workflow ID of a call's follow-up: one per call.
func FollowUpID(callSID string) string { return "followup-" + callSID }

// CallSubject is the vault subject whose data key seals a call's turns:
// destroying it (erasure) makes every copy unreadable, histories included.
func CallSubject(callSID string) string { return "call:" + callSID }

// Search attributes: all non-personal.
var (
	SAClinicID         = temporal.NewSearchAttributeKeyKeyword("ClinicId")
	SACallStatus       = temporal.NewSearchAttributeKeyKeyword("CallStatus")
	SAOutcome          = temporal.NewSearchAttributeKeyKeyword("Outcome")
	SABookingConfirmed = temporal.NewSearchAttributeKeyBool("BookingConfirmed")
	SAFollowUpSent     = temporal.NewSearchAttributeKeyBool("FollowUpSent")
)

// SearchAttributeKeys lists every key a Temporal server must have
// registered before CallSession runs.
var SearchAttributeKeys = []temporal.SearchAttributeKey{SAClinicID, SACallStatus, SAOutcome, SABookingConfirmed, SAFollowUpSent}
