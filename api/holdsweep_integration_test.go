package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/frontdesk/frontdesk/starter"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/workflows"
)

// The hold sweeper runs as a Temporal Schedule: creating it twice is
// harmless, and a run marks an expired hold as expired.
func TestHoldSweepScheduleMarksExpiredHolds(t *testing.T) {
	s := startSystem(t)
	ctx := context.Background()
	require.NoError(t, starter.EnsureHoldSweepSchedule(ctx, s.temporal))
	require.NoError(t, starter.EnsureHoldSweepSchedule(ctx, s.temporal), "a second worker starting finds the schedule")

	// A one-second hold that nobody releases.
	var slot uuid.UUID
	require.NoError(t, s.store.InTenant(ctx, store.CallClaims(store.DemoOrgA, "CA"+uuid.NewString()[:8]), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select slot_id from app.open_slots($1, now(), now() + interval '30 days', 5) limit 1`, store.DemoClinicA).Scan(&slot)
	}))
	sid := "CA0123456789abcdef0123456789abcdef"
	h, err := s.store.LockSlot(ctx, store.DemoOrgA, sid, slot, time.Second)
	require.NoError(t, err)
	require.Equal(t, "held", h.Status)
	time.Sleep(1100 * time.Millisecond)

	handle := s.temporal.ScheduleClient().GetHandle(ctx, workflows.HoldSweepScheduleID)
	require.NoError(t, handle.Trigger(ctx, client.ScheduleTriggerOptions{}))
	require.Eventually(t, func() bool {
		var reason *string
		err := s.store.InTenant(ctx, store.CallClaims(store.DemoOrgA, sid), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select release_reason from app.holds where id = $1`, h.HoldID).Scan(&reason)
		})
		return err == nil && reason != nil && *reason == "expired"
	}, 20*time.Second, 100*time.Millisecond, "the scheduled sweep marks the hold expired")
	desc, err := handle.Describe(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, desc.Info.RecentActions)
	_ = handle.Delete(ctx)
}
