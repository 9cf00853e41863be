package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

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
	Name  string
	Phone string // E.164
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

// RecordPatient files what a call learned about its caller: the patient
// already linked to the call, else an existing patient found by a blind
// index (national id, insurance id, or date of birth with phone), else a new
// one; then links the call to them. Keys and blind indexes are computed
// before the write transaction because the vault opens its own tenant
// transactions.
func (s *Store) RecordPatient(ctx context.Context, v *vault.Vault, r CallRef, f PatientFields, audit ...AuditEntry) (uuid.UUID, error) {
	if f.empty() {
		return uuid.Nil, errors.New("store: record patient: no fields")
	}
	org := r.OrgID.String()
	bidx := map[string]string{}
	for _, c := range f.identity() {
		if c[0] == "" {
			continue
		}
		h, err := v.BlindIndex(ctx, org, tablePatients+"."+c[2], c[0])
		if err != nil {
			return uuid.Nil, fmt.Errorf("record patient: %w", err)
		}
		bidx[c[2]] = h
	}
	var id uuid.UUID
	err := s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			select id from (
			  select p.id, 0 as rank from app.call_patients cp join app.patients p on p.org_id = cp.org_id and p.id = cp.patient_id
			    where cp.call_sid = $1 and p.erased_at is null
			  union all select id, 1 from app.patients where national_id_bidx = $2 and erased_at is null
			  union all select id, 2 from app.patients where insurance_id_bidx = $3 and erased_at is null
			  union all select id, 3 from app.patients where dob_bidx = $4 and phone = $5 and erased_at is null
			) m order by rank limit 1`,
			r.CallSID, bidx["national_id_bidx"], bidx["insurance_id_bidx"], bidx["dob_bidx"], f.Phone).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			id = uuid.New()
			return nil
		}
		return err
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("record patient: find: %w", err)
	}
	cts := map[string][]byte{}
	for _, c := range f.identity() {
		if c[0] == "" {
			continue
		}
		ct, err := v.Encrypt(ctx, vault.AAD{OrgID: org, Table: tablePatients, RowID: id.String(), Column: c[1]}, PatientSubject(id), []byte(c[0]))
		if err != nil {
			return uuid.Nil, fmt.Errorf("record patient: %w", err)
		}
		cts[c[1]] = ct
	}
	err = s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		if err := ensureCall(ctx, tx, r); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			insert into app.patients (id, org_id, name, phone, email, dob_ct, national_id_ct, insurance_id_ct, dob_bidx, national_id_bidx, insurance_id_bidx)
			values ($1, $2, nullif($3, ''), nullif($4, ''), nullif($5, ''), $6, $7, $8, nullif($9, ''), nullif($10, ''), nullif($11, ''))
			on conflict (id) do update set
			  name = coalesce(excluded.name, app.patients.name),
			  phone = coalesce(excluded.phone, app.patients.phone),
			  email = coalesce(excluded.email, app.patients.email),
			  dob_ct = coalesce(excluded.dob_ct, app.patients.dob_ct),
			  national_id_ct = coalesce(excluded.national_id_ct, app.patients.national_id_ct),
			  insurance_id_ct = coalesce(excluded.insurance_id_ct, app.patients.insurance_id_ct),
			  dob_bidx = coalesce(excluded.dob_bidx, app.patients.dob_bidx),
			  national_id_bidx = coalesce(excluded.national_id_bidx, app.patients.national_id_bidx),
			  insurance_id_bidx = coalesce(excluded.insurance_id_bidx, app.patients.insurance_id_bidx),
			  updated_at = now()
			where app.patients.erased_at is null`,
			id, r.OrgID, f.Name, f.Phone, f.Email, cts["dob_ct"], cts["national_id_ct"], cts["insurance_id_ct"],
			bidx["dob_bidx"], bidx["national_id_bidx"], bidx["insurance_id_bidx"])
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into app.call_patients (org_id, call_sid, patient_id) values ($1, $2, $3) on conflict do nothing`,
			r.OrgID, r.CallSID, id); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Subject = id.String()
		}
		return AppendAudit(ctx, tx, r.OrgID, audit...)
	})
	if err != nil {
		return uuid.Nil, fmt.Errorf("record patient: write: %w", err)
	}
	return id, nil
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
	type row struct {
		t  StoredTurn
		ct []byte
	}
	var rows []row
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		r, err := tx.Query(ctx, `select seq, speaker, at_ms, class, entities, body from app.call_turns where call_sid = $1 order by seq`, callSID)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(r, func(cr pgx.CollectableRow) (row, error) {
			var x row
			err := cr.Scan(&x.t.Seq, &x.t.Speaker, &x.t.AtMS, &x.t.Class, &x.t.Entities, &x.ct)
			return x, err
		})
		if err != nil {
			return err
		}
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditDecrypt, Subject: CallSubject(callSID),
			Detail: map[string]any{"table": tableCallTurns, "rows": len(rows)}, Reason: reason})
	})
	if err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	out := make([]StoredTurn, 0, len(rows))
	for _, x := range rows {
		plain, err := v.Decrypt(ctx, turnAAD(c.OrgID, callSID, x.t.Seq), CallSubject(callSID), x.ct)
		if err != nil {
			return nil, fmt.Errorf("read turns: seq %d: %w", x.t.Seq, err)
		}
		err = json.Unmarshal(plain, &x.t.Body)
		clear(plain)
		if err != nil {
			return nil, fmt.Errorf("read turns: seq %d: %w", x.t.Seq, err)
		}
		out = append(out, x.t)
	}
	return out, nil
}

// Patient is a patient as read back for an authorised reader.
type Patient struct {
	ID       uuid.UUID     `json:"id"`
	Fields   PatientFields `json:"-"`
	Calls    []string      `json:"calls"`
	Erased   bool          `json:"erased"`
	HasDOB   bool          `json:"has_date_of_birth"`
	HasNatID bool          `json:"has_national_id"`
}

// ReadPatient returns a patient with identifiers decrypted, auditing the
// read (who, why) first.
func (s *Store) ReadPatient(ctx context.Context, v *vault.Vault, c Claims, id uuid.UUID, reason string) (Patient, error) {
	p := Patient{ID: id}
	var name, phone, email *string
	var dob, nat, ins []byte
	err := s.InTenant(ctx, c, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select name, phone, email, dob_ct, national_id_ct, insurance_id_ct, erased_at is not null,
			array(select call_sid from app.call_patients where patient_id = p.id order by created_at)
			from app.patients p where id = $1`, id).Scan(&name, &phone, &email, &dob, &nat, &ins, &p.Erased, &p.Calls)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return AppendAudit(ctx, tx, c.OrgID, AuditEntry{Actor: c.Sub, Action: AuditDecrypt, Subject: id.String(),
			Detail: map[string]any{"table": tablePatients}, Reason: reason})
	})
	if err != nil {
		return p, fmt.Errorf("read patient: %w", err)
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	p.Fields = PatientFields{Name: deref(name), Phone: deref(phone), Email: deref(email)}
	p.HasDOB, p.HasNatID = dob != nil, nat != nil
	for _, col := range []struct {
		ct   []byte
		name string
		dst  *string
	}{{dob, "dob_ct", &p.Fields.DateOfBirth}, {nat, "national_id_ct", &p.Fields.NationalID}, {ins, "insurance_id_ct", &p.Fields.InsuranceID}} {
		if col.ct == nil {
			continue
		}
		plain, err := v.Decrypt(ctx, vault.AAD{OrgID: c.OrgID.String(), Table: tablePatients, RowID: id.String(), Column: col.name}, PatientSubject(id), col.ct)
		if err != nil {
			return p, fmt.Errorf("read patient: %s: %w", col.name, err)
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
