package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// fullNode and fullRel fetch what exports carry: properties and evidence
// with its source.
var (
	fullNode = &domain.Selection{Evidence: domain.AllEvidence(&domain.Selection{})}
	fullRel  = &domain.RelSelection{Evidence: &domain.Selection{}}
)

// exportCap is the export cap asked for, domain.ExportCap when none is
// (cap <= 0): the one place the default is applied.
func exportCap(cap int) int {
	if cap <= 0 {
		return domain.ExportCap
	}
	return cap
}

// Subgraph fetches the subgraph a scope names, with properties and
// evidence, for exports. More than cap nodes (domain.ExportCap when cap
// <= 0) is an error that says so.
func (s *Store) Subgraph(ctx context.Context, sc domain.Scope, cap int) (*domain.Subgraph, error) {
	cap = exportCap(cap)
	if err := sc.Validate(""); err != nil {
		return nil, err
	}
	switch {
	case sc.Around != "":
		g, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{ID: sc.Around, Depth: sc.Depth, Types: sc.Types, Labels: sc.Labels,
			Direction: domain.DirectionBoth, Cap: cap, Status: sc.Status, Select: fullNode, RelSelect: fullRel})
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
		paths, err := s.Paths(ctx, domain.PathQuery{From: sc.PathFrom, To: sc.PathTo, K: sc.K, MaxLength: sc.MaxLength, Types: types, Status: sc.Status, Select: fullNode, RelSelect: fullRel})
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
	// a status filter keeps the nodes and the relationships among them
	nW, eW := "", ""
	if len(sc.Status) > 0 {
		nW = " WHERE " + c.statusCond("n", sc.Status)
		eW = " AND " + c.statusCond("r", sc.Status) + " AND " + c.statusCond("a", sc.Status) + " AND " + c.statusCond("b", sc.Status)
	}
	cypher := fmt.Sprintf(`WITH COUNT { MATCH (n%[1]s)%[6]s } AS total
CALL (total) { MATCH (n%[1]s) WHERE total <= %[3]s%[7]s WITH n ORDER BY n.id RETURN collect(%[4]s) AS nodes }
CALL (total) { MATCH (a%[1]s)-[r%[2]s]->(b%[1]s) WHERE total <= %[3]s%[8]s WITH r ORDER BY r.id RETURN collect(%[5]s) AS edges }
RETURN total, nodes, edges`, labels, types, capP, c.node("n", fullNode), c.rel("r", fullRel), nW, strings.Replace(nW, " WHERE ", " AND ", 1), eW)
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Subgraph", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	return readSubgraph(recs, cap) // ETOOLARGE as is
}

// readSubgraph reads Subgraph's one record: the total, then the nodes
// and edges when within cap.
func readSubgraph(recs []*neo4j.Record, cap int) (*domain.Subgraph, error) {
	rec, err := readOne(recs, "subgraph")
	if err != nil {
		return nil, err
	}
	total, err := value[int64](rec, "total")
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	if total > int64(cap) {
		return nil, tooBig(cap)
	}
	nodes, err := column[map[string]any](rec, "nodes")
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	edges, err := column[map[string]any](rec, "edges")
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	g := &domain.Subgraph{}
	for _, n := range nodes {
		g.Nodes = append(g.Nodes, decodeNode(n, fullNode))
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, decodeRel(e, fullRel))
	}
	return g, nil
}

func tooBig(cap int) error {
	return &domain.Error{Code: domain.ETOOLARGE, Message: fmt.Sprintf("the subgraph has more than %d nodes, the export cap: narrow it with labels, types, around or a path", cap)}
}

// DumpWithin is Dump for a graph of at most max nodes (the export cap;
// domain.ExportCap when max <= 0), and ETOOLARGE, before reading anything,
// for a larger one: a dump is built in memory on both sides, and a
// national graph would exhaust Neo4j's heap.
func (s *Store) DumpWithin(ctx context.Context, max int) (*domain.Bundle, error) {
	max = exportCap(max)
	recs, err := s.read(ctx, "DumpWithin", "RETURN COUNT { MATCH (n:Node) } AS nodes", nil)
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	rec, err := readOne(recs, "dump")
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	n, err := value[int64](rec, "nodes")
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	if n > int64(max) {
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
	b, err := readDump(recs)
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	return b, nil
}

// readDump reads Dump's one record: the nodes as [labels, properties] and
// the relationships as [type, from, to, properties].
func readDump(recs []*neo4j.Record) (*domain.Bundle, error) {
	rec, err := readOne(recs, "dump")
	if err != nil {
		return nil, err
	}
	b := &domain.Bundle{}
	if err := tuples(rec, "nodes", func(t []any) error {
		labels, err := at[[]any](t, 0, "node")
		if err != nil {
			return err
		}
		props, err := at[map[string]any](t, 1, "node")
		if err != nil {
			return err
		}
		b.Nodes = append(b.Nodes, recordFromProps(labels, props))
		return nil
	}); err != nil {
		return nil, err
	}
	if err := tuples(rec, "rels", func(t []any) error {
		var ends [3]string
		for i := range ends {
			var err error
			if ends[i], err = at[string](t, i, "relationship"); err != nil {
				return err
			}
		}
		props, err := at[map[string]any](t, 3, "relationship")
		if err != nil {
			return err
		}
		b.Relationships = append(b.Relationships, relRecordFromProps(ends[0], ends[1], ends[2], props))
		return nil
	}); err != nil {
		return nil, err
	}
	return b, nil
}
