package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// Slice returns the ids of a subgraph and the node pairs its relationships
// join, for metrics: the nodes with q.Labels (default: every label but
// Source) and the relationships of q.Types among them, or the neighborhood
// of q.Around. One round trip.
func (s *Store) Slice(ctx context.Context, q domain.MetricsQuery) (*domain.GraphSlice, error) {
	if q.Around != nil {
		// only ids and ends are needed: no property beyond the id is read
		g, err := s.neighborhood(ctx, domain.NeighborhoodQuery{ID: *q.Around, Depth: q.Depth, Types: q.Types, Direction: domain.DirectionBoth, Cap: q.Cap, Status: q.Status,
			Select: &domain.Selection{Narrow: true}, RelSelect: &domain.RelSelection{Narrow: true}, SameAs: q.SameAs}, true)
		if err != nil {
			return nil, err
		}
		sl := &domain.GraphSlice{Truncated: g.Truncated, Folded: g.Folded}
		for _, n := range g.Nodes {
			sl.IDs = append(sl.IDs, n.(domain.Entitied).E().ID)
		}
		for _, e := range g.Edges {
			sl.Pairs = append(sl.Pairs, [2]string{e.FromID, e.ToID})
		}
		return sl, nil
	}
	c := newCompiler()
	labels := q.Labels
	if len(labels) == 0 {
		for _, l := range domain.NodeLabels {
			if l != domain.LabelSource {
				labels = append(labels, l)
			}
		}
	}
	types := q.Types
	if len(types) == 0 {
		types = DefaultLinkTypes()
	}
	lx, tx := c.labelExpr(labels), c.typeExpr(types)
	// a status filter keeps the nodes and the relationships among them
	nW, pW := "", ""
	if len(q.Status) > 0 {
		nW = " WHERE " + c.statusCond("n", q.Status)
		pW = " AND " + c.statusCond("r", q.Status) + " AND " + c.statusCond("a", q.Status) + " AND " + c.statusCond("b", q.Status)
	}
	// At most limit+1 ids, and the pairs only when within the limit: a
	// national graph is refused after reading limit+1 ids, not 5M pairs.
	// (The UNWIND keeps the test ahead of the scan; a WHERE on size(ids)
	// was planned after it.)
	fold := q.SameAs == domain.SameAsFold
	same, ret := "", "RETURN ids, pairs"
	if fold {
		// the groups among the slice's nodes (of the statuses asked), under
		// the same bound
		same = fmt.Sprintf("CALL (ids) { UNWIND CASE WHEN size(ids) <= %[3]s THEN [true] ELSE [] END AS within MATCH (a%[1]s)-[r:%[2]s]->(b%[1]s)%[4]s RETURN collect([a.id, b.id]) AS same }\n",
			lx, domain.RelPossiblySameAs, c.param(int64(q.Limit)), strings.Replace(pW, " AND ", " WHERE ", 1))
		ret = "RETURN ids, pairs, same"
	}
	cypher := fmt.Sprintf(`CALL () { MATCH (n%[1]s)%[5]s WITH n LIMIT %[3]s RETURN collect(n.id) AS ids }
CALL (ids) { UNWIND CASE WHEN size(ids) <= %[4]s THEN [true] ELSE [] END AS within MATCH (a%[1]s)-[r%[2]s]->(b%[1]s)%[6]s RETURN collect([a.id, b.id]) AS pairs }
%[7]s%[8]s`, lx, tx, c.param(int64(q.Limit+1)), c.param(int64(q.Limit)), nW, strings.Replace(pW, " AND ", " WHERE ", 1), same, ret)
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Slice", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("slice: %w", err)
	}
	sl, err := readSlice(recs)
	if err != nil {
		return nil, fmt.Errorf("slice: %w", err)
	}
	sl.Truncated = len(sl.IDs) > q.Limit
	if fold && !sl.Truncated {
		raw, _ := recs[0].Get("same")
		pairs, err := readPairs(raw, "same")
		if err != nil {
			return nil, fmt.Errorf("slice: %w", err)
		}
		sl.Folded = domain.FoldSlice(sl, domain.NewFolding(pairs, ""))
	}
	return sl, nil
}

// readSlice reads Slice's one record: the ids and the [from, to] pairs.
func readSlice(recs []*neo4j.Record) (*domain.GraphSlice, error) {
	rec, err := readOne(recs, "slice")
	if err != nil {
		return nil, err
	}
	sl := &domain.GraphSlice{}
	if sl.IDs, err = column[string](rec, "ids"); err != nil {
		return nil, err
	}
	err = tuples(rec, "pairs", func(t []any) error {
		a, err := at[string](t, 0, "pair")
		if err != nil {
			return err
		}
		b, err := at[string](t, 1, "pair")
		if err != nil {
			return err
		}
		sl.Pairs = append(sl.Pairs, [2]string{a, b})
		return nil
	})
	return sl, err
}
