package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The caller's number is contact data: it lives in app.call_contacts under
// row-level security and is read back by CallSid, so it never has to travel
// through Temporal. Functions here take and return it, and their callers
// must keep it out of logs.

// ErrContactRefused means the caller's number was not stored because the
// call is over: a replayed incoming-call webhook must not bring back a
// number that an erasure (or retention) removed.
var ErrContactRefused = errors.New("call already ended: caller number not recorded")

// RecordCallContact stores the number a call came from, in the clinic's
// tenant, with its blind index when the store has an indexer. A repeated
// webhook changes nothing; one for a call that has ended is refused with
// ErrContactRefused.
func (s *Store) RecordCallContact(ctx context.Context, clinic ClinicRef, callSID, callerPhone string) error {
	idx, err := phoneIndex(ctx, s.index, clinic.OrgID, callerPhone)
	if err != nil {
		return fmt.Errorf("record call contact: %w", err)
	}
	refused := false
	err = s.InTenant(ctx, CallClaims(clinic.OrgID, callSID), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select exists (select from app.calls where call_sid = $1 and ended_at is not null)`, callSID).Scan(&refused); err != nil || refused {
			return err
		}
		_, err := tx.Exec(ctx, `insert into app.call_contacts (org_id, call_sid, clinic_id, caller_phone, caller_phone_bidx)
			values ($1, $2, $3, $4, $5) on conflict (org_id, call_sid) do nothing`,
			clinic.OrgID, callSID, clinic.ClinicID, callerPhone, nullable(idx))
		return err
	})
	if err != nil {
		return fmt.Errorf("record call contact: %w", err)
	}
	if refused {
		return ErrContactRefused
	}
	return nil
}

// FollowUpClinic is what a follow-up needs of the clinic.
type FollowUpClinic struct {
	ID           uuid.UUID
	Name         string
	Address      string
	PhoneNumber  string
	BookingURL   string
	Delay        time.Duration
	MMS          bool
	ProcedureVer int // 0 when the procedure is not this clinic's
}

// Guide is a procedure's catalogue entry with its clinic, as the
// preparation PDF shows it.
type Guide struct {
	OrgID           uuid.UUID
	ProcedureID     uuid.UUID
	Version         int
	Title           string
	DurationMinutes int
	Preparation     []string
	ClinicName      string
	ClinicAddress   string
	ClinicPhone     string
	BookingURL      string
}

// FollowUpClinic reads the clinic's follow-up settings and the current
// version of procedureID in it (0 if the clinic has no such procedure).
func (s *Store) FollowUpClinic(ctx context.Context, orgID uuid.UUID, callSID string, clinicID, procedureID uuid.UUID) (FollowUpClinic, error) {
	var c FollowUpClinic
	var delay int
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select c.id, c.name, c.address, c.phone_number, c.booking_url, c.followup_delay_seconds, c.followup_mms,
				coalesce((select p.version from app.procedures p where p.id = $2 and p.clinic_id = c.id), 0)
			from app.clinics c where c.id = $1`, clinicID, procedureID).
			Scan(&c.ID, &c.Name, &c.Address, &c.PhoneNumber, &c.BookingURL, &delay, &c.MMS, &c.ProcedureVer)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("follow-up clinic: %w", err)
	}
	c.Delay = time.Duration(delay) * time.Second
	return c, nil
}

// GuideForProcedure reads the catalogue entry a PDF is rendered from.
func (s *Store) GuideForProcedure(ctx context.Context, c Claims, procedureID uuid.UUID) (Guide, error) {
	g := Guide{OrgID: c.OrgID, ProcedureID: procedureID}
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select p.version, p.name, p.duration_minutes, p.preparation, c.name, c.address, c.phone_number, c.booking_url
			from app.procedures p join app.clinics c on c.org_id = p.org_id and c.id = p.clinic_id where p.id = $1`, procedureID).
			Scan(&g.Version, &g.Title, &g.DurationMinutes, &g.Preparation, &g.ClinicName, &g.ClinicAddress, &g.ClinicPhone, &g.BookingURL)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return g, ErrNotFound
	}
	if err != nil {
		return g, fmt.Errorf("guide for procedure: %w", err)
	}
	return g, nil
}

// ProcedureDocument reads a cached PDF of one procedure version.
func (s *Store) ProcedureDocument(ctx context.Context, c Claims, procedureID uuid.UUID, version int) ([]byte, error) {
	var body []byte
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select body from app.procedure_documents where procedure_id = $1 and version = $2`, procedureID, version).Scan(&body)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("procedure document: %w", err)
	}
	return body, nil
}

