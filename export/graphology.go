package export

// Graphology is graphology's serialized graph (sigma.js).
const Graphology Format = "graphology"

// The row of the table of formats (format.go).
var _ = register(spec{format: Graphology, graphQL: "GRAPHOLOGY", contentType: jsonType, extension: ".graphology.json", json: GraphologyJSON})

// GraphologyJSON is graphology's serialized graph: Graph.from(json).
func GraphologyJSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, map[string]any{"key": n.ID, "attributes": n.Attrs})
	}
	edges := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		edges = append(edges, map[string]any{"key": e.ID, "source": e.Source, "target": e.Target, "attributes": e.Attrs})
	}
	return map[string]any{
		"options":    map[string]any{"type": "directed", "multi": true, "allowSelfLoops": true},
		"attributes": map[string]any{"name": "Phakhi"},
		"nodes":      nodes,
		"edges":      edges,
	}
}
