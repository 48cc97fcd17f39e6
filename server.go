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
	"fmt"
	"io"
	"log/slog"
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
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/telemetry"
	"github.com/phakhi/phakhi/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "analyze" { // analyze.go
		os.Exit(analyzeCommand(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "phakhi:", err)
		os.Exit(1)
	}
}

// newLogger is the logger -log-level and -log-format ask for, writing to w.
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
	tuneGC(cfg)
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
	defer func() { flushTracing(tracing, logger) }() // the last to go: spans of the requests drained are flushed
	logger = tracing.Logger(logger)                  // trace ids in the logs

	// Listen first: a port in use is told at once, not after Neo4j started.
	var ln net.Listener
	if cfg.command == "serve" {
		if ln, err = listen(cfg.addr); err != nil {
			return err
		}
		defer ln.Close()
		// connections per client address and in all (web/listener.go)
		ln = web.LimitListener(ln, web.ConnLimits{Exempt: cfg.rateLimit.TrustedProxies})
	}
	uri, stopLocal, err := startNeo4j(ctx, cfg, logger, stderr)
	if err != nil {
		return err
	}
	defer stopLocal()
	metrics := web.NewMetrics() // served at /metrics
	st, err := openStore(ctx, cfg, uri, metrics, tracing)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())

	if cfg.command == "reload-seed" {
		return reloadSeed(ctx, st, cfg.neo4jDatabase, logger)
	}
	a := &app{cfg: cfg, logger: logger, keys: keys, tracing: tracing, metrics: metrics, st: st, uri: uri}
	return a.serve(ctx, ln, listening)
}

// flushTracing sends the spans still held, within 5 s.
func flushTracing(tracing *telemetry.Tracing, logger *slog.Logger) {
	flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := tracing.Shutdown(flushCtx); err != nil {
		logger.Error("shutdown tracing", "err", err)
	}
}

// listen listens on the HTTP address, or says how to choose another.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (is another Phakhi running? choose another address with -addr or PHAKHI_ADDR)", addr, err)
	}
	return ln, nil
}

// startNeo4j returns the URI of the Neo4j to use: the configured one, or,
// when none is, that of a local Neo4j it starts. stop stops the local
// Neo4j (and does nothing for a configured one).
func startNeo4j(ctx context.Context, cfg *config, logger *slog.Logger, progress io.Writer) (uri string, stop func(), err error) {
	if cfg.neo4jURI != "" {
		return cfg.neo4jURI, func() {}, nil
	}
	logger.Info("NEO4J_URI is unset: starting a local Neo4j", "dataDir", cfg.dataDir, "boltPort", cfg.localPort)
	local, err := localneo4j.Start(ctx, localneo4j.Config{
		DataDir:   cfg.dataDir,
		Port:      cfg.localPort,
		TxTimeout: max(cfg.queryTimeout*4, cfg.importTimeout), // Neo4j's own bound: the longest transaction
		Progress:  progress,
	})
	if err != nil {
		return "", nil, err
	}
	stop = func() {
		logger.Info("stopping the local Neo4j")
		if err := local.Stop(context.Background()); err != nil {
			logger.Error("stop local Neo4j", "err", err)
		}
	}
	return local.URI(), stop, nil
}

// openStore opens the store on the Neo4j at uri, its round trips measured
// and traced.
func openStore(ctx context.Context, cfg *config, uri string, metrics *web.Metrics, tracing *telemetry.Tracing) (*store.Store, error) {
	return store.Open(ctx, store.Config{
		URI: uri, User: cfg.neo4jUser, Password: cfg.neo4jPassword,
		Database: cfg.neo4jDatabase, QueryTimeout: cfg.queryTimeout, ImportTimeout: cfg.importTimeout,
		Observe:        metrics.ObserveNeo4j,
		TracerProvider: tracing.TracerProvider(),
	})
}

// reloadSeed is the reload-seed command: the schema, then the seed loaded
// again (idempotently).
func reloadSeed(ctx context.Context, st *store.Store, database string, logger *slog.Logger) error {
	err := st.EnsureSchema(ctx)
	if err == nil {
		err = seed.Load(ctx, st, logger, true)
	}
	if fatal := store.Misconfigured(err, database); fatal != nil {
		return fatal
	}
	return err
}

