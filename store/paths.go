package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Paths returns up to q.K shortest paths between two nodes of at most
// q.MaxLength relationships (the shortest first, then the alternatives), in
// one round trip. Direction is ignored: a tie is a tie either way.
func (s *Store) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	c := newCompiler()
	types := c.typeExpr(q.Types)
	// The walk: any relationships of the types, or with a status filter
	// only relationships and nodes (past the start; the end is asked for
	// by id) of those statuses, as a quantified path pattern.
	walk := fmt.Sprintf("(a)-[%s]-{1,%d}(b)", ":"+strings.TrimPrefix(types, ":"), q.MaxLength)
	walk = strings.Replace(walk, "[:]", "[]", 1)
	if len(q.Status) > 0 {
		walk = fmt.Sprintf("(a)((x)-[r%s]-(y) WHERE %s AND (y.id = %s OR %s)){1,%d}(b)",
			types, c.statusCond("r", q.Status), c.param(q.To), c.statusCond("y", q.Status), q.MaxLength)
	}
	// K and MaxLength are validated integers: Cypher wants them literal here.
	cypher := fmt.Sprintf(`OPTIONAL MATCH (a:Node {id: %[1]s}) OPTIONAL MATCH (b:Node {id: %[2]s})
WITH a, b
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
  MATCH p = SHORTEST %[3]d %[4]s
  WITH p ORDER BY length(p)
  CALL (p) { UNWIND range(0, size(nodes(p)) - 1) AS i WITH nodes(p)[i] AS n, i ORDER BY i RETURN collect(%[5]s) AS nodes }
  CALL (p) { UNWIND range(0, size(relationships(p)) - 1) AS i WITH relationships(p)[i] AS r, i ORDER BY i RETURN collect(%[6]s) AS edges }
  RETURN collect({nodes: nodes, edges: edges}) AS paths
}
RETURN a IS NOT NULL AS hasA, b IS NOT NULL AS hasB, paths`,
		c.param(q.From), c.param(q.To), q.K, walk, c.node("n", q.Select), c.rel("r", q.RelSelect))
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Paths", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	rec, err := readOne(recs, "paths")
	if err != nil {
		return nil, err
	}
	for _, end := range []struct{ key, id, field string }{{"hasA", q.From, "from"}, {"hasB", q.To, "to"}} {
		has, err := value[bool](rec, end.key)
		if err != nil {
			return nil, fmt.Errorf("paths: %w", err)
		}
		if !has {
			return nil, &domain.Error{Code: domain.ENOTFOUND, Field: end.field, Message: fmt.Sprintf("no node has id %q", end.id)}
		}
	}
	paths, err := column[map[string]any](rec, "paths")
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	var out []*domain.Path
	for i, m := range paths {
		nodes, err := listOf[map[string]any](m["nodes"], fmt.Sprintf("paths[%d].nodes", i))
		if err != nil {
			return nil, fmt.Errorf("paths: %w", err)
		}
		edges, err := listOf[map[string]any](m["edges"], fmt.Sprintf("paths[%d].edges", i))
		if err != nil {
			return nil, fmt.Errorf("paths: %w", err)
		}
		p := &domain.Path{}
		for _, n := range nodes {
			p.Nodes = append(p.Nodes, decodeNode(n, q.Select))
		}
		for _, e := range edges {
			p.Edges = append(p.Edges, decodeRel(e, q.RelSelect))
		}
		out = append(out, p)
	}
	return out, nil
}
