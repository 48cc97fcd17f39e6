package graph

import (
	"context"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

func (r *Resolver) paths(ctx context.Context, from, to string, k, maxLength *int, types []domain.RelType, status []domain.AssertionStatus) ([]*domain.Path, error) {
	q := domain.PathQuery{From: from, To: to, Status: status, K: intArg(k, domain.DefaultPathsK), MaxLength: intArg(maxLength, domain.DefaultPathLen)}
	if err := domain.ValidateID("paths.from", from); err != nil {
		return nil, err
	}
	if err := domain.ValidateID("paths.to", to); err != nil {
		return nil, err
	}
	if from == to {
		return nil, domain.Invalid("paths.to", "is the same node as from")
	}
	if err := inRange("paths.k", q.K, 1, domain.MaxPaths); err != nil {
		return nil, err
	}
	if err := inRange("paths.maxLength", q.MaxLength, 1, domain.MaxPathLength); err != nil {
		return nil, err
	}
	var err error
	if q.Types, err = relTypes("paths.types", types); err != nil {
		return nil, err
	}
	if len(q.Types) == 0 {
		q.Types = store.DefaultLinkTypes()
	}
	p := newPlanner(ctx)
	f := rootField(ctx)
	if q.Select, err = p.nodeSel(f.Selections, "Path", "paths", "nodes"); err != nil {
		return nil, err
	}
	if q.RelSelect, err = p.relSel(f.Selections, "Path", "paths", "edges"); err != nil {
		return nil, err
	}
	paths, err := r.Store.Paths(ctx, q)
	if err != nil {
		var me *domain.Error
		if ok := asModelError(err, &me); ok && me.Field != "" {
			me.Field = "paths." + me.Field
		}
		return nil, err
	}
	if paths == nil {
		paths = []*domain.Path{}
	}
	return paths, nil
}
