package store

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// StaffBooking is a booking as clinic staff see it: ids and times.
type StaffBooking struct {
	ID             uuid.UUID  `json:"id"`
	ClinicID       uuid.UUID  `json:"clinic_id"`
	SlotID         uuid.UUID  `json:"slot_id"`
	PractitionerID uuid.UUID  `json:"practitioner_id"`
	ProcedureID    uuid.UUID  `json:"procedure_id"`
	Start          time.Time  `json:"start"`
	End            time.Time  `json:"end"`
	CallSID        string     `json:"call_sid"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
}

// ListBookings lists the org's bookings starting within [from, to).
func (s *Store) ListBookings(ctx context.Context, c Claims, from, to time.Time) ([]StaffBooking, error) {
	var out []StaffBooking
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id, clinic_id, slot_id, practitioner_id, procedure_id, lower(during), upper(during), call_sid, cancelled_at
			from app.bookings where org_id = $1 and lower(during) >= $2 and lower(during) < $3 order by lower(during)`, c.OrgID, from, to)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[StaffBooking])
		return err
	})
	return out, err
}

// BookForStaff books a slot for a procedure on a staff member's behalf,
// through the same protocol a call uses (app.lock_slot, then
// app.confirm_booking, in one transaction), so staff and callers can never
// double-book each other. The booking's call_sid is a fresh reference in
// CallSid shape ("CA" + 32 hex), since no call made it. The answer's status
// is confirm_booking's, or lock_slot's when the slot could not be held.
func (s *Store) BookForStaff(ctx context.Context, c Claims, slotID, procedureID uuid.UUID) (Booking, error) {
	ref := uuid.New()
	sid := "CA" + hex.EncodeToString(ref[:])
	var b Booking
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var hold *uuid.UUID
		if err := tx.QueryRow(ctx, `select status, hold_id from app.lock_slot($1, $2, 60)`, slotID, sid).Scan(&b.Status, &hold); err != nil {
			return err
		}
		if b.Status != HoldHeld {
			return nil
		}
		var id *uuid.UUID
		if err := tx.QueryRow(ctx, `select status, booking_id from app.confirm_booking($1, $2, $3)`, *hold, sid, procedureID).Scan(&b.Status, &id); err != nil {
			return err
		}
		if id == nil {
			// Not booked: leave no hold behind.
			return errNotBooked
		}
		b.BookingID = *id
		return nil
	})
	if errors.Is(err, errNotBooked) {
		err = nil
	}
	return b, err
}

var errNotBooked = errors.New("not booked")

// CancelBooking cancels one of the org's active bookings; the slot is free
// again at once. ErrNotFound when there is no such active booking.
func (s *Store) CancelBooking(ctx context.Context, c Claims, bookingID uuid.UUID) error {
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var id uuid.UUID
		return tx.QueryRow(ctx, `update app.bookings set cancelled_at = now() where id = $1 and cancelled_at is null returning id`, bookingID).Scan(&id)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
