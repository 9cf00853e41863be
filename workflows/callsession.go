package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// How long a call waits before it asks Twilio for a final status that has
// not arrived. Twilio does not retry status callbacks by default, so a lost
// `completed` would otherwise leave the call open for MaxCallDuration, with
// no outcome and no follow-up.
const (
	// quietAfterStream: the media stream ended (the caller hung up, the
	// agent ended the call, or a transfer took it to staff) and no final
	// status followed; Twilio's own callback normally comes within a
	// second. After a transfer the questions go on, doubling up to
	// quietMax, for as long as the staff call lasts.
	quietAfterStream = 5 * time.Second
	// quietWithoutStream: no stream has started yet.
	quietWithoutStream = time.Minute
	// quietMax caps the back-off between questions to Twilio.
	quietMax = 15 * time.Minute
)

// lateTurnGrace is how long a call that ended with its media stream still
// open waits for the stream's last turns (a final transcript arrives just
// after Twilio's `completed`).
const lateTurnGrace = 10 * time.Second

// tenantCheckPatience bounds how long the tenant check retries a database
// that does not answer. A call is never rejected for an outage; after a day
// the workflow fails, visibly, for ops to look at.
const tenantCheckPatience = 24 * time.Hour

// CallSession is one phone call, from the incoming-call webhook to its final
// status: setup registers the handlers, the tenant check admits the call,
// run follows Twilio's status callbacks (ordered by SequenceNumber; they
// repeat and arrive out of order), and finish settles holds, the outcome
// and the follow-up.
func CallSession(ctx workflow.Context, in contract.CallSessionInput) (contract.CallState, error) {
	s, err := setupCallSession(ctx, in)
	if err != nil {
		return contract.CallState{}, err
	}
	admitted, err := s.checkTenant(ctx)
	if err != nil {
		return s.state, err
	}
	if !admitted {
		return s.finishRejected(ctx)
	}
	if err := s.run(ctx); err != nil {
		return s.state, err
	}
	return s.finish(ctx)
}

// callSession is the workflow's state; its handlers are its methods.
type callSession struct {
	in     contract.CallSessionInput
	state  contract.CallState
	root   workflow.Context
	logger log.Logger
	// secondPass is secondPassChange's version (see doc.go).
	secondPass bool
	// localSlots is localSlotsChange's version (see doc.go).
	localSlots bool

	// admitted or rejected by the tenant check; under the second pass
	// every handler waits for one of them.
	admitted, rejected bool

	// slots serialises hold_slot, confirm_booking and the legacy hold
	// timer, so the call's idea of its hold follows the order Postgres saw.
	slots workflow.Mutex
	// turns numbers turns in arrival order, one at a time.
	turns workflow.Mutex
	// holdUnknown: a hold_slot failed after reaching Postgres, so the call
	// may hold a slot it does not know of.
	holdUnknown bool
	bookedHold  string
	legacyTimer workflow.CancelFunc

	startedAt      time.Time
	recordedStatus string

	// streamEvents counts media_stream updates, so run wakes on them;
	// streamTurns is how many turns the ended stream says it sent.
	streamEvents int
	streamTurns  int
	// lateTurns is open from the call's end until the grace window closes.
	lateTurns bool

	// quiet is the timer after which a call whose stream is not live asks
	// Twilio for its status; quietFor is the stream state it was armed for.
	quiet     workflow.Future
	stopQuiet workflow.CancelFunc
	quietWait time.Duration
	quietFor  string
}

func setupCallSession(ctx workflow.Context, in contract.CallSessionInput) (*callSession, error) {
	if in.CallSID == "" || in.ClinicID == "" || in.OrgID == "" {
		return nil, temporal.NewNonRetryableApplicationError("call session needs call_sid, clinic_id and org_id", contract.ErrTypeInvalidInput, nil)
	}
	s := &callSession{
		in: in, root: ctx, logger: workflow.GetLogger(ctx),
		state: contract.CallState{CallSID: in.CallSID, ClinicID: in.ClinicID, OrgID: in.OrgID,
			Status: contract.StatusRinging, LastSequence: -2, StatusTimeline: []contract.StatusEvent{}},
		slots: workflow.NewMutex(ctx),
		turns: workflow.NewMutex(ctx),
	}
	s.secondPass = workflow.GetVersion(ctx, secondPassChange, workflow.DefaultVersion, 1) >= 1
	s.localSlots = workflow.GetVersion(ctx, localSlotsChange, workflow.DefaultVersion, 1) >= 1
	if err := workflow.SetQueryHandler(ctx, contract.QueryState, s.query); err != nil {
		return nil, err
	}
	// Registering handlers adds no command, so calls recorded before a
	// handler existed replay unchanged.
	for _, register := range []func(workflow.Context) error{
		s.registerBookingHandlers, s.registerTurnHandler, s.registerFollowUpHandlers, s.registerStreamHandler,
	} {
		if err := register(ctx); err != nil {
			return nil, err
		}
	}
	s.setDetails(ctx)
	return s, nil
}

