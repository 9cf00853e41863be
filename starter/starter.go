// Package starter is the client side of frontdesk's workflows: it dials
// Temporal and starts, signals and queries them for the api, the voice path
// and the CLI.
package starter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
)

// Dial connects to Temporal WITHOUT the payload codec: only for requests
// that carry no payloads (health checks). Everything that starts, signals,
// updates or reads workflows uses DialEncrypted.
func Dial(ctx context.Context, address, namespace string, logger *slog.Logger, opts ...func(*client.Options) error) (client.Client, error) {
	o := client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(logger),
	}
	for _, apply := range opts {
		if err := apply(&o); err != nil {
			return nil, err
		}
	}
	c, err := client.DialContext(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", address, err)
	}
	return c, nil
}

// EnsureSearchAttributes registers frontdesk's search attributes on a
// Temporal server that lacks them (the dev server gets them as flags).
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	want := map[string]enumspb.IndexedValueType{}
	for _, key := range contract.SearchAttributeKeys {
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
	// DataConverter and Namespace, when set (they are the client's own),
	// let Status deliver each callback with a request id derived from
	// (CallSid, SequenceNumber): the server applies a repeat or a replay of
	// a callback once, instead of growing the call's history with it.
	DataConverter converter.DataConverter
	Namespace     string
}

// Start starts the call's workflow, or reaches the running one when Twilio
// repeats the webhook, and delivers the initial status in the same round
// trip (Signal-With-Start with conflict policy USE_EXISTING).
func (c Calls) Start(ctx context.Context, in contract.CallSessionInput, status contract.CallStatusSignal) (runID string, err error) {
	opts := client.StartWorkflowOptions{
		ID:                       contract.CallSessionID(in.CallSID),
		TaskQueue:                contract.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.SAClinicID.ValueSet(in.ClinicID), contract.SACallStatus.ValueSet("ringing"),
			contract.SABookingConfirmed.ValueSet(false)),
		StaticSummary: "phone call (ids only; decoded input needs an ops token)",
	}
	run, err := c.Client.SignalWithStartWorkflow(ctx, opts.ID, contract.SignalCallStatus, status, opts, contract.WorkflowCallSession, in)
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
func (c Calls) Status(ctx context.Context, callSID string, status contract.CallStatusSignal) error {
	id := contract.CallSessionID(callSID)
	err := c.signalStatus(ctx, id, callSID, status)
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
func (c Calls) State(ctx context.Context, callSID string) (contract.CallState, error) {
	var st contract.CallState
	v, err := c.Client.QueryWorkflow(ctx, contract.CallSessionID(callSID), "", contract.QueryState)
	if err != nil {
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return st, ErrCallNotFound
		}
		return st, err
	}
	if err := v.Get(&st); err != nil {
		return st, err
	}
	// The workflow derives a hold's expiry from its own clock, which stands
	// still between workflow tasks; Postgres expires it by the wall clock.
	if st.Hold != nil && !time.Now().Before(st.Hold.ExpiresAt) {
		st.Hold.Expired = true
	}
	return st, nil
}

// ErrUpdateRejected wraps a validator's refusal of a malformed request;
// nothing was written to the call's history.
var ErrUpdateRejected = errors.New("request rejected")

// HoldSlot asks the call's workflow to hold a slot and waits for the answer
// (held, or conflict with alternatives, not_found, expired).
func (c Calls) HoldSlot(ctx context.Context, callSID, updateID string, req contract.HoldSlotRequest) (contract.HoldSlotResult, error) {
	var res contract.HoldSlotResult
	err := c.update(ctx, callSID, updateID, contract.UpdateHoldSlot, req, &res)
	return res, err
}

// ConfirmBooking asks the call's workflow to book its current hold and
// waits for the answer (booked, expired, not_found, not_yours).
func (c Calls) ConfirmBooking(ctx context.Context, callSID, updateID string, req contract.ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	var res contract.ConfirmBookingResult
	err := c.update(ctx, callSID, updateID, contract.UpdateConfirmBooking, req, &res)
	return res, err
}

// update sends a workflow Update and waits until it has completed: the voice
// agent's tool call needs the answer, not just an acknowledgement. updateID
// is the caller's (a tool-call or turn id): a retry with the same id after a
// timeout gets the first attempt's answer instead of running twice.
func (c Calls) update(ctx context.Context, callSID, updateID, name string, arg, result any) error {
	if !validUpdateID(updateID) {
		return fmt.Errorf("%s: %w: update id must be 1-%d printable ASCII characters", name, ErrUpdateRejected, maxUpdateIDLen)
	}
	h, err := c.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   contract.CallSessionID(callSID),
		UpdateID:     name + ":" + updateID,
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
		if _, derr := c.Client.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), ""); derr == nil {
			return fmt.Errorf("%s: %w", name, ErrCallEnded)
		}
		return ErrCallNotFound
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.ErrTypeInvalidRequest:
			return fmt.Errorf("%s: %w: %s", name, ErrUpdateRejected, appErr.Error())
		case contract.ErrTypeCallEnded, contract.ErrTypeCallRejected:
			return fmt.Errorf("%s: %w", name, ErrCallEnded)
		}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// DiscussProcedure tells the call which procedure the caller is asking
// about, so an unbooked call can be followed up with its guide.
func (c Calls) DiscussProcedure(ctx context.Context, callSID, updateID string, req contract.DiscussProcedureRequest) error {
	return c.update(ctx, callSID, updateID, contract.UpdateDiscussProcedure, req, nil)
}

// MediaStream tells the call its voice stream started or ended and waits
// for the answer: a start for an ended or unknown call fails (the stream
// is then closed), and an ended stream's transfer is in the call's state
// before Twilio asks what comes after <Connect>.
func (c Calls) MediaStream(ctx context.Context, callSID, updateID string, ev contract.MediaStreamEvent) (contract.MediaStreamAck, error) {
	var ack contract.MediaStreamAck
	err := c.update(ctx, callSID, updateID, contract.UpdateMediaStream, ev, &ack)
	return ack, err
}

const maxUpdateIDLen = 128

// validUpdateID: Update ids are chosen by callers and shown in the Web UI,
// so they are short, printable and carry no personal data (tool-call ids,
// turn counters).
func validUpdateID(id string) bool {
	if id == "" || len(id) > maxUpdateIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// CancelFollowUp withdraws a call's follow-up that is still waiting out the
// clinic's delay (the caller booked by other means).
func (c Calls) CancelFollowUp(ctx context.Context, callSID string) error {
	err := c.Client.SignalWorkflow(ctx, contract.FollowUpID(callSID), "", contract.SignalFollowUpCancel, nil)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return ErrCallNotFound
	}
	return err
}

// holdSweepScheduleID is the per-minute Schedule earlier versions ran.
// Expiry is decided in SQL at every read, so the sweep changed nothing a
// caller could see and filled the Web UI with 1,440 workflows a day.
const holdSweepScheduleID = "sweep-expired-holds"

// RemoveHoldSweepSchedule deletes that Schedule where an earlier version
// created it (every worker calls this at start; absent is fine).
func RemoveHoldSweepSchedule(ctx context.Context, c client.Client) error {
	err := c.ScheduleClient().GetHandle(ctx, holdSweepScheduleID).Delete(ctx)
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return fmt.Errorf("remove the hold sweep schedule: %w", err)
	}
	return nil
}
