// Command loadtest runs a bounded load of mixed GraphQL reads against a
// Phakhi server on this machine (loopback only) and reports throughput,
// latency percentiles, errors and the server's memory from /metrics.
//
//	go run ./cmd/loadtest -url http://127.0.0.1:8080/query -duration 60s -concurrency 32
//
// It is not part of the test suite. It exits 1 if any request failed. The
// server must run with its rate limit off (-rate-limit 0): every request
// comes from one address. With PHAKHI_METRICS_TOKEN set it sends that
// token to /metrics.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/phakhi/phakhi/internal/gqlhttp"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/query", "GraphQL endpoint (a loopback address only)")
	duration := flag.Duration("duration", 60*time.Second, "how long to send requests")
	concurrency := flag.Int("concurrency", 32, "clients sending requests at once")
	maxRequests := flag.Int("max-requests", 2_000_000, "stop after this many requests in all")
	timeout := flag.Duration("timeout", 30*time.Second, "timeout of one request")
	flag.Parse()
	if err := run(*target, *duration, *concurrency, *maxRequests, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// loopback refuses any URL whose host is not a loopback address.
func loopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%s: not an http(s) URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s: the load test only targets loopback addresses (127.0.0.0/8, ::1, localhost)", raw)
	}
	return u, nil
}

// op is one kind of request in the mix.
type op struct {
	name  string
	query string
	vars  func(r *rand.Rand, ids []string) map[string]any
}

var searches = []string{"พอช", "เครดิตยูเนี่ยน", "credit union", "สวัสดิการ", "community", "เครือข่าย", "สกว.", "กองทุน", "ออมทรัพย์", "มหาวิทยาลัย"}

var ops = []op{
	{"NodeDetail", `query NodeDetail($id: ID!) { node(id: $id) { id label name nameEn aliases
		evidence { quote locator source { id name } }
		relationships(first: 20) { totalCount edges { direction other { id label name } node { type role start { iso } evidence { quote } } } }
		... on Agency { kind units(first: 5) { edges { node { id name } } } programs(first: 5) { edges { node { id name } } } }
		... on Event { start { iso text } participants(first: 20) { totalCount edges { node { id name } relationship { role } } } } } }`,
		func(r *rand.Rand, ids []string) map[string]any { return map[string]any{"id": ids[r.IntN(len(ids))]} }},
	{"ListPage", `query ListPage($f: NodeFilter, $after: String) { actors(filter: $f, first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id label name nameEn } } } }`,
		func(r *rand.Rand, _ []string) map[string]any {
			filters := []map[string]any{{"region": "region-central"}, {"nameContains": "ชุมชน"}, {"labels": []string{"Agency"}}, {"region": "region-south"}, {}}
			return map[string]any{"f": filters[r.IntN(len(filters))]}
		}},
	{"Search", `query Search($q: String!) { search(query: $q, first: 10) { totalCount edges { score matchedField matchedText node { id label name } } } }`,
		func(r *rand.Rand, _ []string) map[string]any {
			return map[string]any{"q": searches[r.IntN(len(searches))]}
		}},
	{"Neighborhood", `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: 2, cap: 200) { truncated nodeCount edgeCount nodes { id label name } edges { id type from { id } to { id } } } }`,
		func(r *rand.Rand, ids []string) map[string]any { return map[string]any{"id": ids[r.IntN(len(ids))]} }},
	{"Paths", `query Paths($from: ID!, $to: ID!) { paths(from: $from, to: $to, k: 3, maxLength: 4) { length nodes { id name } edges { type } } }`,
		func(r *rand.Rand, ids []string) map[string]any {
			if len(ids) < 2 {
				return map[string]any{"from": ids[0], "to": ids[0]}
			}
			from := r.IntN(len(ids))
			to := (from + 1 + r.IntN(len(ids)-1)) % len(ids) // another node
			return map[string]any{"from": ids[from], "to": ids[to]}
		}},
	{"Timeline", `query Timeline($after: String) { timeline(first: 20, after: $after) { totalCount edges { node { id name start { iso text } participants(first: 5) { edges { node { id name } } } } } } }`,
		func(r *rand.Rand, _ []string) map[string]any { return map[string]any{"after": nil} }},
}

