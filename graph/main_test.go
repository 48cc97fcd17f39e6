package graph

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// The graph package's tests run on one real Neo4j (neo4jtest).
func TestMain(m *testing.M) { neo4jtest.Main(m) }

// NewTestServer serves the GraphQL schema over a store on the test Neo4j
// as gqlgen's own handler, with POST and Phakhi's error presenter and
// recover function: the GraphQL layer alone, without the web package's
// limits, keys or rate limit. The external test package uses it too.
func NewTestServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := testkit.OpenStore(tb)
	srv := handler.New(NewSchema(st, 0, log))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(ErrorPresenter(log))
	srv.SetRecoverFunc(Recover(log))
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	return ts
}
