package metrics_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/phakhi/phakhi/metrics"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func path(n int) []metrics.Edge {
	var e []metrics.Edge
	for i := 0; i+1 < n; i++ {
		e = append(e, metrics.Edge{A: i, B: i + 1})
	}
	return e
}

func TestCompute(t *testing.T) {
	t.Run("Ensure a path of five has the textbook betweenness and closeness", func(t *testing.T) {
		r := metrics.Compute(5, path(5), metrics.Options{})
		wantB := []float64{0, 0.5, 4.0 / 6, 0.5, 0}
		wantC := []float64{0.4, 4.0 / 7, 4.0 / 6, 4.0 / 7, 0.4}
		for i := range wantB {
			if !near(r.Betweenness[i], wantB[i]) || !near(r.Closeness[i], wantC[i]) {
				t.Fatalf("node %d: betweenness %v closeness %v, want %v %v", i, r.Betweenness[i], r.Closeness[i], wantB[i], wantC[i])
			}
		}
		if !r.Exact || r.Degree[2] != 2 || r.Degree[0] != 1 || r.ComponentCount != 1 || r.EdgeCount != 4 {
			t.Fatalf("result = %+v", r)
		}
	})

	t.Run("Ensure a star's centre has betweenness 1 and closeness 1", func(t *testing.T) {
		edges := []metrics.Edge{{0, 1}, {0, 2}, {0, 3}, {0, 4}}
		r := metrics.Compute(5, edges, metrics.Options{})
		if !near(r.Betweenness[0], 1) || !near(r.Closeness[0], 1) || !near(r.Closeness[1], 4.0/7) || r.Betweenness[1] != 0 {
			t.Fatalf("betweenness %v closeness %v", r.Betweenness, r.Closeness)
		}
	})

	t.Run("Ensure parallel relationships add weight, not degree, and self-loops add nothing", func(t *testing.T) {
		edges := []metrics.Edge{{0, 1}, {1, 0}, {0, 1}, {1, 2}, {2, 2}}
		r := metrics.Compute(3, edges, metrics.Options{})
		if r.Degree[0] != 1 || r.WeightedDegree[0] != 3 || r.WeightedDegree[1] != 4 || r.Degree[2] != 1 || r.EdgeCount != 2 {
			t.Fatalf("degree %v weighted %v pairs %d", r.Degree, r.WeightedDegree, r.EdgeCount)
		}
	})

	t.Run("Ensure components are found and numbered largest first, isolated nodes too", func(t *testing.T) {
		edges := []metrics.Edge{{3, 4}, {0, 1}, {1, 2}, {2, 0}}
		r := metrics.Compute(6, edges, metrics.Options{})
		if r.ComponentCount != 3 {
			t.Fatalf("%d components, want 3", r.ComponentCount)
		}
		want := []int{0, 0, 0, 1, 1, 2}
		for i, c := range want {
			if r.Component[i] != c {
				t.Fatalf("components = %v, want %v", r.Component, want)
			}
		}
		if r.Closeness[5] != 0 || !near(r.Closeness[3], 1.0/5) {
			t.Fatalf("closeness = %v", r.Closeness)
		}
	})

	t.Run("Ensure two cliques joined by one edge are two communities", func(t *testing.T) {
		var edges []metrics.Edge
		for _, base := range []int{0, 5} {
			for i := 0; i < 5; i++ {
				for j := i + 1; j < 5; j++ {
					edges = append(edges, metrics.Edge{A: base + i, B: base + j})
				}
			}
		}
		edges = append(edges, metrics.Edge{A: 4, B: 5})
		r := metrics.Compute(10, edges, metrics.Options{})
		if r.CommunityCount != 2 {
			t.Fatalf("%d communities: %v", r.CommunityCount, r.Community)
		}
		for i := 0; i < 5; i++ {
			if r.Community[i] != r.Community[0] || r.Community[5+i] != r.Community[5] || r.Community[0] == r.Community[5] {
				t.Fatalf("communities = %v", r.Community)
			}
		}
	})

	t.Run("Ensure sampled betweenness states its error and stays near the exact value", func(t *testing.T) {
		n, edges := randomGraph(3000, 3, 7)
		exact := metrics.Compute(n, edges, metrics.Options{ExactLimit: 10000})
		approx := metrics.Compute(n, edges, metrics.Options{ExactLimit: 1000, Samples: 400})
		if approx.Exact || approx.Samples != 400 || approx.ErrorBound == "" || !exact.Exact {
			t.Fatalf("exact %v / %v, samples %d, bound %q", exact.Exact, approx.Exact, approx.Samples, approx.ErrorBound)
		}
		top := 0
		for i, b := range exact.Betweenness {
			if b > exact.Betweenness[top] {
				top = i
			}
		}
		if rel := math.Abs(approx.Betweenness[top]-exact.Betweenness[top]) / exact.Betweenness[top]; rel > 0.2 {
			t.Fatalf("top node: exact %v, estimate %v (%.0f%% off)", exact.Betweenness[top], approx.Betweenness[top], rel*100)
		}
		if rel := math.Abs(approx.Closeness[top]-exact.Closeness[top]) / exact.Closeness[top]; rel > 0.1 {
			t.Fatalf("top node closeness: exact %v, estimate %v", exact.Closeness[top], approx.Closeness[top])
		}
	})
}

