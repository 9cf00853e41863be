package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// AAD is the associated data a column value is sealed with. Decrypt succeeds
// only with the same four values, so a ciphertext copied into another row,
// column, table or org — by a bug, an SQL injection or a malicious operator —
// fails to decrypt instead of showing one patient's notes on another's
// record. All four fields are required.
type AAD struct {
	OrgID  string
	Table  string
	RowID  string
	Column string
}

// aadDomain separates this encoding from any other use of the same key.
const aadDomain = "frontdesk/vault/aad/v1"

// Canonical returns the unambiguous encoding of the associated data: the
// domain string, then each field as a 4-byte big-endian length followed by
// its bytes. Length prefixes matter: with plain concatenation
// {Table:"ab", RowID:"c"} and {Table:"a", RowID:"bc"} would collide.
func (a AAD) Canonical() []byte {
	b := make([]byte, 0, len(aadDomain)+4*4+len(a.OrgID)+len(a.Table)+len(a.RowID)+len(a.Column))
	b = append(b, aadDomain...)
	for _, f := range [...]string{a.OrgID, a.Table, a.RowID, a.Column} {
		b = appendLP(b, f)
	}
	return b
}

func (a AAD) validate() error {
	if a.OrgID == "" || a.Table == "" || a.RowID == "" || a.Column == "" {
		return fmt.Errorf("%w: OrgID, Table, RowID and Column are all required", ErrInvalidAAD)
	}
	return nil
}

// appendLP appends s with a 4-byte big-endian length prefix.
func appendLP(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// Ciphertext format, version 1. Everything before the nonce is the header;
// the header is also authenticated, so a ciphertext cannot be re-labelled
// with another data key id.
//
//	offset  size  field
//	0       1     format version, 0x01
//	1       1     n, length of the data key id (1..255)
//	2       n     data key id (ASCII; a UUID)
//	2+n     12    random nonce
//	14+n    ...   AES-256-GCM ciphertext followed by the 16-byte tag
//
// GCM additional data = header || AAD.Canonical() || len32(subjectID) || subjectID.
const ciphertextV1 byte = 0x01

// gcmOverhead is nonce plus tag, as added by cipher.NewGCMWithRandomNonce.
const gcmOverhead = 12 + 16

// dataHeader builds the header of a version 1 ciphertext.
func dataHeader(dataKeyID string) []byte {
	h := make([]byte, 0, 2+len(dataKeyID))
	h = append(h, ciphertextV1, byte(len(dataKeyID)))
	return append(h, dataKeyID...)
}

// parseDataHeader returns the data key id and the header length.
func parseDataHeader(ct []byte) (keyID string, headerLen int, err error) {
	if len(ct) < 2 {
		return "", 0, fmt.Errorf("%w: %d bytes", ErrMalformed, len(ct))
	}
	if ct[0] != ciphertextV1 {
		return "", 0, fmt.Errorf("%w: unknown format version %d", ErrMalformed, ct[0])
	}
	n := int(ct[1])
	headerLen = 2 + n
	if n == 0 || len(ct) < headerLen+gcmOverhead {
		return "", 0, fmt.Errorf("%w: truncated", ErrMalformed)
	}
	return string(ct[2:headerLen]), headerLen, nil
}

func dataAD(header []byte, aad AAD, subjectID string) []byte {
	ad := append([]byte(nil), header...)
	ad = append(ad, aad.Canonical()...)
	return appendLP(ad, subjectID)
}

// newAEAD returns AES-256-GCM with random 96-bit nonces that Seal prepends
// and Open reads back. A random nonce is safe for up to 2^32 messages per
// key; data keys are per patient and codec keys rotate with the master key,
// both far below that.
func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: %d-byte key", ErrInvalidKey, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: aes: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("vault: gcm: %w", err)
	}
	return aead, nil
}

// seal returns header || nonce || sealed plaintext, authenticating ad (which
// callers build to start with header).
func seal(key, header, plaintext, ad []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(header), len(header)+len(plaintext)+aead.Overhead())
	copy(out, header)
	return aead.Seal(out, nil, plaintext, ad), nil
}

// open authenticates and decrypts blob[headerLen:] with ad.
func open(key, blob []byte, headerLen int, ad []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	// A non-nil destination makes an empty plaintext come back as []byte{},
	// not nil, so callers can tell an empty value from an absent one.
	dst := make([]byte, 0, max(0, len(blob)-headerLen-aead.Overhead()))
	pt, err := aead.Open(dst, nil, blob[headerLen:], ad)
	if err != nil {
		// The GCM error says nothing useful and nothing secret; replace it
		// with the sentinel callers check.
		return nil, ErrDecrypt
	}
	return pt, nil
}
