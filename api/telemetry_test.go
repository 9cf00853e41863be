package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/frontdesk/frontdesk/api"
	"github.com/frontdesk/frontdesk/contract"
	"github.com/frontdesk/frontdesk/store"
	"github.com/frontdesk/frontdesk/telemetry"
)

// recordingCalls is the api's view of starter.Calls; it keeps the span
// each start was made under, to check the webhook's span is its parent.
type recordingCalls struct{ startSpans []trace.SpanContext }

func (r *recordingCalls) Start(ctx context.Context, _ contract.CallSessionInput, _ contract.CallStatusSignal) (string, error) {
	r.startSpans = append(r.startSpans, trace.SpanContextFromContext(ctx))
	return "run", nil
}
func (r *recordingCalls) Status(context.Context, string, contract.CallStatusSignal) error { return nil }
func (r *recordingCalls) Ended(context.Context, string) (bool, error)                     { return false, nil }

type oneClinic struct{ number string }

func (o oneClinic) ClinicForNumber(_ context.Context, called string) (store.ClinicRef, error) {
	if called != o.number {
		return store.ClinicRef{}, store.ErrNotFound
	}
	return store.ClinicRef{OrgID: uuid.New(), ClinicID: uuid.New()}, nil
}

func TestTelemetryCountsWebhooksAndTracesByRouteTemplate(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tel, err := telemetry.New(context.Background(), telemetry.Options{SpanExporter: spans, Getenv: func(string) string { return "" }})
	require.NoError(t, err)
	const token = "webhook-test-token"
	calls := &recordingCalls{}
	tokenRoute := func(e *echo.Echo, _ *slog.Logger) {
		e.GET("/d/:token", func(c echo.Context) error { return c.String(http.StatusGone, "expired") })
	}
	srv := httptest.NewServer(api.New(api.Config{PublicURL: "http://frontdesk.test", TwilioAuthToken: token, MediaStreamURL: "wss://frontdesk.test/twilio/media"},
		calls, oneClinic{number: "+441632960001"}, func(context.Context) error { return nil },
		slog.New(slog.NewTextHandler(io.Discard, nil)), api.WithTelemetry(tel), tokenRoute))
	defer srv.Close()

	post := func(form url.Values, sign bool) int {
		form.Set("AccountSid", "AC00000000000000000000000000000000")
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/twilio/voice", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sign {
			req.Header.Set(api.SignatureHeader, api.TwilioSignature(token, "http://frontdesk.test/twilio/voice", form))
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	sid := "CA" + strings.Repeat("ab", 16)
	require.Equal(t, http.StatusOK, post(url.Values{"CallSid": {sid}, "To": {"+441632960001"}, "From": {"+447700900123"}}, true))
	require.Equal(t, http.StatusForbidden, post(url.Values{"CallSid": {sid}, "To": {"+441632960001"}}, false))
	require.Equal(t, http.StatusNotFound, post(url.Values{"CallSid": {sid}, "To": {"+441632960009"}}, true))
	require.Equal(t, http.StatusBadRequest, post(url.Values{"CallSid": {"nope"}, "To": {"+441632960001"}}, true))
	resp, err := http.Get(srv.URL + "/d/SECRET-LINK-TOKEN")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusGone, resp.StatusCode)

	resp, err = http.Get(srv.URL + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(body)
	for _, want := range []string{
		`frontdesk_webhook_requests_total{code="200",route="/twilio/voice"} 1`,
		`frontdesk_webhook_requests_total{code="403",route="/twilio/voice"} 1`,
		`frontdesk_webhook_rejections_total{reason="signature",route="/twilio/voice"} 1`,
		`frontdesk_webhook_rejections_total{reason="unknown",route="/twilio/voice"} 1`,
		`frontdesk_webhook_rejections_total{reason="malformed",route="/twilio/voice"} 1`,
	} {
		require.Contains(t, metrics, want)
	}
	require.NotContains(t, metrics, "SECRET-LINK-TOKEN")
	require.NotContains(t, metrics, "/d/", "only webhooks are counted")
	require.NotContains(t, metrics, "7700900123")

	got := spans.GetSpans()
	names := map[string]int{}
	for _, s := range got {
		names[s.Name]++
		for _, a := range s.Attributes {
			require.NotContains(t, a.Value.Emit(), "SECRET-LINK-TOKEN", "span %s attribute %s", s.Name, a.Key)
			require.NotContains(t, a.Value.Emit(), "7700900123", "span %s attribute %s", s.Name, a.Key)
		}
	}
	require.Equal(t, map[string]int{"POST /twilio/voice": 4, "GET /d/:token": 1}, names, "spans by route template; /metrics untraced")
	require.Len(t, calls.startSpans, 1)
	require.True(t, calls.startSpans[0].IsValid(), "the workflow start runs under the webhook's span")
	require.Equal(t, got[0].SpanContext.SpanID(), calls.startSpans[0].SpanID())
}
