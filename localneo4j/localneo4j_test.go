package localneo4j_test

import (
	"context"
	"testing"
	"time"

	"github.com/phakhi/phakhi/localneo4j"
)

func TestLocalNeo4j(t *testing.T) {
	ctx := context.Background()
	in, err := localneo4j.Start(ctx, localneo4j.Config{DataDir: t.TempDir(), PageCacheMB: 64, HeapMB: 512})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = in.Stop(context.Background()) })

	t.Run("Ensure a started instance answers RETURN 1 over Bolt on loopback", func(t *testing.T) {
		if err := localneo4j.Ping(ctx, in.URI(), 5*time.Second); err != nil {
			t.Fatalf("ping: %v", err)
		}
		if !in.Running() {
			t.Fatal("Running() = false for a started instance")
		}
	})

	t.Run("Ensure a second instance refuses a port that is taken", func(t *testing.T) {
		_, err := localneo4j.Start(ctx, localneo4j.Config{DataDir: t.TempDir(), Port: in.Port()})
		if err == nil {
			t.Fatal("expected an error for a port in use")
		}
	})

	t.Run("Ensure a stopped instance stops answering and answers again after a restart", func(t *testing.T) {
		if err := in.Stop(ctx); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if in.Running() {
			t.Fatal("Running() = true after Stop")
		}
		if err := localneo4j.Ping(ctx, in.URI(), 0); err == nil {
			t.Fatal("a stopped Neo4j still answered")
		}
		if err := in.Restart(ctx); err != nil {
			t.Fatalf("restart: %v", err)
		}
		if err := localneo4j.Ping(ctx, in.URI(), 5*time.Second); err != nil {
			t.Fatalf("ping after restart: %v", err)
		}
	})
}
