package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/telemetry"
	"github.com/phakhi/phakhi/web"
)

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
	importTimeout  time.Duration
	maxImportBytes int
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
	shares         web.Shares
	trustedProxies string
	metricsToken   string
	tracing        telemetry.Config
	gcPercent      int
	gcApply        bool // -gc-percent applies: given, or GOGC unset (gc.go)
	command        string
	args           []string
}

// parseConfig reads the flags in args over the environment: every flag
// can be set by the environment variable named beside it, and a flag
// given wins. Then it checks what the flags alone cannot.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	env := &environment{getenv: getenv}
	c := &config{}
	fs := flag.NewFlagSet("phakhi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: phakhi [flags] [serve | reload-seed | new-key NAME ROLE | hash-key KEY]")
		fmt.Fprintln(stderr, "Every flag can also be set by the environment variable named beside it.")
		fs.PrintDefaults()
	}
	c.neo4jFlags(fs, env)
	c.httpFlags(fs, env)
	c.limitFlags(fs, env)
	c.shareFlags(fs, env)
	c.observabilityFlags(fs, env)
	if err := c.keyFlags(fs, env); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if len(env.bad) > 0 {
		return nil, errors.Join(env.bad...)
	}
	c.gcApply = getenv("GOGC") == "" || getenv("PHAKHI_GC_PERCENT") != "" || flagGiven(fs, "gc-percent")
	if err := c.parseCommand(fs.Args()); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// environment reads the environment variables behind the flags. A
// variable that is set but malformed is an error naming it, kept in bad,
// never silently the default (PHAKHI_PRIVATE_READS=yes must not leave
// reads open).
type environment struct {
	getenv func(string) string
	bad    []error
}

