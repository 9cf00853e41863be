package workflows

import (
	"fmt"
	"regexp"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

func (s *callSession) registerBookingHandlers(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateHoldSlot, s.holdSlot,
		workflow.UpdateHandlerOptions{Validator: s.validateHoldSlot}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateConfirmBooking, s.confirmBooking,
		workflow.UpdateHandlerOptions{Validator: s.validateConfirmBooking})
}

// validateHoldSlot rejects a malformed hold_slot before anything is
// written to history.
func (s *callSession) validateHoldSlot(req contract.HoldSlotRequest) error {
	if err := s.refuseWhenOver(); err != nil {
		return err
	}
	if !isUUID(req.SlotID) {
		return invalid("slot_id is not a uuid")
	}
	if req.HoldSeconds < 0 || req.HoldSeconds > contract.MaxHoldSeconds {
		return invalid(fmt.Sprintf("hold_seconds must be between 1 and %d (0 for %d)", contract.MaxHoldSeconds, contract.DefaultHoldSeconds))
	}
	if req.ProcedureID != "" && !isUUID(req.ProcedureID) {
		return invalid("procedure_id is not a uuid")
	}
	return nil
}

// validateConfirmBooking accepts only the call's current hold (or the one
// it has just booked, so a client's retry gets its answer again).
func (s *callSession) validateConfirmBooking(req contract.ConfirmBookingRequest) error {
	if err := s.refuseWhenOver(); err != nil {
		return err
	}
	if !isUUID(req.HoldID) {
		return invalid("hold_id is not a uuid")
	}
	if !isUUID(req.ProcedureID) {
		return invalid("procedure_id is not a uuid")
	}
	if req.HoldID != s.bookedHold && (s.state.Hold == nil || s.state.Hold.HoldID != req.HoldID) {
		return invalid("hold_id is not this call's current hold")
	}
	return nil
}

func (s *callSession) refuseWhenOver() error {
	if s.rejected {
		return errCallRejected
	}
	if s.state.Ended {
		return errCallEnded
	}
	return nil
}

func (s *callSession) holdSlot(ctx workflow.Context, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	if err := s.awaitAdmission(ctx); err != nil {
		return contract.HoldSlotResult{}, err
	}
	if err := s.slots.Lock(ctx); err != nil {
		return contract.HoldSlotResult{}, err
	}
	defer s.slots.Unlock()
	if s.state.Ended {
		return contract.HoldSlotResult{}, errCallEnded
	}
	s.noteProcedure(req.ProcedureID)
	seconds := req.HoldSeconds
	if seconds == 0 {
		seconds = contract.DefaultHoldSeconds
	}
	var a *activities.Activities
	var res contract.HoldSlotResult
	err := s.slotActivity(ctx, "hold the slot for the caller", a.HoldSlot, activities.HoldSlotRequest{
		OrgID: s.in.OrgID, CallSID: s.in.CallSID, SlotID: req.SlotID, HoldSeconds: seconds, ProcedureID: req.ProcedureID,
	}).Get(ctx, &res)
	if isErrType(err, contract.ErrTypeSlotConflict) {
		return contract.HoldSlotResult{Status: contract.HoldConflict}, nil
	}
	if err != nil {
		// Postgres may have committed a hold whose answer was lost: the
		// hang-up gives back whatever the call holds.
		s.holdUnknown = true
		return contract.HoldSlotResult{}, err
	}
	if res.Status == contract.HoldHeld {
		// Postgres has given back any other hold of this call.
		s.state.Hold = &contract.SlotHold{HoldID: res.HoldID, SlotID: req.SlotID, ExpiresAt: res.ExpiresAt}
		if !s.secondPass {
			s.startLegacyHoldTimer(res.HoldID, res.ExpiresAt)
		}
	}
	s.setDetails(ctx)
	s.logger.Info("hold_slot answered", "call_sid", s.in.CallSID, "status", res.Status)
	return res, nil
}

func (s *callSession) confirmBooking(ctx workflow.Context, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	if err := s.awaitAdmission(ctx); err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	if err := s.slots.Lock(ctx); err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	defer s.slots.Unlock()
	if req.HoldID == s.bookedHold {
		return contract.ConfirmBookingResult{Status: contract.BookingBooked, BookingID: s.state.BookingID}, nil
	}
	s.noteProcedure(req.ProcedureID)
	if s.state.Hold == nil || s.state.Hold.HoldID != req.HoldID {
		// Replaced by another hold while this update waited its turn.
		return contract.ConfirmBookingResult{Status: contract.HoldNotFound}, nil
	}
	var a *activities.Activities
	var res contract.ConfirmBookingResult
	err := s.slotActivity(ctx, "book the held slot", a.ConfirmBooking, activities.ConfirmBookingRequest{
		OrgID: s.in.OrgID, CallSID: s.in.CallSID, HoldID: req.HoldID, ProcedureID: req.ProcedureID,
	}).Get(ctx, &res)
	if err != nil {
		// A SlotConflict here means the locks were busy for 2s: the hold is
		// still this call's and live, so the agent may simply confirm again.
		return contract.ConfirmBookingResult{}, err
	}
	switch res.Status {
	case contract.BookingBooked:
		s.stopLegacyHoldTimer()
		s.state.Hold = nil
		s.bookedHold = req.HoldID
		s.state.BookingID = res.BookingID
		if err := workflow.UpsertTypedSearchAttributes(ctx, contract.SABookingConfirmed.ValueSet(true)); err != nil {
			return res, err
		}
	case contract.HoldExpired:
		s.state.Hold.Expired = true
	}
	s.setDetails(ctx)
	s.logger.Info("confirm_booking answered", "call_sid", s.in.CallSID, "status", res.Status)
	return res, nil
}

