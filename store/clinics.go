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
