// Package worker registers frontdesk's workflows and activities on the
// `frontdesk` task queue and runs them.
package worker

import (
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/workflows"
)

// StopTimeout bounds the drain when the worker stops: an activity still
// running after it is cancelled and retried elsewhere. Below Kubernetes'
// default 30 s termination grace period.
const StopTimeout = 25 * time.Second

// New builds a worker with every workflow and activity registered.
func New(c client.Client, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, contract.TaskQueue, sdkworker.Options{
		// The SDK's default of two pollers per kind queues bursts (every call
		// ending at once) behind each other: a hang-up's follow-up waited
		// seconds for a poller under 20 concurrent calls. Polls are cheap.
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 8,
		// On SIGTERM running activities get this long to finish before
		// their contexts are cancelled (the SDK's default is none at all).
		WorkerStopTimeout: StopTimeout,
	})
	Register(w, acts)
	return w
}

// Registry is what both a worker and a replayer can register on.
type Registry interface {
	RegisterWorkflowWithOptions(w interface{}, options workflow.RegisterOptions)
}

// Register puts the workflows and activities on w.
func Register(w sdkworker.Worker, acts *activities.Activities) {
	RegisterWorkflows(w)
	w.RegisterActivity(acts)
}

// RegisterWorkflows registers the workflows only, as a replayer needs.
func RegisterWorkflows(r Registry) {
	r.RegisterWorkflowWithOptions(workflows.CallSession, workflow.RegisterOptions{Name: contract.WorkflowCallSession})
	r.RegisterWorkflowWithOptions(workflows.FollowUp, workflow.RegisterOptions{Name: contract.WorkflowFollowUp})
	r.RegisterWorkflowWithOptions(workflows.Retention, workflow.RegisterOptions{Name: contract.WorkflowRetention})
	r.RegisterWorkflowWithOptions(workflows.AuditAnchor, workflow.RegisterOptions{Name: contract.WorkflowAuditAnchor})
}
