package store_test

// FuzzImportDryRun imports fuzzed JSON bundles, dry, into the test Neo4j.
// Its seed corpus (kept small: it runs in `go test ./store`) runs with the
// suite; `go test -run='^$' -fuzz=FuzzImportDryRun ./store` explores.

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

// graphState is everything an import could change: every node and
// relationship with its properties, the counts, and the audit trail's
// length.
func graphState(tb testing.TB, s *store.Store) string {
	tb.Helper()
	ctx := context.Background()
	dump, err := s.Dump(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	_, changes, err := s.History(ctx, domain.HistoryQuery{First: 1})
	if err != nil {
		tb.Fatal(err)
	}
	out, err := json.Marshal([]any{dump, st.Nodes, st.Relationships, changes})
	if err != nil {
		tb.Fatal(err)
	}
	return string(out)
}

// FuzzImportDryRun checks that any bundle ParseBundleJSON reads imports,
// dry, on Neo4j without an error (bad records, endpoints and sources are
// problems, each with its record's line and a reason), that a clean dry run
// accounts for every record, and that a dry run writes nothing.
func FuzzImportDryRun(f *testing.F) {
	for _, s := range []string{
		// new records citing the fixture's source, with an endpoint in the graph
		`{"nodes": [{"id": "fz-forum", "label": "Event", "kind": "FORUM", "name": "เวที", "start": {"date": "2007-02-04", "text": "4 ก.พ. 2550"}, "evidence": [{"source": "src", "quote": "เวที"}]}],
 "relationships": [{"type": "PARTICIPATES_IN", "from": "codi", "to": "fz-forum", "role": "SUPPORT_PARTNER", "evidence": [{"source": "src", "quote": "ภาคี"}]}]}`,
		// a node of the graph, changed, and one of its relationships as it is
		`{"nodes": [{"id": "codi", "label": "Agency", "kind": "PUBLIC_ORGANIZATION", "name": "พอช.", "evidence": [{"source": "src", "quote": "พอช."}]}],
 "relationships": [{"type": "PART_OF", "from": "prov-a", "to": "region-x", "evidence": [{"source": "src", "quote": "a", "locator": "test"}]}]}`,
		// a source in the bundle, cited by itself and by a node
		`{"nodes": [{"id": "fz-src", "label": "Source", "kind": "DOCUMENT", "name": "เอกสาร", "evidence": [{"source": "fz-src", "quote": "self"}]},
 {"id": "fz-net", "label": "Network", "kind": "NETWORK", "name": "เครือข่าย", "evidence": [{"source": "fz-src", "quote": "x"}]}], "relationships": null}`,
		// endpoints and sources that are not there, or not sources
		`{"nodes": [], "relationships": [{"type": "SUPPORTS", "from": "ghost", "to": "codi", "evidence": [{"source": "codi", "quote": "x"}]}]}`,
		// bad records, a repeated id, missing evidence
		`{"nodes": [{"id": "bad id", "label": "Agency", "name": "x"}, {"id": "fz", "label": "Person", "name": "x"}, {"id": "fz", "label": "Person", "name": "y", "evidence": [{"source": "src", "quote": "q"}]}]}`,
		`{"nodes": [{"id": "x' }) DETACH DELETE n //", "label": "Agency", "name": "x"}], "relationships": [{"type": "SUPPORTS]->() DETACH DELETE r //", "from": "a", "to": "b"}]}`,
		`{}`,
	} {
		f.Add([]byte(s))
	}
	s := MustOpenStore(f)
	mustLoad(f, s, smallBundle())
	before := graphState(f, s)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		b, lines, problems := domain.ParseBundleJSON(data)
		if len(problems) > 0 {
			return
		}
		res, err := s.Import(ctx, "fuzz", b, lines, true)
		if err != nil {
			t.Fatalf("Import(%q), dry: %v", data, err)
		}
		if !res.DryRun {
			t.Fatalf("Import(%q), dry: the result says it was not dry", data)
		}
		n := bytes.Count(data, []byte("\n")) + 1
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > n || strings.TrimSpace(p.Reason) == "" || !strings.HasPrefix(p.Record, "nodes[") && !strings.HasPrefix(p.Record, "relationships[") {
				t.Fatalf("Import(%q), dry: problem %+v (the input has %d lines)", data, p, n)
			}
		}
		if res.OK() && (res.NodesCreated+res.NodesUpdated+res.NodesUnchanged != len(b.Nodes) ||
			res.RelationshipsCreated+res.RelationshipsUpdated+res.RelsSame != len(b.Relationships)) {
			t.Fatalf("Import(%q), dry: %+v does not account for %d nodes and %d relationships", data, res, len(b.Nodes), len(b.Relationships))
		}
		if after := graphState(t, s); after != before {
			t.Fatalf("Import(%q), dry, changed the graph:\n%s\n%s", data, before, after)
		}
	})
}
