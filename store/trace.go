package store

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/phakhi/phakhi/domain"
)

// tracerName is the instrumentation scope of the store's spans.
const tracerName = "github.com/phakhi/phakhi/store"

// startSpan starts the client span of one round trip (read or write
// transaction), named by the store method that makes it. The span carries
// no Cypher and no parameters: the method name finds the statement in this
// package, parameters hold what people asked for, and the compiled
// statements run to kilobytes, some with date bounds written in.
func (s *Store) startSpan(ctx context.Context, op, mode string) (context.Context, trace.Span) {
	return s.tracer.Start(ctx, op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			semconv.DBSystemNameNeo4j,
			attribute.String("db.system", "neo4j"), // the name before semconv 1.30, still read by many backends
			semconv.DBOperationName(op),
			semconv.DBNamespace(s.database),
			attribute.String("phakhi.neo4j.mode", mode),
		))
}

// endSpan ends a round trip's span with the rows read (rows < 0: a write)
// and the error's code, never its text (driver messages can quote values).
func endSpan(span trace.Span, rows int, err error) {
	if rows >= 0 && err == nil {
		span.SetAttributes(semconv.DBResponseReturnedRows(rows))
	}
	if err != nil {
		code := domain.ErrorCode(err) // as the metrics' outcome
		if errors.Is(err, context.Canceled) {
			code = "cancelled"
		}
		span.SetAttributes(semconv.ErrorTypeKey.String(code))
		span.SetStatus(codes.Error, code)
	}
	span.End()
}
