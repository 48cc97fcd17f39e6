package metrics_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/phakhi/phakhi/metrics"
)

func TestRank(t *testing.T) {
	// a star (centre c) with a tail: c-a, c-b, c-d, d-e
	ids := []string{"e", "c", "b", "a", "d"}
	pairs := [][2]string{{"c", "a"}, {"c", "b"}, {"c", "d"}, {"d", "e"}}
	res := metrics.Compute(len(ids), metrics.EdgesOf(ids, pairs), metrics.Options{})
	names := func(ranked []int) []string {
		out := []string{}
		for _, i := range ranked {
			out = append(out, ids[i])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		by   metrics.Measure
		top  int
		want []string
	}{
		{"Ensure nodes rank by degree, ties to the smaller id", metrics.Degree, 5, []string{"c", "d", "a", "b", "e"}},
		{"Ensure betweenness ranks the centre, then the tail's joint, then the leaves by id", metrics.Betweenness, 5, []string{"c", "d", "a", "b", "e"}},
		{"Ensure closeness ranks the centre first and the far leaf last", metrics.Closeness, 5, []string{"c", "d", "a", "b", "e"}},
		{"Ensure weighted degree ranks as degree without parallel relationships", metrics.WeightedDegree, 5, []string{"c", "d", "a", "b", "e"}},
		{"Ensure the ranking is cut to top", metrics.Degree, 2, []string{"c", "d"}},
		{"Ensure top zero ranks nothing", metrics.Degree, 0, []string{}},
		{"Ensure a top past the node count ranks every node", metrics.Degree, 99, []string{"c", "d", "a", "b", "e"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(res.Rank(tc.by, ids, tc.top)); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("Ensure the ranking does not depend on the order the nodes came in", func(t *testing.T) {
		// three isolated nodes: every measure ties, ids decide
		for _, order := range [][]string{{"x", "y", "z"}, {"z", "y", "x"}, {"y", "z", "x"}} {
			r := metrics.Compute(3, nil, metrics.Options{})
			var got []string
			for _, i := range r.Rank(metrics.Betweenness, order, 3) {
				got = append(got, order[i])
			}
			if !reflect.DeepEqual(got, []string{"x", "y", "z"}) {
				t.Fatalf("nodes %v ranked %v, want x y z", order, got)
			}
		}
	})
}

func TestGroups(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	for _, tc := range []struct {
		name                  string
		of                    []int
		count                 int
		maxGroups, maxMembers int
		want                  []metrics.Group
	}{
		{"Ensure every group is listed with its size and members in node order", []int{0, 1, 0, 0, 1}, 2, 20, 20,
			[]metrics.Group{{ID: 0, Size: 3, Members: []string{"a", "c", "d"}}, {ID: 1, Size: 2, Members: []string{"b", "e"}}}},
		{"Ensure groups past maxGroups are left out", []int{0, 1, 0, 2, 1}, 3, 2, 20,
			[]metrics.Group{{ID: 0, Size: 2, Members: []string{"a", "c"}}, {ID: 1, Size: 2, Members: []string{"b", "e"}}}},
		{"Ensure members past maxMembers are counted, not listed", []int{0, 0, 0, 0, 1}, 2, 20, 2,
			[]metrics.Group{{ID: 0, Size: 4, Members: []string{"a", "b"}}, {ID: 1, Size: 1, Members: []string{"e"}}}},
		{"Ensure no groups is an empty list", nil, 0, 20, 20, []metrics.Group{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := metrics.Groups(tc.of, tc.count, ids, tc.maxGroups, tc.maxMembers); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestEdgesOf(t *testing.T) {
	got := metrics.EdgesOf([]string{"a", "b", "c"}, [][2]string{{"a", "b"}, {"b", "z"}, {"c", "a"}, {"b", "b"}})
	want := []metrics.Edge{{A: 0, B: 1}, {A: 2, B: 0}, {A: 1, B: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v (the pair naming z left out)", got, want)
	}
}

func TestRankContext(t *testing.T) {
	t.Run("Ensure a ranking holds the top nodes and the largest groups", func(t *testing.T) {
		ids := []string{"a", "b", "c", "d"}
		rk, err := metrics.RankContext(context.Background(), ids, [][2]string{{"a", "b"}, {"b", "c"}}, metrics.Options{}, metrics.Degree, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rk.Top, []int{1, 0}) {
			t.Fatalf("top = %v, want b then a", rk.Top)
		}
		want := []metrics.Group{{ID: 0, Size: 3, Members: []string{"a", "b", "c"}}, {ID: 1, Size: 1, Members: []string{"d"}}}
		if !reflect.DeepEqual(rk.Components, want) || rk.ComponentCount != 2 {
			t.Fatalf("components = %+v (%d), want %+v", rk.Components, rk.ComponentCount, want)
		}
	})
	t.Run("Ensure a cancelled context stops the computation", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := metrics.RankContext(ctx, []string{"a", "b"}, [][2]string{{"a", "b"}}, metrics.Options{}, metrics.Degree, 2); err == nil {
			t.Fatal("no error from a cancelled context")
		}
	})
}