type result struct {
	op   int
	took time.Duration
	err  string // "" when the request succeeded
}

func run(target string, duration time.Duration, concurrency, maxRequests int, timeout time.Duration) error {
	u, err := loopback(target)
	if err != nil {
		return err
	}
	if concurrency < 1 || duration <= 0 {
		return errors.New("-concurrency and -duration must be positive")
	}
	metricsURL := *u
	metricsURL.Path, metricsURL.RawQuery = "/metrics", ""
	client := &http.Client{Timeout: timeout, Transport: &http.Transport{
		MaxIdleConns: concurrency * 2, MaxIdleConnsPerHost: concurrency * 2, IdleConnTimeout: 30 * time.Second,
	}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ids, err := fetchIDs(ctx, client, u.String())
	if err != nil {
		return fmt.Errorf("could not read node ids from %s: %w", u, err)
	}
	before, err := scrape(ctx, client, metricsURL.String())
	if err != nil {
		return fmt.Errorf("could not read %s: %w", metricsURL.String(), err)
	}
	fmt.Printf("loadtest: %s, %d clients for %s, %d node ids, operations %s\n", u, concurrency, duration, len(ids), opNames())

	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	results := make(chan result, concurrency*64)
	var sent sync.WaitGroup
	var count atomic.Int64 // requests started, bounded by maxRequests
	began := time.Now()
	for c := 0; c < concurrency; c++ {
		sent.Add(1)
		go func(c int) {
			defer sent.Done()
			r := rand.New(rand.NewPCG(uint64(c), 42))
			for ctx.Err() == nil {
				if count.Add(1) > int64(maxRequests) {
					return
				}
				i := r.IntN(len(ops))
				t0 := time.Now()
				e := do(ctx, client, u.String(), ops[i], r, ids)
				if ctx.Err() != nil && e != "" {
					return // cut short by the end of the run: not counted
				}
				results <- result{op: i, took: time.Since(t0), err: e}
			}
		}(c)
	}
	// memory while it runs, every 10 s
	var samples []memSample
	samples = append(samples, memSample{at: 0, m: before})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if m, err := scrape(context.Background(), client, metricsURL.String()); err == nil {
					samples = append(samples, memSample{at: time.Since(began), m: m})
				}
			}
		}
	}()
	go func() { sent.Wait(); close(results) }()

	var all []result
	for r := range results {
		all = append(all, r)
	}
	elapsed := time.Since(began)
	<-done
	after, err := scrape(context.Background(), client, metricsURL.String())
	if err == nil {
		samples = append(samples, memSample{at: elapsed, m: after})
	}
	return report(all, elapsed, samples)
}

type memSample struct {
	at time.Duration
	m  map[string]float64
}

func opNames() string {
	var names []string
	for _, o := range ops {
		names = append(names, o.name)
	}
	return strings.Join(names, ", ")
}

// do sends one operation and says what went wrong, or "".
func do(ctx context.Context, client *http.Client, target string, o op, r *rand.Rand, ids []string) string {
	a := gqlhttp.Do(client, gqlhttp.Request(ctx, target, o.query, o.vars(r, ids), o.name))
	switch {
	case strings.HasPrefix(a.Failure, "TRANSPORT"):
		return "http: " + strings.TrimPrefix(a.Failure, "TRANSPORT: ")
	case a.Failure != "":
		return fmt.Sprintf("status %d, body not JSON", a.Status)
	}
	if a.Status == http.StatusTooManyRequests {
		return "status 429 RATE_LIMITED: the server limits this client's rate; start it with -rate-limit 0 for a load test"
	}
	if a.Status != http.StatusOK {
		return fmt.Sprintf("status %d", a.Status)
	}
	if len(a.Errors) > 0 {
		if a.Errors[0].Code() == "NOT_FOUND" && o.name == "Paths" {
			return "" // a path between two unlinked nodes may not exist
		}
		return a.Errors[0].Code() + ": " + a.Errors[0].Message
	}
	return ""
}

