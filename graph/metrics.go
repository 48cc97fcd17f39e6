package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/metrics"
)

func (r *Resolver) networkMetrics(ctx context.Context, labels []string, types []domain.RelType, status []domain.AssertionStatus, around *string, depth *int, orderBy *model.MetricOrder, first *int, samples *int, sameAs *domain.SameAs) (*domain.NetworkMetrics, error) {
	a, err := networkMetricsArgs(labels, types, around, depth, orderBy, first, samples)
	if err != nil {
		return nil, err
	}
	a.query.Status = status
	a.query.SameAs = sameAsArg(sameAs)
	sl, err := r.Store.Slice(ctx, a.query)
	if err != nil {
		return nil, err
	}
	if around == nil && sl.Truncated {
		return nil, domain.Invalid("networkMetrics.labels", "the subgraph has more than %d nodes, the limit: narrow it with labels, types or around", MaxMetricsNodes)
	}
	// The computation is pure Go: it stops at the request's deadline too,
	// reported like a Neo4j query cut off (TIMEOUT).
	rk, err := metrics.RankContext(ctx, sl.IDs, sl.Pairs, metrics.Options{Samples: min(a.samples, max(len(sl.IDs), 1))}, a.by, a.top)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, domain.Wrap(domain.ETIMEOUT, fmt.Sprintf("computing the metrics of %d nodes ran past the request's time limit: narrow the subgraph with labels, types or around, or ask for fewer samples", len(sl.IDs)), err)
	}
	if err != nil {
		return nil, err // cancelled: the client went away
	}
	ids := make([]string, len(rk.Top))
	for i, n := range rk.Top {
		ids[i] = sl.IDs[n]
	}
	// the second round trip: what the query asks of the top nodes
	sel, err := newPlanner(ctx).nodeSel(rootField(ctx).Selections, "NetworkMetrics", "networkMetrics", "nodes", "node")
	if err != nil {
		return nil, err
	}
	// folded, the top nodes are read with the others of their groups (in
	// the same round trip), merged into them
	members := foldedMembers(sl.Folded, ids)
	if len(members) > 0 {
		sel = foldSel(sel)
	}
	nodes, err := r.Store.FindNodesByIDs(ctx, append(ids, members...), sel)
	if err != nil {
		return nil, err
	}
	mergeFolded(sl.Folded, nodes)
	out := networkMetricsOf(sl, rk, nodes[:len(ids)])
	out.Folded = foldsOf(sl.Folded)
	return out, nil
}

// metricsArgs are networkMetrics' arguments, checked, with their defaults.
type metricsArgs struct {
	query   domain.MetricsQuery
	by      metrics.Measure
	top     int // nodes ranked
	samples int // pivots when estimating
}

func networkMetricsArgs(labels []string, types []domain.RelType, around *string, depth *int, orderBy *model.MetricOrder, first *int, samples *int) (*metricsArgs, error) {
	a := &metricsArgs{query: domain.MetricsQuery{Labels: labels, Around: around, Depth: intArg(depth, 2), Cap: domain.MaxNodeCap, Limit: MaxMetricsNodes}}
	if err := validateLabels(labels, "networkMetrics.labels"); err != nil {
		return nil, err
	}
	var err error
	if a.query.Types, err = relTypes("networkMetrics.types", types); err != nil {
		return nil, err
	}
	if around != nil {
		if err := domain.ValidateID("networkMetrics.around", *around); err != nil {
			return nil, err
		}
		if err := inRange("networkMetrics.depth", a.query.Depth, 1, domain.MaxDepth); err != nil {
			return nil, err
		}
	}
	a.top = intArg(first, 20)
	if err := inRange("networkMetrics.first", a.top, 0, MaxPageSize); err != nil {
		return nil, err
	}
	a.samples = intArg(samples, 256)
	if err := inRange("networkMetrics.samples", a.samples, 16, MaxMetricSamples); err != nil {
		return nil, err
	}
	a.by = metrics.Betweenness
	if orderBy != nil {
		a.by = measureOf(*orderBy)
	}
	return a, nil
}

// measureOf is the measure an order ranks by.
func measureOf(o model.MetricOrder) metrics.Measure {
	switch o {
	case model.MetricOrderDegree:
		return metrics.Degree
	case model.MetricOrderWeightedDegree:
		return metrics.WeightedDegree
	case model.MetricOrderCloseness:
		return metrics.Closeness
	}
	return metrics.Betweenness
}

// networkMetricsOf is the result: the ranking of the slice, and its top
// nodes as read (nodes[i] is rk.Top[i]; nil when deleted in between).
func networkMetricsOf(sl *domain.GraphSlice, rk *metrics.Ranking, nodes []domain.Entitied) *domain.NetworkMetrics {
	out := &domain.NetworkMetrics{
		NodeCount: len(sl.IDs), EdgeCount: rk.EdgeCount,
		ComponentCount: rk.ComponentCount, CommunityCount: rk.CommunityCount, Exact: rk.Exact, Truncated: sl.Truncated,
		Components: groups(rk.Components), Communities: groups(rk.Communities),
	}
	if !rk.Exact {
		out.Samples, out.ErrorBound = &rk.Samples, &rk.ErrorBound
	}
	out.Nodes = []*domain.NodeMetrics{}
	for i, n := range rk.Top {
		if nodes[i] == nil {
			continue // deleted in between
		}
		out.Nodes = append(out.Nodes, &domain.NodeMetrics{
			Node: nodes[i], Degree: rk.Degree[n], WeightedDegree: rk.WeightedDegree[n],
			Betweenness: rk.Betweenness[n], Closeness: rk.Closeness[n],
			Component: rk.Component[n], Community: rk.Community[n],
		})
	}
	return out
}

// groups are the components or communities as the schema shows them.
func groups(gs []metrics.Group) []*domain.NodeGroup {
	out := make([]*domain.NodeGroup, len(gs))
	for i, g := range gs {
		out[i] = &domain.NodeGroup{ID: g.ID, Size: g.Size, Members: g.Members}
	}
	return out
}
