package graph_test

import (
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

func TestSearchMinScore(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServer(t)
	const q = `query($q: String!, $min: Float) { search(query: $q, minScore: $min, first: 20) { totalCount edges { node { id } score matchedField } } }`
	t.Run("Ensure the university comes first for วลัยลักษณ์ and minScore 100 leaves the four nodes named so", func(t *testing.T) {
		all := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"q": "วลัยลักษณ์"})), "search").(map[string]any)
		if testkit.Dig(all, "edges", 0, "node", "id") != "walailak-university" || all["totalCount"].(float64) <= 4 {
			t.Fatalf("search: %v", all)
		}
		cut := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"q": "วลัยลักษณ์", "min": 100})), "search").(map[string]any)
		if cut["totalCount"] != float64(4) || len(cut["edges"].([]any)) != 4 {
			t.Fatalf("minScore 100: %v", cut)
		}
		for _, e := range cut["edges"].([]any) {
			if e.(map[string]any)["score"].(float64) < 100 {
				t.Fatalf("minScore 100 kept %v", e)
			}
		}
	})
}
