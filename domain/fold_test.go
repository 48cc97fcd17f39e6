package domain_test

import (
	"slices"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func TestFolding(t *testing.T) {
	t.Run("Ensure a chain of possible identities is one group, its first id standing for it unless one is preferred", func(t *testing.T) {
		pairs := [][2]string{{"c", "b"}, {"b", "a"}, {"x", "y"}}
		f := domain.NewFolding(pairs, "")
		for _, id := range []string{"a", "b", "c"} {
			if f.Into(id) != "a" {
				t.Errorf("Into(%s) = %s, want a", id, f.Into(id))
			}
		}
		if f.Into("y") != "x" || f.Into("lone") != "lone" {
			t.Errorf("Into(y) = %s, Into(lone) = %s", f.Into("y"), f.Into("lone"))
		}
		if g := domain.NewFolding(pairs, "c"); g.Into("a") != "c" || g.Into("x") != "x" {
			t.Errorf("preferring c: Into(a) = %s, Into(x) = %s", g.Into("a"), g.Into("x"))
		}
	})

	t.Run("Ensure a folded subgraph has one node per group with the others' names, and its edges re-pointed", func(t *testing.T) {
		en := "Community Development Department"
		cdd := &domain.Agency{Entity: domain.Entity{ID: "cdd", Label: domain.LabelAgency, Name: "กรมการพัฒนาชุมชน", NameEn: &en, Aliases: []string{"CDD"}}}
		office := &domain.Agency{Entity: domain.Entity{ID: "cdd-office", Label: domain.LabelAgency, Name: "สำนักงานพัฒนาชุมชน", Aliases: []string{"CDD"}}}
		meeting := &domain.Event{Entity: domain.Entity{ID: "meeting", Label: domain.LabelEvent, Name: "ประชุม"}}
		g := &domain.Subgraph{
			Nodes: []domain.Node{cdd, office, meeting},
			Edges: []*domain.Relationship{
				{ID: "same", Type: domain.RelPossiblySameAs, FromID: "cdd-office", ToID: "cdd"},
				{ID: "p1", Type: domain.RelParticipatesIn, FromID: "cdd-office", ToID: "meeting", From: office},
				{ID: "p2", Type: domain.RelParticipatesIn, FromID: "cdd", ToID: "meeting"},
			},
		}
		folds := domain.FoldSubgraph(g, domain.NewFolding([][2]string{{"cdd-office", "cdd"}}, ""))
		if len(folds) != 1 || folds[0].Into != "cdd" || !slices.Equal(folds[0].IDs, []string{"cdd-office"}) {
			t.Fatalf("folds = %+v", folds)
		}
		if len(g.Nodes) != 2 || g.Nodes[0] != domain.Node(cdd) || g.Nodes[1] != domain.Node(meeting) {
			t.Fatalf("nodes = %v", g.Nodes)
		}
		if !slices.Equal(cdd.Aliases, []string{"CDD", "สำนักงานพัฒนาชุมชน"}) {
			t.Errorf("aliases = %v (each name once, the rep's own name and English name left out)", cdd.Aliases)
		}
		var got []string
		for _, r := range g.Edges {
			got = append(got, r.ID+":"+r.FromID+">"+r.ToID)
		}
		if !slices.Equal(got, []string{"p1:cdd>meeting", "p2:cdd>meeting"}) {
			t.Errorf("edges = %v (the identity inside the group dropped, both ties kept)", got)
		}
		if g.Edges[0].From != domain.Node(cdd) {
			t.Errorf("p1's from node is %v, want the folded cdd", g.Edges[0].From)
		}
	})

	t.Run("Ensure a folded slice counts a group once and keeps the pairs between groups", func(t *testing.T) {
		sl := &domain.GraphSlice{IDs: []string{"b", "m", "a"}, Pairs: [][2]string{{"a", "b"}, {"b", "m"}, {"a", "m"}}}
		folds := domain.FoldSlice(sl, domain.NewFolding([][2]string{{"a", "b"}}, ""))
		if !slices.Equal(sl.IDs, []string{"a", "m"}) || len(sl.Pairs) != 2 || len(folds) != 1 || folds[0].Into != "a" {
			t.Fatalf("ids %v, pairs %v, folds %+v", sl.IDs, sl.Pairs, folds)
		}
	})
}
