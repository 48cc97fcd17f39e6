package graph_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestNetworkMetrics computes the network metrics of the seed graph (the
// figures networkx gives from the seed files) and of the hand-built star
// and path (worked out by hand).
func TestNetworkMetrics(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure network metrics answer on the seed graph", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			networkMetrics(first: 3) { nodeCount edgeCount exact componentCount nodes { node { id } degree betweenness } components { size members } }
		}`, nil))
		// The whole graph but its 7 sources: 159 nodes and 217 linked pairs
		// (AUTHORED and MENTIONS left out). The main component holds 127
		// (จิ๋ม is in it since ties.yaml: พี่มิบ sends her in place of พัช);
		// the northeast (a region and 20 provinces) and the east (7) touch
		// nothing in the post; three logistics events of ties.yaml (the trip
		// up, the holiday, the ticket shortage) are only mentioned.
		// Betweenness: pair dependencies (networkx 3.6, from the three seed
		// files) over 158·157/2 pairs.
		m := data["networkMetrics"]
		if testkit.Dig(m, "nodeCount") != float64(159) || testkit.Dig(m, "edgeCount") != float64(217) || testkit.Dig(m, "exact") != true || testkit.Dig(m, "componentCount") != float64(6) {
			t.Fatalf("metrics = %v", m)
		}
		var sizes []string
		for _, c := range testkit.Dig(m, "components").([]any) {
			sizes = append(sizes, fmt.Sprint(testkit.Dig(c, "size")))
		}
		testkit.WantIDList(t, "component sizes", sizes, "127", "21", "8", "1", "1", "1")
		var isolated []string
		for i := 3; i < 6; i++ {
			isolated = append(isolated, fmt.Sprint(testkit.Dig(m, "components", i, "members", 0)))
		}
		testkit.WantIDSet(t, "the isolated nodes", isolated, "travel-up-2007-04-10", "songkran-holiday-2007", "songkran-ticket-shortage-2007")
		top := []struct {
			id          string
			degree      float64
			betweenness float64
		}{
			{"peem", 10, 2255083.0 / 585 / 12403},
			{"km-meeting-2007-04-11", 34, 4987477.0 / 1820 / 12403},
			{"sufficiency-economy-meeting-2007-04-03", 3, 30185.0 / 12 / 12403},
		}
		nodes := testkit.Dig(m, "nodes").([]any)
		if len(nodes) != len(top) {
			t.Fatalf("top nodes = %v", nodes)
		}
		for i, w := range top {
			n := nodes[i]
			if testkit.Dig(n, "node", "id") != w.id || testkit.Dig(n, "degree") != w.degree || math.Abs(testkit.Dig(n, "betweenness").(float64)-w.betweenness) > 1e-12 {
				t.Errorf("top[%d] = %v, want %s with degree %v and betweenness %.15f", i, n, w.id, w.degree, w.betweenness)
			}
		}
	})

	// loaded after them: the whole-graph figures above are the seed graph's alone
	mustLoadBundle(t, handBuiltBundle())

	t.Run("Ensure network metrics of a star and a path are the values worked out by hand", func(t *testing.T) {
		const q = `query($around: ID!, $depth: Int, $order: MetricOrder) { networkMetrics(around: $around, depth: $depth, orderBy: $order, first: 10) {
			nodeCount edgeCount componentCount exact nodes { node { id } degree weightedDegree betweenness closeness component } } }`
		type row struct {
			id                                  string
			degree, weighted, between, closness float64
		}
		cases := []struct {
			name, around, order string
			depth               int
			nodes, edges        float64
			want                []row
		}{
			// A hub and five leaves: every one of the C(5,2) = 10 pairs of
			// leaves goes through the hub, out of (n-1)(n-2)/2 = 10 pairs:
			// betweenness 1. The hub is one hop from all (closeness 5/5); a
			// leaf one hop from the hub and two from the other four
			// (closeness 5/9). Ties go by id.
			{"star", "hb-hub", "BETWEENNESS", 1, 6, 5, []row{
				{"hb-hub", 5, 5, 1, 1},
				{"hb-leaf-1", 1, 1, 0, 5.0 / 9}, {"hb-leaf-2", 1, 1, 0, 5.0 / 9}, {"hb-leaf-3", 1, 1, 0, 5.0 / 9},
				{"hb-leaf-4", 1, 1, 0, 5.0 / 9}, {"hb-leaf-5", 1, 1, 0, 5.0 / 9},
			}},
			// 1 = 2 - 3 - 4, the first pair joined twice: 3 distinct pairs.
			// 2 is between 1 and 3, 1 and 4; 3 between 1 and 4, 2 and 4:
			// 2 of (4-1)(4-2)/2 = 3 pairs each. Distances from 1: 1+2+3
			// (closeness 3/6); from 2: 1+1+2 (3/4).
			{"path", "hb-path-1", "CLOSENESS", 3, 4, 3, []row{
				{"hb-path-2", 2, 3, 2.0 / 3, 3.0 / 4},
				{"hb-path-3", 2, 2, 2.0 / 3, 3.0 / 4},
				{"hb-path-1", 1, 2, 0, 3.0 / 6},
				{"hb-path-4", 1, 1, 0, 3.0 / 6},
			}},
		}
		for _, c := range cases {
			data := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"around": c.around, "depth": c.depth, "order": c.order}))
			m := data["networkMetrics"]
			if testkit.Dig(m, "nodeCount") != c.nodes || testkit.Dig(m, "edgeCount") != c.edges || testkit.Dig(m, "componentCount") != float64(1) || testkit.Dig(m, "exact") != true {
				t.Errorf("%s: %v", c.name, m)
			}
			nodes := testkit.Dig(m, "nodes").([]any)
			if len(nodes) != len(c.want) {
				t.Errorf("%s: %d nodes, want %d: %v", c.name, len(nodes), len(c.want), nodes)
				continue
			}
			for i, w := range c.want {
				n := nodes[i]
				got := row{testkit.Dig(n, "node", "id").(string), testkit.Dig(n, "degree").(float64), testkit.Dig(n, "weightedDegree").(float64), testkit.Dig(n, "betweenness").(float64), testkit.Dig(n, "closeness").(float64)}
				if got.id != w.id || got.degree != w.degree || got.weighted != w.weighted || math.Abs(got.between-w.between) > 1e-12 || math.Abs(got.closness-w.closness) > 1e-12 || testkit.Dig(n, "component") != float64(0) {
					t.Errorf("%s: nodes[%d] = %+v, want %+v", c.name, i, got, w)
				}
			}
		}
	})
}
