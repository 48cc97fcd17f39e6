package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

// maxOperationNames bounds the distinct operation names the metrics keep
// (clients choose them): later names count as "other".
const maxOperationNames = 200

// Metrics are Phakhi's Prometheus metrics, served at /metrics. Each server
// has its own registry (tests run several servers in one process).
type Metrics struct {
	reg *prometheus.Registry

	operations  *prometheus.CounterVec
	opDuration  *prometheus.HistogramVec
	rootFields  *prometheus.CounterVec
	rootFieldDu *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	httpReqs    *prometheus.CounterVec
	httpDur     *prometheus.HistogramVec
	httpFlight  prometheus.Gauge
	neoTrips    *prometheus.CounterVec
	neoDur      *prometheus.HistogramVec

	mu      sync.Mutex
	opNames map[string]bool
	store   *store.Store
	limiter *rateLimiter
}

// NewMetrics creates the metrics and their registry, with the Go runtime
// and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), opNames: map[string]bool{}}
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phakhi_graphql_operations_total",
		Help: "GraphQL operations answered, by operation name and type (query, mutation, subscription event; invalid when it did not parse or validate).",
	}, []string{"operation", "type"})
	m.opDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "phakhi_graphql_operation_duration_seconds",
		Help:    "Time from the start of a GraphQL request to its response, by operation name and type.",
		Buckets: buckets,
	}, []string{"operation", "type"})
	m.rootFields = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phakhi_graphql_root_fields_total",
		Help: "Root fields resolved, by field (Query.node, Mutation.createNode, ...).",
	}, []string{"field"})
	m.rootFieldDu = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "phakhi_graphql_root_field_duration_seconds",
		Help:    "Time to resolve a root field (its Neo4j round trip included), by field.",
		Buckets: buckets,
	}, []string{"field"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phakhi_graphql_errors_total",
		Help: "GraphQL errors in responses, by extensions.code.",
	}, []string{"code"})
	m.httpReqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phakhi_http_requests_total",
		Help: "HTTP requests, by route and status code.",
	}, []string{"route", "status"})
	m.httpDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "phakhi_http_request_duration_seconds",
		Help:    "HTTP request latency by route (websockets left out).",
		Buckets: buckets,
	}, []string{"route"})
	m.httpFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "phakhi_http_requests_in_flight",
		Help: "HTTP requests being served.",
	})
	m.neoTrips = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phakhi_neo4j_round_trips_total",
		Help: "Neo4j transactions (one Cypher statement each for reads), by kind (read, write) and outcome (ok or the error code).",
	}, []string{"kind", "outcome"})
	m.neoDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "phakhi_neo4j_round_trip_duration_seconds",
		Help:    "Neo4j transaction latency, by kind (read, write).",
		Buckets: buckets,
	}, []string{"kind"})
	m.reg.MustRegister(m.operations, m.opDuration, m.rootFields, m.rootFieldDu, m.errors,
		m.httpReqs, m.httpDur, m.httpFlight, m.neoTrips, m.neoDur,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		// The Neo4j Go driver (v5) exposes no pool statistics: these count
		// Phakhi's own transactions in flight against the pool's size.
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "phakhi_neo4j_transactions_in_flight",
			Help: "Neo4j transactions open now (each holds one pooled connection).",
		}, func() float64 {
			if s := m.watched(); s != nil {
				return float64(s.InFlight())
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "phakhi_rate_limit_clients",
			Help: "Clients (API keys and addresses) the rate limit holds a bucket for; 0 when it is off.",
		}, func() float64 {
			m.mu.Lock()
			rl := m.limiter
			m.mu.Unlock()
			if rl != nil {
				return float64(rl.size())
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "phakhi_neo4j_pool_max_connections",
			Help: "Size of the Neo4j driver's connection pool.",
		}, func() float64 {
			if s := m.watched(); s != nil {
				return float64(s.MaxPoolSize())
			}
			return 0
		}),
	)
	return m
}

