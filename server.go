// Command phakhi serves the Phakhi knowledge graph over GraphQL.
//
// With NEO4J_URI unset it starts a local Neo4j of its own (see package
// localneo4j), loads the seed graph if the database is empty, and serves
// GraphiQL at http://localhost:8080/. `phakhi reload-seed` loads the seed
// again (idempotently) and exits.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/telemetry"
	"github.com/phakhi/phakhi/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "phakhi:", err)
		os.Exit(1)
	}
}

// config is everything run reads from flags and the environment.
type config struct {
	addr           string
	neo4jURI       string
	neo4jUser      string
	neo4jPassword  string
	neo4jDatabase  string
	dataDir        string
	localPort      int
	corsOrigins    string
	requestTimeout time.Duration
	queryTimeout   time.Duration
	seedMode       string
	introspection  bool
	logFormat      string
	logLevel       string
	openBrowser    bool
	exportCap      int
	apiKeys        string
	privateReads   bool
	limits         web.Limits
	rateLimit      web.RateLimit
	trustedProxies string
	metricsToken   string
	tracing        telemetry.Config
	command        string
	args           []string
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	// A variable that is set but malformed is an error naming it, never
	// silently the default (PHAKHI_PRIVATE_READS=yes must not leave reads
	// open).
	var bad []error
	envInt := func(k string, def int) int { return envValue(getenv, k, def, "an integer", strconv.Atoi, &bad) }
	envDur := func(k string, def time.Duration) time.Duration {
		return envValue(getenv, k, def, "a duration such as 30s or 2m", time.ParseDuration, &bad)
	}
	envFloat := func(k string, def float64) float64 {
		return envValue(getenv, k, def, "a number", func(v string) (float64, error) { return strconv.ParseFloat(v, 64) }, &bad)
	}
	envBool := func(k string, def bool) bool {
		return envValue(getenv, k, def, "true or false", strconv.ParseBool, &bad)
	}
	c := &config{}
	fs := flag.NewFlagSet("phakhi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: phakhi [flags] [serve | reload-seed | new-key NAME ROLE | hash-key KEY]")
		fmt.Fprintln(stderr, "Every flag can also be set by the environment variable named beside it.")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", env("PHAKHI_ADDR", ":8080"), "HTTP listen address (PHAKHI_ADDR)")
	fs.StringVar(&c.neo4jURI, "neo4j-uri", env("NEO4J_URI", ""), "Neo4j to use, bolt:// or neo4j://; empty starts a local Neo4j (NEO4J_URI)")
	fs.StringVar(&c.neo4jUser, "neo4j-user", env("NEO4J_USER", env("NEO4J_USERNAME", "")), "Neo4j user; empty means no authentication (NEO4J_USER)")
	c.neo4jPassword = getenv("NEO4J_PASSWORD")
	fs.StringVar(&c.neo4jDatabase, "neo4j-database", env("NEO4J_DATABASE", "neo4j"), "Neo4j database (NEO4J_DATABASE)")
	fs.StringVar(&c.dataDir, "data-dir", env("PHAKHI_DATA_DIR", ".phakhi/neo4j"), "data folder of the local Neo4j (PHAKHI_DATA_DIR)")
	fs.IntVar(&c.localPort, "local-bolt-port", envInt("PHAKHI_LOCAL_BOLT_PORT", 17687), "Bolt port of the local Neo4j on 127.0.0.1 (PHAKHI_LOCAL_BOLT_PORT)")
	fs.StringVar(&c.corsOrigins, "cors-origins", env("PHAKHI_CORS_ORIGINS", "*"), "comma-separated origins allowed by CORS, or * (PHAKHI_CORS_ORIGINS)")
	fs.DurationVar(&c.requestTimeout, "request-timeout", envDur("PHAKHI_REQUEST_TIMEOUT", 30*time.Second), "deadline of every HTTP request (PHAKHI_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.queryTimeout, "query-timeout", envDur("PHAKHI_QUERY_TIMEOUT", 15*time.Second), "timeout of every Neo4j transaction (PHAKHI_QUERY_TIMEOUT)")
	fs.StringVar(&c.seedMode, "seed", env("PHAKHI_SEED", "auto"), "auto: load the seed graph if the database is empty; reload: load it on every start; off (PHAKHI_SEED)")
	fs.BoolVar(&c.introspection, "introspection", envBool("PHAKHI_INTROSPECTION", true), "allow schema introspection and field suggestions in errors (PHAKHI_INTROSPECTION)")
	// Query limits (web/limits.go); -1 turns one off.
	fs.IntVar(&c.limits.MaxDepth, "max-depth", envInt("PHAKHI_MAX_DEPTH", web.DefaultMaxDepth), "deepest field nesting of a query (PHAKHI_MAX_DEPTH)")
	fs.IntVar(&c.limits.MaxCost, "max-cost", envInt("PHAKHI_MAX_COST", web.DefaultMaxCost), "highest cost of a query: fields times list sizes (PHAKHI_MAX_COST)")
	fs.IntVar(&c.limits.MaxTokens, "max-tokens", envInt("PHAKHI_MAX_TOKENS", web.DefaultMaxTokens), "most tokens in a query document (PHAKHI_MAX_TOKENS)")
	fs.IntVar(&c.limits.MaxAliases, "max-aliases", envInt("PHAKHI_MAX_ALIASES", web.DefaultMaxAliases), "most aliases in a query (PHAKHI_MAX_ALIASES)")
	fs.IntVar(&c.limits.MaxDirectives, "max-directives", envInt("PHAKHI_MAX_DIRECTIVES", web.DefaultMaxDirectives), "most directives in a query (PHAKHI_MAX_DIRECTIVES)")
	fs.Int64Var(&c.limits.MaxBodyBytes, "max-body-bytes", int64(envInt("PHAKHI_MAX_BODY_BYTES", web.DefaultMaxBodyBytes)), "largest POST body in bytes without an API key; with one, 48 MiB (PHAKHI_MAX_BODY_BYTES)")
	// Rate limit per client (web/ratelimit.go); -rate-limit 0 turns it off.
	fs.Float64Var(&c.rateLimit.PerSecond, "rate-limit", envFloat("PHAKHI_RATE_LIMIT", web.DefaultRatePerSecond), "requests a second one client (API key or address) may send to /query, /graphql and /export; 0 turns the limit off (PHAKHI_RATE_LIMIT)")
	fs.IntVar(&c.rateLimit.Burst, "rate-burst", envInt("PHAKHI_RATE_BURST", web.DefaultRateBurst), "requests one client may send at once (PHAKHI_RATE_BURST)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env("PHAKHI_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client (PHAKHI_TRUSTED_PROXIES)")
	c.metricsToken = getenv("PHAKHI_METRICS_TOKEN")
	// OpenTelemetry tracing (package telemetry): on when an OTLP endpoint
	// is set, or with -otel (to http://localhost:4318); OTEL_SDK_DISABLED
	// turns it off.
	c.tracing = telemetry.ConfigFromEnv(getenv)
	fs.BoolVar(&c.tracing.Enabled, "otel", envBool("PHAKHI_OTEL", c.tracing.Enabled), "export OpenTelemetry traces over OTLP/HTTP; on by default when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (PHAKHI_OTEL)")
	fs.StringVar(&c.logFormat, "log-format", env("PHAKHI_LOG_FORMAT", "text"), "text or json (PHAKHI_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", env("PHAKHI_LOG_LEVEL", "info"), "debug, info, warn or error (PHAKHI_LOG_LEVEL)")
	fs.IntVar(&c.exportCap, "export-cap", envInt("PHAKHI_EXPORT_CAP", 50000), "most nodes an export may hold (PHAKHI_EXPORT_CAP)")
	c.apiKeys = getenv("PHAKHI_API_KEYS")
	if f := getenv("PHAKHI_API_KEYS_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("PHAKHI_API_KEYS_FILE: %w", err)
		}
		c.apiKeys += "\n" + string(b)
	}
	fs.BoolVar(&c.privateReads, "private-reads", envBool("PHAKHI_PRIVATE_READS", false), "reads need an API key too (PHAKHI_PRIVATE_READS)")
	fs.BoolVar(&c.openBrowser, "open", envBool("PHAKHI_OPEN", false), "open GraphiQL in the browser once ready (PHAKHI_OPEN)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, errors.Join(bad...)
	}
	c.command = "serve"
	if fs.NArg() > 0 {
		c.command = fs.Arg(0)
	}
	switch c.command {
	case "serve", "reload-seed", "new-key", "hash-key":
	default:
		return nil, fmt.Errorf("unknown command %q: use serve, reload-seed, new-key NAME ROLE or hash-key KEY", c.command)
	}
	c.args = fs.Args()
	switch c.seedMode {
	case "auto", "reload", "off":
	default:
		return nil, fmt.Errorf("-seed: %q is not auto, reload or off", c.seedMode)
	}
	if c.rateLimit.PerSecond < 0 || math.IsNaN(c.rateLimit.PerSecond) || math.IsInf(c.rateLimit.PerSecond, 0) {
		return nil, fmt.Errorf("-rate-limit: %v is not a number of requests a second (0 turns the limit off)", c.rateLimit.PerSecond)
	}
	if c.rateLimit.Enabled() && c.rateLimit.Burst < 1 {
		return nil, fmt.Errorf("-rate-burst: %d; it must be at least 1", c.rateLimit.Burst)
	}
	proxies, err := web.ParseTrustedProxies(c.trustedProxies)
	if err != nil {
		return nil, fmt.Errorf("-trusted-proxies: %w", err)
	}
	c.rateLimit.TrustedProxies = proxies
	if c.neo4jURI != "" && !strings.Contains(c.neo4jURI, "://") {
		return nil, fmt.Errorf("-neo4j-uri: %q is not a URI such as bolt://localhost:7687", c.neo4jURI)
	}
	return c, nil
}

// envValue is the value of environment variable k parsed by parse, def
// when it is unset, and def plus an error in bad when it is malformed.
func envValue[T any](getenv func(string) string, k string, def T, want string, parse func(string) (T, error), bad *[]error) T {
	v := getenv(k)
	if v == "" {
		return def
	}
	x, err := parse(strings.TrimSpace(v))
	if err != nil {
		*bad = append(*bad, fmt.Errorf("%s: %q is not %s", k, v, want))
		return def
	}
	return x
}

func newLogger(c *config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format: %q is not text or json", c.logFormat)
}

// run is the whole program; main and the end-to-end tests call it. When
// listening is not nil it receives the HTTP address once the server listens.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, listening chan<- string) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	switch cfg.command {
	case "new-key", "hash-key":
		return keyCommand(cfg, stderr)
	}
	keys, err := auth.ParseKeyring(cfg.apiKeys)
	if err != nil {
		return fmt.Errorf("PHAKHI_API_KEYS: %w", err)
	}
	tracing, err := telemetry.Start(ctx, cfg.tracing, logger)
	if err != nil {
		return err
	}
	defer func() { // the last to go: spans of the requests drained below are flushed
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tracing.Shutdown(flushCtx); err != nil {
			logger.Error("shutdown tracing", "err", err)
		}
	}()
	logger = tracing.Logger(logger) // trace ids in the logs

	// Listen first: a port in use is told at once, not after Neo4j started.
	var ln net.Listener
	if cfg.command == "serve" {
		if ln, err = net.Listen("tcp", cfg.addr); err != nil {
			return fmt.Errorf("listen on %s: %w (is another Phakhi running? choose another address with -addr or PHAKHI_ADDR)", cfg.addr, err)
		}
		defer ln.Close()
	}

	uri := cfg.neo4jURI
	var local *localneo4j.Instance
	if uri == "" {
		logger.Info("NEO4J_URI is unset: starting a local Neo4j", "dataDir", cfg.dataDir, "boltPort", cfg.localPort)
		local, err = localneo4j.Start(ctx, localneo4j.Config{
			DataDir:   cfg.dataDir,
			Port:      cfg.localPort,
			TxTimeout: cfg.queryTimeout * 4,
			Progress:  stderr,
		})
		if err != nil {
			return err
		}
		defer func() {
			logger.Info("stopping the local Neo4j")
			if err := local.Stop(context.Background()); err != nil {
				logger.Error("stop local Neo4j", "err", err)
			}
		}()
		uri = local.URI()
	}

	metrics := web.NewMetrics() // served at /metrics
	st, err := store.Open(ctx, store.Config{
		URI: uri, User: cfg.neo4jUser, Password: cfg.neo4jPassword,
		Database: cfg.neo4jDatabase, QueryTimeout: cfg.queryTimeout,
		Observe:        metrics.ObserveNeo4j,
		TracerProvider: tracing.TracerProvider(),
	})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())

	if cfg.command == "reload-seed" {
		err := st.EnsureSchema(ctx)
		if err == nil {
			err = seed.Load(ctx, st, logger, true)
		}
		if fatal := store.Misconfigured(err, cfg.neo4jDatabase); fatal != nil {
			return fatal
		}
		return err
	}

	var origins []string
	for _, o := range strings.Split(cfg.corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	seedDone := make(chan struct{}) // closed once the schema and the seed are ready
	srv := &http.Server{
		Handler: web.NewHandler(st, web.Config{
			Prepared:             seedDone,
			AllowedOrigins:       origins,
			RequestTimeout:       cfg.requestTimeout,
			DisableIntrospection: !cfg.introspection,
			ExportCap:            cfg.exportCap,
			Keys:                 keys,
			PrivateReads:         cfg.privateReads,
			Logger:               logger,
			Limits:               cfg.limits,
			Metrics:              metrics,
			MetricsToken:         cfg.metricsToken,
			RateLimit:            cfg.rateLimit,
			TracerProvider:       tracing.TracerProvider(),
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// The schema and the seed wait for Neo4j in the background: the server
	// answers (and /readyz says not ready) meanwhile. A misconfiguration
	// that waiting cannot mend ends the server.
	prepareErr := make(chan error, 1)
	go func() {
		defer close(seedDone)
		if err := prepare(ctx, st, cfg.neo4jDatabase, cfg.seedMode, logger); err != nil {
			prepareErr <- err
		}
	}()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	url := "http://" + displayAddr(ln.Addr())
	logger.Info("API keys", "count", keys.Len(), "readsNeedKey", cfg.privateReads)
	if cfg.rateLimit.Enabled() {
		logger.Info("rate limit per client", "perSecond", cfg.rateLimit.PerSecond, "burst", cfg.rateLimit.Burst, "trustedProxies", len(cfg.rateLimit.TrustedProxies))
	} else {
		logger.Info("rate limit off")
	}
	if cfg.tracing.Enabled && cfg.tracing.Disabled {
		logger.Info("OpenTelemetry tracing off: OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none")
	}
	if tracing.Enabled() {
		logger.Info("OpenTelemetry tracing on", "endpoint", cmp.Or(cfg.tracing.Endpoint, "http://localhost:4318/v1/traces"), "service", cfg.tracing.ServiceName)
	}
	logger.Info("Phakhi is serving", "graphiql", url+"/", "graphql", url+"/query", "neo4j", uri)
	if listening != nil {
		listening <- ln.Addr().String()
	}
	if cfg.openBrowser {
		go func() { <-seedDone; openBrowser(url + "/") }()
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case err := <-prepareErr:
		srv.Close()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown", "err", err)
	}
	<-seedDone
	return nil
}

// prepare waits for Neo4j, creates the schema and loads the seed graph per
// mode, retrying until it succeeds or ctx ends. It gives up at once, with
// the reason, when Neo4j refuses the credentials or lacks the database.
func prepare(ctx context.Context, st *store.Store, database, mode string, logger *slog.Logger) error {
	for attempt := 0; ; attempt++ {
		err := st.Ping(ctx)
		if err == nil {
			err = st.EnsureSchema(ctx)
		}
		if err == nil {
			switch mode {
			case "auto":
				err = seed.Load(ctx, st, logger, false)
			case "reload":
				err = seed.Load(ctx, st, logger, true)
			}
		}
		if err == nil {
			return nil
		}
		if fatal := store.Misconfigured(err, database); fatal != nil {
			return fatal
		}
		if attempt%10 == 0 {
			logger.Warn("Neo4j not ready yet; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// keyCommand prints a new key with its keyring entry, or a key's hash.
func keyCommand(cfg *config, w io.Writer) error {
	if cfg.command == "hash-key" {
		if len(cfg.args) != 2 {
			return errors.New("usage: phakhi hash-key KEY")
		}
		fmt.Fprintln(w, auth.HashKey(cfg.args[1]))
		return nil
	}
	if len(cfg.args) != 3 {
		return errors.New("usage: phakhi new-key NAME ROLE (reader, editor or admin)")
	}
	if _, err := auth.ParseRole(cfg.args[2]); err != nil {
		return err
	}
	key, err := auth.NewKey()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "key (give it to %s; it is not stored): %s\n", cfg.args[1], key)
	fmt.Fprintf(w, "keyring entry (add to PHAKHI_API_KEYS or PHAKHI_API_KEYS_FILE): %s:%s:%s\n", cfg.args[1], cfg.args[2], auth.HashKey(key))
	return nil
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsUnspecified() {
		return "localhost:" + strconv.Itoa(tcp.Port)
	}
	return tcp.String()
}

func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil && !errors.Is(err, exec.ErrNotFound) {
		slog.Warn("open browser", "err", err)
	}
}
