package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

func TestPaths(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	paths := func(t *testing.T, q domain.PathQuery) []*domain.Path {
		t.Helper()
		if q.Types == nil {
			q.Types = store.DefaultLinkTypes()
		}
		ps, err := s.Paths(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	t.Run("Ensure the shortest path comes first, then the alternatives, with evidence", func(t *testing.T) {
		ps := paths(t, domain.PathQuery{From: "pat", To: "trf", K: 3, MaxLength: 4, RelSelect: &domain.RelSelection{Evidence: &domain.Selection{}}})
		if len(ps) != 2 {
			t.Fatalf("%d paths, want 2", len(ps))
		}
		if got := strings.Join(nodeIDs(ps[0].Nodes), ">"); got != "pat>ev-1>trf" {
			t.Fatalf("shortest = %s", got)
		}
		if got := strings.Join(nodeIDs(ps[1].Nodes), ">"); got != "pat>codi-south>codi>ev-1>trf" {
			t.Fatalf("alternative = %s", got)
		}
		for _, e := range ps[1].Edges {
			if len(e.Evidence) == 0 || e.Evidence[0].Source.ID != "src" {
				t.Fatalf("edge %s has no evidence", e.ID)
			}
		}
	})
	t.Run("Ensure types and length bound the paths", func(t *testing.T) {
		if n := len(paths(t, domain.PathQuery{From: "pat", To: "trf", K: 3, MaxLength: 4, Types: []string{"PARTICIPATES_IN"}})); n != 1 {
			t.Fatalf("%d paths over PARTICIPATES_IN, want 1", n)
		}
		if n := len(paths(t, domain.PathQuery{From: "pat", To: "trf", K: 3, MaxLength: 1})); n != 0 {
			t.Fatalf("%d paths of length 1, want 0", n)
		}
	})
	t.Run("Ensure an unknown end is NOT_FOUND naming it", func(t *testing.T) {
		_, err := s.Paths(ctx, domain.PathQuery{From: "pat", To: "ghost", K: 1, MaxLength: 2, Types: store.DefaultLinkTypes()})
		var me *domain.Error
		if domain.ErrorCode(err) != domain.ENOTFOUND || !asErr(err, &me) || me.Field != "to" {
			t.Fatalf("err = %v", err)
		}
	})
}

func asErr(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	if ok {
		*target = e
	}
	return ok
}
