package metrics

import (
	"context"
	"sort"
)

// Measure is a per-node value of a Result that nodes are ranked by.
type Measure int

const (
	Betweenness Measure = iota
	Degree
	WeightedDegree
	Closeness
)

// Value is node i's measure m.
func (r *Result) Value(m Measure, i int) float64 {
	switch m {
	case Degree:
		return float64(r.Degree[i])
	case WeightedDegree:
		return r.WeightedDegree[i]
	case Closeness:
		return r.Closeness[i]
	}
	return r.Betweenness[i]
}

// Rank is the indexes of the top nodes (at most top) by measure m,
// highest first; equal values go to the smaller id, so the ranking does
// not depend on the order the nodes came in. ids[i] is node i's id.
func (r *Result) Rank(m Measure, ids []string, top int) []int {
	ranked := make([]int, len(ids))
	for i := range ranked {
		ranked[i] = i
	}
	sort.SliceStable(ranked, func(a, b int) bool {
		va, vb := r.Value(m, ranked[a]), r.Value(m, ranked[b])
		if va != vb {
			return va > vb
		}
		return ids[ranked[a]] < ids[ranked[b]]
	})
	return ranked[:max(0, min(top, len(ranked)))]
}

// Group is a component or a community: its id (groups are numbered from
// 0, largest first), its size and some of its members' ids.
type Group struct {
	ID      int
	Size    int
	Members []string
}

// Groups lists the largest maxGroups of the count groups that of assigns
// the nodes to (node i is in group of[i]), each with its size and the ids
// of up to maxMembers of its members, in node order.
func Groups(of []int, count int, ids []string, maxGroups, maxMembers int) []Group {
	n := max(0, min(count, maxGroups))
	out := make([]Group, n)
	for i := range out {
		out[i] = Group{ID: i, Members: []string{}}
	}
	for i, g := range of {
		if g >= 0 && g < n {
			out[g].Size++
			if len(out[g].Members) < maxMembers {
				out[g].Members = append(out[g].Members, ids[i])
			}
		}
	}
	return out
}

// EdgesOf turns pairs of ids into edges between the nodes' indexes in ids;
// a pair naming an id that is not in ids is left out.
func EdgesOf(ids []string, pairs [][2]string) []Edge {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	edges := make([]Edge, 0, len(pairs))
	for _, p := range pairs {
		a, okA := index[p[0]]
		b, okB := index[p[1]]
		if okA && okB {
			edges = append(edges, Edge{A: a, B: b})
		}
	}
	return edges
}

// Shown is how many groups a Ranking lists, and how many members of each.
const Shown = 20

// Ranking is the metrics of a graph, its top nodes by a measure and its
// largest components and communities.
type Ranking struct {
	*Result
	// Top holds the indexes of the top nodes, highest first (Result.Rank).
	Top []int
	// Components and Communities are the largest Shown groups, with up to
	// Shown members each (Groups).
	Components, Communities []Group
}

// RankContext computes the metrics of the graph whose nodes are ids and
// whose relationships join the pairs of ids (pairs naming other ids are
// left out), and ranks its top nodes by measure by. It stops with the
// context's error when ctx ends (see ComputeContext).
func RankContext(ctx context.Context, ids []string, pairs [][2]string, opt Options, by Measure, top int) (*Ranking, error) {
	res, err := ComputeContext(ctx, len(ids), EdgesOf(ids, pairs), opt)
	if err != nil {
		return nil, err
	}
	return &Ranking{
		Result:      res,
		Top:         res.Rank(by, ids, top),
		Components:  Groups(res.Component, res.ComponentCount, ids, Shown, Shown),
		Communities: Groups(res.Community, res.CommunityCount, ids, Shown, Shown),
	}, nil
}
