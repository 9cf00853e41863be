// Package sealed seals personal data for its trip through Temporal under
// the call's own data key, and opens it again (see contract.Sealed for
// why the payload codec alone is not enough).
package sealed

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/vault"
)

// AAD is what an envelope's ciphertext is bound to.
func AAD(s contract.Sealed) vault.AAD {
	return vault.AAD{OrgID: s.OrgID, Table: contract.SealedTable, RowID: s.CallSID, Column: s.Purpose}
}

// Seal encrypts plaintext for one call and purpose.
func Seal(ctx context.Context, v *vault.Vault, orgID, callSID, purpose string, plaintext []byte) (contract.Sealed, error) {
	if v == nil {
		return contract.Sealed{}, errors.New("seal: no vault configured")
	}
	s := contract.Sealed{OrgID: orgID, CallSID: callSID, Purpose: purpose}
	ct, err := v.Encrypt(ctx, AAD(s), contract.CallSubject(callSID), plaintext)
	if err != nil {
		return contract.Sealed{}, fmt.Errorf("seal %s: %w", purpose, err)
	}
	s.Ciphertext = ct
	return s, nil
}

// Open decrypts the envelope. It fails with vault.ErrKeyDestroyed once the
// call's patient has been erased.
func Open(ctx context.Context, v *vault.Vault, s contract.Sealed) ([]byte, error) {
	if v == nil {
		return nil, errors.New("open sealed: no vault configured")
	}
	pt, err := v.Decrypt(ctx, AAD(s), contract.CallSubject(s.CallSID), s.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.Purpose, err)
	}
	return pt, nil
}
