package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

func TestMetrics(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{})
	testkit.Query(t, ts.URL+"/query", `query NodeDetail { node(id: "codi") { id name } }`, nil)
	testkit.Query(t, ts.URL+"/query", `query NodeDetail { node(id: "codi") { id } }`, nil)
	testkit.Query(t, ts.URL+"/query", `{ node(id: "no-such-node") { id } }`, nil)
	testkit.Query(t, ts.URL+"/query", nestRelationships("codi", 5, 1), nil)
	testkit.PostJSON(t, ts.URL+"/query", []any{map[string]any{"query": "{ __typename }"}})
	for i := 0; i < 250; i++ { // more names than the metrics keep
		testkit.Query(t, ts.URL+"/query", fmt.Sprintf(`query Op%d { __typename }`, i), nil)
	}
	r := testkit.Send(t, http.MethodGet, ts.URL+"/metrics", "", nil, nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	for _, c := range []struct {
		name   string
		labels []string
		min    float64
	}{
		{"phakhi_graphql_operations_total", []string{`operation="NodeDetail"`, `type="query"`}, 2},
		{"phakhi_graphql_operation_duration_seconds_count", []string{`operation="NodeDetail"`}, 2},
		{"phakhi_graphql_operations_total", []string{`operation="other"`}, 40},
		{"phakhi_graphql_root_fields_total", []string{`field="Query.node"`}, 3},
		{"phakhi_graphql_root_field_duration_seconds_count", []string{`field="Query.node"`}, 3},
		{"phakhi_graphql_errors_total", []string{`code="NOT_FOUND"`}, 1},
		{"phakhi_graphql_errors_total", []string{`code="QUERY_TOO_DEEP"`}, 1},
		{"phakhi_graphql_errors_total", []string{`code="BATCHING_NOT_SUPPORTED"`}, 1},
		{"phakhi_neo4j_round_trips_total", []string{`kind="read"`, `outcome="ok"`}, 2},
		{"phakhi_neo4j_round_trip_duration_seconds_count", []string{`kind="read"`}, 2},
		{"phakhi_neo4j_transactions_in_flight", nil, 0},
		{"phakhi_neo4j_pool_max_connections", nil, 100},
		{"phakhi_http_requests_total", []string{`route="/query"`, `status="200"`}, 250},
		{"phakhi_http_request_duration_seconds_count", []string{`route="/query"`}, 250},
		{"phakhi_http_requests_in_flight", nil, 0},
		{"process_resident_memory_bytes", nil, 1},
		{"go_memstats_heap_inuse_bytes", nil, 1},
		{"go_goroutines", nil, 1},
	} {
		v, found := testkit.MetricValue(r.Body, c.name, c.labels...)
		if !found || v < c.min {
			t.Errorf("%s%v = %v (found %v), want at least %v", c.name, c.labels, v, found, c.min)
		}
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`phakhi_graphql_operations_total\{operation="([^"]*)"`).FindAllStringSubmatch(r.Body, -1) {
		names[m[1]] = true
	}
	if len(names) > 205 {
		t.Errorf("%d operation names kept: the label is unbounded", len(names))
	}
}

// TestGraphQLOverHTTPAudit runs graphql-http's server audits (the
// GraphQL-over-HTTP spec) against the server: every one must pass, with

// TestMetricsToken checks that PHAKHI_METRICS_TOKEN guards /metrics.
func TestMetricsToken(t *testing.T) {
	ts := newServer(t, web.Config{MetricsToken: "metrics-token-0123456789"})
	for _, c := range []struct {
		authorization string
		status        int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer wrong-token", http.StatusUnauthorized},
		{"Basic bWV0cmljcy10b2tlbi0wMTIzNDU2Nzg5", http.StatusUnauthorized},
		{"Bearer metrics-token-0123456789", http.StatusOK},
	} {
		h := map[string]string{}
		if c.authorization != "" {
			h["Authorization"] = c.authorization
		}
		r := testkit.Send(t, http.MethodGet, ts.URL+"/metrics", "", nil, h)
		if r.Status != c.status {
			t.Fatalf("Authorization %q: %d, want %d", c.authorization, r.Status, c.status)
		}
		if c.status == http.StatusOK {
			if _, found := testkit.MetricValue(r.Body, "phakhi_http_requests_total", `route="GET /metrics"`, `status="401"`); !found {
				t.Fatalf("the metrics do not count the refusals:\n%s", r.Body)
			}
			continue
		}
		if r.Header.Get("WWW-Authenticate") == "" || testkit.ErrorCode(r.JSON) != "UNAUTHENTICATED" || strings.Contains(r.Body, "phakhi_") {
			t.Fatalf("refusal: %v %s", r.Header, r.Body)
		}
	}
	// the rest of the server does not need the token
	if r := testkit.Send(t, http.MethodGet, ts.URL+"/healthz", "", nil, nil); r.Status != 200 {
		t.Fatalf("/healthz: %d", r.Status)
	}
}
