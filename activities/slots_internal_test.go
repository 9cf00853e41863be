package activities

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/frontdesk/frontdesk/contract"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

func TestSlotErrorSortsDatabaseErrors(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		wantType      string
		wantRetryable bool
	}{
		{"lock timeout", &pgconn.PgError{Code: "55P03"}, contract.ErrTypeSlotConflict, false},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, contract.ErrTypeSlotConflict, false},
		{"deadlock", fmt.Errorf("lock slot: %w", &pgconn.PgError{Code: "40P01"}), contract.ErrTypeSlotConflict, false},
		{"hold_seconds out of range", &pgconn.PgError{Code: "22023", Message: "hold_seconds must be between 1 and 900, got 0"}, contract.ErrTypeInvalidRequest, false},
		{"bad uuid text", &pgconn.PgError{Code: "22P02"}, contract.ErrTypeInvalidRequest, false},
		{"connection refused", errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"), "", true},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, "", true},
		{"context deadline", context.DeadlineExceeded, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := slotError("hold slot", tt.err)
			var appErr *temporal.ApplicationError
			if tt.wantRetryable {
				require.False(t, errors.As(err, &appErr), "an infrastructure error stays retryable: %v", err)
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.True(t, errors.As(err, &appErr), "%v", err)
			require.Equal(t, tt.wantType, appErr.Type())
			require.True(t, appErr.NonRetryable())
		})
	}
}

func TestSlotActivitiesRefuseMalformedIDsBeforeTheDatabase(t *testing.T) {
	a := &Activities{} // no store: nothing may reach it
	ctx := context.Background()
	org := "0a000000-0000-4000-8000-00000000000a"
	_, err := a.HoldSlot(ctx, HoldSlotRequest{OrgID: org, SlotID: "tuesday"})
	requireInvalid(t, err)
	_, err = a.HoldSlot(ctx, HoldSlotRequest{OrgID: "", SlotID: org})
	requireInvalid(t, err)
	_, err = a.ConfirmBooking(ctx, ConfirmBookingRequest{OrgID: org, HoldID: org, ProcedureID: "x"})
	requireInvalid(t, err)
	_, err = a.ReleaseHold(ctx, ReleaseHoldRequest{OrgID: org, HoldID: "nope"})
	requireInvalid(t, err)
	_, err = a.FindFreeSlots(ctx, FreeSlotsRequest{OrgID: org, ClinicID: org, Day: "next tuesday"})
	requireInvalid(t, err)
}

func requireInvalid(t *testing.T, err error) {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.Equal(t, contract.ErrTypeInvalidRequest, appErr.Type())
	require.True(t, appErr.NonRetryable())
}
