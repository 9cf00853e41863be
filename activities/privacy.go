package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/pii"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// Limits of one turn. The workflow's validator bounds the sealed size from
// them; the starter and this activity check the clear request.
const (
	MaxTurnTextBytes  = 8 << 10
	MaxTurnFields     = 32
	MaxTurnFieldBytes = 512
	// MaxSealedTurnBytes bounds the ciphertext the workflow accepts: the
	// clear request's JSON (text, fields, escaping) plus the envelope.
	MaxSealedTurnBytes = 4*(MaxTurnTextBytes+MaxTurnFields*(MaxTurnFieldBytes+64)) + 256
)

// Speakers of a turn.
const (
	SpeakerCaller = "caller"
	SpeakerAgent  = "agent"
)

// ErrTypeCallErased: the call's data key was destroyed by an erasure; the
// turn can never be opened again.
const ErrTypeCallErased = "CallErased"

// TurnRequest is one transcript turn as the voice agent has it, in clear.
// It never enters Temporal like this: the starter seals it (TurnUpdate).
type TurnRequest struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	// Fields are the agent's tool-call fields of this turn: caller_name,
	// callback_number, date_of_birth, reason_for_visit, ...
	Fields map[string]string `json:"fields,omitempty"`
	AtMS   int64             `json:"at_ms"`
}

// Validate rejects empty and oversized turns. Its messages name limits,
// never content.
func (r TurnRequest) Validate() error {
	if r.Speaker != SpeakerCaller && r.Speaker != SpeakerAgent {
		return errors.New("speaker must be caller or agent")
	}
	if strings.TrimSpace(r.Text) == "" && len(r.Fields) == 0 {
		return errors.New("turn has neither text nor fields")
	}
	if len(r.Text) > MaxTurnTextBytes || !utf8.ValidString(r.Text) {
		return fmt.Errorf("text must be valid UTF-8 of at most %d bytes", MaxTurnTextBytes)
	}
	if len(r.Fields) > MaxTurnFields {
		return fmt.Errorf("at most %d fields", MaxTurnFields)
	}
	for k, v := range r.Fields {
		if k == "" || len(k) > 64 || len(v) > MaxTurnFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("field names of 1-64 bytes and values of at most %d bytes, valid UTF-8", MaxTurnFieldBytes)
		}
	}
	if r.AtMS < 0 {
		return errors.New("at_ms must not be negative")
	}
	return nil
}

// TurnUpdate is the `turn` Update's argument as it is recorded in the call's
// history: the speaker and time in clear, everything said sealed under the
// call's data key.
type TurnUpdate struct {
	Speaker string `json:"speaker"`
	AtMS    int64  `json:"at_ms"`
	Sealed  Sealed `json:"sealed"`
}

// TurnInput is RecordTurn's input.
type TurnInput struct {
	OrgID    string     `json:"org_id"`
	ClinicID string     `json:"clinic_id"`
	CallSID  string     `json:"call_sid"`
	Seq      int        `json:"seq"`
	Turn     TurnUpdate `json:"turn"`
}

// TurnResult answers the `turn` Update: what was found (class, entity
// counts; no values) and what the agent may see, sealed for the call.
type TurnResult struct {
	Seq      int            `json:"seq"`
	Class    string         `json:"class"`
	Entities map[string]int `json:"entities,omitempty"`
	Answer   Sealed         `json:"answer"`
}

