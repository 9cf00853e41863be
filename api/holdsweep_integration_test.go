package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/starter"
)

// Earlier versions swept expired holds every minute from a Schedule. Expiry
// is decided in SQL at every read, so the worker now removes that Schedule
// where it finds it, and finding none is fine.
func TestWorkerRemovesTheOldHoldSweepSchedule(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	_, err := s.temporal.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:     "sweep-expired-holds",
		Spec:   client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Minute}}},
		Action: &client.ScheduleWorkflowAction{ID: "sweep-expired-holds", Workflow: "HoldSweep", TaskQueue: "frontdesk"},
		Paused: true,
	})
	require.NoError(t, err)

	require.NoError(t, starter.RemoveHoldSweepSchedule(ctx, s.temporal))
	_, err = s.temporal.ScheduleClient().GetHandle(ctx, "sweep-expired-holds").Describe(ctx)
	var notFound *serviceerror.NotFound
	require.ErrorAs(t, err, &notFound, "the schedule is gone")
	require.NoError(t, starter.RemoveHoldSweepSchedule(ctx, s.temporal), "a second worker finds nothing to remove")
}
