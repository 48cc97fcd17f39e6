package main

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/telemetry"
	"github.com/phakhi/phakhi/web"
)

// TestConfigEnvironment checks that every kind of environment variable is
// read, and that a malformed one is an error naming it rather than the
// default in silence.
func TestConfigEnvironment(t *testing.T) {
	parse := func(env map[string]string) (*config, error) {
		return parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := parse(map[string]string{"PHAKHI_PRIVATE_READS": "true", "PHAKHI_INTROSPECTION": "false",
		"PHAKHI_REQUEST_TIMEOUT": "2m", "PHAKHI_MAX_DEPTH": " 9 ", "PHAKHI_RATE_LIMIT": "2.5"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.privateReads || c.introspection || c.requestTimeout != 2*time.Minute || c.limits.MaxDepth != 9 || c.rateLimit.PerSecond != 2.5 {
		t.Fatalf("values not applied: %+v", c)
	}
	for _, tc := range []struct{ key, value, want string }{
		{"PHAKHI_PRIVATE_READS", "yes", "true or false"},
		{"PHAKHI_INTROSPECTION", "off", "true or false"},
		{"PHAKHI_REQUEST_TIMEOUT", "30", "a duration"},
		{"PHAKHI_MAX_COST", "lots", "an integer"},
		{"PHAKHI_RATE_LIMIT", "ten", "a number"},
	} {
		_, err := parse(map[string]string{tc.key: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.value) {
			t.Errorf("%s=%s: got %v, want an error naming the variable, the value and %q", tc.key, tc.value, err, tc.want)
		}
	}
	// The fair shares and the large bodies, by flag and by variable.
	c, err = parseConfig([]string{"-requests-per-client", "3", "-whole-graph-wait", "5s", "-large-bodies", "1"},
		func(k string) string {
			return map[string]string{"PHAKHI_SOCKETS_TOTAL": "10", "PHAKHI_MAX_KEYED_BODY_BYTES": "1048576"}[k]
		}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.shares.RequestsPerClient != 3 || c.shares.WholeGraphWait != 5*time.Second || c.shares.SocketsTotal != 10 ||
		c.shares.RootFieldsPerRequest != web.DefaultRootFieldsPerRequest || c.limits.LargeBodies != 1 || c.limits.MaxKeyedBodyBytes != 1<<20 {
		t.Fatalf("shares not applied: %+v, limits %+v", c.shares, c.limits)
	}
	// Two bad variables: both named at once.
	_, err = parse(map[string]string{"PHAKHI_PRIVATE_READS": "yes", "PHAKHI_MAX_DEPTH": "deep"})
	if err == nil || !strings.Contains(err.Error(), "PHAKHI_PRIVATE_READS") || !strings.Contains(err.Error(), "PHAKHI_MAX_DEPTH") {
		t.Fatalf("got %v, want both variables named", err)
	}
}

// runFails runs the server with env and returns the error it stops with,
// failing the test if it is still running after limit (a generous bound:
// a server that retries for ever would never stop).
func runFails(t *testing.T, env map[string]string, limit time.Duration) error {
	t.Helper()
	vars := map[string]string{"PHAKHI_LOG_LEVEL": "error", "PHAKHI_DATA_DIR": t.TempDir(), "PHAKHI_ADDR": "127.0.0.1:0"}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, io.Discard, nil) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the server stopped without an error")
		}
		return err
	case <-time.After(limit):
		t.Fatalf("the server still runs after %v; it should have stopped with the reason", limit)
		return nil
	}
}

// TestStartupMisconfiguration checks that what waiting cannot mend stops
// the server at once with the reason and the setting to fix, instead of
// retrying for ever.
func TestStartupMisconfiguration(t *testing.T) {
	t.Run("the HTTP port is in use: told before any Neo4j starts", func(t *testing.T) {
		taken, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		// No NEO4J_URI: the local Neo4j would start, and fill its data
		// folder, if the port were not checked first.
		dataDir := t.TempDir()
		err = runFails(t, map[string]string{"PHAKHI_ADDR": taken.Addr().String(), "PHAKHI_DATA_DIR": dataDir}, time.Minute)
		if !strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), "PHAKHI_ADDR") {
			t.Fatalf("got %v, want the address in use and how to choose another", err)
		}
		if entries, err := os.ReadDir(dataDir); err != nil || len(entries) != 0 {
			t.Fatalf("the local Neo4j's data folder holds %d entries (%v): it was started before the port was checked", len(entries), err)
		}
	})
	t.Run("the database does not exist", func(t *testing.T) {
		err := runFails(t, map[string]string{"NEO4J_URI": neo4jtest.URI(t), "NEO4J_DATABASE": "nosuchdb"}, time.Minute)
		if !strings.Contains(err.Error(), `no database "nosuchdb"`) || !strings.Contains(err.Error(), "NEO4J_DATABASE") {
			t.Fatalf("got %v, want the missing database named with the setting", err)
		}
	})
	// The local Neo4j runs without authentication, so the refusal is built
	// as the driver reports it.
	t.Run("credentials refused", func(t *testing.T) {
		err := store.Misconfigured(&neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: "The client is unauthorized due to authentication failure."}, "neo4j")
		if err == nil || !strings.Contains(err.Error(), "NEO4J_PASSWORD") {
			t.Fatalf("got %v, want the credentials named", err)
		}
		forbidden := store.Misconfigured(&neo4j.Neo4jError{Code: "Neo.ClientError.Security.Forbidden", Msg: "Schema operations are not allowed for user 'reader'."}, "neo4j")
		if forbidden == nil || strings.Contains(forbidden.Error(), "NEO4J_PASSWORD") || !strings.Contains(forbidden.Error(), "grant") {
			t.Fatalf("a user without the rights: %v, want the rights named, not the password", forbidden)
		}
		if store.Misconfigured(&neo4j.Neo4jError{Code: "Neo.ClientError.Security.AuthorizationExpired"}, "neo4j") != nil {
			t.Fatal("an expired authorization is renewed by the driver, not a reason to stop")
		}
		if store.Misconfigured(&neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}, "neo4j") != nil {
			t.Fatal("a database that is starting is worth waiting for")
		}
	})
}