// Registry is the metrics' registry (to add collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveNeo4j records one Neo4j round trip: pass it as store.Config.Observe.
func (m *Metrics) ObserveNeo4j(kind string, d time.Duration, err error) {
	outcome := "ok"
	if errors.Is(err, context.Canceled) {
		outcome = "cancelled" // the client went away
	} else if err != nil {
		outcome = domain.ErrorCode(err)
		if outcome == "" {
			outcome = "error"
		}
	}
	m.neoTrips.WithLabelValues(kind, outcome).Inc()
	m.neoDur.WithLabelValues(kind).Observe(d.Seconds())
}

func (m *Metrics) watch(s *store.Store) {
	m.mu.Lock()
	m.store = s
	m.mu.Unlock()
}

func (m *Metrics) watchRateLimiter(rl *rateLimiter) {
	m.mu.Lock()
	m.limiter = rl
	m.mu.Unlock()
}

func (m *Metrics) watched() *store.Store {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.store
}

// operationLabel bounds the operation names: anonymous, invalid, the first
// maxOperationNames names seen, then other.
func (m *Metrics) operationLabel(oc *graphql.OperationContext) string {
	if oc == nil || oc.Operation == nil {
		return "invalid"
	}
	name := oc.Operation.Name
	if name == "" {
		return "anonymous"
	}
	if len(name) > 64 {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opNames[name] {
		return name
	}
	if len(m.opNames) >= maxOperationNames {
		return "other"
	}
	m.opNames[name] = true
	return name
}

// graphqlMetrics is the gqlgen extension that feeds the metrics: every
// response (errors by code, operation count and latency) and every root
// field.
type graphqlMetrics struct{ m *Metrics }

var (
	_ graphql.HandlerExtension     = graphqlMetrics{}
	_ graphql.ResponseInterceptor  = graphqlMetrics{}
	_ graphql.RootFieldInterceptor = graphqlMetrics{}
)

func (graphqlMetrics) ExtensionName() string                          { return "PrometheusMetrics" }
func (graphqlMetrics) Validate(schema graphql.ExecutableSchema) error { return nil }

func (g graphqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	var oc *graphql.OperationContext
	if graphql.HasOperationContext(ctx) {
		oc = graphql.GetOperationContext(ctx)
	}
	name := g.m.operationLabel(oc)
	typ := "invalid"
	if oc != nil && oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if oc.Operation.Operation == ast.Subscription {
			typ = "subscription_event"
		}
	}
	g.m.operations.WithLabelValues(name, typ).Inc()
	if typ != "subscription_event" && oc != nil && !oc.Stats.OperationStart.IsZero() {
		g.m.opDuration.WithLabelValues(name, typ).Observe(time.Since(oc.Stats.OperationStart).Seconds())
	}
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "none"
		}
		g.m.errors.WithLabelValues(code).Inc()
	}
	return resp
}

func (g graphqlMetrics) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	field := "unknown"
	if rc := graphql.GetRootFieldContext(ctx); rc != nil {
		root := "Query"
		if graphql.HasOperationContext(ctx) {
			if op := graphql.GetOperationContext(ctx).Operation; op != nil {
				switch op.Operation {
				case ast.Mutation:
					root = "Mutation"
				case ast.Subscription:
					root = "Subscription"
				}
			}
		}
		field = root + "." + rc.Field.Name
	}
	began := time.Now()
	res := next(ctx)
	g.m.rootFields.WithLabelValues(field).Inc()
	g.m.rootFieldDu.WithLabelValues(field).Observe(time.Since(began).Seconds())
	return res
}

// instrument counts and times the HTTP requests by route (the mux pattern
// that serves them).
func (m *Metrics) instrument(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, route := mux.Handler(r)
		if route == "" {
			route = "unmatched"
		}
		m.httpFlight.Inc()
		defer m.httpFlight.Dec()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		began := time.Now()
		next.ServeHTTP(rec, r)
		if r.Header.Get("Upgrade") == "" {
			m.httpDur.WithLabelValues(route).Observe(time.Since(began).Seconds())
		}
		m.httpReqs.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
	})
}
