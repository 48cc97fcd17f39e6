package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/phakhi/phakhi/auth"
)

func TestRateLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	t.Run("Ensure a client gets its burst, then one request per 1/rate, and others are unaffected", func(t *testing.T) {
		rl := newRateLimiter(RateLimit{PerSecond: 2, Burst: 5})
		for i := 0; i < 5; i++ {
			if ok, _ := rl.allow("a", t0); !ok {
				t.Fatalf("request %d of the burst refused", i+1)
			}
		}
		ok, wait := rl.allow("a", t0)
		if ok || wait != 500*time.Millisecond {
			t.Fatalf("past the burst: ok %v, retry after %s; want refused, 500ms", ok, wait)
		}
		if ok, _ := rl.allow("b", t0); !ok {
			t.Fatal("another client was refused")
		}
		if ok, _ := rl.allow("a", t0.Add(499*time.Millisecond)); ok {
			t.Fatal("allowed before a token came back")
		}
		if ok, _ := rl.allow("a", t0.Add(500*time.Millisecond)); !ok {
			t.Fatal("refused once a token came back")
		}
		// a refused request takes no token: after 1 s more, two are back
		for i := 0; i < 2; i++ {
			if ok, _ := rl.allow("a", t0.Add(1500*time.Millisecond)); !ok {
				t.Fatalf("refill: request %d refused", i+1)
			}
		}
		if ok, _ := rl.allow("a", t0.Add(1500*time.Millisecond)); ok {
			t.Fatal("more than the refill allowed")
		}
	})

	t.Run("Ensure idle buckets are forgotten once full again, and the count is capped", func(t *testing.T) {
		rl := newRateLimiter(RateLimit{PerSecond: 10, Burst: 20, MaxClients: 100}) // full again after 2 s
		for i := 0; i < 50; i++ {
			rl.allow(fmt.Sprint("idle-", i), t0)
		}
		if n := rl.size(); n != 50 {
			t.Fatalf("%d buckets, want 50", n)
		}
		rl.allow("late", t0.Add(2*time.Second))
		if n := rl.size(); n != 1 {
			t.Fatalf("%d buckets after the others idled 2 s, want 1", n)
		}
		for i := 0; i < 1000; i++ {
			rl.allow(fmt.Sprint("flood-", i), t0.Add(2*time.Second))
		}
		if n := rl.size(); n != 100 {
			t.Fatalf("%d buckets after 1000 clients at once, want the cap, 100", n)
		}
		// the most recent clients keep their buckets
		for i := 0; i < 20; i++ {
			rl.allow("flood-999", t0.Add(2*time.Second))
		}
		if ok, _ := rl.allow("flood-999", t0.Add(2*time.Second)); ok {
			t.Fatal("a recent client's bucket was reset")
		}
	})

	t.Run("Ensure a tiny rate keeps its buckets (no overflow of the idle time)", func(t *testing.T) {
		rl := newRateLimiter(RateLimit{PerSecond: 1e-12, Burst: 1})
		if ok, _ := rl.allow("a", t0); !ok {
			t.Fatal("first request refused")
		}
		if ok, wait := rl.allow("a", t0.Add(time.Hour)); ok || wait <= 0 {
			t.Fatalf("second request: ok %v, retry after %s", ok, wait)
		}
	})

	t.Run("Ensure a bucket costs a few hundred bytes, so the cap bounds memory", func(t *testing.T) {
		const n = 20_000
		rl := newRateLimiter(RateLimit{PerSecond: 10, Burst: 40, MaxClients: n})
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i++ {
			rl.allow(fmt.Sprintf("ip:203.0.%d.%d", i/256, i%256), t0)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		per := float64(after.HeapAlloc-before.HeapAlloc) / n
		t.Logf("%.0f bytes a bucket: %.1f MiB for the default cap of %d", per, per*DefaultRateClients/(1<<20), DefaultRateClients)
		if per > 1000 {
			t.Fatalf("%.0f bytes a bucket", per)
		}
		runtime.KeepAlive(rl)
	})
}

func TestClientKey(t *testing.T) {
	proxies, err := ParseTrustedProxies(" 10.0.0.0/8, 192.168.1.1 ,::1")
	if err != nil || len(proxies) != 3 {
		t.Fatalf("ParseTrustedProxies: %v %v", proxies, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "1.2.3"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) took it", bad)
		}
	}
	keys, err := auth.ParseKeyring("alice:reader:" + auth.HashKey("phk_alice_key_0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, remote, xff, authz string
		trusted                  bool
		want                     string
	}{
		{"IPv4 peer", "203.0.113.7:5555", "", "", false, "ip:203.0.113.7"},
		{"IPv6 peer by its /64", "[2001:db8:1:2:aaaa::1]:443", "", "", false, "ip:2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 peer", "[::ffff:203.0.113.7]:5555", "", "", false, "ip:203.0.113.7"},
		{"X-Forwarded-For ignored without trusted proxies", "203.0.113.7:5555", "198.51.100.1", "", false, "ip:203.0.113.7"},
		{"X-Forwarded-For ignored from an untrusted peer", "203.0.113.7:5555", "198.51.100.1", "", true, "ip:203.0.113.7"},
		{"a trusted proxy's client", "10.1.2.3:5555", "198.51.100.1", "", true, "ip:198.51.100.1"},
		{"the rightmost untrusted hop, not a spoofed one", "10.1.2.3:5555", "1.1.1.1, 198.51.100.1, 10.9.9.9", "", true, "ip:198.51.100.1"},
		{"garbage from the proxy: the proxy", "10.1.2.3:5555", "not-an-ip", "", true, "ip:10.1.2.3"},
		{"a valid API key: its name", "203.0.113.7:5555", "", "Bearer phk_alice_key_0123456789", false, "key:alice"},
		{"an unknown API key: the address", "203.0.113.7:5555", "", "Bearer phk_nobody", false, "ip:203.0.113.7"},
	} {
		cfg := RateLimit{PerSecond: 1, Burst: 1}
		if c.trusted {
			cfg.TrustedProxies = proxies
		}
		rl := newRateLimiter(cfg)
		r := httptest.NewRequest(http.MethodPost, "/query", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if c.authz != "" {
			r.Header.Set("Authorization", c.authz)
		}
		if got := rl.clientKey(r, keys); got != c.want {
			t.Errorf("%s: key %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLimitRateResponse(t *testing.T) {
	m := NewMetrics()
	cfg := Config{Metrics: m, rateLimiter: newRateLimiter(RateLimit{PerSecond: 0.5, Burst: 1})}
	h := limitRate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }), cfg)
	send := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/query", nil)
		r.RemoteAddr = "203.0.113.7:5555"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := send(); w.Code != http.StatusNoContent {
		t.Fatalf("first request: %d", w.Code)
	}
	w := send()
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	ext := body.Errors[0].Extensions
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" ||
		ext["code"] != CodeRateLimited || ext["limit"] != 0.5 || ext["burst"] != 1.0 || ext["retryAfterSeconds"] != 2.0 {
		t.Fatalf("%d Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if limitRate(http.NotFoundHandler(), Config{}) == nil {
		t.Fatal("no handler when off")
	}
}
