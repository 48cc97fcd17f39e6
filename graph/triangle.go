package graph

import (
	"context"

	"github.com/phakhi/phakhi/domain"
)

func (r *Resolver) triangle(ctx context.Context, status []domain.AssertionStatus) ([]*domain.TriangleSide, error) {
	p := newPlanner(ctx)
	f := rootField(ctx)
	side, err := p.nodeSel(f.Selections, "TriangleSide", "triangle", "side")
	if err != nil {
		return nil, err
	}
	actor, err := p.nodeSel(f.Selections, "TriangleSide", "triangle", "advancers", "actor")
	if err != nil {
		return nil, err
	}
	prog, err := p.nodeSel(f.Selections, "TriangleSide", "triangle", "advancers", "via")
	if err != nil {
		return nil, err
	}
	return r.Store.Triangle(ctx, side, actor, prog, status)
}

func (r *Resolver) bridges(ctx context.Context, maxHops, minSides *int, types []domain.RelType, status []domain.AssertionStatus, first *int) ([]*domain.Bridge, error) {
	q := domain.BridgeQuery{Status: status, MaxHops: intArg(maxHops, 2), MinSides: intArg(minSides, 2), First: intArg(first, 20)}
	if err := inRange("bridges.maxHops", q.MaxHops, 1, MaxBridgeHops); err != nil {
		return nil, err
	}
	if err := inRange("bridges.minSides", q.MinSides, 1, 3); err != nil {
		return nil, err
	}
	if err := inRange("bridges.first", q.First, 0, MaxPageSize); err != nil {
		return nil, err
	}
	var err error
	if q.Types, err = relTypes("bridges.types", types); err != nil {
		return nil, err
	}
	p := newPlanner(ctx)
	f := rootField(ctx)
	if q.Select, err = p.nodeSel(f.Selections, "Bridge", "bridges", "actor"); err != nil {
		return nil, err
	}
	if q.SideSelect, err = p.nodeSel(f.Selections, "Bridge", "bridges", "sides", "side"); err != nil {
		return nil, err
	}
	out, err := r.Store.Bridges(ctx, q)
	if out == nil && err == nil {
		out = []*domain.Bridge{}
	}
	return out, err
}
