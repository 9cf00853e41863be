package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/frontdesk/frontdesk/vault"
)

// Retention says which classes of a patient's data an erasure keeps,
// because a law obliges the clinic to (FRONTDESK_ERASURE_RETAIN). Contact
// data and identifiers are always erased.
type Retention struct {
	// Bookings keeps the patient's bookings (that they existed, when, with
	// whom, for which procedure): accounting and scheduling records. After
	// erasure they point to a call and a tombstone, never to a person.
	Bookings bool
	// Medical keeps the encrypted turns of the patient's calls and their
	// call keys (so also the readable turn payloads in Temporal histories,
	// until the namespace's retention removes them), as medical-record
	// retention laws may require (e.g. 10 years in Germany).
	Medical bool
}

// Retention class names, as FRONTDESK_ERASURE_RETAIN lists them.
const (
	RetainBookings = "bookings"
	RetainMedical  = "medical"
	RetainNone     = "none"
)

// DefaultRetention keeps bookings only.
var DefaultRetention = Retention{Bookings: true}

// ParseRetention reads a comma-separated list of classes ("bookings",
// "medical", or "none"); empty means DefaultRetention.
func ParseRetention(s string) (Retention, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultRetention, nil
	}
	var r Retention
	for _, c := range strings.Split(s, ",") {
		switch strings.TrimSpace(strings.ToLower(c)) {
		case RetainBookings:
			r.Bookings = true
		case RetainMedical:
			r.Medical = true
		case RetainNone, "":
		default:
			return r, fmt.Errorf("FRONTDESK_ERASURE_RETAIN: unknown class %q (bookings, medical or none)", c)
		}
	}
	return r, nil
}

// Classes lists the retained classes, for reports and the audit row.
func (r Retention) Classes() []string {
	out := []string{}
	if r.Bookings {
		out = append(out, RetainBookings)
	}
	if r.Medical {
		out = append(out, RetainMedical)
	}
	return out
}

// ErasureReport says what an erasure did; it holds ids and counts only.
type ErasureReport struct {
	PatientID      uuid.UUID `json:"patient_id"`
	AlreadyErased  bool      `json:"already_erased"`
	Calls          []string  `json:"calls"`
	KeysShredded   int       `json:"keys_shredded"`
	TurnsDeleted   int64     `json:"turns_deleted"`
	BookingsKept   int64     `json:"bookings_kept"`
	BookingsErased int64     `json:"bookings_deleted"`
	Retained       []string  `json:"retained"`
}

// ErasePatient erases a patient (GDPR Art. 17) by crypto-shredding: it
// destroys the patient's data key and the data keys of every call linked to
// them, which makes every copy of their encrypted data unreadable at once —
// in this database, in its backups, and in the calls' Temporal histories,
// whose turn payloads are sealed under the same call keys. Then it deletes
// the clear contact data (the row stays as a tombstone), the turns and the
// links, keeps the classes of keep, and records the erasure in the audit
// log. It is idempotent: run again after a failure, it finishes the job.
func (s *Store) ErasePatient(ctx context.Context, v *vault.Vault, c Claims, patientID uuid.UUID, keep Retention, reason string) (ErasureReport, error) {
	rep := ErasureReport{PatientID: patientID, Retained: keep.Classes(), Calls: []string{}}
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select erased_at is not null, array(select call_sid from app.call_patients where patient_id = p.id order by call_sid)
			from app.patients p where id = $1`, patientID).Scan(&rep.AlreadyErased, &rep.Calls)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("erase patient: %w", err)
	}
	org := c.OrgID.String()
	// Keys first: once they are gone the data is unreadable everywhere, even
	// if the deletes below never run.
	subjects := []string{PatientSubject(patientID)}
	if !keep.Medical {
		for _, sid := range rep.Calls {
			subjects = append(subjects, CallSubject(sid))
		}
	}
	for _, subj := range subjects {
		if err := v.Shred(ctx, org, subj); err != nil {
			return rep, fmt.Errorf("erase patient: %w", err)
		}
		rep.KeysShredded++
	}
	err = s.InTenant(ctx, c, func(tx pgx.Tx) error {
		if !keep.Medical {
			tag, err := tx.Exec(ctx, `delete from app.call_turns where call_sid = any($1)`, rep.Calls)
			if err != nil {
				return err
			}
			rep.TurnsDeleted = tag.RowsAffected()
		}
		if keep.Bookings {
			if err := tx.QueryRow(ctx, `select count(*) from app.bookings where call_sid = any($1)`, rep.Calls).Scan(&rep.BookingsKept); err != nil {
				return err
			}
		} else {
			tag, err := tx.Exec(ctx, `delete from app.bookings where call_sid = any($1)`, rep.Calls)
			if err != nil {
				return err
			}
			rep.BookingsErased = tag.RowsAffected()
		}
		// The caller's number that the incoming-call webhook files per call
		// (app.call_contacts, follow-up SMS) is contact data of this person.
		var contacts bool
		if err := tx.QueryRow(ctx, `select to_regclass('app.call_contacts') is not null`).Scan(&contacts); err != nil {
			return err
		}
		if contacts {
			if _, err := tx.Exec(ctx, `delete from app.call_contacts where call_sid = any($1)`, rep.Calls); err != nil {
				return err
			}
		}
		if !keep.Medical {
			if _, err := tx.Exec(ctx, `delete from app.call_patients where patient_id = $1`, patientID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `update app.patients set name = null, phone = null, email = null,
			dob_ct = null, national_id_ct = null, insurance_id_ct = null,
			dob_bidx = null, national_id_bidx = null, insurance_id_bidx = null,
			erased_at = coalesce(erased_at, now()), updated_at = now() where id = $1`, patientID); err != nil {
			return err
		}
		calls := slices.Clone(rep.Calls)
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditErase, Subject: patientID.String(), Reason: reason,
			Detail: map[string]any{
				"calls": calls, "keys_shredded": rep.KeysShredded, "turns_deleted": rep.TurnsDeleted,
				"bookings_kept": rep.BookingsKept, "bookings_deleted": rep.BookingsErased, "retained": rep.Retained,
				"contact_deleted": true,
			}})
	})
	if err != nil {
		return rep, fmt.Errorf("erase patient: %w", err)
	}
	return rep, nil
}
