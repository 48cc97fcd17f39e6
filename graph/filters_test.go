package graph_test

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestFilterArguments checks the arguments that name things: an id that
// names no node is NOT_FOUND naming the argument (not an empty page), an
// unknown role or kind is BAD_USER_INPUT listing what is known, and dates
// may be written as Thai sources write them.
func TestFilterArguments(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServer(t)
	refused := []struct{ query, code, says string }{
		{`{ events(filter: {province: "province-ghost"}) { totalCount } }`, "NOT_FOUND", `events.filter.province: no node has id "province-ghost"`},
		{`{ actors(filter: {or: [{kinds: ["UNIVERSITY"]}, {side: "side-ghost"}]}) { totalCount } }`, "NOT_FOUND", `actors.filter.or[1].side: no node has id "side-ghost"`},
		{`{ agencies(filter: {not: {participant: "ghost-meeting"}}) { totalCount } }`, "NOT_FOUND", `agencies.filter.not.participant`},
		{`{ timeline(actor: "ghost") { totalCount } }`, "NOT_FOUND", `timeline.actor: no node has id "ghost"`},
		{`{ tl: timeline(place: "nowhere") { totalCount } }`, "NOT_FOUND", `tl.place: no node has id "nowhere"`},
		{`{ actors(filter: {role: "SPONSOR"}) { totalCount } }`, "BAD_USER_INPUT", `actors.filter.role: "SPONSOR" is not a participation role (known: ACADEMIC_PARTNER`},
		{`{ events(filter: {kinds: ["MEETING", "PARTY"]}) { totalCount } }`, "BAD_USER_INPUT", `events.filter.kinds[1]: "PARTY" is not a kind`},
		{`{ node(id: "km-meeting-2007-04-11") { ... on Event { participants(role: "FRIEND") { totalCount } } } }`, "BAD_USER_INPUT", `"FRIEND" is not a participation role`},
		{`{ events(filter: {dateFrom: "32 เมษายน 2550"}) { totalCount } }`, "BAD_USER_INPUT", `events.filter.dateFrom`},
	}
	for _, c := range refused {
		resp := testkit.Query(t, ts.URL, c.query, nil)
		msg, _ := testkit.Dig(resp, "errors", 0, "message").(string)
		if testkit.ErrorCode(resp) != c.code || !strings.Contains(msg, c.says) {
			t.Errorf("%s\n got %s %q, want %s saying %q", c.query, testkit.ErrorCode(resp), msg, c.code, c.says)
		}
	}

	// A known id still filters as before.
	data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ timeline(actor: "codi") { totalCount } }`, nil))
	if testkit.Dig(data, "timeline", "totalCount").(float64) < 1 {
		t.Fatalf("timeline of codi is empty: %v", data)
	}

	// Thai and Buddhist Era dates read as their ISO equivalents.
	ids := func(query string) string {
		t.Helper()
		data := testkit.MustData(t, testkit.Query(t, ts.URL, query, nil))
		var out []string
		for _, e := range testkit.Dig(data, "events", "edges").([]any) {
			out = append(out, testkit.Dig(e, "node", "id").(string))
		}
		return strings.Join(out, " ")
	}
	const q = `{ events(filter: {dateFrom: %q, dateTo: %q}, orderBy: {field: DATE}) { edges { node { id } } } }`
	iso := ids(strings.NewReplacer("%q", `"2007-04"`).Replace(q))
	if !strings.Contains(iso, "km-meeting-2007-04-11") {
		t.Fatalf("April 2007 (ISO) = %q, want the meeting of 11 April 2007 among them", iso)
	}
	for _, thai := range []string{`"เมษายน 2550"`, `"เม.ย. ๒๕๕๐"`, `"2550-04"`} {
		if got := ids(strings.NewReplacer("%q", thai).Replace(q)); got != iso {
			t.Errorf("April 2007 written %s = %q, want %q", thai, got, iso)
		}
	}
	timeline := func(from, to string) string {
		t.Helper()
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `query($f: String, $t: String) { timeline(from: $f, to: $t, first: 100) { edges { node { id } } } }`, map[string]any{"f": from, "t": to}))
		var out []string
		for _, e := range testkit.Dig(data, "timeline", "edges").([]any) {
			out = append(out, testkit.Dig(e, "node", "id").(string))
		}
		return strings.Join(out, " ")
	}
	if thai, iso := timeline("วันที่ 11 เมษายน 2550", "11 เม.ย. 2550"), timeline("2007-04-11", "2007-04-11"); thai != iso || !strings.Contains(iso, "km-meeting-2007-04-11") {
		t.Errorf("timeline of วันที่ 11 เมษายน 2550: %q; of 2007-04-11: %q, with the meeting of that day", thai, iso)
	}
}

// TestExplorationArguments checks the exploration fields' arguments: a
// limit past its bound is BAD_USER_INPUT naming the argument, an unknown
// id NOT_FOUND.
func TestExplorationArguments(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServer(t)
	t.Run("Ensure limits are BAD_USER_INPUT naming the argument, and unknown ids NOT_FOUND", func(t *testing.T) {
		cases := map[string]string{
			`{ neighborhood(id: "codi", depth: 4) { nodeCount } }`:              "neighborhood.depth",
			`{ neighborhood(id: "codi", cap: 5000) { nodeCount } }`:             "neighborhood.cap",
			`{ paths(from: "codi", to: "trf", k: 11) { length } }`:              "paths.k",
			`{ paths(from: "codi", to: "trf", maxLength: 7) { length } }`:       "paths.maxLength",
			`{ bridges(maxHops: 9) { sideCount } }`:                             "bridges.maxHops",
			`{ search(query: "") { totalCount } }`:                              "search.query",
			`{ timeline(from: "เมษายน") { totalCount } }`:                       "timeline.from",
			`{ networkMetrics(around: "codi", depth: 5) { nodeCount } }`:        "networkMetrics.depth",
			`{ neighborhood(id: "codi", labels: ["Spaceship"]) { nodeCount } }`: "neighborhood.labels[0]",
		}
		for q, field := range cases {
			resp := testkit.Query(t, ts.URL, q, nil)
			if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != field {
				t.Errorf("%s: %v", q, resp["errors"])
			}
		}
		for _, q := range []string{
			`{ neighborhood(id: "ghost") { nodeCount } }`,
			`{ paths(from: "codi", to: "ghost") { length } }`,
		} {
			if resp := testkit.Query(t, ts.URL, q, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
				t.Errorf("%s: %v", q, resp["errors"])
			}
		}
	})
}
