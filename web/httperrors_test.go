package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// TestHTTPErrorShape checks that the plain-HTTP refusals (the file exports,
// a bad or missing key, the metrics token) answer as GraphQL errors do:
// errors[0].message, extensions.code as GraphQL names it, and the request
// id the response header carries.
func TestHTTPErrorShape(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t), PrivateReads: true, MetricsToken: "metrics-token-0123456789"})
	cases := []struct {
		method, path, key string
		status            int
		code, says, field string
	}{
		{"GET", "/export/gexf", "", 401, "UNAUTHENTICATED", "reads need an API key", ""},
		{"POST", "/query", "not-a-key", 401, "UNAUTHENTICATED", "the API key is not valid", ""},
		{"GET", "/metrics", "", 401, "UNAUTHENTICATED", "the metrics need a token", ""},
		{"GET", "/export/pdf", testkit.ReaderKey, 400, "BAD_USER_INPUT", "not an export format", ""},
		{"GET", "/export/gexf?around=codi&depth=two", testkit.ReaderKey, 400, "BAD_USER_INPUT", "depth: ", "depth"},
		{"GET", "/export/gexf?around=ghost", testkit.ReaderKey, 404, "NOT_FOUND", "ghost", ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(`{"query":"{ stats { nodes } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || len(body.Errors) != 1 {
			t.Errorf("%s %s: %d, body not one GraphQL error: %v %+v", c.method, c.path, resp.StatusCode, err, body)
			continue
		}
		e := body.Errors[0]
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != c.status || e.Extensions["code"] != c.code || !strings.Contains(e.Message, c.says) ||
			id == "" || e.Extensions["requestId"] != id || (c.field != "" && e.Extensions["field"] != c.field) {
			t.Errorf("%s %s: %d %+v (X-Request-Id %q); want %d %s saying %q", c.method, c.path, resp.StatusCode, e, id, c.status, c.code, c.says)
		}
	}
}
