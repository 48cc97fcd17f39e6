package export

// D3 is D3's force-layout {nodes, links}.
const D3 Format = "d3"

// The row of the table of formats (format.go).
var _ = register(spec{format: D3, graphQL: "D3", contentType: jsonType, extension: ".d3.json", json: D3JSON})

// D3JSON is D3's force-layout shape: {nodes: [{id}], links: [{source, target}]}.
func D3JSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, withID(n.ID, n.Attrs))
	}
	links := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		l := withID(e.ID, e.Attrs)
		l["source"], l["target"] = e.Source, e.Target
		links = append(links, l)
	}
	return map[string]any{"nodes": nodes, "links": links}
}
