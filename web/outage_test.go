package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/web"
)

// TestReadiness stops and restarts the test Neo4j under a running server.
func TestReadiness(t *testing.T) {
	in := neo4jtest.Instance()
	if in == nil {
		t.Fatal("this test needs the local test Neo4j (unset PHAKHI_TEST_NEO4J_URI)")
	}
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{})
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
		// fast: answered at all, as UNAVAILABLE, well before the request
		// deadline would say TIMEOUT
		resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "codi") { id } }`, nil)
		if testkit.ErrorCode(resp) != "UNAVAILABLE" {
			t.Fatalf("response = %v", resp)
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
		resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "codi") { id } }`, nil)
		if testkit.Dig(resp, "data", "node", "id") != "codi" {
			t.Fatalf("response after recovery = %v", resp)
		}
	})
}

// TestNeo4jOutageUnderLoad stops Neo4j in the middle of a bounded loopback
// load (8 clients, reads and writes) and restarts it.
func TestNeo4jOutageUnderLoad(t *testing.T) {
	in := neo4jtest.Instance()
	if in == nil {
		t.Fatal("this test needs the local test Neo4j (unset PHAKHI_TEST_NEO4J_URI)")
	}
	testkit.EnsureSeed(t) // the writes cite a source of the seed graph
	// The request deadline bounds every request: none may hang past it.
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t), RequestTimeout: 15 * time.Second})

	type sample struct {
		start, end time.Time
		ok         bool
		code       string
		write      bool
	}
	var (
		mu      sync.Mutex
		samples []sample
		created []string
	)
	client := &http.Client{Timeout: 20 * time.Second}
	do := func(key, query string, vars map[string]any) (map[string]any, error) {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		err = json.NewDecoder(resp.Body).Decode(&out)
		return out, err
	}
	reads := []string{
		`{ node(id: "km-meeting-2007-04-11") { id name ... on Event { participants(first: 10) { edges { node { id name } } } } } }`,
		`{ agencies(first: 10, filter: {nameContains: "ชุมชน"}) { totalCount edges { node { id name } } } }`,
		`{ search(query: "เครดิตยูเนี่ยน", first: 5) { totalCount edges { node { id } } } }`,
		`{ neighborhood(id: "codi", depth: 2, cap: 50) { nodeCount edgeCount } }`,
		`{ timeline(first: 10) { totalCount edges { node { id } } } }`,
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				s := sample{start: time.Now(), write: w < 2}
				var resp map[string]any
				var err error
				if s.write {
					id := fmt.Sprintf("outage-%d-%d", w, i)
					resp, err = do(testkit.EditorKey, `mutation($in: NodeInput!) { createNode(input: $in) { id } }`, map[string]any{"in": map[string]any{
						"id": id, "label": "Person", "name": "ทดสอบ " + id,
						"evidence": []any{map[string]any{"source": "gotoknow-85545", "quote": "ขอบคุณพัชที่ส่งข่าวให้ทราบ", "locator": "comment 2"}},
					}})
					if err == nil && testkit.Dig(resp, "data", "createNode", "id") == id {
						mu.Lock()
						created = append(created, id)
						mu.Unlock()
					}
				} else {
					resp, err = do("", reads[(w+i)%len(reads)], nil)
				}
				s.end = time.Now()
				switch {
				case err != nil:
					s.code = "HTTP: " + err.Error()
				case resp["errors"] != nil:
					s.code = testkit.ErrorCode(resp)
					if s.code != "UNAVAILABLE" {
						s.code += ": " + fmt.Sprint(testkit.Dig(resp, "errors", 0, "message"))
					}
				default:
					s.ok = true
				}
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}(w)
	}
	ctx := context.Background()
	began := time.Now()
	// waitFor waits until n requests that began after since have ended
	waitFor := func(n int, since time.Time, within time.Duration) {
		for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			mu.Lock()
			count := 0
			for _, s := range samples {
				if s.start.After(since) {
					count++
				}
			}
			mu.Unlock()
			if count >= n {
				return
			}
		}
	}
	waitFor(24, began, 20*time.Second)
	stopping := time.Now()
	if err := in.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	time.Sleep(3 * time.Second)
	restarting := time.Now()
	if err := in.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	var recovered time.Time
	for deadline := time.Now().Add(30 * time.Second); ; {
		r, err := http.Get(ts.URL + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				recovered = time.Now()
				break
			}
		}
		if time.Now().After(deadline) {
			close(stop)
			wg.Wait()
			t.Fatal("/readyz not 200 within 30s of Neo4j's return")
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(24, recovered.Add(500*time.Millisecond), 30*time.Second)
	close(stop)
	wg.Wait()
	t.Cleanup(func() {
		for _, id := range created {
			_, _ = do(testkit.AdminKey, `mutation($id: ID!) { deleteNode(id: $id) { __typename } }`, map[string]any{"id": id})
		}
	})

	var before, during, after, all int
	codes := map[string]int{}
	var slowest, slowestDuring time.Duration
	for _, s := range samples {
		all++
		took := s.end.Sub(s.start)
		slowest = max(slowest, took)
		if took > 3*time.Second {
			t.Logf("slow: write=%v began %s after the stop began, took %s, ok=%v code %q", s.write, s.start.Sub(stopping).Round(time.Millisecond), took.Round(time.Millisecond), s.ok, s.code)
		}
		if !s.ok {
			codes[s.code]++
		}
		switch {
		case s.end.Before(stopping):
			before++
			if !s.ok {
				t.Errorf("before the outage: %s failed with %s", s.start.Sub(began), s.code)
			}
		case s.start.After(down) && s.end.Before(restarting):
			during++
			slowestDuring = max(slowestDuring, took)
			if s.ok || s.code != "UNAVAILABLE" {
				t.Errorf("during the outage: ok=%v code %q after %s", s.ok, s.code, took)
			}
		case s.start.After(recovered.Add(500 * time.Millisecond)):
			after++
			if !s.ok {
				t.Errorf("after recovery: %s failed with %s", s.start.Sub(recovered), s.code)
			}
		}
	}
	t.Logf("%d requests (%d writes created nodes): %d before the outage, %d during (slowest %s), %d after recovery; slowest of all %s; stopping Neo4j took %s, down %s, ready %s after the restart began; failures by code %v",
		all, len(created), before, during, slowestDuring.Round(time.Millisecond), after, slowest.Round(time.Millisecond),
		down.Sub(stopping).Round(time.Millisecond), restarting.Sub(down).Round(time.Millisecond), recovered.Sub(restarting).Round(time.Millisecond), codes)
	if before == 0 || during == 0 || after == 0 {
		t.Fatalf("a phase had no requests: before %d, during %d, after %d", before, during, after)
	}
	// None hung: the request deadline (15 s) ended each with an answer
	// before the client gave up on it (20 s).
	for code, n := range codes {
		if strings.HasPrefix(code, "HTTP: ") {
			t.Errorf("%d requests got no answer: %s", n, code)
		}
	}

	// A write reported done is done: every node a createNode answered with
	// is there after the outage, as written. (A write that failed may
	// still have committed, if Neo4j went away between the commit and the
	// read-back, so those are not checked.)
	if len(created) == 0 {
		t.Fatal("no write succeeded")
	}
	var missing []string
	for start := 0; start < len(created); start += 100 { // nodes(ids:) takes 100 at a time
		batch := created[start:min(start+100, len(created))]
		resp, err := do("", `query($ids: [ID!]!) { nodes(ids: $ids) { id name } }`, map[string]any{"ids": batch})
		if err != nil || resp["errors"] != nil {
			t.Fatalf("reading back the created nodes: %v %v", err, resp["errors"])
		}
		nodes, _ := testkit.Dig(resp, "data", "nodes").([]any)
		if len(nodes) != len(batch) {
			t.Fatalf("nodes(ids:) gave %d answers for %d ids", len(nodes), len(batch))
		}
		for i, id := range batch {
			if testkit.Dig(nodes[i], "id") != id || testkit.Dig(nodes[i], "name") != "ทดสอบ "+id {
				missing = append(missing, fmt.Sprintf("%s (%v)", id, nodes[i]))
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d writes reported successful are not in the graph after recovery: %v", len(missing), len(created), missing)
	}
}

// metricValue sums the samples of a metric whose label set contains every
