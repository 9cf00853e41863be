package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/frontdesk/frontdesk/demo"
)

// After demo calls (one booked, one unbooked with its follow-up SMS), the
// api's /metrics carries the SDK's temporal_* series and frontdesk's own,
// the worker's included: `frontdesk dev` is one process with one registry.
func TestMetricsAfterADemoCall(t *testing.T) {
	sys := startSystem(t)
	ctx := context.Background()
	booked, err := sys.caller.Call(ctx, demo.Options{Clinic: "A"})
	require.NoError(t, err)
	require.Equal(t, "booked", booked.State.Outcome)
	unbooked, err := sys.caller.Call(ctx, demo.Options{Clinic: "B", Unbooked: true})
	require.NoError(t, err)
	require.NotNil(t, unbooked.FollowUp)
	require.True(t, unbooked.FollowUp.Sent)
	require.Len(t, sys.twilio.Messages(), 1)

	code, body := get(t, sys.url+"/metrics")
	if testing.Verbose() {
		for _, l := range strings.Split(body, "\n") {
			if strings.HasPrefix(l, "frontdesk_") && !strings.Contains(l, "_bucket") {
				t.Log(l)
			}
		}
	}
	require.Equal(t, http.StatusOK, code)
	series := func(re string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + re + ` ([0-9.e+]+)$`).FindStringSubmatch(body)
		require.NotNil(t, m, "no series %s in /metrics", re)
		var v float64
		_, err := fmt.Sscan(m[1], &v)
		require.NoError(t, err)
		return v
	}
	// The SDK's, client and worker side, through OpenTelemetry.
	require.GreaterOrEqual(t, series(`temporal_workflow_completed_total\{[^}]*workflow_type="CallSession"[^}]*\}`), 2.0)
	require.GreaterOrEqual(t, series(`temporal_activity_execution_latency_seconds_count\{[^}]*activity_type="RecordCall"[^}]*\}`), 1.0)
	// Holds and confirms are local activities (slot-local-activities).
	require.GreaterOrEqual(t, series(`temporal_local_activity_execution_latency_seconds_count\{[^}]*activity_type="HoldSlot"[^}]*\}`), 1.0)
	require.Contains(t, body, "temporal_request_total{")
	// frontdesk's own.
	require.Equal(t, 2.0, series(`frontdesk_webhook_requests_total\{code="200",route="/twilio/voice"\}`))
	require.GreaterOrEqual(t, series(`frontdesk_webhook_requests_total\{code="(200|204)",route="/twilio/status"\}`), 2.0)
	require.GreaterOrEqual(t, series(`frontdesk_slot_lock_seconds_count\{status="held"\}`), 1.0)
	require.Equal(t, 1.0, series(`frontdesk_sms_send_seconds_count\{outcome="sent"\}`))
	require.Equal(t, 2.0, series(`frontdesk_pii_routed_total\{class="medical"\}`))
	require.GreaterOrEqual(t, series(`frontdesk_pii_entities_total\{type="person"\}`), 2.0)
	require.Contains(t, body, "frontdesk_slot_lock_conflicts_total 0")

	// Labels are never personal: not the caller's number, name or words,
	// not a CallSid.
	for _, secret := range []string{"+447700900", "447700900", "Jane", "Example", "tired", booked.CallSID, unbooked.CallSID} {
		require.NotContains(t, body, secret)
	}
	require.NotContains(t, strings.ToLower(body), "jane")
}

// One trace runs from the incoming-call webhook through the workflow and
// its activities to Postgres, and to Twilio for the follow-up SMS.
func TestTraceFromWebhookToPostgresAndTwilio(t *testing.T) {
	sys := startSystem(t)
	res, err := sys.caller.Call(context.Background(), demo.Options{Clinic: "A", Unbooked: true})
	require.NoError(t, err)
	require.True(t, res.FollowUp.Sent)

	var root trace.SpanContext
	spans := sys.spans.GetSpans()
	for _, s := range spans {
		if s.Name == "POST /twilio/voice" {
			root = s.SpanContext
		}
	}
	require.True(t, root.IsValid(), "a span for the incoming-call webhook")
	inTrace := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		if s.SpanContext.TraceID() == root.TraceID() {
			inTrace[s.Name] = s
		}
	}
	names := make([]string, 0, len(inTrace))
	for n := range inTrace {
		names = append(names, n)
	}
	for _, want := range []string{
		"POST /twilio/voice",
		"RunWorkflow:CallSession",
		"RunActivity:RecordCall",
		"RunWorkflow:FollowUp",
		"RunActivity:SendFollowUp",
		"twilio POST",
	} {
		require.Contains(t, inTrace, want, "spans in the call's trace: %v", names)
	}
	pg := 0
	for _, s := range spans {
		if s.SpanContext.TraceID() == root.TraceID() && strings.HasPrefix(s.Name, "postgres ") {
			pg++
			for _, a := range s.Attributes {
				require.NotContains(t, a.Value.Emit(), "+4477009", "a statement's arguments stay out of spans")
			}
		}
	}
	require.Positive(t, pg, "Postgres statements in the call's trace: %v", names)
	// The SMS span is the SendFollowUp activity's child.
	require.Equal(t, inTrace["RunActivity:SendFollowUp"].SpanContext.SpanID(), inTrace["twilio POST"].Parent.SpanID())
}
