package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Neighborhood returns the nodes within q.Depth hops of q.ID (nearest
// first, at most q.Cap of them, the start included) and the relationships
// among them, in one round trip. Expansion goes level by level over
// distinct nodes, so its cost follows the nodes kept, not the paths.
func (s *Store) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	return s.neighborhood(ctx, q, false)
}

// neighborhood is Neighborhood; with pairsOnly (metrics' slice) each edge
// is only its ends' ids, not the relationship's id and type.
func (s *Store) neighborhood(ctx context.Context, q domain.NeighborhoodQuery, pairsOnly bool) (*domain.Subgraph, error) {
	// Every edge joins two of the nodes returned: an edge's ends that ask
	// no more than the nodes do are taken from them (after decoding), not
	// projected again per edge (PROFILE: 4 db hits an edge).
	relSel, endsFromNodes := q.RelSelect, false
	if relSel != nil && (relSel.From != nil || relSel.To != nil) && covers(q.Select, relSel.From) && covers(q.Select, relSel.To) {
		cp := *relSel
		cp.From, cp.To = nil, nil
		relSel, endsFromNodes = &cp, true
	}
	c := newCompiler()
	types := c.typeExpr(q.Types)
	labels := c.labelExpr(q.Labels)
	capPlus := c.param(int64(q.Cap + 1))
	var relConds []string
	rf := &domain.RelationshipFilter{From: q.From, To: q.To}
	relConds = append(relConds, c.relConds("r", rf)...)
	// the status filter keeps the relationships walked and the nodes reached
	statusR := c.statusCond("r", q.Status)
	if statusR != "" {
		relConds = append(relConds, statusR, c.statusCond("y", q.Status))
	}
	where := "NOT y IN seen"
	if len(relConds) > 0 {
		where += " AND " + strings.Join(relConds, " AND ")
	}
	fold := q.SameAs == domain.SameAsFold
	if fold {
		q.Select = widen(q.Select, foldProps...)
	}
	var b strings.Builder
	if fold {
		// the start's group is the start: its others are at distance 0
		fmt.Fprintf(&b, "MATCH (s:Node {id: %s}) WITH s, [s] + %s AS seen WITH s, seen, seen AS frontier\n", c.param(q.ID), matesOf("s"))
	} else {
		fmt.Fprintf(&b, "MATCH (s:Node {id: %s}) WITH s, [s] AS seen, [s] AS frontier\n", c.param(q.ID))
	}
	for level := 1; level <= q.Depth; level++ {
		if fold {
			// each node reached brings the others of its group, which may
			// pass the cap: the slice's end is kept from going negative
			// (a negative end counts from the list's end)
			fmt.Fprintf(&b, "CALL (seen, frontier) { UNWIND frontier AS x MATCH %s WHERE %s WITH DISTINCT y ORDER BY y.nameKey, y.id LIMIT %s WITH collect(y) AS ys WITH ys[0..CASE WHEN %s - size(seen) > 0 THEN %s - size(seen) ELSE 0 END] AS next RETURN next + COLLECT { UNWIND next AS y MATCH (y)%s(m) WHERE NOT m IN seen AND NOT m IN next WITH DISTINCT m ORDER BY m.id RETURN m } AS next }\n",
				arrow("x", "r", types, "y", labels, q.Direction), where, capPlus, capPlus, capPlus, sameAsPath)
		} else {
			fmt.Fprintf(&b, "CALL (seen, frontier) { UNWIND frontier AS x MATCH %s WHERE %s WITH DISTINCT y ORDER BY y.nameKey, y.id LIMIT %s WITH collect(y) AS ys RETURN ys[0..(%s - size(seen))] AS next }\n",
				arrow("x", "r", types, "y", labels, q.Direction), where, capPlus, capPlus)
		}
		b.WriteString("WITH s, seen + next AS seen, next AS frontier\n")
	}
	edgeConds := []string{"b IN keep"}
	edgeConds = append(edgeConds, c.relConds("r", rf)...)
	if statusR != "" {
		edgeConds = append(edgeConds, statusR)
	}
	fmt.Fprintf(&b, "WITH size(seen) > %s AS truncated, seen[0..%s] AS keep\n", c.param(int64(q.Cap)), c.param(int64(q.Cap)))
	fmt.Fprintf(&b, "CALL (keep) { UNWIND keep AS n RETURN collect(%s) AS nodes }\n", c.node("n", q.Select))
	// a and b are r's ends: their ids are read from them (relBetween). The
	// nodes of keep are distinct and each relationship is matched from its
	// start only, so no DISTINCT is needed.
	edge := c.relBetween("r", "a", "b", relSel)
	if pairsOnly {
		edge = "{__from: a.id, __to: b.id}"
	}
	fmt.Fprintf(&b, "CALL (keep) { UNWIND keep AS a MATCH (a)-[r%s]->(b) WHERE %s WITH r, a, b ORDER BY r.id RETURN collect(%s) AS edges }\n",
		types, strings.Join(edgeConds, " AND "), edge)
	if fold {
		b.WriteString(sameAsPairs("keep") + "\n")
		b.WriteString("RETURN truncated, nodes, edges, same")
	} else {
		b.WriteString("RETURN truncated, nodes, edges")
	}
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Neighborhood", b.String(), c.params)
	if err != nil {
		return nil, fmt.Errorf("neighborhood: %w", err)
	}
	if len(recs) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "no node has id %q", q.ID)
	}
	rec := recs[0]
	g := &domain.Subgraph{}
	if g.Truncated, err = value[bool](rec, "truncated"); err != nil {
		return nil, fmt.Errorf("neighborhood: %w", err)
	}
	nodes, err := column[map[string]any](rec, "nodes")
	if err != nil {
		return nil, fmt.Errorf("neighborhood: %w", err)
	}
	edges, err := column[map[string]any](rec, "edges")
	if err != nil {
		return nil, fmt.Errorf("neighborhood: %w", err)
	}
	for _, n := range nodes {
		g.Nodes = append(g.Nodes, decodeNode(n, q.Select))
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, decodeRel(e, relSel))
	}
	if endsFromNodes {
		byID := make(map[string]domain.Node, len(g.Nodes))
		for _, n := range g.Nodes {
			byID[n.(domain.Entitied).E().ID] = n
		}
		for _, e := range g.Edges {
			if q.RelSelect.From != nil {
				e.From = byID[e.FromID]
			}
			if q.RelSelect.To != nil {
				e.To = byID[e.ToID]
			}
		}
	}
	if fold {
		raw, _ := rec.Get("same")
		same, err := readPairs(raw, "same")
		if err != nil {
			return nil, fmt.Errorf("neighborhood: %w", err)
		}
		g.Folded = domain.FoldSubgraph(g, domain.NewFolding(same, q.ID))
	}
	return g, nil
}

// covers tells whether nodes projected for sel hold all that end asks:
// the same properties or more, and no related fields or evidence of its
// own. A nil end asks nothing.
func covers(sel, end *domain.Selection) bool {
	switch {
	case end == nil:
		return true
	case len(end.Fields) > 0 || len(end.Evidence) > 0:
		return false
	case sel == nil || !sel.Narrow:
		return true
	case !end.Narrow:
		return false
	}
	for _, p := range end.Props {
		if !slices.Contains(sel.Props, p) {
			return false
		}
	}
	return true
}
