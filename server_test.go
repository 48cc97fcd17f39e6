package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
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
	case <-time.After(60 * time.Second):
		cancel()
		tb.Fatal("server did not listen within 60s")
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
	deadline := time.Now().Add(60 * time.Second)
	for { // ready: the schema exists and the seed mode has been carried out
		resp, err := http.Get(ts.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("/readyz not 200 within 60s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		var resp map[string]any
		if env["PHAKHI_PRIVATE_READS"] == "true" {
			_, resp = ts.QueryAs(tb, readerKey, `{ stats { nodes } }`, nil) // reads need a key (TestPrivateReads)
		} else {
			resp = ts.Query(tb, `{ stats { nodes } }`, nil)
		}
		if n, ok := dig(resp, "data", "stats", "nodes").(float64); ok && n > 100 {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("seed graph not loaded within 60s: %v", resp)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// openTestStore opens a store on the test Neo4j; the caller closes it.
func openTestStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), store.Config{URI: neo4jtest.URI(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// resetToSeed leaves the test Neo4j holding the seed graph, freshly
// loaded (every version 1) and nothing else, for tests whose exact answers
// are read from the seed files: the tests of a package share one
// database, and earlier tests write to it. The audit trail goes too.
func resetToSeed(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	st := openTestStore(tb)
	defer st.Close(ctx)
	if err := st.EnsureSchema(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := st.DeleteAll(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := seed.Load(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), true); err != nil {
		tb.Fatal(err)
	}
}

// Query posts a GraphQL query and decodes the response.
func (ts *testServer) Query(tb testing.TB, query string, vars map[string]any) map[string]any {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(ts.URL+"/query", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		tb.Fatalf("decode response (status %d): %v", resp.StatusCode, err)
	}
	return out
}

// dig walks decoded JSON by keys and indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func errorCode(resp map[string]any) string {
	code, _ := dig(resp, "errors", 0, "extensions", "code").(string)
	return code
}

func TestServer(t *testing.T) {
	ts := MustStartServer(t, nil)

	t.Run("Ensure a GraphQL query is answered end to end over HTTP POST", func(t *testing.T) {
		resp := ts.Query(t, `query($id: ID!) { node(id: $id) { id label name ... on Agency { kind nameEn aliases } } }`, map[string]any{"id": "codi"})
		if errs := resp["errors"]; errs != nil {
			t.Fatalf("errors: %v", errs)
		}
		if got := dig(resp, "data", "node", "name"); got != "สถาบันพัฒนาองค์กรชุมชน" {
			t.Fatalf("name = %v", got)
		}
		if got := dig(resp, "data", "node", "label"); got != "Agency" {
			t.Fatalf("label = %v", got)
		}
	})

	t.Run("Ensure a query is answered over HTTP GET too", func(t *testing.T) {
		resp, err := http.Get(ts.URL + "/graphql?query=" + url.QueryEscape(`{ node(id: "province-TH-57") { name ... on Province { isoCode } } }`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		if dig(out, "data", "node", "isoCode") != "TH-57" || dig(out, "data", "node", "name") != "เชียงราย" {
			t.Fatalf("response = %v", out)
		}
	})

	t.Run("Ensure /healthz and /readyz answer 200 while Neo4j runs", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz"} {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d", path, resp.StatusCode)
			}
		}
	})

	t.Run("Ensure GraphiQL with the explorer plugin is served from embedded assets", func(t *testing.T) {
		resp, err := http.Get(ts.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		html := string(page)
		if !strings.Contains(html, "GraphiQLPluginExplorer") || strings.Contains(html, "cdn.jsdelivr.net") {
			t.Fatalf("GraphiQL page does not use the vendored explorer plugin:\n%s", html[:min(len(html), 400)])
		}
		for _, asset := range []string{"/graphiql/graphiql.min.js", "/graphiql/graphiql.min.css", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js", "/graphiql/plugin-explorer.umd.js", "/graphiql/plugin-explorer.css"} {
			if !strings.Contains(html, asset) {
				t.Errorf("page does not reference %s", asset)
			}
			r, err := http.Get(ts.URL + asset)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode != 200 || n < 1000 {
				t.Errorf("%s: status %d, %d bytes", asset, r.StatusCode, n)
			}
		}
	})

	t.Run("Ensure bad input gets BAD_USER_INPUT naming the field, and an unknown id NOT_FOUND", func(t *testing.T) {
		resp := ts.Query(t, `{ agencies(first: 1000) { totalCount } }`, nil)
		if errorCode(resp) != "BAD_USER_INPUT" || dig(resp, "errors", 0, "extensions", "field") != "agencies.first" {
			t.Fatalf("response = %v", resp)
		}
		resp = ts.Query(t, `{ node(id: "no-such-thing") { id } }`, nil)
		if errorCode(resp) != "NOT_FOUND" {
			t.Fatalf("response = %v", resp)
		}
		resp = ts.Query(t, `{ events(filter: {dateFrom: "31 เมษายน 2550"}) { totalCount } }`, nil) // April has 30 days
		if errorCode(resp) != "BAD_USER_INPUT" || !strings.Contains(dig(resp, "errors", 0, "message").(string), "events.filter.dateFrom") {
			t.Fatalf("response = %v", resp)
		}
	})
}

func TestCORS(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_CORS_ORIGINS": "https://viz.example.org, http://localhost:5173"})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	t.Run("Ensure a preflight from an allowed origin succeeds", func(t *testing.T) {
		resp := preflight("https://viz.example.org")
		if resp.StatusCode >= 300 || resp.Header.Get("Access-Control-Allow-Origin") != "https://viz.example.org" {
			t.Fatalf("status %d, allow-origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		if !strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "content-type") {
			t.Fatalf("allow-headers %q", resp.Header.Get("Access-Control-Allow-Headers"))
		}
	})
	t.Run("Ensure a preflight from another origin is refused", func(t *testing.T) {
		resp := preflight("https://evil.example.com")
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("allow-origin %q for a foreign origin", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
}

// TestReadyAfterSeed: /readyz says "starting" (503) while the schema and
// the seed are being prepared, and once it says ready the graph is there.
func TestReadyAfterSeed(t *testing.T) {
	ts := startServer(t, map[string]string{"PHAKHI_SEED": "reload"})
	sawStarting := false
	deadline := time.Now().Add(60 * time.Second)
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
			t.Fatalf("not ready within 60s: %v", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawStarting {
		t.Fatal(`/readyz never said "starting" while the seed was reloaded`)
	}
	n, _ := dig(ts.Query(t, `{ stats { nodes } }`, nil), "data", "stats", "nodes").(float64)
	if n < 160 {
		t.Fatalf("ready with %v nodes: the seed is not all there", n)
	}
}

func TestRoundTrips(t *testing.T) {
	resetToSeed(t) // the sizes below are the seed graph's
	// The cost limit is off: it refuses the largest of these nestings,
	// and this test is about what a query costs Neo4j, not the estimate.
	ts := MustStartServer(t, map[string]string{"PHAKHI_MAX_COST": "-1"})
	trips := func(t *testing.T, resp map[string]any, want int) {
		t.Helper()
		if errs := resp["errors"]; errs != nil {
			t.Fatalf("errors: %v", errs)
		}
		if got := dig(resp, "extensions", "roundTrips"); got != float64(want) {
			t.Fatalf("roundTrips = %v, want %d (one per root field)", got, want)
		}
	}
	t.Run("Ensure a deep query costs one Neo4j round trip per root field", func(t *testing.T) {
		resp := ts.Query(t, `{
			event: node(id: "km-meeting-2007-04-11") {
				id name evidence { quote locator source { id name } }
				... on Event {
					start { iso precision text yearBE }
					heldAt { id name ... on Venue { partOf { id name } } }
					sessions { order startsAt name speakers { totalCount edges { node { id name } relationship { role roleTh evidence { quote } } } } }
					participants(first: 50) { totalCount edges { node { id name ... on Agency { kind parent { id } units { edges { node { id } } } } } relationship { role } } }
				}
				relationships(first: 5) { totalCount edges { direction other { id label } node { type from { id } to { id } } } }
			}
			agencies(first: 5) { totalCount edges { node { id name programs { edges { node { id advances { id } } } } } } }
			provinces(filter: {region: "region-south"}, first: 3) { totalCount edges { node { isoCode region { name } actors { totalCount } } } }
		}`, nil)
		trips(t, resp, 3)
		if n := len(dig(resp, "data", "event", "sessions").([]any)); n != 9 {
			t.Fatalf("%d agenda sessions came back, want 9", n)
		}
		if dig(resp, "data", "provinces", "totalCount") != float64(14) {
			t.Fatalf("southern provinces = %v, want 14", dig(resp, "data", "provinces", "totalCount"))
		}
	})

	// event -> participants -> (agencies) -> their units -> where those are
	// -> (regions) -> the regions' provinces: CODI, in the meeting three
	// times, has its southern office, in the south, of 14 provinces.
	const nested = `query($first: Int) { node(id: "km-meeting-2007-04-11") { ... on Event { participants(first: $first) { totalCount edges {
		relationship { role evidence { quote } }
		node { id name ... on Agency { kind parent { id } locatedIn { id }
			units { edges { node { id locatedIn { id ... on Region { provinces(first: 20) { totalCount edges { node { id isoCode name } } } } } } } } } } } } } } }`
	for _, c := range []struct {
		name  string
		first int
		edges int
	}{
		{"3 participants", 3, 3},
		{"all 27 participants", 100, 27},
	} {
		t.Run("Ensure "+c.name+", nested down to their units' provinces, cost one round trip", func(t *testing.T) {
			resp := ts.Query(t, nested, map[string]any{"first": c.first})
			trips(t, resp, 1)
			edges := dig(resp, "data", "node", "participants", "edges").([]any)
			if len(edges) != c.edges || dig(resp, "data", "node", "participants", "totalCount") != float64(27) {
				t.Fatalf("%d participants of %v, want %d of 27", len(edges), dig(resp, "data", "node", "participants", "totalCount"), c.edges)
			}
			if c.edges < 27 {
				return
			}
			codi := 0
			for _, e := range edges {
				if dig(e, "node", "id") != "codi" {
					continue
				}
				codi++
				south := dig(e, "node", "units", "edges", 0, "node")
				if dig(south, "id") != "codi-south" || dig(south, "locatedIn", 0, "id") != "region-south" ||
					dig(south, "locatedIn", 0, "provinces", "totalCount") != float64(14) || len(dig(south, "locatedIn", 0, "provinces", "edges").([]any)) != 14 {
					t.Fatalf("CODI's unit = %v", south)
				}
			}
			if codi != 3 {
				t.Fatalf("CODI came %d times, want 3 (support, policy support and operational partner)", codi)
			}
		})
	}

	for _, c := range []struct {
		name  string
		first int
		want  int
	}{
		{"3 agencies", 3, 3},
		{"all 18 agencies", 100, 18},
	} {
		t.Run("Ensure "+c.name+" with their programs, sides and members cost one round trip", func(t *testing.T) {
			resp := ts.Query(t, `query($first: Int) { agencies(first: $first) { totalCount edges { node { id
				programs { edges { node { id advances { id } backers { edges { node { id } } } } } }
				members(first: 50) { edges { node { id participations(first: 50) { edges { node { id } } } } } }
				participations(first: 50) { totalCount edges { node { id ... on Event { heldAt { id } } } } } } } } }`, map[string]any{"first": c.first})
			trips(t, resp, 1)
			if n := len(dig(resp, "data", "agencies", "edges").([]any)); n != c.want || dig(resp, "data", "agencies", "totalCount") != float64(18) {
				t.Fatalf("%d agencies of %v, want %d of 18", n, dig(resp, "data", "agencies", "totalCount"), c.want)
			}
		})
	}
}

// TestReadiness stops and restarts the test Neo4j under a running server.
func TestReadiness(t *testing.T) {
	in := neo4jtest.Instance()
	if in == nil {
		t.Fatal("this test needs the local test Neo4j (unset PHAKHI_TEST_NEO4J_URI)")
	}
	ts := MustStartServer(t, nil)
	status := func() int {
		resp, err := http.Get(ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := status(); s != 200 {
		t.Fatalf("/readyz = %d before the outage", s)
	}
	ctx := context.Background()
	if err := in.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("Ensure /readyz is 503 and queries fail fast with UNAVAILABLE while Neo4j is down", func(t *testing.T) {
		if s := status(); s != http.StatusServiceUnavailable {
			t.Fatalf("/readyz = %d while Neo4j is down", s)
		}
		began := time.Now()
		resp := ts.Query(t, `{ node(id: "codi") { id } }`, nil)
		if errorCode(resp) != "UNAVAILABLE" {
			t.Fatalf("response = %v", resp)
		}
		if d := time.Since(began); d > 10*time.Second {
			t.Fatalf("a query took %s to fail while Neo4j was down", d)
		}
	})
	if err := in.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("Ensure the server recovers by itself when Neo4j returns", func(t *testing.T) {
		deadline := time.Now().Add(30 * time.Second)
		for status() != 200 {
			if time.Now().After(deadline) {
				t.Fatal("/readyz not 200 within 30s of Neo4j's return")
			}
			time.Sleep(200 * time.Millisecond)
		}
		resp := ts.Query(t, `{ node(id: "codi") { id } }`, nil)
		if dig(resp, "data", "node", "id") != "codi" {
			t.Fatalf("response after recovery = %v", resp)
		}
	})
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
	stop := func(cmd *exec.Cmd, logs *bytes.Buffer) time.Duration {
		began := time.Now()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no exit within 30s of SIGTERM\n%s", logs)
		}
		return time.Since(began)
	}

	t.Run("Ensure SIGTERM ends a server on an external Neo4j cleanly within a few seconds", func(t *testing.T) {
		cmd, base, logs := start("NEO4J_URI=" + neo4jtest.URI(t))
		waitReady(t, base, 60*time.Second)
		if d := stop(cmd, logs); d > 5*time.Second {
			t.Fatalf("took %s to stop", d)
		}
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
		waitReady(t, base, 120*time.Second)
		if d := stop(cmd, logs); d > 20*time.Second {
			t.Fatalf("took %s to stop with its local Neo4j", d)
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+itoa(port), time.Second); err == nil {
			c.Close()
			t.Fatalf("the local Neo4j still listens on %d after the server stopped\n%s", port, logs)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
