package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/store"
)

// Hold lengths a hold_slot update may ask for. Postgres enforces the same
// bounds; the validator repeats them so a bad request never reaches history.
const (
	DefaultHoldSeconds = 180
	MaxHoldSeconds     = 900
)

// OutcomeBooked is the outcome of a completed call that booked a slot.
const OutcomeBooked = "booked"

// Error types with which the booking updates refuse, for clients to tell
// apart: a malformed request, or a call that is over.
const (
	ErrTypeInvalidRequest = activities.ErrTypeInvalidRequest
	ErrTypeCallEnded      = "CallEnded"
)

var errCallEnded = temporal.NewApplicationError("call already ended", ErrTypeCallEnded)

func invalid(msg string) error { return temporal.NewApplicationError(msg, ErrTypeInvalidRequest) }

// HoldSlotRequest is the hold_slot update's argument: the voice agent's
// tool call when a caller settles on a time.
type HoldSlotRequest struct {
	SlotID string `json:"slot_id"`
	// HoldSeconds is how long the agent needs to confirm; 0 means
	// DefaultHoldSeconds.
	HoldSeconds int `json:"hold_seconds,omitempty"`
	// ProcedureID, when known, keeps the alternatives long enough for it.
	ProcedureID string `json:"procedure_id,omitempty"`
}

// HoldSlotResult answers hold_slot: Status is held (HoldID, ExpiresAt set),
// conflict or expired (Alternatives offered), or not_found.
type HoldSlotResult = activities.HoldSlotResult

// ConfirmBookingRequest is the confirm_booking update's argument.
type ConfirmBookingRequest struct {
	HoldID      string `json:"hold_id"`
	ProcedureID string `json:"procedure_id"`
}

// ConfirmBookingResult answers confirm_booking: Status is booked
// (BookingID set), expired, not_found or not_yours.
type ConfirmBookingResult = activities.ConfirmBookingResult

// SlotHold is the call's current hold, as the state query shows it.
type SlotHold struct {
	HoldID    string    `json:"hold_id"`
	SlotID    string    `json:"slot_id"`
	ExpiresAt time.Time `json:"expires_at"`
	// Expired is set by the workflow's timer; Postgres had already
	// expired the hold at ExpiresAt whether or not the timer ran.
	Expired bool `json:"expired,omitempty"`
}

// booking is the slot part of a call's state: the handlers, the hold timer
// and the end of the call share it, one at a time.
type booking struct {
	root       workflow.Context
	busy       bool
	stopTimer  workflow.CancelFunc
	bookedHold string
}

func (s *callSession) registerBookingHandlers(ctx workflow.Context) error {
	s.booking.root = ctx
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateHoldSlot, s.holdSlot,
		workflow.UpdateHandlerOptions{Validator: s.validateHoldSlot}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateConfirmBooking, s.confirmBooking,
		workflow.UpdateHandlerOptions{Validator: s.validateConfirmBooking})
}

// validateHoldSlot rejects a malformed hold_slot before anything is
// written to history.
func (s *callSession) validateHoldSlot(req HoldSlotRequest) error {
	if s.state.Ended {
		return errCallEnded
	}
	if !isUUID(req.SlotID) {
		return invalid("slot_id is not a uuid")
	}
	if req.HoldSeconds < 0 || req.HoldSeconds > MaxHoldSeconds {
		return invalid(fmt.Sprintf("hold_seconds must be between 1 and %d (0 for %d)", MaxHoldSeconds, DefaultHoldSeconds))
	}
	if req.ProcedureID != "" && !isUUID(req.ProcedureID) {
		return invalid("procedure_id is not a uuid")
	}
	return nil
}

