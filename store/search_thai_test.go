package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
)

func TestSearchForThaiReaders(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	b, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, b)
	search := func(t *testing.T, text string, minScore *float64) *domain.SearchResult {
		t.Helper()
		res, err := s.Search(ctx, domain.SearchQuery{Text: text, First: 50, MinScore: minScore, Select: &domain.Selection{}})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		return res
	}
	hitIDs := func(r *domain.SearchResult) []string {
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.Node.E().ID)
		}
		return out
	}
	// the nodes whose names (or aliases) have วลัยลักษณ์ as whole words
	named := []string{"walailak-university", "wu-bangkok-office", "sm-tower-meeting-room-1", "wu-km-unit"}

	t.Run("Ensure the university named วลัยลักษณ์ ranks above the rooms and meetings that mention it", func(t *testing.T) {
		r := search(t, "วลัยลักษณ์", nil)
		got := hitIDs(r)
		if len(got) < 7 || got[0] != "walailak-university" {
			t.Fatalf("hits %v", got)
		}
		top := slices.Clone(got[:4])
		slices.Sort(top)
		want := slices.Clone(named)
		slices.Sort(want)
		if !slices.Equal(top, want) {
			t.Fatalf("the first four are %v, want the nodes named so %v", got[:4], named)
		}
		// these only mention it, in their descriptions
		for _, id := range []string{"sm-tower", "km-meeting-2007-04-11", "gotoknow-85545"} {
			if i := slices.Index(got, id); i < 4 || r.Hits[i].MatchedField != "description" || r.Hits[i].Score >= 100 {
				t.Errorf("%s at %d (%+v): want it below the names, matched in its description", id, i, r.Hits[max(i, 0)])
			}
		}
	})

	t.Run("Ensure an exact name scores above every partial match", func(t *testing.T) {
		r := search(t, "มหาวิทยาลัยวลัยลักษณ์", nil)
		if hitIDs(r)[0] != "walailak-university" || r.Hits[0].Score < 200 || r.Hits[1].Score >= 200 {
			t.Fatalf("hits %+v", r.Hits[:2])
		}
	})

	t.Run("Ensure minScore keeps only the whole-word name matches, and counts only them", func(t *testing.T) {
		hundred := 100.0
		r := search(t, "วลัยลักษณ์", &hundred)
		got := hitIDs(r)
		slices.Sort(got)
		want := slices.Clone(named)
		slices.Sort(want)
		if r.Total != 4 || !slices.Equal(got, want) {
			t.Fatalf("total %d, hits %v; want %v", r.Total, got, want)
		}
		high := 1000.0
		if r := search(t, "วลัยลักษณ์", &high); r.Total != 0 || len(r.Hits) != 0 {
			t.Fatalf("minScore 1000: %+v", r)
		}
	})

	t.Run("Ensure a short query ranks names with it as a whole word before names with it inside a word", func(t *testing.T) {
		r := search(t, "ประชุม", nil)
		got := hitIDs(r)
		whole := []string{"south-working-group-2007-04-03", "sufficiency-economy-meeting-2007-04-03", "km-meeting-2007-04-11"}
		top := slices.Clone(got[:3])
		slices.Sort(top)
		slices.Sort(whole)
		if !slices.Equal(top, whole) {
			t.Fatalf("first three %v, want the names that begin with the word ประชุม %v", got[:3], whole)
		}
		// ห้องประชุม (meeting room) is one word: ประชุม is inside it
		if i := slices.Index(got, "sm-tower-meeting-room-1"); i < 3 || r.Hits[i].Score >= 100 {
			t.Fatalf("the meeting room at %d: %v", i, got)
		}
	})

	t.Run("Ensure description snippets are cut where words begin", func(t *testing.T) {
		r := search(t, "วลัยลักษณ์", nil)
		i := slices.Index(hitIDs(r), "gotoknow-85545")
		want := "…2550 ของหน่วยจัดการความรู้องค์กรการเงินชุมชน มหาวิทยาลัยวลัยลักษณ์ กำหนดการ ภาคีที่เชิญ และแนวคิดสามเหลี่ยมเขยื้อนภูเขา พร้อม…"
		if i < 0 || r.Hits[i].MatchedText != want {
			t.Fatalf("snippet %q\nwant %q", r.Hits[max(i, 0)].MatchedText, want)
		}
	})
}
