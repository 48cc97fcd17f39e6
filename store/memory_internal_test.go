package store

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/graph/model"
)

// TestQueryOutOfMemory runs a statement that needs more memory than Neo4j
// allows its queries: it is MEMORY_LIMIT, not an outage, so the breaker
// stays closed and the next round trip is served.
func TestQueryOutOfMemory(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, false)
	// about 100M boxed integers: several GiB, against a 1 GiB heap
	_, err := s.read(ctx, "TestQueryOutOfMemory", "UNWIND range(1, 100000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n", nil)
	if model.ErrorCode(err) != model.EMEMORY {
		t.Fatalf("got %v (%s), want %s", err, model.ErrorCode(err), model.EMEMORY)
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
		"Neo.TransientError.General.MemoryPoolOutOfMemoryError": model.EMEMORY,
		"Neo.ClientError.General.TransactionOutOfMemoryError":   model.EMEMORY,
		"Neo.TransientError.General.TransactionMemoryLimit":     model.EMEMORY,
		"Neo.TransientError.Transaction.DeadlockDetected":       model.ECONFLICT,
		"Neo.TransientError.Transaction.LockAcquisitionTimeout": model.ECONFLICT,
		"Neo.TransientError.General.DatabaseUnavailable":        model.EUNAVAILABLE,
	} {
		err := &neo4j.Neo4jError{Code: code, Msg: "m"}
		if got := model.ErrorCode(classify(err)); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
		limit := &neo4j.TransactionExecutionLimit{Cause: "retries ran out", Errors: []error{err}}
		if got := model.ErrorCode(classify(limit)); got != want {
			t.Errorf("%s after the retries: %s, want %s", code, got, want)
		}
	}
}
