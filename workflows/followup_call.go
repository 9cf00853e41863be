package workflows

import (
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/contract"
)

// registerFollowUpHandlers adds discuss_procedure: the agent names the
// procedure a caller asks about before any slot is held.
func (s *callSession) registerFollowUpHandlers(ctx workflow.Context) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateDiscussProcedure,
		func(ctx workflow.Context, req contract.DiscussProcedureRequest) error {
			if err := s.awaitAdmission(ctx); err != nil {
				return err
			}
			s.noteProcedure(req.ProcedureID)
			return nil
		},
		workflow.UpdateHandlerOptions{Validator: func(req contract.DiscussProcedureRequest) error {
			if err := s.refuseWhenOver(); err != nil {
				return err
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
// closes. Answered, completed, unbooked calls with a known procedure only
// (a call handed to staff is theirs to follow up).
func (s *callSession) startFollowUp(ctx workflow.Context) {
	if s.state.Outcome != contract.OutcomeCompleted || s.state.BookingID != "" || s.state.ProcedureID == "" {
		return
	}
	if workflow.GetVersion(ctx, followUpChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	id := contract.FollowUpID(s.in.CallSID)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        id,
		TaskQueue:         contract.TaskQueue,
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
		// Ops may re-run a follow-up that failed (e.g. Twilio refused for a
		// day); one that ran is never sent twice (the outbox too).
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.SAClinicID.ValueSet(s.in.ClinicID), contract.SAFollowUpSent.ValueSet(false)),
		StaticSummary:         "follow-up SMS after an unbooked call",
	})
	child := workflow.ExecuteChildWorkflow(cctx, FollowUp, contract.FollowUpInput{
		CallSID: s.in.CallSID, OrgID: s.in.OrgID, ClinicID: s.in.ClinicID, ProcedureID: s.state.ProcedureID,
	})
	var started workflow.Execution
	if err := child.GetChildWorkflowExecution().Get(ctx, &started); err != nil {
		var dup *temporal.ChildWorkflowExecutionAlreadyStartedError
		if errors.As(err, &dup) {
			s.logger.Info("follow-up already started", "call_sid", s.in.CallSID)
			return
		}
		s.logger.Error("starting the follow-up failed", "call_sid", s.in.CallSID, "error", err)
		return
	}
	s.state.FollowUpID = id
	s.logger.Info("follow-up started", "call_sid", s.in.CallSID, "workflow_id", id)
}
