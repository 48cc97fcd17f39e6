package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// TestRateLimit checks the per-client rate limit on the real server: a
// client past its burst gets 429 RATE_LIMITED with Retry-After, other
// clients (another key, the address) are counted apart, the bucket
// refills, /export is limited and /healthz, /readyz, assets and /metrics
// are not; off means no limit, and the default is on.
func TestRateLimit(t *testing.T) {
	testkit.EnsureSeed(t)
	const perSecond, burst = 2, 5
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t), RateLimit: web.RateLimit{PerSecond: perSecond, Burst: burst}})
	query := func(key string, header map[string]string) testkit.Raw {
		h := map[string]string{}
		for k, v := range header {
			h[k] = v
		}
		if key != "" {
			h["Authorization"] = "Bearer " + key
		}
		return testkit.Send(t, http.MethodPost, ts.URL+"/query", "application/json", strings.NewReader(`{"query":"{ node(id: \"codi\") { id } }"}`), h)
	}
	// drain sends requests until the first refusal and returns it, with
	// how many passed and how long it took.
	drain := func(key string) (refused testkit.Raw, passed int, took time.Duration) {
		began := time.Now()
		for i := 0; i < 100; i++ {
			r := query(key, nil)
			if r.Status == http.StatusTooManyRequests {
				return r, passed, time.Since(began)
			}
			if r.Status != 200 || testkit.Dig(r.JSON, "data", "node", "id") != "codi" {
				t.Fatalf("request %d: %d %s", i+1, r.Status, r.Body)
			}
			passed++
		}
		t.Fatalf("100 requests in %s and none refused", time.Since(began))
		return
	}

	var retryAfter int
	t.Run("Ensure a client past its burst gets 429 RATE_LIMITED with Retry-After", func(t *testing.T) {
		r, passed, took := drain(testkit.EditorKey)
		// the burst, and what refilled meanwhile
		if passed < burst || float64(passed) > burst+perSecond*took.Seconds()+1 {
			t.Fatalf("%d requests passed in %s; the burst is %d, the rate %d/s", passed, took, burst, perSecond)
		}
		var err error
		retryAfter, err = strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || retryAfter != 1 {
			// one token comes back every half second: at most 1 s to wait
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		ext, _ := testkit.Dig(r.JSON, "errors", 0, "extensions").(map[string]any)
		if testkit.ErrorCode(r.JSON) != "RATE_LIMITED" || ext["limit"] != float64(perSecond) || ext["burst"] != float64(burst) ||
			ext["retryAfterSeconds"] != float64(retryAfter) || ext["requestId"] == nil || r.JSON["data"] != nil {
			t.Fatalf("refusal: %s", r.Body)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q", ct)
		}
		t.Logf("%d requests passed in %s, then: %s (Retry-After %d)", passed, took.Round(time.Millisecond), testkit.Dig(r.JSON, "errors", 0, "message"), retryAfter)
	})

	t.Run("Ensure another key and the address without a key are counted apart", func(t *testing.T) {
		if r := query(testkit.AdminKey, nil); r.Status != 200 || r.JSON["errors"] != nil {
			t.Fatalf("another key: %d %s", r.Status, r.Body)
		}
		if r := query("", nil); r.Status != 200 || r.JSON["errors"] != nil {
			t.Fatalf("no key: %d %s", r.Status, r.Body)
		}
		if r := query(testkit.EditorKey, nil); r.Status != http.StatusTooManyRequests {
			t.Fatalf("the limited key again: %d %s", r.Status, r.Body)
		}
	})

	t.Run("Ensure the bucket refills after Retry-After", func(t *testing.T) {
		time.Sleep(time.Duration(retryAfter) * time.Second)
		if r := query(testkit.EditorKey, nil); r.Status != 200 || r.JSON["errors"] != nil {
			t.Fatalf("after %d s: %d %s", retryAfter, r.Status, r.Body)
		}
	})

	t.Run("Ensure a limited address is limited on /export and with unknown keys, not on health, assets or metrics", func(t *testing.T) {
		drain("")
		if r := testkit.Send(t, http.MethodGet, ts.URL+"/export/d3?around=codi", "", nil, nil); r.Status != http.StatusTooManyRequests || testkit.ErrorCode(r.JSON) != "RATE_LIMITED" {
			t.Fatalf("/export: %d %s", r.Status, r.Body)
		}
		// a key the server does not know is counted by address (before the 401)
		if r := query("phk_guessing_0123456789", nil); r.Status != http.StatusTooManyRequests {
			t.Fatalf("an unknown key: %d %s", r.Status, r.Body)
		}
		// a browser on another origin can read the refusal and Retry-After
		r := query("", map[string]string{"Origin": "https://example.org"})
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
			t.Fatalf("CORS on a refusal: %d %v", r.Status, r.Header)
		}
		for i := 0; i < 3*burst; i++ {
			for _, path := range []string{"/healthz", "/readyz", "/explore", "/graphiql/graphiql.min.css", "/metrics"} {
				if r := testkit.Send(t, http.MethodGet, ts.URL+path, "", nil, nil); r.Status != 200 {
					t.Fatalf("%s while the address is limited: %d", path, r.Status)
				}
			}
		}
	})

	t.Run("Ensure refusals are counted in the metrics", func(t *testing.T) {
		body := testkit.Send(t, http.MethodGet, ts.URL+"/metrics", "", nil, nil).Body
		for _, c := range []struct {
			name   string
			labels []string
			min    float64
		}{
			{"phakhi_graphql_errors_total", []string{`code="RATE_LIMITED"`}, 6},
			{"phakhi_http_requests_total", []string{`route="/query"`, `status="429"`}, 4},
			{"phakhi_http_requests_total", []string{`route="GET /export/{format}"`, `status="429"`}, 1},
			{"phakhi_rate_limit_clients", nil, 2},
		} {
			if v, found := testkit.MetricValue(body, c.name, c.labels...); !found || v < c.min {
				t.Errorf("%s%v = %v (found %v), want at least %v", c.name, c.labels, v, found, c.min)
			}
		}
	})

	t.Run("Ensure no limit applies when it is off", func(t *testing.T) {
		off := newServer(t, web.Config{}) // the zero RateLimit: off
		for i := 0; i < 100; i++ {
			if r := testkit.Send(t, http.MethodPost, off.URL+"/query", "application/json", strings.NewReader(`{"query":"{ __typename }"}`), nil); r.Status != 200 {
				t.Fatalf("request %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		body := testkit.Send(t, http.MethodGet, off.URL+"/metrics", "", nil, nil).Body
		if v, _ := testkit.MetricValue(body, "phakhi_graphql_errors_total", `code="RATE_LIMITED"`); v != 0 {
			t.Fatalf("%v refusals with the limit off", v)
		}
	})

	t.Run("Ensure the limit is on by default", func(t *testing.T) {
		def := newServer(t, web.Config{RateLimit: web.RateLimit{PerSecond: web.DefaultRatePerSecond, Burst: web.DefaultRateBurst}}) // the defaults (config_test.go: what an unset PHAKHI_RATE_LIMIT gives)
		refused := 0
		for i := 0; i < 2*web.DefaultRateBurst; i++ {
			r := testkit.Send(t, http.MethodPost, def.URL+"/query", "application/json", strings.NewReader(`{"query":"{ __typename }"}`), nil)
			if r.Status == http.StatusTooManyRequests {
				refused++
				if ext, _ := testkit.Dig(r.JSON, "errors", 0, "extensions").(map[string]any); ext["limit"] != float64(web.DefaultRatePerSecond) || ext["burst"] != float64(web.DefaultRateBurst) {
					t.Fatalf("refusal: %s", r.Body)
				}
			}
		}
		if refused == 0 {
			t.Fatalf("%d requests at once, none refused", 2*web.DefaultRateBurst)
		}
	})
}
