package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }

// testServer is a Phakhi server run in process by run(), on the test Neo4j.
type testServer struct {
	URL  string
	stop func()
}

// startServer runs the server (run) on the test Neo4j with env over the
// test defaults, and returns once it listens.
func startServer(tb testing.TB, env map[string]string) *testServer {
	tb.Helper()
	return startServerLogging(tb, env, io.Discard)
}

// startServerLogging is startServer with the server's log written to w.
func startServerLogging(tb testing.TB, env map[string]string, w io.Writer) *testServer {
	tb.Helper()
	vars := map[string]string{
		"NEO4J_URI":           neo4jtest.URI(tb),
		"PHAKHI_ADDR":         "127.0.0.1:0",
		"PHAKHI_LOG_LEVEL":    "warn",
		"PHAKHI_SEED":         "auto",
		"PHAKHI_DATA_DIR":     tb.TempDir(),
		"PHAKHI_CORS_ORIGINS": "*",
		// The tests send far more than a client may: the rate limit is off
		// unless a test turns it on (TestRateLimit, TestBrowserExplorer).
		"PHAKHI_RATE_LIMIT": "0",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, w, listening)
	}()
	var addr string
	select {
	case addr = <-listening:
	case err := <-done:
		cancel()
		tb.Fatalf("server did not start: %v", err)
	case <-time.After(3 * time.Minute):
		cancel()
		tb.Fatal("server did not listen within 3 minutes")
	}
	ts := &testServer{URL: "http://" + addr}
	var once sync.Once
	ts.stop = func() {
		once.Do(func() { // a test may stop it before its cleanup does
			cancel()
			select {
			case err := <-done:
				if err != nil {
					tb.Errorf("server: %v", err)
				}
			case <-time.After(20 * time.Second):
				tb.Error("server did not stop within 20s")
			}
		})
	}
	tb.Cleanup(ts.stop)
	return ts
}

// MustStartServer starts a server (startServer) and waits until the seed
// graph is loaded.
func MustStartServer(tb testing.TB, env map[string]string) *testServer {
	tb.Helper()
	ts := startServer(tb, env)
	ts.waitSeeded(tb, env)
	return ts
}

// waitSeeded waits until the server is ready and the seed graph loaded.
func (ts *testServer) waitSeeded(tb testing.TB, env map[string]string) {
	tb.Helper()
	// generous: loading the seed takes seconds, minutes on a busy machine
	deadline := time.Now().Add(3 * time.Minute)
	for { // ready: the schema exists and the seed mode has been carried out
		resp, err := http.Get(ts.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("/readyz not 200 within 3 minutes: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		var resp map[string]any
		if env["PHAKHI_PRIVATE_READS"] == "true" {
			_, resp = ts.QueryAs(tb, testkit.ReaderKey, `{ stats { nodes } }`, nil) // reads need a key (TestPrivateReads)
		} else {
			resp = ts.Query(tb, `{ stats { nodes } }`, nil)
		}
		if n, ok := testkit.Dig(resp, "data", "stats", "nodes").(float64); ok && n > 100 {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("seed graph not loaded within 3 minutes: %v", resp)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Query posts a GraphQL query without a key and decodes the answer.
func (ts *testServer) Query(tb testing.TB, query string, vars map[string]any) map[string]any {
	tb.Helper()
	return testkit.Query(tb, ts.URL+"/query", query, vars)
}

// QueryAs posts a GraphQL request with an API key.
func (ts *testServer) QueryAs(tb testing.TB, key, query string, vars map[string]any) (int, map[string]any) {
	tb.Helper()
	return testkit.Post(tb, ts.URL+"/query", key, query, vars)
}

// TestReadyAfterSeed: /readyz says "starting" (503) while the schema and
// the seed are being prepared, and once it says ready the graph is there.
func TestReadyAfterSeed(t *testing.T) {
	ts := startServer(t, map[string]string{"PHAKHI_SEED": "reload"})
	sawStarting := false
	deadline := time.Now().Add(3 * time.Minute) // generous, for a busy machine
	for {
		resp, err := http.Get(ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("/readyz = %d %v", resp.StatusCode, body)
		}
		sawStarting = sawStarting || body["status"] == "starting"
		if time.Now().After(deadline) {
			t.Fatalf("not ready within 3 minutes: %v", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawStarting {
		t.Fatal(`/readyz never said "starting" while the seed was reloaded`)
	}
	n, _ := testkit.Dig(ts.Query(t, `{ stats { nodes } }`, nil), "data", "stats", "nodes").(float64)
	if n < 160 {
		t.Fatalf("ready with %v nodes: the seed is not all there", n)
	}
}

// buildBinary builds the phakhi command once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "phakhi")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, base string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready within %s", base, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	start := func(env ...string) (*exec.Cmd, string, *bytes.Buffer) {
		addr := freeAddr(t)
		cmd := exec.Command(bin)
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		cmd.Env = append(os.Environ(), append([]string{"PHAKHI_ADDR=" + addr, "PHAKHI_LOG_LEVEL=info"}, env...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		return cmd, "http://" + addr, &logs
	}
	// stop sends SIGTERM and waits for a clean exit; the bound is only
	// there so that a server that never stops fails the test: generous,
	// past the 10 s drain and a local Neo4j's own stop, on a busy machine.
	stop := func(cmd *exec.Cmd, logs *bytes.Buffer) {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
			}
		case <-time.After(90 * time.Second):
			t.Fatalf("no exit within 90s of SIGTERM\n%s", logs)
		}
	}

	t.Run("Ensure SIGTERM ends a server on an external Neo4j cleanly", func(t *testing.T) {
		cmd, base, logs := start("NEO4J_URI=" + neo4jtest.URI(t))
		waitReady(t, base, 3*time.Minute)
		stop(cmd, logs)
		if !strings.Contains(logs.String(), "shutting down") {
			t.Fatalf("no shutdown in the log:\n%s", logs)
		}
	})

	t.Run("Ensure SIGTERM also stops the local Neo4j the server started", func(t *testing.T) {
		port, err := localneo4j.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		cmd, base, logs := start("NEO4J_URI=", "PHAKHI_DATA_DIR="+t.TempDir(), "PHAKHI_LOCAL_BOLT_PORT="+itoa(port))
		waitReady(t, base, 5*time.Minute)
		stop(cmd, logs)
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+itoa(port), time.Second); err == nil {
			c.Close()
			t.Fatalf("the local Neo4j still listens on %d after the server stopped\n%s", port, logs)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestReloadSeed runs the reload-seed command over a running server.
func TestReloadSeed(t *testing.T) {
	ts := MustStartServer(t, nil)
	stats := func() string {
		return strings.TrimSpace(func() string {
			var b bytes.Buffer
			data := testkit.MustData(t, ts.Query(t, `{ stats { nodes relationships byLabel { label count } byType { type count } } }`, nil))
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(jsonString(data), " ", ""), "\n", ""))
			return b.String()
		}())
	}
	before := stats()
	t.Run("Ensure reload-seed twice leaves the same counts", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			env := map[string]string{"NEO4J_URI": neo4jtest.URI(t), "PHAKHI_LOG_LEVEL": "warn"}
			if err := run(context.Background(), []string{"reload-seed"}, func(k string) string { return env[k] }, io.Discard, nil); err != nil {
				t.Fatal(err)
			}
			if after := stats(); after != before {
				t.Fatalf("reload %d changed the counts:\nbefore %s\nafter  %s", i+1, before, after)
			}
		}
	})
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
