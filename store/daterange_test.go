package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph/model"
)

// randomDate is a date at a random precision, now and then far outside the
// years the span index is built for (1696 to 2243), where spans clamp.
func randomDate(r *rand.Rand) string {
	year := 1990 + r.IntN(30)
	switch r.IntN(10) {
	case 0:
		year = 1200 + r.IntN(400)
	case 1:
		year = 2300 + r.IntN(700)
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
func overlaps(n model.NodeRecord, from, to string) bool {
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
// box plus the exact test) against the oracle on 400 randomly dated events
// and 300 random ranges, open and closed, at every precision, including
// dates outside the span index's extent.
func TestDateRangeMatchesOracle(t *testing.T) {
	s := MustOpenStore(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	b := &model.Bundle{Nodes: []model.NodeRecord{{ID: "src", Label: model.LabelSource, Kind: "DOCUMENT", Name: "แหล่ง", Evidence: []model.Evidence{{Source: "src", Quote: "self"}}}}}
	var events []model.NodeRecord
	for i := range 400 {
		n := model.NodeRecord{ID: fmt.Sprintf("ev-%03d", i), Label: model.LabelEvent, Kind: "MEETING", Name: fmt.Sprintf("ประชุม %d", i), Evidence: ev("x")}
		if i%17 != 0 { // some events have no date at all
			start := randomDate(r)
			n.Start = &model.PartialDate{Date: start}
			if r.IntN(3) == 0 {
				end := randomDate(r)
				if k := min(len(start), len(end)); end[:k] < start[:k] {
					start, end = end, start
					n.Start.Date = start
				}
				n.End = &model.PartialDate{Date: end}
			}
		}
		events = append(events, n)
	}
	b.Nodes = append(b.Nodes, events...)
	mustLoad(t, s, b)

	for range 300 {
		from, to := randomDate(r), randomDate(r)
		switch r.IntN(4) {
		case 0:
			from = ""
		case 1:
			to = ""
		}
		f := &model.NodeFilter{}
		if from != "" {
			f.DateFrom = &from
		}
		if to != "" {
			f.DateTo = &to
		}
		c, err := s.FindNodes(ctx, model.ListQuery{Labels: []string{"Event"}, Filter: f, First: 1000, Count: true})
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
		if !slices.Equal(got, want) {
			t.Fatalf("from %q to %q: got %d events %v, want %d %v", from, to, len(got), got, len(want), want)
		}
		if c.TotalCount != len(want) {
			t.Fatalf("from %q to %q: totalCount %d, want %d", from, to, c.TotalCount, len(want))
		}
	}
	t.Run("Ensure a malformed date is BAD_USER_INPUT naming the field", func(t *testing.T) {
		bad := "2007-13"
		_, err := s.FindNodes(ctx, model.ListQuery{Labels: []string{"Event"}, Filter: &model.NodeFilter{And: []*model.NodeFilter{{DateTo: &bad}}}, First: 10})
		if model.ErrorCode(err) != model.EINVALID || !strings.Contains(err.Error(), "filter.and[0].dateTo") {
			t.Fatalf("got %v, want BAD_USER_INPUT on filter.and[0].dateTo", err)
		}
	})
}
