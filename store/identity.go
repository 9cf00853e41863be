package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/frontdesk/frontdesk/vault"
)

// Patient identity (issue 12, item 5). What a caller says about who they
// are (a name, an NHS number, a date of birth) is a claim, not proof: anyone
// can read another person's NHS number off a letter. So:
//
//   - A spoken identifier may link a call to an existing patient only when
//     the caller's number (Twilio's From, app.call_contacts, not a number
//     the caller said) belongs to that patient, or a second identifier
//     agrees with what is stored for them.
//   - It never overwrites stored data: a contact field or identifier is
//     filled only where the patient has none; a different value is kept,
//     encrypted, in the turn instead (PatientLink.Unfiled).
//   - A mismatch writes an identity_mismatch audit row (reasons and ids,
//     never a value) and leaves the call unlinked; nothing of the turn is
//     filed on any patient.
//
// The caller's number is also the key that makes two concurrent first
// calls from one number create one patient: patients.phone_bidx is unique
// per org and a new patient is an upsert on it.

// PatientFields member names, as PatientLink.Unfiled lists them.
const (
	FieldName        = "name"
	FieldPhone       = "phone"
	FieldEmail       = "email"
	FieldDateOfBirth = "date_of_birth"
	FieldNationalID  = "national_id"
	FieldInsuranceID = "insurance_id"
)

// Why a claimed identity was refused (PatientLink.Mismatch, and the reason
// of the identity_mismatch audit row).
const (
	// MismatchUnverified: an identifier names a patient, but neither the
	// caller's number nor a second identifier agrees.
	MismatchUnverified = "unverified"
	// MismatchConflict: a claimed identifier differs from the one stored
	// for the patient the call is linked to, or whose number is calling.
	MismatchConflict = "conflict"
	// MismatchAmbiguous: the identifiers name different patients.
	MismatchAmbiguous = "ambiguous"
)

// AuditIdentityMismatch is the audit action of a refused identity claim.
const AuditIdentityMismatch = "identity_mismatch"

// PatientLink says what RecordPatient did with a turn's details.
type PatientLink struct {
	// PatientID is the patient the call is linked to; uuid.Nil when the
	// call stays unlinked.
	PatientID uuid.UUID
	// Mismatch is why the claimed identity was refused (Mismatch*), or "".
	Mismatch string
	// Unfiled names the fields (Field*) that were not written to the
	// patient: all of them on a mismatch, else contact fields whose stored
	// value differs. The caller keeps them in the encrypted turn.
	Unfiled []string
}

// Linked reports whether the call is linked to a patient.
func (l PatientLink) Linked() bool { return l.PatientID != uuid.Nil }

// phoneIndexColumn names the blind index key of phone numbers. One key for
// patients.phone_bidx, call_contacts.caller_phone_bidx and
// sms_opt_outs.phone_bidx, so the three compare.
const phoneIndexColumn = "phone_e164"

// BlindIndexer computes blind indexes; *vault.Vault is one.
type BlindIndexer interface {
	BlindIndex(ctx context.Context, orgID, column, normalisedValue string) (string, error)
}

// SetBlindIndexer lets the store index the phone numbers it writes outside
// the patient path (the caller's number at the voice webhook, SMS opt-outs),
// so that an erasure finds them by the patient's number and an erased
// patient's opt-out can be kept as its index alone. Without one, those rows
// are matched by the clear number only.
func (s *Store) SetBlindIndexer(ix BlindIndexer) { s.index = ix }

// phoneIndex is the blind index of an E.164 number in org, or "" for no
// number or no indexer.
func phoneIndex(ctx context.Context, ix BlindIndexer, org uuid.UUID, phone string) (string, error) {
	if ix == nil || phone == "" {
		return "", nil
	}
	h, err := ix.BlindIndex(ctx, org.String(), phoneIndexColumn, phone)
	if err != nil {
		return "", fmt.Errorf("phone index: %w", err)
	}
	return h, nil
}

