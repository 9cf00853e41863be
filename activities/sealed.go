package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/vault"
)

// Purposes of a Sealed envelope: which half of which exchange it is, part of
// what the ciphertext is bound to.
const (
	PurposeTurnRequest  = "turn.request"
	PurposeTurnResponse = "turn.response"
)

// sealedTable is the AAD table of envelopes that travel through Temporal.
const sealedTable = "temporal.CallSession"

// Sealed is personal data on its way through Temporal: a vault ciphertext
// under the data key of the call (store.CallSubject), with the ids it is
// bound to in clear beside it. Those ids are not personal data (org uuid,
// Twilio CallSid); they let the worker, the starter and the codec endpoint
// open it without guessing, and make a ciphertext moved to another call or
// purpose fail to open.
//
// Why not rely on the payload codec alone: its key is one per deployment,
// so it cannot forget one patient. The call key can: erasing the patient
// destroys it, and every history that carries this envelope becomes
// unreadable at once, without rewriting histories Temporal will not let us
// rewrite.
type Sealed struct {
	OrgID      string `json:"org_id"`
	CallSID    string `json:"call_sid"`
	Purpose    string `json:"purpose"`
	Ciphertext []byte `json:"ciphertext"`
}

// AAD is what the ciphertext is bound to.
func (s Sealed) AAD() vault.AAD {
	return vault.AAD{OrgID: s.OrgID, Table: sealedTable, RowID: s.CallSID, Column: s.Purpose}
}

// IsZero reports an empty envelope.
func (s Sealed) IsZero() bool { return len(s.Ciphertext) == 0 }

// Seal encrypts plaintext for one call and purpose.
func Seal(ctx context.Context, v *vault.Vault, orgID, callSID, purpose string, plaintext []byte) (Sealed, error) {
	if v == nil {
		return Sealed{}, errors.New("seal: no vault configured")
	}
	s := Sealed{OrgID: orgID, CallSID: callSID, Purpose: purpose}
	ct, err := v.Encrypt(ctx, s.AAD(), store.CallSubject(callSID), plaintext)
	if err != nil {
		return Sealed{}, fmt.Errorf("seal %s: %w", purpose, err)
	}
	s.Ciphertext = ct
	return s, nil
}

// Open decrypts the envelope. It fails with vault.ErrKeyDestroyed once the
// call's patient has been erased.
func (s Sealed) Open(ctx context.Context, v *vault.Vault) ([]byte, error) {
	if v == nil {
		return nil, errors.New("open sealed: no vault configured")
	}
	pt, err := v.Decrypt(ctx, s.AAD(), store.CallSubject(s.CallSID), s.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.Purpose, err)
	}
	return pt, nil
}