// checkTenant confirms the call's clinic is in its org before anything
// else runs. Only a tenant mismatch rejects the call; a database that does
// not answer is retried (histories before the second pass rejected on any
// error, and replay that way).
func (s *callSession) checkTenant(ctx workflow.Context) (bool, error) {
	if workflow.GetVersion(ctx, checkTenantChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		s.admitted = true
		return true, nil
	}
	opts := callActivityOptions("check that the clinic belongs to the call's org")
	if s.secondPass {
		opts.ScheduleToCloseTimeout = tenantCheckPatience
		opts.RetryPolicy = &temporal.RetryPolicy{
			InitialInterval: 200 * time.Millisecond, MaximumInterval: 30 * time.Second,
			NonRetryableErrorTypes: []string{contract.ErrTypeTenantMismatch},
		}
	}
	var a *activities.Activities
	check := activities.TenantCheck{OrgID: s.in.OrgID, ClinicID: s.in.ClinicID, CallSID: s.in.CallSID}
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), a.CheckTenant, check).Get(ctx, nil)
	switch {
	case err == nil:
		s.admitted = true
		return true, nil
	case !s.secondPass || isErrType(err, contract.ErrTypeTenantMismatch):
		s.logger.Error("tenant check refused the call", "call_sid", s.in.CallSID, "error", err)
		s.rejected = true
		return false, nil
	default:
		s.rejected = true
		return false, fmt.Errorf("tenant check did not answer for %s: %w", tenantCheckPatience, err)
	}
}

// awaitAdmission holds a handler until the tenant check has answered, as
// the safe-message-handler sample holds its handlers until start: an
// Update must not hold a slot for a call that is about to be rejected.
func (s *callSession) awaitAdmission(ctx workflow.Context) error {
	if !s.secondPass {
		return nil
	}
	if err := workflow.Await(ctx, func() bool { return s.admitted || s.rejected }); err != nil {
		return err
	}
	if s.rejected {
		return errCallRejected
	}
	return nil
}

// finishRejected ends a call that failed its tenant check. Handlers that
// were waiting are answered first, and anything they may have held is
// given back.
func (s *callSession) finishRejected(ctx workflow.Context) (contract.CallState, error) {
	s.state.Ended, s.state.Outcome = true, contract.OutcomeRejected
	if s.secondPass {
		if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
			return s.state, err
		}
		s.releaseHolds(ctx)
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, contract.SAOutcome.ValueSet(contract.OutcomeRejected)); err != nil {
		return s.state, err
	}
	s.setDetails(ctx)
	return s.state, nil
}

// run follows the call until Twilio says it is over, MaxCallDuration has
// passed, or Twilio's API answers that a quiet call has ended.
func (s *callSession) run(ctx workflow.Context) error {
	s.startedAt = workflow.Now(ctx)
	statusCh := workflow.GetSignalChannel(ctx, contract.SignalCallStatus)
	deadlineCtx, cancelDeadline := workflow.WithCancel(ctx)
	defer cancelDeadline()
	deadline := workflow.NewTimerWithOptions(deadlineCtx, contract.MaxCallDuration,
		workflow.TimerOptions{Summary: "give up on a call whose final status never arrives"})
	for !s.state.Ended {
		s.armQuietCheck(ctx)
		seen := s.streamEvents
		err := workflow.Await(ctx, func() bool {
			return statusCh.Len() > 0 || deadline.IsReady() || s.streamEvents != seen || (s.quiet != nil && s.quiet.IsReady())
		})
		if err != nil {
			return err
		}
		switch {
		case statusCh.Len() > 0:
			var sig contract.CallStatusSignal
			statusCh.ReceiveAsync(&sig)
			s.apply(sig, workflow.Now(ctx))
		case deadline.IsReady():
			s.state.Ended, s.state.Outcome = true, contract.OutcomeTimedOut
			s.logger.Warn("call timed out without a final status", "call_sid", s.in.CallSID)
		case s.quiet != nil && s.quiet.IsReady():
			s.askTwilio(ctx)
		}
		if s.state.Status != s.recordedStatus || s.state.Ended {
			s.recordedStatus = s.state.Status
			if err := workflow.UpsertTypedSearchAttributes(ctx, contract.SACallStatus.ValueSet(s.state.Status)); err != nil {
				return err
			}
			s.record(ctx)
		}
		s.setDetails(ctx)
	}
	s.stopQuietCheck()
	return nil
}

