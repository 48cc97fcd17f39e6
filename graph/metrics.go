package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/metrics"
)

func (r *Resolver) networkMetrics(ctx context.Context, labels []string, types []domain.RelType, around *string, depth *int, orderBy *model.MetricOrder, first *int, samples *int) (*domain.NetworkMetrics, error) {
	q := domain.MetricsQuery{Labels: labels, Around: around, Depth: intArg(depth, 2), Cap: domain.MaxNodeCap, Limit: MaxMetricsNodes}
	if err := validateLabels(labels, "networkMetrics.labels"); err != nil {
		return nil, err
	}
	var err error
	if q.Types, err = relTypes("networkMetrics.types", types); err != nil {
		return nil, err
	}
	if around != nil {
		if err := domain.ValidateID("networkMetrics.around", *around); err != nil {
			return nil, err
		}
		if err := inRange("networkMetrics.depth", q.Depth, 1, domain.MaxDepth); err != nil {
			return nil, err
		}
	}
	top := intArg(first, 20)
	if err := inRange("networkMetrics.first", top, 0, MaxPageSize); err != nil {
		return nil, err
	}
	k := intArg(samples, 256)
	if err := inRange("networkMetrics.samples", k, 16, MaxMetricSamples); err != nil {
		return nil, err
	}
	order := model.MetricOrderBetweenness
	if orderBy != nil {
		order = *orderBy
	}
	sl, err := r.Store.Slice(ctx, q)
	if err != nil {
		return nil, err
	}
	if around == nil && sl.Truncated {
		return nil, domain.Invalid("networkMetrics.labels", "the subgraph has more than %d nodes, the limit: narrow it with labels, types or around", MaxMetricsNodes)
	}
	index := make(map[string]int, len(sl.IDs))
	for i, id := range sl.IDs {
		index[id] = i
	}
	edges := make([]metrics.Edge, 0, len(sl.Pairs))
	for _, pr := range sl.Pairs {
		a, okA := index[pr[0]]
		b, okB := index[pr[1]]
		if okA && okB {
			edges = append(edges, metrics.Edge{A: a, B: b})
		}
	}
	// The computation is pure Go: it stops at the request's deadline too,
	// reported like a Neo4j query cut off (TIMEOUT).
	res, err := metrics.ComputeContext(ctx, len(sl.IDs), edges, metrics.Options{Samples: min(k, max(len(sl.IDs), 1))})
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, domain.Wrap(domain.ETIMEOUT, fmt.Sprintf("computing the metrics of %d nodes ran past the request's time limit: narrow the subgraph with labels, types or around, or ask for fewer samples", len(sl.IDs)), err)
	}
	if err != nil {
		return nil, err // cancelled: the client went away
	}
	out := &domain.NetworkMetrics{
		NodeCount: len(sl.IDs), EdgeCount: res.EdgeCount,
		ComponentCount: res.ComponentCount, CommunityCount: res.CommunityCount, Exact: res.Exact, Truncated: sl.Truncated,
		Components: groups(res.Component, res.ComponentCount, sl.IDs), Communities: groups(res.Community, res.CommunityCount, sl.IDs),
	}
	if !res.Exact {
		out.Samples, out.ErrorBound = &res.Samples, &res.ErrorBound
	}
	value := func(i int) float64 {
		switch order {
		case model.MetricOrderDegree:
			return float64(res.Degree[i])
		case model.MetricOrderWeightedDegree:
			return res.WeightedDegree[i]
		case model.MetricOrderCloseness:
			return res.Closeness[i]
		}
		return res.Betweenness[i]
	}
	ranked := make([]int, len(sl.IDs))
	for i := range ranked {
		ranked[i] = i
	}
	sort.SliceStable(ranked, func(a, b int) bool {
		va, vb := value(ranked[a]), value(ranked[b])
		if va != vb {
			return va > vb
		}
		return sl.IDs[ranked[a]] < sl.IDs[ranked[b]]
	})
	ranked = ranked[:min(top, len(ranked))]
	ids := make([]string, len(ranked))
	for i, n := range ranked {
		ids[i] = sl.IDs[n]
	}
	// the second round trip: what the query asks of the top nodes
	sel, err := newPlanner(ctx).nodeSel(rootField(ctx).Selections, "NetworkMetrics", "networkMetrics", "nodes", "node")
	if err != nil {
		return nil, err
	}
	nodes, err := r.Store.FindNodesByIDs(ctx, ids, sel)
	if err != nil {
		return nil, err
	}
	out.Nodes = []*domain.NodeMetrics{}
	for i, n := range ranked {
		if nodes[i] == nil {
			continue // deleted in between
		}
		out.Nodes = append(out.Nodes, &domain.NodeMetrics{
			Node: nodes[i], Degree: res.Degree[n], WeightedDegree: res.WeightedDegree[n],
			Betweenness: res.Betweenness[n], Closeness: res.Closeness[n],
			Component: res.Component[n], Community: res.Community[n],
		})
	}
	return out, nil
}

// groups lists the largest 20 groups with up to 20 member ids each.
func groups(of []int, count int, ids []string) []*domain.NodeGroup {
	n := min(count, 20)
	out := make([]*domain.NodeGroup, n)
	for i := range out {
		out[i] = &domain.NodeGroup{ID: i, Members: []string{}}
	}
	for i, g := range of {
		if g < n {
			out[g].Size++
			if len(out[g].Members) < 20 {
				out[g].Members = append(out[g].Members, ids[i])
			}
		}
	}
	return out
}
