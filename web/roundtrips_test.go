package web_test

import (
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

func TestRoundTrips(t *testing.T) {
	testkit.ResetToSeed(t) // the sizes below are the seed graph's
	// The cost limit is off: it refuses the largest of these nestings,
	// and this test is about what a query costs Neo4j, not the estimate.
	ts := newServer(t, web.Config{Limits: web.Limits{MaxCost: -1}})
	trips := func(t *testing.T, resp map[string]any, want int) {
		t.Helper()
		if errs := resp["errors"]; errs != nil {
			t.Fatalf("errors: %v", errs)
		}
		if got := testkit.Dig(resp, "extensions", "roundTrips"); got != float64(want) {
			t.Fatalf("roundTrips = %v, want %d (one per root field)", got, want)
		}
	}
	t.Run("Ensure a deep query costs one Neo4j round trip per root field", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", `{
			event: node(id: "km-meeting-2007-04-11") {
				id name evidence { quote locator source { id name } }
				... on Event {
					start { iso precision text yearBE }
					heldAt { id name ... on Venue { partOf { id name } } }
					sessions { order startsAt name speakers { totalCount edges { node { id name } relationship { role roleTh evidence { quote } } } } }
					participants(first: 50) { totalCount edges { node { id name ... on Agency { kind parent { id } units { edges { node { id } } } } } relationship { role } } }
				}
				relationships(first: 5) { totalCount edges { direction other { id label } node { type from { id } to { id } } } }
			}
			agencies(first: 5) { totalCount edges { node { id name programs { edges { node { id advances { id } } } } } } }
			provinces(filter: {region: "region-south"}, first: 3) { totalCount edges { node { isoCode region { name } actors { totalCount } } } }
		}`, nil)
		trips(t, resp, 3)
		if n := len(testkit.Dig(resp, "data", "event", "sessions").([]any)); n != 9 {
			t.Fatalf("%d agenda sessions came back, want 9", n)
		}
		if testkit.Dig(resp, "data", "provinces", "totalCount") != float64(14) {
			t.Fatalf("southern provinces = %v, want 14", testkit.Dig(resp, "data", "provinces", "totalCount"))
		}
	})

	t.Run("Ensure folding possible identities keeps one round trip per root field (metrics: two)", func(t *testing.T) {
		// one request each: a first plan of these statements can take
		// seconds on a loaded machine, and root fields plan side by side
		resp := testkit.Query(t, ts.URL+"/query", `{
			neighborhood(id: "cdd", depth: 2, sameAs: FOLD) { nodeCount nodes { id aliases ... on Agency { members { totalCount } } } edges { type from { id } } folded { into ids } }
		}`, nil)
		trips(t, resp, 1)
		if f := testkit.Dig(resp, "data", "neighborhood", "folded", 0, "ids", 0); f != "cdd-office" {
			t.Fatalf("neighborhood folded %v, want cdd-office into cdd", testkit.Dig(resp, "data", "neighborhood", "folded"))
		}
		resp = testkit.Query(t, ts.URL+"/query", `{ search(query: "พัฒนาชุมชน", sameAs: FOLD) { totalCount edges { node { id aliases } } folded { into ids } } }`, nil)
		trips(t, resp, 1)
		resp = testkit.Query(t, ts.URL+"/query", `{ networkMetrics(first: 5, sameAs: FOLD) { nodeCount nodes { node { id aliases } } folded { into ids } } }`, nil)
		trips(t, resp, 2)
	})

	// event -> participants -> (agencies) -> their units -> where those are
	// -> (regions) -> the regions' provinces: CODI, in the meeting three
	// times, has its southern office, in the south, of 14 provinces.
	const nested = `query($first: Int) { node(id: "km-meeting-2007-04-11") { ... on Event { participants(first: $first) { totalCount edges {
		relationship { role evidence { quote } }
		node { id name ... on Agency { kind parent { id } locatedIn { id }
			units { edges { node { id locatedIn { id ... on Region { provinces(first: 20) { totalCount edges { node { id isoCode name } } } } } } } } } } } } } } }`
	for _, c := range []struct {
		name  string
		first int
		edges int
	}{
		{"3 participants", 3, 3},
		{"all 27 participants", 100, 27},
	} {
		t.Run("Ensure "+c.name+", nested down to their units' provinces, cost one round trip", func(t *testing.T) {
			resp := testkit.Query(t, ts.URL+"/query", nested, map[string]any{"first": c.first})
			trips(t, resp, 1)
			edges := testkit.Dig(resp, "data", "node", "participants", "edges").([]any)
			if len(edges) != c.edges || testkit.Dig(resp, "data", "node", "participants", "totalCount") != float64(27) {
				t.Fatalf("%d participants of %v, want %d of 27", len(edges), testkit.Dig(resp, "data", "node", "participants", "totalCount"), c.edges)
			}
			if c.edges < 27 {
				return
			}
			codi := 0
			for _, e := range edges {
				if testkit.Dig(e, "node", "id") != "codi" {
					continue
				}
				codi++
				south := testkit.Dig(e, "node", "units", "edges", 0, "node")
				if testkit.Dig(south, "id") != "codi-south" || testkit.Dig(south, "locatedIn", 0, "id") != "region-south" ||
					testkit.Dig(south, "locatedIn", 0, "provinces", "totalCount") != float64(14) || len(testkit.Dig(south, "locatedIn", 0, "provinces", "edges").([]any)) != 14 {
					t.Fatalf("CODI's unit = %v", south)
				}
			}
			if codi != 3 {
				t.Fatalf("CODI came %d times, want 3 (support, policy support and operational partner)", codi)
			}
		})
	}

	for _, c := range []struct {
		name  string
		first int
		want  int
	}{
		{"3 agencies", 3, 3},
		{"all 18 agencies", 100, 18},
	} {
		t.Run("Ensure "+c.name+" with their programs, sides and members cost one round trip", func(t *testing.T) {
			resp := testkit.Query(t, ts.URL+"/query", `query($first: Int) { agencies(first: $first) { totalCount edges { node { id
				programs { edges { node { id advances { id } backers { edges { node { id } } } } } }
				members(first: 50) { edges { node { id participations(first: 50) { edges { node { id } } } } } }
				participations(first: 50) { totalCount edges { node { id ... on Event { heldAt { id } } } } } } } } }`, map[string]any{"first": c.first})
			trips(t, resp, 1)
			if n := len(testkit.Dig(resp, "data", "agencies", "edges").([]any)); n != c.want || testkit.Dig(resp, "data", "agencies", "totalCount") != float64(18) {
				t.Fatalf("%d agencies of %v, want %d of 18", n, testkit.Dig(resp, "data", "agencies", "totalCount"), c.want)
			}
		})
	}
}
