package store

import (
	"context"
	"fmt"

	"github.com/phakhi/phakhi/domain"
)

// fullNode and fullRel fetch what exports carry: properties and evidence
// with its source.
var (
	fullNode = &domain.Selection{Evidence: domain.AllEvidence(&domain.Selection{})}
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

// DumpWithin is Dump for a graph of at most max nodes (the export cap),
// and ETOOLARGE, before reading anything, for a larger one: a dump is built
// in memory on both sides, and a national graph would exhaust Neo4j's heap.
func (s *Store) DumpWithin(ctx context.Context, max int) (*domain.Bundle, error) {
	recs, err := s.read(ctx, "DumpWithin", "RETURN COUNT { MATCH (n:Node) } AS nodes", nil)
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	if n, _ := recs[0].Get("nodes"); n.(int64) > int64(max) {
		return nil, &domain.Error{Code: domain.ETOOLARGE, Message: fmt.Sprintf("the graph has %d nodes, more than the export cap of %d: export a subgraph (labels, types, around or a path), or raise the cap with -export-cap (PHAKHI_EXPORT_CAP)", n, max)}
	}
	return s.Dump(ctx)
}

// Dump reads the whole graph as a bundle: every node and relationship with
// every property and all its evidence, in id order. Exporting a dump and
// importing it into an empty database reproduces the graph.
func (s *Store) Dump(ctx context.Context) (*domain.Bundle, error) {
	recs, err := s.read(ctx, "Dump", `
		CALL () { MATCH (n:Node) WITH n ORDER BY n.id RETURN collect([labels(n), properties(n)]) AS nodes }
		CALL () { MATCH (a:Node)-[r]->(b:Node) WITH a, r, b ORDER BY type(r), r.id RETURN collect([type(r), a.id, b.id, properties(r)]) AS rels }
		RETURN nodes, rels`, nil)
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	b := &domain.Bundle{}
	nodes, _ := recs[0].Get("nodes")
	for _, it := range nodes.([]any) {
		pair := it.([]any)
		b.Nodes = append(b.Nodes, recordFromProps(pair[0].([]any), pair[1].(map[string]any)))
	}
	rels, _ := recs[0].Get("rels")
	for _, it := range rels.([]any) {
		q := it.([]any)
		b.Relationships = append(b.Relationships, relRecordFromProps(q[0].(string), q[1].(string), q[2].(string), q[3].(map[string]any)))
	}
	return b, nil
}
