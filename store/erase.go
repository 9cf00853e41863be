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
	// ContactsDeleted counts the caller-number rows deleted: those of the
	// patient's calls and of every other call from the patient's number.
	ContactsDeleted int64 `json:"contacts_deleted"`
	// UnlinkedCalls are the calls from the patient's number that were
	// never linked to them: their number is deleted, their turns are not
	// (they may be someone else's on the same phone).
	UnlinkedCalls []string `json:"unlinked_calls"`
	// OptOutsHashed counts SMS opt-outs of the number now kept as its
	// blind index only.
	OptOutsHashed int64    `json:"opt_outs_hashed"`
	Retained      []string `json:"retained"`
}

// ErasePatient erases a patient (GDPR Art. 17) by crypto-shredding: it
// destroys the patient's data key and the data keys of every call linked to
// them, which makes every copy of their encrypted data unreadable at once —
// in this database, in its backups, and in the calls' Temporal histories,
// whose turn payloads are sealed under the same call keys. Then it deletes
// the clear contact data (the row stays as a tombstone), the turns and the
// links, keeps the classes of keep, and records the erasure in the audit
// log. It is idempotent: run again after a failure, it finishes the job.
//
// The patient's number goes from every call it called from, linked to
// them or not (found through the blind index, and by the clear number for
// rows written before there was one). An SMS opt-out of the number is kept
// as its blind index only: the clinic must go on honouring the STOP if the
// number reaches it again (a withdrawn consent outlives the erasure), and
// for that it needs to recognise the number, not to know it.
func (s *Store) ErasePatient(ctx context.Context, v *vault.Vault, c Claims, patientID uuid.UUID, keep Retention, reason string) (ErasureReport, error) {
	rep := ErasureReport{PatientID: patientID, Retained: keep.Classes(), Calls: []string{}, UnlinkedCalls: []string{}}
	var phone *string
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select erased_at is not null, phone, array(select call_sid from app.call_patients where patient_id = p.id order by call_sid)
			from app.patients p where id = $1`, patientID).Scan(&rep.AlreadyErased, &phone, &rep.Calls)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("erase patient: %w", err)
	}
	var number, numberIdx string
	if phone != nil {
		number = *phone
		if numberIdx, err = phoneIndex(ctx, v, c.OrgID, number); err != nil {
			return rep, fmt.Errorf("erase patient: %w", err)
		}
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
		// The caller's number the incoming-call webhook files per call
		// (app.call_contacts): of the patient's calls, and of every call
		// from their number.
		rows, err := tx.Query(ctx, `delete from app.call_contacts
			where call_sid = any($1) or caller_phone_bidx = $2 or caller_phone = $3
			returning call_sid`, rep.Calls, nullable(numberIdx), nullable(number))
		if err != nil {
			return err
		}
		deleted, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		rep.ContactsDeleted = int64(len(deleted))
		for _, sid := range deleted {
			if !slices.Contains(rep.Calls, sid) {
				rep.UnlinkedCalls = append(rep.UnlinkedCalls, sid)
			}
		}
		slices.Sort(rep.UnlinkedCalls)
		if number != "" {
			// Keep an opt-out as its index: drop the clear row where an
			// indexed one exists already, else turn the clear row into one.
			if numberIdx != "" {
				if _, err := tx.Exec(ctx, `delete from app.sms_opt_outs where phone = $1 and exists (
					select from app.sms_opt_outs h where h.phone_bidx = $2 and h.phone is null)`, number, numberIdx); err != nil {
					return err
				}
			}
			tag, err := tx.Exec(ctx, `update app.sms_opt_outs set phone = null, phone_bidx = coalesce(phone_bidx, $2) where phone = $1`, number, nullable(numberIdx))
			if err != nil {
				return err
			}
			rep.OptOutsHashed = tag.RowsAffected()
		}
		if !keep.Medical {
			if _, err := tx.Exec(ctx, `delete from app.call_patients where patient_id = $1`, patientID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `update app.patients set name = null, phone = null, phone_bidx = null, email = null,
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
				"contact_deleted": true, "contacts_deleted": rep.ContactsDeleted, "unlinked_calls": slices.Clone(rep.UnlinkedCalls),
				"opt_outs_hashed": rep.OptOutsHashed,
			}})
	})
	if err != nil {
		return rep, fmt.Errorf("erase patient: %w", err)
	}
	return rep, nil
}
