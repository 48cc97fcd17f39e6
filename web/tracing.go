package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/phakhi/phakhi/graph"
)

// OpenTelemetry tracing, when Config.TracerProvider is set: a server span
// per HTTP request (otelhttp, continuing a W3C traceparent), a span per
// GraphQL operation (graphqlTracing) and, in package store, a client span
// per Neo4j round trip. Without a provider none of this is installed.

// tracerName is the instrumentation scope of the GraphQL spans.
const tracerName = "github.com/phakhi/phakhi/web"

// requestIDKey is the attribute that carries the request id of the logs,
// the X-Request-Id header and extensions.requestId.
const requestIDKey = attribute.Key("phakhi.request.id")

// maxSpanOperationName bounds the client-chosen operation name in span
// names and attributes.
const maxSpanOperationName = 100

// traceHTTP starts a server span per request, named by method and route
// (the mux pattern), continuing the caller's trace from its traceparent
// header. otelhttp records the URL path but not the query string.
func traceHTTP(next http.Handler, mux *http.ServeMux, tp trace.TracerProvider) http.Handler {
	named := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
			if _, route := mux.Handler(r); route != "" {
				if _, path, ok := strings.Cut(route, " "); ok { // "GET /export/{format}"
					route = path
				}
				span.SetName(r.Method + " " + route)
				span.SetAttributes(semconv.HTTPRoute(route))
			}
		}
		next.ServeHTTP(w, r)
	})
	return otelhttp.NewHandler(named, "phakhi",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.TraceContext{}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
}

// tagRequest puts attributes (the request id) on the request's server
// span, if one records.
func tagRequest(ctx context.Context, attrs ...attribute.KeyValue) {
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(attrs...)
	}
}

// graphqlTracing is the gqlgen extension that wraps each query and
// mutation in a span named "query Name" (the GraphQL semantic
// conventions), with the operation's name and type, the request id, and
// an event per error with its extensions.code. Requests refused before
// they ran (parse, validation, limits) get a "GraphQL Operation" span with
// their errors. Subscriptions are left out: their events would time the
// wait for the next change; the websocket's HTTP span stands for them.
// Neither the document nor the variables are recorded: both hold what
// people asked for.
type graphqlTracing struct{ tracer trace.Tracer }

var (
	_ graphql.HandlerExtension     = graphqlTracing{}
	_ graphql.OperationInterceptor = graphqlTracing{}
	_ graphql.ResponseInterceptor  = graphqlTracing{}
)

// tracedKey marks an operation whose response has its span: a transport
// may ask for more (the websocket asks a query for a second response, which
// is none), and those get no span.
type tracedKey struct{}

func (graphqlTracing) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, tracedKey{}, new(atomic.Bool)))
}

func (graphqlTracing) ExtensionName() string                          { return "OpenTelemetry" }
func (graphqlTracing) Validate(schema graphql.ExecutableSchema) error { return nil }

func (g graphqlTracing) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	var op *ast.OperationDefinition
	if graphql.HasOperationContext(ctx) {
		op = graphql.GetOperationContext(ctx).Operation
	}
	if op != nil && op.Operation == ast.Subscription {
		return next(ctx)
	}
	if traced, ok := ctx.Value(tracedKey{}).(*atomic.Bool); ok && traced.Swap(true) {
		return next(ctx)
	}
	name := "GraphQL Operation"
	attrs := make([]attribute.KeyValue, 0, 3)
	if id := graph.RequestID(ctx); id != "" {
		attrs = append(attrs, requestIDKey.String(id))
	}
	if op != nil {
		name = string(op.Operation)
		attrs = append(attrs, semconv.GraphQLOperationTypeKey.String(string(op.Operation)))
		if opName := op.Name; opName != "" {
			if len(opName) > maxSpanOperationName {
				opName = opName[:maxSpanOperationName]
			}
			name += " " + opName
			attrs = append(attrs, semconv.GraphQLOperationName(opName))
		}
	}
	ctx, span := g.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
	defer span.End()
	resp := next(ctx)
	if resp == nil || len(resp.Errors) == 0 {
		return resp
	}
	var codeList []string // distinct, in order
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "none"
		}
		// The code and where, not the message: messages can quote input.
		span.AddEvent("graphql.error", trace.WithAttributes(
			attribute.String("graphql.error.code", code),
			attribute.String("graphql.error.path", e.Path.String())))
		if !slices.Contains(codeList, code) {
			codeList = append(codeList, code)
		}
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(codeList[0]))
	span.SetStatus(codes.Error, strings.Join(codeList, ","))
	return resp
}
