package testkit

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// seedPrint is the fingerprint of the test Neo4j (one per test binary)
// right after the last ResetToSeed. A reset finds the same fingerprint when
// no test wrote since (most tests only read), and then has nothing to do:
// the database already holds exactly what a reset would leave. That saves
// the emptying and the reload, 0.3-1.7 s each on this machine, for most of
// the suite's resets.
var seedPrint struct {
	sync.Mutex
	sum string
}

// fingerprint hashes everything a reset fixes: every node (element id,
// labels, properties), every relationship (element id, type, ends,
// properties), and the indexes and constraints with their states. Element
// ids change when a node is deleted and made again, so even a write that
// was undone counts as a change.
func fingerprint(ctx context.Context, uri string) (string, error) {
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return "", err
	}
	defer driver.Close(ctx)
	h := sha256.New()
	for _, q := range []string{
		"MATCH (n) RETURN elementId(n) AS k, [labels(n), properties(n)] AS v ORDER BY k",
		"MATCH (a)-[r]->(b) RETURN elementId(r) AS k, [type(r), elementId(a), elementId(b), properties(r)] AS v ORDER BY k",
		"SHOW INDEXES YIELD name, state, type, labelsOrTypes, properties RETURN name AS k, [state, type, labelsOrTypes, properties] AS v ORDER BY k",
		"SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name AS k, [type, labelsOrTypes, properties] AS v ORDER BY k",
	} {
		res, err := neo4j.ExecuteQuery(ctx, driver, q, nil, neo4j.EagerResultTransformer)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\n", q)
		for _, rec := range res.Records {
			fmt.Fprintf(h, "%v\n", rec.Values) // fmt prints maps with sorted keys
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// unchangedSinceReset reports whether the database at uri still holds what
// the last reset left.
func unchangedSinceReset(ctx context.Context, uri string) bool {
	seedPrint.Lock()
	want := seedPrint.sum
	seedPrint.Unlock()
	if want == "" {
		return false
	}
	got, err := fingerprint(ctx, uri)
	return err == nil && got == want
}

// rememberReset records the fingerprint of a database just reset.
func rememberReset(ctx context.Context, uri string) error {
	sum, err := fingerprint(ctx, uri)
	if err != nil {
		return err
	}
	seedPrint.Lock()
	seedPrint.sum = sum
	seedPrint.Unlock()
	return nil
}
