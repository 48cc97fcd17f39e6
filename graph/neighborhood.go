package graph

import (
	"context"

	"github.com/phakhi/phakhi/domain"
)

func (r *Resolver) neighborhood(ctx context.Context, id string, depth *int, types []domain.RelType, direction *domain.Direction, labels []string, from, to *string, status []domain.AssertionStatus, cap *int, sameAs *domain.SameAs) (*domain.Subgraph, error) {
	q := domain.NeighborhoodQuery{ID: id, Depth: intArg(depth, 1), Cap: intArg(cap, domain.DefaultNodeCap), Direction: domain.DirectionBoth, Labels: labels, From: from, To: to, Status: status, SameAs: sameAsArg(sameAs)}
	if direction != nil {
		q.Direction = *direction
	}
	if err := domain.ValidateID("neighborhood.id", id); err != nil {
		return nil, err
	}
	if err := inRange("neighborhood.depth", q.Depth, 1, domain.MaxDepth); err != nil {
		return nil, err
	}
	if err := inRange("neighborhood.cap", q.Cap, 1, domain.MaxNodeCap); err != nil {
		return nil, err
	}
	var err error
	if q.Types, err = relTypes("neighborhood.types", types); err != nil {
		return nil, err
	}
	if err := validateLabels(labels, "neighborhood.labels"); err != nil {
		return nil, err
	}
	if err := readDate("neighborhood.from", from); err != nil {
		return nil, err
	}
	if err := readDate("neighborhood.to", to); err != nil {
		return nil, err
	}
	p := newPlanner(ctx)
	f := rootField(ctx)
	if q.Select, err = p.nodeSel(f.Selections, "Subgraph", "neighborhood", "nodes"); err != nil {
		return nil, err
	}
	if q.RelSelect, err = p.relSel(f.Selections, "Subgraph", "neighborhood", "edges"); err != nil {
		return nil, err
	}
	g, err := r.Store.Neighborhood(ctx, q)
	if err != nil {
		return nil, err
	}
	g.Folded = foldsOf(g.Folded)
	return g, nil
}
