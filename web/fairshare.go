package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

// CodeBusy is the extensions.code of work refused because the server is
// busy for this client: its own share is in use, or no Neo4j slot came free
// in time. Neo4j is up; retrying shortly helps (UNAVAILABLE means down).
const CodeBusy = "BUSY"

// Shares bound what one client may hold of the server at once, beside the
// rate limit (which counts requests over time) and the store's admission
// (which bounds the transactions on Neo4j, fairly between clients). A zero
// field takes its default; a negative one turns that bound off.
type Shares struct {
	// RequestsPerClient bounds a client's GraphQL and export requests in
	// flight at once (websockets apart); past it, 429 BUSY.
	RequestsPerClient int
	// RootFieldsPerRequest bounds the root fields of one query resolved at
	// once (gqlgen resolves them concurrently, one Neo4j round trip each):
	// the others wait their turn within the request's deadline.
	RootFieldsPerRequest int
	// WholeGraphPerClient bounds a client's whole-graph fields at once
	// (networkMetrics, triangle, bridges, exports), over all its requests;
	// the next waits for one to end, within its request's deadline.
	WholeGraphPerClient int
	// WholeGraphTotal bounds the whole-graph fields of all clients at once;
	// one that waits longer than WholeGraphWait for a turn is BUSY.
	WholeGraphTotal int
	WholeGraphWait  time.Duration
	// SocketsPerClient and SocketsTotal bound the open websockets of one
	// client and of all; past them the upgrade is 429 BUSY.
	SocketsPerClient int
	SocketsTotal     int
}

// DefaultWebsocketInitTimeout is how long a websocket may wait before its
// connection_init (Config.WebsocketInitTimeout).
const DefaultWebsocketInitTimeout = 10 * time.Second

// Defaults of Shares; see docs/security.md, "Fair share".
const (
	DefaultRequestsPerClient    = 8
	DefaultRootFieldsPerRequest = 4
	DefaultWholeGraphPerClient  = 2
	DefaultWholeGraphTotal      = 8
	DefaultWholeGraphWait       = 2 * time.Second
	DefaultSocketsPerClient     = 8
	DefaultSocketsTotal         = 1000
)

func (s Shares) withDefaults() Shares {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.RequestsPerClient, DefaultRequestsPerClient)
	def(&s.RootFieldsPerRequest, DefaultRootFieldsPerRequest)
	def(&s.WholeGraphPerClient, DefaultWholeGraphPerClient)
	def(&s.WholeGraphTotal, DefaultWholeGraphTotal)
	def(&s.SocketsPerClient, DefaultSocketsPerClient)
	def(&s.SocketsTotal, DefaultSocketsTotal)
	if s.WholeGraphWait <= 0 {
		s.WholeGraphWait = DefaultWholeGraphWait
	}
	return s
}

// clientOf names the client of a request, as the rate limit does: its API
// key's name when withAuth placed one, otherwise its address (IPv6: /64).
func clientOf(r *http.Request, trusted []netip.Prefix) string {
	if p := auth.FromContext(r.Context()); p != nil {
		return "key:" + p.Name
	}
	return "ip:" + clientAddr(r, trusted)
}

// counter counts what each client holds now; it forgets a client at zero.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func newCounter() *counter { return &counter{n: map[string]int{}} }

// take adds one for client unless it holds limit already.
func (c *counter) take(client string, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if limit > 0 && c.n[client] >= limit {
		return false
	}
	c.n[client]++
	return true
}

func (c *counter) give(client string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[client]--; c.n[client] <= 0 {
		delete(c.n, client)
	}
}

// fairShare names each request's client for the store's admission and
// bounds the client's requests in flight. It runs inside withAuth.
type fairShare struct {
	cfg      Shares
	trusted  []netip.Prefix
	requests *counter
	sockets  *counter
	metrics  *Metrics

	// whole-graph fields: a semaphore per client, and one for all
	wgMu     sync.Mutex
	wgClient map[string]*clientSem
	wgTotal  chan struct{}
}

type clientSem struct {
	sem  chan struct{}
	refs int
}

func newFairShare(cfg Config) *fairShare {
	s := cfg.Shares.withDefaults()
	f := &fairShare{cfg: s, trusted: cfg.RateLimit.TrustedProxies, requests: newCounter(), sockets: newCounter(),
		metrics: cfg.Metrics, wgClient: map[string]*clientSem{}}
	if s.WholeGraphTotal > 0 {
		f.wgTotal = make(chan struct{}, s.WholeGraphTotal)
	}
	return f
}

