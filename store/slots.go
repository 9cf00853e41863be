package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Answers of app.lock_slot.
const (
	HoldHeld     = "held"
	HoldConflict = "conflict"
	HoldNotFound = "not_found"
	HoldExpired  = "expired"
)

// Answers of app.confirm_booking (HoldExpired and HoldNotFound too).
const (
	BookingBooked   = "booked"
	BookingNotYours = "not_yours"
)

// Answers of app.release_hold (HoldNotFound and BookingNotYours too).
const (
	ReleaseReleased = "released"
	ReleaseNotHeld  = "not_held"
)

// MaxHold bounds a hold, as app.lock_slot does.
const MaxHold = 900 * time.Second

// Hold is app.lock_slot's answer; HoldID and ExpiresAt are set when held.
type Hold struct {
	Status    string
	HoldID    uuid.UUID
	ExpiresAt time.Time
}

// Booking is app.confirm_booking's answer; BookingID is set when booked.
type Booking struct {
	Status    string
	BookingID uuid.UUID
}

// FreeSlot is a bookable slot: ids and times only.
type FreeSlot struct {
	SlotID         uuid.UUID `json:"slot_id"`
	PractitionerID uuid.UUID `json:"practitioner_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
}

// Procedure is what a clinic books, as the agent offers it.
type Procedure struct {
	ID              uuid.UUID `json:"id"`
	ClinicID        uuid.UUID `json:"clinic_id"`
	Code            string    `json:"code"`
	Name            string    `json:"name"`
	DurationMinutes int       `json:"duration_minutes"`
}

// CallClaims are the claims a call's own work runs under: the org of the
// call, the call as subject.
func CallClaims(orgID uuid.UUID, callSID string) Claims {
	return Claims{OrgID: orgID, Sub: "call:" + callSID, Role: "service"}
}

// LockSlot holds slotID for the call for hold (whole seconds, 1s to 15min),
// in one round trip to app.lock_slot. Another org's slot is HoldNotFound.
// Lock waits end after 2s with SQLSTATE 55P03 (set on the function).
func (s *Store) LockSlot(ctx context.Context, orgID uuid.UUID, callSID string, slotID uuid.UUID, hold time.Duration) (Hold, error) {
	var h Hold
	var id *uuid.UUID
	var until *time.Time
	err := s.onLineRow(ctx, CallClaims(orgID, callSID), func(r pgx.Row) error { return r.Scan(&h.Status, &id, &until) },
		`select status, hold_id, expires_at from app.lock_slot($1, $2, $3)`, slotID, callSID, int(hold/time.Second))
	if err != nil {
		return Hold{}, fmt.Errorf("lock slot: %w", err)
	}
	if id != nil {
		h.HoldID = *id
	}
	if until != nil {
		h.ExpiresAt = *until
	}
	return h, nil
}

// ConfirmBooking turns the call's live hold into a booking of procedureID.
// Repeating it after success answers booked with the same booking.
func (s *Store) ConfirmBooking(ctx context.Context, orgID uuid.UUID, callSID string, holdID, procedureID uuid.UUID) (Booking, error) {
	var b Booking
	var id *uuid.UUID
	err := s.onLineRow(ctx, CallClaims(orgID, callSID), func(r pgx.Row) error { return r.Scan(&b.Status, &id) },
		`select status, booking_id from app.confirm_booking($1, $2, $3)`, holdID, callSID, procedureID)
	if err != nil {
		return Booking{}, fmt.Errorf("confirm booking: %w", err)
	}
	if id != nil {
		b.BookingID = *id
	}
	return b, nil
}

// ReleaseHold gives the call's hold back early; it answers ReleaseReleased,
// ReleaseNotHeld (nothing left to release), HoldNotFound or BookingNotYours.
func (s *Store) ReleaseHold(ctx context.Context, orgID uuid.UUID, callSID string, holdID uuid.UUID) (string, error) {
	var status string
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select app.release_hold($1, $2)`, holdID, callSID).Scan(&status)
	})
	if err != nil {
		return "", fmt.Errorf("release hold: %w", err)
	}
	return status, nil
}

