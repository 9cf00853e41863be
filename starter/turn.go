package starter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/sealed"
	"github.com/frontdesk/frontdesk/vault"
)

// ErrCallErased means the call's data key was destroyed by an erasure.
var ErrCallErased = errors.New("call data erased")

// Turns sends transcript turns to calls. It seals each turn under the
// call's data key before it enters Temporal and opens the answer after, so
// the call's history holds only ciphertext that erasing the patient makes
// unreadable (see workflows/turn.go).
type Turns struct {
	Calls Calls
	Vault *vault.Vault
}

// TurnAnswer is the `turn` Update's answer, opened: what was found (class,
// entity counts) and the text the agent may see.
type TurnAnswer struct {
	Seq      int            `json:"seq"`
	Class    string         `json:"class"`
	Entities map[string]int `json:"entities,omitempty"`
	Text     string         `json:"text"`
}

// Turn sends one turn of the call and waits for the answer. turnID is the
// Update ID (the voice session's turn counter): a retry after a timeout is
// the same turn, not a second one. timings may be nil.
func (t Turns) Turn(ctx context.Context, orgID, callSID, turnID string, req contract.TurnRequest, timings *contract.TurnTimings) (TurnAnswer, error) {
	if err := req.Validate(); err != nil {
		return TurnAnswer{}, fmt.Errorf("%s: %w: %s", contract.UpdateTurn, ErrUpdateRejected, err.Error())
	}
	plain, err := json.Marshal(req)
	if err != nil {
		return TurnAnswer{}, err
	}
	env, err := sealed.Seal(ctx, t.Vault, orgID, callSID, contract.PurposeTurnRequest, plain)
	clear(plain)
	if err != nil {
		return TurnAnswer{}, err
	}
	var res contract.TurnResult
	// The update's payloads are bound to the call's org (payload codec).
	err = t.Calls.update(vault.ContextWithOrg(ctx, orgID), callSID, turnID, contract.UpdateTurn, contract.TurnUpdate{Speaker: req.Speaker, AtMS: req.AtMS, Timings: timings, Sealed: env}, &res)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeCallErased {
		return TurnAnswer{}, fmt.Errorf("%s: %w", contract.UpdateTurn, ErrCallErased)
	}
	if err != nil {
		return TurnAnswer{}, err
	}
	if res.Answer.OrgID != orgID || res.Answer.CallSID != callSID || res.Answer.Purpose != contract.PurposeTurnResponse {
		return TurnAnswer{}, fmt.Errorf("%s: answer sealed for another call", contract.UpdateTurn)
	}
	text, err := sealed.Open(ctx, t.Vault, res.Answer)
	if err != nil {
		return TurnAnswer{}, err
	}
	return TurnAnswer{Seq: res.Seq, Class: res.Class, Entities: res.Entities, Text: string(text)}, nil
}
