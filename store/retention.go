package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/frontdesk/frontdesk/vault"
)

// Transcript retention (issue 14): a call's turns are kept for the
// clinic's period (app.clinics.transcript_retention_days, default 30),
// then deleted and the call's data key shredded, which also makes the
// sealed turns in the call's Temporal history unreadable. Calls never
// linked to a patient go the same way. Operational rows (the call,
// bookings, the audit log) stay.

// AuditRetentionPurge is the audit action of a retention run's removals.
const AuditRetentionPurge = "retention_purge"

// RetentionActor names the retention workflow in claims and the audit log.
const RetentionActor = "workflow:retention"

// RetentionClinic is a clinic and its transcript retention period.
type RetentionClinic struct {
	OrgID    uuid.UUID
	ClinicID uuid.UUID
	Days     int
}

// RetentionClinics pages through every clinic of every org in id order,
// after the given clinic id (uuid.Nil for the first page). It is the
// retention workflow's one cross-tenant read, through the definer function
// app.retention_clinics (ids and the setting only).
func (s *Store) RetentionClinics(ctx context.Context, after uuid.UUID, page int) ([]RetentionClinic, error) {
	var out []RetentionClinic
	err := s.AsService(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select org_id, clinic_id, retention_days from app.retention_clinics($1, $2)`, after, page)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[RetentionClinic])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("retention clinics: %w", err)
	}
	return out, nil
}

func retentionClaims(org uuid.UUID) Claims {
	return Claims{OrgID: org, Sub: RetentionActor, Role: "service"}
}

// ExpiredCalls lists up to limit calls of the clinic that started before
// cutoff, are over, and have not been purged yet, oldest first. A call
// with no end (its workflow lost) counts as over a day after the cutoff.
func (s *Store) ExpiredCalls(ctx context.Context, clinic ClinicRef, cutoff time.Time, limit int) ([]string, error) {
	var out []string
	err := s.InTenant(ctx, retentionClaims(clinic.OrgID), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select call_sid from app.calls
			where clinic_id = $1 and turns_purged_at is null and started_at < $2
			  and (ended_at is not null or started_at < $2 - interval '1 day')
			order by started_at, call_sid limit $3`, clinic.ClinicID, cutoff, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("expired calls: %w", err)
	}
	return out, nil
}

// PurgeReport says what one purge removed; ids and counts only.
type PurgeReport struct {
	Calls        int   `json:"calls"`
	TurnsDeleted int64 `json:"turns_deleted"`
	KeysShredded int   `json:"keys_shredded"`
}

// PurgeCallTurns removes the turns of callSIDs (calls of clinic): it
// shreds each call's data key first (the turns are unreadable everywhere
// from then on, in backups and Temporal histories too), then deletes the
// turn rows, marks the calls purged and, if anything was removed, writes
// one audit row naming the calls. Safe to repeat.
func (s *Store) PurgeCallTurns(ctx context.Context, v *vault.Vault, clinic ClinicRef, callSIDs []string, cutoff time.Time, days int) (PurgeReport, error) {
	rep := PurgeReport{Calls: len(callSIDs)}
	if len(callSIDs) == 0 {
		return rep, nil
	}
	c := retentionClaims(clinic.OrgID)
	subjects := make([]string, len(callSIDs))
	for i, sid := range callSIDs {
		subjects[i] = CallSubject(sid)
	}
	var present []string
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select subject_id from app.data_keys where subject_id = any($1)`, subjects)
		if err != nil {
			return err
		}
		present, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("purge turns: %w", err)
	}
	for _, subj := range present {
		if err := v.Shred(ctx, clinic.OrgID.String(), subj); err != nil {
			return rep, fmt.Errorf("purge turns: %w", err)
		}
	}
	rep.KeysShredded = len(present)
	err = s.InTenant(ctx, c, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `delete from app.call_turns where call_sid = any($1)`, callSIDs)
		if err != nil {
			return err
		}
		rep.TurnsDeleted = tag.RowsAffected()
		if _, err := tx.Exec(ctx, `update app.calls set turns_purged_at = now() where call_sid = any($1) and turns_purged_at is null`, callSIDs); err != nil {
			return err
		}
		if rep.TurnsDeleted == 0 && rep.KeysShredded == 0 {
			return nil
		}
		return AppendAudit(ctx, tx, clinic.OrgID, AuditEntry{Actor: RetentionActor, Action: AuditRetentionPurge,
			Subject: "clinic:" + clinic.ClinicID.String(), Reason: fmt.Sprintf("transcript retention: %d days", days),
			Detail: map[string]any{"calls": callSIDs, "turns_deleted": rep.TurnsDeleted, "keys_shredded": rep.KeysShredded,
				"cutoff": cutoff.UTC().Format(time.RFC3339), "retention_days": days}})
	})
	if err != nil {
		return rep, fmt.Errorf("purge turns: %w", err)
	}
	return rep, nil
}
