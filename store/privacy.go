package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/frontdesk/frontdesk/vault"
)

// Tables and columns the vault binds ciphertexts to (vault.AAD), so a value
// copied into another row, column or org fails to decrypt.
const (
	tablePatients  = "app.patients"
	tableCallTurns = "app.call_turns"
)

// CallSubject is the vault subject of a call's own content (its turns, and
// the sealed turn payloads in its Temporal history). Erasing a patient
// shreds the subjects of every call linked to them.
func CallSubject(callSID string) string { return "call:" + callSID }

// PatientSubject is the vault subject of a patient's identifiers.
func PatientSubject(id uuid.UUID) string { return id.String() }

// CallRef names a call and its tenant.
type CallRef struct {
	OrgID    uuid.UUID
	ClinicID uuid.UUID
	CallSID  string
}

func (r CallRef) claims() Claims { return CallClaims(r.OrgID, r.CallSID) }

// ensureCall makes sure the call's row exists: a turn can reach Postgres
// before the workflow's first RecordCall does. The status is RecordCall's
// to set; this never overwrites it.
func ensureCall(ctx context.Context, tx pgx.Tx, r CallRef) error {
	_, err := tx.Exec(ctx, `insert into app.calls (org_id, call_sid, clinic_id, status) values ($1, $2, $3, 'in-progress')
		on conflict (org_id, call_sid) do nothing`, r.OrgID, r.CallSID, r.ClinicID)
	return err
}

// PatientFields are a caller's details, already routed and normalised:
// contact fields go to clear columns, identity fields are encrypted with a
// blind index. Empty means "not given".
type PatientFields struct {
	Name string
	// Phone is a number the caller said (E.164). The caller's own number,
	// Twilio's From, is not a field: RecordPatient reads it from
	// app.call_contacts.
	Phone string
	Email string
	// Identity: normalised (DateOfBirth as YYYY-MM-DD, ids upper case
	// without spaces), since blind indexes match bytes.
	DateOfBirth string
	NationalID  string
	InsuranceID string
}

func (f PatientFields) empty() bool { return f == PatientFields{} }

// identity columns: (field value, ciphertext column, blind index column).
func (f PatientFields) identity() [][3]string {
	return [][3]string{
		{f.DateOfBirth, "dob_ct", "dob_bidx"},
		{f.NationalID, "national_id_ct", "national_id_bidx"},
		{f.InsuranceID, "insurance_id_ct", "insurance_id_bidx"},
	}
}

// TurnBody is what a turn's ciphertext holds: the text with payment data
// masked, and the fields that are neither contact (clear, on the patient),
// identity (encrypted, on the patient) nor payment (never stored).
type TurnBody struct {
	Text   string            `json:"text"`
	Fields map[string]string `json:"fields,omitempty"`
}

// Turn is one transcript turn to store.
type Turn struct {
	Seq      int
	Speaker  string
	AtMS     int64
	Class    string
	Entities map[string]int
	Body     TurnBody
}

func turnAAD(org uuid.UUID, callSID string, seq int) vault.AAD {
	return vault.AAD{OrgID: org.String(), Table: tableCallTurns, RowID: callSID + "/" + strconv.Itoa(seq), Column: "body"}
}

// SaveTurn encrypts a turn under the call's data key and stores it with its
// audit rows in one transaction. A retried activity finds the turn already
// stored and writes nothing (saved reports false).
func (s *Store) SaveTurn(ctx context.Context, v *vault.Vault, r CallRef, t Turn, audit ...AuditEntry) (saved bool, err error) {
	plain, err := json.Marshal(t.Body)
	if err != nil {
		return false, err
	}
	defer clear(plain)
	ct, err := v.Encrypt(ctx, turnAAD(r.OrgID, r.CallSID, t.Seq), CallSubject(r.CallSID), plain)
	if err != nil {
		return false, fmt.Errorf("save turn: %w", err)
	}
	ents := t.Entities
	if ents == nil {
		ents = map[string]int{}
	}
	err = s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		if err := ensureCall(ctx, tx, r); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `insert into app.call_turns (org_id, call_sid, seq, speaker, at_ms, class, entities, subject_id, body)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing`,
			r.OrgID, r.CallSID, t.Seq, t.Speaker, t.AtMS, t.Class, ents, CallSubject(r.CallSID), ct)
		if err != nil {
			return err
		}
		if saved = tag.RowsAffected() == 1; !saved {
			return nil
		}
		return AppendAudit(ctx, tx, r.OrgID, audit...)
	})
	if err != nil {
		return false, fmt.Errorf("save turn: %w", err)
	}
	return saved, nil
}

