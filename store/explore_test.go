package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
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
	t.Run("Ensure an unknown start is NOT_FOUND", func(t *testing.T) {
		_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{ID: "nobody", Depth: 1, Cap: 5, Direction: domain.DirectionBoth})
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
}

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

func TestTriangleAndBridges(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	t.Run("Ensure each side lists who advances it, directly or through programs", func(t *testing.T) {
		sides, err := s.Triangle(ctx, &domain.Selection{}, &domain.Selection{}, &domain.Selection{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, ts := range sides {
			var parts []string
			for _, a := range ts.Advancers {
				p := a.Actor.(domain.Entitied).E().ID
				if a.Direct {
					p += "(direct)"
				}
				for _, v := range a.Via {
					p += "(via " + v.ID + ")"
				}
				parts = append(parts, p)
			}
			got[ts.Side.ID] = strings.Join(parts, ",")
		}
		if got["side-k"] != "trf(via prog)" || got["side-p"] != "codi(direct)" {
			t.Fatalf("triangle = %v", got)
		}
	})
	t.Run("Ensure bridges are ranked by sides reached, then distance", func(t *testing.T) {
		b3, err := s.Bridges(ctx, domain.BridgeQuery{MaxHops: 3, MinSides: 2, First: 10, Select: &domain.Selection{}, SideSelect: &domain.Selection{}})
		if err != nil {
			t.Fatal(err)
		}
		if len(b3) != 1 || b3[0].Actor.(domain.Entitied).E().ID != "trf" || b3[0].TotalDistance() != 5 {
			t.Fatalf("bridges within 3 hops = %+v", b3)
		}
		b4, err := s.Bridges(ctx, domain.BridgeQuery{MaxHops: 4, MinSides: 2, First: 10, Select: &domain.Selection{}, SideSelect: &domain.Selection{}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, b := range b4 {
			ids = append(ids, b.Actor.(domain.Entitied).E().ID)
		}
		if strings.Join(ids, ",") != "codi,trf,pat" {
			t.Fatalf("bridges within 4 hops = %v", ids)
		}
		// one hop: only the direct advancers, each of one side here
		for _, minSides := range []int{1, 2} {
			b1, err := s.Bridges(ctx, domain.BridgeQuery{MaxHops: 1, MinSides: minSides, First: 10, Select: &domain.Selection{}, SideSelect: &domain.Selection{}})
			if err != nil {
				t.Fatalf("maxHops 1: %v", err)
			}
			ids = nil
			for _, b := range b1 {
				ids = append(ids, b.Actor.(domain.Entitied).E().ID)
			}
			if want := map[int]string{1: "codi", 2: ""}[minSides]; strings.Join(ids, ",") != want {
				t.Fatalf("bridges of one hop to %d sides = %v, want %q", minSides, ids, want)
			}
		}
	})
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	search := func(t *testing.T, text string) *domain.SearchResult {
		t.Helper()
		res, err := s.Search(ctx, domain.SearchQuery{Text: text, First: 10, Select: &domain.Selection{}})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		return res
	}
	first := func(r *domain.SearchResult) string {
		if len(r.Hits) == 0 {
			return ""
		}
		return r.Hits[0].Node.E().ID
	}
	t.Run("Ensure a Thai word inside a compound name is found", func(t *testing.T) {
		r := search(t, "องค์กรชุมชน")
		if first(r) != "codi" || r.Hits[0].MatchedField != "name" {
			t.Fatalf("hits = %+v", r.Hits)
		}
	})
	t.Run("Ensure an abbreviation finds its organization, ranked first", func(t *testing.T) {
		r := search(t, "พอช.")
		if first(r) != "codi" || r.Hits[0].MatchedField != "alias" || r.Hits[0].MatchedText != "พอช." {
			t.Fatalf("hits = %+v", r.Hits[0])
		}
		if first(search(t, "สกว.")) != "trf" {
			t.Fatal("สกว. does not find the research fund first")
		}
	})
	t.Run("Ensure English names are found, case-insensitively", func(t *testing.T) {
		if r := search(t, "organizations development"); first(r) != "codi" || r.Hits[0].MatchedField != "nameEn" {
			t.Fatalf("hits = %+v", r.Hits)
		}
	})
	t.Run("Ensure Lucene syntax in the query is neither an error nor an operator", func(t *testing.T) {
		for _, q := range []string{`"`, `(`, `)`, `AND`, `*`, `~`, `\`, `codi)`, `"codi`, `codi~2`, `[a TO z]`, `title:codi`, `a && b || !c`, `/re/`} {
			search(t, q)
		}
		if r := search(t, "COD*"); len(r.Hits) != 0 {
			t.Fatalf("COD* acted as a wildcard: %+v", r.Hits[0])
		}
		if r := search(t, "NOT codi"); first(r) != "codi" {
			t.Fatalf("NOT acted as an operator: %+v", r.Hits)
		}
	})
	t.Run("Ensure results page without overlap and count them all", func(t *testing.T) {
		all, err := s.Search(ctx, domain.SearchQuery{Text: "จังหวัด", First: 10, Select: &domain.Selection{}})
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s.Search(ctx, domain.SearchQuery{Text: "จังหวัด", First: 1, Offset: 1, Select: &domain.Selection{}})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != 2 || p2.Total != 2 || len(p2.Hits) != 1 || p2.Hits[0].Node.E().ID != all.Hits[1].Node.E().ID || !all.Complete {
			t.Fatalf("total %d (complete %v), page 2 %+v", all.Total, all.Complete, p2.Hits)
		}
		if none := search(t, "ไม่มีชื่อนี้"); none.Total != 0 || len(none.Hits) != 0 || !none.Complete {
			t.Fatalf("no match: %+v", none)
		}
	})
	t.Run("Ensure a search that reaches its candidate bound says it is incomplete", func(t *testing.T) {
		b := &domain.Bundle{}
		for i := range 501 {
			b.Nodes = append(b.Nodes, domain.NodeRecord{ID: fmt.Sprintf("fund-%03d", i), Label: domain.LabelNetwork, Kind: "FUNDS",
				Name: fmt.Sprintf("กองทุนสวัสดิการทดสอบ %d", i), Evidence: ev("กองทุน")})
		}
		mustLoad(t, s, b)
		r := search(t, "สวัสดิการทดสอบ")
		if r.Complete || r.Total < 500 || len(r.Hits) != 10 {
			t.Fatalf("501 matches: total %d, complete %v, %d hits; want at least 500, false, 10", r.Total, r.Complete, len(r.Hits))
		}
		if r := search(t, "กองทุนสวัสดิการทดสอบ 7"); !strings.HasPrefix(first(r), "fund-") {
			t.Fatalf("the funds are not found: %+v", r.Hits)
		}
		// One agency among them: a labels filter finds it through the
		// substring search, whose bound comes after the labels, and still
		// says the full-text search was cut before them.
		mustLoad(t, s, &domain.Bundle{Nodes: []domain.NodeRecord{{ID: "welfare-office", Label: domain.LabelAgency, Kind: "GOVERNMENT_OFFICE",
			Name: "สำนักงานสวัสดิการทดสอบ", Evidence: ev("สำนักงาน")}}})
		agencies, err := s.Search(ctx, domain.SearchQuery{Text: "สวัสดิการทดสอบ", Labels: []string{"Agency"}, First: 10, Select: &domain.Selection{}})
		if err != nil {
			t.Fatal(err)
		}
		if first(agencies) != "welfare-office" || agencies.Total != 1 || agencies.Complete {
			t.Fatalf("agencies among 501 funds: %+v (total %d, complete %v), want welfare-office alone, incomplete", agencies.Hits, agencies.Total, agencies.Complete)
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
