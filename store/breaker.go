package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// errBreakerOpen is the cause of the round trips the breaker refuses.
var errBreakerOpen = errors.New("store: Neo4j was unreachable at the last attempt; retrying in the background")

// probeEvery is how often an open breaker asks Neo4j whether it is back.
const probeEvery = 250 * time.Millisecond

// breaker makes round trips fail at once while Neo4j is unreachable: the
// first round trip that finds it down (EUNAVAILABLE) opens it, and a
// background probe ("RETURN 1", every 250 ms) closes it when Neo4j answers.
// Without it, a request during an outage waits for the driver's connect
// timeouts and retries (2 s or more), and one during Neo4j's restart for
// the database to come up (seconds more).
type breaker struct {
	mu      sync.Mutex
	open    bool
	closed  bool          // the store is closed: no more probing
	stopped chan struct{} // closed with the store
}

func (b *breaker) isOpen() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

// trip opens the breaker and starts probe, unless it is open already.
func (b *breaker) trip(probe func(context.Context) error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open || b.closed {
		return
	}
	b.open = true
	if b.stopped == nil {
		b.stopped = make(chan struct{})
	}
	stopped := b.stopped
	go func() {
		tick := time.NewTicker(probeEvery)
		defer tick.Stop()
		for {
			select {
			case <-stopped:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := probe(ctx)
			cancel()
			if err == nil {
				b.mu.Lock()
				b.open = false
				b.mu.Unlock()
				return
			}
		}
	}()
}

// close stops probing for good (the store is closing).
func (b *breaker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		if b.stopped != nil {
			close(b.stopped)
		}
	}
}

// probe asks Neo4j for one read, past the breaker, without retries.
func (s *Store) probe(ctx context.Context) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, "RETURN 1 AS one", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database),
		neo4j.ExecuteQueryWithReadersRouting())
	return err
}
