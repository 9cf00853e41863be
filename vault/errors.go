package vault

import "errors"

// Sentinel errors. They are wrapped with %w, so callers test them with
// errors.Is. No error produced by this package contains key material or
// plaintext; key ids, org ids and subject ids may appear because they are
// identifiers, not secrets.
var (
	// ErrKeyDestroyed means the data key that sealed a ciphertext does not
	// exist for the org and subject it is opened with. Normally the subject
	// was shredded, and the data is permanently unreadable: the intended
	// outcome of an erasure, not a fault to retry. (A ciphertext opened under
	// another org or subject than its own gets this error too, since its key
	// is not found there.)
	ErrKeyDestroyed = errors.New("vault: data key destroyed")

	// ErrShredded is an alias of ErrKeyDestroyed for callers that think in
	// terms of the erasure rather than the key.
	ErrShredded = ErrKeyDestroyed

	// ErrDecrypt means authentication failed: the ciphertext was tampered
	// with, or it is being opened with associated data (org, table, row,
	// column, subject) other than the data it was sealed with.
	ErrDecrypt = errors.New("vault: message authentication failed")

	// ErrMalformed means a ciphertext or wrapped key is truncated or has an
	// unknown format version.
	ErrMalformed = errors.New("vault: malformed ciphertext")

	// ErrUnknownKey means a blob names a wrapping key (master, org or codec
	// key) that this process does not hold, e.g. a master key that was
	// rotated out of FRONTDESK_MASTER_KEY_PREVIOUS too early.
	ErrUnknownKey = errors.New("vault: unknown key id")

	// ErrInvalidKey means key material or a key id is unusable.
	ErrInvalidKey = errors.New("vault: invalid key")

	// ErrNoMasterKey means no master key is configured.
	ErrNoMasterKey = errors.New("vault: no master key configured")

	// ErrInvalidAAD means associated data is incomplete.
	ErrInvalidAAD = errors.New("vault: invalid associated data")

	// ErrKeyNotFound is returned by a KeyStore when a key row does not
	// exist, or when a conditional rewrap finds the row changed.
	ErrKeyNotFound = errors.New("vault: key not found")

	// ErrKeyExists is returned by a KeyStore when an insert conflicts with
	// an existing row; the vault then re-reads the winner's key.
	ErrKeyExists = errors.New("vault: key already exists")
)
