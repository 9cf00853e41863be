package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
)

// AuditAnchor copies every org's audit chain head into this workflow's
// history, run by a Schedule (contract.AuditAnchorScheduleID). A database
// administrator can rewrite audit rows and even recompute their hashes,
// but not a history kept by Temporal under the payload codec:
// `frontdesk audit verify` checks the chains against the anchors it finds,
// which catches deleted newest rows and rewritten chains.
func AuditAnchor(ctx workflow.Context) (contract.AuditAnchorResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5},
		Summary:             "read every org's audit chain head",
	})
	var a *activities.Activities
	var res contract.AuditAnchorResult
	if err := workflow.ExecuteActivity(ctx, a.ExportAuditHeads).Get(ctx, &res); err != nil {
		return contract.AuditAnchorResult{}, err
	}
	workflow.GetLogger(ctx).Info("audit heads exported", "orgs", len(res.Heads))
	return res, nil
}
