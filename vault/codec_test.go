package vault

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
)

type turnInput struct {
	CallSID string
	Text    string
}

func testCodec(t *testing.T, current Key, older ...Key) *PayloadCodec {
	t.Helper()
	ring, err := NewCodecKeyRing(current, older...)
	require.NoError(t, err)
	return NewPayloadCodec(ring)
}

func deriveCodecKey(t *testing.T, master Key, label string) Key {
	t.Helper()
	k, err := DeriveCodecKey(master, label)
	require.NoError(t, err)
	return k
}

func TestDeriveCodecKey(t *testing.T) {
	m1, m2 := GenerateMasterKey(), GenerateMasterKey()
	a := deriveCodecKey(t, m1, "codec")
	assert.Equal(t, "codec@"+m1.ID(), a.ID())
	assert.Equal(t, a.secret, deriveCodecKey(t, m1, "codec").secret, "deterministic: every worker derives the same key")
	assert.NotEqual(t, a.secret, deriveCodecKey(t, m1, "codec2").secret)
	assert.NotEqual(t, a.secret, deriveCodecKey(t, m2, "codec").secret)
	assert.NotEqual(t, a.secret, m1.secret)

	_, err := DeriveCodecKey(m1, "")
	require.ErrorIs(t, err, ErrInvalidKey)
	_, err = DeriveCodecKey(Key{}, "codec")
	require.ErrorIs(t, err, ErrNoMasterKey)
}

func TestDataConverterRoundTrip(t *testing.T) {
	key := deriveCodecKey(t, GenerateMasterKey(), "codec")
	dc := NewDataConverter(testCodec(t, key))
	in := turnInput{CallSID: "CA0123", Text: "My name is Jane Roe and my date of birth is 1980-02-03"}

	p, err := dc.ToPayload(in)
	require.NoError(t, err)
	assert.Equal(t, MetadataEncodingEncrypted, string(p.Metadata[converter.MetadataEncoding]))
	assert.Equal(t, key.ID(), string(p.Metadata[MetadataEncryptionKeyID]))
	assert.Len(t, p.Metadata, 2, "the inner encoding is sealed too")
	raw, err := proto.Marshal(p)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte("Jane Roe")))
	assert.False(t, bytes.Contains(raw, []byte("json/plain")))

	var out turnInput
	require.NoError(t, dc.FromPayload(p, &out))
	assert.Equal(t, in, out)

	ps, err := dc.ToPayloads("a", 2, in)
	require.NoError(t, err)
	var s string
	var n int
	require.NoError(t, dc.FromPayloads(ps, &s, &n, &out))
	assert.Equal(t, "a", s)
	assert.Equal(t, 2, n)
}

