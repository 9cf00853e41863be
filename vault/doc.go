// Package vault owns frontdesk's application-level cryptography: envelope
// encryption of personal data with per-org and per-patient keys, the key ring
// and its rotation, crypto-shredding (erasure by destroying a patient's data
// key), HMAC blind indexes for equality lookups on encrypted identifiers, and
// the Temporal payload codec together with its authenticated codec-server
// endpoint for the Web UI.
//
// # Key hierarchy
//
//	master key (32 bytes, FRONTDESK_MASTER_KEY; never stored)
//	  └─ wraps org keys (one or more versions per org, app.org_keys)
//	       └─ wraps data keys (one per org and subject, app.data_keys)
//	            └─ encrypts column values (AES-256-GCM, bound to org/table/row/column)
//
// The master key also derives, through HKDF, the keys of the Temporal payload
// codec, so a deployment has exactly one secret to provision.
//
// Every wrapped key records the id of the key that wrapped it, and every
// ciphertext records the id of the data key that sealed it. That is what lets
// rotation re-wrap keys without touching data: old ciphertexts keep naming a
// data key that still exists, only wrapped differently. Destroying a data key
// is the only way to make data unreadable, and it is final.
//
// Why envelope encryption in Go rather than in Postgres: pgcrypto would send
// keys to the database in SQL text, and a leaked dump of encrypted columns is
// then useless without the master key, which never reaches the database.
package vault
