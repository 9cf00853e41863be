package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// retentionClinicsPerActivity is how many clinics one activity purges: a
// deployment of a thousand clinics is ten activities in one day's run, so
// its history stays short and readable in the Web UI.
const retentionClinicsPerActivity = 100

// Retention is the daily transcript-retention run, started by the
// contract.RetentionScheduleID Schedule: it walks every clinic in id order,
// a batch per activity, and purges the turns of calls past the clinic's
// retention period (see activities.PurgeExpiredTurns). A run that has
// handled many batches continues as new with its position and counts, so
// one day stays one workflow in the list however many clinics there are.
func Retention(ctx workflow.Context, in contract.RetentionInput) (contract.RetentionResult, error) {
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = workflow.Now(ctx)
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute, MaximumAttempts: 10,
			NonRetryableErrorTypes: []string{contract.ErrTypeInvalidInput},
		},
		Summary: "purge turns past each clinic's retention period (call keys shredded)",
	})
	logger := workflow.GetLogger(ctx)
	total, after := in.Done, in.After
	var a *activities.Activities
	for {
		var res activities.RetentionBatchResult
		batch := activities.RetentionBatch{AsOf: asOf, After: after, Clinics: retentionClinicsPerActivity}
		if err := workflow.ExecuteActivity(ctx, a.PurgeExpiredTurns, batch).Get(ctx, &res); err != nil {
			return total, err
		}
		total = total.Add(res.RetentionResult)
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("%d clinics, %d calls purged, %d turns deleted, %d keys shredded",
			total.Clinics, total.Calls, total.TurnsDeleted, total.KeysShredded))
		if res.Done {
			logger.Info("retention run finished", "clinics", total.Clinics, "calls", total.Calls, "turns_deleted", total.TurnsDeleted, "keys_shredded", total.KeysShredded)
			return total, nil
		}
		after = res.Next
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return total, workflow.NewContinueAsNewError(ctx, contract.WorkflowRetention, contract.RetentionInput{AsOf: asOf, After: after, Done: total})
		}
	}
}
