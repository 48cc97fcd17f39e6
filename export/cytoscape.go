package export

import (
	"encoding/json"
	"io"
)

// Cytoscape is Cytoscape.js's JSON: the file is what cy.json() reads and
// writes, {"elements": {"nodes": [...], "edges": [...]}}; the GraphQL
// cytoscape field returns the elements object alone, for
// cytoscape({elements: ...}).
const Cytoscape Format = "cytoscape"

// The row of the table of formats (format.go).
var _ = register(spec{format: Cytoscape, graphQL: "CYTOSCAPE", contentType: jsonType, extension: ".cytoscape.json", write: writeCytoscape, json: CytoscapeJSON})

// CytoscapeJSON is the `elements` object Cytoscape.js takes:
// cytoscape({elements: ...}).
func CytoscapeJSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, map[string]any{"group": "nodes", "data": withID(n.ID, n.Attrs)})
	}
	edges := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		d := withID(e.ID, e.Attrs)
		d["source"], d["target"] = e.Source, e.Target
		edges = append(edges, map[string]any{"group": "edges", "data": d})
	}
	return map[string]any{"nodes": nodes, "edges": edges}
}

// writeCytoscape writes the file: the elements under "elements", as
// cy.json(file) loads it (and Cytoscape desktop imports it).
func writeCytoscape(w io.Writer, g *Graph) error {
	return json.NewEncoder(w).Encode(map[string]any{"elements": CytoscapeJSON(g)})
}
