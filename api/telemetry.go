package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/frontdesk/frontdesk/telemetry"
)

// WithTelemetry serves /metrics from tel's registry, counts Twilio's
// webhooks by route and rejection reason, and opens a server span per
// request. The span is the parent of the workflow start or signal the
// request makes, so a trace runs from the webhook through the workflow
// and its activities to Postgres and Twilio.
//
// Spans and metrics are labelled with the route template (/twilio/voice,
// /d/:token, /v1/calls/:sid), never the raw path or query: a path can carry
// a /d link's token, and a query a phone number.
func WithTelemetry(tel *telemetry.Telemetry) Option {
	return func(e *echo.Echo, _ *slog.Logger) {
		e.GET("/metrics", echo.WrapHandler(tel.Handler()))
		e.Use(telemetryMiddleware(tel.Tracer("frontdesk/api"), tel.Metrics()))
	}
}

func telemetryMiddleware(tracer trace.Tracer, m *telemetry.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			route := c.Path()
			switch route {
			case "/metrics", "/healthz", "/readyz":
				return next(c)
			}
			if route == "" {
				route = "unmatched"
			}
			req := c.Request()
			// A new root span: the webhooks come from outside, and a trace
			// context a caller sends is not ours to continue.
			ctx, span := tracer.Start(req.Context(), req.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("http.route", route)))
			c.SetRequest(req.WithContext(ctx))
			err := next(c)
			code := responseCode(c, err)
			span.SetAttributes(attribute.Int("http.response.status_code", code))
			if code >= 500 {
				span.SetStatus(codes.Error, http.StatusText(code))
			}
			span.End()
			if strings.HasPrefix(route, "/twilio/") {
				m.ObserveWebhook(route, code)
			}
			return err
		}
	}
}

// responseCode is the status the client gets: an error returned by the
// handler is answered later by the error handler, so it is read from the
// error, as echo's own request logger does.
func responseCode(c echo.Context, err error) int {
	if err == nil {
		return c.Response().Status
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	return http.StatusInternalServerError
}
