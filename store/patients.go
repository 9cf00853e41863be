package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/frontdesk/frontdesk/vault"
)

// The patient's rights through the staff API (issue 14): find a patient by
// number, read the record, export everything held about them, erase them.
// Every access writes an audit row in the same transaction as its read.

// Audit actions of the patient's rights.
const (
	AuditPatientFind   = "patient_find"   // a lookup by phone number, found or not
	AuditPatientExport = "patient_export" // everything about a patient decrypted for an export
)

// PatientSummary is what a lookup by number answers: enough to know whom
// it found, nothing decrypted.
type PatientSummary struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name,omitempty"`
	Phone     string    `json:"phone"`
	Email     string    `json:"email,omitempty"`
	Calls     int       `json:"calls"`
	CreatedAt time.Time `json:"created_at"`
}

// FindPatientByPhone finds the org's live patient with an E.164 number
// through the blind index (and, for a patient recorded before phones were
// indexed, by the clear column). The lookup is audited whether or not it
// finds anyone; ErrNotFound when it does not.
func (s *Store) FindPatientByPhone(ctx context.Context, ix BlindIndexer, c Claims, phone, reason string) (PatientSummary, error) {
	idx, err := phoneIndex(ctx, ix, c.OrgID, phone)
	if err != nil {
		return PatientSummary{}, fmt.Errorf("find patient: %w", err)
	}
	var p PatientSummary
	found := false
	err = s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var name, email *string
		err := tx.QueryRow(ctx, `select id, name, phone, email, created_at, (select count(*) from app.call_patients cp where cp.patient_id = p.id)
			from app.patients p
			where erased_at is null and (phone_bidx = $1 or (phone_bidx is null and phone = $2))
			order by phone_bidx is null, created_at limit 1`, nullable(idx), phone).
			Scan(&p.ID, &name, &p.Phone, &email, &p.CreatedAt, &p.Calls)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			found = true
			p.Name, p.Email = deref(name), deref(email)
		}
		subject := ""
		if found {
			subject = p.ID.String()
		}
		// The number itself is not recorded: the row says that someone
		// looked, and whom they found.
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditPatientFind, Subject: subject,
			Detail: map[string]any{"by": "phone", "found": found}, Reason: reason})
	})
	if err != nil {
		return PatientSummary{}, fmt.Errorf("find patient: %w", err)
	}
	if !found {
		return PatientSummary{}, ErrNotFound
	}
	return p, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ExportFormat names the export's JSON shape, so a later change can be told apart.
const ExportFormat = "frontdesk.patient-export/v1"

// States of an exported call's turns.
const (
	TurnsReadable  = "readable"   // decrypted below
	TurnsPurged    = "purged"     // deleted by the retention workflow, key shredded
	TurnsErased    = "erased"     // key destroyed
	TurnsNotLinked = "not_linked" // a call from the patient's number never linked to them: its turns may be another person's
)

// PatientExport is everything frontdesk holds about one patient, for a
// subject-access (GDPR Art. 15) or portability (Art. 20) request.
type PatientExport struct {
	Format     string            `json:"format"`
	ExportedAt time.Time         `json:"exported_at"`
	OrgID      uuid.UUID         `json:"org_id"`
	Patient    PatientRecord     `json:"patient"`
	Calls      []ExportedCall    `json:"calls"`
	Bookings   []ExportedBooking `json:"bookings"`
	SMS        []ExportedSMS     `json:"sms"`
	SMSOptOuts []ExportedOptOut  `json:"sms_opt_outs"`
	// Audit holds the audit rows about the patient and their calls:
	// routing decisions, reads, lookups, exports, refused identity claims
	// and the erasure. They carry ids, types and counts, never values.
	Audit []AuditRow `json:"audit"`
}

// ExportedCall is one call of the patient: linked to them, or made from
// their number.
type ExportedCall struct {
	CallSID     string       `json:"call_sid"`
	ClinicID    uuid.UUID    `json:"clinic_id"`
	Status      string       `json:"status"`
	Outcome     string       `json:"outcome"`
	StartedAt   time.Time    `json:"started_at"`
	EndedAt     *time.Time   `json:"ended_at,omitempty"`
	Linked      bool         `json:"linked"`
	CallerPhone string       `json:"caller_phone,omitempty"`
	TurnsState  string       `json:"turns_state"`
	Turns       []StoredTurn `json:"turns"`
}

