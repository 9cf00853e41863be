package vault

import (
	"bytes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Payload metadata written by PayloadCodec. The names follow Temporal's
// encryption samples, so tools that know them (and people reading raw
// histories) recognise an encrypted payload.
const (
	MetadataEncodingEncrypted = "binary/encrypted"
	MetadataEncryptionKeyID   = "encryption-key-id"
	// MetadataOrg names the org whose key sealed a version 2 payload.
	MetadataOrg = "frontdesk-org"
)

// Encrypted payload data:
//
//	offset  size  field
//	0       1     format version, 0x01 or 0x02
//	1       12    random nonce
//	13      ...   AES-256-GCM sealed proto encoding of the original Payload, then the 16-byte tag
//
// Version 1 (deployment scope): sealed under the codec key; GCM additional
// data = 0x01 || len32(keyID) || keyID. Every payload recorded before
// org-scoped payloads is version 1, and payloads whose org is not known
// when they are encoded still are; both still decode.
//
// Version 2 (org scope): sealed under a key derived from the codec key and
// the org (HKDF, info codecOrgKeyInfo || org), the org named in the
// MetadataOrg metadata; additional data = 0x02 || len32(keyID) || keyID ||
// len32(org) || org, so neither the key id nor the org can be swapped. A
// codec for one org (ForOrg, the /codec endpoint of an ops token) derives
// only that org's key and cannot open another org's payloads.
const (
	payloadV1 byte = 0x01
	payloadV2 byte = 0x02
)

const codecKeyInfo = "frontdesk/vault/temporal-payload-codec/v1\x00"

const codecOrgKeyInfo = "frontdesk/vault/temporal-payload-codec/v2/org\x00"

// DeriveCodecKey derives a payload codec key from the master key with HKDF
// (info "temporal-payload-codec" and label), so the codec needs no secret of
// its own. The key id is label@<master key id>: rotating the master key
// therefore yields a new codec key id, and payloads sealed before keep
// naming the key that can open them.
func DeriveCodecKey(master Key, label string) (Key, error) {
	if len(master.secret) != KeySize {
		return Key{}, fmt.Errorf("vault: derive codec key: %w", ErrNoMasterKey)
	}
	id := label + "@" + master.id
	if err := validateKeyID(id); err != nil || label == "" {
		return Key{}, fmt.Errorf("vault: derive codec key: %w: label %q", ErrInvalidKey, label)
	}
	secret, err := hkdf.Key(sha256.New, master.secret, nil, codecKeyInfo+label, KeySize)
	if err != nil {
		return Key{}, fmt.Errorf("vault: derive codec key: %w", err)
	}
	return Key{id: id, secret: secret}, nil
}

// CodecKeyRing holds the key that encodes new payloads and older keys that
// only decode. Temporal keeps histories (and the payloads in them) for the
// namespace retention period and replays them on workers, so a rotated-out
// codec key must stay in the ring at least that long.
type CodecKeyRing struct {
	current string
	aeads   map[string]cipher.AEAD
	secrets map[string][]byte
	// orgAEADs caches the per-org AEADs of version 2 payloads, by key id
	// and org. Orgs are few, so the cache is not bounded.
	orgAEADs sync.Map
}

// NewCodecKeyRing builds a ring from the current key and older ones.
// The AEADs are built once here; they are safe for concurrent use.
func NewCodecKeyRing(current Key, older ...Key) (*CodecKeyRing, error) {
	r := &CodecKeyRing{current: current.id, aeads: make(map[string]cipher.AEAD), secrets: make(map[string][]byte)}
	for _, k := range append([]Key{current}, older...) {
		if err := validateKeyID(k.id); err != nil {
			return nil, fmt.Errorf("vault: codec key ring: %w", err)
		}
		if _, dup := r.aeads[k.id]; dup {
			return nil, fmt.Errorf("vault: codec key ring: %w: duplicate key id %q", ErrInvalidKey, k.id)
		}
		aead, err := newAEAD(k.secret)
		if err != nil {
			return nil, fmt.Errorf("vault: codec key ring: key %s: %w", k.id, err)
		}
		r.aeads[k.id] = aead
		r.secrets[k.id] = bytes.Clone(k.secret)
	}
	return r, nil
}

// orgAEAD returns the AEAD of org's payloads under codec key keyID.
func (r *CodecKeyRing) orgAEAD(keyID, org string) (cipher.AEAD, error) {
	cacheKey := keyID + "\x00" + org
	if a, ok := r.orgAEADs.Load(cacheKey); ok {
		return a.(cipher.AEAD), nil
	}
	secret, ok := r.secrets[keyID]
	if !ok {
		return nil, fmt.Errorf("%w: codec key %q is not in the key ring", ErrUnknownKey, keyID)
	}
	k, err := hkdf.Key(sha256.New, secret, nil, codecOrgKeyInfo+org, KeySize)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(k)
	clear(k)
	if err != nil {
		return nil, err
	}
	a, _ := r.orgAEADs.LoadOrStore(cacheKey, aead)
	return a.(cipher.AEAD), nil
}

// CurrentKeyID returns the id of the key that encodes new payloads.
func (r *CodecKeyRing) CurrentKeyID() string { return r.current }

// PayloadCodec encrypts Temporal payloads with AES-256-GCM. It implements
// converter.PayloadCodec, and refuses to decode a payload it did not
// encrypt: a workflow started, signalled or updated in plain JSON (the
// Temporal CLI, anyone who reaches Temporal's port) fails before workflow
// code sees it.
//
// Payloads are bound to an org whenever the org is known: given by the
// caller (ContextWithOrg, ForOrg), or learned from the org-bound payloads
// already decoded for the same workflow (a worker always decodes a
// workflow's input before it encodes anything for it; an activity decodes
// its input before its result). The codec learns the workflow from the
// SDK's serialization context. A payload of one org arriving for another
// org's workflow is refused.
type PayloadCodec struct {
	ring *CodecKeyRing
	orgs *workflowOrgs
	// Bound by WithSerializationContext, WithContext and ForOrg; the zero
	// values mean unbound.
	workflowID string
	parentID   string // the workflow scheduling a child, for its org
	org        string // the org given by the caller
	only       string // ForOrg: decode this org's payloads and nothing else
}

var (
	_ converter.PayloadCodec                         = (*PayloadCodec)(nil)
	_ converter.PayloadCodecWithSerializationContext = (*PayloadCodec)(nil)
)

// ErrUnencrypted means a payload was not encrypted by this codec: workers
// refuse it, so a workflow started in plain JSON fails at once.
var ErrUnencrypted = errors.New("vault: payload is not encrypted (frontdesk refuses plain payloads)")

// ErrOtherOrg means a payload belongs to another org than the one asked
// for, or than its workflow's.
var ErrOtherOrg = errors.New("vault: payload belongs to another org")

// NewPayloadCodec returns a codec over ring.
func NewPayloadCodec(ring *CodecKeyRing) *PayloadCodec {
	return &PayloadCodec{ring: ring, orgs: newWorkflowOrgs(workflowOrgsLimit)}
}

// WithSerializationContext binds the codec to the workflow the SDK is
// encoding or decoding for.
func (c *PayloadCodec) WithSerializationContext(sc converter.SerializationContext) converter.PayloadCodec {
	b := *c
	switch s := sc.(type) {
	case converter.WorkflowSerializationContext:
		b.workflowID = s.WorkflowID
	case converter.ActivitySerializationContext:
		b.workflowID = s.WorkflowID
	}
	return &b
}

// ForOrg returns a codec that encodes for org and decodes org's payloads
// only: version 1 payloads and other orgs' fail with ErrOtherOrg. It is the
// codec of an ops token's /codec requests.
func (c *PayloadCodec) ForOrg(org string) (*PayloadCodec, error) {
	if err := validateOrg(org); err != nil {
		return nil, err
	}
	b := *c
	b.org, b.only = org, org
	return &b, nil
}

func validateOrg(org string) error {
	if _, err := uuid.Parse(org); err != nil || len(org) != 36 || strings.ToLower(org) != org {
		return fmt.Errorf("vault: payload org %q is not a lower-case uuid", org)
	}
	return nil
}

// encodeOrg is the org a payload encoded now is bound to, or "" for
// deployment scope.
func (c *PayloadCodec) encodeOrg() (string, error) {
	learned := c.orgs.get(c.workflowID)
	switch {
	case c.org != "" && learned != "" && learned != c.org:
		return "", fmt.Errorf("%w: workflow %s is org %s's, not %s's", ErrOtherOrg, c.workflowID, learned, c.org)
	case c.org != "":
		c.orgs.learn(c.workflowID, c.org)
		return c.org, nil
	case learned != "":
		return learned, nil
	}
	if p := c.orgs.get(c.parentID); p != "" {
		// A child workflow's input, scheduled by a workflow of p.
		c.orgs.learn(c.workflowID, p)
		return p, nil
	}
	return "", nil
}

func payloadAD(version byte, keyID, org string) []byte {
	ad := appendLP([]byte{version}, keyID)
	if version == payloadV2 {
		ad = appendLP(ad, org)
	}
	return ad
}

// Encode encrypts each payload with the current key, for the org when it
// is known. A payload that is already encrypted is left alone, so encoding
// twice (e.g. the Web UI posting an encoded payload to /encode) cannot nest
// layers.
func (c *PayloadCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	org, err := c.encodeOrg()
	if err != nil {
		return payloads, fmt.Errorf("vault: encode payload: %w", err)
	}
	keyID := c.ring.current
	version, aead := payloadV1, c.ring.aeads[keyID]
	if org != "" {
		if aead, err = c.ring.orgAEAD(keyID, org); err != nil {
			return payloads, fmt.Errorf("vault: encode payload: %w", err)
		}
		version = payloadV2
	}
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if p == nil || isEncrypted(p) {
			out[i] = p
			continue
		}
		plain, err := proto.Marshal(p)
		if err != nil {
			return payloads, fmt.Errorf("vault: encode payload: %w", err)
		}
		data := make([]byte, 1, 1+len(plain)+aead.Overhead())
		data[0] = version
		data = aead.Seal(data, nil, plain, payloadAD(version, keyID, org))
		clear(plain)
		md := map[string][]byte{
			converter.MetadataEncoding: []byte(MetadataEncodingEncrypted),
			MetadataEncryptionKeyID:    []byte(keyID),
		}
		if org != "" {
			md[MetadataOrg] = []byte(org)
		}
		out[i] = &commonpb.Payload{Metadata: md, Data: data}
	}
	return out, nil
}

