package starter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/activities"
	"github.com/frontdesk/frontdesk/vault"
	"github.com/frontdesk/frontdesk/workflows"
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

// Turn sends one turn of the call and waits for the answer.
func (t Turns) Turn(ctx context.Context, orgID, callSID string, req workflows.TurnRequest) (TurnAnswer, error) {
	if err := req.Validate(); err != nil {
		return TurnAnswer{}, fmt.Errorf("%s: %w: %s", workflows.UpdateTurn, ErrUpdateRejected, err.Error())
	}
	plain, err := json.Marshal(req)
	if err != nil {
		return TurnAnswer{}, err
	}
	sealed, err := activities.Seal(ctx, t.Vault, orgID, callSID, activities.PurposeTurnRequest, plain)
	clear(plain)
	if err != nil {
		return TurnAnswer{}, err
	}
	var res workflows.TurnResult
	err = t.Calls.update(ctx, callSID, workflows.UpdateTurn, workflows.TurnUpdate{Speaker: req.Speaker, AtMS: req.AtMS, Sealed: sealed}, &res)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeCallErased {
		return TurnAnswer{}, fmt.Errorf("%s: %w", workflows.UpdateTurn, ErrCallErased)
	}
	if err != nil {
		return TurnAnswer{}, err
	}
	if res.Answer.OrgID != orgID || res.Answer.CallSID != callSID || res.Answer.Purpose != activities.PurposeTurnResponse {
		return TurnAnswer{}, fmt.Errorf("%s: answer sealed for another call", workflows.UpdateTurn)
	}
	text, err := res.Answer.Open(ctx, t.Vault)
	if err != nil {
		return TurnAnswer{}, err
	}
	return TurnAnswer{Seq: res.Seq, Class: res.Class, Entities: res.Entities, Text: string(text)}, nil
}
