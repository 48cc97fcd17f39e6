package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func TestTriangleAndBridges(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	t.Run("Ensure each side lists who advances it, directly or through programs", func(t *testing.T) {
		sides, err := s.Triangle(ctx, &domain.Selection{}, &domain.Selection{}, &domain.Selection{}, nil)
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
