package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
)

// TurnRequest is a transcript turn in clear, as the voice agent has it; the
// starter seals it into a TurnUpdate before it reaches Temporal.
type TurnRequest = activities.TurnRequest

// TurnUpdate is the `turn` Update's argument: speaker and time in clear,
// what was said sealed under the call's data key (activities.Sealed).
type TurnUpdate = activities.TurnUpdate

// TurnResult answers the `turn` Update: class and entity counts, and what
// the agent may see of the turn, sealed for the call.
type TurnResult = activities.TurnResult

// Why turns travel sealed: a workflow history cannot be edited, and the
// payload codec's key is one per deployment, so neither can forget one
// patient. Sealing under the call's data key makes erasure reach every
// history that ever carried the turn, by destroying that key.

// turnActivityOptions: a turn is on the caller's hot path, so fail fast
// rather than keep the agent waiting; a refused or erased turn never
// retries.
var turnActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    10 * time.Second,
	ScheduleToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: 100 * time.Millisecond, MaximumInterval: 2 * time.Second,
		NonRetryableErrorTypes: []string{activities.ErrTypeInvalidRequest, activities.ErrTypeCallErased},
	},
}

// registerTurnHandler adds the `turn` Update. Turns are handled one at a
// time in arrival order, which numbers them (seq) deterministically.
// Registering adds no command, so histories recorded before turns existed
// replay unchanged.
func (s *callSession) registerTurnHandler(ctx workflow.Context, in CallSessionInput) error {
	var (
		busy bool
		seq  int
		a    *activities.Activities
	)
	handle := func(ctx workflow.Context, req TurnUpdate) (TurnResult, error) {
		if err := workflow.Await(ctx, func() bool { return !busy }); err != nil {
			return TurnResult{}, err
		}
		busy = true
		defer func() { busy = false }()
		seq++
		var res TurnResult
		err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, turnActivityOptions), a.RecordTurn, activities.TurnInput{
			OrgID: in.OrgID, ClinicID: in.ClinicID, CallSID: in.CallSID, Seq: seq, Turn: req,
		}).Get(ctx, &res)
		if err != nil {
			workflow.GetLogger(ctx).Warn("turn not recorded", "call_sid", in.CallSID, "seq", seq)
		}
		return res, err
	}
	validate := func(_ workflow.Context, req TurnUpdate) error {
		if s.state.Ended {
			return errCallEnded
		}
		return validateTurn(in, req)
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateTurn, handle, workflow.UpdateHandlerOptions{Validator: validate})
}

// validateTurn rejects what can be judged without opening the envelope:
// a refused Update leaves no trace in the history.
func validateTurn(in CallSessionInput, req TurnUpdate) error {
	s := req.Sealed
	switch {
	case req.Speaker != activities.SpeakerCaller && req.Speaker != activities.SpeakerAgent:
		return invalid("turn: speaker must be caller or agent")
	case req.AtMS < 0:
		return invalid("turn: at_ms must not be negative")
	case s.IsZero():
		return invalid("turn: empty")
	case len(s.Ciphertext) > activities.MaxSealedTurnBytes:
		return invalid("turn: too large")
	case s.OrgID != in.OrgID || s.CallSID != in.CallSID || s.Purpose != activities.PurposeTurnRequest:
		return invalid("turn: sealed for another call")
	}
	return nil
}
