package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// TestQueryOutOfMemory runs a statement that needs more memory than Neo4j
// allows its queries: it is MEMORY_LIMIT, not an outage, so the breaker
// stays closed and the next round trip is served.
func TestQueryOutOfMemory(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, false)
	// A 60 s bound, not the default 15 s: on a loaded machine the query
	// must still reach the memory pool's limit before its time limit.
	s.timeout = 60 * time.Second
	// Up to 100M strings of about 200 bytes, against the test Neo4j's 768
	// MiB heap: the pool refuses after a few million rows (strings, not
	// boxed integers, so that it takes seconds, not minutes, under load).
	_, err := s.read(ctx, "TestQueryOutOfMemory", "UNWIND range(1, 100000000) AS x WITH collect(toString(x) + $pad) AS xs RETURN size(xs) AS n",
		map[string]any{"pad": strings.Repeat("ข", 64)})
	if domain.ErrorCode(err) != domain.EMEMORY {
		t.Fatalf("got %v (%s), want %s", err, domain.ErrorCode(err), domain.EMEMORY)
	}
	if s.down.isOpen() {
		t.Fatal("a query refused its memory opened the breaker: every other request would fail as if Neo4j were down")
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("the next round trip: %v", err)
	}
}

// TestClassifyBusyNotDown checks the Neo4j refusals that mean busy or too
// big, not down: none may open the breaker as UNAVAILABLE would. (The
// memory pool's refusal is provoked for real above; these are the codes
// Neo4j 5.26 gives for the others.)
func TestClassifyBusyNotDown(t *testing.T) {
	for code, want := range map[string]string{
		"Neo.TransientError.General.MemoryPoolOutOfMemoryError": domain.EMEMORY,
		"Neo.ClientError.General.TransactionOutOfMemoryError":   domain.EMEMORY,
		"Neo.TransientError.General.TransactionMemoryLimit":     domain.EMEMORY,
		"Neo.TransientError.Transaction.DeadlockDetected":       domain.ECONFLICT,
		"Neo.TransientError.Transaction.LockAcquisitionTimeout": domain.ECONFLICT,
		"Neo.TransientError.General.DatabaseUnavailable":        domain.EUNAVAILABLE,
	} {
		err := &neo4j.Neo4jError{Code: code, Msg: "m"}
		if got := domain.ErrorCode(classify(err)); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
		limit := &neo4j.TransactionExecutionLimit{Cause: "retries ran out", Errors: []error{err}}
		if got := domain.ErrorCode(classify(limit)); got != want {
			t.Errorf("%s after the retries: %s, want %s", code, got, want)
		}
	}
}
