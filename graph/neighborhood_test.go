package graph_test

import (
	"fmt"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestNeighborhood reads neighbourhoods: CODI's on the seed graph, and a
// person's ties in force at given times on the hand-built graph.
func TestNeighborhood(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure the neighbourhood answers on the seed graph", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			neighborhood(id: "codi", depth: 2, cap: 25) { nodeCount edgeCount truncated nodes { id } }
		}`, nil))
		hood := data["neighborhood"]
		if testkit.Dig(hood, "nodeCount") != float64(25) || testkit.Dig(hood, "truncated") != true || testkit.Dig(hood, "edgeCount") != float64(48) {
			t.Fatalf("neighborhood = %v", hood)
		}
		var ids []string
		for _, n := range testkit.Dig(hood, "nodes").([]any) {
			ids = append(ids, testkit.Dig(n, "id").(string))
		}
		// CODI, then its twelve neighbours (the KM unit invites it, in
		// ties.yaml), then the first 12 two hops away by name in Thai order
		// (the cap cuts the rest): the ก…/ข… names (the knowledge side and
		// the movement the unit supports among them), then เครดิตยูเนี่ยน
		// and the เครือข่าย… networks, read from ค; จิ๋ม (จ), ชุมนุม…,
		// ธกส. and the sessions come after and are cut. 48 relationships
		// join the 25 (counted from the seed files).
		testkit.WantIDList(t, "the start", ids[:1], "codi")
		testkit.WantIDSet(t, "CODI's neighbours", ids[1:13], "side-social-process", "community-org-movement", "local-welfare-support-program", "msdhs-minister",
			"km-meeting-2007-04-11", "codi-director", "codi-south", "mib", "community-welfare-forum-2007-02-04", "codi-regional-forums", "km-meeting-2007-04-11-s05", "wu-km-unit")
		testkit.WantIDSet(t, "the two-hop nodes kept", ids[13:], "cdd", "msdhs", "village-funds", "side-knowledge", "south-seminar-2007-01-30", "movement-west-gathering",
			"movement-north-gathering-2007-03-21", "community-finance-welfare-movement", "credit-unions", "monks-network",
			"academic-km-network", "sajja-savings-network")
	})

	mustLoadBundle(t, handBuiltBundle())

	t.Run("Ensure the neighbourhood keeps the ties in force within from and to, and the undated ones", func(t *testing.T) {
		const q = `query($from: String, $to: String) { neighborhood(id: "hb-person", depth: 2, from: $from, to: $to) { nodeCount edgeCount truncated nodes { id } edges { type to { id } } } }`
		cases := []struct {
			from, to any
			want     []string // the nodes beside hb-person
		}{
			{nil, nil, []string{"hb-a2001", "hb-a2004", "hb-a2005-03", "hb-net"}},
			// 2001-2003 ended before 2004; March 2005 starts after it
			{"2004", "2004-12", []string{"hb-a2004", "hb-net"}},
			// inside March 2005: the month's tie and the open one
			{"2005-03-15", "2005-03-20", []string{"hb-a2004", "hb-a2005-03", "hb-net"}},
			// the March tie ended on the 31st
			{"2005-04", nil, []string{"hb-a2004", "hb-net"}},
			{nil, "2003", []string{"hb-a2001", "hb-net"}},
			// the year 2003 overlaps the tie that ended in 2003
			{"2003", "2003", []string{"hb-a2001", "hb-net"}},
		}
		for _, c := range cases {
			data := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"from": c.from, "to": c.to}))
			hood := data["neighborhood"]
			var ids, ends []string
			for _, n := range testkit.Dig(hood, "nodes").([]any) {
				ids = append(ids, testkit.Dig(n, "id").(string))
			}
			for _, e := range testkit.Dig(hood, "edges").([]any) {
				ends = append(ends, testkit.Dig(e, "to", "id").(string))
			}
			what := fmt.Sprintf("neighbourhood from %v to %v", c.from, c.to)
			if len(ids) == 0 || ids[0] != "hb-person" {
				t.Errorf("%s: nodes %v do not start with hb-person", what, ids)
				continue
			}
			testkit.WantIDSet(t, what, ids[1:], c.want...)
			testkit.WantIDSet(t, what+": the ties' other ends", ends, c.want...)
			if testkit.Dig(hood, "nodeCount") != float64(len(c.want)+1) || testkit.Dig(hood, "edgeCount") != float64(len(c.want)) || testkit.Dig(hood, "truncated") != false {
				t.Errorf("%s: %v", what, hood)
			}
		}
	})

}
