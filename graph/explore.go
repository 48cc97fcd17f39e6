package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/99designs/gqlgen/graphql"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/metrics"
	"github.com/phakhi/phakhi/store"
)

// Limits of the exploration fields (documented in the schema and README).
const (
	MaxSearchLen     = 200
	MaxBridgeHops    = 4
	MaxMetricsNodes  = 200_000
	MaxMetricSamples = 5000
)

// descend follows a chain of fields from a selection set and returns the
// merged selection set at its end and the end's type name.
func (p *planner) descend(set ast.SelectionSet, typeName string, fields ...string) (ast.SelectionSet, string) {
	for _, name := range fields {
		var next ast.SelectionSet
		nextType := ""
		for _, f := range graphql.CollectFields(p.op, set, []string{typeName}) {
			if f.Name == name {
				next = append(next, f.Selections...)
				nextType = f.Definition.Type.Name()
			}
		}
		if nextType == "" {
			return nil, ""
		}
		set, typeName = next, nextType
	}
	return set, typeName
}

// nodeSel is the node selection at the end of a chain of fields.
func (p *planner) nodeSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.Selection, error) {
	sub, t := p.descend(set, typeName, fields...)
	if t == "" {
		return &domain.Selection{}, nil
	}
	return p.nodeSelection(sub, t, path+"."+strings.Join(fields, "."))
}

// relSel is the relationship selection at the end of a chain of fields.
func (p *planner) relSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.RelSelection, error) {
	sub, t := p.descend(set, typeName, fields...)
	if t == "" {
		return &domain.RelSelection{}, nil
	}
	return p.relSelection(sub, path+"."+strings.Join(fields, "."))
}

func intArg(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func inRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return domain.Invalid(field, "is %d; it must be between %d and %d", v, lo, hi)
	}
	return nil
}

func relTypes(field string, ts []domain.RelType) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		if !domain.IsRelType(string(t)) {
			return nil, domain.Invalid(fmt.Sprintf("%s[%d]", field, i), "%q is not a relationship type", t)
		}
		out[i] = string(t)
	}
	return out, nil
}

func (r *Resolver) search(ctx context.Context, query string, labels []string, first *int, after *string) (*model.SearchConnection, error) {
	f := rootField(ctx)
	text := strings.TrimSpace(query)
	if text == "" {
		return nil, domain.Invalid("search.query", "is empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxSearchLen {
		return nil, domain.Invalid("search.query", "is %d characters long; the limit is %d", n, MaxSearchLen)
	}
	if err := validateLabels(labels, "search.labels"); err != nil {
		return nil, err
	}
	args := map[string]any{"first": intArg(first, 20)}
	if after != nil {
		args["after"] = *after
	}
	n, offset, err := page(args, "search")
	if err != nil {
		return nil, err
	}
	p := newPlanner(ctx)
	sel, err := p.nodeSel(f.Selections, "SearchConnection", "search", "edges", "node")
	if err != nil {
		return nil, err
	}
	res, err := r.Store.Search(ctx, domain.SearchQuery{Text: text, Labels: labels, First: n, Offset: offset, Select: sel})
	if err != nil {
		return nil, err
	}
	conn := &model.SearchConnection{TotalCount: res.Total, Complete: res.Complete, Edges: []*model.SearchEdge{}}
	for i, h := range res.Hits {
		conn.Edges = append(conn.Edges, &model.SearchEdge{Cursor: model.EncodeCursor(offset + i), Node: h.Node, Score: h.Score, MatchedField: h.MatchedField, MatchedText: h.MatchedText})
	}
	pi := &model.PageInfo{HasNextPage: offset+len(res.Hits) < res.Total, HasPreviousPage: offset > 0}
	if len(conn.Edges) > 0 {
		pi.StartCursor, pi.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	conn.PageInfo = pi
	return conn, nil
}

func (r *Resolver) neighborhood(ctx context.Context, id string, depth *int, types []domain.RelType, direction *domain.Direction, labels []string, from, to *string, cap *int) (*domain.Subgraph, error) {
	q := domain.NeighborhoodQuery{ID: id, Depth: intArg(depth, 1), Cap: intArg(cap, domain.DefaultNodeCap), Direction: domain.DirectionBoth, Labels: labels, From: from, To: to}
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
	return r.Store.Neighborhood(ctx, q)
}

func (r *Resolver) paths(ctx context.Context, from, to string, k, maxLength *int, types []domain.RelType) ([]*domain.Path, error) {
	q := domain.PathQuery{From: from, To: to, K: intArg(k, domain.DefaultPathsK), MaxLength: intArg(maxLength, domain.DefaultPathLen)}
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

func (r *Resolver) timeline(ctx context.Context, actor, place, from, to *string, first *int, after *string) (*model.Connection, error) {
	if err := readDate("timeline.from", from); err != nil {
		return nil, err
	}
	if err := readDate("timeline.to", to); err != nil {
		return nil, err
	}
	for _, id := range []struct {
		name string
		v    *string
	}{{"timeline.actor", actor}, {"timeline.place", place}} {
		if id.v != nil {
			if err := domain.ValidateID(id.name, *id.v); err != nil {
				return nil, err
			}
		}
	}
	filter := &domain.NodeFilter{Participant: actor, Place: place, DateFrom: from, DateTo: to}
	if first == nil {
		n := 50
		first = &n
	}
	conn, err := r.list(ctx, []string{domain.LabelEvent}, filter, &domain.NodeOrder{Field: domain.NodeOrderFieldDate, Direction: domain.OrderDirectionAsc}, first, after)
	var me *domain.Error
	if errors.As(err, &me) { // name the argument, not the filter it became
		alias := rootField(ctx).Alias
		me.Field = strings.NewReplacer(alias+".filter.participant", alias+".actor", alias+".filter.place", alias+".place").Replace(me.Field)
	}
	return conn, err
}

func (r *Resolver) triangle(ctx context.Context) ([]*domain.TriangleSide, error) {
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
	return r.Store.Triangle(ctx, side, actor, prog)
}

func (r *Resolver) bridges(ctx context.Context, maxHops, minSides *int, types []domain.RelType, first *int) ([]*domain.Bridge, error) {
	q := domain.BridgeQuery{MaxHops: intArg(maxHops, 2), MinSides: intArg(minSides, 2), First: intArg(first, 20)}
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
