package web

import (
	"testing"

	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// The web package's tests that touch data run on one real Neo4j
// (neo4jtest); the pure ones (limits, rate limit) ignore it.
func TestMain(m *testing.M) { neo4jtest.Main(m) }
