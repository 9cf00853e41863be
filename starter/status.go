package starter

import (
	"context"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/frontdesk/frontdesk/contract"
)

// StatusRequestID is the request id of a status callback's signal: the
// Temporal server keeps the request ids of a run's signals and applies a
// second signal with the same id as a no-op, so a callback Twilio retries,
// or anyone replays, lands once per (CallSid, SequenceNumber).
func StatusRequestID(callSID string, seq int) string {
	return fmt.Sprintf("twilio-status/%s/%d", callSID, seq)
}

func (c Calls) signalStatus(ctx context.Context, workflowID, callSID string, status contract.CallStatusSignal) error {
	if c.DataConverter == nil || status.SequenceNumber < 0 {
		return c.Client.SignalWorkflow(ctx, workflowID, "", contract.SignalCallStatus, status)
	}
	// The SDK's SignalWorkflow draws a random request id; the service call
	// takes ours. The payload goes through the same converter, bound to the
	// workflow (and to the caller's org, from ctx), as the SDK would bind it.
	dc := c.DataConverter
	if ca, ok := dc.(converter.ContextAware); ok {
		dc = ca.WithContext(ctx)
	}
	dc = converter.WithDataConverterSerializationContext(dc, converter.WorkflowSerializationContext{Namespace: c.Namespace, WorkflowID: workflowID})
	input, err := dc.ToPayloads(status)
	if err != nil {
		return fmt.Errorf("encode status callback: %w", err)
	}
	_, err = c.Client.WorkflowService().SignalWorkflowExecution(ctx, &workflowservice.SignalWorkflowExecutionRequest{
		Namespace:         c.Namespace,
		WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: workflowID},
		SignalName:        contract.SignalCallStatus,
		Input:             input,
		Identity:          "frontdesk-api",
		RequestId:         StatusRequestID(callSID, status.SequenceNumber),
	})
	return err
}

// Ended reports whether the call's workflow exists and has closed. A call
// whose workflow never existed has not ended (false, nil): the webhooks
// use it to write nothing for a call that is over.
func (c Calls) Ended(ctx context.Context, callSID string) (bool, error) {
	d, err := c.Client.DescribeWorkflowExecution(ctx, contract.CallSessionID(callSID), "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, nil
}