// SaveProcedureDocument caches a rendered PDF. Two renderers racing on the
// same version both succeed; the first row stays (renders are equivalent).
func (s *Store) SaveProcedureDocument(ctx context.Context, c Claims, procedureID uuid.UUID, version int, pdf []byte) error {
	sum := sha256.Sum256(pdf)
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into app.procedure_documents (org_id, procedure_id, version, body, sha256)
			values ($1, $2, $3, $4, $5) on conflict do nothing`, c.OrgID, procedureID, version, pdf, hex.EncodeToString(sum[:]))
		return err
	})
	if err != nil {
		return fmt.Errorf("save procedure document: %w", err)
	}
	return nil
}

// Why a follow-up must not be sent; empty when it may.
const (
	SkipNoContact = "no_contact"
	SkipOptedOut  = "opted_out"
	SkipBooked    = "booked"
)

// FollowUpBlocker reports why the caller of callSID must not get a
// follow-up about procedureID now: no number on record, opted out of the
// org's SMS, or already booked for that procedure (by this call, or by any
// call from the same number, e.g. a call back during the delay). Empty
// means go.
func (s *Store) FollowUpBlocker(ctx context.Context, orgID uuid.UUID, callSID string, procedureID uuid.UUID) (string, error) {
	var reason string
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		var err error
		reason, err = followUpBlocker(ctx, tx, callSID, procedureID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("follow-up check: %w", err)
	}
	return reason, nil
}

func followUpBlocker(ctx context.Context, tx pgx.Tx, callSID string, procedureID uuid.UUID) (string, error) {
	var hasContact, optedOut, booked bool
	err := tx.QueryRow(ctx, `
		with me as (select caller_phone, caller_phone_bidx from app.call_contacts where call_sid = $1)
		select exists (select from me),
		       exists (select from app.sms_opt_outs o join me on o.phone = me.caller_phone or o.phone_bidx = me.caller_phone_bidx),
		       exists (select from app.bookings b
		               where b.procedure_id = $2 and b.cancelled_at is null and upper(b.during) > now()
		                 and (b.call_sid = $1 or b.call_sid in (
		                      select cc.call_sid from app.call_contacts cc join me on cc.caller_phone = me.caller_phone)))`,
		callSID, procedureID).Scan(&hasContact, &optedOut, &booked)
	switch {
	case err != nil:
		return "", err
	case booked:
		return SkipBooked, nil
	case !hasContact:
		return SkipNoContact, nil
	case optedOut:
		return SkipOptedOut, nil
	}
	return "", nil
}

// Outbox statuses frontdesk writes itself; the others are Twilio's.
const (
	OutboxPending = "pending"
	OutboxLogged  = "logged"
	OutboxFailed  = "failed"
)

// PurposeFollowUp is the outbox purpose of the unbooked-call follow-up.
const PurposeFollowUp = "followup"

// OutboxEntry is one row of app.sms_outbox.
type OutboxEntry struct {
	ID         uuid.UUID `json:"id"`
	OrgID      uuid.UUID `json:"org_id"`
	ClinicID   uuid.UUID `json:"clinic_id"`
	CallSID    string    `json:"call_sid"`
	Purpose    string    `json:"purpose"`
	Status     string    `json:"status"`
	Body       string    `json:"body"`
	MediaURL   string    `json:"media_url,omitempty"`
	MessageSID string    `json:"message_sid,omitempty"`
	ErrorCode  int       `json:"error_code,omitempty"`
	Attempts   int       `json:"attempts"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

const outboxColumns = `id, org_id, clinic_id, call_sid, purpose, status, body, coalesce(media_url, ''), coalesce(message_sid, ''),
	coalesce(error_code, 0), attempts, created_at, updated_at`

func scanOutbox(row pgx.Row) (OutboxEntry, error) {
	var e OutboxEntry
	err := row.Scan(&e.ID, &e.OrgID, &e.ClinicID, &e.CallSID, &e.Purpose, &e.Status, &e.Body, &e.MediaURL, &e.MessageSID,
		&e.ErrorCode, &e.Attempts, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

// OutboxClaim is the answer of ClaimOutbox.
type OutboxClaim struct {
	Entry OutboxEntry
	// Created is true when this call wrote the row; false when an earlier
	// attempt had (its Entry says how far it got).
	Created bool
	// Blocked says why the follow-up must not go now (see FollowUpBlocker);
	// with no existing row, nothing is written. With an existing row the
	// caller decides: a message Twilio already has is not recalled, one that
	// never left is not sent.
	Blocked string
	// To is the caller's number, for the sender only.
	To string
}

// ClaimOutbox is the step before the Twilio call: in one transaction it
// returns the existing row of (call, purpose) if any, else re-checks the
// blockers and writes a pending row with the message to send. Each
// attempt counts in Attempts.
func (s *Store) ClaimOutbox(ctx context.Context, e OutboxEntry, procedureID uuid.UUID) (OutboxClaim, error) {
	var out OutboxClaim
	err := s.InTenant(ctx, CallClaims(e.OrgID, e.CallSID), func(tx pgx.Tx) error {
		_ = tx.QueryRow(ctx, `select caller_phone from app.call_contacts where call_sid = $1`, e.CallSID).Scan(&out.To)
		var err error
		if out.Blocked, err = followUpBlocker(ctx, tx, e.CallSID, procedureID); err != nil {
			return err
		}
		existing, err := scanOutbox(tx.QueryRow(ctx, `update app.sms_outbox set attempts = attempts + 1, updated_at = now()
			where call_sid = $1 and purpose = $2 returning `+outboxColumns, e.CallSID, e.Purpose))
		if err == nil {
			out.Entry = existing
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if out.Blocked != "" {
			return nil
		}
		var media *string
		if e.MediaURL != "" {
			media = &e.MediaURL
		}
		// Another worker may have claimed it since the update above; the
		// unique key decides, and the loser reads the winner's row.
		created, err := scanOutbox(tx.QueryRow(ctx, `insert into app.sms_outbox (org_id, clinic_id, call_sid, purpose, status, body, media_url, attempts)
			values ($1, $2, $3, $4, 'pending', $5, $6, 1) on conflict (org_id, call_sid, purpose) do nothing returning `+outboxColumns,
			e.OrgID, e.ClinicID, e.CallSID, e.Purpose, e.Body, media))
		if errors.Is(err, pgx.ErrNoRows) {
			out.Entry, err = scanOutbox(tx.QueryRow(ctx, `select `+outboxColumns+` from app.sms_outbox where call_sid = $1 and purpose = $2`, e.CallSID, e.Purpose))
			return err
		}
		out.Entry, out.Created = created, err == nil
		return err
	})
	if err != nil {
		return OutboxClaim{}, fmt.Errorf("claim outbox: %w", err)
	}
	return out, nil
}

// SettleOutbox records what became of a pending row: Twilio's answer (a
// message sid and its status), logged, or failed with Twilio's error code.
// A row that has a message sid keeps it.
func (s *Store) SettleOutbox(ctx context.Context, orgID uuid.UUID, callSID string, id uuid.UUID, status, messageSID string, errorCode int) error {
	var sid *string
	if messageSID != "" {
		sid = &messageSID
	}
	var code *int
	if errorCode != 0 {
		code = &errorCode
	}
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update app.sms_outbox set status = $2, message_sid = coalesce(message_sid, $3),
			error_code = coalesce($4, error_code), updated_at = now() where id = $1`, id, status, sid, code)
		return err
	})
	if err != nil {
		return fmt.Errorf("settle outbox: %w", err)
	}
	return nil
}

// UpdateOutboxByMessage applies a message status callback to the org's
// outbox row of messageSID; false when the org has no such message (or the
// status is older than the row's).
func (s *Store) UpdateOutboxByMessage(ctx context.Context, orgID uuid.UUID, messageSID, status string, errorCode int) (bool, error) {
	var code *int
	if errorCode != 0 {
		code = &errorCode
	}
	var n int64
	err := s.InTenant(ctx, Claims{OrgID: orgID, Sub: "twilio:sms-status", Role: "service"}, func(tx pgx.Tx) error {
		// Twilio's callbacks can arrive out of order: a status never moves
		// back (a late "sent" after "delivered" is dropped).
		tag, err := tx.Exec(ctx, `update app.sms_outbox set status = $2, error_code = coalesce($3, error_code), updated_at = now()
			where message_sid = $1 and `+statusRank("$2")+` >= `+statusRank("status"), messageSID, status, code)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("update outbox by message: %w", err)
	}
	return n > 0, nil
}

// statusRank orders message statuses for SQL: final ones last.
func statusRank(expr string) string {
	return `(case ` + expr + `::text when 'pending' then 0 when 'accepted' then 1 when 'scheduled' then 1 when 'queued' then 1
		when 'sending' then 2 when 'sent' then 3 when 'delivered' then 4 when 'undelivered' then 4 when 'failed' then 4
		when 'read' then 5 else 1 end)`
}

// OutboxFor reads the outbox row of a call and purpose.
func (s *Store) OutboxFor(ctx context.Context, orgID uuid.UUID, callSID, purpose string) (OutboxEntry, error) {
	var e OutboxEntry
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		var err error
		e, err = scanOutbox(tx.QueryRow(ctx, `select `+outboxColumns+` from app.sms_outbox where call_sid = $1 and purpose = $2`, callSID, purpose))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return e, ErrNotFound
	}
	return e, err
}

// CallerPhone reads the number a call came from (for masking in the CLI,
// and for the sender).
func (s *Store) CallerPhone(ctx context.Context, orgID uuid.UUID, callSID string) (string, error) {
	var phone string
	err := s.InTenant(ctx, CallClaims(orgID, callSID), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select caller_phone from app.call_contacts where call_sid = $1`, callSID).Scan(&phone)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return phone, err
}

// SetSMSOptOut records a STOP (optedOut) or a START (!optedOut) from phone
// for the org. A START also lifts an opt-out kept only as a blind index
// (an erased patient's).
func (s *Store) SetSMSOptOut(ctx context.Context, orgID uuid.UUID, phone string, optedOut bool) error {
	idx, err := phoneIndex(ctx, s.index, orgID, phone)
	if err != nil {
		return fmt.Errorf("sms opt-out: %w", err)
	}
	err = s.InTenant(ctx, Claims{OrgID: orgID, Sub: "twilio:sms", Role: "service"}, func(tx pgx.Tx) error {
		return setSMSOptOut(ctx, tx, orgID, phone, idx, optedOut)
	})
	if err != nil {
		return fmt.Errorf("sms opt-out: %w", err)
	}
	return nil
}

// setSMSOptOut is SetSMSOptOut inside a tenant transaction of orgID (also
// used by ApplySMSKeyword); idx is the number's blind index ("" without a
// vault), so a START also lifts an opt-out an erasure kept only as a hash.
func setSMSOptOut(ctx context.Context, tx pgx.Tx, orgID uuid.UUID, phone, idx string, optedOut bool) error {
	var err error
	if optedOut {
		_, err = tx.Exec(ctx, `insert into app.sms_opt_outs (org_id, phone, phone_bidx) values ($1, $2, $3) on conflict do nothing`, orgID, phone, nullable(idx))
	} else {
		_, err = tx.Exec(ctx, `delete from app.sms_opt_outs where phone = $1 or phone_bidx = $2`, phone, nullable(idx))
	}
	return err
}

// SMSOptedOut reports whether phone has opted out of the org's SMS, in
// clear or as a kept blind index.
func (s *Store) SMSOptedOut(ctx context.Context, orgID uuid.UUID, phone string) (bool, error) {
	idx, err := phoneIndex(ctx, s.index, orgID, phone)
	if err != nil {
		return false, fmt.Errorf("sms opt-out: %w", err)
	}
	var out bool
	err = s.InTenant(ctx, Claims{OrgID: orgID, Sub: "twilio:sms", Role: "service"}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select exists (select from app.sms_opt_outs where phone = $1 or phone_bidx = $2)`, phone, nullable(idx)).Scan(&out)
	})
	return out, err
}
