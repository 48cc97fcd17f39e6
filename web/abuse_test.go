package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/internal/gqlhttp"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// keyring makes n reader keys named client0…: one client each (the tests
// all come from loopback, and a key names a client as an address does).
func keyring(tb testing.TB, n int, role string) (*auth.Keyring, []string) {
	tb.Helper()
	var spec []string
	var keys []string
	for i := range n {
		k := fmt.Sprintf("test-key-%s-%d-abcdefghijklmnop", role, i)
		keys = append(keys, k)
		spec = append(spec, fmt.Sprintf("client%d:%s:%s", i, role, auth.HashKey(k)))
	}
	kr, err := auth.ParseKeyring(strings.Join(spec, ","))
	if err != nil {
		tb.Fatal(err)
	}
	return kr, keys
}

// post sends one GraphQL request and returns the error codes of its
// answer ("HTTP <status>" when it is not JSON, "TRANSPORT" when it failed).
func post(client *http.Client, url, key, query string) []string {
	req := gqlhttp.Request(context.Background(), url, query, nil, "")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return gqlhttp.Do(client, req).Codes()
}

func p99(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, len(d)*99/100)]
}

// amplified is one request of 30 aliased networkMetrics fields: within the
// alias and cost limits, 30 Neo4j round trips at once without a bound.
func amplified() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 30 {
		fmt.Fprintf(&b, " m%d: networkMetrics(first: 20) { nodeCount edgeCount nodes { node { id } degree } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

func TestFairShare(t *testing.T) {
	testkit.ResetToSeed(t)
	st := testkit.OpenStore(t)
	keys, secrets := keyring(t, 9, "reader")
	srv := httptest.NewServer(web.NewHandler(st, web.Config{
		Keys:   keys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/query"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 60 * time.Second}

	t.Run("Ensure eight clients amplifying networkMetrics leave a ninth client's node reads without errors", func(t *testing.T) {
		const runFor = 6 * time.Second // long enough for dozens of amplified requests and hundreds of node reads
		ctx, cancel := context.WithTimeout(context.Background(), runFor)
		defer cancel()
		var (
			mu        sync.Mutex
			ampCodes  = map[string]int{}
			ampOK     int
			readCodes = map[string]int{}
			readOK    int
			lat       []time.Duration
			wg        sync.WaitGroup
		)
		q := amplified()
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					codes := post(client, url, secrets[i], q)
					mu.Lock()
					if len(codes) == 0 {
						ampOK++
					}
					for _, c := range codes {
						ampCodes[c]++
					}
					mu.Unlock()
				}
			}()
		}
		time.Sleep(500 * time.Millisecond) // the amplification under way
		for ctx.Err() == nil {
			began := time.Now()
			codes := post(client, url, secrets[8], `{ node(id: "codi") { id name } }`)
			d := time.Since(began)
			mu.Lock()
			lat = append(lat, d)
			if len(codes) == 0 {
				readOK++
			}
			for _, c := range codes {
				readCodes[c]++
			}
			mu.Unlock()
		}
		wg.Wait()
		t.Logf("ninth client: %d node reads, %d ok, errors %v, p99 %s", len(lat), readOK, readCodes, p99(lat))
		t.Logf("eight amplifiers: %d requests without error, errors by code %v", ampOK, ampCodes)
		if len(readCodes) > 0 || readOK == 0 {
			t.Fatalf("the ninth client saw errors %v (%d ok): one client's amplification took the service from another", readCodes, readOK)
		}
		if ampCodes["UNAVAILABLE"] > 0 {
			t.Fatalf("the amplifiers were told UNAVAILABLE %d times: Neo4j was up, the server was only busy", ampCodes["UNAVAILABLE"])
		}
	})

	t.Run("Ensure Neo4j is reported up after the amplification", func(t *testing.T) {
		resp, err := client.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/readyz: %d", resp.StatusCode)
		}
	})

	t.Run("Ensure one client's requests past its share in flight are BUSY for it alone", func(t *testing.T) {
		// 12 concurrent amplified requests from one key: at most 8 in
		// flight, the rest 429 BUSY; another key is served meanwhile.
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[string]int{}
		q := amplified()
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := post(client, url, secrets[0], q)
				mu.Lock()
				for _, x := range c {
					codes[x]++
				}
				mu.Unlock()
			}()
		}
		other := post(client, url, secrets[1], `{ node(id: "codi") { id } }`)
		wg.Wait()
		if len(other) > 0 {
			t.Fatalf("another client got %v", other)
		}
		if codes["BUSY"] == 0 {
			t.Fatalf("12 requests at once from one client: no BUSY (codes %v)", codes)
		}
		if codes["UNAVAILABLE"] > 0 {
			t.Fatalf("UNAVAILABLE: %v", codes)
		}
	})
}

