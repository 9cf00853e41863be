package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ProcedureDetail is a procedure with its catalogue text, for staff and PDFs.
type ProcedureDetail struct {
	ID              uuid.UUID `json:"id"`
	ClinicID        uuid.UUID `json:"clinic_id"`
	Code            string    `json:"code"`
	Name            string    `json:"name"`
	DurationMinutes int       `json:"duration_minutes"`
	Preparation     []string  `json:"preparation"`
	Version         int       `json:"version"`
}

// ListProcedures lists the org's procedures.
func (s *Store) ListProcedures(ctx context.Context, c Claims) ([]ProcedureDetail, error) {
	var out []ProcedureDetail
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id, clinic_id, code, name, duration_minutes, preparation, version
			from app.procedures order by clinic_id, name`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ProcedureDetail])
		return err
	})
	return out, err
}

// Slot is a bookable time of one practitioner.
type Slot struct {
	ID             uuid.UUID `json:"id"`
	ClinicID       uuid.UUID `json:"clinic_id"`
	PractitionerID uuid.UUID `json:"practitioner_id"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Blocked        bool      `json:"blocked"`
}

// ListSlots lists the org's slots starting within [from, to).
func (s *Store) ListSlots(ctx context.Context, c Claims, from, to time.Time) ([]Slot, error) {
	var out []Slot
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select id, clinic_id, practitioner_id, lower(during), upper(during), blocked
			from app.slots where lower(during) >= $1 and lower(during) < $2 order by lower(during), practitioner_id`, from, to)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Slot])
		return err
	})
	return out, err
}

// SetSlotBlocked blocks or unblocks a slot of the org.
func (s *Store) SetSlotBlocked(ctx context.Context, c Claims, slotID uuid.UUID, blocked bool) (Slot, error) {
	var sl Slot
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `update app.slots set blocked = $2 where id = $1
			returning id, clinic_id, practitioner_id, lower(during), upper(during), blocked`, slotID, blocked).
			Scan(&sl.ID, &sl.ClinicID, &sl.PractitionerID, &sl.Start, &sl.End, &sl.Blocked)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return sl, ErrNotFound
	}
	return sl, err
}

// ListCalls lists the org's most recent calls.
func (s *Store) ListCalls(ctx context.Context, c Claims, limit int) ([]CallRecord, error) {
	var out []CallRecord
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select call_sid, clinic_id, status, outcome, started_at, ended_at
			from app.calls order by started_at desc limit $1`, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CallRecord])
		return err
	})
	return out, err
}