// identityClaims are a turn's claims as blind indexes ("" = not said or
// unknown): caller is the caller's number's (Twilio's From), the others
// what the caller said.
type identityClaims struct {
	caller, dob, nat, ins string
}

// candidate is a live patient that a claim or the call points to.
type candidate struct {
	id                               uuid.UUID
	linked                           bool // already linked to this call
	phoneIdx, dobIdx, natIdx, insIdx *string
}

func same(stored *string, claim string) bool { return claim != "" && stored != nil && *stored == claim }

// agreeing counts the claimed identifiers that equal the patient's stored ones.
func (c candidate) agreeing(cl identityClaims) int {
	n := 0
	for _, ok := range []bool{same(c.natIdx, cl.nat), same(c.insIdx, cl.ins), same(c.dobIdx, cl.dob)} {
		if ok {
			n++
		}
	}
	return n
}

// conflicts reports a claimed identifier that differs from a stored one.
func (c candidate) conflicts(cl identityClaims) bool {
	for _, p := range [][2]any{{c.natIdx, cl.nat}, {c.insIdx, cl.ins}, {c.dobIdx, cl.dob}} {
		stored, claim := p[0].(*string), p[1].(string)
		if claim != "" && stored != nil && *stored != claim {
			return true
		}
	}
	return false
}

// linkDecision is the outcome of choosePatient.
type linkDecision struct {
	id           uuid.UUID // the patient to link; Nil with create or mismatch
	create       bool      // a new patient (keyed by the caller's number when known)
	mismatch     string
	about        uuid.UUID // the patient a mismatch concerns, if one
	callerAgrees bool
	agreeing     int
}

// choosePatient applies the identity rule to the live patients the call
// and its claims point to (linked ones first). Pure, so the rule is tested
// case by case.
func choosePatient(cands []candidate, cl identityClaims) linkDecision {
	var linked, byCaller *candidate
	var strong []*candidate
	for i := range cands {
		c := &cands[i]
		if c.linked && linked == nil {
			linked = c
		}
		if same(c.natIdx, cl.nat) || same(c.insIdx, cl.ins) {
			strong = append(strong, c)
		}
		if same(c.phoneIdx, cl.caller) && byCaller == nil {
			byCaller = c
		}
	}
	refuse := func(reason string, about *candidate) linkDecision {
		d := linkDecision{mismatch: reason}
		if about != nil {
			d.about, d.agreeing = about.id, about.agreeing(cl)
			d.callerAgrees = byCaller != nil && byCaller.id == about.id
		}
		return d
	}
	switch {
	case linked != nil:
		// The call already has its patient: a later turn may complete the
		// record, never swap it for another.
		for _, s := range strong {
			if s.id != linked.id {
				return refuse(MismatchAmbiguous, s)
			}
		}
		if linked.conflicts(cl) {
			return refuse(MismatchConflict, linked)
		}
		return linkDecision{id: linked.id, callerAgrees: byCaller == linked, agreeing: linked.agreeing(cl)}
	case len(strong) > 1:
		return refuse(MismatchAmbiguous, strong[0])
	case len(strong) == 1:
		q := strong[0]
		if q.conflicts(cl) {
			return refuse(MismatchConflict, q)
		}
		callerAgrees := byCaller != nil && byCaller.id == q.id
		if n := q.agreeing(cl); !callerAgrees && n < 2 {
			return refuse(MismatchUnverified, q)
		}
		return linkDecision{id: q.id, callerAgrees: callerAgrees, agreeing: q.agreeing(cl)}
	case byCaller != nil:
		// No identifier names anyone: the caller's number's patient, unless
		// what they say contradicts that record (another person on the
		// same phone).
		if byCaller.conflicts(cl) {
			return refuse(MismatchConflict, byCaller)
		}
		return linkDecision{id: byCaller.id, callerAgrees: true, agreeing: byCaller.agreeing(cl)}
	}
	return linkDecision{create: true}
}

