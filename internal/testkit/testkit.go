// Package testkit is what the tests of several packages share: a store on
// the test Neo4j, the seed graph reset, and a small GraphQL client over
// HTTP that decodes answers into plain JSON values.
//
// A test package that needs Neo4j starts one in its TestMain:
//
//	func TestMain(m *testing.M) { neo4jtest.Main(m) }
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// OpenStore opens a store on the test Neo4j and closes it when the test ends.
func OpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	return OpenStoreWith(tb, store.Config{})
}

// OpenStoreWith is OpenStore with cfg (a query timeout, an observer, a
// tracer provider); its URI is the test Neo4j's.
func OpenStoreWith(tb testing.TB, cfg store.Config) *store.Store {
	tb.Helper()
	cfg.URI = neo4jtest.URI(tb)
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close(context.Background()) })
	return st
}

// ResetToSeed leaves the test Neo4j holding the seed graph, freshly loaded
// (every version 1) and nothing else, for tests whose exact answers are
// read from the seed files: the tests of a package share one database, and
// earlier tests write to it. The audit trail goes too.
func ResetToSeed(tb testing.TB) {
	tb.Helper()
	loadSeed(tb, true)
}

// EnsureSeed loads the seed graph into the test Neo4j if it is empty,
// leaving whatever else is there: for tests that need the seed's nodes
// (a source to cite, a hub to start from) but not its exact counts.
func EnsureSeed(tb testing.TB) {
	tb.Helper()
	loadSeed(tb, false)
}

// loadSeed ensures the schema and loads the seed graph: after emptying the
// database when reset, only into an empty one when not.
func loadSeed(tb testing.TB, reset bool) {
	tb.Helper()
	ctx := context.Background()
	uri := neo4jtest.URI(tb)
	if reset && unchangedSinceReset(ctx, uri) {
		return
	}
	st, err := store.Open(ctx, store.Config{URI: uri})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close(ctx)
	if err := st.EnsureSchema(ctx); err != nil {
		tb.Fatal(err)
	}
	if reset {
		if err := st.DeleteAll(ctx); err != nil {
			tb.Fatal(err)
		}
	}
	if err := seed.Load(ctx, st, slog.New(slog.NewTextHandler(io.Discard, nil)), reset); err != nil {
		tb.Fatal(err)
	}
	if reset {
		if err := rememberReset(ctx, uri); err != nil {
			tb.Fatal(err)
		}
	}
}

// Cypher runs one statement straight on the test Neo4j, for what a test
// must see or set up beneath the store: versions, running transactions,
// a synthetic network.
func Cypher(tb testing.TB, query string, params map[string]any) []*neo4j.Record {
	tb.Helper()
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(neo4jtest.URI(tb), neo4j.NoAuth())
	if err != nil {
		tb.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, query, params, neo4j.EagerResultTransformer)
	if err != nil {
		tb.Fatalf("cypher: %v", err)
	}
	return res.Records
}

// Post sends a GraphQL request to url (with key as a bearer token unless
// empty) and returns the status and the decoded answer.
func Post(tb testing.TB, url, key, query string, vars map[string]any) (int, map[string]any) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	status, out := PostBody(tb, url, key, body)
	if out == nil {
		tb.Fatalf("the answer (status %d) is not a JSON object", status)
	}
	return status, out
}

// PostBody posts body as JSON to url (with key as a bearer token unless
// empty) and returns the status and the answer decoded, nil when it is
// not a JSON object.
func PostBody(tb testing.TB, url, key string, body []byte) (int, map[string]any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// Dig walks decoded JSON by keys (string) and indexes (int); nil when the
// path is not there.
func Dig(v any, path ...any) any {
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
			if !ok || k < 0 || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// ErrorCode is extensions.code of an answer's first error ("" if none).
func ErrorCode(resp map[string]any) string {
	code, _ := Dig(resp, "errors", 0, "extensions", "code").(string)
	return code
}
