package vault

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func plainPayload(s string) []*commonpb.Payload {
	return []*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"` + s + `"`)}}
}

func forWorkflow(c *PayloadCodec, id string) *PayloadCodec {
	return c.WithSerializationContext(converter.WorkflowSerializationContext{Namespace: "default", WorkflowID: id}).(*PayloadCodec)
}

// TestCodecBindsPayloadsToTheirOrg: a payload encoded for an org carries it
// in authenticated metadata and opens only with that org's derived key; an
// ops codec for another org cannot open it, nor a deployment-scope one.
func TestCodecBindsPayloadsToTheirOrg(t *testing.T) {
	c := testCodec(t, deriveCodecKey(t, GenerateMasterKey(), "codec"))
	dc := NewDataConverter(c)

	p, err := dc.WithContext(ContextWithOrg(context.Background(), orgA)).ToPayload("booked for Jane Roe")
	require.NoError(t, err)
	assert.Equal(t, orgA, string(p.Metadata[MetadataOrg]))
	assert.Equal(t, orgA, PayloadOrg(p))
	assert.Equal(t, payloadV2, p.Data[0])

	a, err := c.ForOrg(orgA)
	require.NoError(t, err)
	got, err := a.Decode([]*commonpb.Payload{p})
	require.NoError(t, err)
	assert.Equal(t, `"booked for Jane Roe"`, string(got[0].Data))

	b, err := c.ForOrg(orgB)
	require.NoError(t, err)
	_, err = b.Decode([]*commonpb.Payload{p})
	require.ErrorIs(t, err, ErrOtherOrg)

	// Relabelling the payload as B's: B's key does not open A's payload.
	relabelled := &commonpb.Payload{Metadata: map[string][]byte{}, Data: p.Data}
	for k, v := range p.Metadata {
		relabelled.Metadata[k] = v
	}
	relabelled.Metadata[MetadataOrg] = []byte(orgB)
	_, err = b.Decode([]*commonpb.Payload{relabelled})
	require.ErrorIs(t, err, ErrDecrypt)

	// A deployment-scope payload (org unknown at encode time) is nobody's
	// to decode through an org's codec; the worker (unbound) reads it.
	v1, err := c.Encode(plainPayload("x"))
	require.NoError(t, err)
	assert.Equal(t, payloadV1, v1[0].Data[0])
	assert.Empty(t, PayloadOrg(v1[0]))
	_, err = a.Decode(v1)
	require.ErrorIs(t, err, ErrOtherOrg)
	_, err = c.Decode(v1)
	require.NoError(t, err)

	_, err = c.ForOrg("not-a-uuid")
	require.Error(t, err)
}

// TestCodecLearnsAWorkflowsOrg: the worker is told nothing; it learns a
// workflow's org from its (org-bound) input, binds what it encodes for the
// workflow (and its activities and children) to that org, and refuses a
// payload of another org sent to the workflow.
func TestCodecLearnsAWorkflowsOrg(t *testing.T) {
	key := deriveCodecKey(t, GenerateMasterKey(), "codec")
	client := testCodec(t, key)
	worker := testCodec(t, key)
	const wf = "call-CA00000000000000000000000000000001"

	// The api starts the call for org A.
	clientA := forWorkflow(client, wf)
	clientA.org = orgA
	input, err := clientA.Encode(plainPayload("input"))
	require.NoError(t, err)

	// The worker, with nothing bound, encodes deployment scope...
	w := forWorkflow(worker, wf)
	before, err := w.Encode(plainPayload("result"))
	require.NoError(t, err)
	assert.Empty(t, PayloadOrg(before[0]))
	// ...until it has decoded the workflow's input.
	_, err = w.Decode(input)
	require.NoError(t, err)
	after, err := forWorkflow(worker, wf).Encode(plainPayload("result"))
	require.NoError(t, err)
	assert.Equal(t, orgA, PayloadOrg(after[0]))

	// An activity of that workflow.
	act := worker.WithSerializationContext(converter.ActivitySerializationContext{WorkflowID: wf, ActivityType: "RecordCall"}).(*PayloadCodec)
	res, err := act.Encode(plainPayload("activity result"))
	require.NoError(t, err)
	assert.Equal(t, orgA, PayloadOrg(res[0]))

	// A child workflow's input, scheduled from the parent.
	child := forWorkflow(worker, "followup-CA00000000000000000000000000000001")
	child.parentID = wf
	ci, err := child.Encode(plainPayload("child input"))
	require.NoError(t, err)
	assert.Equal(t, orgA, PayloadOrg(ci[0]))

	// Org B's payload sent to org A's workflow is refused.
	clientB := forWorkflow(testCodec(t, key), wf)
	clientB.org = orgB
	forged, err := clientB.Encode(plainPayload("signal"))
	require.NoError(t, err)
	_, err = forWorkflow(worker, wf).Decode(forged)
	require.ErrorIs(t, err, ErrOtherOrg)

	// And a client that claims org B for org A's workflow cannot encode.
	clientA2 := forWorkflow(client, wf)
	clientA2.org = orgB
	_, err = clientA2.Encode(plainPayload("x"))
	require.ErrorIs(t, err, ErrOtherOrg)
}

func TestWorkflowOrgsForgetsOldestGeneration(t *testing.T) {
	w := newWorkflowOrgs(2)
	w.learn("a", orgA)
	w.learn("b", orgA)
	w.learn("c", orgB) // a and b move to the previous generation
	assert.Equal(t, orgA, w.get("a"))
	w.learn("d", orgB)
	w.learn("e", orgB) // c, a (re-read) gone to prev; b dropped
	assert.Equal(t, "", w.get("b"))
	w.learn("x", "")
	assert.Equal(t, "", w.get("x"))
}