// given lists the fields f carries, as Field* names.
func (f PatientFields) given() []string {
	var out []string
	for _, x := range []struct{ v, name string }{
		{f.Name, FieldName}, {f.Phone, FieldPhone}, {f.Email, FieldEmail},
		{f.DateOfBirth, FieldDateOfBirth}, {f.NationalID, FieldNationalID}, {f.InsuranceID, FieldInsuranceID},
	} {
		if x.v != "" {
			out = append(out, x.name)
		}
	}
	return out
}

// patientNamespace derives the id of a patient created by a call whose
// number is unknown (withheld), so a retried activity finds the row its
// first attempt created instead of making another.
var patientNamespace = uuid.MustParse("6f2c3f0e-3c1a-4f5e-9a57-0c1f6a0e2b11")

// RecordPatient files what a call learned about its caller under the
// identity rule above, and links the call to the patient. audit rows are
// appended with the patient as subject when the call is linked.
//
// Three steps, because the vault opens its own tenant transactions: find
// or create the patient (with the blind indexes computed first), encrypt
// the identifiers for that patient, then lock the row, check again what a
// concurrent call may have filed meanwhile, fill and link.
func (s *Store) RecordPatient(ctx context.Context, v *vault.Vault, r CallRef, f PatientFields, audit ...AuditEntry) (PatientLink, error) {
	if f.empty() {
		return PatientLink{}, errors.New("store: record patient: no fields")
	}
	org := r.OrgID.String()
	var caller string
	err := s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `select caller_phone from app.call_contacts where call_sid = $1 and caller_phone is not null`, r.CallSID).Scan(&caller)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return PatientLink{}, fmt.Errorf("record patient: caller: %w", err)
	}
	var cl identityClaims
	if cl.caller, err = phoneIndex(ctx, v, r.OrgID, caller); err != nil {
		return PatientLink{}, fmt.Errorf("record patient: %w", err)
	}
	spokenIdx, err := phoneIndex(ctx, v, r.OrgID, f.Phone)
	if err != nil {
		return PatientLink{}, fmt.Errorf("record patient: %w", err)
	}
	bidx := map[string]string{}
	for _, c := range f.identity() {
		if c[0] == "" {
			continue
		}
		h, err := v.BlindIndex(ctx, org, tablePatients+"."+c[2], c[0])
		if err != nil {
			return PatientLink{}, fmt.Errorf("record patient: %w", err)
		}
		bidx[c[2]] = h
	}
	cl.dob, cl.nat, cl.ins = bidx["dob_bidx"], bidx["national_id_bidx"], bidx["insurance_id_bidx"]

	var d linkDecision
	err = s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		cands, err := patientCandidates(ctx, tx, r.CallSID, caller, cl)
		if err != nil {
			return err
		}
		d = choosePatient(cands, cl)
		switch {
		case d.mismatch != "":
			return appendMismatch(ctx, tx, r, f, d)
		case !d.create:
			return nil
		case cl.caller != "":
			// The upsert on the org's unique phone index: a concurrent first
			// call from the same number gets the same patient.
			return tx.QueryRow(ctx, `insert into app.patients (org_id, phone, phone_bidx) values ($1, $2, $3)
				on conflict (org_id, phone_bidx) where phone_bidx is not null do update set updated_at = now()
				returning id`, r.OrgID, caller, cl.caller).Scan(&d.id)
		default:
			d.id = uuid.NewSHA1(patientNamespace, []byte(org+"/"+r.CallSID))
			_, err := tx.Exec(ctx, `insert into app.patients (id, org_id) values ($1, $2) on conflict (id) do nothing`, d.id, r.OrgID)
			return err
		}
	})
	if err != nil {
		return PatientLink{}, fmt.Errorf("record patient: find: %w", err)
	}
	if d.mismatch != "" {
		return PatientLink{Mismatch: d.mismatch, Unfiled: f.given()}, nil
	}

	cts := map[string][]byte{}
	for _, c := range f.identity() {
		if c[0] == "" {
			continue
		}
		ct, err := v.Encrypt(ctx, vault.AAD{OrgID: org, Table: tablePatients, RowID: d.id.String(), Column: c[1]}, PatientSubject(d.id), []byte(c[0]))
		if err != nil {
			return PatientLink{}, fmt.Errorf("record patient: %w", err)
		}
		cts[c[1]] = ct
	}

	link := PatientLink{PatientID: d.id}
	err = s.InTenant(ctx, r.claims(), func(tx pgx.Tx) error {
		link = PatientLink{PatientID: d.id}
		if err := ensureCall(ctx, tx, r); err != nil {
			return err
		}
		var cur candidate
		var name, phone, email *string
		var erased bool
		err := tx.QueryRow(ctx, `select id, name, phone, email, phone_bidx, dob_bidx, national_id_bidx, insurance_id_bidx, erased_at is not null
			from app.patients where id = $1 for update`, d.id).
			Scan(&cur.id, &name, &phone, &email, &cur.phoneIdx, &cur.dobIdx, &cur.natIdx, &cur.insIdx, &erased)
		if err != nil {
			return err
		}
		if erased {
			// Erased between the two steps: nothing of this call is filed.
			link = PatientLink{Unfiled: f.given()}
			return nil
		}
		if cur.conflicts(cl) {
			// A concurrent call filed a different identifier first.
			d = linkDecision{mismatch: MismatchConflict, about: d.id, callerAgrees: same(cur.phoneIdx, cl.caller), agreeing: cur.agreeing(cl)}
			link = PatientLink{Mismatch: MismatchConflict, Unfiled: f.given()}
			return appendMismatch(ctx, tx, r, f, d)
		}
		// Identifiers: filled where the patient has none (equal ones are
		// already there; different ones were refused above).
		if _, err := tx.Exec(ctx, `update app.patients set
			  dob_ct = coalesce(dob_ct, $2), national_id_ct = coalesce(national_id_ct, $3), insurance_id_ct = coalesce(insurance_id_ct, $4),
			  dob_bidx = coalesce(dob_bidx, $5), national_id_bidx = coalesce(national_id_bidx, $6), insurance_id_bidx = coalesce(insurance_id_bidx, $7),
			  name = coalesce(name, $8), email = coalesce(email, $9), updated_at = now()
			where id = $1`,
			d.id, cts["dob_ct"], cts["national_id_ct"], cts["insurance_id_ct"],
			nullable(cl.dob), nullable(cl.nat), nullable(cl.ins), nullable(f.Name), nullable(f.Email)); err != nil {
			return err
		}
		if f.Name != "" && name != nil && *name != f.Name {
			link.Unfiled = append(link.Unfiled, FieldName)
		}
		if f.Email != "" && email != nil && *email != f.Email {
			link.Unfiled = append(link.Unfiled, FieldEmail)
		}
		// The phone: the caller's own number before one they said, and only
		// into an empty column, and only if no other patient of the org has
		// it (the unique index decides; a savepoint keeps a refusal local).
		if phone == nil {
			for _, p := range [][2]string{{caller, cl.caller}, {f.Phone, spokenIdx}} {
				if p[0] == "" || p[1] == "" {
					continue
				}
				ok, err := fillPhone(ctx, tx, d.id, p[0], p[1])
				if err != nil {
					return err
				}
				if ok {
					phone = &p[0]
					break
				}
			}
		}
		if phone != nil && cur.phoneIdx == nil && *phone == caller && cl.caller != "" {
			// A row from before phones were indexed: index it now.
			if _, err := indexPhone(ctx, tx, d.id, cl.caller); err != nil {
				return err
			}
		}
		if f.Phone != "" && (phone == nil || *phone != f.Phone) {
			link.Unfiled = append(link.Unfiled, FieldPhone)
		}
		if _, err := tx.Exec(ctx, `insert into app.call_patients (org_id, call_sid, patient_id) values ($1, $2, $3) on conflict do nothing`,
			r.OrgID, r.CallSID, d.id); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Subject = d.id.String()
		}
		return AppendAudit(ctx, tx, r.OrgID, audit...)
	})
	if err != nil {
		return PatientLink{}, fmt.Errorf("record patient: write: %w", err)
	}
	return link, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// patientCandidates reads the live patients the call is linked to, and
