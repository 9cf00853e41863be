package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
)

// DefaultAlternatives is how many other slots a conflict offers.
const DefaultAlternatives = 3

// HoldSlotRequest asks to hold a slot for a call.
type HoldSlotRequest struct {
	OrgID       string `json:"org_id"`
	CallSID     string `json:"call_sid"`
	SlotID      string `json:"slot_id"`
	HoldSeconds int    `json:"hold_seconds"`
	// ProcedureID, when known, makes the alternatives long enough for it.
	ProcedureID  string `json:"procedure_id,omitempty"`
	Alternatives int    `json:"alternatives,omitempty"`
}

// ConfirmBookingRequest turns the call's hold into a booking.
type ConfirmBookingRequest struct {
	OrgID       string `json:"org_id"`
	CallSID     string `json:"call_sid"`
	HoldID      string `json:"hold_id"`
	ProcedureID string `json:"procedure_id"`
}

// ReleaseHoldRequest gives a call's hold back; with no HoldID, every live
// hold of the call (the call has ended).
type ReleaseHoldRequest struct {
	OrgID   string `json:"org_id"`
	CallSID string `json:"call_sid"`
	HoldID  string `json:"hold_id,omitempty"`
}

// FreeSlotsRequest lists a day's free slots of a clinic.
type FreeSlotsRequest struct {
	OrgID    string `json:"org_id"`
	CallSID  string `json:"call_sid"`
	ClinicID string `json:"clinic_id"`
	// Day is a date, YYYY-MM-DD, in the clinic's time zone.
	Day         string `json:"day"`
	ProcedureID string `json:"procedure_id,omitempty"`
}

// HoldSlot holds a slot for the call.
func (a *Activities) HoldSlot(ctx context.Context, req HoldSlotRequest) (contract.HoldSlotResult, error) {
	org, err := parseID("org_id", req.OrgID)
	if err != nil {
		return contract.HoldSlotResult{}, err
	}
	slot, err := parseID("slot_id", req.SlotID)
	if err != nil {
		return contract.HoldSlotResult{}, err
	}
	proc, err := parseOptionalID("procedure_id", req.ProcedureID)
	if err != nil {
		return contract.HoldSlotResult{}, err
	}
	h, err := a.Store.LockSlot(ctx, org, req.CallSID, slot, time.Duration(req.HoldSeconds)*time.Second)
	if err != nil {
		return contract.HoldSlotResult{}, slotError("hold slot", err)
	}
	res := contract.HoldSlotResult{Status: h.Status}
	if h.Status == store.HoldHeld {
		res.HoldID, res.ExpiresAt = h.HoldID.String(), h.ExpiresAt
		return res, nil
	}
	if h.Status == store.HoldConflict || h.Status == store.HoldExpired {
		n := req.Alternatives
		if n <= 0 {
			n = DefaultAlternatives
		}
		alts, err := a.Store.NearestAlternatives(ctx, store.CallClaims(org, req.CallSID), slot, proc, n)
		if err != nil {
			// The answer stands without offers; the agent can ask for a day.
			return res, nil
		}
		res.Alternatives = freeSlots(alts)
	}
	return res, nil
}

// ConfirmBooking books the call's live hold. Safe to retry: a repeat after
// success answers booked with the same booking.
func (a *Activities) ConfirmBooking(ctx context.Context, req ConfirmBookingRequest) (contract.ConfirmBookingResult, error) {
	org, err := parseID("org_id", req.OrgID)
	if err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	hold, err := parseID("hold_id", req.HoldID)
	if err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	proc, err := parseID("procedure_id", req.ProcedureID)
	if err != nil {
		return contract.ConfirmBookingResult{}, err
	}
	b, err := a.Store.ConfirmBooking(ctx, org, req.CallSID, hold, proc)
	if err != nil {
		return contract.ConfirmBookingResult{}, slotError("confirm booking", err)
	}
	res := contract.ConfirmBookingResult{Status: b.Status}
	if b.BookingID != uuid.Nil {
		res.BookingID = b.BookingID.String()
	}
	return res, nil
}

// ReleaseHold gives back the call's hold (or, without a HoldID, all of the
// call's live holds) and answers what happened. Safe to retry.
func (a *Activities) ReleaseHold(ctx context.Context, req ReleaseHoldRequest) (string, error) {
	org, err := parseID("org_id", req.OrgID)
	if err != nil {
		return "", err
	}
	if req.HoldID == "" {
		n, err := a.Store.ReleaseCallHolds(ctx, org, req.CallSID)
		if err != nil {
			return "", slotError("release call holds", err)
		}
		if n == 0 {
			return store.ReleaseNotHeld, nil
		}
		return store.ReleaseReleased, nil
	}
	hold, err := parseID("hold_id", req.HoldID)
	if err != nil {
		return "", err
	}
	status, err := a.Store.ReleaseHold(ctx, org, req.CallSID, hold)
	if err != nil {
		return "", slotError("release hold", err)
	}
	return status, nil
}

// FindFreeSlots lists a day's free slots for workflows that need them (the
// voice path reads them from the store directly: a read needs no workflow
// round trip).
func (a *Activities) FindFreeSlots(ctx context.Context, req FreeSlotsRequest) ([]contract.FreeSlot, error) {
	org, err := parseID("org_id", req.OrgID)
	if err != nil {
		return nil, err
	}
	clinic, err := parseID("clinic_id", req.ClinicID)
	if err != nil {
		return nil, err
	}
	proc, err := parseOptionalID("procedure_id", req.ProcedureID)
	if err != nil {
		return nil, err
	}
	day, err := time.Parse(time.DateOnly, req.Day)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("free slots: day is not YYYY-MM-DD", contract.ErrTypeInvalidRequest, err)
	}
	slots, err := a.Store.FreeSlots(ctx, store.CallClaims(org, req.CallSID), clinic, day, proc)
	if err != nil {
		return nil, slotError("free slots", err)
	}
	return freeSlots(slots), nil
}

// SweepHolds marks expired holds of every org and returns how many.
func (a *Activities) SweepHolds(ctx context.Context) (int, error) {
	n, err := a.Store.SweepExpiredHolds(ctx)
	if err != nil {
		return 0, slotError("sweep holds", err)
	}
	return n, nil
}

// slotError sorts a database error: contention is a non-retryable conflict,
// a bad request is non-retryable, anything else (connection lost, server
// restarting) is returned as is, so Temporal retries it.
func slotError(op string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "55P03", "40001", "40P01": // lock_not_available, serialization_failure, deadlock_detected
			return temporal.NewNonRetryableApplicationError(op+": slot contended ("+pgErr.Code+")", contract.ErrTypeSlotConflict, err)
		case "22023", "22P02": // invalid_parameter_value, invalid_text_representation
			// The message is ours (raised by the SQL functions) or names a
			// type: no personal data.
			return temporal.NewNonRetryableApplicationError(op+": "+pgErr.Message, contract.ErrTypeInvalidRequest, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

func parseID(name, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, temporal.NewNonRetryableApplicationError(name+" is not a uuid", contract.ErrTypeInvalidRequest, err)
	}
	return id, nil
}

func parseOptionalID(name, s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, nil
	}
	return parseID(name, s)
}

func freeSlots(in []store.FreeSlot) []contract.FreeSlot {
	out := make([]contract.FreeSlot, 0, len(in))
	for _, f := range in {
		out = append(out, contract.FreeSlot{SlotID: f.SlotID.String(), PractitionerID: f.PractitionerID.String(), StartsAt: f.StartsAt, EndsAt: f.EndsAt})
	}
	return out
}
