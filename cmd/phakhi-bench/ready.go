package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// waitNameIndex waits until the Phakhi server behind c has built its
// document analyzer's name index. The server builds it beside serving,
// right after it is ready (graph.BuildNameIndex): every node's names read
// and segmented, seconds of CPU at 100k nodes and minutes at 1M, which
// the first runs would otherwise share the cores with (a quick run at
// 100k measured search at a tenth of its speed). An analysis answers
// only once the index is built (UNAVAILABLE before), so it is the signal.
func waitNameIndex(ctx context.Context, c *gqlClient, name string, within time.Duration) error {
	const q = `{ analyzeDocument(text: "ภาคี") { notes } }`
	t0 := time.Now()
	deadline := t0.Add(within)
	for {
		_, _, err := c.post(ctx, q, nil, false)
		if err == nil {
			fmt.Fprintf(os.Stderr, "phakhi-bench: %s's name index ready after %.1f s\n", name, time.Since(t0).Seconds())
			return nil
		}
		if !strings.Contains(err.Error(), "UNAVAILABLE") || time.Now().After(deadline) {
			return fmt.Errorf("wait for %s's name index: %w", name, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