// flagGiven says whether the flag name was on the command line.
func flagGiven(fs *flag.FlagSet, name string) (given bool) {
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func (e *environment) str(k, def string) string {
	if v := e.getenv(k); v != "" {
		return v
	}
	return def
}

func (e *environment) int(k string, def int) int {
	return envValue(e.getenv, k, def, "an integer", strconv.Atoi, &e.bad)
}

func (e *environment) duration(k string, def time.Duration) time.Duration {
	return envValue(e.getenv, k, def, "a duration such as 30s or 2m", time.ParseDuration, &e.bad)
}

func (e *environment) float(k string, def float64) float64 {
	return envValue(e.getenv, k, def, "a number", func(v string) (float64, error) { return strconv.ParseFloat(v, 64) }, &e.bad)
}

func (e *environment) bool(k string, def bool) bool {
	return envValue(e.getenv, k, def, "true or false", strconv.ParseBool, &e.bad)
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

// neo4jFlags: which Neo4j (or the local one, and where it keeps its
// data), how long a transaction may take, and the seed.
func (c *config) neo4jFlags(fs *flag.FlagSet, env *environment) {
	fs.StringVar(&c.neo4jURI, "neo4j-uri", env.str("NEO4J_URI", ""), "Neo4j to use, bolt:// or neo4j://; empty starts a local Neo4j (NEO4J_URI)")
	fs.StringVar(&c.neo4jUser, "neo4j-user", env.str("NEO4J_USER", env.str("NEO4J_USERNAME", "")), "Neo4j user; empty means no authentication (NEO4J_USER)")
	c.neo4jPassword = env.getenv("NEO4J_PASSWORD")
	fs.StringVar(&c.neo4jDatabase, "neo4j-database", env.str("NEO4J_DATABASE", "neo4j"), "Neo4j database (NEO4J_DATABASE)")
	fs.StringVar(&c.dataDir, "data-dir", env.str("PHAKHI_DATA_DIR", ".phakhi/neo4j"), "data folder of the local Neo4j (PHAKHI_DATA_DIR)")
	fs.IntVar(&c.localPort, "local-bolt-port", env.int("PHAKHI_LOCAL_BOLT_PORT", 17687), "Bolt port of the local Neo4j on 127.0.0.1 (PHAKHI_LOCAL_BOLT_PORT)")
	fs.DurationVar(&c.queryTimeout, "query-timeout", env.duration("PHAKHI_QUERY_TIMEOUT", 15*time.Second), "timeout of every Neo4j transaction (PHAKHI_QUERY_TIMEOUT)")
	fs.DurationVar(&c.importTimeout, "import-timeout", env.duration("PHAKHI_IMPORT_TIMEOUT", 10*time.Minute), "deadline of an editor's import (importBundle, importCSV): its request and its one write transaction (PHAKHI_IMPORT_TIMEOUT)")
	fs.StringVar(&c.seedMode, "seed", env.str("PHAKHI_SEED", "auto"), "auto: load the seed graph if the database is empty; reload: load it on every start; off (PHAKHI_SEED)")
}

// httpFlags: where to listen, and what the HTTP face allows.
func (c *config) httpFlags(fs *flag.FlagSet, env *environment) {
	fs.StringVar(&c.addr, "addr", env.str("PHAKHI_ADDR", ":8080"), "HTTP listen address (PHAKHI_ADDR)")
	fs.StringVar(&c.corsOrigins, "cors-origins", env.str("PHAKHI_CORS_ORIGINS", "*"), "comma-separated origins allowed by CORS, or * (PHAKHI_CORS_ORIGINS)")
	fs.DurationVar(&c.requestTimeout, "request-timeout", env.duration("PHAKHI_REQUEST_TIMEOUT", 30*time.Second), "deadline of every HTTP request (PHAKHI_REQUEST_TIMEOUT)")
	fs.BoolVar(&c.introspection, "introspection", env.bool("PHAKHI_INTROSPECTION", true), "allow schema introspection and field suggestions in errors (PHAKHI_INTROSPECTION)")
	fs.IntVar(&c.exportCap, "export-cap", env.int("PHAKHI_EXPORT_CAP", domain.ExportCap), "most nodes an export may hold (PHAKHI_EXPORT_CAP)")
	fs.BoolVar(&c.openBrowser, "open", env.bool("PHAKHI_OPEN", false), "open GraphiQL in the browser once ready (PHAKHI_OPEN)")
}

// limitFlags: the query limits (web/limits.go; -1 turns one off) and the
// rate limit per client (web/ratelimit.go; -rate-limit 0 turns it off).
func (c *config) limitFlags(fs *flag.FlagSet, env *environment) {
	fs.IntVar(&c.limits.MaxDepth, "max-depth", env.int("PHAKHI_MAX_DEPTH", web.DefaultMaxDepth), "deepest field nesting of a query (PHAKHI_MAX_DEPTH)")
	fs.IntVar(&c.limits.MaxCost, "max-cost", env.int("PHAKHI_MAX_COST", web.DefaultMaxCost), "highest cost of a query: fields times list sizes (PHAKHI_MAX_COST)")
	fs.IntVar(&c.limits.MaxTokens, "max-tokens", env.int("PHAKHI_MAX_TOKENS", web.DefaultMaxTokens), "most tokens in a query document (PHAKHI_MAX_TOKENS)")
	fs.IntVar(&c.limits.MaxAliases, "max-aliases", env.int("PHAKHI_MAX_ALIASES", web.DefaultMaxAliases), "most aliases in a query (PHAKHI_MAX_ALIASES)")
	fs.IntVar(&c.limits.MaxDirectives, "max-directives", env.int("PHAKHI_MAX_DIRECTIVES", web.DefaultMaxDirectives), "most directives in a query (PHAKHI_MAX_DIRECTIVES)")
	fs.Int64Var(&c.limits.MaxBodyBytes, "max-body-bytes", int64(env.int("PHAKHI_MAX_BODY_BYTES", web.DefaultMaxBodyBytes)), "largest POST body in bytes without an API key; with one, -max-keyed-body-bytes (PHAKHI_MAX_BODY_BYTES)")
	fs.Float64Var(&c.rateLimit.PerSecond, "rate-limit", env.float("PHAKHI_RATE_LIMIT", web.DefaultRatePerSecond), "requests a second one client (API key or address) may send to /query, /graphql and /export; 0 turns the limit off (PHAKHI_RATE_LIMIT)")
	fs.IntVar(&c.rateLimit.Burst, "rate-burst", env.int("PHAKHI_RATE_BURST", web.DefaultRateBurst), "requests one client may send at once (PHAKHI_RATE_BURST)")
	fs.IntVar(&c.maxImportBytes, "max-import-bytes", env.int("PHAKHI_MAX_IMPORT_BYTES", graph.DefaultMaxImportBytes), "largest text of one import (importBundle's bundle, importCSV's files together), in bytes (PHAKHI_MAX_IMPORT_BYTES)")
	fs.Int64Var(&c.limits.MaxKeyedBodyBytes, "max-keyed-body-bytes", int64(env.int("PHAKHI_MAX_KEYED_BODY_BYTES", web.DefaultMaxKeyedBodyBytes)), "largest POST body in bytes with an editor's or admin's API key: imports (PHAKHI_MAX_KEYED_BODY_BYTES)")
	fs.IntVar(&c.limits.LargeBodies, "large-bodies", env.int("PHAKHI_LARGE_BODIES", web.DefaultLargeBodies), "bodies over -max-body-bytes received at once, of all clients; the next is 429 BUSY (PHAKHI_LARGE_BODIES)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env.str("PHAKHI_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client (PHAKHI_TRUSTED_PROXIES)")
}

// shareFlags: what one client may hold of the server at once (web/fairshare.go;
// docs/security.md, "Fair share"; -1 turns one off).
func (c *config) shareFlags(fs *flag.FlagSet, env *environment) {
	fs.IntVar(&c.shares.RequestsPerClient, "requests-per-client", env.int("PHAKHI_REQUESTS_PER_CLIENT", web.DefaultRequestsPerClient), "GraphQL and export requests one client may have in flight; past it 429 BUSY (PHAKHI_REQUESTS_PER_CLIENT)")
	fs.IntVar(&c.shares.RootFieldsPerRequest, "root-fields-per-request", env.int("PHAKHI_ROOT_FIELDS_PER_REQUEST", web.DefaultRootFieldsPerRequest), "root fields of one query resolved at once; the others wait their turn (PHAKHI_ROOT_FIELDS_PER_REQUEST)")
	fs.IntVar(&c.shares.WholeGraphPerClient, "whole-graph-per-client", env.int("PHAKHI_WHOLE_GRAPH_PER_CLIENT", web.DefaultWholeGraphPerClient), "whole-graph fields (metrics, triangle, bridges, exports) one client may run at once (PHAKHI_WHOLE_GRAPH_PER_CLIENT)")
	fs.IntVar(&c.shares.WholeGraphTotal, "whole-graph-total", env.int("PHAKHI_WHOLE_GRAPH_TOTAL", web.DefaultWholeGraphTotal), "whole-graph fields of all clients at once (PHAKHI_WHOLE_GRAPH_TOTAL)")
	fs.DurationVar(&c.shares.WholeGraphWait, "whole-graph-wait", env.duration("PHAKHI_WHOLE_GRAPH_WAIT", web.DefaultWholeGraphWait), "how long a whole-graph field waits for a turn before BUSY (PHAKHI_WHOLE_GRAPH_WAIT)")
	fs.IntVar(&c.shares.SocketsPerClient, "sockets-per-client", env.int("PHAKHI_SOCKETS_PER_CLIENT", web.DefaultSocketsPerClient), "open websockets of one client (PHAKHI_SOCKETS_PER_CLIENT)")
	fs.IntVar(&c.shares.SocketsTotal, "sockets-total", env.int("PHAKHI_SOCKETS_TOTAL", web.DefaultSocketsTotal), "open websockets of all clients (PHAKHI_SOCKETS_TOTAL)")
}

// observabilityFlags: logs, the /metrics token and OpenTelemetry tracing
// (package telemetry): on when an OTLP endpoint is set, or with -otel (to
// http://localhost:4318); OTEL_SDK_DISABLED turns it off.
func (c *config) observabilityFlags(fs *flag.FlagSet, env *environment) {
	c.metricsToken = env.getenv("PHAKHI_METRICS_TOKEN")
	c.tracing = telemetry.ConfigFromEnv(env.getenv)
	fs.BoolVar(&c.tracing.Enabled, "otel", env.bool("PHAKHI_OTEL", c.tracing.Enabled), "export OpenTelemetry traces over OTLP/HTTP; on by default when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (PHAKHI_OTEL)")
	fs.StringVar(&c.logFormat, "log-format", env.str("PHAKHI_LOG_FORMAT", "text"), "text or json (PHAKHI_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", env.str("PHAKHI_LOG_LEVEL", "info"), "debug, info, warn or error (PHAKHI_LOG_LEVEL)")
	fs.IntVar(&c.gcPercent, "gc-percent", env.int("PHAKHI_GC_PERCENT", defaultGCPercent), "the Go collector's target heap growth in percent, as GOGC; a GOGC variable wins over the default; -1 turns the collector off (PHAKHI_GC_PERCENT)")
}

// keyFlags: the API keys (from the environment and a file) and whether
// reads need one too. A keys file that cannot be read is an error.
func (c *config) keyFlags(fs *flag.FlagSet, env *environment) error {
	c.apiKeys = env.getenv("PHAKHI_API_KEYS")
	if f := env.getenv("PHAKHI_API_KEYS_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("PHAKHI_API_KEYS_FILE: %w", err)
		}
		c.apiKeys += "\n" + string(b)
	}
	fs.BoolVar(&c.privateReads, "private-reads", env.bool("PHAKHI_PRIVATE_READS", false), "reads need an API key too (PHAKHI_PRIVATE_READS)")
	return nil
}

// parseCommand reads the command (serve when none) and its arguments.
func (c *config) parseCommand(args []string) error {
	c.command = "serve"
	if len(args) > 0 {
		c.command = args[0]
	}
	switch c.command {
	case "serve", "reload-seed", "new-key", "hash-key":
	default:
		return fmt.Errorf("unknown command %q: use serve, reload-seed, new-key NAME ROLE or hash-key KEY", c.command)
	}
	c.args = args
	return nil
}

// check refuses the values each flag accepts alone but Phakhi cannot
// use, and parses the trusted proxies.
func (c *config) check() error {
	switch c.seedMode {
	case "auto", "reload", "off":
	default:
		return fmt.Errorf("-seed: %q is not auto, reload or off", c.seedMode)
	}
	if c.rateLimit.PerSecond < 0 || math.IsNaN(c.rateLimit.PerSecond) || math.IsInf(c.rateLimit.PerSecond, 0) {
		return fmt.Errorf("-rate-limit: %v is not a number of requests a second (0 turns the limit off)", c.rateLimit.PerSecond)
	}
	if c.rateLimit.Enabled() && c.rateLimit.Burst < 1 {
		return fmt.Errorf("-rate-burst: %d; it must be at least 1", c.rateLimit.Burst)
	}
	proxies, err := web.ParseTrustedProxies(c.trustedProxies)
	if err != nil {
		return fmt.Errorf("-trusted-proxies: %w", err)
	}
	c.rateLimit.TrustedProxies = proxies
	if c.maxImportBytes <= 0 {
		return fmt.Errorf("-max-import-bytes: %d; it must be at least 1", c.maxImportBytes)
	}
	if c.importTimeout <= 0 {
		return fmt.Errorf("-import-timeout: %s; it must be positive", c.importTimeout)
	}
	if c.gcPercent < -1 || c.gcPercent == 0 {
		return fmt.Errorf("-gc-percent: %d; it must be a positive percentage (GOGC's), or -1 to turn the collector off", c.gcPercent)
	}
	if c.neo4jURI != "" && !strings.Contains(c.neo4jURI, "://") {
		return fmt.Errorf("-neo4j-uri: %q is not a URI such as bolt://localhost:7687", c.neo4jURI)
	}
	return nil
}
