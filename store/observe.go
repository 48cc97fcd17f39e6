package store

import (
	"context"
	"errors"
	"time"

	"github.com/phakhi/phakhi/domain"
)

// defaultPoolSize is the Neo4j Go driver's default MaxConnectionPoolSize.
const defaultPoolSize = 100

func poolSize(configured int) int {
	if configured > 0 {
		return configured
	}
	return defaultPoolSize
}

// begin starts a round trip: it counts it in flight and gives it a
// deadline of its transaction timeout, so the client gives up when Neo4j
// should have (Neo4j checks transaction timeouts only every few hundred
// milliseconds, and an unreachable server never answers). While the
// breaker is open (Neo4j unreachable) it fails at once with EUNAVAILABLE.
// done ends the round trip: an error past the deadline becomes ETIMEOUT
// (the driver reports a deadline met mid-query as a connectivity error),
// EUNAVAILABLE opens the breaker, and the observer hears of it.
func (s *Store) begin(ctx context.Context, kind string, timeout time.Duration) (context.Context, func(*error), error) {
	s.inFlight.Add(1)
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	done := func(errp *error) {
		if *errp != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && domain.ErrorCode(*errp) != domain.ETIMEOUT {
			*errp = domain.Wrap(domain.ETIMEOUT, "the query ran past its time limit", *errp)
		}
		cancel()
		s.inFlight.Add(-1)
		if *errp != nil && domain.ErrorCode(*errp) == domain.EUNAVAILABLE && !errors.Is(*errp, errBreakerOpen) {
			s.down.trip(s.probe)
		}
		if s.observe != nil {
			s.observe(kind, time.Since(began), *errp)
		}
	}
	if s.down.isOpen() {
		return ctx, done, domain.Wrap(domain.EUNAVAILABLE, "the database is unavailable", errBreakerOpen)
	}
	return ctx, done, nil
}

// InFlight is the number of transactions open now. The driver (v5) has no
// pool statistics; each open transaction holds one pooled connection.
func (s *Store) InFlight() int64 { return s.inFlight.Load() }

// MaxPoolSize is the size of the driver's connection pool.
func (s *Store) MaxPoolSize() int { return s.poolSize }
