package lifecycle_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/frontdesk/frontdesk/lifecycle"
	"github.com/frontdesk/frontdesk/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// slowActivity stands for an activity in flight at SIGTERM (an SMS being
// sent): it takes d unless its context is cancelled first.
type slowActivity struct {
	started chan struct{}
	d       time.Duration
	outcome chan string
}

func (a *slowActivity) Slow(ctx context.Context) (string, error) {
	close(a.started)
	select {
	case <-time.After(a.d):
		a.outcome <- "finished"
		return "finished", nil
	case <-ctx.Done():
		a.outcome <- "cancelled"
		return "", ctx.Err()
	}
}

func slowWorkflow(ctx workflow.Context) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	var out string
	err := workflow.ExecuteActivity(ctx, "Slow").Get(ctx, &out)
	return out, err
}

func newWorker(c client.Client, queue string, stop time.Duration, act *slowActivity) sdkworker.Worker {
	w := sdkworker.New(c, queue, sdkworker.Options{WorkerStopTimeout: stop})
	w.RegisterWorkflowWithOptions(slowWorkflow, workflow.RegisterOptions{Name: "SlowWorkflow"})
	w.RegisterActivity(act)
	return w
}

func queueName(t *testing.T) string {
	return "lifecycle-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + time.Now().Format("150405.000000")
}

// SIGTERM while an activity runs: the worker stops polling, lets the
// activity finish within its stop timeout and reports its result, so the
// next worker only has the workflow's last task to do.
func TestWorkerDrainsRunningActivities(t *testing.T) {
	c := testenv.Client(t)
	queue := queueName(t)
	act := &slowActivity{started: make(chan struct{}), d: 1500 * time.Millisecond, outcome: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lifecycle.RunWorker(ctx, newWorker(c, queue, 20*time.Second, act)) }()

	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: queue, TaskQueue: queue}, "SlowWorkflow")
	require.NoError(t, err)
	<-act.started
	cancel()
	require.NoError(t, <-done)
	require.Equal(t, "finished", <-act.outcome, "the activity was drained, not cut")

	// Its completion reached Temporal before the worker let go.
	hist := c.GetWorkflowHistory(context.Background(), run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	completed := false
	for hist.HasNext() {
		ev, err := hist.Next()
		require.NoError(t, err)
		completed = completed || ev.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
	}
	require.True(t, completed, "ActivityTaskCompleted in history")

	// Another replica takes the workflow over without running it again.
	again := &slowActivity{started: make(chan struct{}), d: time.Hour, outcome: make(chan string, 1)}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() { _ = lifecycle.RunWorker(ctx2, newWorker(c, queue, time.Second, again)) }()
	var out string
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	require.NoError(t, run.Get(wctx, &out))
	require.Equal(t, "finished", out)
	select {
	case <-again.started:
		t.Fatal("the activity ran twice")
	default:
	}
}

// The stop timeout bounds the drain: an activity that would run for an
// hour is cancelled when it expires.
func TestWorkerDrainIsBounded(t *testing.T) {
	c := testenv.Client(t)
	queue := queueName(t)
	act := &slowActivity{started: make(chan struct{}), d: time.Hour, outcome: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lifecycle.RunWorker(ctx, newWorker(c, queue, 300*time.Millisecond, act)) }()
	_, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: queue, TaskQueue: queue}, "SlowWorkflow")
	require.NoError(t, err)
	<-act.started
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not stop within its stop timeout")
	}
	require.Equal(t, "cancelled", <-act.outcome)
}

// A fatal worker error ends RunWorker with the error, instead of leaving a
// process that looks alive and polls nothing.
func TestWorkerFatalErrorEndsRun(t *testing.T) {
	c, err := client.Dial(client.Options{HostPort: testenv.Temporal(t), Namespace: "no-such-namespace", Logger: nil})
	require.NoError(t, err)
	defer c.Close()
	act := &slowActivity{started: make(chan struct{}), outcome: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- lifecycle.RunWorker(context.Background(), newWorker(c, "lifecycle-fatal", time.Second, act))
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		require.True(t, strings.HasPrefix(err.Error(), "worker: "), err.Error())
		require.False(t, errors.Is(err, context.Canceled))
	case <-time.After(60 * time.Second):
		t.Fatal("RunWorker kept running on a namespace that does not exist")
	}
}
