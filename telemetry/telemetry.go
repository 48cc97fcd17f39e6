// Package telemetry sets up OpenTelemetry tracing when it is asked for: a
// tracer provider that batches spans to an OTLP/HTTP (protobuf) endpoint.
// Off, the default, it creates nothing, and the rest of Phakhi, given no
// tracer provider, installs no instrumentation at all.
//
// The instrumentation itself lives where the work is, on the OpenTelemetry
// API only: package web (HTTP and GraphQL spans) and package store (Neo4j
// round trips). Only this package and server.go know of the SDK.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// DefaultServiceName is service.name unless OTEL_SERVICE_NAME says
// otherwise.
const DefaultServiceName = "phakhi"

// Config says whether and where to send traces.
type Config struct {
	// Enabled turns tracing on (the -otel flag). ConfigFromEnv sets it when
	// an OTLP endpoint is set.
	Enabled bool
	// Disabled turns tracing off whatever Enabled says: OTEL_SDK_DISABLED=true
	// or OTEL_TRACES_EXPORTER=none.
	Disabled bool
	// Endpoint is the URL spans are posted to; empty: the exporter's
	// default, http://localhost:4318/v1/traces.
	Endpoint string
	// ServiceName is the resource's service.name (default "phakhi").
	ServiceName string
	// Protocol and Exporter are OTEL_EXPORTER_OTLP_PROTOCOL and
	// OTEL_TRACES_EXPORTER, checked by Start: only http/protobuf and otlp.
	Protocol, Exporter string
}

// ConfigFromEnv reads the standard OpenTelemetry variables through getenv:
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as it is) or
// OTEL_EXPORTER_OTLP_ENDPOINT (with /v1/traces added), either of which
// turns tracing on; OTEL_SERVICE_NAME; OTEL_SDK_DISABLED; the protocol and
// exporter. The SDK reads the others itself from the process environment:
// OTEL_TRACES_SAMPLER(_ARG), OTEL_RESOURCE_ATTRIBUTES,
// OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, _TIMEOUT, _COMPRESSION, the
// certificates, and OTEL_BSP_*.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		ServiceName: strings.TrimSpace(getenv("OTEL_SERVICE_NAME")),
		Protocol: strings.TrimSpace(firstSet(getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"),
			getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))),
		Exporter: strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER"))),
	}
	if c.ServiceName == "" {
		c.ServiceName = DefaultServiceName
	}
	if e := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")); e != "" {
		c.Endpoint = e
	} else if e := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT")); e != "" {
		// The base URL of every signal: traces go to its /v1/traces.
		if u, err := url.Parse(e); err == nil {
			u.Path = path.Join(u.Path, "/v1/traces")
			e = u.String()
		}
		c.Endpoint = e
	}
	c.Enabled = c.Endpoint != ""
	disabled, _ := strconv.ParseBool(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")))
	c.Disabled = disabled || c.Exporter == "none"
	return c
}

func firstSet(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// On tells whether Start will trace.
func (c Config) On() bool { return c.Enabled && !c.Disabled }

// Tracing is the tracer provider Start set up, or nothing when tracing is
// off. Its methods are safe on a nil *Tracing.
type Tracing struct {
	provider *sdktrace.TracerProvider
}

// Start sets tracing up per cfg. Off, it returns a Tracing that holds
// nothing: no exporter, no provider, no goroutine. On, export errors are
// logged through logger (OpenTelemetry's error handler is process-wide).
func Start(ctx context.Context, cfg Config, logger *slog.Logger) (*Tracing, error) {
	if !cfg.On() {
		return &Tracing{}, nil
	}
	if logger == nil {
		logger = slog.Default()
	}
	switch cfg.Exporter {
	case "", "otlp":
	default:
		return nil, fmt.Errorf("OTEL_TRACES_EXPORTER=%s: Phakhi exports traces with otlp only (or none)", cfg.Exporter)
	}
	switch cfg.Protocol {
	case "", "http/protobuf":
	default:
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%s: Phakhi exports traces over http/protobuf only (port 4318 of a collector)", cfg.Protocol)
	}
	var opts []otlptracehttp.Option
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("OTLP endpoint %q is not a URL such as http://localhost:4318", cfg.Endpoint)
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(cfg.Endpoint))
	}
	exporter, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithFromEnv(), // OTEL_RESOURCE_ATTRIBUTES
		resource.WithAttributes(semconv.ServiceName(cfg.ServiceName)))
	if err != nil {
		if res == nil {
			return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
		}
		logger.Warn("OpenTelemetry resource", "err", err) // a partial resource: keep it
	}
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		logger.Warn("opentelemetry", "err", err)
	}))
	// No sampler given: the SDK reads OTEL_TRACES_SAMPLER, and defaults to
	// parentbased_always_on (a caller's sampled traceparent is followed).
	return &Tracing{provider: sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
	)}, nil
}

// Enabled tells whether spans are being exported.
func (t *Tracing) Enabled() bool { return t != nil && t.provider != nil }

// TracerProvider is the provider to hand to web and store, or nil when
// tracing is off (they then install nothing).
func (t *Tracing) TracerProvider() trace.TracerProvider {
	if !t.Enabled() {
		return nil
	}
	return t.provider
}

// Shutdown exports the spans still buffered and stops the provider.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	if err := t.provider.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("flush traces: %w", err)
	}
	return nil
}

// Logger returns l with the trace and span ids of the context added to
// every record logged with one (logger.InfoContext(ctx, ...)), when tracing
// is on; l itself otherwise.
func (t *Tracing) Logger(l *slog.Logger) *slog.Logger {
	if !t.Enabled() {
		return l
	}
	return slog.New(traceHandler{l.Handler()})
}

// traceHandler adds traceId and spanId to records logged within a span.
type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r = r.Clone()
		r.AddAttrs(slog.String("traceId", sc.TraceID().String()), slog.String("spanId", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}