// finishBooking runs once the call has ended and every update has
// answered: a booking confirmed in the last moments still makes the call
// booked, and whatever the call may still hold is given back at once.
func (s *callSession) finishBooking(ctx workflow.Context) {
	if s.state.BookingID != "" && s.state.Outcome == contract.OutcomeCompleted {
		s.state.Outcome = contract.OutcomeBooked
		s.record(ctx)
	}
	if !s.secondPass {
		// Histories before the second pass released only a hold the
		// workflow knew of and had not seen expire.
		if s.state.Hold == nil || s.state.Hold.Expired {
			return
		}
		s.stopLegacyHoldTimer()
	}
	s.releaseHolds(ctx)
}

// releaseHolds gives back every live hold of the call, including one whose
// answer never reached the workflow. Postgres would expire them anyway;
// this frees the slot for the next caller now.
func (s *callSession) releaseHolds(ctx workflow.Context) {
	if s.state.Hold == nil && !s.holdUnknown {
		return
	}
	var a *activities.Activities
	var status string
	actx := workflow.WithActivityOptions(ctx, callActivityOptions("give back the call's slot holds"))
	err := workflow.ExecuteActivity(actx, a.ReleaseHold, activities.ReleaseHoldRequest{OrgID: s.in.OrgID, CallSID: s.in.CallSID}).Get(ctx, &status)
	if err != nil {
		s.logger.Warn("releasing the call's holds failed; they expire in Postgres by themselves", "call_sid", s.in.CallSID, "error", err)
		return
	}
	s.state.Hold = nil
}

// startLegacyHoldTimer is the hold timer of histories recorded before the
// second pass, kept so they replay. Since then expiry is derived from
// workflow time: Postgres is the authority, and the hang-up frees early.
func (s *callSession) startLegacyHoldTimer(holdID string, expiresAt time.Time) {
	s.stopLegacyHoldTimer()
	ctx, cancel := workflow.WithCancel(s.root)
	s.legacyTimer = cancel
	workflow.Go(ctx, func(ctx workflow.Context) {
		wait := expiresAt.Sub(workflow.Now(ctx))
		if wait < time.Millisecond {
			wait = time.Millisecond
		}
		if err := workflow.NewTimerWithOptions(ctx, wait, workflow.TimerOptions{Summary: "release the slot hold when it expires"}).Get(ctx, nil); err != nil {
			return // cancelled: booked, replaced, or the call ended
		}
		if err := s.slots.Lock(ctx); err != nil {
			return
		}
		defer s.slots.Unlock()
		if s.state.Hold == nil || s.state.Hold.HoldID != holdID {
			return
		}
		var a *activities.Activities
		var status string
		err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, callActivityOptions("release the expired hold")), a.ReleaseHold,
			activities.ReleaseHoldRequest{OrgID: s.in.OrgID, CallSID: s.in.CallSID, HoldID: holdID}).Get(ctx, &status)
		if err != nil {
			s.logger.Warn("releasing an expired hold failed; Postgres has expired it anyway", "call_sid", s.in.CallSID, "error", err)
		}
		if s.state.Hold != nil && s.state.Hold.HoldID == holdID {
			s.state.Hold.Expired = true
		}
	})
}

func (s *callSession) stopLegacyHoldTimer() {
	if s.legacyTimer != nil {
		s.legacyTimer()
		s.legacyTimer = nil
	}
}

// slotActivity runs a hold or a confirm. A caller is waiting on the line,
// so it gives up quickly; retries are safe (the same call asking again gets
// its hold back; a confirm repeated after success answers the same
// booking). Under localSlotsChange it is a local activity: it runs in the
// workflow task that took the Update, and its answer goes back with that
// task's completion, without an activity task and a second workflow task
// on the server. The Web UI shows it as a LocalActivity marker with the
// same summary.
func (s *callSession) slotActivity(ctx workflow.Context, summary string, fn, req any) workflow.Future {
	const startToClose, scheduleToClose = 5 * time.Second, 15 * time.Second
	retry := &temporal.RetryPolicy{
		InitialInterval:        100 * time.Millisecond,
		MaximumInterval:        2 * time.Second,
		NonRetryableErrorTypes: []string{contract.ErrTypeSlotConflict, contract.ErrTypeInvalidRequest},
	}
	if s.localSlots {
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: startToClose, ScheduleToCloseTimeout: scheduleToClose,
			RetryPolicy: retry, Summary: summary,
		}), fn, req)
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: startToClose, ScheduleToCloseTimeout: scheduleToClose,
		RetryPolicy: retry, Summary: summary,
	}), fn, req)
}

// uuidPattern is a uuid in its canonical 36-character form.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool {
	return uuidPattern.MatchString(s) && s != "00000000-0000-0000-0000-000000000000"
}
