package starter

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
)

// DefaultAuditAnchorEvery is how often the audit chain heads are exported:
// rows appended since the last export are protected by their MACs only.
const DefaultAuditAnchorEvery = 15 * time.Minute

// EnsureAuditAnchorSchedule creates the Schedule that runs AuditAnchor
// every interval, unless it exists (every worker calls this at start).
func EnsureAuditAnchorSchedule(ctx context.Context, c client.Client, every time.Duration) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   contract.AuditAnchorScheduleID,
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}},
		Action: &client.ScheduleWorkflowAction{
			ID:                       contract.AuditAnchorScheduleID,
			Workflow:                 contract.WorkflowAuditAnchor,
			TaskQueue:                contract.TaskQueue,
			WorkflowExecutionTimeout: 10 * time.Minute,
		},
		Overlap:            enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		TriggerImmediately: true,
		Note:               "exports every org's audit chain head; `frontdesk audit verify` checks against them",
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("audit anchor schedule: %w", err)
	}
	return nil
}

// AuditAnchors returns the heads exported by the newest limit completed
// AuditAnchor runs that Temporal still keeps, newest first.
func AuditAnchors(ctx context.Context, c client.Client, namespace string, limit int) ([]contract.AuditAnchorResult, error) {
	var out []contract.AuditAnchorResult
	var token []byte
	for len(out) < limit {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace:     namespace,
			PageSize:      int32(min(limit, 100)),
			NextPageToken: token,
			Query:         fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Completed'", contract.WorkflowAuditAnchor),
		})
		if err != nil {
			return nil, fmt.Errorf("list audit anchors: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			if len(out) == limit {
				break
			}
			var res contract.AuditAnchorResult
			run := c.GetWorkflow(ctx, e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId())
			if err := run.Get(ctx, &res); err != nil {
				return nil, fmt.Errorf("audit anchor %s: %w", e.GetExecution().GetWorkflowId(), err)
			}
			out = append(out, res)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	return out, nil
}
