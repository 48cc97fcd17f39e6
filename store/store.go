// Package store is Phakhi's only door to Neo4j: every Cypher statement of the
// project lives here. Values always travel as parameters; labels and
// relationship types come only from the allow-lists of package domain. Reads
// run in read transactions routed to readers, writes in write transactions,
// each with a timeout.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"go.opentelemetry.io/otel/trace"

	"github.com/phakhi/phakhi/domain"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, neo4j://, bolt+s://, neo4j+s://
	User     string // empty: no authentication
	Password string
	Database string // default "neo4j"
	// QueryTimeout bounds every transaction (default 15s; writes get four
	// times it).
	QueryTimeout time.Duration
	// ImportTimeout bounds an import's one write transaction (Import,
	// LoadBundle; default four times QueryTimeout, as other writes).
	ImportTimeout time.Duration
	// MaxPoolSize caps the driver's connection pool (default 100).
	MaxPoolSize int
	// Observe, when set, hears of every round trip when it ends: its kind
	// (read or write), how long it took and its (classified) error. The
	// metrics hook in here; it must be quick and safe for concurrent use.
	Observe func(kind string, d time.Duration, err error)
	// TracerProvider, when set, gets one client span per round trip made
	// within a trace (a request's; see trace.go); nil traces nothing.
	TracerProvider trace.TracerProvider
}

// Store runs Phakhi's queries on one Neo4j database. It is safe for
// concurrent use; one per process.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	timeout  time.Duration
	// importTimeout bounds an import's transaction (Config.ImportTimeout)
	importTimeout time.Duration

	roundTrips atomic.Int64

	observe  func(kind string, d time.Duration, err error) // see observe.go
	tracer   trace.Tracer                                  // nil: no spans (trace.go)
	poolSize int
	inFlight atomic.Int64
	down     breaker // fail fast while Neo4j is unreachable (breaker.go)
	// admission bounds the transactions on Neo4j at once (admission.go)
	admission *admission
}

// Open creates the driver. It does not wait for Neo4j: see Ping.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("store: no Neo4j URI")
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 15 * time.Second
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		if cfg.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxPoolSize
		}
		// Fail fast while Neo4j is down instead of queueing requests.
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		c.SocketConnectTimeout = 3 * time.Second
		// The driver sleeps about 2 s before its first retry and 4 s before
		// the second: 1 s allows one retry, so a request fails within about
		// 2 s while Neo4j is down (2 s allowed two: 6 s).
		c.MaxTransactionRetryTime = 1 * time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("store: open driver: %w", err)
	}
	if cfg.ImportTimeout <= 0 {
		cfg.ImportTimeout = 4 * cfg.QueryTimeout
	}
	st := &Store{driver: driver, database: cfg.Database, timeout: cfg.QueryTimeout, importTimeout: cfg.ImportTimeout,
		observe: cfg.Observe, poolSize: poolSize(cfg.MaxPoolSize)}
	st.admission = newAdmission(admissionSlots(st.poolSize))
	if cfg.TracerProvider != nil {
		st.tracer = cfg.TracerProvider.Tracer(tracerName)
	}
	return st, nil
}

// Close closes the driver.
func (s *Store) Close(ctx context.Context) error { s.down.close(); return s.driver.Close(ctx) }

// Ping checks that Neo4j answers a read within a short time.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, err := s.read(ctx, "Ping", "RETURN 1 AS one", nil)
	return err
}

// Misconfigured explains an error that retrying cannot mend: Neo4j refused
// the credentials or the rights Phakhi needs, the database does not exist,
// or its data breaks a uniqueness rule the schema must add. It is nil for
// any other error (Neo4j down or starting, a query that failed).
func Misconfigured(err error, database string) error {
	var ne *neo4j.Neo4jError
	if !errors.As(err, &ne) {
		return nil
	}
	switch {
	case ne.Code == "Neo.ClientError.Security.Unauthorized", ne.Code == "Neo.ClientError.Security.AuthenticationRateLimit":
		return fmt.Errorf("the Neo4j server refused the credentials (%s): check NEO4J_USER and NEO4J_PASSWORD (-neo4j-user): %s", ne.Code, ne.Msg)
	case ne.Code == "Neo.ClientError.Security.Forbidden":
		return fmt.Errorf("the Neo4j user may not do what Phakhi needs (%s; it creates indexes and constraints, and writes): grant the rights or use another user: %s", ne.Code, ne.Msg)
	case strings.HasSuffix(ne.Code, ".Schema.ConstraintCreationFailed"):
		return fmt.Errorf("the data breaks a uniqueness rule Phakhi's schema needs: %w", err)
	case ne.Code == "Neo.ClientError.Database.DatabaseNotFound":
		return fmt.Errorf("the Neo4j server has no database %q: check NEO4J_DATABASE (-neo4j-database): %s", database, ne.Msg)
	}
	return nil
}

// RoundTrips is the number of Cypher statements sent since the store opened.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

type tripCounterKey struct{}

// WithTripCounter returns a context under which the store adds the round
// trips it makes to *n (the GraphQL layer counts them per request).
func WithTripCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, tripCounterKey{}, n)
}

