package workflows

import (
	"regexp"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

var streamReason = regexp.MustCompile(`^[a-z_]{0,32}$`)

// registerStreamHandler adds media_stream: the voice path says when the
// call's stream starts (refused for an ended call, so the stream closes)
// and ends (how the call learns it went quiet, or was handed to staff).
func (s *callSession) registerStreamHandler(ctx workflow.Context) error {
	handle := func(ctx workflow.Context, ev contract.MediaStreamEvent) (contract.MediaStreamAck, error) {
		if err := s.awaitAdmission(ctx); err != nil {
			return contract.MediaStreamAck{}, err
		}
		switch ev.Event {
		case contract.StreamStarted:
			if s.state.Ended {
				return contract.MediaStreamAck{}, errCallEnded
			}
			s.state.Stream, s.state.StreamEndReason = contract.StreamStarted, ""
		case contract.StreamEnded:
			s.state.Stream, s.state.StreamEndReason = contract.StreamEnded, ev.Reason
			s.streamTurns = ev.Turns
			if ev.Reason == contract.StreamTransfer {
				s.state.Transfer = true
			}
		}
		s.streamEvents++
		s.setDetails(ctx)
		return contract.MediaStreamAck{OrgID: s.in.OrgID, ClinicID: s.in.ClinicID, Status: s.state.Status}, nil
	}
	validate := func(ev contract.MediaStreamEvent) error {
		switch {
		case ev.Event != contract.StreamStarted && ev.Event != contract.StreamEnded:
			return invalid("media_stream: event must be started or ended")
		case !streamReason.MatchString(ev.Reason):
			return invalid("media_stream: reason must be up to 32 of a-z and _")
		case ev.Turns < 0 || ev.Turns > contract.MaxStreamTurns:
			return invalid("media_stream: turns out of range")
		case ev.Event == contract.StreamStarted && s.state.Ended:
			return errCallEnded
		case s.rejected:
			return errCallRejected
		}
		return nil
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateMediaStream, handle,
		workflow.UpdateHandlerOptions{Validator: validate})
}

// armQuietCheck starts the timer after which a call whose stream is not
// live asks Twilio for its status; a live stream stops it. Second pass
// only: older histories have no such timer.
func (s *callSession) armQuietCheck(ctx workflow.Context) {
	if !s.secondPass {
		return
	}
	if s.state.Stream == contract.StreamStarted {
		s.stopQuietCheck()
		s.quietWait = 0
		return
	}
	if s.quiet != nil && s.quietFor == s.state.Stream {
		return
	}
	if s.quiet != nil {
		// The stream ended while the timer for "no stream yet" ran.
		s.stopQuietCheck()
		s.quietWait = 0
	}
	s.quietFor = s.state.Stream
	if s.quietWait == 0 {
		s.quietWait = quietWithoutStream
		if s.state.Stream == contract.StreamEnded {
			s.quietWait = quietAfterStream
		}
	}
	qctx, cancel := workflow.WithCancel(ctx)
	s.quiet = workflow.NewTimerWithOptions(qctx, s.quietWait, workflow.TimerOptions{
		Summary: "no final status yet: ask Twilio whether the call has ended"})
	s.stopQuiet = cancel
}

func (s *callSession) stopQuietCheck() {
	if s.stopQuiet != nil {
		s.stopQuiet()
	}
	s.quiet, s.stopQuiet = nil, nil
}

// askTwilio runs when the quiet timer fires: Twilio's API is asked for the
// call's status, and a final one ends the call as its lost callback would
// have. Otherwise the next question waits twice as long.
func (s *callSession) askTwilio(ctx workflow.Context) {
	fired := s.quiet
	s.quiet, s.stopQuiet = nil, nil
	if fired.Get(ctx, nil) != nil {
		return // cancelled
	}
	var a *activities.Activities
	var got activities.CallStatusAnswer
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    15 * time.Second,
		ScheduleToCloseTimeout: time.Minute,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Second},
		Summary:                "ask Twilio for the status of a quiet call",
	})
	err := workflow.ExecuteActivity(actx, a.FetchCallStatus, activities.CallStatusQuery{OrgID: s.in.OrgID, CallSID: s.in.CallSID}).Get(ctx, &got)
	if err == nil {
		if _, final := contract.TerminalOutcome(got.Status); final {
			s.apply(contract.CallStatusSignal{CallStatus: got.Status, SequenceNumber: s.state.LastSequence + 1, CallDuration: got.DurationSecs}, workflow.Now(ctx))
			s.state.StatusSource = activities.StatusSourceTwilioAPI
			s.logger.Warn("final status taken from Twilio's API: its callback never arrived", "call_sid", s.in.CallSID, "status", got.Status)
			return
		}
	} else {
		s.logger.Warn("asking Twilio for the call's status failed", "call_sid", s.in.CallSID, "error", err)
	}
	s.quietWait = min(2*s.quietWait, quietMax)
}

// awaitLateTurns keeps the call open, briefly, for the turns its media
// stream is still sending when Twilio's `completed` arrives first.
func (s *callSession) awaitLateTurns(ctx workflow.Context) error {
	done := func() bool {
		streamDone := s.state.Stream == "" || (s.state.Stream == contract.StreamEnded && s.state.Turns >= s.streamTurns)
		return streamDone && workflow.AllHandlersFinished(ctx)
	}
	if done() {
		return nil
	}
	_, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
		Timeout:      lateTurnGrace,
		TimerOptions: workflow.TimerOptions{Summary: "wait for the media stream's last turns"},
	}, done)
	if err != nil {
		return err
	}
	// A turn accepted in the last moment still answers.
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}
