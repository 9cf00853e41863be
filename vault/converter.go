package vault

import (
	"context"
	"sync"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

type orgContextKey struct{}

// ContextWithOrg tells the payload codec which org the Temporal call made
// with ctx is for (a client starting, signalling, updating or querying a
// call of that org), so its payloads are bound to the org.
func ContextWithOrg(ctx context.Context, org string) context.Context {
	return context.WithValue(ctx, orgContextKey{}, org)
}

// OrgFromContext returns the org set by ContextWithOrg.
func OrgFromContext(ctx context.Context) string {
	s, _ := ctx.Value(orgContextKey{}).(string)
	return s
}

// workflowOrgsLimit bounds what a long-running process remembers; a
// workflow it has forgotten is re-learned from its input, which the worker
// decodes first whenever it replays a workflow.
const workflowOrgsLimit = 100_000

// workflowOrgs remembers the org of each workflow the process has decoded
// an org-bound payload for. Two generations make it a cheap approximate
// LRU: when the current one is full it becomes the previous one.
type workflowOrgs struct {
	mu        sync.Mutex
	limit     int
	cur, prev map[string]string
}

func newWorkflowOrgs(limit int) *workflowOrgs {
	return &workflowOrgs{limit: limit, cur: map[string]string{}}
}

func (w *workflowOrgs) get(workflowID string) string {
	if workflowID == "" {
		return ""
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if org, ok := w.cur[workflowID]; ok {
		return org
	}
	if org, ok := w.prev[workflowID]; ok {
		w.cur[workflowID] = org
		return org
	}
	return ""
}

func (w *workflowOrgs) learn(workflowID, org string) {
	if workflowID == "" || org == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.cur[workflowID]; ok {
		return
	}
	if len(w.cur) >= w.limit {
		w.prev, w.cur = w.cur, map[string]string{}
	}
	w.cur[workflowID] = org
}

// DataConverter is Temporal's default data converter with the payload
// codec, aware of the workflow, the caller's org and a child workflow's
// parent. Clients, workers and replayers must all use it, or histories
// cannot be read back.
//
// It deliberately does not expose its codec to the SDK as a header codec
// (converter.PayloadCodecProvider): headers carry tracing context, never
// frontdesk's data, and a strict codec would refuse a tracer's plain
// header.
type DataConverter struct {
	codec *PayloadCodec
}

var (
	_ converter.DataConverter                         = (*DataConverter)(nil)
	_ converter.ContextAware                          = (*DataConverter)(nil)
	_ converter.DataConverterWithSerializationContext = (*DataConverter)(nil)
)

// NewDataConverter wraps Temporal's default data converter with codec.
func NewDataConverter(codec *PayloadCodec) *DataConverter {
	return &DataConverter{codec: codec}
}

func (d *DataConverter) inner() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), d.codec)
}

func (d *DataConverter) with(c PayloadCodec) *DataConverter { return &DataConverter{codec: &c} }

// WithSerializationContext binds the workflow the payloads belong to.
func (d *DataConverter) WithSerializationContext(sc converter.SerializationContext) converter.DataConverter {
	return d.with(*d.codec.WithSerializationContext(sc).(*PayloadCodec))
}

// WithContext takes the org a client call is for (ContextWithOrg).
func (d *DataConverter) WithContext(ctx context.Context) converter.DataConverter {
	org := OrgFromContext(ctx)
	if org == "" || validateOrg(org) != nil {
		return d
	}
	c := *d.codec
	c.org = org
	return d.with(c)
}

// WithWorkflowContext notes the running workflow: a child workflow's input
// is bound to its parent's org.
func (d *DataConverter) WithWorkflowContext(ctx workflow.Context) converter.DataConverter {
	c := *d.codec
	c.parentID = runningWorkflowID(ctx)
	return d.with(c)
}

// runningWorkflowID is the workflow ctx belongs to. The SDK only hands
// workflow contexts to WithWorkflowContext, but GetInfo panics on anything
// else, and a converter must not take a workflow task down with it: no id
// just means no parent's org to inherit.
func runningWorkflowID(ctx workflow.Context) (id string) {
	defer func() {
		if recover() != nil {
			id = ""
		}
	}()
	return workflow.GetInfo(ctx).WorkflowExecution.ID
}

// ToPayload implements converter.DataConverter.
func (d *DataConverter) ToPayload(value any) (*commonpb.Payload, error) {
	return d.inner().ToPayload(value)
}

// FromPayload implements converter.DataConverter.
func (d *DataConverter) FromPayload(payload *commonpb.Payload, valuePtr any) error {
	return d.inner().FromPayload(payload, valuePtr)
}

// ToPayloads implements converter.DataConverter.
func (d *DataConverter) ToPayloads(value ...any) (*commonpb.Payloads, error) {
	return d.inner().ToPayloads(value...)
}

// FromPayloads implements converter.DataConverter.
func (d *DataConverter) FromPayloads(payloads *commonpb.Payloads, valuePtrs ...any) error {
	return d.inner().FromPayloads(payloads, valuePtrs...)
}

// ToString implements converter.DataConverter.
func (d *DataConverter) ToString(input *commonpb.Payload) string { return d.inner().ToString(input) }

// ToStrings implements converter.DataConverter.
func (d *DataConverter) ToStrings(input *commonpb.Payloads) []string {
	return d.inner().ToStrings(input)
}

// NewFailureConverter encodes failure messages and stack traces through dc.
// Without it they stay in clear in the history, and an error message such as
// "no slot for <patient name>" would leak what the payload codec protects.
// It passes the SDK's serialization context on to dc, so a workflow's
// failures are bound to its org like its other payloads.
func NewFailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return &failureConverter{dc: dc, FailureConverter: newDefaultFailureConverter(dc)}
}

type failureConverter struct {
	dc converter.DataConverter
	converter.FailureConverter
}

func newDefaultFailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
}

// WithSerializationContext implements converter.FailureConverterWithSerializationContext.
func (f *failureConverter) WithSerializationContext(sc converter.SerializationContext) converter.FailureConverter {
	dc := converter.WithDataConverterSerializationContext(f.dc, sc)
	return &failureConverter{dc: dc, FailureConverter: newDefaultFailureConverter(dc)}
}