func (s *Store) count(ctx context.Context) {
	s.roundTrips.Add(1)
	if n, ok := ctx.Value(tripCounterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// read runs one statement in a read transaction routed to readers. op
// names the store method, for traces.
func (s *Store) read(ctx context.Context, op, cypher string, params map[string]any) (recs []*neo4j.Record, err error) {
	s.count(ctx)
	if s.tracer != nil && trace.SpanContextFromContext(ctx).IsValid() { // within a request's trace
		var span trace.Span
		ctx, span = s.startSpan(ctx, op, "read")
		defer func() { endSpan(span, len(recs), err) }() // after done below
	}
	release, err := s.admit(ctx, op)
	if err != nil {
		return nil, classify(err)
	}
	defer release()
	ctx, done, err := s.begin(ctx, "read", s.timeout)
	defer done(&err)
	if err != nil {
		return nil, err
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database),
		neo4j.ExecuteQueryWithReadersRouting(),
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.timeout)))
	if err != nil {
		return nil, classify(err)
	}
	return res.Records, nil
}

// write runs work in one write transaction: all of it or none. op names
// the store method, for traces.
func (s *Store) write(ctx context.Context, op string, work func(tx neo4j.ManagedTransaction) (any, error)) (_ any, err error) {
	return s.writeWithin(ctx, op, s.timeout*4, work)
}

// writeWithin is write with its own transaction timeout (the imports').
func (s *Store) writeWithin(ctx context.Context, op string, timeout time.Duration, work func(tx neo4j.ManagedTransaction) (any, error)) (_ any, err error) {
	s.count(ctx)
	if s.tracer != nil && trace.SpanContextFromContext(ctx).IsValid() { // within a request's trace
		var span trace.Span
		ctx, span = s.startSpan(ctx, op, "write")
		defer func() { endSpan(span, -1, err) }() // after done below
	}
	release, err := s.admit(ctx, op)
	if err != nil {
		return nil, classify(err)
	}
	defer release()
	ctx, done, err := s.begin(ctx, "write", timeout)
	defer done(&err)
	if err != nil {
		return nil, err
	}
	// The write shares ExecuteQuery's bookmark manager, so the reads after
	// it (a mutation's read-back, routed to a follower on a cluster) see it.
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager()})
	defer session.Close(ctx)
	out, err := session.ExecuteWrite(ctx, work, neo4j.WithTxTimeout(timeout))
	if err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// classify turns driver errors into model errors with a code.
func classify(err error) error {
	var me *domain.Error
	if errors.As(err, &me) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return domain.Errorf(domain.ETIMEOUT, "the database did not answer in time")
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	// retries ran out: judge by the last attempt's error
	var tel *neo4j.TransactionExecutionLimit
	if errors.As(err, &tel) {
		if n := len(tel.Errors); n > 0 {
			if inner := classify(tel.Errors[n-1]); domain.ErrorCode(inner) != domain.EINTERNAL {
				return inner
			}
		}
		return domain.Wrap(domain.EUNAVAILABLE, "the database is unavailable", err)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case ne.Code == "Neo.ClientError.Transaction.TransactionTimedOut",
			ne.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration":
			return domain.Errorf(domain.ETIMEOUT, "the query ran past its time limit")
		case strings.HasSuffix(ne.Code, ".General.MemoryPoolOutOfMemoryError"),
			strings.HasSuffix(ne.Code, ".General.TransactionMemoryLimit"),
			strings.HasSuffix(ne.Code, ".General.TransactionOutOfMemoryError"), // over db.memory.transaction.max
			strings.HasSuffix(ne.Code, ".General.OutOfMemoryError"):
			// Neo4j refused the memory, and lives on: not an outage (the
			// breaker stays closed), but a query too big for it now.
			return domain.Wrap(domain.EMEMORY, "the database ran out of the memory it allows queries (this one with those running beside it): narrow the query (fewer hops, a smaller depth or page) or retry later", err)
		case strings.HasSuffix(ne.Code, ".Transaction.DeadlockDetected"),
			strings.HasSuffix(ne.Code, ".Transaction.LockAcquisitionTimeout"):
			// writes on the same nodes, still crossing after the retries:
			// busy, not down (the breaker stays closed)
			return domain.Wrap(domain.ECONFLICT, "the write kept meeting other writes on the same nodes: retry it", err)
		case ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return domain.Errorf(domain.ECONFLICT, "%s", ne.Msg)
		case ne.Code == "Neo.TransientError.General.DatabaseUnavailable":
			return domain.Wrap(domain.EUNAVAILABLE, "the database is unavailable", err)
		}
		return fmt.Errorf("neo4j: %w", err)
	}
	if poolExhausted(err) { // every pooled connection in use: busy, not down
		return busy("the database is busy: no connection was free in time", 1)
	}
	var ce *neo4j.ConnectivityError
	if errors.As(err, &ce) || neo4j.IsConnectivityError(err) || errors.Is(err, &neo4j.UsageError{}) {
		return domain.Wrap(domain.EUNAVAILABLE, "the database is unavailable", err)
	}
	if neo4j.IsRetryable(err) {
		return domain.Wrap(domain.EUNAVAILABLE, "the database is unavailable", err)
	}
	return err
}