// TestRateLimitConfig checks the rate limit's flags and environment.
func TestRateLimitConfig(t *testing.T) {
	parse := func(args []string, env map[string]string) (*config, error) {
		return parseConfig(args, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := parse(nil, nil)
	if err != nil || c.rateLimit.PerSecond != web.DefaultRatePerSecond || c.rateLimit.Burst != web.DefaultRateBurst || c.metricsToken != "" {
		t.Fatalf("defaults: %+v %v", c.rateLimit, err)
	}
	c, err = parse([]string{"-rate-limit", "2.5"}, map[string]string{"PHAKHI_RATE_LIMIT": "7", "PHAKHI_RATE_BURST": "9",
		"PHAKHI_TRUSTED_PROXIES": "10.0.0.0/8,::1", "PHAKHI_METRICS_TOKEN": "s3cret"})
	if err != nil || c.rateLimit.PerSecond != 2.5 || c.rateLimit.Burst != 9 || len(c.rateLimit.TrustedProxies) != 2 || c.metricsToken != "s3cret" {
		t.Fatalf("flag over environment: %+v %q %v", c.rateLimit, c.metricsToken, err)
	}
	if c, err := parse([]string{"-rate-limit", "0", "-rate-burst", "0"}, nil); err != nil || c.rateLimit.Enabled() {
		t.Fatalf("off: %+v %v", c, err)
	}
	for _, args := range [][]string{
		{"-rate-limit", "-1"},
		{"-rate-limit", "NaN"},
		{"-rate-burst", "0"},
		{"-trusted-proxies", "proxy.example"},
	} {
		if _, err := parse(args, nil); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// TestTracingConfig checks how the flags and the OpenTelemetry variables
// turn tracing on and off (web's TestTracingOff runs a server with it
// off).
func TestTracingConfig(t *testing.T) {
	t.Run("Ensure tracing is off by default and creates nothing", func(t *testing.T) {
		cfg, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.tracing.On() {
			t.Fatal("tracing on with no flag and no endpoint")
		}
		tr, err := telemetry.Start(context.Background(), cfg.tracing, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Enabled() || tr.TracerProvider() != nil {
			t.Fatal("tracing off made a tracer provider")
		}
		if err := tr.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Ensure -otel and the OTLP variables turn it on, and OTEL_SDK_DISABLED off", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			env  map[string]string
			on   bool
		}{
			{[]string{"-otel"}, nil, true},
			{nil, map[string]string{"PHAKHI_OTEL": "true"}, true},
			{nil, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, true},
			{nil, map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, true},
			{[]string{"-otel=false"}, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, false},
			{[]string{"-otel"}, map[string]string{"OTEL_SDK_DISABLED": "true"}, false},
			{nil, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"}, false},
		} {
			cfg, err := parseConfig(c.args, func(k string) string { return c.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.tracing.On() != c.on {
				t.Errorf("%v %v: tracing on = %v, want %v", c.args, c.env, cfg.tracing.On(), c.on)
			}
		}
	})
}

// Ensure the imports' own bounds are read from flags and the environment,
// and a bad one is an error naming its flag.
func TestConfigImportBounds(t *testing.T) {
	c, err := parseConfig([]string{"-import-timeout", "20m"}, func(k string) string {
		return map[string]string{"PHAKHI_MAX_IMPORT_BYTES": "67108864"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.importTimeout != 20*time.Minute || c.maxImportBytes != 64<<20 {
		t.Fatalf("import bounds not applied: %s, %d", c.importTimeout, c.maxImportBytes)
	}
	c, err = parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil || c.importTimeout != 10*time.Minute || c.maxImportBytes != 32<<20 {
		t.Fatalf("defaults: %v, %s, %d", err, c.importTimeout, c.maxImportBytes)
	}
	for _, args := range [][]string{{"-max-import-bytes", "0"}, {"-import-timeout", "0s"}} {
		if _, err := parseConfig(args, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: got %v, want an error naming %s", args, err, args[0])
		}
	}
}

// TestConfigGCPercent checks the collector's target: 400 by default, GOGC
// when set and neither the flag nor PHAKHI_GC_PERCENT is, the flag or the
// variable over GOGC, and a bad value named.
func TestConfigGCPercent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		percent int
		applies bool
	}{
		{"Ensure the default applies when nothing is set", nil, nil, defaultGCPercent, true},
		{"Ensure GOGC is left to the runtime", nil, map[string]string{"GOGC": "150"}, defaultGCPercent, false},
		{"Ensure the variable wins over GOGC", nil, map[string]string{"GOGC": "150", "PHAKHI_GC_PERCENT": "200"}, 200, true},
		{"Ensure the flag wins over GOGC", []string{"-gc-percent", "-1"}, map[string]string{"GOGC": "150"}, -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.gcPercent != tc.percent || c.gcApply != tc.applies {
				t.Fatalf("gc percent %d (applies %v), want %d (applies %v)", c.gcPercent, c.gcApply, tc.percent, tc.applies)
			}
		})
	}
	for _, v := range []string{"0", "-5"} {
		if _, err := parseConfig([]string{"-gc-percent", v}, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "-gc-percent") {
			t.Errorf("-gc-percent %s: got %v, want an error naming -gc-percent", v, err)
		}
	}
}
