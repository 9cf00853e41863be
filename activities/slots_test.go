package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/testenv"
)

// TestSlotActivitiesOnPostgres runs the activities as a worker would, on a
// real database.
func TestSlotActivitiesOnPostgres(t *testing.T) {
	_, st := testenv.DemoStore(t)

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	a := &activities.Activities{Store: st}
	env.RegisterActivity(a)
	org := store.DemoOrgA.String()
	call := func(i int) string { return fmt.Sprintf("CA%032x", i) }

	first, err := env.ExecuteActivity(a.FindFreeSlots, activities.FreeSlotsRequest{OrgID: org, CallSID: call(1), ClinicID: store.DemoClinicA.String(),
		Day: nextWeekday(time.Now()).Format(time.DateOnly)})
	require.NoError(t, err)
	var free []contract.FreeSlot
	require.NoError(t, first.Get(&free))
	require.Len(t, free, 32, "two practitioners, sixteen half-hours each")
	slot := free[3].SlotID

	v, err := env.ExecuteActivity(a.HoldSlot, activities.HoldSlotRequest{OrgID: org, CallSID: call(1), SlotID: slot, HoldSeconds: 60})
	require.NoError(t, err)
	var held contract.HoldSlotResult
	require.NoError(t, v.Get(&held))
	require.Equal(t, "held", held.Status)

	v, err = env.ExecuteActivity(a.HoldSlot, activities.HoldSlotRequest{OrgID: org, CallSID: call(2), SlotID: slot, HoldSeconds: 60})
	require.NoError(t, err)
	var taken contract.HoldSlotResult
	require.NoError(t, v.Get(&taken))
	require.Equal(t, "conflict", taken.Status)
	require.Len(t, taken.Alternatives, activities.DefaultAlternatives, "a conflict comes with other offers")

	_, err = env.ExecuteActivity(a.HoldSlot, activities.HoldSlotRequest{OrgID: org, CallSID: call(2), SlotID: slot, HoldSeconds: 9000})
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.Equal(t, contract.ErrTypeInvalidRequest, appErr.Type())
	require.Contains(t, appErr.Error(), "hold_seconds")

	v, err = env.ExecuteActivity(a.ConfirmBooking, activities.ConfirmBookingRequest{OrgID: org, CallSID: call(2), HoldID: held.HoldID,
		ProcedureID: procedureID(t, st, "blood-test")})
	require.NoError(t, err)
	var notYours contract.ConfirmBookingResult
	require.NoError(t, v.Get(&notYours))
	require.Equal(t, "not_yours", notYours.Status)

	v, err = env.ExecuteActivity(a.ConfirmBooking, activities.ConfirmBookingRequest{OrgID: org, CallSID: call(1), HoldID: held.HoldID,
		ProcedureID: procedureID(t, st, "blood-test")})
	require.NoError(t, err)
	var booked contract.ConfirmBookingResult
	require.NoError(t, v.Get(&booked))
	require.Equal(t, "booked", booked.Status)
	require.NotEmpty(t, booked.BookingID)

	v, err = env.ExecuteActivity(a.ReleaseHold, activities.ReleaseHoldRequest{OrgID: org, CallSID: call(1), HoldID: held.HoldID})
	require.NoError(t, err)
	var status string
	require.NoError(t, v.Get(&status))
	require.Equal(t, "not_held", status, "a booked hold is no longer held")

	v, err = env.ExecuteActivity(a.SweepHolds)
	require.NoError(t, err)
	var swept int
	require.NoError(t, v.Get(&swept))
	require.Zero(t, swept)
}

func procedureID(t *testing.T, st *store.Store, code string) string {
	p, err := st.ProcedureByCode(context.Background(), store.Claims{OrgID: store.DemoOrgA, Sub: "test", Role: "staff"}, store.DemoClinicA, code)
	require.NoError(t, err)
	return p.ID.String()
}

// nextWeekday is the first seeded day: the next working day in London.
func nextWeekday(now time.Time) time.Time {
	loc, _ := time.LoadLocation("Europe/London")
	d := now.In(loc)
	for {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			return d
		}
	}
}