// Decode decrypts payloads encrypted by Encode with any key of the ring. It
// refuses unencrypted payloads (ErrUnencrypted), other orgs' payloads where
// the org is bound (ErrOtherOrg), and anything that does not authenticate.
func (c *PayloadCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if p == nil {
			continue
		}
		d, err := c.decodeOne(p)
		if err != nil {
			return payloads, err
		}
		out[i] = d
	}
	return out, nil
}

// PayloadOrg says which org a payload is bound to ("" for deployment scope
// or a payload this codec did not write), without decrypting it.
func PayloadOrg(p *commonpb.Payload) string {
	if !isEncrypted(p) || len(p.GetData()) == 0 || p.GetData()[0] != payloadV2 {
		return ""
	}
	return string(p.GetMetadata()[MetadataOrg])
}

func (c *PayloadCodec) decodeOne(p *commonpb.Payload) (*commonpb.Payload, error) {
	if !isEncrypted(p) {
		return nil, ErrUnencrypted
	}
	keyID := string(p.Metadata[MetadataEncryptionKeyID])
	if _, ok := c.ring.aeads[keyID]; !ok {
		return nil, fmt.Errorf("vault: decode payload: %w: codec key %q is not in the key ring", ErrUnknownKey, keyID)
	}
	if len(p.Data) < 1 {
		return nil, fmt.Errorf("vault: decode payload: %w", ErrMalformed)
	}
	version, org := p.Data[0], ""
	var aead cipher.AEAD
	switch version {
	case payloadV1:
		if c.only != "" {
			return nil, fmt.Errorf("vault: decode payload: %w: a deployment-scope payload is not %s's", ErrOtherOrg, c.only)
		}
		aead = c.ring.aeads[keyID]
	case payloadV2:
		org = string(p.Metadata[MetadataOrg])
		if err := validateOrg(org); err != nil {
			return nil, fmt.Errorf("vault: decode payload: %w: %w", ErrMalformed, err)
		}
		if want := c.boundOrg(); want != "" && want != org {
			return nil, fmt.Errorf("vault: decode payload: %w: %s's payload where %s's is expected", ErrOtherOrg, org, want)
		}
		var err error
		if aead, err = c.ring.orgAEAD(keyID, org); err != nil {
			return nil, fmt.Errorf("vault: decode payload: %w", err)
		}
	default:
		return nil, fmt.Errorf("vault: decode payload: %w: format version %d", ErrMalformed, version)
	}
	if len(p.Data) < 1+aead.Overhead() {
		return nil, fmt.Errorf("vault: decode payload: %w", ErrMalformed)
	}
	plain, err := aead.Open(nil, nil, p.Data[1:], payloadAD(version, keyID, org))
	if err != nil {
		return nil, fmt.Errorf("vault: decode payload with key %s: %w", keyID, ErrDecrypt)
	}
	var decoded commonpb.Payload
	err = proto.Unmarshal(plain, &decoded)
	clear(plain)
	if err != nil {
		return nil, fmt.Errorf("vault: decode payload: %w: %w", ErrMalformed, err)
	}
	if org != "" {
		c.orgs.learn(c.workflowID, org)
	}
	return &decoded, nil
}

// boundOrg is the org a decoded payload must belong to, if any.
func (c *PayloadCodec) boundOrg() string {
	if c.only != "" {
		return c.only
	}
	if c.org != "" {
		return c.org
	}
	return c.orgs.get(c.workflowID)
}

func isEncrypted(p *commonpb.Payload) bool {
	return string(p.GetMetadata()[converter.MetadataEncoding]) == MetadataEncodingEncrypted
}