// app is what serving needs, once the store is open.
type app struct {
	cfg     *config
	logger  *slog.Logger
	keys    *auth.Keyring
	tracing *telemetry.Tracing
	metrics *web.Metrics
	st      *store.Store
	uri     string
}

// serve serves HTTP on ln while the schema and the seed are prepared in
// the background (the server answers, and /readyz says not ready,
// meanwhile). It returns when the server fails, when preparing meets a
// misconfiguration that waiting cannot mend, or, once the requests are
// drained, when ctx ends.
func (a *app) serve(ctx context.Context, ln net.Listener, listening chan<- string) error {
	prepared := make(chan struct{}) // closed once the schema and the seed are ready
	srv := a.httpServer(ctx, prepared)
	prepareErr := make(chan error, 1)
	go func() {
		defer close(prepared)
		if err := prepare(ctx, a.st, a.cfg.neo4jDatabase, a.cfg.seedMode, a.logger); err != nil {
			prepareErr <- err
		}
	}()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	url := "http://" + displayAddr(ln.Addr())
	a.logStartup(url)
	if listening != nil {
		listening <- ln.Addr().String()
	}
	if a.cfg.openBrowser {
		go func() { <-prepared; openBrowser(url + "/") }()
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case err := <-prepareErr:
		srv.Close()
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		a.logger.Error("shutdown", "err", err)
	}
	<-prepared
	return nil
}

// httpServer builds the HTTP server and its handler; prepared is closed
// once the schema and the seed are ready.
func (a *app) httpServer(ctx context.Context, prepared <-chan struct{}) *http.Server {
	cfg := a.cfg
	return web.HardenServer(&http.Server{
		Handler: web.NewHandler(a.st, web.Config{
			Prepared:             prepared,
			AllowedOrigins:       origins(cfg.corsOrigins),
			RequestTimeout:       cfg.requestTimeout,
			ImportTimeout:        cfg.importTimeout,
			MaxImportBytes:       cfg.maxImportBytes,
			DisableIntrospection: !cfg.introspection,
			ExportCap:            cfg.exportCap,
			Keys:                 a.keys,
			PrivateReads:         cfg.privateReads,
			Logger:               a.logger,
			Limits:               cfg.limits,
			Metrics:              a.metrics,
			MetricsToken:         cfg.metricsToken,
			RateLimit:            cfg.rateLimit,
			Shares:               cfg.shares,
			TracerProvider:       a.tracing.TracerProvider(),
		}),
		IdleTimeout: 120 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	})
}

// origins splits the comma-separated CORS origins.
func origins(list string) []string {
	var out []string
	for _, o := range strings.Split(list, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// logStartup tells what the server serves, at url, and how.
func (a *app) logStartup(url string) {
	cfg, logger := a.cfg, a.logger
	logger.Info("API keys", "count", a.keys.Len(), "readsNeedKey", cfg.privateReads)
	if cfg.rateLimit.Enabled() {
		logger.Info("rate limit per client", "perSecond", cfg.rateLimit.PerSecond, "burst", cfg.rateLimit.Burst, "trustedProxies", len(cfg.rateLimit.TrustedProxies))
	} else {
		logger.Info("rate limit off")
	}
	if cfg.tracing.Enabled && cfg.tracing.Disabled {
		logger.Info("OpenTelemetry tracing off: OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none")
	}
	if a.tracing.Enabled() {
		logger.Info("OpenTelemetry tracing on", "endpoint", cmp.Or(cfg.tracing.Endpoint, "http://localhost:4318/v1/traces"), "service", cfg.tracing.ServiceName)
	}
	logger.Info("Phakhi is serving", "graphiql", url+"/", "graphql", url+"/query", "neo4j", a.uri)
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
		if err == nil { // the document analyzer's names: built now (beside serving), not on first use
			go func() {
				if err := graph.BuildNameIndex(ctx, st, logger); err != nil {
					logger.Warn("name index not built; the first analysis builds it", "err", err)
				}
			}()
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