// ReleaseCallHolds gives back every live hold of a call, returning how many.
func (s *Store) ReleaseCallHolds(ctx context.Context, orgID uuid.UUID, callSID string) (int, error) {
	var n int
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select app.release_call_holds($1)`, callSID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("release call holds: %w", err)
	}
	return n, nil
}

// SweepExpiredHolds marks expired holds of every org, returning how many. It
// runs without claims, through the narrow SECURITY DEFINER function.
// Expiry does not depend on it: every function already treats a hold past
// its time as gone; the sweep only keeps the table honest.
func (s *Store) SweepExpiredHolds(ctx context.Context) (int, error) {
	var n int
	err := s.AsService(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select app.sweep_expired_holds()`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("sweep expired holds: %w", err)
	}
	return n, nil
}

// FreeSlots lists the free slots of day (its date, read in the clinic's
// time zone) long enough for procedureID; uuid.Nil means any procedure.
func (s *Store) FreeSlots(ctx context.Context, c Claims, clinicID uuid.UUID, day time.Time, procedureID uuid.UUID) ([]FreeSlot, error) {
	var out []FreeSlot
	err := s.inTenantOnLine(ctx, c, func(tx pgx.Tx) error {
		var err error
		out, err = collectFreeSlots(tx.Query(ctx, `select slot_id, practitioner_id, starts_at, ends_at from app.free_slots($1, $2::date, $3)`,
			clinicID, day.Format(time.DateOnly), nullUUID(procedureID)))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("free slots: %w", err)
	}
	return out, nil
}

// NearestAlternatives offers up to limit free slots of the same clinic
// nearest in time to slotID, long enough for procedureID (uuid.Nil: as long
// as slotID itself).
func (s *Store) NearestAlternatives(ctx context.Context, c Claims, slotID, procedureID uuid.UUID, limit int) ([]FreeSlot, error) {
	var out []FreeSlot
	err := s.inTenantOnLine(ctx, c, func(tx pgx.Tx) error {
		var err error
		out, err = collectFreeSlots(tx.Query(ctx, `select slot_id, practitioner_id, starts_at, ends_at from app.nearest_free_slots($1, $2, $3)`,
			slotID, nullUUID(procedureID), limit))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("nearest alternatives: %w", err)
	}
	return out, nil
}

// Procedures lists the clinic's procedures.
func (s *Store) Procedures(ctx context.Context, c Claims, clinicID uuid.UUID) ([]Procedure, error) {
	var out []Procedure
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id, clinic_id, code, name, duration_minutes from app.procedures where clinic_id = $1 order by code`, clinicID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Procedure, error) {
			var p Procedure
			err := r.Scan(&p.ID, &p.ClinicID, &p.Code, &p.Name, &p.DurationMinutes)
			return p, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("procedures: %w", err)
	}
	return out, nil
}

// ProcedureByCode finds one of the clinic's procedures by its code.
func (s *Store) ProcedureByCode(ctx context.Context, c Claims, clinicID uuid.UUID, code string) (Procedure, error) {
	ps, err := s.Procedures(ctx, c, clinicID)
	if err != nil {
		return Procedure{}, err
	}
	for _, p := range ps {
		if p.Code == code {
			return p, nil
		}
	}
	return Procedure{}, fmt.Errorf("procedure %q: %w", code, ErrNotFound)
}

func collectFreeSlots(rows pgx.Rows, err error) ([]FreeSlot, error) {
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FreeSlot, error) {
		var f FreeSlot
		err := r.Scan(&f.SlotID, &f.PractitionerID, &f.StartsAt, &f.EndsAt)
		return f, err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return out, err
}

// nullUUID sends uuid.Nil as SQL null, which the functions read as "any".
func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
