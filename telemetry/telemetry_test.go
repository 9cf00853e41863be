package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/frontdesk/frontdesk/contract"
)

func newTelemetry(t *testing.T, spans *tracetest.InMemoryExporter) *Telemetry {
	t.Helper()
	opts := Options{Service: "test", Getenv: func(string) string { return "" }}
	if spans != nil {
		opts.SpanExporter = spans
	}
	tel, err := New(context.Background(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel
}

func scrape(t *testing.T, tel *Telemetry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	tel.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	return rec.Body.String()
}

func TestRejectionReasons(t *testing.T) {
	for code, want := range map[int]string{
		200: "", 204: "", 302: "",
		400: "malformed", 401: "signature", 403: "signature", 404: "unknown", 405: "method", 410: "unknown",
		413: "too_large", 415: "unsupported_type", 422: "malformed", 429: "rate_limited", 418: "other",
		500: "error", 502: "error", 503: "unavailable",
	} {
		require.Equal(t, want, RejectionReason(code), "status %d", code)
	}
}

func TestWebhookCounters(t *testing.T) {
	tel := newTelemetry(t, nil)
	m := tel.Metrics()
	m.ObserveWebhook("/twilio/voice", 200)
	m.ObserveWebhook("/twilio/voice", 403)
	m.ObserveWebhook("/twilio/voice", 403)
	m.ObserveWebhook("/twilio/status", 404)
	m.ObserveWebhook("", 404)
	require.Equal(t, 1.0, testutil.ToFloat64(m.WebhookRequests.WithLabelValues("/twilio/voice", "200")))
	require.Equal(t, 2.0, testutil.ToFloat64(m.WebhookRejections.WithLabelValues("/twilio/voice", "signature")))
	require.Equal(t, 1.0, testutil.ToFloat64(m.WebhookRejections.WithLabelValues("/twilio/status", "unknown")))
	require.Equal(t, 1.0, testutil.ToFloat64(m.WebhookRejections.WithLabelValues("unmatched", "unknown")))
	require.Equal(t, 4, testutil.CollectAndCount(m.WebhookRequests))
}

// The interceptor reads results the way the worker's activities return
// them, and error types the way they fail.
func TestActivityResultsBecomeMetrics(t *testing.T) {
	tel := newTelemetry(t, nil)
	m := tel.Metrics()
	ms := 3 * time.Millisecond
	m.observeActivity("HoldSlot", ms, contract.HoldSlotResult{Status: contract.HoldHeld}, nil)
	m.observeActivity("HoldSlot", ms, contract.HoldSlotResult{Status: contract.HoldConflict}, nil)
	m.observeActivity("HoldSlot", ms, &contract.HoldSlotResult{Status: contract.HoldConflict}, nil)
	m.observeActivity("HoldSlot", ms, nil, temporal.NewNonRetryableApplicationError("lock timeout", contract.ErrTypeSlotConflict, nil))
	m.observeActivity("HoldSlot", ms, nil, temporal.NewApplicationError("db down", "Other"))
	require.Equal(t, 3.0, testutil.ToFloat64(m.SlotConflicts))
	require.Equal(t, 1, histogramCount(t, m.SlotLock.WithLabelValues("held")))
	require.Equal(t, 3, histogramCount(t, m.SlotLock.WithLabelValues("conflict")))
	require.Equal(t, 1, histogramCount(t, m.SlotLock.WithLabelValues("error")))

	// SendFollowUp's result is read by its JSON form.
	type sendResult struct {
		Status    string `json:"status,omitempty"`
		Skip      string `json:"skip,omitempty"`
		ErrorCode int    `json:"error_code,omitempty"`
	}
	m.observeActivity("SendFollowUp", ms, sendResult{Status: "queued"}, nil)
	m.observeActivity("SendFollowUp", ms, sendResult{Status: "logged"}, nil)
	m.observeActivity("SendFollowUp", ms, sendResult{Skip: "opted_out"}, nil)
	m.observeActivity("SendFollowUp", ms, sendResult{Status: "failed", ErrorCode: 21211}, nil)
	m.observeActivity("SendFollowUp", ms, nil, temporal.NewApplicationError("twilio answered 503", contract.ErrTypeTwilioUnavailable))
	for outcome, n := range map[string]int{"sent": 1, "logged": 1, "skipped": 1, "failed": 1, "error": 1} {
		require.Equal(t, n, histogramCount(t, m.SMSSend.WithLabelValues(outcome)), outcome)
	}
	require.Equal(t, 1.0, testutil.ToFloat64(m.SMSFailures.WithLabelValues("refused", "21211")))
	require.Equal(t, 1.0, testutil.ToFloat64(m.SMSFailures.WithLabelValues("twilio_unavailable", "")))

	m.observeActivity("RecordTurn", ms, contract.TurnResult{Class: "medical", Entities: map[string]int{"PERSON": 1, "MEDICAL_CONDITION": 2}}, nil)
	m.observeActivity("RecordTurn", ms, contract.TurnResult{Class: "contact"}, nil)
	m.observeActivity("RecordTurn", ms, nil, temporal.NewApplicationError("erased", contract.ErrTypeCallErased))
	require.Equal(t, 1.0, testutil.ToFloat64(m.PIIRouted.WithLabelValues("medical")))
	require.Equal(t, 1.0, testutil.ToFloat64(m.PIIRouted.WithLabelValues("contact")))
	require.Equal(t, 2.0, testutil.ToFloat64(m.PIIEntities.WithLabelValues("medical_condition")))

	// Other activities are the SDK's metrics' business.
	m.observeActivity("RecordCall", ms, nil, nil)
	body := scrape(t, tel)
	require.NotContains(t, body, "RecordCall")
}

func histogramCount(t *testing.T, o prometheus.Observer) int {
	t.Helper()
	var m dto.Metric
	require.NoError(t, o.(prometheus.Metric).Write(&m))
	return int(m.GetHistogram().GetSampleCount())
}

func TestLabelsStayShortTokens(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "none",
		"MEDICAL":                "medical",
		"+44 7700 900123":        "_44_7700_900123",
		"a/b?c=d":                "a_b_c_d",
		strings.Repeat("x", 100): strings.Repeat("x", 40),
		"CREDIT_CARD":            "credit_card",
	} {
		require.Equal(t, want, label(in))
	}
}

// /metrics carries the SDK's metrics (through OpenTelemetry) next to
// frontdesk's: a client built with InstrumentTemporal records its requests.
func TestTemporalMetricsReachTheRegistry(t *testing.T) {
	tel := newTelemetry(t, nil)
	var opts client.Options
	require.NoError(t, tel.InstrumentTemporal(&opts))
	require.NotNil(t, opts.MetricsHandler)
	require.Len(t, opts.Interceptors, 2, "tracing and activity metrics")
	opts.MetricsHandler.WithTags(map[string]string{"operation": "StartWorkflowExecution"}).Counter("temporal_request").Inc(1)
	opts.MetricsHandler.Timer("temporal_request_latency").Record(30 * time.Millisecond)
	tel.Metrics().ObserveWebhook("/twilio/voice", 200)
	body := scrape(t, tel)
	require.Contains(t, body, `temporal_request_total{operation="StartWorkflowExecution"} 1`)
	// Seconds, with buckets made for seconds: 30 ms lands below 50 ms.
	require.Contains(t, body, `temporal_request_latency_seconds_bucket{le="0.05"} 1`)
	require.Contains(t, body, `temporal_request_latency_seconds_bucket{le="0.025"} 0`)
	require.Contains(t, body, `frontdesk_webhook_requests_total{code="200",route="/twilio/voice"} 1`)
	require.Contains(t, body, "go_goroutines")
}

func TestNoExporterMeansNoTracing(t *testing.T) {
	tel := newTelemetry(t, nil)
	require.False(t, tel.Tracing())
	base := http.DefaultTransport
	require.Equal(t, base, tel.Transport("twilio", base), "no wrapping when nothing records")

	withEndpoint, err := New(context.Background(), Options{Getenv: func(k string) string {
		if k == "OTEL_EXPORTER_OTLP_ENDPOINT" {
			return "http://127.0.0.1:4318"
		}
		return ""
	}})
	require.NoError(t, err)
	require.True(t, withEndpoint.Tracing())
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = withEndpoint.Shutdown(ctx)
}

// The Twilio transport's span names the peer and method and carries the
// trace context out, never the URL (Twilio list queries hold numbers).
func TestTransportSpanLeavesTheURLOut(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tel := newTelemetry(t, spans)
	var gotTraceparent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotTraceparent = r.Header.Get("traceparent")
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	ctx, parent := tel.Tracer("test").Start(context.Background(), "activity")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/2010-04-01/Accounts/AC1/Messages.json?To=%2B447700900123", nil)
	resp, err := (&http.Client{Transport: tel.Transport("twilio", nil)}).Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	parent.End()

	got := spans.GetSpans()
	require.Len(t, got, 2)
	s := got[0]
	require.Equal(t, "twilio GET", s.Name)
	require.Equal(t, parent.SpanContext().TraceID(), s.SpanContext.TraceID())
	require.Contains(t, gotTraceparent, parent.SpanContext().TraceID().String())
	for _, a := range s.Attributes {
		require.NotContains(t, a.Value.Emit(), "900123", "attribute %s", a.Key)
		require.NotContains(t, a.Value.Emit(), "Messages", "attribute %s", a.Key)
	}
}

func TestSQLOperation(t *testing.T) {
	for sql, want := range map[string]string{
		"select 1":                             "select",
		"  INSERT INTO app.calls ...":          "insert",
		"with x as (select 1) select * from x": "with",
		"-- comment\nupdate app.slots set":     "update",
		"-- only a comment":                    "query",
		"(select 1)":                           "query",
		"":                                     "query",
		"begin":                                "begin",
	} {
		require.Equal(t, want, sqlOperation(sql), "%q", sql)
	}
}