func TestSlowClients(t *testing.T) {
	testkit.ResetToSeed(t)
	st := testkit.OpenStore(t)
	// Deadlines shorter than the defaults (10 s for headers, 30 s for a
	// request), so the trickles end sooner: what is tested is that they
	// end by their deadline, whatever it is.
	const requestTimeout, headerTimeout = 5 * time.Second, 4 * time.Second
	srv := web.HardenServer(&http.Server{ReadHeaderTimeout: headerTimeout, Handler: web.NewHandler(st, web.Config{
		RequestTimeout: requestTimeout,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(web.LimitListener(ln, web.ConnLimits{}))
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	t.Run("Ensure 300 connections trickling a byte a second are closed by their deadline while another client is served", func(t *testing.T) {
		const conns = 300
		began := time.Now()
		closedAfter := make([]time.Duration, conns)
		var wg sync.WaitGroup
		for i := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if err != nil {
					closedAfter[i] = time.Since(began) // refused: closed at once
					return
				}
				defer c.Close()
				// Even ones trickle their headers, odd ones a body after
				// whole headers.
				msg := "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n"
				if i%2 == 1 {
					_, _ = io.WriteString(c, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
					msg = strings.Repeat("x", 1000)
				}
				done := make(chan struct{})
				go func() {
					defer close(done)
					_, _ = io.Copy(io.Discard, c) // until the server closes it
					closedAfter[i] = time.Since(began)
				}()
				tick := time.NewTicker(time.Second)
				defer tick.Stop()
				for j := 0; j < len(msg); j++ {
					if _, err := c.Write([]byte{msg[j]}); err != nil {
						break
					}
					select {
					case <-done:
						return
					case <-tick.C:
					case <-time.After(50 * time.Second): // bound the test
						return
					}
				}
				<-done
			}()
		}

		// A normal client, from another loopback address, meanwhile.
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}
		normal := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
		trickling := make(chan struct{})
		go func() { wg.Wait(); close(trickling) }()
		var served, failed int
		// until every trickling connection is closed, and for at least
		// past the header deadline
		for busy := true; (busy || time.Since(began) < headerTimeout+time.Second) && time.Since(began) < time.Minute; {
			select {
			case <-trickling:
				busy = false
			default:
			}
			codes := post(normal, "http://"+addr+"/query", "", `{ node(id: "codi") { id } }`)
			if len(codes) == 0 {
				served++
			} else {
				failed++
				t.Logf("normal client: %v", codes)
			}
			time.Sleep(300 * time.Millisecond)
		}
		select {
		case <-trickling:
		case <-time.After(time.Minute):
			t.Fatal("trickling connections still open a minute on")
		}
		var worst time.Duration
		for _, d := range closedAfter {
			worst = max(worst, d)
		}
		t.Logf("normal client: %d served, %d failed; the last trickling connection closed after %s", served, failed, worst.Round(100*time.Millisecond))
		if failed > 0 || served == 0 {
			t.Fatalf("the normal client was not served: %d served, %d failed", served, failed)
		}
		// The request deadline, with a generous margin for a busy
		// machine; without the body deadline a trickle lasts 1000 s.
		if limit := requestTimeout + 20*time.Second; worst > limit {
			t.Fatalf("a trickling connection stayed open %s (deadline %s)", worst, limit)
		}
	})
}