// those its claims name: by national or insurance id, or as the owner of
// the caller's number. A date of birth alone names nobody.
func patientCandidates(ctx context.Context, tx pgx.Tx, callSID, caller string, cl identityClaims) ([]candidate, error) {
	rows, err := tx.Query(ctx, `
		select p.id, exists (select from app.call_patients cp where cp.call_sid = $1 and cp.patient_id = p.id) as linked,
		       coalesce(p.phone_bidx, case when p.phone = $5 then $4 end), p.dob_bidx, p.national_id_bidx, p.insurance_id_bidx
		from app.patients p
		where p.erased_at is null and (
		  p.id in (select cp.patient_id from app.call_patients cp where cp.call_sid = $1)
		  or p.national_id_bidx = $2 or p.insurance_id_bidx = $3 or p.phone_bidx = $4
		  -- written before phones had an index (migration 00020)
		  or (p.phone_bidx is null and p.phone = $5))
		order by linked desc, p.created_at, p.id`,
		callSID, nullable(cl.nat), nullable(cl.ins), nullable(cl.caller), nullable(caller))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (candidate, error) {
		var c candidate
		err := r.Scan(&c.id, &c.linked, &c.phoneIdx, &c.dobIdx, &c.natIdx, &c.insIdx)
		return c, err
	})
}