// StoredTurn is a turn as read back for an authorised reader.
type StoredTurn struct {
	Seq      int            `json:"seq"`
	Speaker  string         `json:"speaker"`
	AtMS     int64          `json:"at_ms"`
	Class    string         `json:"class"`
	Entities map[string]int `json:"entities"`
	Body     TurnBody       `json:"body"`
}

// ReadTurns decrypts a call's turns for c, recording who read them and why
// in the audit log before anything is decrypted (a failed read is still a
// recorded attempt). Turns of an erased call fail with vault.ErrKeyDestroyed.
func (s *Store) ReadTurns(ctx context.Context, v *vault.Vault, c Claims, callSID, reason string) ([]StoredTurn, error) {
	var rows []sealedTurn
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var err error
		if rows, err = sealedTurns(ctx, tx, []string{callSID}); err != nil {
			return err
		}
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditDecrypt, Subject: CallSubject(callSID),
			Detail: map[string]any{"table": tableCallTurns, "rows": len(rows)}, Reason: reason})
	})
	if err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	out, err := openTurns(ctx, v, c.OrgID, rows)
	if err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	return out, nil
}

// sealedTurn is a stored turn before decryption.
type sealedTurn struct {
	callSID string
	t       StoredTurn
	ct      []byte
}

// sealedTurns reads the turns of calls, in call and turn order.
func sealedTurns(ctx context.Context, tx pgx.Tx, callSIDs []string) ([]sealedTurn, error) {
	r, err := tx.Query(ctx, `select call_sid, seq, speaker, at_ms, class, entities, body from app.call_turns
		where call_sid = any($1) order by call_sid, seq`, callSIDs)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(r, func(cr pgx.CollectableRow) (sealedTurn, error) {
		var x sealedTurn
		err := cr.Scan(&x.callSID, &x.t.Seq, &x.t.Speaker, &x.t.AtMS, &x.t.Class, &x.t.Entities, &x.ct)
		return x, err
	})
}

// openTurns decrypts turns read by sealedTurns.
func openTurns(ctx context.Context, v *vault.Vault, org uuid.UUID, rows []sealedTurn) ([]StoredTurn, error) {
	out := make([]StoredTurn, 0, len(rows))
	for _, x := range rows {
		plain, err := v.Decrypt(ctx, turnAAD(org, x.callSID, x.t.Seq), CallSubject(x.callSID), x.ct)
		if err != nil {
			return nil, fmt.Errorf("%s seq %d: %w", x.callSID, x.t.Seq, err)
		}
		err = json.Unmarshal(plain, &x.t.Body)
		clear(plain)
		if err != nil {
			return nil, fmt.Errorf("%s seq %d: %w", x.callSID, x.t.Seq, err)
		}
		out = append(out, x.t)
	}
	return out, nil
}

