package vault

import "fmt"

// Wrapped key format, version 1: a key sealed under the key one level up
// (org key under the master key, data key under an org key).
//
//	offset  size  field
//	0       1     format version, 0x01
//	1       1     kind: 0x01 org key, 0x02 data key
//	2       1     n, length of this key's id
//	3       n     this key's id
//	3+n     1     m, length of the wrapping key's id
//	4+n     m     wrapping key's id (master key id, or org key id)
//	4+n+m   12    random nonce
//	16+n+m  ...   AES-256-GCM sealed key material followed by the 16-byte tag
//
// GCM additional data = header || len32(orgID) || orgID || len32(subjectID) || subjectID.
//
// The blob describes itself, so the store's key_id / master_key_id /
// org_key_id columns are indexes for rotation queries, not the source of
// truth, and binding org and subject means a wrapped key copied to another
// org's or patient's row does not unwrap there.
const wrappedV1 byte = 0x01

type keyKind byte

const (
	kindOrgKey  keyKind = 0x01
	kindDataKey keyKind = 0x02
)

type wrapHeader struct {
	kind          keyKind
	keyID         string
	wrappingKeyID string
}

func (h wrapHeader) bytes() []byte {
	b := make([]byte, 0, 4+len(h.keyID)+len(h.wrappingKeyID))
	b = append(b, wrappedV1, byte(h.kind), byte(len(h.keyID)))
	b = append(b, h.keyID...)
	b = append(b, byte(len(h.wrappingKeyID)))
	return append(b, h.wrappingKeyID...)
}

func parseWrapHeader(blob []byte) (wrapHeader, int, error) {
	if len(blob) < 4 {
		return wrapHeader{}, 0, fmt.Errorf("%w: wrapped key of %d bytes", ErrMalformed, len(blob))
	}
	if blob[0] != wrappedV1 {
		return wrapHeader{}, 0, fmt.Errorf("%w: unknown wrapped key version %d", ErrMalformed, blob[0])
	}
	h := wrapHeader{kind: keyKind(blob[1])}
	if h.kind != kindOrgKey && h.kind != kindDataKey {
		return wrapHeader{}, 0, fmt.Errorf("%w: unknown wrapped key kind %d", ErrMalformed, blob[1])
	}
	n := int(blob[2])
	if n == 0 || len(blob) < 3+n+1 {
		return wrapHeader{}, 0, fmt.Errorf("%w: truncated wrapped key", ErrMalformed)
	}
	h.keyID = string(blob[3 : 3+n])
	m := int(blob[3+n])
	headerLen := 4 + n + m
	if m == 0 || len(blob) < headerLen+gcmOverhead {
		return wrapHeader{}, 0, fmt.Errorf("%w: truncated wrapped key", ErrMalformed)
	}
	h.wrappingKeyID = string(blob[4+n : headerLen])
	return h, headerLen, nil
}

func wrapAD(header []byte, orgID, subjectID string) []byte {
	ad := append([]byte(nil), header...)
	ad = appendLP(ad, orgID)
	return appendLP(ad, subjectID)
}

// wrapKey seals material under kek. subjectID is empty for org keys.
func wrapKey(kek Key, kind keyKind, keyID, orgID, subjectID string, material []byte) ([]byte, error) {
	if err := validateKeyID(keyID); err != nil {
		return nil, err
	}
	header := wrapHeader{kind: kind, keyID: keyID, wrappingKeyID: kek.id}.bytes()
	return seal(kek.secret, header, material, wrapAD(header, orgID, subjectID))
}

// unwrapKey opens a wrapped key with kek, which the caller picked by the
// header's wrapping key id. The caller must clear the returned material.
func unwrapKey(kek Key, blob []byte, want keyKind, orgID, subjectID string) (wrapHeader, []byte, error) {
	h, headerLen, err := parseWrapHeader(blob)
	if err != nil {
		return wrapHeader{}, nil, err
	}
	if h.kind != want {
		return wrapHeader{}, nil, fmt.Errorf("%w: wrapped key %s has kind %d, want %d", ErrMalformed, h.keyID, h.kind, want)
	}
	if h.wrappingKeyID != kek.id {
		return wrapHeader{}, nil, fmt.Errorf("%w: key %s is wrapped by %s, not %s", ErrUnknownKey, h.keyID, h.wrappingKeyID, kek.id)
	}
	material, err := open(kek.secret, blob, headerLen, wrapAD(blob[:headerLen], orgID, subjectID))
	if err != nil {
		return wrapHeader{}, nil, fmt.Errorf("unwrap key %s: %w", h.keyID, err)
	}
	return h, material, nil
}
