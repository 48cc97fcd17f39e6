package telemetry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/telemetry"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigFromEnv(t *testing.T) {
	t.Run("Ensure the endpoints follow the OTLP rules", func(t *testing.T) {
		for _, c := range []struct {
			env  map[string]string
			want string
		}{
			{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, "http://collector:4318/v1/traces"},
			{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example/base/"}, "https://otel.example/base/v1/traces"},
			{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/custom"}, "http://collector:4318/custom"},
			{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:4318/v1/traces"}, "http://b:4318/v1/traces"},
			{nil, ""},
		} {
			cfg := telemetry.ConfigFromEnv(env(c.env))
			if cfg.Endpoint != c.want || cfg.On() != (c.want != "") {
				t.Errorf("%v: endpoint %q (on %v), want %q", c.env, cfg.Endpoint, cfg.On(), c.want)
			}
		}
	})

	t.Run("Ensure the service is named phakhi unless OTEL_SERVICE_NAME says otherwise", func(t *testing.T) {
		if n := telemetry.ConfigFromEnv(env(nil)).ServiceName; n != "phakhi" {
			t.Fatalf("service name %q", n)
		}
		if n := telemetry.ConfigFromEnv(env(map[string]string{"OTEL_SERVICE_NAME": "graph-a"})).ServiceName; n != "graph-a" {
			t.Fatalf("service name %q", n)
		}
	})
}

func TestStart(t *testing.T) {
	t.Run("Ensure tracing off creates no provider", func(t *testing.T) {
		for _, m := range []map[string]string{
			nil,
			{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"},
			{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"},
		} {
			tr, err := telemetry.Start(context.Background(), telemetry.ConfigFromEnv(env(m)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Enabled() || tr.TracerProvider() != nil {
				t.Fatalf("%v: a tracer provider with tracing off", m)
			}
		}
	})

	t.Run("Ensure an exporter or protocol Phakhi lacks is a clear error", func(t *testing.T) {
		for k, v := range map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_TRACES_EXPORTER": "zipkin"} {
			cfg := telemetry.ConfigFromEnv(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", k: v}))
			if _, err := telemetry.Start(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%s=%s: err = %v", k, v, err)
			}
		}
	})

	t.Run("Ensure tracing on makes a provider that shuts down", func(t *testing.T) {
		// Nothing listens on the endpoint, and no span is made: the
		// shutdown has nothing to send.
		tr, err := telemetry.Start(context.Background(), telemetry.ConfigFromEnv(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"})), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !tr.Enabled() || tr.TracerProvider() == nil {
			t.Fatal("no tracer provider with tracing on")
		}
		if err := tr.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
