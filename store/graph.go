package store

import (
	"context"
	"fmt"

	"github.com/phakhi/phakhi/domain"
)

// fullNode and fullRel fetch what exports carry: properties and evidence
// with its source.
var (
	fullNode = &domain.Selection{Evidence: &domain.Selection{}}
	fullRel  = &domain.RelSelection{Evidence: &domain.Selection{}}
)

// Subgraph fetches the subgraph a scope names, with properties and
// evidence, for exports. More than cap nodes is an error that says so.
func (s *Store) Subgraph(ctx context.Context, sc domain.Scope, cap int) (*domain.Subgraph, error) {
	if err := sc.Validate(""); err != nil {
		return nil, err
	}
	switch {
	case sc.Around != "":
		g, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{ID: sc.Around, Depth: sc.Depth, Types: sc.Types, Labels: sc.Labels,
			Direction: domain.DirectionBoth, Cap: cap, Select: fullNode, RelSelect: fullRel})
		if err != nil {
			return nil, err
		}
		if g.Truncated {
			return nil, tooBig(cap)
		}
		return g, nil
	case sc.PathFrom != "":
		types := sc.Types
		if len(types) == 0 {
			types = DefaultLinkTypes()
		}
		paths, err := s.Paths(ctx, domain.PathQuery{From: sc.PathFrom, To: sc.PathTo, K: sc.K, MaxLength: sc.MaxLength, Types: types, Select: fullNode, RelSelect: fullRel})
		if err != nil {
			return nil, err
		}
		g := &domain.Subgraph{}
		for _, p := range paths {
			g.Nodes = append(g.Nodes, p.Nodes...)
			g.Edges = append(g.Edges, p.Edges...)
		}
		return g, nil
	}
	c := newCompiler()
	labels := c.labelExpr(sc.Labels)
	if labels == "" {
		labels = ":Node"
	}
	types := c.typeExpr(sc.Types)
	capP := c.param(int64(cap))
	cypher := fmt.Sprintf(`WITH COUNT { MATCH (n%[1]s) } AS total
CALL (total) { MATCH (n%[1]s) WHERE total <= %[3]s WITH n ORDER BY n.id RETURN collect(%[4]s) AS nodes }
CALL (total) { MATCH (a%[1]s)-[r%[2]s]->(b%[1]s) WHERE total <= %[3]s WITH r ORDER BY r.id RETURN collect(%[5]s) AS edges }
RETURN total, nodes, edges`, labels, types, capP, c.node("n", fullNode), c.rel("r", fullRel))
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Subgraph", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	rec := recs[0]
	total, _ := rec.Get("total")
	if int(total.(int64)) > cap {
		return nil, tooBig(cap)
	}
	g := &domain.Subgraph{}
	rawNodes, _ := rec.Get("nodes")
	for _, n := range rawNodes.([]any) {
		g.Nodes = append(g.Nodes, decodeNode(n.(map[string]any), fullNode))
	}
	rawEdges, _ := rec.Get("edges")
	for _, e := range rawEdges.([]any) {
		g.Edges = append(g.Edges, decodeRel(e.(map[string]any), fullRel))
	}
	return g, nil
}

func tooBig(cap int) error {
	return &domain.Error{Code: domain.ETOOLARGE, Message: fmt.Sprintf("the subgraph has more than %d nodes, the export cap: narrow it with labels, types, around or a path", cap)}
}
