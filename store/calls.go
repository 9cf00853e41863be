package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// CallRecord is a call's operational row: no caller data.
type CallRecord struct {
	CallSID   string     `json:"call_sid"`
	ClinicID  uuid.UUID  `json:"clinic_id"`
	Status    string     `json:"status"`
	Outcome   string     `json:"outcome"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
}

// RecordCall upserts a call's status; ended is set once the call is over.
// Safe to repeat, so a retried activity does no harm.
func (s *Store) RecordCall(ctx context.Context, orgID uuid.UUID, rec CallRecord) error {
	return s.InTenant(ctx, Claims{OrgID: orgID, Sub: "call:" + rec.CallSID, Role: "service"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			insert into app.calls (org_id, call_sid, clinic_id, status, outcome, started_at, ended_at)
			values ($1, $2, $3, $4, $5, $6, $7)
			on conflict (org_id, call_sid) do update
			set status = excluded.status, outcome = excluded.outcome,
			    ended_at = coalesce(app.calls.ended_at, excluded.ended_at)`,
			orgID, rec.CallSID, rec.ClinicID, rec.Status, rec.Outcome, rec.StartedAt, rec.EndedAt)
		return err
	})
}

// GetCall reads one call of the org.
func (s *Store) GetCall(ctx context.Context, c Claims, callSID string) (CallRecord, error) {
	var rec CallRecord
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select call_sid, clinic_id, status, outcome, started_at, ended_at from app.calls where call_sid = $1`, callSID).
			Scan(&rec.CallSID, &rec.ClinicID, &rec.Status, &rec.Outcome, &rec.StartedAt, &rec.EndedAt)
	})
	if err == pgx.ErrNoRows {
		return rec, ErrNotFound
	}
	return rec, err
}
