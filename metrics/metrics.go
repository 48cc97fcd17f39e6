// Package metrics computes network metrics of a graph held in memory:
// degree, weighted degree, betweenness and closeness centrality, connected
// components and communities (label propagation). It is pure Go and knows
// nothing of Neo4j or GraphQL.
//
// The graph is treated as undirected; parallel relationships between two
// nodes collapse into one edge whose weight is their number (weighted
// degree sums those weights; distances count hops). Betweenness and
// closeness are exact up to ExactLimit nodes; above it they are estimated
// from Samples breadth-first searches from random pivots (seeded, so
// repeatable), and Result says so with the error bound.
//
// ComputeContext stops when its context ends (a request's deadline): it
// looks at the context between units of work no larger than one
// breadth-first search, so it returns the context's error soon after.
package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Edge is one relationship between two node indexes.
type Edge struct{ A, B int }

// Options tune the computation.
type Options struct {
	// ExactLimit is the largest node count for exact betweenness and
	// closeness (default 5000).
	ExactLimit int
	// Samples is the number of pivots above ExactLimit (default 256).
	Samples int
	// Seed makes sampling and label propagation repeatable (default 1).
	Seed uint64
	// MaxIterations bounds label propagation (default 50).
	MaxIterations int
}

// Result holds one value per node (by index) and what the graph is made of.
type Result struct {
	Degree         []int
	WeightedDegree []float64
	// Betweenness is normalized to [0, 1] by (n-1)(n-2)/2.
	Betweenness []float64
	// Closeness is Wasserman-Faust closeness: (r-1)/(n-1) * (r-1)/sum of
	// distances, r the size of the node's component; 0 for isolated nodes.
	Closeness []float64
	// Component and Community are ids numbered from 0, largest first.
	Component      []int
	Community      []int
	ComponentCount int
	CommunityCount int
	EdgeCount      int // distinct node pairs joined
	// Exact is false when betweenness and closeness were estimated.
	Exact bool
	// Samples is the number of pivots used when not Exact.
	Samples int
	// ErrorBound states the estimate's expected error when not Exact.
	ErrorBound string
}

type graph struct {
	n   int
	adj [][]int     // neighbours, each once
	w   [][]float64 // weight of adj[i][j]
}

// checkEvery is how many cheap steps (edges read, nodes visited) pass
// between two looks at the context.
const checkEvery = 1 << 14

func build(ctx context.Context, n int, edges []Edge) (*graph, int, error) {
	g := &graph{n: n, adj: make([][]int, n), w: make([][]float64, n)}
	index := make([]map[int]int, n)
	pairs := 0
	for i, e := range edges {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		if e.A == e.B || e.A < 0 || e.B < 0 || e.A >= n || e.B >= n {
			continue // self-loops add nothing to these metrics
		}
		a, b := e.A, e.B
		if index[a] == nil {
			index[a] = map[int]int{}
		}
		if j, ok := index[a][b]; ok {
			g.w[a][j]++
			g.w[b][index[b][a]]++
			continue
		}
		if index[b] == nil {
			index[b] = map[int]int{}
		}
		index[a][b] = len(g.adj[a])
		g.adj[a] = append(g.adj[a], b)
		g.w[a] = append(g.w[a], 1)
		index[b][a] = len(g.adj[b])
		g.adj[b] = append(g.adj[b], a)
		g.w[b] = append(g.w[b], 1)
		pairs++
	}
	return g, pairs, nil
}

// Compute computes every metric of a graph of n nodes, however long it
// takes.
func Compute(n int, edges []Edge, opt Options) *Result {
	r, _ := ComputeContext(context.Background(), n, edges, opt)
	return r
}