// validateConfirmBooking accepts only the call's current hold (or the one
// it has just booked, so a client's retry gets its answer again).
func (s *callSession) validateConfirmBooking(req ConfirmBookingRequest) error {
	if s.state.Ended {
		return errCallEnded
	}
	if !isUUID(req.HoldID) {
		return invalid("hold_id is not a uuid")
	}
	if !isUUID(req.ProcedureID) {
		return invalid("procedure_id is not a uuid")
	}
	if req.HoldID != s.booking.bookedHold && (s.state.Hold == nil || s.state.Hold.HoldID != req.HoldID) {
		return invalid("hold_id is not this call's current hold")
	}
	return nil
}

// lock serialises the slot handlers and the hold timer of one call, so the
// workflow's idea of the current hold follows the order Postgres saw.
func (s *callSession) lock(ctx workflow.Context) (unlock func(), err error) {
	if err := workflow.Await(ctx, func() bool { return !s.booking.busy }); err != nil {
		return nil, err
	}
	s.booking.busy = true
	return func() { s.booking.busy = false }, nil
}

func (s *callSession) holdSlot(ctx workflow.Context, req HoldSlotRequest) (HoldSlotResult, error) {
	unlock, err := s.lock(ctx)
	if err != nil {
		return HoldSlotResult{}, err
	}
	defer unlock()
	if s.state.Ended {
		return HoldSlotResult{}, errCallEnded
	}
	s.noteProcedure(req.ProcedureID)
	seconds := req.HoldSeconds
	if seconds == 0 {
		seconds = DefaultHoldSeconds
	}
	var a *activities.Activities
	var res HoldSlotResult
	err = workflow.ExecuteActivity(slotActivityCtx(ctx), a.HoldSlot, activities.HoldSlotRequest{
		OrgID: s.state.OrgID, CallSID: s.state.CallSID, SlotID: req.SlotID, HoldSeconds: seconds, ProcedureID: req.ProcedureID,
	}).Get(ctx, &res)
	if isSlotConflict(err) {
		return HoldSlotResult{Status: store.HoldConflict}, nil
	}
	if err != nil {
		return HoldSlotResult{}, err
	}
	if res.Status == store.HoldHeld {
		// Postgres has given back any other hold of this call.
		s.state.Hold = &SlotHold{HoldID: res.HoldID, SlotID: req.SlotID, ExpiresAt: res.ExpiresAt}
		s.startHoldTimer(res.HoldID, res.ExpiresAt)
	}
	workflow.GetLogger(ctx).Info("hold_slot answered", "call_sid", s.state.CallSID, "status", res.Status)
	return res, nil
}

func (s *callSession) confirmBooking(ctx workflow.Context, req ConfirmBookingRequest) (ConfirmBookingResult, error) {
	unlock, err := s.lock(ctx)
	if err != nil {
		return ConfirmBookingResult{}, err
	}
	defer unlock()
	if req.HoldID == s.booking.bookedHold {
		return ConfirmBookingResult{Status: store.BookingBooked, BookingID: s.state.BookingID}, nil
	}
	s.noteProcedure(req.ProcedureID)
	if s.state.Hold == nil || s.state.Hold.HoldID != req.HoldID {
		// Replaced by another hold while this update waited its turn.
		return ConfirmBookingResult{Status: store.HoldNotFound}, nil
	}
	var a *activities.Activities
	var res ConfirmBookingResult
	err = workflow.ExecuteActivity(slotActivityCtx(ctx), a.ConfirmBooking, activities.ConfirmBookingRequest{
		OrgID: s.state.OrgID, CallSID: s.state.CallSID, HoldID: req.HoldID, ProcedureID: req.ProcedureID,
	}).Get(ctx, &res)
	if err != nil {
		// A SlotConflict here means the locks were busy for 2s: the hold is
		// still this call's and live, so the agent may simply confirm again.
		return ConfirmBookingResult{}, err
	}
	switch res.Status {
	case store.BookingBooked:
		s.stopHoldTimer()
		s.state.Hold = nil
		s.booking.bookedHold = req.HoldID
		s.state.BookingID = res.BookingID
		if err := workflow.UpsertTypedSearchAttributes(ctx, SABookingConfirmed.ValueSet(true)); err != nil {
			return res, err
		}
	case store.HoldExpired:
		s.state.Hold.Expired = true
	}
	workflow.GetLogger(ctx).Info("confirm_booking answered", "call_sid", s.state.CallSID, "status", res.Status)
	return res, nil
}

