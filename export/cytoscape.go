package export

// Cytoscape is Cytoscape.js's elements JSON.
const Cytoscape Format = "cytoscape"

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
