package store

import (
	"context"
	"slices"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestWritesShareReadBookmarks checks that a write transaction leaves its
// bookmark where the reads (ExecuteQuery) take theirs from: on a cluster a
// read after a write then waits for a follower that has the write.
func TestWritesShareReadBookmarks(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, false)
	manager := s.driver.ExecuteQueryBookmarkManager()
	before, err := manager.GetBookmarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write(ctx, "TestWritesShareReadBookmarks", func(tx neo4j.ManagedTransaction) (any, error) {
		return run(ctx, tx, "CREATE (x:BookmarkProbe) DELETE x", nil)
	}); err != nil {
		t.Fatal(err)
	}
	after, err := manager.GetBookmarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) == 0 || slices.Equal(before, after) {
		t.Fatalf("the write left no new bookmark for the reads: before %v, after %v", before, after)
	}
}