// fillPhone sets an empty phone; false when another patient of the org
// has the number.
func fillPhone(ctx context.Context, tx pgx.Tx, id uuid.UUID, phone, idx string) (bool, error) {
	return updateUnique(ctx, tx, `update app.patients set phone = $2, phone_bidx = $3 where id = $1 and phone is null`, id, phone, idx)
}

// indexPhone sets the blind index of a phone stored without one.
func indexPhone(ctx context.Context, tx pgx.Tx, id uuid.UUID, idx string) (bool, error) {
	return updateUnique(ctx, tx, `update app.patients set phone_bidx = $2 where id = $1 and phone_bidx is null`, id, idx)
}

// updateUnique runs an update that the org's unique phone index may
// refuse, inside a savepoint so a refusal (false) leaves tx usable.
func updateUnique(ctx context.Context, tx pgx.Tx, sql string, args ...any) (bool, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false, err
	}
	tag, err := sp.Exec(ctx, sql, args...)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return false, sp.Rollback(ctx)
	}
	if err != nil {
		_ = sp.Rollback(ctx)
		return false, err
	}
	return tag.RowsAffected() == 1, sp.Commit(ctx)
}

// appendMismatch records a refused identity claim: which fields were
// claimed, why they were refused, and the patient concerned, never a value.
// The patient is the row's subject, so their export shows the attempt.
func appendMismatch(ctx context.Context, tx pgx.Tx, r CallRef, f PatientFields, d linkDecision) error {
	subject := CallSubject(r.CallSID)
	if d.about != uuid.Nil {
		subject = d.about.String()
	}
	return AppendAudit(ctx, tx, r.OrgID, AuditEntry{
		Actor: r.claims().Sub, Action: AuditIdentityMismatch, Subject: subject,
		Detail: map[string]any{"call_sid": r.CallSID, "reason": d.mismatch, "claimed": f.given(),
			"caller_number_agrees": d.callerAgrees, "identifiers_agreeing": d.agreeing, "linked": false},
	})
}