// Patient is a patient as read back for an authorised reader.
type Patient struct {
	ID        uuid.UUID     `json:"id"`
	Fields    PatientFields `json:"-"`
	Calls     []string      `json:"calls"`
	Erased    bool          `json:"erased"`
	HasDOB    bool          `json:"has_date_of_birth"`
	HasNatID  bool          `json:"has_national_id"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	ErasedAt  *time.Time    `json:"erased_at,omitempty"`
}

// PatientRecord is a patient as the staff API and the export show it:
// every field in clear, for an authorised reader.
type PatientRecord struct {
	ID          uuid.UUID  `json:"id"`
	Name        string     `json:"name,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	Email       string     `json:"email,omitempty"`
	DateOfBirth string     `json:"date_of_birth,omitempty"`
	NationalID  string     `json:"national_id,omitempty"`
	InsuranceID string     `json:"insurance_id,omitempty"`
	Calls       []string   `json:"calls"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Erased      bool       `json:"erased"`
	ErasedAt    *time.Time `json:"erased_at,omitempty"`
}

// Record renders p for the staff API.
func (p Patient) Record() PatientRecord {
	calls := p.Calls
	if calls == nil {
		calls = []string{}
	}
	return PatientRecord{ID: p.ID, Name: p.Fields.Name, Phone: p.Fields.Phone, Email: p.Fields.Email,
		DateOfBirth: p.Fields.DateOfBirth, NationalID: p.Fields.NationalID, InsuranceID: p.Fields.InsuranceID,
		Calls: calls, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Erased: p.Erased, ErasedAt: p.ErasedAt}
}

// ReadPatient returns a patient with identifiers decrypted, auditing the
// read (who, why) first.
func (s *Store) ReadPatient(ctx context.Context, v *vault.Vault, c Claims, id uuid.UUID, reason string) (Patient, error) {
	var row patientRow
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		var err error
		if row, err = readPatientRow(ctx, tx, id); err != nil {
			return err
		}
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditDecrypt, Subject: id.String(),
			Detail: map[string]any{"table": tablePatients}, Reason: reason})
	})
	if err != nil {
		return Patient{ID: id}, fmt.Errorf("read patient: %w", err)
	}
	p, err := row.open(ctx, v, c.OrgID)
	if err != nil {
		return p, fmt.Errorf("read patient: %w", err)
	}
	return p, nil
}

// patientRow is a patient row before decryption.
type patientRow struct {
	p                   Patient
	name, phone, email  *string
	phoneIdx            *string
	dobCT, natCT, insCT []byte
}

func readPatientRow(ctx context.Context, tx pgx.Tx, id uuid.UUID) (patientRow, error) {
	r := patientRow{p: Patient{ID: id}}
	err := tx.QueryRow(ctx, `select name, phone, email, phone_bidx, dob_ct, national_id_ct, insurance_id_ct, created_at, updated_at, erased_at,
		array(select call_sid from app.call_patients where patient_id = p.id order by created_at, call_sid)
		from app.patients p where id = $1`, id).
		Scan(&r.name, &r.phone, &r.email, &r.phoneIdx, &r.dobCT, &r.natCT, &r.insCT, &r.p.CreatedAt, &r.p.UpdatedAt, &r.p.ErasedAt, &r.p.Calls)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	r.p.Erased = r.p.ErasedAt != nil
	return r, err
}

// open decrypts the identifiers.
func (r patientRow) open(ctx context.Context, v *vault.Vault, org uuid.UUID) (Patient, error) {
	p := r.p
	p.Fields = PatientFields{Name: deref(r.name), Phone: deref(r.phone), Email: deref(r.email)}
	p.HasDOB, p.HasNatID = r.dobCT != nil, r.natCT != nil
	for _, col := range []struct {
		ct   []byte
		name string
		dst  *string
	}{{r.dobCT, "dob_ct", &p.Fields.DateOfBirth}, {r.natCT, "national_id_ct", &p.Fields.NationalID}, {r.insCT, "insurance_id_ct", &p.Fields.InsuranceID}} {
		if col.ct == nil {
			continue
		}
		plain, err := v.Decrypt(ctx, vault.AAD{OrgID: org.String(), Table: tablePatients, RowID: p.ID.String(), Column: col.name}, PatientSubject(p.ID), col.ct)
		if err != nil {
			return p, fmt.Errorf("%s: %w", col.name, err)
		}
		*col.dst = string(plain)
	}
	return p, nil
}

// PatientsOfCall lists the patients linked to a call.
func (s *Store) PatientsOfCall(ctx context.Context, c Claims, callSID string) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select patient_id from app.call_patients where call_sid = $1 order by created_at, patient_id`, callSID)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	return ids, err
}
