// Package neo4jtest gives a test binary one real Neo4j: the local embedded
// one on a free port and a fresh data folder (so test packages and a
// developer's running server never clash), or the database named by
// PHAKHI_TEST_NEO4J_URI. Tests never skip for want of Neo4j: if none can be
// started, the test binary fails.
//
//	func TestMain(m *testing.M) { neo4jtest.Main(m) }
package neo4jtest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/phakhi/phakhi/localneo4j"
)

var (
	instance *localneo4j.Instance
	uri      string
)

// JVMOptions are the JVM options of every Neo4j a test starts: the JIT's
// C1 tier only. A test Neo4j lives minutes and runs thousands of
// statements once each, so C2's optimising compiles never pay for
// themselves. Measured here: a start plus 200 distinct statements took
// 11–15 s of CPU instead of 24 s, and the store package's Neo4j 110 s
// instead of 151 s (the JIT was 45 % of a test Neo4j's CPU, and the test
// Neo4js 90 % of the suite's). Not for serving or benchmarks, which run
// long enough for C2 to pay.
var JVMOptions = []string{"-XX:TieredStopAtLevel=1"}

// Main starts Neo4j, runs the tests and stops Neo4j.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	if u := os.Getenv("PHAKHI_TEST_NEO4J_URI"); u != "" {
		uri = u
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "phakhi-test-neo4j-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	instance, err = localneo4j.Start(ctx, localneo4j.Config{
		DataDir:     dir,
		HeapMB:      768,
		PageCacheMB: 128,
		TxTimeout:   30 * time.Second,
		JVMOptions:  JVMOptions,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest: cannot start the local Neo4j the tests need:", err)
		return 1
	}
	uri = instance.URI()
	code := m.Run()
	if err := instance.Stop(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest:", err)
	}
	return code
}

// URI is the Bolt URI of the test Neo4j.
func URI(tb testing.TB) string {
	tb.Helper()
	if uri == "" {
		tb.Fatal("neo4jtest: no Neo4j: call neo4jtest.Main(m) from TestMain")
	}
	return uri
}

// Instance is the local Neo4j the tests run on, or nil when
// PHAKHI_TEST_NEO4J_URI names an external one.
func Instance() *localneo4j.Instance { return instance }
