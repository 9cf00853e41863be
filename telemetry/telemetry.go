// Package telemetry owns one process's metrics and traces: a Prometheus
// registry served at /metrics, the Temporal SDK's metrics bridged into it
// through OpenTelemetry, frontdesk's own frontdesk_* metrics, and an
// OpenTelemetry tracer provider exported over OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set.
//
// Other packages add their own collectors to the same registry: define a
// collector named frontdesk_<area>_<what>[_unit] with labels that can never
// carry personal data (a route, a status, a class; never a number, a name or
// an id of a person) and register it with Registerer().MustRegister, or
// take a prometheus.Registerer in your constructor and let cmd/frontdesk
// pass tel.Registerer(). One registry per process means `frontdesk dev`,
// which runs the worker and the api together, serves both on one /metrics.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// EnvMetricsAddr is where a process serves /metrics on a listener of its
// own (the standalone worker; the api serves /metrics on its own port too).
const EnvMetricsAddr = "FRONTDESK_METRICS_ADDR"

// Options configure New.
type Options struct {
	// Service names the process in traces (service.name), e.g.
	// "frontdesk-api".
	Service string
	// SpanExporter receives finished spans, synchronously (tests). Nil:
	// OTLP over HTTP when OTEL_EXPORTER_OTLP_ENDPOINT or
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, else no tracing at all.
	SpanExporter sdktrace.SpanExporter
	// Getenv defaults to os.Getenv.
	Getenv func(string) string
}

// Telemetry is one process's registry, meter provider and tracer
// provider. Build it once in main and hand its parts to what needs them.
type Telemetry struct {
	registry *prometheus.Registry
	meters   *sdkmetric.MeterProvider
	tracers  trace.TracerProvider
	sdkTrace *sdktrace.TracerProvider // nil when not tracing
	metrics  *Metrics
}

// New builds the registry (Go runtime and process collectors, the SDK
// bridge, frontdesk's own metrics) and, when configured, the trace
// exporter.
func New(ctx context.Context, opts Options) (*Telemetry, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	exporter, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("prometheus exporter: %w", err)
	}
	// The SDK's timers are histograms in seconds; OpenTelemetry's default
	// buckets are made for milliseconds and would put every value in the
	// first one.
	seconds := sdkmetric.NewView(
		sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Unit: "s"},
		sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: LatencyBuckets}},
	)
	t := &Telemetry{
		registry: reg,
		meters:   sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter), sdkmetric.WithView(seconds)),
		tracers:  noop.NewTracerProvider(),
	}
	if t.metrics, err = newMetrics(reg); err != nil {
		return nil, err
	}

	spans := opts.SpanExporter
	batch := false
	if spans == nil && (getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "") {
		// The exporter reads the endpoint, headers, protocol details and
		// TLS settings from the standard OTEL_EXPORTER_OTLP_* variables.
		if spans, err = otlptracehttp.New(ctx); err != nil {
			return nil, fmt.Errorf("OTLP trace exporter: %w", err)
		}
		batch = true
	}
	if spans != nil {
		service := opts.Service
		if service == "" {
			service = "frontdesk"
		}
		res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(service)))
		if err != nil {
			res = resource.NewSchemaless(attribute.String("service.name", service))
		}
		export := sdktrace.WithSyncer(spans)
		if batch {
			export = sdktrace.WithBatcher(spans)
		}
		t.sdkTrace = sdktrace.NewTracerProvider(export, sdktrace.WithResource(res))
		t.tracers = t.sdkTrace
	}
	return t, nil
}

// Registerer is where other packages register their collectors.
func (t *Telemetry) Registerer() prometheus.Registerer { return t.registry }

// Gatherer reads every registered metric (tests, custom exposition).
func (t *Telemetry) Gatherer() prometheus.Gatherer { return t.registry }

// Handler serves the registry in the Prometheus exposition format.
func (t *Telemetry) Handler() http.Handler {
	return promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{Registry: t.registry})
}

// Metrics are frontdesk's own frontdesk_* collectors.
func (t *Telemetry) Metrics() *Metrics { return t.metrics }

// Tracing reports whether spans are recorded and exported.
func (t *Telemetry) Tracing() bool { return t != nil && t.sdkTrace != nil }

// TracerProvider is the process's tracer provider (a no-op one when not
// tracing).
func (t *Telemetry) TracerProvider() trace.TracerProvider { return t.tracers }

// Tracer is a named tracer of the process's provider.
func (t *Telemetry) Tracer(name string) trace.Tracer { return t.tracers.Tracer(name) }

// Propagator carries trace context across HTTP (W3C trace context).
func Propagator() propagation.TextMapPropagator { return propagation.TraceContext{} }

// InstrumentTemporal adds the SDK's metrics handler and interceptors to
// client options: tracing (client → workflow → activity, through Temporal
// headers) and frontdesk's activity metrics. Workers built on the client
// inherit both.
func (t *Telemetry) InstrumentTemporal(o *client.Options) error {
	o.MetricsHandler = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: t.meters.Meter("temporal-sdk-go"),
		// Counters that only grow, so Prometheus sees _total counters.
		UseMonotonicCounters: true,
		// A meter error must never take down a worker.
		OnError: func(error) {},
	})
	tracing, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{
		Tracer:            t.Tracer("temporal-sdk-go"),
		TextMapPropagator: Propagator(),
		// Baggage could carry whatever a caller put there across every
		// hop; frontdesk needs only the trace context.
		DisableBaggage: true,
	})
	if err != nil {
		return fmt.Errorf("temporal tracing interceptor: %w", err)
	}
	o.Interceptors = append(o.Interceptors, tracing, &activityMetrics{m: t.metrics})
	return nil
}

// Shutdown flushes spans still buffered and stops the meter provider.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var errs []error
	if t.sdkTrace != nil {
		errs = append(errs, t.sdkTrace.Shutdown(ctx))
	}
	errs = append(errs, t.meters.Shutdown(ctx))
	return errors.Join(errs...)
}

// LatencyBuckets are the histogram bounds, in seconds, of every latency
// frontdesk measures: from a millisecond (a slot lock) to a minute (a
// retried SMS).
var LatencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// label keeps a label value to a safe alphabet and length, so nothing but a
// short token ever becomes a series.
func label(s string) string {
	if s == "" {
		return "none"
	}
	s = strings.ToLower(s)
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