func TestCodecDecodesOldKeysAfterRotation(t *testing.T) {
	m1, m2 := GenerateMasterKey(), GenerateMasterKey()
	k1, k2 := deriveCodecKey(t, m1, "codec"), deriveCodecKey(t, m2, "codec")
	plain := []*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"old secret"`)}}

	before := testCodec(t, k1)
	sealedOld, err := before.Encode(plain)
	require.NoError(t, err)

	after := testCodec(t, k2, k1)
	sealedNew, err := after.Encode(plain)
	require.NoError(t, err)
	assert.Equal(t, k2.ID(), string(sealedNew[0].Metadata[MetadataEncryptionKeyID]), "new payloads use the current key")

	for name, p := range map[string][]*commonpb.Payload{"old": sealedOld, "new": sealedNew} {
		got, err := after.Decode(p)
		require.NoError(t, err, name)
		assert.True(t, proto.Equal(plain[0], got[0]), name)
	}

	// A ring that dropped the old key says which key it lacks.
	onlyNew := testCodec(t, k2)
	_, err = onlyNew.Decode(sealedOld)
	require.ErrorIs(t, err, ErrUnknownKey)
	assert.Contains(t, err.Error(), k1.ID())
}

func TestCodecDecodeFailures(t *testing.T) {
	k1 := deriveCodecKey(t, GenerateMasterKey(), "codec")
	k2 := deriveCodecKey(t, GenerateMasterKey(), "codec")
	c := testCodec(t, k1, k2)
	enc, err := c.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"x"`)}})
	require.NoError(t, err)

	mutate := func(f func(p *commonpb.Payload)) []*commonpb.Payload {
		p := proto.Clone(enc[0]).(*commonpb.Payload)
		f(p)
		return []*commonpb.Payload{p}
	}
	cases := []struct {
		name     string
		payloads []*commonpb.Payload
		want     error
	}{
		{"unknown key id", mutate(func(p *commonpb.Payload) { p.Metadata[MetadataEncryptionKeyID] = []byte("codec@mk-unknown") }), ErrUnknownKey},
		{"missing key id", mutate(func(p *commonpb.Payload) { delete(p.Metadata, MetadataEncryptionKeyID) }), ErrUnknownKey},
		{"key id swapped to another ring key", mutate(func(p *commonpb.Payload) { p.Metadata[MetadataEncryptionKeyID] = []byte(k2.ID()) }), ErrDecrypt},
		{"flipped byte", mutate(func(p *commonpb.Payload) { p.Data[len(p.Data)-1] ^= 1 }), ErrDecrypt},
		{"truncated", mutate(func(p *commonpb.Payload) { p.Data = p.Data[:10] }), ErrMalformed},
		{"unknown version", mutate(func(p *commonpb.Payload) { p.Data[0] = 9 }), ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Decode(tc.payloads)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// TestCodecRefusesUnencrypted: a payload this codec did not encrypt is
// refused, so a workflow started in plain JSON never reaches workflow code.
func TestCodecRefusesUnencrypted(t *testing.T) {
	c := testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))
	for _, p := range []*commonpb.Payload{
		{Metadata: map[string][]byte{"encoding": []byte("binary/null")}},
		{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`{"call_sid":"CA1"}`)},
		{},
	} {
		_, err := c.Decode([]*commonpb.Payload{p})
		require.ErrorIs(t, err, ErrUnencrypted)
	}
	got, err := c.Decode([]*commonpb.Payload{nil})
	require.NoError(t, err)
	assert.Equal(t, []*commonpb.Payload{nil}, got)

	// Encoding an encrypted payload again does not nest a second layer.
	once, err := c.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`1`)}})
	require.NoError(t, err)
	twice, err := c.Encode(once)
	require.NoError(t, err)
	assert.True(t, proto.Equal(once[0], twice[0]))
}

func TestCodecKeyRingRejectsDuplicates(t *testing.T) {
	k := deriveCodecKey(t, GenerateMasterKey(), "codec")
	_, err := NewCodecKeyRing(k, k)
	require.ErrorIs(t, err, ErrInvalidKey)
	_, err = NewCodecKeyRing(Key{})
	require.ErrorIs(t, err, ErrInvalidKey)
}

func TestFailureConverterEncryptsMessages(t *testing.T) {
	const planted = "patient Jane Roe has HIV"
	dc := NewDataConverter(testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec")))
	fc := NewFailureConverter(dc)

	appErr := temporal.NewApplicationError("cannot book: "+planted, "BookingRejected", "detail for "+planted)
	failure := fc.ErrorToFailure(appErr)
	require.NotNil(t, failure)
	assert.NotContains(t, failure.GetMessage(), planted)
	assert.NotContains(t, failure.GetStackTrace(), planted)
	require.NotNil(t, failure.GetEncodedAttributes())
	assert.Equal(t, MetadataEncodingEncrypted, string(failure.GetEncodedAttributes().GetMetadata()[converter.MetadataEncoding]))
	raw, err := proto.Marshal(failure)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte("Jane Roe")), "the planted phrase appears nowhere in the encoded failure")

	back := fc.FailureToError(failure)
	require.Error(t, back)
	assert.Contains(t, back.Error(), planted)
	var decoded *temporal.ApplicationError
	require.ErrorAs(t, back, &decoded)
	assert.Equal(t, "BookingRejected", decoded.Type())
	var detail string
	require.NoError(t, decoded.Details(&detail))
	assert.True(t, strings.HasSuffix(detail, planted))
}
