package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/web"
)

// newServer serves the whole HTTP handler, web.NewHandler, over a store on
// the test Neo4j, as the program wires them: the store reports its round
// trips to cfg's metrics and its spans to cfg's tracer provider. The
// GraphQL endpoint is its /query.
func newServer(tb testing.TB, cfg web.Config) *httptest.Server {
	tb.Helper()
	return newServerWith(tb, cfg, store.Config{})
}

// newServerWith is newServer over a store opened with sc (a query
// timeout).
func newServerWith(tb testing.TB, cfg web.Config, sc store.Config) *httptest.Server {
	tb.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Metrics == nil {
		cfg.Metrics = web.NewMetrics()
	}
	sc.Observe, sc.TracerProvider = cfg.Metrics.ObserveNeo4j, cfg.TracerProvider
	ts := httptest.NewServer(web.NewHandler(testkit.OpenStoreWith(tb, sc), cfg))
	tb.Cleanup(ts.Close)
	return ts
}

func TestServer(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{})

	t.Run("Ensure a GraphQL query is answered end to end over HTTP POST", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", `query($id: ID!) { node(id: $id) { id label name ... on Agency { kind nameEn aliases } } }`, map[string]any{"id": "codi"})
		if errs := resp["errors"]; errs != nil {
			t.Fatalf("errors: %v", errs)
		}
		if got := testkit.Dig(resp, "data", "node", "name"); got != "สถาบันพัฒนาองค์กรชุมชน" {
			t.Fatalf("name = %v", got)
		}
		if got := testkit.Dig(resp, "data", "node", "label"); got != "Agency" {
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
		if testkit.Dig(out, "data", "node", "isoCode") != "TH-57" || testkit.Dig(out, "data", "node", "name") != "เชียงราย" {
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
		resp := testkit.Query(t, ts.URL+"/query", `{ agencies(first: 1000) { totalCount } }`, nil)
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "agencies.first" {
			t.Fatalf("response = %v", resp)
		}
		resp = testkit.Query(t, ts.URL+"/query", `{ node(id: "no-such-thing") { id } }`, nil)
		if testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Fatalf("response = %v", resp)
		}
		resp = testkit.Query(t, ts.URL+"/query", `{ events(filter: {dateFrom: "31 เมษายน 2550"}) { totalCount } }`, nil) // April has 30 days
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || !strings.Contains(testkit.Dig(resp, "errors", 0, "message").(string), "events.filter.dateFrom") {
			t.Fatalf("response = %v", resp)
		}
	})
}

func TestCORS(t *testing.T) {
	ts := newServer(t, web.Config{AllowedOrigins: []string{"https://viz.example.org", "http://localhost:5173"}})
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
