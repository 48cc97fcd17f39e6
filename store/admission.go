package store

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// Admission: the store lets at most a fixed number of transactions run on
// Neo4j at once, below the driver's pool size, so the pool never runs dry
// (a pool that runs dry makes the driver time out acquiring connections,
// which reads like an outage). A round trip past that number waits in a
// short queue; one that cannot get a slot within AdmissionWait, or finds
// the queue full, is EBUSY (BUSY): the server is busy for that client,
// Neo4j is not down, and the breaker stays closed.
//
// The queue is fair between clients (WithClient names them; the web layer
// names each request's client): a freed slot goes to the waiting client
// that holds the fewest, so a client with one request in flight is served
// before one with sixty, and no client holds more than a quarter of the
// slots while others wait.
const (
	// DefaultAdmissionWait is how long a round trip may wait for a slot.
	DefaultAdmissionWait = 2 * time.Second
	// defaultMaxInFlight caps the slots whatever the pool size: Neo4j on a
	// few cores gains nothing from more transactions at once.
	defaultMaxInFlight = 64
)

// admissionSlots is the number of transactions let in at once for a pool of
// pool connections: three quarters of it (the rest stays for the breaker's
// probe, /readyz's ping, routing-table fetches on a cluster and connections
// being replaced), at most defaultMaxInFlight.
func admissionSlots(pool int) int {
	return max(1, min(defaultMaxInFlight, pool*3/4))
}

type clientKey struct{}

// WithClient names the client on whose behalf ctx's round trips run (an API
// key's name or an address); admission shares Neo4j fairly between clients.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// ClientOf is the client WithClient named, or "".
func ClientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

type admission struct {
	slots     int
	perClient int // while others wait; 0: no cap
	maxQueue  int
	wait      time.Duration

	mu      sync.Mutex
	used    int
	held    map[string]int
	waiters list.List // of *admitWaiter, oldest first
}

type admitWaiter struct {
	client  string
	ready   chan struct{}
	granted bool
}

func newAdmission(slots int) *admission {
	return &admission{
		slots:     slots,
		perClient: max(1, slots/4),
		maxQueue:  4 * slots,
		wait:      DefaultAdmissionWait,
		held:      map[string]int{},
	}
}

// canTake says whether client may take a free slot now: one is free and the
// client is below its share (unnamed work, "", has no share to keep to).
func (a *admission) canTake(client string) bool {
	return a.used < a.slots && (client == "" || a.held[client] < a.perClient)
}

func (a *admission) take(client string) {
	a.used++
	a.held[client]++
}

// acquire takes a slot for ctx's client, waiting at most a.wait; release
// gives it back.
func (a *admission) acquire(ctx context.Context) (release func(), err error) {
	client := ClientOf(ctx)
	a.mu.Lock()
	if a.canTake(client) {
		a.take(client)
		a.mu.Unlock()
		return func() { a.release(client) }, nil
	}
	if a.waiters.Len() >= a.maxQueue {
		a.mu.Unlock()
		return nil, busy("the database is busy: too many queries are waiting", 1)
	}
	w := &admitWaiter{client: client, ready: make(chan struct{})}
	e := a.waiters.PushBack(w)
	a.mu.Unlock()

	timer := time.NewTimer(a.wait)
	defer timer.Stop()
	var cause error
	select {
	case <-w.ready:
		return func() { a.release(client) }, nil
	case <-timer.C:
	case <-ctx.Done():
		cause = ctx.Err()
	}
	a.mu.Lock()
	if w.granted { // granted as the wait ended: keep it
		a.mu.Unlock()
		return func() { a.release(client) }, nil
	}
	a.waiters.Remove(e)
	a.mu.Unlock()
	if cause != nil {
		return nil, cause
	}
	return nil, busy(fmt.Sprintf("the database is busy: no query slot was free within %s", a.wait), 1)
}

// release gives a slot back and hands free slots to the waiters of the
// clients holding the fewest.
func (a *admission) release(client string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.used--
	if a.held[client]--; a.held[client] <= 0 {
		delete(a.held, client)
	}
	for a.used < a.slots {
		var best *list.Element
		for e := a.waiters.Front(); e != nil; e = e.Next() {
			w := e.Value.(*admitWaiter)
			if !a.canTake(w.client) {
				continue
			}
			if best == nil || a.held[w.client] < a.held[best.Value.(*admitWaiter).client] {
				best = e
			}
		}
		if best == nil {
			return
		}
		w := a.waiters.Remove(best).(*admitWaiter)
		a.take(w.client)
		w.granted = true
		close(w.ready)
	}
}

// inUse is the number of slots held.
func (a *admission) inUse() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.used
}

// admit takes an admission slot for one round trip (op names it); the
// readiness ping needs none, so /readyz tells "busy" from "down".
func (s *Store) admit(ctx context.Context, op string) (func(), error) {
	if s.admission == nil || op == "Ping" {
		return func() {}, nil
	}
	return s.admission.acquire(ctx)
}

// AdmissionSlots is how many transactions may run on Neo4j at once, and
// AdmissionInUse how many do now.
func (s *Store) AdmissionSlots() int { return s.admission.slots }

// AdmissionInUse is the number of admission slots held now.
func (s *Store) AdmissionInUse() int { return s.admission.inUse() }

func busy(msg string, retryAfter int) *domain.Error {
	e := domain.Errorf(domain.EBUSY, "%s; retry in a moment", msg)
	e.Extra = map[string]any{"retryAfterSeconds": retryAfter}
	return e
}

// poolExhausted says whether err is the driver giving up waiting for a
// pooled connection (all in use), not failing to reach Neo4j: the pool's
// timeout carries the deadline of its wait, a failed connect its network
// error.
func poolExhausted(err error) bool {
	var ce *neo4j.ConnectivityError
	if !errors.As(err, &ce) || ce.Inner == nil {
		return false
	}
	msg := ce.Inner.Error()
	return strings.HasPrefix(msg, "No idle connections on any of") ||
		(strings.HasPrefix(msg, "Timeout while waiting for connection to any of") &&
			strings.HasSuffix(msg, context.DeadlineExceeded.Error()))
}
