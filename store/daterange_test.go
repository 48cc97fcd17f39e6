package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// randomDate is a date at a random precision, now and then far outside the
// years the span index is built for (1696 to 2243), where spans clamp, or
// close to its edges, where a span can be long but clamp short.
func randomDate(r *rand.Rand) string {
	year := 1990 + r.IntN(30)
	switch r.IntN(10) {
	case 0:
		year = 1200 + r.IntN(400)
	case 1:
		year = 2300 + r.IntN(700)
	case 2:
		year = 1692 + r.IntN(8)
	case 3:
		year = 2240 + r.IntN(8)
	}
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%04d", year)
	case 1:
		return fmt.Sprintf("%04d-%02d", year, 1+r.IntN(12))
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28))
}

// overlaps is the oracle: two partial dates are compared at the coarser of
// their precisions, so a range overlaps a node dated start..end when the
// node ends no earlier than from and starts no later than to.
func overlaps(n domain.NodeRecord, from, to string) bool {
	if n.Start == nil {
		return false
	}
	end := n.Start.Date
	if n.End != nil {
		end = n.End.Date
	}
	cut := func(a, b string) (string, string) { k := min(len(a), len(b)); return a[:k], b[:k] }
	if from != "" {
		if e, f := cut(end, from); e < f {
			return false
		}
	}
	if to != "" {
		if s, tt := cut(n.Start.Date, to); s > tt {
			return false
		}
	}
	return true
}

// TestDateRangeMatchesOracle checks the dateFrom/dateTo filter (the span
// boxes plus the exact test) against the oracle on 400 randomly dated
// events and 300 random ranges, open and closed, at every precision,
// including dates outside the span index's extent, and on spans and ranges
// at the edges of that extent.
func TestDateRangeMatchesOracle(t *testing.T) {
	s := MustOpenStore(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	b := &domain.Bundle{Nodes: []domain.NodeRecord{{ID: "src", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "แหล่ง", Evidence: []domain.Evidence{{Source: "src", Quote: "self"}}}}}
	var events []domain.NodeRecord
	for i := range 400 {
		n := domain.NodeRecord{ID: fmt.Sprintf("ev-%03d", i), Label: domain.LabelEvent, Kind: "MEETING", Name: fmt.Sprintf("ประชุม %d", i), Evidence: ev("x")}
		if i%17 != 0 { // some events have no date at all
			start := randomDate(r)
			n.Start = &domain.PartialDate{Date: start}
			if r.IntN(3) == 0 {
				end := randomDate(r)
				if k := min(len(start), len(end)); end[:k] < start[:k] {
					start, end = end, start
					n.Start.Date = start
				}
				n.End = &domain.PartialDate{Date: end}
			}
		}
		events = append(events, n)
	}
	// Long spans that clamp short at the edges of the extent, and a short
	// one just inside each edge.
	for i, d := range [][2]string{{"2243-09-01", "2247"}, {"2243-10-10", "2243-10-20"}, {"2242-12", "2300"}, {"1690", "1696-06"}, {"1696-03-10", "1696-03-25"}, {"1600", "1697"}} {
		events = append(events, domain.NodeRecord{ID: fmt.Sprintf("edge-%d", i), Label: domain.LabelEvent, Kind: "MEETING", Name: "ขอบ", Evidence: ev("x"),
			Start: &domain.PartialDate{Date: d[0]}, End: &domain.PartialDate{Date: d[1]}})
	}
	b.Nodes = append(b.Nodes, events...)
	mustLoad(t, s, b)

	var ranges [][2]string
	for range 300 {
		from, to := randomDate(r), randomDate(r)
		switch r.IntN(4) {
		case 0:
			from = ""
		case 1:
			to = ""
		}
		ranges = append(ranges, [2]string{from, to})
	}
	for _, y := range []int{1688, 1695, 1696, 1697, 1700, 2240, 2242, 2243, 2244, 2246, 2250} {
		year := fmt.Sprintf("%04d", y)
		ranges = append(ranges, [2]string{year, year}, [2]string{"", year}, [2]string{year, ""}, [2]string{year + "-11", year + "-11"})
	}
	for _, rg := range ranges {
		from, to := rg[0], rg[1]
		f := &domain.NodeFilter{}
		if from != "" {
			f.DateFrom = &from
		}
		if to != "" {
			f.DateTo = &to
		}
		c, err := s.FindNodes(ctx, domain.ListQuery{Labels: []string{"Event"}, Filter: f, First: 1000, Count: true})
		if err != nil {
			t.Fatalf("from %q to %q: %v", from, to, err)
		}
		got := ids(c)
		var want []string
		for _, n := range events {
			if overlaps(n, from, to) {
				want = append(want, n.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			var extra, missing []string
			for _, id := range got {
				if !slices.Contains(want, id) {
					extra = append(extra, id)
				}
			}
			for _, id := range want {
				if !slices.Contains(got, id) {
					missing = append(missing, id)
				}
			}
			t.Fatalf("from %q to %q: got %d events, want %d; extra %v, missing %v", from, to, len(got), len(want), extra, missing)
		}
		if c.Total != len(want) {
			t.Fatalf("from %q to %q: totalCount %d, want %d", from, to, c.Total, len(want))
		}
	}
	t.Run("Ensure a malformed date is BAD_USER_INPUT naming the field", func(t *testing.T) {
		bad := "2007-13"
		_, err := s.FindNodes(ctx, domain.ListQuery{Labels: []string{"Event"}, Filter: &domain.NodeFilter{And: []*domain.NodeFilter{{DateTo: &bad}}}, First: 10})
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "filter.and[0].dateTo") {
			t.Fatalf("got %v, want BAD_USER_INPUT on filter.and[0].dateTo", err)
		}
	})
}
