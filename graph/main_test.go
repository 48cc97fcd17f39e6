package graph

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// The graph package's tests run on one real Neo4j (neo4jtest).
func TestMain(m *testing.M) { neo4jtest.Main(m) }

// NewTestServer serves the GraphQL schema over a store on the test Neo4j
// as gqlgen's own handler, with POST and Phakhi's error presenter and
// recover function and the default export cap: the GraphQL layer alone, without the web package's
// limits, keys or rate limit. The GraphQL endpoint is the server's root
// URL. The external test package uses it too.
func NewTestServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	return NewTestServerWithKeys(tb, nil)
}

// NewTestServerWithKeys is NewTestServer where a request's bearer key,
// when keys know it, puts its principal (name and role) in the resolver
// context, as the web layer does in front of this handler; any other
// request is anonymous. The web layer's refusal of unknown keys (401) is
// tested in web.
func NewTestServerWithKeys(tb testing.TB, keys *auth.Keyring, opts ...SchemaOption) *httptest.Server {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := testkit.OpenStore(tb)
	srv := handler.New(NewSchema(st, domain.ExportCap, log, opts...))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(ErrorPresenter(log))
	srv.SetRecoverFunc(Recover(log))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if key, ok := auth.BearerToken(r.Header.Get("Authorization")); ok {
			if p, known := keys.Authenticate(key); known {
				r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			}
		}
		srv.ServeHTTP(w, r)
	}))
	tb.Cleanup(ts.Close)
	return ts
}