// randomGraph is a preferential-attachment graph: each new node links to k
// earlier ones, chosen in proportion to degree (seeded).
func randomGraph(n, k int, seed uint64) (int, []metrics.Edge) {
	rng := rand.New(rand.NewPCG(seed, seed))
	var edges []metrics.Edge
	targets := []int{0}
	for v := 1; v < n; v++ {
		for j := 0; j < k && j < v; j++ {
			u := targets[rng.IntN(len(targets))]
			edges = append(edges, metrics.Edge{A: v, B: u})
			targets = append(targets, u, v)
		}
	}
	return n, edges
}

func benchmarkCompute(b *testing.B, n int) {
	_, edges := randomGraph(n, 3, 42)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := metrics.Compute(n, edges, metrics.Options{})
		if i == 0 {
			b.ReportMetric(float64(r.EdgeCount), "edges")
			b.ReportMetric(float64(r.Samples), "pivots")
		}
	}
}

// go test ./metrics -bench . -benchtime 1x prints the time for 10k and 100k nodes.
func BenchmarkCompute10k(b *testing.B)  { benchmarkCompute(b, 10_000) }
func BenchmarkCompute100k(b *testing.B) { benchmarkCompute(b, 100_000) }

// TestComputeContext checks that the computation stops when its context
// ends, and that a live context changes nothing.
func TestComputeContext(t *testing.T) {
	// 100,000 nodes and 300,000 edges: Compute takes seconds (README: 4.8 s
	// on a 2-core machine), far longer than any deadline below.
	n, edges := randomGraph(100_000, 3, 42)

	t.Run("Ensure a live context gives exactly Compute's results", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			n     int
			edges []metrics.Edge
			opt   metrics.Options
		}{
			{"path of five", 5, path(5), metrics.Options{}},
			{"exact, 2000 nodes", 2000, nil, metrics.Options{}},
			{"sampled, 8000 nodes", 8000, nil, metrics.Options{Samples: 64}},
		} {
			if c.edges == nil {
				c.n, c.edges = randomGraph(c.n, 3, 9)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			got, err := metrics.ComputeContext(ctx, c.n, c.edges, c.opt)
			cancel()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if want := metrics.Compute(c.n, c.edges, c.opt); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: ComputeContext differs from Compute", c.name)
			}
		}
	})

	t.Run("Ensure a cancelled context returns context.Canceled at once", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r, err := metrics.ComputeContext(ctx, n, edges, metrics.Options{})
		if !errors.Is(err, context.Canceled) || r != nil {
			t.Fatalf("result %v, err %v; want context.Canceled", r != nil, err)
		}
	})

	t.Run("Ensure a deadline in any phase stops the computation soon after it passes", func(t *testing.T) {
		// The deadlines fall in building the graph, components, label
		// propagation and the breadth-first searches; each ends the
		// computation with DeadlineExceeded and no result (how soon after
		// the deadline depends on how busy the machine is: logged only).
		for _, d := range []time.Duration{time.Millisecond, 30 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond, time.Second} {
			ctx, cancel := context.WithTimeout(context.Background(), d)
			began := time.Now()
			r, err := metrics.ComputeContext(ctx, n, edges, metrics.Options{})
			took := time.Since(began)
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) || r != nil {
				t.Fatalf("deadline %s: result %v, err %v after %s; want context.DeadlineExceeded", d, r != nil, err, took)
			}
			t.Logf("deadline %s: returned after %s", d, took.Round(time.Millisecond))
		}
	})

	t.Run("Ensure cancelling from another goroutine stops an exact computation", func(t *testing.T) {
		n, edges := randomGraph(5000, 3, 3) // exact: 5000 searches
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		began := time.Now()
		_, err := metrics.ComputeContext(ctx, n, edges, metrics.Options{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v after %s; want context.Canceled", err, time.Since(began))
		}
	})
}
