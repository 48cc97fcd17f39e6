package localneo4j_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

func TestLocalNeo4j(t *testing.T) {
	ctx := context.Background()
	// a cache of its own: the first start writes the class archive as it
	// stops, the restart maps it
	cacheDir, jarsDir := localneo4j.PrivateCache(t)
	archive := filepath.Join(jarsDir, localneo4j.ArchiveName)
	in, err := localneo4j.Start(ctx, localneo4j.Config{DataDir: t.TempDir(), PageCacheMB: 64, HeapMB: 512, JVMOptions: neo4jtest.JVMOptions, CacheDir: cacheDir})
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

	t.Run("Ensure the first JVM leaves a class archive as it stops and the next one maps it", func(t *testing.T) {
		st, err := os.Stat(archive)
		if err != nil || st.Size() == 0 {
			t.Fatalf("no class archive after the first JVM stopped: %v", err)
		}
		left, _ := filepath.Glob(archive + ".*") // the dump's lock and temporary file
		if len(left) > 0 {
			t.Fatalf("the dump left %v behind", left)
		}
		maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", in.PID()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(maps), archive) {
			t.Fatalf("the restarted JVM does not map %s", archive)
		}
	})
}

func TestSupervision(t *testing.T) {
	ctx := context.Background()
	var progress safeBuffer
	in, err := localneo4j.Start(ctx, localneo4j.Config{DataDir: t.TempDir(), PageCacheMB: 64, HeapMB: 512, JVMOptions: neo4jtest.JVMOptions, Progress: &progress})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = in.Stop(context.Background()) })

	t.Run("Ensure a JVM killed with SIGKILL is restarted, says so, and answers within a minute", func(t *testing.T) {
		pid := in.PID()
		if in.State() != localneo4j.StateRunning || pid == 0 {
			t.Fatalf("state %s, pid %d", in.State(), pid)
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(90 * time.Second) // a minute, and a margin for a busy machine
		for in.Restarts() == 0 || in.State() != localneo4j.StateRunning {
			if time.Now().After(deadline) {
				t.Fatalf("not restarted: state %s; progress:\n%s", in.State(), progress.String())
			}
			time.Sleep(200 * time.Millisecond)
		}
		if err := localneo4j.Ping(ctx, in.URI(), 10*time.Second); err != nil {
			t.Fatalf("ping after the restart: %v", err)
		}
		if in.PID() == pid {
			t.Fatal("the same pid")
		}
		if !strings.Contains(progress.String(), "exited on its own") || !strings.Contains(progress.String(), "restarted") {
			t.Fatalf("the log does not say so:\n%s", progress.String())
		}
	})

	t.Run("Ensure a stopped instance is not restarted", func(t *testing.T) {
		if err := in.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second) // past the first backoff
		if in.State() != localneo4j.StateStopped || in.Running() {
			t.Fatalf("state %s, running %v", in.State(), in.Running())
		}
	})
}

type safeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
