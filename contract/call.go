package contract

import (
	"fmt"
	"time"
)

// CallSessionInput starts a call's workflow. It carries ids only: the
// caller's number never enters workflow input or search attributes.
type CallSessionInput struct {
	CallSID  string `json:"call_sid"`
	ClinicID string `json:"clinic_id"`
	OrgID    string `json:"org_id"`
}

// CallStatusSignal is one Twilio status callback (or the initial voice
// webhook, which carries no sequence number and is sent as -1).
type CallStatusSignal struct {
	CallStatus     string `json:"call_status"`
	SequenceNumber int    `json:"sequence_number"`
	// Timestamp is Twilio's, kept for the timeline; ordering uses
	// SequenceNumber only.
	Timestamp string `json:"timestamp,omitempty"`
	// CallDuration in seconds, on completed calls.
	CallDuration int `json:"call_duration,omitempty"`
}

// String makes a signal readable in test failures.
func (s CallStatusSignal) String() string {
	return fmt.Sprintf("%s#%d", s.CallStatus, s.SequenceNumber)
}

// MaxSequenceNumber bounds a status callback's SequenceNumber: Twilio
// counts a call's callbacks from 0, and a call has a handful. A larger
// number would fence off every later callback.
const MaxSequenceNumber = 10_000

// Events of MediaStreamEvent.
const (
	StreamStarted = "started"
	StreamEnded   = "ended"
)

// Twilio's CallStatus values.
const (
	StatusQueued     = "queued"
	StatusInitiated  = "initiated"
	StatusRinging    = "ringing"
	StatusInProgress = "in-progress"
	StatusAnswered   = "answered"
	StatusCompleted  = "completed"
	StatusBusy       = "busy"
	StatusFailed     = "failed"
	StatusNoAnswer   = "no-answer"
	StatusCanceled   = "canceled"
)

// Outcome of a call, also the `Outcome` search attribute.
const (
	OutcomeInProgress = ""
	OutcomeCompleted  = "completed"
	OutcomeBooked     = "booked"
	OutcomeBusy       = "busy"
	OutcomeFailed     = "failed"
	OutcomeNoAnswer   = "no-answer"
	OutcomeCanceled   = "canceled"
	OutcomeTimedOut   = "timed-out"
	// OutcomeTransferred: the agent handed the call to the clinic's staff.
	OutcomeTransferred = "transferred"
	// OutcomeRejected: the call's clinic is not in its org (CheckTenant).
	OutcomeRejected = "rejected"
)

// TerminalOutcome maps Twilio's final CallStatus values to an outcome;
// ok is false for statuses of a call still going on.
func TerminalOutcome(status string) (outcome string, ok bool) {
	switch status {
	case StatusCompleted:
		return OutcomeCompleted, true
	case StatusBusy:
		return OutcomeBusy, true
	case StatusFailed:
		return OutcomeFailed, true
	case StatusNoAnswer:
		return OutcomeNoAnswer, true
	case StatusCanceled:
		return OutcomeCanceled, true
	}
	return "", false
}

// KnownStatus reports a CallStatus Twilio sends.
func KnownStatus(status string) bool {
	switch status {
	case StatusQueued, StatusInitiated, StatusRinging, StatusInProgress, StatusAnswered:
		return true
	}
	_, ok := TerminalOutcome(status)
	return ok
}

// MaxCallDuration bounds a call whose final status callback never arrives
// (Twilio caps calls at four hours).
const MaxCallDuration = 4 * time.Hour

// CallState answers the `state` query and is the workflow's result.
type CallState struct {
	CallSID        string        `json:"call_sid"`
	ClinicID       string        `json:"clinic_id"`
	OrgID          string        `json:"org_id"`
	Status         string        `json:"status"`
	LastSequence   int           `json:"last_sequence"`
	Outcome        string        `json:"outcome"`
	Ended          bool          `json:"ended"`
	DurationSecs   int           `json:"duration_seconds,omitempty"`
	StatusTimeline []StatusEvent `json:"status_timeline"`
	Ignored        int           `json:"ignored_callbacks"`
	// Hold is the slot held for the caller right now, if any.
	Hold *SlotHold `json:"hold,omitempty"`
	// BookingID is set once the call has booked a slot.
	BookingID string `json:"booking_id,omitempty"`
	// ProcedureID is the procedure the caller last discussed (ids only);
	// FollowUpID is set once an unbooked call has handed over to FollowUp.
	ProcedureID string `json:"procedure_id,omitempty"`
	FollowUpID  string `json:"follow_up_id,omitempty"`
	// Turns is how many transcript turns the call has recorded.
	Turns int `json:"turns,omitempty"`
	// Stream is the media stream's state: "", started or ended;
	// StreamEndReason why it ended (a Stream* reason).
	Stream          string `json:"stream,omitempty"`
	StreamEndReason string `json:"stream_end_reason,omitempty"`
	// Transfer is set when the agent handed the call to staff.
	Transfer bool `json:"transfer,omitempty"`
	// StatusSource says where the final status came from when it was not
	// Twilio's callback ("twilio_api": asked after the call went quiet).
	StatusSource string `json:"status_source,omitempty"`
}

// StatusEvent is one accepted status change, timed by workflow time.
type StatusEvent struct {
	Status         string    `json:"status"`
	SequenceNumber int       `json:"sequence_number"`
	At             time.Time `json:"at"`
}

// SlotHold is the call's current hold, as the state query shows it.
type SlotHold struct {
	HoldID    string    `json:"hold_id"`
	SlotID    string    `json:"slot_id"`
	ExpiresAt time.Time `json:"expires_at"`
	// Expired is derived from workflow time: Postgres expired the hold at
	// ExpiresAt by itself, whatever any worker did.
	Expired bool `json:"expired,omitempty"`
}

// MediaStreamEvent is the media_stream Update's argument: the call's voice
// stream started or ended. The voice path waits for the answer, so that an
// ended stream's transfer is in the call's state before Twilio asks what
// to do next, and a stream for an ended call is refused at its start.
type MediaStreamEvent struct {
	Event string `json:"event"`
	// Reason an ended stream gives (no personal data); see the Stream*
	// reasons.
	Reason string `json:"reason,omitempty"`
	// Turns is how many turns the stream sent; the call waits (within a
	// grace window) until that many have been recorded before it closes.
	Turns int `json:"turns,omitempty"`
}

// Reasons a media stream ends.
const (
	StreamStop         = "stop"          // Twilio's stop: the caller hung up
	StreamEndCall      = "end_call"      // the agent said goodbye
	StreamTransfer     = "transfer"      // the agent handed over to staff
	StreamSocketClosed = "socket_closed" // the WebSocket broke
	StreamShutdown     = "shutdown"      // the api is stopping
)

// MaxStreamTurns bounds MediaStreamEvent.Turns.
const MaxStreamTurns = 10_000

// MediaStreamAck answers media_stream: whose call it is, so the stream's
// customParameters can be checked against the workflow's own input.
type MediaStreamAck struct {
	OrgID    string `json:"org_id"`
	ClinicID string `json:"clinic_id"`
	Status   string `json:"status"`
}