// limitRequests names the client and refuses its requests past
// RequestsPerClient in flight with 429 BUSY.
func (f *fairShare) limitRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client := clientOf(r, f.trusted)
		r = r.WithContext(store.WithClient(r.Context(), client))
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		busy := func(msg string, limit int) {
			if f.metrics != nil {
				f.metrics.errors.WithLabelValues(CodeBusy).Inc()
			}
			w.Header().Set("Retry-After", "1")
			refuseRequest(w, r, http.StatusTooManyRequests, CodeBusy, msg,
				map[string]any{"limit": limit, "retryAfterSeconds": 1})
		}
		if r.Header.Get("Upgrade") != "" { // a websocket, held until it closes
			if !f.sockets.take("", f.cfg.SocketsTotal) { // "" counts them all
				busy(fmt.Sprintf("busy: the server holds %d websockets, its most", f.cfg.SocketsTotal), f.cfg.SocketsTotal)
				return
			}
			defer f.sockets.give("")
			if !f.sockets.take(client, f.cfg.SocketsPerClient) {
				busy(fmt.Sprintf("busy: a client may hold %d websockets at once; close one first", f.cfg.SocketsPerClient), f.cfg.SocketsPerClient)
				return
			}
			defer f.sockets.give(client)
			next.ServeHTTP(w, r)
			return
		}
		if !f.requests.take(client, f.cfg.RequestsPerClient) {
			busy(fmt.Sprintf("busy: a client may have %d requests in flight at once; wait for one to end", f.cfg.RequestsPerClient), f.cfg.RequestsPerClient)
			return
		}
		defer f.requests.give(client)
		next.ServeHTTP(w, r)
	})
}

// acquireWholeGraph takes a whole-graph turn for ctx's client: its own
// (waiting within ctx) and then one of all clients' (waiting at most
// WholeGraphWait, then BUSY).
func (f *fairShare) acquireWholeGraph(ctx context.Context) (func(), error) {
	release := func() {}
	if f.cfg.WholeGraphPerClient > 0 {
		client := store.ClientOf(ctx)
		f.wgMu.Lock()
		cs := f.wgClient[client]
		if cs == nil {
			cs = &clientSem{sem: make(chan struct{}, f.cfg.WholeGraphPerClient)}
			f.wgClient[client] = cs
		}
		cs.refs++
		f.wgMu.Unlock()
		unref := func() {
			f.wgMu.Lock()
			if cs.refs--; cs.refs == 0 {
				delete(f.wgClient, client)
			}
			f.wgMu.Unlock()
		}
		select {
		case cs.sem <- struct{}{}:
		case <-ctx.Done():
			unref()
			return nil, ctx.Err()
		}
		release = func() { <-cs.sem; unref() }
	}
	if f.wgTotal == nil {
		return release, nil
	}
	timer := time.NewTimer(f.cfg.WholeGraphWait)
	defer timer.Stop()
	select {
	case f.wgTotal <- struct{}{}:
		own := release
		return func() { <-f.wgTotal; own() }, nil
	case <-timer.C:
		release()
		e := domain.Errorf(domain.EBUSY, "busy: %d whole-graph fields (networkMetrics, triangle, bridges, exports) are running for all clients; retry in a moment", f.cfg.WholeGraphTotal)
		e.Extra = map[string]any{"limit": f.cfg.WholeGraphTotal, "retryAfterSeconds": 1}
		return nil, e
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

// limitWholeGraphHTTP gives a plain HTTP route (the file exports) a
// whole-graph turn, or answers 429 BUSY.
func (f *fairShare) limitWholeGraphHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		release, err := f.acquireWholeGraph(r.Context())
		if err != nil {
			if f.metrics != nil {
				f.metrics.errors.WithLabelValues(CodeBusy).Inc()
			}
			w.Header().Set("Retry-After", "1")
			refuseRequest(w, r, http.StatusTooManyRequests, CodeBusy, "busy: too many whole-graph reads are running; retry in a moment", nil)
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}

type rootSemKey struct{}

// wholeGraphFields are the root fields that read the whole graph (those
// the cost limit weighs 1,000 or more).
func wholeGraphField(object, field string) bool {
	return fieldWeights[object+"."+field] >= 1000
}

// install bounds the root fields of each operation resolved at once and
// gives whole-graph fields their turns.
func (f *fairShare) install(srv *handler.Server) {
	if n := f.cfg.RootFieldsPerRequest; n > 0 {
		srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
			return next(context.WithValue(ctx, rootSemKey{}, make(chan struct{}, n)))
		})
	}
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		rc := graphql.GetRootFieldContext(ctx)
		if rc == nil || rc.Field.Field == nil {
			return next(ctx)
		}
		if sem, ok := ctx.Value(rootSemKey{}).(chan struct{}); ok {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return f.refuseField(ctx, rc, ctx.Err())
			}
		}
		if rc.Object == "Query" && wholeGraphField(rc.Object, rc.Field.Name) {
			release, err := f.acquireWholeGraph(ctx)
			if err != nil {
				return f.refuseField(ctx, rc, err)
			}
			defer release()
		}
		return next(ctx)
	})
}

// refuseField answers a root field with an error at its path, and null.
func (f *fairShare) refuseField(ctx context.Context, rc *graphql.RootFieldContext, err error) graphql.Marshaler {
	graphql.AddError(ctx, &gqlerror.Error{Err: err, Message: err.Error(), Path: ast.Path{ast.PathName(rc.Field.Alias)}})
	return graphql.Null
}
