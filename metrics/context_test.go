package metrics

import (
	"context"
	"errors"
	"testing"
)

// TestStepsLookAtTheContext checks each step of ComputeContext on its own:
// every one returns the context's error instead of running on.
func TestStepsLookAtTheContext(t *testing.T) {
	var edges []Edge
	for i := 0; i+1 < 100; i++ {
		edges = append(edges, Edge{A: i, B: i + 1})
	}
	g, _, err := build(context.Background(), 100, edges)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	comp, _, _ := components(context.Background(), g)
	sources := []int{0, 1, 2}
	for name, step := range map[string]func() error{
		"build":            func() error { _, _, err := build(ctx, 100, edges); return err },
		"components":       func() error { _, _, err := components(ctx, g); return err },
		"labelPropagation": func() error { _, _, err := labelPropagation(ctx, g, Options{MaxIterations: 50, Seed: 1}); return err },
		"brandes":          func() error { _, _, err := brandes(ctx, g, sources, comp); return err },
	} {
		if err := step(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: err %v, want context.Canceled", name, err)
		}
	}
}
