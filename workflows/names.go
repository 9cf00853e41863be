// Package workflows holds frontdesk's Temporal workflows (CallSession,
// FollowUp), their inputs and results, handler names and ID helpers. Workflow
// code here is deterministic: all I/O happens in activities.
package workflows

import (
	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the one task queue frontdesk's worker polls.
const TaskQueue = "frontdesk"

// Handler names of CallSession.
const (
	SignalCallStatus = "call_status"
	QueryState       = "state"
	// UpdateHoldSlot holds a slot for the caller while the agent confirms;
	// answered synchronously with held, conflict (plus alternatives),
	// not_found or expired.
	UpdateHoldSlot = "hold_slot"
	// UpdateConfirmBooking turns the call's current hold into a booking.
	UpdateConfirmBooking = "confirm_booking"
	// UpdateTurn is a transcript turn, sealed under the call's data key;
	// answered with what the agent may see (turn.go).
	UpdateTurn = "turn"
)

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

// CallSessionID is the workflow ID of a call. A Twilio CallSid is not
// personal data, so it may appear in IDs and the Web UI.
func CallSessionID(callSID string) string { return "call-" + callSID }
