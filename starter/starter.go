// Package starter is the client side of frontdesk's workflows: it dials
// Temporal and starts, signals and queries them for the api, the voice path
// and the CLI.
package starter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/workflows"
)

// Dial connects to Temporal WITHOUT the payload codec: only for requests
// that carry no payloads (health checks). Everything that starts, signals,
// updates or reads workflows uses DialEncrypted.
func Dial(ctx context.Context, address, namespace string, logger *slog.Logger) (client.Client, error) {
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(logger),
	})
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", address, err)
	}
	return c, nil
}

// EnsureSearchAttributes registers frontdesk's search attributes on a
// Temporal server that lacks them (the dev server gets them as flags).
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	want := map[string]enumspb.IndexedValueType{}
	for _, key := range workflows.SearchAttributeKeys {
		want[key.GetName()] = key.GetValueType()
	}
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	for name := range have.GetCustomAttributes() {
		delete(want, name)
	}
	if len(want) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: want})
	if err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}

// Calls starts and drives CallSession workflows.
type Calls struct {
	Client client.Client
}

// Start starts the call's workflow, or reaches the running one when Twilio
// repeats the webhook, and delivers the initial status in the same round
// trip (Signal-With-Start with conflict policy USE_EXISTING).
func (c Calls) Start(ctx context.Context, in workflows.CallSessionInput, status workflows.CallStatusSignal) (runID string, err error) {
	opts := client.StartWorkflowOptions{
		ID:                       workflows.CallSessionID(in.CallSID),
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.SAClinicID.ValueSet(in.ClinicID), workflows.SACallStatus.ValueSet("ringing"),
			workflows.SABookingConfirmed.ValueSet(false)),
		StaticSummary: "phone call",
	}
	run, err := c.Client.SignalWithStartWorkflow(ctx, opts.ID, workflows.SignalCallStatus, status, opts, workflows.CallSession, in)
	if err != nil {
		return "", err
	}
	return run.GetRunID(), nil
}

// ErrCallNotFound means no workflow exists for the CallSid.
var ErrCallNotFound = errors.New("no such call")

// ErrCallEnded means the call's workflow has already closed.
var ErrCallEnded = errors.New("call already ended")

// Status delivers a status callback to the running call.
func (c Calls) Status(ctx context.Context, callSID string, status workflows.CallStatusSignal) error {
	id := workflows.CallSessionID(callSID)
	err := c.Client.SignalWorkflow(ctx, id, "", workflows.SignalCallStatus, status)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		// Either it never existed or it has closed: a late repeat of the final
		// callback is normal and must not be an error for Twilio.
		if _, derr := c.Client.DescribeWorkflowExecution(ctx, id, ""); derr == nil {
			return ErrCallEnded
		}
		return ErrCallNotFound
	}
	return err
}

// State queries a call's live state.
func (c Calls) State(ctx context.Context, callSID string) (workflows.CallState, error) {
	var st workflows.CallState
	v, err := c.Client.QueryWorkflow(ctx, workflows.CallSessionID(callSID), "", workflows.QueryState)
	if err != nil {
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return st, ErrCallNotFound
		}
		return st, err
	}
	return st, v.Get(&st)
}

// ErrUpdateRejected wraps a validator's refusal of a malformed request;
// nothing was written to the call's history.
var ErrUpdateRejected = errors.New("request rejected")

// HoldSlot asks the call's workflow to hold a slot and waits for the answer
// (held, or conflict with alternatives, not_found, expired).
func (c Calls) HoldSlot(ctx context.Context, callSID string, req workflows.HoldSlotRequest) (workflows.HoldSlotResult, error) {
	var res workflows.HoldSlotResult
	err := c.update(ctx, callSID, workflows.UpdateHoldSlot, req, &res)
	return res, err
}

// ConfirmBooking asks the call's workflow to book its current hold and
// waits for the answer (booked, expired, not_found, not_yours).
func (c Calls) ConfirmBooking(ctx context.Context, callSID string, req workflows.ConfirmBookingRequest) (workflows.ConfirmBookingResult, error) {
	var res workflows.ConfirmBookingResult
	err := c.update(ctx, callSID, workflows.UpdateConfirmBooking, req, &res)
	return res, err
}

// update sends a workflow Update and waits until it has completed: the voice
// agent's tool call needs the answer, not just an acknowledgement.
func (c Calls) update(ctx context.Context, callSID, name string, arg, result any) error {
	h, err := c.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.CallSessionID(callSID),
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err == nil {
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		if _, derr := c.Client.DescribeWorkflowExecution(ctx, workflows.CallSessionID(callSID), ""); derr == nil {
			return fmt.Errorf("%s: %w", name, ErrCallEnded)
		}
		return ErrCallNotFound
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeInvalidRequest:
			return fmt.Errorf("%s: %w: %s", name, ErrUpdateRejected, appErr.Error())
		case workflows.ErrTypeCallEnded:
			return fmt.Errorf("%s: %w", name, ErrCallEnded)
		}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// DiscussProcedure tells the call which procedure the caller is asking
// about, so an unbooked call can be followed up with its guide.
func (c Calls) DiscussProcedure(ctx context.Context, callSID string, req workflows.DiscussProcedureRequest) error {
	return c.update(ctx, callSID, workflows.UpdateDiscussProcedure, req, nil)
}

// CancelFollowUp withdraws a call's follow-up that is still waiting out the
// clinic's delay (the caller booked by other means).
func (c Calls) CancelFollowUp(ctx context.Context, callSID string) error {
	err := c.Client.SignalWorkflow(ctx, workflows.FollowUpID(callSID), "", workflows.SignalFollowUpCancel, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return ErrCallNotFound
	}
	return err
}

// EnsureHoldSweepSchedule creates the Schedule that runs HoldSweep every
// minute, unless it exists already (every worker calls this at start).
func EnsureHoldSweepSchedule(ctx context.Context, c client.Client) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   workflows.HoldSweepScheduleID,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: workflows.HoldSweepInterval}}},
		Action: &client.ScheduleWorkflowAction{
			ID:        workflows.HoldSweepScheduleID,
			Workflow:  workflows.HoldSweep,
			TaskQueue: workflows.TaskQueue,
		},
		// A sweep that overlaps the previous one adds nothing.
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the hold sweep schedule: %w", err)
	}
	return nil
}