// ComputeContext computes every metric of a graph of n nodes, or returns
// ctx.Err() soon after ctx ends. Its results are Compute's.
func ComputeContext(ctx context.Context, n int, edges []Edge, opt Options) (*Result, error) {
	if opt.ExactLimit <= 0 {
		opt.ExactLimit = 5000
	}
	if opt.Samples <= 0 {
		opt.Samples = 256
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.MaxIterations <= 0 {
		opt.MaxIterations = 50
	}
	g, pairs, err := build(ctx, n, edges)
	if err != nil {
		return nil, err
	}
	r := &Result{
		Degree:         make([]int, n),
		WeightedDegree: make([]float64, n),
		EdgeCount:      pairs,
	}
	for i := 0; i < n; i++ {
		r.Degree[i] = len(g.adj[i])
		for _, w := range g.w[i] {
			r.WeightedDegree[i] += w
		}
	}
	if r.Component, r.ComponentCount, err = components(ctx, g); err != nil {
		return nil, err
	}
	if r.Community, r.CommunityCount, err = labelPropagation(ctx, g, opt); err != nil {
		return nil, err
	}
	sources := make([]int, n)
	for i := range sources {
		sources[i] = i
	}
	r.Exact = n <= opt.ExactLimit
	if !r.Exact {
		rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
		rng.Shuffle(len(sources), func(i, j int) { sources[i], sources[j] = sources[j], sources[i] })
		sources = sources[:opt.Samples]
		r.Samples = opt.Samples
		r.ErrorBound = fmt.Sprintf("estimated from %d random pivots of %d nodes: expected relative error about 1/sqrt(%d) = %.1f%% for the most central nodes", opt.Samples, n, opt.Samples, 100/math.Sqrt(float64(opt.Samples)))
	}
	if r.Betweenness, r.Closeness, err = brandes(ctx, g, sources, r.Component); err != nil {
		return nil, err
	}
	return r, nil
}

// brandes runs Brandes' algorithm from the given sources. With every node
// as a source the result is exact; with a sample it is scaled by n/k. It
// looks at the context before each source (one breadth-first search).
func brandes(ctx context.Context, g *graph, sources []int, comp []int) (bet, clo []float64, err error) {
	n := g.n
	bet = make([]float64, n)
	clo = make([]float64, n)
	compSize := map[int]int{}
	for _, c := range comp {
		compSize[c]++
	}
	sigma := make([]float64, n)
	dist := make([]int, n)
	delta := make([]float64, n)
	stack := make([]int, 0, n)
	queue := make([]int, 0, n)
	preds := make([][]int, n)
	distSum := make([]float64, n) // sum of distances from sampled sources, for estimating closeness
	reached := make([]int, n)
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for i := 0; i < n; i++ {
			sigma[i], dist[i], delta[i] = 0, -1, 0
			preds[i] = preds[i][:0]
		}
		sigma[s], dist[s] = 1, 0
		stack, queue = stack[:0], append(queue[:0], s)
		for head := 0; head < len(queue); head++ {
			v := queue[head]
			stack = append(stack, v)
			for _, w := range g.adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
					preds[w] = append(preds[w], v)
				}
			}
		}
		total := 0
		for _, v := range stack {
			total += dist[v]
			if v != s {
				distSum[v] += float64(dist[v])
				reached[v]++
			}
		}
		if len(sources) == n && total > 0 {
			r := float64(len(stack))
			clo[s] = (r - 1) / float64(n-1) * (r - 1) / float64(total)
		}
		for i := len(stack) - 1; i >= 0; i-- {
			w := stack[i]
			for _, v := range preds[w] {
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			if w != s {
				bet[w] += delta[w]
			}
		}
	}
	scale := 1.0
	if len(sources) < n && len(sources) > 0 {
		scale = float64(n) / float64(len(sources))
		// closeness from the sampled sources: the average distance to a node
		// estimates the node's own average distance (undirected graph)
		for v := 0; v < n; v++ {
			if reached[v] == 0 {
				continue
			}
			r := float64(compSize[comp[v]])
			avg := distSum[v] / float64(reached[v])
			if avg > 0 {
				clo[v] = (r - 1) / float64(n-1) / avg
			}
		}
	}
	// undirected: each pair was counted from both ends
	norm := 1.0
	if n > 2 {
		norm = float64(n-1) * float64(n-2) / 2
	}
	for i := range bet {
		bet[i] = bet[i] * scale / 2 / norm
	}
	return bet, clo, nil
}

// components labels connected components, largest first.
func components(ctx context.Context, g *graph) ([]int, int, error) {
	comp := make([]int, g.n)
	for i := range comp {
		comp[i] = -1
	}
	var sizes []int
	queue := make([]int, 0, g.n)
	visited := 0 // every node is visited once
	for s := 0; s < g.n; s++ {
		if comp[s] >= 0 {
			continue
		}
		id := len(sizes)
		comp[s] = id
		queue = append(queue[:0], s)
		for head := 0; head < len(queue); head++ {
			if visited%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, 0, err
				}
			}
			visited++
			for _, w := range g.adj[queue[head]] {
				if comp[w] < 0 {
					comp[w] = id
					queue = append(queue, w)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	comp, count := renumberBySize(comp, len(sizes))
	return comp, count, nil
}

// labelPropagation finds communities: each node takes the label most of its
// neighbours (weighted) carry, in a seeded random order, until no label
// changes; ties go to the smallest label.
func labelPropagation(ctx context.Context, g *graph, opt Options) ([]int, int, error) {
	label := make([]int, g.n)
	for i := range label {
		label[i] = i
	}
	order := make([]int, g.n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed+1))
	votes := map[int]float64{}
	for it := 0; it < opt.MaxIterations; it++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		changed := false
		for i, v := range order {
			if i%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, 0, err
				}
			}
			if len(g.adj[v]) == 0 {
				continue
			}
			clear(votes)
			for j, w := range g.adj[v] {
				votes[label[w]] += g.w[v][j]
			}
			best, bestVotes := label[v], -1.0
			for l, c := range votes {
				if c > bestVotes || (c == bestVotes && l < best) {
					best, bestVotes = l, c
				}
			}
			// keep the current label when it is among the best
			if votes[label[v]] == bestVotes {
				best = label[v]
			}
			if best != label[v] {
				label[v] = best
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	ids := map[int]int{}
	for i, l := range label {
		if _, ok := ids[l]; !ok {
			ids[l] = len(ids)
		}
		label[i] = ids[l]
	}
	label, count := renumberBySize(label, len(ids))
	return label, count, nil
}

// renumberBySize renumbers group ids so that 0 is the largest group (ties:
// the group whose first member comes first).
func renumberBySize(group []int, count int) ([]int, int) {
	size := make([]int, count)
	first := make([]int, count)
	for i := range first {
		first[i] = -1
	}
	for i, g := range group {
		size[g]++
		if first[g] < 0 {
			first[g] = i
		}
	}
	ids := make([]int, count)
	for i := range ids {
		ids[i] = i
	}
	sort.Slice(ids, func(a, b int) bool {
		if size[ids[a]] != size[ids[b]] {
			return size[ids[a]] > size[ids[b]]
		}
		return first[ids[a]] < first[ids[b]]
	})
	newID := make([]int, count)
	for rank, old := range ids {
		newID[old] = rank
	}
	out := make([]int, len(group))
	for i, g := range group {
		out[i] = newID[g]
	}
	return out, count
}
