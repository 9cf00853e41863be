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

// Why turns travel sealed: a workflow history cannot be edited, and the
// payload codec's key is one per deployment, so neither can forget one
// patient. Sealing under the call's data key makes erasure reach every
// history that ever carried the turn, by destroying that key.

// turnActivityOptions: a turn is recorded off the caller's hot path, but
// the agent's next turn follows within seconds, so fail fast; a refused or
// erased turn never retries.
func turnActivityOptions(seq int, speaker string) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    10 * time.Second,
		ScheduleToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 100 * time.Millisecond, MaximumInterval: 2 * time.Second,
			NonRetryableErrorTypes: []string{contract.ErrTypeInvalidRequest, contract.ErrTypeCallErased},
		},
		Summary: fmt.Sprintf("record turn %d (%s): route personal data, store sealed", seq, speaker),
	}
}

// registerTurnHandler adds the `turn` Update. Turns are handled one at a
// time in arrival order, which numbers them (seq) deterministically.
func (s *callSession) registerTurnHandler(ctx workflow.Context) error {
	var a *activities.Activities
	handle := func(ctx workflow.Context, req contract.TurnUpdate) (contract.TurnResult, error) {
		if err := s.awaitAdmission(ctx); err != nil {
			return contract.TurnResult{}, err
		}
		if err := s.turns.Lock(ctx); err != nil {
			return contract.TurnResult{}, err
		}
		defer s.turns.Unlock()
		s.state.Turns++
		seq := s.state.Turns
		var res contract.TurnResult
		err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, turnActivityOptions(seq, req.Speaker)), a.RecordTurn, activities.TurnInput{
			OrgID: s.in.OrgID, ClinicID: s.in.ClinicID, CallSID: s.in.CallSID, Seq: seq, Turn: req,
		}).Get(ctx, &res)
		if err != nil {
			s.logger.Warn("turn not recorded", "call_sid", s.in.CallSID, "seq", seq)
		}
		s.setDetails(ctx)
		return res, err
	}
	validate := func(_ workflow.Context, req contract.TurnUpdate) error {
		if s.rejected {
			return errCallRejected
		}
		if s.state.Ended && !s.lateTurns {
			return errCallEnded
		}
		return validateTurn(s.in, req)
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateTurn, handle, workflow.UpdateHandlerOptions{Validator: validate})
}

// validateTurn rejects what can be judged without opening the envelope:
// a refused Update leaves no trace in the history.
func validateTurn(in contract.CallSessionInput, req contract.TurnUpdate) error {
	s := req.Sealed
	switch {
	case req.Speaker != contract.SpeakerCaller && req.Speaker != contract.SpeakerAgent:
		return invalid("turn: speaker must be caller or agent")
	case req.AtMS < 0:
		return invalid("turn: at_ms must not be negative")
	case s.IsZero():
		return invalid("turn: empty")
	case len(s.Ciphertext) > contract.MaxSealedTurnBytes:
		return invalid("turn: too large")
	case s.OrgID != in.OrgID || s.CallSID != in.CallSID || s.Purpose != contract.PurposeTurnRequest:
		return invalid("turn: sealed for another call")
	case req.Timings != nil && !validTimings(*req.Timings):
		return invalid("turn: timings out of range")
	}
	return nil
}

// toolName is a tool's name as the timings carry it: lower case and
// underscores, never free text.
var toolName = regexp.MustCompile(`^[a-z_]{1,40}$`)

// validTimings bounds the clear timings: non-negative and under an hour,
// at most a handful of tool calls, each named (if named) by a tool name.
func validTimings(t contract.TurnTimings) bool {
	const maxMS = 3_600_000
	for _, v := range append([]float64{t.EndpointMS, t.STTMS, t.LLMFirstTokenMS, t.TTSFirstByteMS, t.TTFBMS, t.ResponseMS}, t.ToolMS...) {
		if v < 0 || v > maxMS || v != v {
			return false
		}
	}
	if len(t.Tools) > 0 && len(t.Tools) != len(t.ToolMS) {
		return false
	}
	for _, name := range t.Tools {
		if !toolName.MatchString(name) {
			return false
		}
	}
	return len(t.ToolMS) <= 16
}
