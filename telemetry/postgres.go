package telemetry

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// PostgresTracer makes a client span per statement, under whatever span
// the statement's context carries (an activity's, a request's). It records
// the statement's SQL text, which is static in frontdesk, and never its
// arguments, which is where personal data would be.
func (t *Telemetry) PostgresTracer() pgx.QueryTracer {
	return postgresTracer{tracer: t.Tracer("frontdesk/postgres")}
}

type postgresTracer struct{ tracer trace.Tracer }

func (p postgresTracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		// A statement outside any traced work (pool health checks, the
		// pool's reset on release) would be a root span of its own: noise.
		return ctx
	}
	op := sqlOperation(data.SQL)
	attrs := []attribute.KeyValue{
		attribute.String("db.system.name", "postgresql"),
		attribute.String("db.operation.name", op),
		attribute.String("db.query.text", truncate(data.SQL, 1024)),
	}
	if conn != nil {
		if cfg := conn.Config(); cfg != nil {
			attrs = append(attrs, attribute.String("db.namespace", cfg.Database), attribute.String("server.address", cfg.Host))
		}
	}
	ctx, _ = p.tracer.Start(ctx, "postgres "+op, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

func (p postgresTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if data.Err != nil {
		// pgx's error text names the SQLSTATE and constraint, not values.
		span.SetStatus(codes.Error, truncate(data.Err.Error(), 200))
	}
	span.End()
}

// sqlOperation is the statement's first keyword, lower case ("select",
// "insert", "with", ...).
func sqlOperation(sql string) string {
	sql = strings.TrimSpace(sql)
	for strings.HasPrefix(sql, "--") {
		if nl := strings.IndexByte(sql, '\n'); nl >= 0 {
			sql = strings.TrimSpace(sql[nl+1:])
		} else {
			return "query"
		}
	}
	end := strings.IndexFunc(sql, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
	if end < 0 {
		end = len(sql)
	}
	if end == 0 {
		return "query"
	}
	return strings.ToLower(sql[:end])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
