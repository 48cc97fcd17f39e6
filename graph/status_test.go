package graph_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/web"
)

// seedFacts is the seed graph as the tests of the assertion status derive
// their expected answers from it: the records by id, and the status each
// is loaded with.
type seedFacts struct {
	nodes map[string]domain.NodeRecord
	rels  []domain.RelRecord
}

func loadSeedFacts(t *testing.T) *seedFacts {
	t.Helper()
	b, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	f := &seedFacts{nodes: map[string]domain.NodeRecord{}, rels: b.Relationships}
	for _, n := range b.Nodes {
		f.nodes[n.ID] = n
	}
	return f
}

// stated reports whether a relationship and both its ends are STATED.
func (f *seedFacts) stated(r domain.RelRecord) bool {
	return r.AssertionStatus() == domain.StatusStated &&
		f.nodes[r.From].AssertionStatus() == domain.StatusStated && f.nodes[r.To].AssertionStatus() == domain.StatusStated
}

// relsOf is the ids of the relationships of node id whose status is one of
// statuses.
func (f *seedFacts) relsOf(id string, statuses ...domain.AssertionStatus) []string {
	var out []string
	for _, r := range f.rels {
		if (r.From == id || r.To == id) && slices.Contains(statuses, r.AssertionStatus()) {
			out = append(out, r.RelID())
		}
	}
	return out
}

// statedAround is the stated neighbourhood of id, one hop: the nodes its
// stated relationships reach, and the stated relationships among them.
func (f *seedFacts) statedAround(id string) (nodes, edges []string) {
	keep := map[string]bool{id: true}
	for _, r := range f.rels {
		if (r.From == id || r.To == id) && f.stated(r) {
			keep[r.From], keep[r.To] = true, true
		}
	}
	for n := range keep {
		nodes = append(nodes, n)
	}
	for _, r := range f.rels {
		if keep[r.From] && keep[r.To] && f.stated(r) {
			edges = append(edges, r.RelID())
		}
	}
	return nodes, edges
}

func ids(t *testing.T, list any, path ...any) []string {
	t.Helper()
	var out []string
	items, _ := list.([]any)
	for _, it := range items {
		out = append(out, testkit.Dig(it, path...).(string))
	}
	return out
}

func wantTrips(t *testing.T, resp map[string]any, want int) {
	t.Helper()
	if trips, _ := testkit.Dig(resp, "extensions", "roundTrips").(float64); int(trips) != want {
		t.Errorf("the query took %v round trips, want %d", testkit.Dig(resp, "extensions", "roundTrips"), want)
	}
}

