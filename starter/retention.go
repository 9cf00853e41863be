package starter

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
)

// RetentionCatchupWindow is how late a missed daily run may still start
// after Temporal was down at its time. Purges are cumulative, so a run
// missed for longer is simply left to the next day's, which removes
// everything due by then: no burst of catch-up runs after an outage.
const RetentionCatchupWindow = time.Hour

// retentionSpec: once a day at 03:30 UTC, when clinics are closed.
var retentionSpec = client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
	Hour:    []client.ScheduleRange{{Start: 3}},
	Minute:  []client.ScheduleRange{{Start: 30}},
	Comment: "daily at 03:30 UTC",
}}}

// EnsureRetentionSchedule creates the Schedule that starts the Retention
// workflow once a day, unless it exists already (every worker calls this at
// start). Overlapping runs are skipped: a run still going when the next is
// due finishes the same work.
func EnsureRetentionSchedule(ctx context.Context, c client.Client) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   contract.RetentionScheduleID,
		Spec: retentionSpec,
		Action: &client.ScheduleWorkflowAction{
			ID:        contract.RetentionWorkflowID,
			Workflow:  contract.WorkflowRetention,
			Args:      []any{contract.RetentionInput{}},
			TaskQueue: contract.TaskQueue,
			// A day's run must end before the next one is due.
			WorkflowExecutionTimeout: 23 * time.Hour,
			StaticSummary:            "daily transcript retention: turns past each clinic's period deleted, call keys shredded",
		},
		Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: RetentionCatchupWindow,
		Note:          "created by the frontdesk worker",
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create the retention schedule: %w", err)
	}
	return nil
}