// startHoldTimer gives the hold back when it expires. The timer may only
// release early, never extend: Postgres expires the hold at ExpiresAt by
// itself, so a worker that is down or late changes nothing.
func (s *callSession) startHoldTimer(holdID string, expiresAt time.Time) {
	s.stopHoldTimer()
	ctx, cancel := workflow.WithCancel(s.booking.root)
	s.booking.stopTimer = cancel
	workflow.Go(ctx, func(ctx workflow.Context) {
		wait := expiresAt.Sub(workflow.Now(ctx))
		if wait < time.Millisecond {
			wait = time.Millisecond
		}
		if err := workflow.NewTimerWithOptions(ctx, wait, workflow.TimerOptions{Summary: "release the slot hold when it expires"}).Get(ctx, nil); err != nil {
			return // cancelled: booked, replaced, or the call ended
		}
		unlock, err := s.lock(ctx)
		if err != nil {
			return
		}
		defer unlock()
		if s.state.Hold == nil || s.state.Hold.HoldID != holdID {
			return
		}
		var a *activities.Activities
		var status string
		err = workflow.ExecuteActivity(ctx, a.ReleaseHold, activities.ReleaseHoldRequest{
			OrgID: s.state.OrgID, CallSID: s.state.CallSID, HoldID: holdID,
		}).Get(ctx, &status)
		if err != nil {
			workflow.GetLogger(ctx).Warn("releasing an expired hold failed; Postgres has expired it anyway", "call_sid", s.state.CallSID, "error", err)
		}
		if s.state.Hold != nil && s.state.Hold.HoldID == holdID {
			s.state.Hold.Expired = true
		}
	})
}

func (s *callSession) stopHoldTimer() {
	if s.booking.stopTimer != nil {
		s.booking.stopTimer()
		s.booking.stopTimer = nil
	}
}

// finishBooking runs once the call has ended and every update has
// answered: a booking confirmed in the last moments still makes the call
// booked, and a hold left unbooked is given back at once. Neither adds a
// command to a call that never held a slot.
func (s *callSession) finishBooking(ctx workflow.Context, record func(workflow.Context)) {
	if s.state.BookingID != "" && s.state.Outcome == OutcomeCompleted {
		s.state.Outcome = OutcomeBooked
		record(ctx)
	}
	if s.state.Hold == nil || s.state.Hold.Expired {
		return
	}
	s.stopHoldTimer()
	var a *activities.Activities
	var status string
	// No HoldID: every live hold of the call, including one whose answer
	// never reached the workflow.
	err := workflow.ExecuteActivity(ctx, a.ReleaseHold, activities.ReleaseHoldRequest{
		OrgID: s.state.OrgID, CallSID: s.state.CallSID,
	}).Get(ctx, &status)
	if err != nil {
		workflow.GetLogger(ctx).Warn("releasing the call's hold failed; it expires in Postgres by itself", "call_sid", s.state.CallSID, "error", err)
		return
	}
	s.state.Hold = nil
}

// slotActivityCtx: a caller is waiting on the line, so slot activities give
// up quickly. Retries are safe (the same call asking again gets its hold
// back; a confirm repeated after success answers the same booking).
func slotActivityCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    5 * time.Second,
		ScheduleToCloseTimeout: 15 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        100 * time.Millisecond,
			MaximumInterval:        2 * time.Second,
			NonRetryableErrorTypes: []string{activities.ErrTypeSlotConflict, activities.ErrTypeInvalidRequest},
		},
	})
}

func isSlotConflict(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeSlotConflict
}

func isUUID(s string) bool {
	id, err := uuid.Parse(s)
	return err == nil && id != uuid.Nil && len(s) == 36
}
