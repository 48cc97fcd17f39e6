package store

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestBackfillNameKeys(t *testing.T) {
	s := openInternal(t, true)
	ctx := context.Background()
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("Ensure a node written without a name key gets one at start", func(t *testing.T) {
		if _, err := s.write(ctx, "test", func(tx neo4j.ManagedTransaction) (any, error) {
			return run(ctx, tx, "CREATE (:Node:Province {id: 'p-old', name: 'แพร่'}), (:Node:Province {id: 'p-stale', name: 'น่าน', nameKey: 'ff', nameKeyVersion: 0})", nil)
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatal(err)
		}
		recs, err := s.read(ctx, "test", "MATCH (n:Node) RETURN n.id AS id, n.nameKey AS key ORDER BY id", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"p-old": NameKey("แพร่"), "p-stale": NameKey("น่าน")}
		for _, rec := range recs {
			id, _ := rec.Get("id")
			key, _ := rec.Get("key")
			if key != want[id.(string)] {
				t.Errorf("%s: nameKey %v, want %s", id, key, want[id.(string)])
			}
		}
		if len(recs) != 2 {
			t.Fatalf("%d nodes", len(recs))
		}
	})
}
