package graph_test

import (
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
)

// FuzzQueryGenerator checks the generator's queries over any seed, for
// longer runs than TestGeneratedQueries:
//
//	go test ./graph/ -run '^$' -fuzz FuzzQueryGenerator -fuzztime 10m
//
// A failure prints the query: keep it in fixedCases.
func FuzzQueryGenerator(f *testing.F) {
	for _, seed := range []uint64{1, 7, 42, 1 << 40} {
		f.Add(seed)
	}
	testkit.ResetToSeed(f)
	h := newHarness(f)
	ids := readSeedIDs(f, h.open)
	f.Fuzz(func(t *testing.T, seed uint64) {
		h := h.with(t)
		q, vars := generate(t, h.schema, ids, seed)
		if err := h.check(q, vars); err != nil {
			t.Fatalf("seed %d: %v\nquery: %s\nvariables: %v", seed, err, q, vars)
		}
	})
}
