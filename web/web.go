// Package web is Phakhi's HTTP face: the GraphQL endpoint (/query and
// /graphql), GraphiQL with the explorer plugin at /, /healthz and /readyz,
// CORS, request ids, per-request deadlines and access logs.
package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	coderws "github.com/coder/websocket"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/trace"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/store"
)

//go:embed graphiql
var graphiqlFS embed.FS

// Config configures the HTTP face.
type Config struct {
	// AllowedOrigins for CORS; empty or ["*"] allows every origin (reads are
	// public and no cookies are used).
	AllowedOrigins []string
	// RequestTimeout is every request's deadline (default 30s).
	RequestTimeout time.Duration
	// WebsocketInitTimeout closes a websocket that has not sent its
	// connection_init by then (default DefaultWebsocketInitTimeout).
	WebsocketInitTimeout time.Duration
	// ImportTimeout is the deadline of an editor's import request
	// (importBundle/importCSV alone) when longer than RequestTimeout;
	// the store's import transaction has the same bound.
	ImportTimeout time.Duration
	// MaxImportBytes caps an import's text (default
	// graph.DefaultMaxImportBytes).
	MaxImportBytes int
	// Introspection turns schema introspection on (default on; see
	// DisableIntrospection).
	DisableIntrospection bool
	// ExportCap is the most nodes an export may hold (0: the store's
	// default, domain.ExportCap).
	ExportCap int
	// Keys are the API keys writes (and, unless ReadsPublic, reads) need.
	Keys *auth.Keyring
	// PrivateReads makes reads need a key too (default: reads are open).
	PrivateReads bool
	Logger       *slog.Logger
	// Limits bound every GraphQL request (limits.go); zero fields take
	// their defaults.
	Limits Limits
	// Metrics are served at /metrics (metrics.go); nil creates them.
	Metrics *Metrics
	// Prepared is closed once the schema exists and the seed is loaded (as
	// the seed mode asks); /readyz says not ready until then. Nil: ready
	// as soon as Neo4j answers.
	Prepared <-chan struct{}
	// MetricsToken, when set, is the bearer token /metrics needs
	// (Authorization: Bearer <token>); empty leaves /metrics public.
	MetricsToken string
	// RateLimit bounds each client's requests to /query, /graphql and
	// /export (ratelimit.go); the zero value turns it off.
	RateLimit RateLimit
	// TracerProvider, when set, traces every request (tracing.go); nil
	// installs nothing.
	TracerProvider trace.TracerProvider
	// Shares bound what one client may hold at once: requests in flight,
	// root fields of one request, whole-graph fields (fairshare.go).
	Shares Shares

	rateLimiter *rateLimiter // built by NewHandler from RateLimit
	fair        *fairShare   // built by NewHandler from Shares
}

// NewHandler builds the whole HTTP handler over a store.
func NewHandler(s *store.Store, cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.RateLimit.Enabled() {
		cfg.rateLimiter = newRateLimiter(cfg.RateLimit)
		cfg.Metrics.watchRateLimiter(cfg.rateLimiter)
	}
	if cfg.fair == nil {
		cfg.fair = newFairShare(cfg)
	}
	gql := guardGraphQL(NewGraphQLServer(s, cfg), cfg)
	fair := cfg.fair.limitRequests

	mux := http.NewServeMux()
	// The rate limit comes first: a client sending bad keys is limited by
	// its address before it is told 401.
	mux.Handle("/query", limitRate(withAuth(fair(gql), cfg.Keys), cfg))
	mux.Handle("/graphql", limitRate(withAuth(fair(gql), cfg.Keys), cfg))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if cfg.Prepared != nil {
			select {
			case <-cfg.Prepared:
			default:
				writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "starting", "neo4j": "schema or seed not ready yet"})
				return
			}
		}
		if err := s.Ping(r.Context()); err != nil {
			cfg.Logger.Warn("not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "neo4j": "down"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "neo4j": "up"})
	})
	mux.Handle("GET /export/{format}", limitRate(withAuth(fair(readersOnly(cfg.fair.limitWholeGraphHTTP(exportHandler(s, cfg.ExportCap, cfg.Logger)), cfg.PrivateReads)), cfg.Keys), cfg))
	assets, _ := fs.Sub(graphiqlFS, "graphiql")
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", cacheForever(http.FileServerFS(assets))))
	mux.Handle("GET /{$}", staticGraphiQL(graphiqlPage())) // with its CSP (headers.go)
	mountExplorer(mux)                                     // the graph explorer at /explore (explorer.go)
	mux.Handle("GET /metrics", requireToken(cfg.Metrics.Handler(), cfg.MetricsToken))

	c := cors.New(corsOptions(cfg.AllowedOrigins))
	h := withSecurityHeaders(withRequestContext(c.Handler(cfg.Metrics.instrument(mux, mux)), cfg))
	if cfg.TracerProvider != nil {
		h = traceHTTP(h, mux, cfg.TracerProvider)
	}
	return h
}