// finish settles the call once it has ended: in-flight handlers answer
// first (a confirm accepted before the hang-up still books), then holds are
// given back, the outcome is set, an unbooked call hands over to FollowUp,
// and the media stream's last turns are waited for.
func (s *callSession) finish(ctx workflow.Context) (contract.CallState, error) {
	s.lateTurns = s.secondPass
	// With no handler running this returns at once and adds no command.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return s.state, err
	}
	s.finishBooking(ctx)
	if s.secondPass && s.state.Transfer && s.state.Outcome == contract.OutcomeCompleted {
		s.state.Outcome = contract.OutcomeTransferred
		s.record(ctx)
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, contract.SAOutcome.ValueSet(s.state.Outcome)); err != nil {
		return s.state, err
	}
	s.startFollowUp(ctx)
	if s.secondPass {
		if err := s.awaitLateTurns(ctx); err != nil {
			return s.state, err
		}
	}
	s.lateTurns = false
	s.setDetails(ctx)
	s.logger.Info("call ended", "call_sid", s.in.CallSID, "outcome", s.state.Outcome, "ignored_callbacks", s.state.Ignored)
	return s.state, nil
}

// record upserts the call's row for staff lists. A failure is logged, not
// fatal: the call itself goes on.
func (s *callSession) record(ctx workflow.Context) {
	rec := activities.CallRecord{CallSID: s.in.CallSID, ClinicID: s.in.ClinicID, OrgID: s.in.OrgID,
		Status: s.state.Status, Outcome: s.state.Outcome, StartedAt: s.startedAt}
	if s.state.Ended {
		end := workflow.Now(ctx)
		rec.EndedAt = &end
	}
	var a *activities.Activities
	actx := workflow.WithActivityOptions(ctx, callActivityOptions("record the call's status for staff lists"))
	if err := workflow.ExecuteActivity(actx, a.RecordCall, rec).Get(ctx, nil); err != nil {
		s.logger.Error("recording the call failed", "call_sid", s.in.CallSID, "error", err)
	}
}

// apply takes one status callback, ignoring stale, repeated, unknown and
// out-of-range ones.
func (s *callSession) apply(sig contract.CallStatusSignal, now time.Time) {
	stale := sig.SequenceNumber <= s.state.LastSequence
	outOfRange := s.secondPass && sig.SequenceNumber > contract.MaxSequenceNumber
	if stale || outOfRange || !contract.KnownStatus(sig.CallStatus) {
		s.state.Ignored++
		return
	}
	s.state.LastSequence = sig.SequenceNumber
	s.state.Status = sig.CallStatus
	s.state.StatusTimeline = append(s.state.StatusTimeline, contract.StatusEvent{Status: sig.CallStatus, SequenceNumber: sig.SequenceNumber, At: now})
	if outcome, ok := contract.TerminalOutcome(sig.CallStatus); ok {
		if outcome == contract.OutcomeCompleted && s.state.BookingID != "" {
			outcome = contract.OutcomeBooked
		}
		s.state.Ended = true
		s.state.Outcome = outcome
		s.state.DurationSecs = sig.CallDuration
	}
}

// query answers the `state` query. A hold's expiry is derived from
// workflow time: Postgres expired it at ExpiresAt whatever any worker did.
// (Workflow time stands still between tasks, so starter.Calls.State
// completes the flag with the client's clock.)
func (s *callSession) query() (contract.CallState, error) {
	st := s.state
	if st.Hold != nil && s.secondPass {
		h := *st.Hold
		h.Expired = h.Expired || !workflow.Now(s.root).Before(h.ExpiresAt)
		st.Hold = &h
	}
	return st, nil
}

// setDetails is what the Web UI shows under a running call: status, turns,
// the hold and the outcome, never anything the caller said.
func (s *callSession) setDetails(ctx workflow.Context) {
	d := s.state.Status
	if s.state.Turns > 0 {
		d += fmt.Sprintf(" · turn %d", s.state.Turns)
	}
	if s.state.Stream != "" {
		d += " · stream " + s.state.Stream
	}
	if h := s.state.Hold; h != nil {
		d += " · slot held until " + h.ExpiresAt.UTC().Format("15:04") + " UTC"
	}
	if s.state.BookingID != "" {
		d += " · booked"
	}
	if s.state.Ended {
		d += " · outcome " + s.state.Outcome
	} else {
		d += " · outcome pending"
	}
	workflow.SetCurrentDetails(ctx, d)
}

// callActivityOptions: the defaults of the call's own activities. A
// database outage must not hold a finished call open forever.
func callActivityOptions(summary string) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    10 * time.Second,
		ScheduleToCloseTimeout: 5 * time.Minute,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, MaximumInterval: 10 * time.Second},
		Summary:                summary,
	}
}

var (
	errCallEnded    = temporal.NewApplicationError("call already ended", contract.ErrTypeCallEnded)
	errCallRejected = temporal.NewApplicationError("call rejected by its tenant check", contract.ErrTypeCallRejected)
)

func invalid(msg string) error {
	return temporal.NewApplicationError(msg, contract.ErrTypeInvalidRequest)
}

func isErrType(err error, typ string) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == typ
}