// RecordTurn opens a sealed turn, routes every field and the free text,
// stores contact data in clear on the patient, identifiers encrypted on the
// patient (with blind indexes), and the text and remaining fields encrypted
// as the call's turn; payment data is dropped. Each decision goes to the
// audit log (field, class, entity types and counts). It answers the text
// the LLM may see (pii.RedactForLLM), sealed for the call.
//
// Retries are safe: the patient write is an upsert, and the turn with its
// audit rows is written once per (call, seq).
func (a *Activities) RecordTurn(ctx context.Context, in TurnInput) (TurnResult, error) {
	if a.Vault == nil || a.PII == nil {
		return TurnResult{}, errors.New("record turn: the worker has no vault or detector configured")
	}
	org, err := uuid.Parse(in.OrgID)
	if err != nil {
		return TurnResult{}, invalidTurn("bad org id", err)
	}
	clinic, err := uuid.Parse(in.ClinicID)
	if err != nil {
		return TurnResult{}, invalidTurn("bad clinic id", err)
	}
	s := in.Turn.Sealed
	if s.OrgID != in.OrgID || s.CallSID != in.CallSID || s.Purpose != PurposeTurnRequest {
		return TurnResult{}, invalidTurn("sealed turn belongs to another call or purpose", nil)
	}
	plain, err := s.Open(ctx, a.Vault)
	if errors.Is(err, vault.ErrKeyDestroyed) {
		return TurnResult{}, temporal.NewNonRetryableApplicationError("record turn: the call's data was erased", ErrTypeCallErased, nil)
	}
	if errors.Is(err, vault.ErrDecrypt) || errors.Is(err, vault.ErrMalformed) {
		return TurnResult{}, invalidTurn("sealed turn does not open", nil)
	}
	if err != nil {
		return TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	var req TurnRequest
	err = json.Unmarshal(plain, &req)
	clear(plain)
	if err != nil {
		return TurnResult{}, invalidTurn("sealed turn is not a turn", nil)
	}
	if err := req.Validate(); err != nil {
		return TurnResult{}, invalidTurn(err.Error(), nil)
	}

	ref := store.CallRef{OrgID: org, ClinicID: clinic, CallSID: in.CallSID}
	r := route(a.PII, req)
	actor := store.CallClaims(org, in.CallSID).Sub
	if r.patient != (store.PatientFields{}) {
		id, err := a.Store.RecordPatient(ctx, a.Vault, ref, r.patient)
		if err != nil {
			return TurnResult{}, fmt.Errorf("record turn: %w", err)
		}
		r.patientID = id.String()
	}
	audit := make([]store.AuditEntry, 0, len(r.decisions))
	for _, d := range r.decisions {
		detail := map[string]any{"seq": in.Seq, "field": d.field, "class": string(d.Class), "field_class": string(d.FieldClass),
			"entities": nonNil(d.Entities), "stored": d.stored}
		if d.onPatient && r.patientID != "" {
			detail["patient_id"] = r.patientID
		}
		audit = append(audit, store.AuditEntry{Actor: actor, Action: store.AuditRoute, Subject: store.CallSubject(in.CallSID), Detail: detail})
	}
	_, err = a.Store.SaveTurn(ctx, a.Vault, ref, store.Turn{
		Seq: in.Seq, Speaker: req.Speaker, AtMS: req.AtMS, Class: string(r.class), Entities: r.entities, Body: r.body,
	}, audit...)
	if err != nil {
		return TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	answer, err := Seal(ctx, a.Vault, in.OrgID, in.CallSID, PurposeTurnResponse, []byte(a.PII.RedactForLLM(req.Text)))
	if err != nil {
		return TurnResult{}, fmt.Errorf("record turn: %w", err)
	}
	activity.GetLogger(ctx).Info("turn recorded", "call_sid", in.CallSID, "seq", in.Seq, "class", string(r.class), "fields", len(req.Fields))
	return TurnResult{Seq: in.Seq, Class: string(r.class), Entities: r.entities, Answer: answer}, nil
}

func invalidTurn(msg string, cause error) error {
	return temporal.NewNonRetryableApplicationError("record turn: "+msg, ErrTypeInvalidRequest, cause)
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
func route(d *pii.Detector, req TurnRequest) routed {
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
			if setContact(&r.patient, field, value) {
				dec.stored, dec.onPatient = storedClear, true
			}
		case pii.ClassIdentity:
			if setIdentity(&r.patient, field, value) {
				dec.stored, dec.onPatient = storedIndexed, true
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
