package store

import (
	"context"
	"testing"

	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// TestQueryOutOfMemory runs a statement that needs more memory than Neo4j
// allows its queries: it is MEMORY_LIMIT, not an outage, so the breaker
// stays closed and the next round trip is served.
func TestQueryOutOfMemory(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: neo4jtest.URI(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	// about 100M boxed integers: several GiB, against a 1 GiB heap
	_, err = s.read(ctx, "TestQueryOutOfMemory", "UNWIND range(1, 100000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n", nil)
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
