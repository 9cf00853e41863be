package workflows

import (
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// followUpChange guards the follow-up's commands on CallSession's existing
// paths: a call recorded before follow-ups existed replays without them.
const followUpChange = "followup-on-unbooked-call"

// registerFollowUpHandlers adds discuss_procedure: the agent names the
// procedure a caller asks about before any slot is held. Like the booking
// handlers it adds no command by being registered.
func (s *callSession) registerFollowUpHandlers(ctx workflow.Context) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateDiscussProcedure,
		func(ctx workflow.Context, req DiscussProcedureRequest) error {
			s.noteProcedure(req.ProcedureID)
			return nil
		},
		workflow.UpdateHandlerOptions{Validator: func(req DiscussProcedureRequest) error {
			if s.state.Ended {
				return errCallEnded
			}
			if !isUUID(req.ProcedureID) {
				return invalid("procedure_id is not a uuid")
			}
			return nil
		}})
}

// noteProcedure remembers the latest procedure the caller discussed (a
// discuss_procedure, hold_slot or confirm_booking carrying one).
func (s *callSession) noteProcedure(id string) {
	if id != "" {
		s.state.ProcedureID = id
	}
}

// startFollowUp hands an unbooked call over to FollowUp, which outlives the
// call (ParentClosePolicy ABANDON) because the clinic's delay may be long.
// Only the start is awaited, so the hand-over is durable before the call
// closes. Answered, completed, unbooked calls with a known procedure only.
func (s *callSession) startFollowUp(ctx workflow.Context) {
	if s.state.Outcome != OutcomeCompleted || s.state.BookingID != "" || s.state.ProcedureID == "" {
		return
	}
	if workflow.GetVersion(ctx, followUpChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	logger := workflow.GetLogger(ctx)
	id := FollowUpID(s.state.CallSID)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            id,
		TaskQueue:             TaskQueue,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(SAClinicID.ValueSet(s.state.ClinicID), SAFollowUpSent.ValueSet(false)),
		StaticSummary:         "follow-up SMS after an unbooked call",
	})
	child := workflow.ExecuteChildWorkflow(cctx, FollowUp, FollowUpInput{
		CallSID: s.state.CallSID, OrgID: s.state.OrgID, ClinicID: s.state.ClinicID, ProcedureID: s.state.ProcedureID,
	})
	var started workflow.Execution
	if err := child.GetChildWorkflowExecution().Get(ctx, &started); err != nil {
		var dup *temporal.ChildWorkflowExecutionAlreadyStartedError
		if errors.As(err, &dup) {
			logger.Info("follow-up already started", "call_sid", s.state.CallSID)
			return
		}
		logger.Error("starting the follow-up failed", "call_sid", s.state.CallSID, "error", err)
		return
	}
	s.state.FollowUpID = id
	logger.Info("follow-up started", "call_sid", s.state.CallSID, "workflow_id", id)
}
