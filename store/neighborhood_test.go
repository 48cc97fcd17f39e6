package store_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func nodeIDs(ns []domain.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.(domain.Entitied).E().ID
	}
	return out
}

func sorted(ids []string) string {
	c := append([]string(nil), ids...)
	sort.Strings(c)
	return strings.Join(c, ",")
}

func TestNeighborhood(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	hood := func(t *testing.T, q domain.NeighborhoodQuery) *domain.Subgraph {
		t.Helper()
		if q.Cap == 0 {
			q.Cap = 100
		}
		if q.Direction == "" {
			q.Direction = domain.DirectionBoth
		}
		g, err := s.Neighborhood(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}

	t.Run("Ensure depth 1 gives the node, its neighbours and the relationships among them", func(t *testing.T) {
		g := hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 1})
		if got := sorted(nodeIDs(g.Nodes)); got != "codi,codi-south,ev-1,ev-2,net,side-p" {
			t.Fatalf("nodes = %s", got)
		}
		if g.EdgeCount() != 5 || g.Truncated {
			t.Fatalf("%d edges, truncated %v", g.EdgeCount(), g.Truncated)
		}
		if nodeIDs(g.Nodes)[0] != "codi" {
			t.Fatal("the start node does not come first")
		}
	})
	t.Run("Ensure type, direction and label filters narrow the neighbourhood", func(t *testing.T) {
		if got := sorted(nodeIDs(hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 1, Types: []string{"PARTICIPATES_IN"}}).Nodes)); got != "codi,ev-1,ev-2" {
			t.Fatalf("PARTICIPATES_IN only: %s", got)
		}
		if got := sorted(nodeIDs(hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 1, Direction: domain.DirectionIn}).Nodes)); got != "codi,codi-south" {
			t.Fatalf("incoming only: %s", got)
		}
		if got := sorted(nodeIDs(hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 2, Labels: []string{"Event", "Person"}}).Nodes)); got != "codi,ev-1,ev-2,pat" {
			t.Fatalf("events and people: %s", got)
		}
	})
	t.Run("Ensure depth 2 reaches two hops, nearest first", func(t *testing.T) {
		g := hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 2})
		if got := sorted(nodeIDs(g.Nodes)); got != "codi,codi-south,ev-1,ev-2,net,pat,prov-b,room,s1,s2,side-p,trf" {
			t.Fatalf("nodes = %s", got)
		}
		first := sorted(nodeIDs(g.Nodes)[1:6])
		if first != "codi-south,ev-1,ev-2,net,side-p" {
			t.Fatalf("the first five after the start are not the one-hop nodes: %s", first)
		}
	})
	t.Run("Ensure the cap cuts the subgraph short and says so", func(t *testing.T) {
		g := hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 2, Cap: 3})
		if g.NodeCount() != 3 || !g.Truncated {
			t.Fatalf("%d nodes, truncated %v", g.NodeCount(), g.Truncated)
		}
		for _, e := range g.Edges {
			in := map[string]bool{}
			for _, id := range nodeIDs(g.Nodes) {
				in[id] = true
			}
			if !in[e.FromID] || !in[e.ToID] {
				t.Fatalf("edge %s leaves the capped subgraph", e.ID)
			}
		}
	})
	t.Run("Ensure each edge's ends are the subgraph's nodes, whether their selection is covered by the nodes' or not", func(t *testing.T) {
		for _, c := range []struct {
			name      string
			nodes, to *domain.Selection
		}{
			{"covered: taken from the nodes", &domain.Selection{Narrow: true, Props: []string{"name"}}, &domain.Selection{Narrow: true, Props: []string{"name"}}},
			{"not covered: projected per edge", &domain.Selection{Narrow: true}, &domain.Selection{Narrow: true, Props: []string{"nameEn"}}},
		} {
			g := hood(t, domain.NeighborhoodQuery{ID: "codi", Depth: 1, Select: c.nodes,
				RelSelect: &domain.RelSelection{Narrow: true, From: &domain.Selection{Narrow: true}, To: c.to}})
			if len(g.Edges) != 5 {
				t.Fatalf("%s: %d edges", c.name, len(g.Edges))
			}
			for _, e := range g.Edges {
				if e.From == nil || e.To == nil {
					t.Fatalf("%s: edge %s has no end node", c.name, e.ID)
				}
				from, to := e.From.(domain.Entitied).E(), e.To.(domain.Entitied).E()
				if from.ID != e.FromID || to.ID != e.ToID || from.Label == "" || to.Label == "" {
					t.Fatalf("%s: edge %s (%s -> %s) has ends %s:%s -> %s:%s", c.name, e.ID, e.FromID, e.ToID, from.Label, from.ID, to.Label, to.ID)
				}
				if e.ToID == "codi" && to.Name == "" && c.to.Props[0] == "name" {
					t.Fatalf("%s: the end's name is missing", c.name)
				}
			}
		}
	})
	t.Run("Ensure an unknown start is NOT_FOUND", func(t *testing.T) {
		_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{ID: "nobody", Depth: 1, Cap: 5, Direction: domain.DirectionBoth})
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
}
