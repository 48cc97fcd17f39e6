package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

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
