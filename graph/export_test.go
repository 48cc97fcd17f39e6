package graph_test

import (
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestExportShapes reads the JSON shapes of the front-ends (Cytoscape.js,
// D3, graphology) over GraphQL; the file exports are web's.
func TestExportShapes(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServer(t)

	t.Run("Ensure the JSON shapes come straight from GraphQL too", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ cytoscape(subgraph: {around: "codi"}) d3(subgraph: {around: "codi"}) graphology(subgraph: {around: "codi"}) }`, nil))
		if n := len(testkit.Dig(data, "cytoscape", "nodes").([]any)); n < 5 {
			t.Fatalf("cytoscape nodes = %d", n)
		}
		if len(testkit.Dig(data, "d3", "links").([]any)) != len(testkit.Dig(data, "cytoscape", "edges").([]any)) || len(testkit.Dig(data, "graphology", "nodes").([]any)) != len(testkit.Dig(data, "cytoscape", "nodes").([]any)) {
			t.Fatal("the three JSON shapes disagree")
		}
	})
}
