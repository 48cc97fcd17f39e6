package store

import (
	"context"
	"testing"

	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// openInternal opens a store on the test Neo4j for the package's own
// tests, closed when the test ends; with schema, EnsureSchema has run.
func openInternal(t *testing.T, schema bool) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: neo4jtest.URI(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	if schema {
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
