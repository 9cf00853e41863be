package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/sealed"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// TurnInput is RecordTurn's input.
type TurnInput struct {
	OrgID    string              `json:"org_id"`
	ClinicID string              `json:"clinic_id"`
	CallSID  string              `json:"call_sid"`
	Seq      int                 `json:"seq"`
	Turn     contract.TurnUpdate `json:"turn"`
}

// RecordTurn opens a sealed turn, routes every field and the free text,
// stores contact data in clear on the patient, identifiers encrypted on the
// patient (with blind indexes), and the text and remaining fields encrypted
// as the call's turn; payment data is dropped. Which patient is the
// caller's identity rule (store.RecordPatient): a spoken identifier links
// the call only when the caller's number or a second identifier agrees, and
// never overwrites stored data; what is not filed on the patient stays in
// the encrypted turn, and its audit row says why (not_filed). Each decision goes to the
// audit log (field, class, entity types and counts). It answers the text
// the LLM may see (pii.RedactForLLM), sealed for the call.
//
// Retries are safe: the patient write is an upsert, and the turn with its
// audit rows is written once per (call, seq).
func (a *Activities) RecordTurn(ctx context.Context, in TurnInput) (contract.TurnResult, error) {
	if a.Vault == nil || a.PII == nil {
		return contract.TurnResult{}, errors.New("record turn: the worker has no vault or detector configured")
	}
	org, err := uuid.Parse(in.OrgID)
	if err != nil {
		return contract.TurnResult{}, invalidTurn("bad org id", err)
	}
	clinic, err := uuid.Parse(in.ClinicID)
	if err != nil {
		return contract.TurnResult{}, invalidTurn("bad clinic id", err)
	}
	s := in.Turn.Sealed
	if s.OrgID != in.OrgID || s.CallSID != in.CallSID || s.Purpose != contract.PurposeTurnRequest {
		return contract.TurnResult{}, invalidTurn("sealed turn belongs to another call or purpose", nil)
	}
	plain, err := sealed.Open(ctx, a.Vault, s)
	if errors.Is(err, vault.ErrKeyDestroyed) {
		return contract.TurnResult{}, temporal.NewNonRetryableApplicationError("record turn: the call's data was erased", contract.ErrTypeCallErased, nil)
	}
	if errors.Is(err, vault.ErrDecrypt) || errors.Is(err, vault.ErrMalformed) {
		return contract.TurnResult{}, invalidTurn("sealed turn does not open", nil)
	}
	if err != nil {
		return contract.TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	var req contract.TurnRequest
	err = json.Unmarshal(plain, &req)
	clear(plain)
	if err != nil {
		return contract.TurnResult{}, invalidTurn("sealed turn is not a turn", nil)
	}
	if err := req.Validate(); err != nil {
		return contract.TurnResult{}, invalidTurn(err.Error(), nil)
	}

	ref := store.CallRef{OrgID: org, ClinicID: clinic, CallSID: in.CallSID}
	r := route(a.PII, req)
	actor := store.CallClaims(org, in.CallSID).Sub
	if r.patient != (store.PatientFields{}) {
		link, err := a.Store.RecordPatient(ctx, a.Vault, ref, r.patient)
		if err != nil {
			return contract.TurnResult{}, fmt.Errorf("record turn: %w", err)
		}
		r.unfile(a.PII, link)
	}
	audit := make([]store.AuditEntry, 0, len(r.decisions))
	for _, d := range r.decisions {
		detail := map[string]any{"seq": in.Seq, "field": d.field, "class": string(d.Class), "field_class": string(d.FieldClass),
			"entities": nonNil(d.Entities), "stored": d.stored}
		if d.onPatient && r.patientID != "" {
			detail["patient_id"] = r.patientID
		}
		if d.notFiled != "" {
			detail["not_filed"] = d.notFiled
		}
		audit = append(audit, store.AuditEntry{Actor: actor, Action: store.AuditRoute, Subject: contract.CallSubject(in.CallSID), Detail: detail})
	}
	_, err = a.Store.SaveTurn(ctx, a.Vault, ref, store.Turn{
		Seq: in.Seq, Speaker: req.Speaker, AtMS: req.AtMS, Class: string(r.class), Entities: r.entities, Body: r.body,
	}, audit...)
	if err != nil {
		return contract.TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	answer, err := sealed.Seal(ctx, a.Vault, in.OrgID, in.CallSID, contract.PurposeTurnResponse, []byte(a.PII.RedactForLLM(req.Text)))
	if err != nil {
		return contract.TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	activity.GetLogger(ctx).Info("turn recorded", "call_sid", in.CallSID, "seq", in.Seq, "class", string(r.class), "fields", len(req.Fields))
	return contract.TurnResult{Seq: in.Seq, Class: string(r.class), Entities: r.entities, Answer: answer}, nil
}

func invalidTurn(msg string, cause error) error {
	return temporal.NewNonRetryableApplicationError("record turn: "+msg, contract.ErrTypeInvalidRequest, cause)
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// Where a routed value went, as the audit log records it.
const (
	storedClear     = "clear"           // contact, on the patient
	storedEncrypted = "encrypted"       // in the turn's ciphertext
	storedIndexed   = "encrypted+index" // identity, on the patient
	storedDropped   = "dropped"         // payment: never stored
)

type decision struct {
	pii.Decision
	field     string
	stored    string
	onPatient bool
	// patientField is the store.Field* the value filled, and value the
	// normalised text, kept in memory only to move the value into the
	// encrypted turn when RecordPatient does not file it.
	patientField string
	value        string
	// notFiled says why a value meant for the patient stayed in the turn:
	// a store.Mismatch* reason, or notFiledDiffers.
	notFiled string
}

// notFiledDiffers: the patient has another value for the field, which an
// identity claim never overwrites.
const notFiledDiffers = "differs_from_stored"

// unfile moves the values RecordPatient did not file on the patient into
// the encrypted turn, and notes why in their decisions.
func (r *routed) unfile(d *pii.Detector, link store.PatientLink) {
	if link.Linked() {
		r.patientID = link.PatientID.String()
	}
	for i := range r.decisions {
		dec := &r.decisions[i]
		if !dec.onPatient || !slices.Contains(link.Unfiled, dec.patientField) {
			continue
		}
		dec.onPatient, dec.stored = false, storedEncrypted
		dec.notFiled = link.Mismatch
		if dec.notFiled == "" {
			dec.notFiled = notFiledDiffers
		}
		if r.body.Fields == nil {
			r.body.Fields = map[string]string{}
		}
		r.body.Fields[dec.field] = maskPayment(d, dec.value)
	}
}

type routed struct {
	class     pii.Class
	entities  map[string]int
	patient   store.PatientFields
	patientID string
	body      store.TurnBody
	decisions []decision
}

// route classifies every field and the text of a turn. A field's class
// comes from its name first (pii.ClassifyField) and detection may only
// raise it; a contact or identity value that does not normalise (a phone
// number that is not one, a free-text "date of birth") is stored with the
// medical data instead of in a clear column: fail closed.
func route(d *pii.Detector, req contract.TurnRequest) routed {
	r := routed{class: pii.ClassOperational, entities: map[string]int{}, body: store.TurnBody{Fields: map[string]string{}}}
	add := func(dec decision) {
		r.class = r.class.Raise(dec.Class)
		for t, n := range dec.Entities {
			r.entities[t] += n
		}
		r.decisions = append(r.decisions, dec)
	}
	for _, field := range slices.Sorted(maps.Keys(req.Fields)) {
		value := strings.TrimSpace(req.Fields[field])
		dec := decision{Decision: d.Route(field, value), field: field}
		switch dec.Class {
		case pii.ClassPayment:
			dec.stored = storedDropped
		case pii.ClassContact:
			if dec.patientField = setContact(&r.patient, field, value); dec.patientField != "" {
				dec.stored, dec.onPatient, dec.value = storedClear, true, value
			}
		case pii.ClassIdentity:
			if dec.patientField = setIdentity(&r.patient, field, value); dec.patientField != "" {
				dec.stored, dec.onPatient, dec.value = storedIndexed, true, value
			}
		}
		if dec.stored == "" {
			// Medical, operational, or a contact/identity value that did
			// not normalise: kept only inside the encrypted turn, with
			// payment numbers masked.
			dec.stored = storedEncrypted
			r.body.Fields[field] = maskPayment(d, value)
		}
		add(dec)
	}
	if strings.TrimSpace(req.Text) != "" {
		// Free text is medical whatever it holds (the "transcript" field's
		// floor); detection can still raise it to payment, which masks the
		// numbers rather than dropping the turn.
		dec := decision{Decision: d.Route("transcript", req.Text), field: "text", stored: storedEncrypted}
		r.body.Text = maskPayment(d, req.Text)
		add(dec)
	}
	if len(r.body.Fields) == 0 {
		r.body.Fields = nil
	}
	return r
}

// maskPayment replaces card and bank numbers, which are never stored, by
// their type.
func maskPayment(d *pii.Detector, text string) string {
	ents := d.Detect(text)
	runes := []rune(text)
	var b strings.Builder
	pos := 0
	for _, e := range ents {
		if pii.CategoryOf(e.Type) != pii.CategoryFinancial || e.Start < pos {
			continue
		}
		b.WriteString(string(runes[pos:e.Start]))
		b.WriteString("[" + e.Type + "]")
		pos = e.End
	}
	if pos == 0 {
		return text
	}
	b.WriteString(string(runes[pos:]))
	return b.String()
}