func fetchIDs(ctx context.Context, client *http.Client, target string) ([]string, error) {
	body := `{"query": "{ actors(first: 100) { edges { node { id } } } events(first: 50) { edges { node { id } } } provinces(first: 20) { edges { node { id } } } }"}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data map[string]struct {
			Edges []struct {
				Node struct{ ID string } `json:"node"`
			} `json:"edges"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	var ids []string
	for _, conn := range out.Data {
		for _, e := range conn.Edges {
			ids = append(ids, e.Node.ID)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil, errors.New("the graph is empty")
	}
	return ids, nil
}

// memoryMetrics are the /metrics series the report follows.
var memoryMetrics = []string{"process_resident_memory_bytes", "go_memstats_heap_inuse_bytes", "go_goroutines", "phakhi_neo4j_transactions_in_flight"}

func scrape(ctx context.Context, client *http.Client, metricsURL string) (map[string]float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, metricsURL, nil)
	if token := os.Getenv("PHAKHI_METRICS_TOKEN"); token != "" { // the server's /metrics token
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode == http.StatusUnauthorized {
			return nil, errors.New("status 401: set PHAKHI_METRICS_TOKEN to the server's /metrics token")
		}
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		for _, m := range memoryMetrics {
			if name == m {
				if v, err := strconv.ParseFloat(value, 64); err == nil {
					out[m] = v
				}
			}
		}
	}
	return out, sc.Err()
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

func report(all []result, elapsed time.Duration, samples []memSample) error {
	var lat []time.Duration
	perOp := make([][]time.Duration, len(ops))
	errs := map[string]int{}
	failed := 0
	for _, r := range all {
		lat = append(lat, r.took)
		perOp[r.op] = append(perOp[r.op], r.took)
		if r.err != "" {
			failed++
			key := r.err
			if len(key) > 120 {
				key = key[:120]
			}
			errs[ops[r.op].name+": "+key]++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("\n%d requests in %s: %.0f requests/s; latency p50 %s, p90 %s, p99 %s, max %s; errors %d\n",
		len(all), elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds(),
		ms(percentile(lat, .5)), ms(percentile(lat, .9)), ms(percentile(lat, .99)), ms(percentile(lat, 1)), failed)
	fmt.Printf("\n%-14s %9s %10s %10s\n", "operation", "requests", "p50", "p99")
	for i, l := range perOp {
		sort.Slice(l, func(a, b int) bool { return l[a] < l[b] })
		fmt.Printf("%-14s %9d %10s %10s\n", ops[i].name, len(l), ms(percentile(l, .5)), ms(percentile(l, .99)))
	}
	if len(errs) > 0 {
		fmt.Println("\nerrors:")
		for k, n := range errs {
			fmt.Printf("  %6d  %s\n", n, k)
		}
	}
	fmt.Printf("\nserver memory (from /metrics):\n%8s %14s %14s %11s\n", "at", "RSS", "heap in use", "goroutines")
	for _, s := range samples {
		fmt.Printf("%8s %14s %14s %11.0f\n", s.at.Round(time.Second), mib(s.m["process_resident_memory_bytes"]),
			mib(s.m["go_memstats_heap_inuse_bytes"]), s.m["go_goroutines"])
	}
	if len(samples) >= 3 {
		// flat: the last sample within 25% (or 16 MiB) of the highest during the run
		var peak float64
		for _, s := range samples[1 : len(samples)-1] {
			peak = max(peak, s.m["process_resident_memory_bytes"])
		}
		last := samples[len(samples)-1].m["process_resident_memory_bytes"]
		if peak > 0 && last > peak*1.25 && last-peak > 16<<20 {
			fmt.Printf("memory grew: RSS %s at the end, %s at most before\n", mib(last), mib(peak))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d requests failed", failed, len(all))
	}
	return nil
}
