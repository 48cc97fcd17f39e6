package graph_test

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestPaths follows the paths between two actors of the seed graph.
func TestPaths(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure Dr. Thipawan's connection to Walailak University is a path with evidence", func(t *testing.T) {
		// Four paths of four hops join them (none shorter): through her
		// academic network (to the movement it supports, the knowledge
		// side, or the meeting it joins, each also reached by the KM
		// unit), and through the northern gathering peem was invited to.
		want := []string{
			"thipawan academic-km-network community-finance-welfare-movement wu-km-unit walailak-university",
			"thipawan academic-km-network km-meeting-2007-04-11 wu-km-unit walailak-university",
			"thipawan academic-km-network side-knowledge wu-km-unit walailak-university",
			"thipawan movement-north-gathering-2007-03-21 peem wu-km-unit walailak-university",
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			four: paths(from: "thipawan", to: "walailak-university", k: 4, maxLength: 5) { length nodes { id } edges { type from { id } to { id } evidence { quote source { id } } } }
			tooShort: paths(from: "thipawan", to: "walailak-university", k: 4, maxLength: 3) { length }
		}`, nil))
		var got []string
		for _, p := range testkit.Dig(data, "four").([]any) {
			var ids []string
			for _, n := range testkit.Dig(p, "nodes").([]any) {
				ids = append(ids, testkit.Dig(n, "id").(string))
			}
			got = append(got, strings.Join(ids, " "))
			if testkit.Dig(p, "length") != float64(4) {
				t.Errorf("path %s has length %v, want 4", got[len(got)-1], testkit.Dig(p, "length"))
			}
			for i, e := range testkit.Dig(p, "edges").([]any) {
				// each edge joins the nodes on either side of it, either way round
				ends := []any{testkit.Dig(e, "from", "id"), testkit.Dig(e, "to", "id")}
				if !(ends[0] == ids[i] && ends[1] == ids[i+1]) && !(ends[0] == ids[i+1] && ends[1] == ids[i]) {
					t.Errorf("edge %d of %s joins %v", i, got[len(got)-1], ends)
				}
				if q, _ := testkit.Dig(e, "evidence", 0, "quote").(string); q == "" || !strings.HasPrefix(testkit.Dig(e, "evidence", 0, "source", "id").(string), "gotoknow-85545") {
					t.Errorf("edge %d of %s without evidence from the post: %v", i, got[len(got)-1], e)
				}
			}
		}
		testkit.WantIDSet(t, "paths from Dr. Thipawan to Walailak University", got, want...)
		if n := len(testkit.Dig(data, "tooShort").([]any)); n != 0 {
			t.Errorf("%d paths of at most 3 hops, want none", n)
		}
	})

}
