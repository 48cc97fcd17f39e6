package graph_test

import (
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestSearch runs the searches on the seed graph.
func TestSearch(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure the issue's search examples find their organizations first", func(t *testing.T) {
		cases := map[string]string{
			"เครดิตยูเนี่ยน": "credit-unions",
			"พอช.":     "codi",
			"สกว.":     "trf",
			"CODI":     "codi",
			"ทิพวัลย์": "thipawan",
		}
		for q, want := range cases {
			data := testkit.MustData(t, testkit.Query(t, ts.URL, `query($q: String!) { search(query: $q, first: 5) { totalCount edges { node { id } matchedField matchedText score } } }`, map[string]any{"q": q}))
			if got := testkit.Dig(data, "search", "edges", 0, "node", "id"); got != want {
				t.Errorf("search %q: first hit %v, want %s", q, got, want)
			}
		}
		// the compound name holds the word; it must be among the hits
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ search(query: "เครดิตยูเนี่ยน") { edges { node { id } matchedText } } }`, nil))
		if !testkit.Has(testkit.EdgeIDs(data["search"]), "cult") {
			t.Errorf("เครดิตยูเนี่ยน did not find ชุมนุมสหกรณ์เครดิตยูเนี่ยนแห่งประเทศไทย: %v", testkit.EdgeIDs(data["search"]))
		}
		data = testkit.MustData(t, testkit.Query(t, ts.URL, `{ search(query: "credit union") { edges { node { id } matchedField } } }`, nil))
		if !testkit.Has(testkit.EdgeIDs(data["search"]), "cult", "credit-unions") {
			t.Errorf("credit union: %v", testkit.EdgeIDs(data["search"]))
		}
	})

	t.Run("Ensure a search that does not ask for matchedText ranks and names the fields as one that does", func(t *testing.T) {
		for _, q := range []string{"เครดิตยูเนี่ยน", "พอช.", "สวัสดิการ", "credit union"} {
			with := testkit.MustData(t, testkit.Query(t, ts.URL, `query($q: String!) { search(query: $q, first: 20) { totalCount edges { node { id } matchedField matchedText score } } }`, map[string]any{"q": q}))
			without := testkit.MustData(t, testkit.Query(t, ts.URL, `query($q: String!) { search(query: $q, first: 20) { totalCount edges { node { id } matchedField score } } }`, map[string]any{"q": q}))
			a, b := testkit.Dig(with, "search", "edges").([]any), testkit.Dig(without, "search", "edges").([]any)
			if len(a) == 0 || len(a) != len(b) || testkit.Dig(with, "search", "totalCount") != testkit.Dig(without, "search", "totalCount") {
				t.Fatalf("search %q: %d hits with matchedText, %d without", q, len(a), len(b))
			}
			for i := range a {
				x, y := a[i].(map[string]any), b[i].(map[string]any)
				if testkit.Dig(x, "node", "id") != testkit.Dig(y, "node", "id") || x["matchedField"] != y["matchedField"] || x["score"] != y["score"] {
					t.Errorf("search %q, hit %d: %v with matchedText, %v without", q, i, x, y)
				}
				if x["matchedText"] == "" && x["matchedField"] != "words" {
					t.Errorf("search %q, hit %d: matched %v but no matchedText", q, i, x["matchedField"])
				}
			}
		}
	})
}