// TestAssertionStatusReads filters the seed graph by assertion status: the
// expected sets come from the seed files.
func TestAssertionStatusReads(t *testing.T) {
	testkit.ResetToSeed(t)
	// the web handler counts the round trips (extensions.roundTrips); its
	// query limits are off for the wide queries below
	off := web.Limits{MaxTokens: -1, MaxDepth: -1, MaxCost: -1, MaxAliases: -1, MaxDirectives: -1, MaxDuplicateFields: -1}
	srv := httptest.NewServer(web.NewHandler(testkit.OpenStore(t), web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: off}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/query"
	f := loadSeedFacts(t)

	t.Run("Ensure a node's relationships under [STATED] are exactly what the seed states, and [INFERRED] the rest with their basis", func(t *testing.T) {
		for _, id := range []string{"peem", "patch", "academic-km-network", "codi", "movement-west-gathering"} {
			resp := testkit.Query(t, url, `query($id: ID!) { node(id: $id) {
				stated: relationships(filter: {status: [STATED]}, first: 100) { totalCount edges { node { id status basis } } }
				inferred: relationships(filter: {status: [INFERRED, DISPUTED]}, first: 100) { totalCount edges { node { id status basis } } }
				all: relationships(first: 100) { totalCount } } }`, map[string]any{"id": id})
			data := testkit.MustData(t, resp)
			wantTrips(t, resp, 1)
			stated := ids(t, testkit.Dig(data, "node", "stated", "edges"), "node", "id")
			testkit.WantIDSet(t, id+" stated relationships", stated, f.relsOf(id, domain.StatusStated)...)
			inferred := ids(t, testkit.Dig(data, "node", "inferred", "edges"), "node", "id")
			testkit.WantIDSet(t, id+" inferred relationships", inferred, f.relsOf(id, domain.StatusInferred, domain.StatusDisputed)...)
			if n := testkit.Dig(data, "node", "all", "totalCount").(float64); int(n) != len(stated)+len(inferred) {
				t.Errorf("%s: %v relationships in all, %d stated and %d inferred", id, n, len(stated), len(inferred))
			}
			byID := map[string]domain.RelRecord{}
			for _, r := range f.rels {
				byID[r.RelID()] = r
			}
			for _, e := range testkit.Dig(data, "node", "inferred", "edges").([]any) {
				r := byID[testkit.Dig(e, "node", "id").(string)]
				if testkit.Dig(e, "node", "status") != string(r.Status) || testkit.Dig(e, "node", "basis") != r.Basis {
					t.Errorf("%s came back as %v, the seed says %s: %q", r.RelID(), testkit.Dig(e, "node"), r.Status, r.Basis)
				}
			}
			for _, e := range testkit.Dig(data, "node", "stated", "edges").([]any) {
				if testkit.Dig(e, "node", "status") != "STATED" || testkit.Dig(e, "node", "basis") != nil {
					t.Errorf("a stated relationship came back as %v", testkit.Dig(e, "node"))
				}
			}
		}
	})

	t.Run("Ensure a root list under [STATED] holds the seed's stated nodes, composed with and, or and not", func(t *testing.T) {
		var want []string
		for id, n := range f.nodes {
			if n.Label == domain.LabelPerson && n.AssertionStatus() == domain.StatusStated {
				want = append(want, id)
			}
		}
		resp := testkit.Query(t, url, `{
			stated: people(filter: {status: [STATED]}, first: 100) { totalCount edges { node { id status } } }
			notStated: people(filter: {not: {status: [STATED]}}, first: 100) { totalCount }
			either: people(filter: {or: [{status: [INFERRED]}, {ids: ["peem"]}]}, first: 100) { edges { node { id } } }
			hits: search(query: "พัช") { totalCount }
			statedHits: search(query: "พัช", status: [STATED]) { totalCount }
			otherHits: search(query: "พัช", status: [INFERRED, DISPUTED]) { totalCount }
		}`, nil)
		data := testkit.MustData(t, resp)
		wantTrips(t, resp, 6)
		if all, st, other := testkit.Dig(data, "hits", "totalCount").(float64), testkit.Dig(data, "statedHits", "totalCount").(float64), testkit.Dig(data, "otherHits", "totalCount").(float64); all == 0 || st+other != all {
			t.Errorf("search: %v hits, %v stated and %v not", all, st, other)
		}
		testkit.WantIDSet(t, "stated people", ids(t, testkit.Dig(data, "stated", "edges"), "node", "id"), want...)
		var unstated int
		for _, n := range f.nodes {
			if n.Label == domain.LabelPerson && n.AssertionStatus() != domain.StatusStated {
				unstated++
			}
		}
		if n := testkit.Dig(data, "notStated", "totalCount").(float64); int(n) != unstated {
			t.Errorf("%v people are not stated, the seed has %d", n, unstated)
		}
		either := []string{"peem"}
		for id, n := range f.nodes {
			if n.Label == domain.LabelPerson && n.AssertionStatus() == domain.StatusInferred {
				either = append(either, id)
			}
		}
		testkit.WantIDSet(t, "people inferred or peem", ids(t, testkit.Dig(data, "either", "edges"), "node", "id"), either...)
	})

	t.Run("Ensure a path that runs only through inferred ties disappears under [STATED]", func(t *testing.T) {
		// every seed relationship of the western gathering is an inference
		// (who held it, where, that it is one of CODI's forums, that ภีม is
		// the พี่ who joined it): no stated path leaves it
		if s := f.relsOf("movement-west-gathering", domain.StatusStated); len(s) != 0 || len(f.relsOf("movement-west-gathering", domain.StatusInferred)) == 0 {
			t.Fatalf("the seed changed: the western gathering's stated relationships are %v", s)
		}
		resp := testkit.Query(t, url, `{
			all: paths(from: "movement-west-gathering", to: "subdistrict-710911", k: 3) { length edges { status } }
			stated: paths(from: "movement-west-gathering", to: "subdistrict-710911", k: 3, status: [STATED]) { length }
		}`, nil)
		data := testkit.MustData(t, resp)
		wantTrips(t, resp, 2)
		if n := len(testkit.Dig(data, "all").([]any)); n == 0 {
			t.Fatalf("no path at all from the western gathering to its subdistrict")
		}
		if n := len(testkit.Dig(data, "stated").([]any)); n != 0 {
			t.Errorf("%d stated paths from the western gathering, want none", n)
		}
	})

	t.Run("Ensure paths under [STATED] walk only stated ties, and keep the stated one of Dr. Thipawan's four", func(t *testing.T) {
		stated := map[string]bool{}
		for _, r := range f.rels {
			stated[r.RelID()] = f.stated(r)
		}
		resp := testkit.Query(t, url, `{ paths(from: "thipawan", to: "walailak-university", k: 4, maxLength: 4, status: [STATED]) {
			nodes { id status } edges { id status } } }`, nil)
		data := testkit.MustData(t, resp)
		wantTrips(t, resp, 1)
		var got []string
		for _, p := range testkit.Dig(data, "paths").([]any) {
			got = append(got, strings.Join(ids(t, testkit.Dig(p, "nodes"), "id"), " "))
			for _, e := range testkit.Dig(p, "edges").([]any) {
				if id := testkit.Dig(e, "id").(string); !stated[id] || testkit.Dig(e, "status") != "STATED" {
					t.Errorf("a stated path walks %s (%v)", id, testkit.Dig(e, "status"))
				}
			}
		}
		// of the four 4-hop paths (TestPaths), three go through ภาคีวิชาการ
		// read as the academic network, or through ภีม: one is stated
		testkit.WantIDSet(t, "stated paths", got, "thipawan academic-km-network community-finance-welfare-movement wu-km-unit walailak-university")
	})

	t.Run("Ensure a neighbourhood under [STATED] walks only stated relationships", func(t *testing.T) {
		resp := testkit.Query(t, url, `{
			gathering: neighborhood(id: "movement-west-gathering", depth: 2, status: [STATED]) { nodes { id } edges { id } }
			peem: neighborhood(id: "peem", depth: 1, status: [STATED]) { nodes { id } edges { id status } }
		}`, nil)
		data := testkit.MustData(t, resp)
		wantTrips(t, resp, 2)
		testkit.WantIDSet(t, "the western gathering's stated neighbourhood", ids(t, testkit.Dig(data, "gathering", "nodes"), "id"), "movement-west-gathering")
		if n := len(testkit.Dig(data, "gathering", "edges").([]any)); n != 0 {
			t.Errorf("%d edges around the gathering, want none", n)
		}
		wantNodes, wantEdges := f.statedAround("peem")
		testkit.WantIDSet(t, "peem's stated neighbourhood", ids(t, testkit.Dig(data, "peem", "nodes"), "id"), wantNodes...)
		testkit.WantIDSet(t, "edges of peem's stated neighbourhood", ids(t, testkit.Dig(data, "peem", "edges"), "id"), wantEdges...)
	})

	t.Run("Ensure the timeline under [STATED] keeps the events whose participation the text states", func(t *testing.T) {
		var all, stated []string
		for _, r := range f.rels {
			if r.From != "peem" || (r.Type != domain.RelParticipatesIn && r.Type != domain.RelOrganizes) || f.nodes[r.To].Label != domain.LabelEvent {
				continue
			}
			all = append(all, r.To)
			if f.stated(r) {
				stated = append(stated, r.To)
			}
		}
		resp := testkit.Query(t, url, `{
			all: timeline(actor: "peem") { edges { node { id } } }
			stated: timeline(actor: "peem", status: [STATED]) { edges { node { id } } }
		}`, nil)
		data := testkit.MustData(t, resp)
		testkit.WantIDSet(t, "peem's events", ids(t, testkit.Dig(data, "all", "edges"), "node", "id"), all...)
		testkit.WantIDSet(t, "peem's stated events", ids(t, testkit.Dig(data, "stated", "edges"), "node", "id"), stated...)
		if len(stated) == len(all) {
			t.Fatalf("the seed changed: every participation of peem is stated")
		}
	})

	t.Run("Ensure the timeline of a place under [STATED] reaches no event through an inferred tie", func(t *testing.T) {
		// the events each place holds, as the seed files say: an event's
		// LOCATED_IN, HELD_AT or PART_OF to a place, and up to five
		// PART_OF or LOCATED_IN hops between places to the one asked
		// about; under [STATED] every hop and the event stated
		ups := map[string][]domain.RelRecord{} // place -> its hops up
		var heldAt []domain.RelRecord
		isPlace := func(id string) bool { return domain.SharedLabel(f.nodes[id].Label) == domain.LabelPlace }
		for _, r := range f.rels {
			switch {
			case !isPlace(r.To):
			case isPlace(r.From) && (r.Type == domain.RelPartOf || r.Type == domain.RelLocatedIn):
				ups[r.From] = append(ups[r.From], r)
			case f.nodes[r.From].Label == domain.LabelEvent && (r.Type == domain.RelLocatedIn || r.Type == domain.RelHeldAt || r.Type == domain.RelPartOf):
				heldAt = append(heldAt, r)
			}
		}
		events := map[string]map[string]bool{"": {}, "STATED": {}} // by status asked: "place event"
		var walk func(event, place string, hops int, stated bool)
		walk = func(event, place string, hops int, stated bool) {
			events[""][place+" "+event] = true
			if stated {
				events["STATED"][place+" "+event] = true
			}
			if hops == 5 {
				return
			}
			for _, up := range ups[place] {
				walk(event, up.To, hops+1, stated && up.AssertionStatus() == domain.StatusStated)
			}
		}
		for _, r := range heldAt {
			stated := r.AssertionStatus() == domain.StatusStated && f.nodes[r.From].AssertionStatus() == domain.StatusStated
			walk(r.From, r.To, 0, stated)
		}
		want := func(place, status string) []string {
			var out []string
			for k := range events[status] {
				if p, ev, _ := strings.Cut(k, " "); p == place && !slices.Contains(out, ev) {
					out = append(out, ev)
				}
			}
			return out
		}
		differs := 0
		for _, place := range []string{"subdistrict-710911", "district-7109", "province-TH-71", "region-west", "province-TH-10", "region-south"} {
			resp := testkit.Query(t, url, `query($p: ID!) {
				all: timeline(place: $p) { edges { node { id } } }
				stated: timeline(place: $p, status: [STATED]) { edges { node { id } } }
			}`, map[string]any{"p": place})
			data := testkit.MustData(t, resp)
			all, stated := want(place, ""), want(place, "STATED")
			testkit.WantIDSet(t, place+"'s events", ids(t, testkit.Dig(data, "all", "edges"), "node", "id"), all...)
			testkit.WantIDSet(t, place+"'s stated events", ids(t, testkit.Dig(data, "stated", "edges"), "node", "id"), stated...)
			if len(all) != len(stated) {
				differs++
			}
		}
		if differs == 0 {
			t.Fatalf("the seed changed: no place above reaches an event through an inferred tie")
		}
	})

	t.Run("Ensure the triangle and the bridges under [STATED] count only stated advances", func(t *testing.T) {
		// one hop, one side: the bridges are the actors that advance a
		// side themselves
		direct := map[string]map[string]bool{"": {}, "STATED": {}}
		for _, r := range f.rels {
			if l := f.nodes[r.From].Label; r.Type == domain.RelAdvances && (l == domain.LabelAgency || l == domain.LabelNetwork || l == domain.LabelPerson) {
				direct[""][r.From] = true
				if f.stated(r) {
					direct["STATED"][r.From] = true
				}
			}
		}
		resp := testkit.Query(t, url, `{
			all: bridges(maxHops: 1, minSides: 1, first: 100) { actor { id } }
			stated: bridges(maxHops: 1, minSides: 1, first: 100, status: [STATED]) { actor { id } }
			triangle(status: [STATED]) { side { id } advancers { actor { id } direct } }
		}`, nil)
		data := testkit.MustData(t, resp)
		wantTrips(t, resp, 3)
		for key, want := range map[string]map[string]bool{"all": direct[""], "stated": direct["STATED"]} {
			var ws []string
			for id := range want {
				ws = append(ws, id)
			}
			testkit.WantIDSet(t, key+" one-hop bridges", ids(t, testkit.Dig(data, key), "actor", "id"), ws...)
		}
		if direct[""]["academic-km-network"] == direct["STATED"]["academic-km-network"] {
			t.Fatalf("the seed changed: the academic network's advance of the knowledge side is not an inference")
		}
		for _, side := range testkit.Dig(data, "triangle").([]any) {
			for _, a := range testkit.Dig(side, "advancers").([]any) {
				if testkit.Dig(a, "actor", "id") == "academic-km-network" {
					t.Errorf("the academic network advances %v under [STATED]", testkit.Dig(side, "side", "id"))
				}
			}
		}
	})

	t.Run("Ensure the network metrics under [STATED] measure the stated ties only", func(t *testing.T) {
		types := map[string]bool{}
		for _, ty := range store.DefaultLinkTypes() {
			types[ty] = true
		}
		pairs := map[string]map[[2]string]bool{"all": {}, "stated": {}}
		for _, r := range f.rels {
			if !types[r.Type] || f.nodes[r.From].Label == domain.LabelSource || f.nodes[r.To].Label == domain.LabelSource || r.From == r.To {
				continue
			}
			p := [2]string{min(r.From, r.To), max(r.From, r.To)}
			pairs["all"][p] = true
			if f.stated(r) {
				pairs["stated"][p] = true
			}
		}
		resp := testkit.Query(t, url, `{
			all: networkMetrics(first: 1) { edgeCount }
			stated: networkMetrics(first: 1, status: [STATED]) { edgeCount }
		}`, nil)
		data := testkit.MustData(t, resp)
		for _, key := range []string{"all", "stated"} {
			if n := testkit.Dig(data, key, "edgeCount").(float64); int(n) != len(pairs[key]) {
				t.Errorf("%s: %v pairs, the seed %d", key, n, len(pairs[key]))
			}
		}
	})

	t.Run("Ensure the exports carry status and basis, and export only the stated part under [STATED]", func(t *testing.T) {
		resp := testkit.Query(t, url, `{
			all: cytoscape(subgraph: {around: "peem", depth: 1})
			stated: cytoscape(subgraph: {around: "peem", depth: 1, status: [STATED]})
		}`, nil)
		data := testkit.MustData(t, resp)
		byID := map[string]domain.RelRecord{}
		for _, r := range f.rels {
			byID[r.RelID()] = r
		}
		read := func(key string) map[string]map[string]any {
			out := map[string]map[string]any{}
			for _, e := range testkit.Dig(data, key, "edges").([]any) {
				d := testkit.Dig(e, "data").(map[string]any)
				out[d["id"].(string)] = d
			}
			return out
		}
		all, stated := read("all"), read("stated")
		inferred := 0
		for id, d := range all {
			r := byID[id]
			basis, _ := d["basis"].(string)
			if d["status"] != string(r.AssertionStatus()) || basis != r.Basis {
				t.Errorf("%s exported as %v / %q, the seed says %s / %q", id, d["status"], basis, r.AssertionStatus(), r.Basis)
			}
			if r.AssertionStatus() == domain.StatusInferred {
				inferred++
			}
		}
		if inferred == 0 {
			t.Fatalf("no inferred edge around peem to export")
		}
		for id, d := range stated {
			if d["status"] != "STATED" || !f.stated(byID[id]) {
				t.Errorf("the stated export holds %s (%v)", id, d["status"])
			}
		}
		got := make([]string, 0, len(stated))
		for id := range stated {
			got = append(got, id)
		}
		_, want := f.statedAround("peem")
		testkit.WantIDSet(t, "edges of the stated export around peem", got, want...)
	})
}

// TestAssertionStatusWrites writes statuses through every write path:
// mutations, importBundle and importCSV, and reads them back.
func TestAssertionStatusWrites(t *testing.T) {
	testkit.ResetToSeed(t)
	t.Cleanup(func() { testkit.ResetToSeed(t) })
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	post := func(q string, vars map[string]any) map[string]any {
		t.Helper()
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, q, vars)
		return resp
	}
	create := `mutation($in: NodeInput!) { createNode(input: $in) { id status basis } }`
	person := func(id string, extra map[string]any) map[string]any {
		in := map[string]any{"id": id, "label": "Person", "name": "พี่มิบ (ทดสอบ)",
			"evidence": []any{map[string]any{"source": "gotoknow-85545-c3", "quote": "พี่มิบจะให้ไปแทนพัช"}}}
		for k, v := range extra {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	wantBad := func(resp map[string]any, field string) {
		t.Helper()
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || !strings.HasSuffix(testkit.Dig(resp, "errors", 0, "extensions", "field").(string), field) {
			t.Errorf("want BAD_USER_INPUT naming %s, got %v", field, resp["errors"])
		}
	}

	t.Run("Ensure a write that gives no status is STATED, and one that gives INFERRED keeps its basis", func(t *testing.T) {
		data := testkit.MustData(t, post(create, person("status-default", nil)))
		if testkit.Dig(data, "createNode", "status") != "STATED" || testkit.Dig(data, "createNode", "basis") != nil {
			t.Errorf("created %v", data["createNode"])
		}
		basis := "Comment 3 says พี่มิบ would send the commenter; that she leads the southern team is a reading."
		data = testkit.MustData(t, post(create, person("status-inferred", map[string]any{"status": "INFERRED", "basis": basis})))
		if testkit.Dig(data, "createNode", "status") != "INFERRED" || testkit.Dig(data, "createNode", "basis") != basis {
			t.Errorf("created %v", data["createNode"])
		}
	})

	t.Run("Ensure INFERRED or DISPUTED without a basis, STATED with one, and an unknown status are refused, naming the field", func(t *testing.T) {
		wantBad(post(create, person("status-no-basis", map[string]any{"status": "INFERRED"})), "basis")
		wantBad(post(create, person("status-disputed", map[string]any{"status": "DISPUTED", "basis": "  "})), "basis")
		wantBad(post(create, person("status-stated-basis", map[string]any{"status": "STATED", "basis": "because"})), "basis")
		resp := post(create, person("status-unknown", map[string]any{"status": "PROBABLE"}))
		if code := testkit.ErrorCode(resp); code != "BAD_USER_INPUT" && code != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("an unknown status gave %v", resp["errors"])
		}
		if msg, _ := testkit.Dig(resp, "errors", 0, "message").(string); !strings.Contains(msg, "status") && !strings.Contains(msg, "AssertionStatus") {
			t.Errorf("an unknown status: %q names no field", msg)
		}
		for _, id := range []string{"status-no-basis", "status-disputed", "status-stated-basis", "status-unknown"} {
			if resp := testkit.Query(t, ts.URL, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); testkit.ErrorCode(resp) != "NOT_FOUND" {
				t.Errorf("a refused write left %s", id)
			}
		}
	})

	t.Run("Ensure updates change the status: DISPUTED needs a basis, STATED drops it", func(t *testing.T) {
		update := `mutation($v: Int!, $p: NodePatch!) { updateNode(id: "status-inferred", expectedVersion: $v, patch: $p) { status basis version } }`
		wantBad(post(update, map[string]any{"v": 1, "p": map[string]any{"status": "DISPUTED", "basis": ""}}), "basis")
		data := testkit.MustData(t, post(update, map[string]any{"v": 1, "p": map[string]any{"status": "DISPUTED", "basis": "Comments 2 and 3 disagree on who goes."}}))
		if testkit.Dig(data, "updateNode", "status") != "DISPUTED" {
			t.Errorf("updated %v", data["updateNode"])
		}
		data = testkit.MustData(t, post(update, map[string]any{"v": 2, "p": map[string]any{"status": "STATED"}}))
		if testkit.Dig(data, "updateNode", "status") != "STATED" || testkit.Dig(data, "updateNode", "basis") != nil {
			t.Errorf("updated %v", data["updateNode"])
		}
		rel := `mutation($in: RelationshipInput!) { createRelationship(input: $in) { id status basis } }`
		in := map[string]any{"type": "MEMBER_OF", "from": "status-default", "to": "codi", "status": "INFERRED",
			"evidence": []any{map[string]any{"source": "gotoknow-85545-c2", "quote": "ในส่วนของพอช.พี่เชิญพี่มิบกับผอ."}}}
		wantBad(post(rel, map[string]any{"in": in}), "basis")
		in["basis"] = "Invited for CODI's part, so taken to be of CODI."
		data = testkit.MustData(t, post(rel, map[string]any{"in": in}))
		if testkit.Dig(data, "createRelationship", "status") != "INFERRED" {
			t.Errorf("created %v", data["createRelationship"])
		}
	})

	t.Run("Ensure importBundle and importCSV read status and basis, and report a bad one by line and field", func(t *testing.T) {
		importJSON := `mutation($b: String!) { importBundle(bundle: $b) { ok problems { line field reason } } }`
		ev := []domain.Evidence{{Source: "gotoknow-85545", Quote: "ภาคีวิชาการ"}}
		b := domain.Bundle{Nodes: []domain.NodeRecord{
			{ID: "status-import-ok", Label: "Person", Name: "ก", Evidence: ev, Status: domain.StatusDisputed, Basis: "The comments disagree."},
		}}
		good, _ := json.MarshalIndent(b, "", "  ")
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: "status-import-bad", Label: "Person", Name: "ข", Evidence: ev, Status: "MAYBE"},
			domain.NodeRecord{ID: "status-import-nobasis", Label: "Person", Name: "ค", Evidence: ev, Status: domain.StatusInferred})
		bad, _ := json.MarshalIndent(b, "", "  ")
		probs := testkit.Dig(testkit.MustData(t, post(importJSON, map[string]any{"b": string(bad)})), "importBundle", "problems").([]any)
		var got []string
		for _, p := range probs {
			got = append(got, testkit.Dig(p, "field").(string))
		}
		testkit.WantIDList(t, "problems", got, "status", "basis")
		if resp := testkit.Query(t, ts.URL, `{ node(id: "status-import-ok") { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Errorf("a refused import wrote its good record")
		}
		if rep := testkit.Dig(testkit.MustData(t, post(importJSON, map[string]any{"b": string(good)})), "importBundle"); testkit.Dig(rep, "ok") != true {
			t.Fatalf("import = %v", rep)
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ node(id: "status-import-ok") { status basis } }`, nil))
		if testkit.Dig(data, "node", "status") != "DISPUTED" || testkit.Dig(data, "node", "basis") != "The comments disagree." {
			t.Errorf("imported %v", data["node"])
		}
		csvImport := `mutation($n: String!) { importCSV(nodes: $n) { ok problems { line field } } }`
		rows := "id,type,name,nameEn,status,basis,evidenceQuote,evidenceSource\n" +
			"status-csv-ok,Person,ง,,INFERRED,Read from the reply.,ภาคีวิชาการ,gotoknow-85545\n" +
			"status-csv-bad,Person,จ,,SAID,,ภาคีวิชาการ,gotoknow-85545\n"
		probs = testkit.Dig(testkit.MustData(t, post(csvImport, map[string]any{"n": rows})), "importCSV", "problems").([]any)
		if len(probs) != 1 || testkit.Dig(probs[0], "line") != float64(3) || testkit.Dig(probs[0], "field") != "status" {
			t.Errorf("CSV problems = %v", probs)
		}
		rows = rows[:strings.LastIndex(strings.TrimSuffix(rows, "\n"), "\n")+1]
		if rep := testkit.Dig(testkit.MustData(t, post(csvImport, map[string]any{"n": rows})), "importCSV"); testkit.Dig(rep, "ok") != true {
			t.Fatalf("CSV import = %v", rep)
		}
		resp := testkit.Query(t, ts.URL, `{
			inferred: people(filter: {status: [INFERRED, DISPUTED]}, first: 100) { edges { node { id status } } }
			found: search(query: "status-csv-ok", status: [INFERRED]) { edges { node { id } } }
			notFound: search(query: "status-csv-ok", status: [STATED]) { totalCount }
		}`, nil)
		data = testkit.MustData(t, resp)
		testkit.WantIDSet(t, "inferred and disputed people", ids(t, testkit.Dig(data, "inferred", "edges"), "node", "id"), "status-import-ok", "status-csv-ok")
		testkit.WantIDSet(t, "inferred hits", ids(t, testkit.Dig(data, "found", "edges"), "node", "id"), "status-csv-ok")
		if n := testkit.Dig(data, "notFound", "totalCount"); n != float64(0) {
			t.Errorf("%v stated hits for an inferred node", n)
		}
	})
}
