package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
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

// Outcome of a call, also the `Outcome` search attribute.
const (
	OutcomeInProgress = ""
	OutcomeCompleted  = "completed"
	OutcomeBusy       = "busy"
	OutcomeFailed     = "failed"
	OutcomeNoAnswer   = "no-answer"
	OutcomeCanceled   = "canceled"
	OutcomeTimedOut   = "timed-out"
	// OutcomeRejected: the call's clinic is not in its org (CheckTenant).
	OutcomeRejected = "rejected"
)

// checkTenantChange versions the CheckTenant step (workflow.GetVersion).
const checkTenantChange = "check-tenant"

// terminalStatuses are Twilio's final CallStatus values, mapped to outcomes.
var terminalStatuses = map[string]string{
	"completed": OutcomeCompleted,
	"busy":      OutcomeBusy,
	"failed":    OutcomeFailed,
	"no-answer": OutcomeNoAnswer,
	"canceled":  OutcomeCanceled,
}

var knownStatuses = map[string]bool{
	"queued": true, "initiated": true, "ringing": true, "in-progress": true, "answered": true,
	"completed": true, "busy": true, "failed": true, "no-answer": true, "canceled": true,
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
}

// StatusEvent is one accepted status change, timed by workflow time.
type StatusEvent struct {
	Status         string    `json:"status"`
	SequenceNumber int       `json:"sequence_number"`
	At             time.Time `json:"at"`
}

// CallSession is one phone call, from the incoming-call webhook to its final
// status. It orders Twilio's status callbacks by SequenceNumber (they repeat
// and arrive out of order), records the call in Postgres and ends with an
// Outcome.
func CallSession(ctx workflow.Context, in CallSessionInput) (CallState, error) {
	if in.CallSID == "" || in.ClinicID == "" || in.OrgID == "" {
		return CallState{}, temporal.NewNonRetryableApplicationError("call session needs call_sid, clinic_id and org_id", "InvalidInput", nil)
	}
	s := &callSession{state: CallState{
		CallSID: in.CallSID, ClinicID: in.ClinicID, OrgID: in.OrgID,
		Status: "ringing", LastSequence: -2, StatusTimeline: []StatusEvent{},
	}}
	logger := workflow.GetLogger(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CallState, error) { return s.state, nil }); err != nil {
		return CallState{}, err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		// A database outage must not hold a finished call open forever.
		ScheduleToCloseTimeout: 5 * time.Minute,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, MaximumInterval: 10 * time.Second},
	})
	// Registering handlers adds no command, so calls that never book replay
	// exactly as they were recorded before booking existed.
	if err := s.registerBookingHandlers(ctx); err != nil {
		return CallState{}, err
	}
	if err := s.registerTurnHandler(ctx, in); err != nil {
		return CallState{}, err
	}
	if err := s.registerFollowUpHandlers(ctx); err != nil {
		return CallState{}, err
	}
	var a *activities.Activities
	// A call whose clinic is not in its org is forged or corrupt input: end
	// it before it does anything. Calls started before this check existed
	// replay without it.
	if workflow.GetVersion(ctx, checkTenantChange, workflow.DefaultVersion, 1) == 1 {
		check := activities.TenantCheck{OrgID: in.OrgID, ClinicID: in.ClinicID, CallSID: in.CallSID}
		if err := workflow.ExecuteActivity(ctx, a.CheckTenant, check).Get(ctx, nil); err != nil {
			logger.Error("tenant check refused the call", "call_sid", in.CallSID, "error", err)
			s.state.Ended, s.state.Outcome = true, OutcomeRejected
			if err := workflow.UpsertTypedSearchAttributes(ctx, SAOutcome.ValueSet(OutcomeRejected)); err != nil {
				return s.state, err
			}
			return s.state, nil
		}
	}
	startedAt := workflow.Now(ctx)

	statusCh := workflow.GetSignalChannel(ctx, SignalCallStatus)
	deadline, cancelDeadline := workflow.WithCancel(ctx)
	timer := workflow.NewTimerWithOptions(deadline, MaxCallDuration, workflow.TimerOptions{Summary: "give up on a call whose final status never arrives"})
	recorded := ""
	record := func(ctx workflow.Context) {
		rec := activities.CallRecord{CallSID: in.CallSID, ClinicID: in.ClinicID, OrgID: in.OrgID, Status: s.state.Status,
			Outcome: s.state.Outcome, StartedAt: startedAt}
		if s.state.Ended {
			end := workflow.Now(ctx)
			rec.EndedAt = &end
		}
		if err := workflow.ExecuteActivity(ctx, a.RecordCall, rec).Get(ctx, nil); err != nil {
			// The record is for staff lists; the call itself goes on.
			logger.Error("recording the call failed", "call_sid", in.CallSID, "error", err)
		}
	}
	for !s.state.Ended {
		timedOut := false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(statusCh, func(c workflow.ReceiveChannel, _ bool) {
			var sig CallStatusSignal
			c.Receive(ctx, &sig)
			s.apply(sig, workflow.Now(ctx))
		})
		sel.AddFuture(timer, func(workflow.Future) { timedOut = true })
		sel.Select(ctx)
		if timedOut {
			s.state.Ended, s.state.Outcome = true, OutcomeTimedOut
			logger.Warn("call timed out without a final status", "call_sid", in.CallSID)
		}
		if s.state.Status != recorded || s.state.Ended {
			recorded = s.state.Status
			if err := workflow.UpsertTypedSearchAttributes(ctx, SACallStatus.ValueSet(s.state.Status)); err != nil {
				return s.state, err
			}
			record(ctx)
		}
	}
	cancelDeadline()
	// Let in-flight update handlers answer before the call's end is settled
	// (a confirm accepted before the hangup still books). With no handler
	// running this returns at once and adds no command.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return s.state, err
	}
	s.finishBooking(ctx, record)
	if err := workflow.UpsertTypedSearchAttributes(ctx, SAOutcome.ValueSet(s.state.Outcome)); err != nil {
		return s.state, err
	}
	s.startFollowUp(ctx)
	logger.Info("call ended", "call_sid", in.CallSID, "outcome", s.state.Outcome, "ignored_callbacks", s.state.Ignored)
	return s.state, nil
}

type callSession struct {
	state   CallState
	booking booking
}

// apply takes one status callback, ignoring stale, repeated and unknown ones.
func (s *callSession) apply(sig CallStatusSignal, now time.Time) {
	if sig.SequenceNumber <= s.state.LastSequence || !knownStatuses[sig.CallStatus] {
		s.state.Ignored++
		return
	}
	s.state.LastSequence = sig.SequenceNumber
	s.state.Status = sig.CallStatus
	s.state.StatusTimeline = append(s.state.StatusTimeline, StatusEvent{Status: sig.CallStatus, SequenceNumber: sig.SequenceNumber, At: now})
	if outcome, ok := terminalStatuses[sig.CallStatus]; ok {
		if outcome == OutcomeCompleted && s.state.BookingID != "" {
			outcome = OutcomeBooked
		}
		s.state.Ended = true
		s.state.Outcome = outcome
		s.state.DurationSecs = sig.CallDuration
	}
}

// String makes a signal readable in test failures.
func (s CallStatusSignal) String() string {
	return fmt.Sprintf("%s#%d", s.CallStatus, s.SequenceNumber)
}
