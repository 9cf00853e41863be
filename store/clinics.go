package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ClinicRef identifies a clinic and its tenant.
type ClinicRef struct {
	ClinicID uuid.UUID
	OrgID    uuid.UUID
}

// ClinicForNumber resolves the clinic an incoming call dialled (E.164). It is
// the one lookup that crosses tenants, through app.clinic_for_number.
func (s *Store) ClinicForNumber(ctx context.Context, called string) (ClinicRef, error) {
	var ref ClinicRef
	err := s.AsService(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select clinic_id, org_id from app.clinic_for_number($1)`, called).Scan(&ref.ClinicID, &ref.OrgID)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ClinicRef{}, ErrNotFound
	}
	return ref, err
}

// ClinicProfile is what the voice agent may know of a clinic: no patient
// data.
type ClinicProfile struct {
	ClinicID      uuid.UUID
	OrgID         uuid.UUID
	Name          string
	Timezone      string
	Hours         string
	StaffNumber   string
	Procedures    []ProfileProcedure
	Practitioners []ProfilePractitioner
}

// ProfileProcedure is one procedure as the agent offers it.
type ProfileProcedure struct {
	ID              uuid.UUID
	Name            string
	DurationMinutes int
}

// ProfilePractitioner is one practitioner whose slots can be booked.
type ProfilePractitioner struct {
	ID   uuid.UUID
	Name string
}

// ClinicProfile reads a clinic's profile under the claims' org (a clinic of
// another org is ErrNotFound: row-level security hides it).
func (s *Store) ClinicProfile(ctx context.Context, c Claims, clinicID uuid.UUID) (ClinicProfile, error) {
	p := ClinicProfile{ClinicID: clinicID}
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select org_id, name, timezone, hours, staff_number from app.clinics where id = $1`, clinicID).
			Scan(&p.OrgID, &p.Name, &p.Timezone, &p.Hours, &p.StaffNumber)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select id, name, duration_minutes from app.procedures where clinic_id = $1 order by name`, clinicID)
		if err != nil {
			return err
		}
		p.Procedures, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProfileProcedure, error) {
			var pp ProfileProcedure
			return pp, r.Scan(&pp.ID, &pp.Name, &pp.DurationMinutes)
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `select id, name from app.practitioners where clinic_id = $1 order by name`, clinicID)
		if err != nil {
			return err
		}
		p.Practitioners, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProfilePractitioner, error) {
			var pp ProfilePractitioner
			return pp, r.Scan(&pp.ID, &pp.Name)
		})
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ClinicProfile{}, ErrNotFound
	}
	return p, err
}

// StaffNumber is the number a call to clinicID is handed to on transfer
// ("" when the clinic has none).
func (s *Store) StaffNumber(ctx context.Context, c Claims, clinicID uuid.UUID) (string, error) {
	var n string
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select staff_number from app.clinics where id = $1`, clinicID).Scan(&n)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return n, err
}
