// Command soak runs the explorer's read mix against a running Phakhi for a
// while, with abuse beside it, and prints throughput, p99, errors by code
// and the server's RSS at the start and the end. It is not part of
// `go test ./...`; see docs/operations.md, "Soak test".
//
// Each worker is its own client: the server must trust 127.0.0.1 as a
// proxy (PHAKHI_TRUSTED_PROXIES=127.0.0.1), and each worker sends its own
// X-Forwarded-For. Run the server with -rate-limit 0, as the load test does.
//
//	go run ./cmd/soak -url http://127.0.0.1:8080 -pid $(pgrep -n phakhi)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/phakhi/phakhi/internal/gqlhttp"
)

// the explorer's reads: search, a node, neighbourhoods, paths, stats
var mix = []string{
	`{ search(query: "เครือข่าย", first: 10) { totalCount edges { score node { id name } } } }`,
	`{ search(query: "CODI", first: 10) { edges { node { id name } } } }`,
	`{ node(id: "codi") { id name ... on Actor { relationships(first: 20) { edges { node { id } } } } } }`,
	`{ neighborhood(id: "codi", depth: 2, cap: 200) { nodeCount edgeCount truncated nodes { id name } edges { id type } } }`,
	`{ neighborhood(id: "codi", depth: 1, cap: 50) { nodes { id name } edges { id type } } }`,
	`{ paths(from: "codi", to: "walailak-university", k: 3) { length } }`,
	`{ stats { nodes relationships byLabel { label count } } }`,
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server")
	pid := flag.Int("pid", 0, "the server's process id, for its RSS (0: not measured)")
	dur := flag.Duration("duration", 60*time.Second, "how long")
	conc := flag.Int("c", 32, "concurrent readers, one client each")
	abuse := flag.Bool("abuse", true, "run the abuse beside: 8 clients amplifying networkMetrics, 200 trickling connections")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	client := &http.Client{Timeout: 40 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	rssStart := rss(*pid)

	var mu sync.Mutex
	var lat []time.Duration
	codes := map[string]int{}
	abuseCodes := map[string]int{}
	var wg sync.WaitGroup
	for w := range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fwd := fmt.Sprintf("10.1.%d.%d", w/250, w%250+1)
			for i := w; ctx.Err() == nil; i++ {
				began := time.Now()
				cs := post(ctx, client, *base+"/query", fwd, mix[i%len(mix)])
				d := time.Since(began)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				lat = append(lat, d)
				for _, c := range cs {
					codes[c]++
				}
				mu.Unlock()
			}
		}()
	}
	if *abuse {
		var b strings.Builder
		b.WriteString("{")
		for i := range 30 {
			fmt.Fprintf(&b, " m%d: networkMetrics(first: 20) { nodeCount nodes { node { id } degree } }", i)
		}
		b.WriteString(" }")
		amp := b.String()
		for a := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fwd := fmt.Sprintf("10.2.0.%d", a+1)
				for ctx.Err() == nil {
					cs := post(ctx, client, *base+"/query", fwd, amp)
					mu.Lock()
					for _, c := range cs {
						abuseCodes[c]++
					}
					mu.Unlock()
				}
			}()
		}
		u, _ := url.Parse(*base)
		for range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				trickle(ctx, u.Host)
			}()
		}
	}
	began := time.Now()
	wg.Wait()
	elapsed := time.Since(began)
	rssEnd := rss(*pid)

	slices.Sort(lat)
	p := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*q))].Round(time.Millisecond)
	}
	fmt.Printf("read mix: %d requests in %s at concurrency %d: %.0f/s, p50 %s, p99 %s\n",
		len(lat), elapsed.Round(time.Second), *conc, float64(len(lat))/elapsed.Seconds(), p(0.5), p(0.99))
	fmt.Printf("read mix errors by code: %s\n", gqlhttp.Tally(codes))
	if *abuse {
		fmt.Printf("abuse (8 amplifying clients, 200 trickling connections) errors by code: %s\n", gqlhttp.Tally(abuseCodes))
	}
	if *pid != 0 {
		fmt.Printf("server RSS: %d MiB at the start, %d MiB at the end\n", rssStart>>10, rssEnd>>10)
	}
}

// post sends one query as the client at fwd and returns the codes of the
// answer's errors.
func post(ctx context.Context, client *http.Client, u, fwd, query string) []string {
	req := gqlhttp.Request(ctx, u, query, nil, "")
	req.Header.Set("X-Forwarded-For", fwd)
	return gqlhttp.Do(client, req).Codes()
}

// trickle holds a connection sending a byte every 2 s, again when the
// server closes it, until ctx ends.
func trickle(ctx context.Context, host string) {
	msg := "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + strings.Repeat(" ", 100000)
	for ctx.Err() == nil {
		c, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		go func() { <-ctx.Done(); c.Close() }()
		go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		for i := 0; i < len(msg) && ctx.Err() == nil; i++ {
			if _, err := c.Write([]byte{msg[i]}); err != nil {
				break
			}
			time.Sleep(2 * time.Second)
		}
		c.Close()
	}
}

// rss is the resident set of process pid in KiB (0 if unknown).
func rss(pid int) int {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb int
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%d", &kb)
			return kb
		}
	}
	return 0
}