// NewGraphQLServer builds the gqlgen server: explicit transports, a query
// cache, persisted queries, introspection, and Phakhi's error presenter.
func NewGraphQLServer(s *store.Store, cfg Config) *handler.Server {
	srv := handler.New(graph.NewSchema(s, cfg.ExportCap, cfg.Logger, graph.WithMaxImportBytes(cfg.MaxImportBytes)))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		// a socket that never sends connection_init is closed then
		InitTimeout:    cmp.Or(cfg.WebsocketInitTimeout, DefaultWebsocketInitTimeout),
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: wsAcceptOptions(cfg.AllowedOrigins)},
		InitFunc:       wsInit(cfg.Keys, cfg.PrivateReads),
	})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if !cfg.DisableIntrospection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{}) // a clean error, not an internal one (introspection.go)
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	if cfg.PrivateReads {
		srv.AroundOperations(requireReader)
	}
	if cfg.DisableIntrospection {
		srv.SetErrorPresenter(withoutSuggestions(graph.ErrorPresenter(cfg.Logger)))
	} else {
		srv.SetErrorPresenter(graph.ErrorPresenter(cfg.Logger))
	}
	srv.SetRecoverFunc(graph.Recover(cfg.Logger))
	if cfg.TracerProvider != nil {
		srv.Use(graphqlTracing{tracer: cfg.TracerProvider.Tracer(tracerName)})
	}
	hardenGraphQL(srv, s, cfg) // query limits, metrics (guard.go)
	if cfg.fair == nil {
		cfg.fair = newFairShare(cfg)
	}
	cfg.fair.install(srv) // root fields at once, whole-graph turns (fairshare.go)
	// Count Neo4j round trips per operation and report them in the
	// response's extensions, so clients (and tests) can see the cost.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		var trips atomic.Int64
		ctx = store.WithTripCounter(ctx, &trips)
		h := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			if resp != nil {
				if resp.Extensions == nil {
					resp.Extensions = map[string]any{}
				}
				resp.Extensions["roundTrips"] = trips.Load()
			}
			return resp
		}
	})
	return srv
}

func graphiqlPage() http.Handler {
	return playground.Handler("Phakhi — GraphiQL", "/query",
		playground.WithGraphiqlEnablePluginExplorer(true),
		playground.WithStoragePrefix("phakhi"),
		playground.WithGraphiqlPersistStateInURL(true),
		// the vendored copies of the exact files gqlgen pins, same hashes
		playground.WithGraphiqlVersion("/graphiql/graphiql.min.js", "/graphiql/graphiql.min.css",
			"sha256-hnImuor1znlJkD/FOTL3jayfS/xsyNoP04abi8bFJWs=", "sha256-MEh+B2NdMSpj9kexQNN3QKc8UzMrCXW/Sx/phcpuyIU="),
		playground.WithGraphiqlReactVersion("/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js",
			"sha256-S0lp+k7zWUMk2ixteM6HZvu8L9Eh//OVrt+ZfbCpmgY=", "sha256-IXWO0ITNDjfnNXIu5POVfqlgYoop36bDzhodR6LW5Pc="),
		playground.WithGraphiqlPluginExplorerVersion("/graphiql/plugin-explorer.umd.js", "/graphiql/plugin-explorer.css",
			"sha256-UM8sWOS0Xa9yLY85q6Clh0pF4qpxX+TOcJ41flECqBs=", "sha256-aJCaSuI7+t/EWRrLTis8jU9EFTua5/o7fnwxnroxDvE="),
	)
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

func allowAll(origins []string) bool {
	return len(origins) == 0 || (len(origins) == 1 && origins[0] == "*")
}

// wsAcceptOptions applies the CORS origin list to websocket upgrades.
func wsAcceptOptions(origins []string) coderws.AcceptOptions {
	if allowAll(origins) {
		return coderws.AcceptOptions{InsecureSkipVerify: true}
	}
	var hosts []string
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			hosts = append(hosts, u.Host)
		}
	}
	return coderws.AcceptOptions{OriginPatterns: hosts}
}

func corsOptions(origins []string) cors.Options {
	o := cors.Options{
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization", "Accept", "X-Request-Id",
			"Apollo-Require-Preflight", "X-Apollo-Operation-Name"},
		ExposedHeaders: []string{"X-Request-Id", "Retry-After"},
		MaxAge:         600,
	}
	if allowAll(origins) {
		o.AllowedOrigins = []string{"*"}
	} else {
		o.AllowedOrigins = origins
	}
	return o
}

// statusRecorder remembers the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (and the websocket upgrade) reach
// the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withRequestContext gives every request an id, a deadline and an access
// log line.
func withRequestContext(next http.Handler, cfg Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		ctx := graph.WithRequestID(r.Context(), id)
		if cfg.TracerProvider != nil {
			tagRequest(ctx, requestIDKey.String(id))
		}
		if r.Header.Get("Upgrade") == "" { // websockets live longer than a request
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, cfg.RequestTimeout)
			defer cancel()
			// The body must arrive by the request's deadline too: a
			// client trickling it a byte at a time is cut off then, not
			// when it pleases (net/http resets the deadline for the next
			// request on the connection).
			deadline, _ := ctx.Deadline()
			_ = http.NewResponseController(w).SetReadDeadline(deadline)
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		began := time.Now()
		next.ServeHTTP(rec, r.WithContext(ctx))
		// asked first: the arguments of a call slog drops are boxed and
		// allocated all the same
		if cfg.Logger.Enabled(ctx, slog.LevelInfo) {
			cfg.Logger.InfoContext(ctx, "http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"ms", time.Since(began).Milliseconds(), "requestId", id)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
