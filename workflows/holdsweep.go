package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
)

// HoldSweepScheduleID is the Temporal Schedule that runs HoldSweep every
// HoldSweepInterval. Expiry itself is enforced in SQL at every read; the
// sweep only marks stale holds so tables and staff lists stay tidy, and a
// missed run costs nothing.
const (
	HoldSweepScheduleID = "sweep-expired-holds"
	HoldSweepInterval   = time.Minute
)

// HoldSweepResult is how many expired holds one run marked.
type HoldSweepResult struct {
	Swept int `json:"swept"`
}

// HoldSweep marks every org's expired holds as expired, through the narrow
// app.sweep_expired_holds() function.
func HoldSweep(ctx workflow.Context) (HoldSweepResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3},
	})
	var a *activities.Activities
	var n int
	if err := workflow.ExecuteActivity(ctx, a.SweepHolds).Get(ctx, &n); err != nil {
		return HoldSweepResult{}, err
	}
	return HoldSweepResult{Swept: n}, nil
}
