package store_test

import (
	"context"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// TestSliceLimits checks the two bounds of the subgraph networkMetrics
// measures: a whole-graph slice over its limit stops after limit+1 ids and
// reads no pairs, and a neighbourhood that reaches its cap says so.
func TestSliceLimits(t *testing.T) {
	s := MustOpenStore(t)
	ctx := context.Background()
	b := smallBundle()
	mustLoad(t, s, b)
	nodes := len(b.Nodes) - 1 // every label but Source
	rels := len(b.Relationships)

	sl, err := s.Slice(ctx, domain.MetricsQuery{Limit: nodes})
	if err != nil {
		t.Fatal(err)
	}
	if len(sl.IDs) != nodes || len(sl.Pairs) != rels || sl.Truncated {
		t.Fatalf("within the limit: %d ids, %d pairs, truncated %v; want %d, %d, false", len(sl.IDs), len(sl.Pairs), sl.Truncated, nodes, rels)
	}
	sl, err = s.Slice(ctx, domain.MetricsQuery{Limit: nodes - 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(sl.IDs) != nodes || len(sl.Pairs) != 0 || !sl.Truncated {
		t.Fatalf("over the limit: %d ids, %d pairs, truncated %v; want %d, 0, true", len(sl.IDs), len(sl.Pairs), sl.Truncated, nodes)
	}

	codi := "codi"
	sl, err = s.Slice(ctx, domain.MetricsQuery{Around: &codi, Depth: 1, Cap: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(sl.IDs) != 3 || !sl.Truncated {
		t.Fatalf("around codi, cap 3: %d ids, truncated %v", len(sl.IDs), sl.Truncated)
	}
	sl, err = s.Slice(ctx, domain.MetricsQuery{Around: &codi, Depth: 1, Cap: 100})
	if err != nil {
		t.Fatal(err)
	}
	// codi, ev-1, ev-2, codi-south, net, side-p
	if len(sl.IDs) != 6 || sl.Truncated {
		t.Fatalf("around codi, cap 100: %v, truncated %v", sl.IDs, sl.Truncated)
	}
}
