package vault

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
)

// Payload metadata written by PayloadCodec. The names follow Temporal's
// encryption samples, so tools that know them (and people reading raw
// histories) recognise an encrypted payload.
const (
	MetadataEncodingEncrypted = "binary/encrypted"
	MetadataEncryptionKeyID   = "encryption-key-id"
)

// Encrypted payload data, version 1:
//
//	offset  size  field
//	0       1     format version, 0x01
//	1       12    random nonce
//	13      ...   AES-256-GCM sealed proto encoding of the original Payload, then the 16-byte tag
//
// GCM additional data = version || len32(keyID) || keyID, so the key id in
// the metadata cannot be swapped without detection.
const payloadV1 byte = 0x01

const codecKeyInfo = "frontdesk/vault/temporal-payload-codec/v1\x00"

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
}

// NewCodecKeyRing builds a ring from the current key and older ones.
// The AEADs are built once here; they are safe for concurrent use.
func NewCodecKeyRing(current Key, older ...Key) (*CodecKeyRing, error) {
	r := &CodecKeyRing{current: current.id, aeads: make(map[string]cipher.AEAD)}
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
	}
	return r, nil
}

// CurrentKeyID returns the id of the key that encodes new payloads.
func (r *CodecKeyRing) CurrentKeyID() string { return r.current }

// PayloadCodec encrypts Temporal payloads with AES-256-GCM. It implements
// converter.PayloadCodec.
type PayloadCodec struct {
	ring *CodecKeyRing
}

var _ converter.PayloadCodec = (*PayloadCodec)(nil)

// NewPayloadCodec returns a codec over ring.
func NewPayloadCodec(ring *CodecKeyRing) *PayloadCodec { return &PayloadCodec{ring: ring} }

func payloadAD(keyID string) []byte {
	return appendLP([]byte{payloadV1}, keyID)
}

// Encode encrypts each payload with the current key. A payload that is
// already encrypted is left alone, so encoding twice (e.g. the Web UI
// posting an encoded payload to /encode) cannot nest layers.
func (c *PayloadCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	keyID := c.ring.current
	aead := c.ring.aeads[keyID]
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
		data[0] = payloadV1
		data = aead.Seal(data, nil, plain, payloadAD(keyID))
		clear(plain)
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(MetadataEncodingEncrypted),
				MetadataEncryptionKeyID:    []byte(keyID),
			},
			Data: data,
		}
	}
	return out, nil
}

// Decode decrypts payloads encrypted by Encode with any key of the ring and
// passes every other payload through unchanged.
func (c *PayloadCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if p == nil || !isEncrypted(p) {
			out[i] = p
			continue
		}
		keyID := string(p.Metadata[MetadataEncryptionKeyID])
		aead, ok := c.ring.aeads[keyID]
		if !ok {
			return payloads, fmt.Errorf("vault: decode payload: %w: codec key %q is not in the key ring", ErrUnknownKey, keyID)
		}
		if len(p.Data) < 1+aead.Overhead() || p.Data[0] != payloadV1 {
			return payloads, fmt.Errorf("vault: decode payload: %w", ErrMalformed)
		}
		plain, err := aead.Open(nil, nil, p.Data[1:], payloadAD(keyID))
		if err != nil {
			return payloads, fmt.Errorf("vault: decode payload with key %s: %w", keyID, ErrDecrypt)
		}
		var decoded commonpb.Payload
		err = proto.Unmarshal(plain, &decoded)
		clear(plain)
		if err != nil {
			return payloads, fmt.Errorf("vault: decode payload: %w: %w", ErrMalformed, err)
		}
		out[i] = &decoded
	}
	return out, nil
}

func isEncrypted(p *commonpb.Payload) bool {
	return string(p.GetMetadata()[converter.MetadataEncoding]) == MetadataEncodingEncrypted
}

// NewDataConverter wraps Temporal's default data converter with codec, for
// clients, workers and replayers alike: all three must agree or histories
// cannot be read back.
func NewDataConverter(codec converter.PayloadCodec) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), codec)
}

// NewFailureConverter encodes failure messages and stack traces through dc.
// Without it they stay in clear in the history, and an error message such as
// "no slot for <patient name>" would leak what the payload codec protects.
func NewFailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
}