// ExportedBooking is a booking made on one of the patient's calls.
type ExportedBooking struct {
	ID           uuid.UUID  `json:"id"`
	CallSID      string     `json:"call_sid"`
	ClinicID     uuid.UUID  `json:"clinic_id"`
	Procedure    string     `json:"procedure"`
	Practitioner string     `json:"practitioner"`
	Start        time.Time  `json:"start"`
	End          time.Time  `json:"end"`
	CreatedAt    time.Time  `json:"created_at"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
}

// ExportedSMS is a message sent (or meant to be sent) to the patient.
type ExportedSMS struct {
	CallSID   string    `json:"call_sid"`
	Purpose   string    `json:"purpose"`
	Status    string    `json:"status"`
	Body      string    `json:"body"`
	MediaURL  string    `json:"media_url,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportedOptOut is an SMS opt-out of the patient's number.
type ExportedOptOut struct {
	OptedOutAt time.Time `json:"opted_out_at"`
}

// ExportPatient gathers everything about a patient in one transaction,
// which also writes the export's audit row (before anything is decrypted),
// then decrypts the identifiers and the turns of their calls. An erased
// patient exports as a tombstone with its audit trail and nothing else.
func (s *Store) ExportPatient(ctx context.Context, v *vault.Vault, c Claims, id uuid.UUID, reason string) (PatientExport, error) {
	ex := PatientExport{Format: ExportFormat, OrgID: c.OrgID, Calls: []ExportedCall{}, Bookings: []ExportedBooking{},
		SMS: []ExportedSMS{}, SMSOptOuts: []ExportedOptOut{}, Audit: []AuditRow{}}
	var row patientRow
	var turns []sealedTurn
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var err error
		if row, err = readPatientRow(ctx, tx, id); err != nil {
			return err
		}
		if ex.Calls, err = exportCalls(ctx, tx, id, row.phone, row.phoneIdx); err != nil {
			return err
		}
		var linked, all []string
		for _, cl := range ex.Calls {
			all = append(all, cl.CallSID)
			if cl.Linked {
				linked = append(linked, cl.CallSID)
			}
		}
		if turns, err = sealedTurns(ctx, tx, linked); err != nil {
			return err
		}
		if ex.Bookings, err = collect(ctx, tx, `select b.id, b.call_sid, b.clinic_id, pr.name, pt.name, lower(b.during), upper(b.during), b.created_at, b.cancelled_at
			from app.bookings b
			join app.procedures pr on pr.org_id = b.org_id and pr.id = b.procedure_id
			join app.practitioners pt on pt.org_id = b.org_id and pt.id = b.practitioner_id
			where b.call_sid = any($1) order by lower(b.during)`, pgx.RowToStructByPos[ExportedBooking], linked); err != nil {
			return err
		}
		if ex.SMS, err = collect(ctx, tx, `select call_sid, purpose, status, body, coalesce(media_url, ''), created_at, updated_at
			from app.sms_outbox where call_sid = any($1) order by created_at`, pgx.RowToStructByPos[ExportedSMS], all); err != nil {
			return err
		}
		if row.phone != nil || row.phoneIdx != nil {
			if ex.SMSOptOuts, err = collect(ctx, tx, `select opted_out_at from app.sms_opt_outs where phone = $1 or phone_bidx = $2 order by opted_out_at`,
				pgx.RowToStructByPos[ExportedOptOut], row.phone, row.phoneIdx); err != nil {
				return err
			}
		}
		if err := AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditPatientExport, Subject: id.String(), Reason: reason,
			Detail: map[string]any{"calls": len(ex.Calls), "turns": len(turns), "bookings": len(ex.Bookings), "sms": len(ex.SMS)}}); err != nil {
			return err
		}
		subjects := []string{id.String()}
		for _, sid := range linked {
			subjects = append(subjects, CallSubject(sid))
		}
		ex.Audit, err = collect(ctx, tx, `select org_id, seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, subject, detail, reason
			from app.audit_log where subject = any($1) order by seq`, pgx.RowToStructByPos[AuditRow], subjects)
		return err
	})
	if err != nil {
		return ex, fmt.Errorf("export patient: %w", err)
	}
	ex.ExportedAt = time.Now().UTC()
	p, err := row.open(ctx, v, c.OrgID)
	if err != nil {
		return ex, fmt.Errorf("export patient: %w", err)
	}
	ex.Patient = p.Record()
	for i := range ex.Calls {
		cl := &ex.Calls[i]
		if !cl.Linked {
			continue
		}
		var mine []sealedTurn
		for _, t := range turns {
			if t.callSID == cl.CallSID {
				mine = append(mine, t)
			}
		}
		opened, err := openTurns(ctx, v, c.OrgID, mine)
		switch {
		case errors.Is(err, vault.ErrKeyDestroyed):
			cl.TurnsState = TurnsErased
		case err != nil:
			return ex, fmt.Errorf("export patient: %w", err)
		default:
			cl.Turns = opened
		}
	}
	return ex, nil
}

// exportCalls lists the patient's linked calls and the other calls from
// their number (by its blind index, or the clear number for rows written
// before there was one), oldest first.
func exportCalls(ctx context.Context, tx pgx.Tx, id uuid.UUID, phone, phoneIdx *string) ([]ExportedCall, error) {
	rows, err := tx.Query(ctx, `
		select c.call_sid, c.clinic_id, c.status, c.outcome, c.started_at, c.ended_at, c.turns_purged_at is not null,
		       exists (select from app.call_patients cp where cp.call_sid = c.call_sid and cp.patient_id = $1),
		       coalesce(cc.caller_phone, '')
		from app.calls c left join app.call_contacts cc on cc.org_id = c.org_id and cc.call_sid = c.call_sid
		where c.call_sid in (select call_sid from app.call_patients where patient_id = $1)
		   or c.call_sid in (select call_sid from app.call_contacts where caller_phone_bidx = $2 or caller_phone = $3)
		order by c.started_at, c.call_sid`, id, phoneIdx, phone)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExportedCall, error) {
		var cl ExportedCall
		var purged bool
		err := r.Scan(&cl.CallSID, &cl.ClinicID, &cl.Status, &cl.Outcome, &cl.StartedAt, &cl.EndedAt, &purged, &cl.Linked, &cl.CallerPhone)
		cl.Turns = []StoredTurn{}
		switch {
		case !cl.Linked:
			cl.TurnsState = TurnsNotLinked
		case purged:
			cl.TurnsState = TurnsPurged
		default:
			cl.TurnsState = TurnsReadable
		}
		return cl, err
	})
}

// collect runs a query and collects its rows, never nil.
func collect[T any](ctx context.Context, tx pgx.Tx, sql string, fn pgx.RowToFunc[T], args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, fn)
	if out == nil {
		out = []T{}
	}
	return out, err
}
