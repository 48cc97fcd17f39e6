package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/store"
)

// Ensure NamePages reads every node once, in id order, in pages of the
// size asked, each node with all of its relationships: the same nodes and
// relationships as NameBundle of every id.
func TestNamePages(t *testing.T) {
	testkit.EnsureSeed(t)
	ctx := context.Background()
	st := testkit.OpenStore(t)
	defer store.SetNamePage(7)()

	var ids []string
	pages := 0
	gotRels := map[string]bool{}
	err := st.NamePages(ctx, func(p *domain.Bundle) {
		pages++
		if len(p.Nodes) == 0 || len(p.Nodes) > 7 {
			t.Errorf("page %d holds %d nodes; pages of 1 to 7 asked", pages, len(p.Nodes))
		}
		in := map[string]bool{}
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
			in[n.ID] = true
		}
		for _, r := range p.Relationships {
			if !in[r.From] && !in[r.To] {
				t.Errorf("page %d holds %s, which touches none of its nodes", pages, r.RelID())
			}
			gotRels[r.RelID()] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Fatalf("the pages' ids are not in order, each once: %v", ids)
	}
	n, _ := testkit.Cypher(t, "MATCH (n:Node) RETURN count(n) AS n", nil)[0].Get("n")
	if int64(len(ids)) != n.(int64) || pages != (len(ids)+6)/7 {
		t.Fatalf("%d nodes in %d pages; the graph holds %v", len(ids), pages, n)
	}
	whole, err := st.NameBundle(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	wantRels := map[string]bool{}
	for _, r := range whole.Relationships {
		wantRels[r.RelID()] = true
	}
	if len(whole.Nodes) != len(ids) || len(wantRels) != len(gotRels) {
		t.Fatalf("NameBundle of every id: %d nodes, %d relationships; the pages: %d, %d", len(whole.Nodes), len(wantRels), len(ids), len(gotRels))
	}
	for id := range wantRels {
		if !gotRels[id] {
			t.Errorf("no page holds %s", id)
		}
	}
}
