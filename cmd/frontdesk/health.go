package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/frontdesk/frontdesk/config"
	"github.com/frontdesk/frontdesk/starter"
)

// runHealth is a container healthcheck: `health api` asks the api's
// /healthz; `health worker` asks Temporal whether a worker polled the
// frontdesk task queue in the last minute.
func runHealth(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: frontdesk health api|worker")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cfg := config.FromEnv()
	switch args[0] {
	case "api":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+cfg.HTTPAddr+"/healthz", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/healthz answered %s", resp.Status)
		}
		return nil
	case "worker":
		tc, err := starter.Dial(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg.Temporal.Apply)
		if err != nil {
			return err
		}
		defer tc.Close()
		resp, err := tc.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
			Namespace: cfg.TemporalNamespace,
			TaskQueue: &taskqueuepb.TaskQueue{Name: contract.TaskQueue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
		})
		if err != nil {
			return err
		}
		for _, p := range resp.GetPollers() {
			if time.Since(p.GetLastAccessTime().AsTime()) < time.Minute {
				return nil
			}
		}
		return fmt.Errorf("no worker polled task queue %q in the last minute", contract.TaskQueue)
	}
	return fmt.Errorf("unknown health target %q", args[0])
}
