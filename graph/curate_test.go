package graph_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// nodeCount is how many nodes the graph holds.
func nodeCount(t *testing.T, ts *httptest.Server) float64 {
	t.Helper()
	return testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, `{ stats { nodes relationships } }`, nil)), "stats", "nodes").(float64)
}

func TestCuration(t *testing.T) {
	testkit.EnsureSeed(t) // the writes cite the seed post and tie to its actors
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	// the writes of this test are the changes from here on
	began := time.Now()

	t.Run("Ensure writes need a key with the right role", func(t *testing.T) {
		vars := map[string]any{"in": testkit.Person("auth-test")}
		if _, resp := testkit.Post(t, ts.URL, "", testkit.CreatePerson, vars); testkit.ErrorCode(resp) != "UNAUTHENTICATED" {
			t.Fatalf("no key: %v", resp)
		}
		if _, resp := testkit.Post(t, ts.URL, testkit.ReaderKey, testkit.CreatePerson, vars); testkit.ErrorCode(resp) != "FORBIDDEN" {
			t.Fatalf("reader: %v", resp)
		}
		// a key the server does not know is refused before GraphQL (401): web's TestUnknownKey
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, vars)
		if testkit.Dig(testkit.MustData(t, resp), "createNode", "version") != float64(1) {
			t.Fatalf("editor: %v", resp)
		}
		if _, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { deleteNode(id: "auth-test") { id } }`, nil); testkit.ErrorCode(resp) != "FORBIDDEN" {
			t.Fatalf("editor deleting: %v", resp)
		}
		_, resp = testkit.Post(t, ts.URL, testkit.AdminKey, `mutation { deleteNode(id: "auth-test") { id relationshipsDeleted } }`, nil)
		if testkit.Dig(testkit.MustData(t, resp), "deleteNode", "id") != "auth-test" {
			t.Fatalf("admin deleting: %v", resp)
		}
	})

	t.Run("Ensure bad input is BAD_USER_INPUT naming the field, and changes nothing", func(t *testing.T) {
		before := nodeCount(t, ts)
		cases := []struct {
			mutate func(map[string]any)
			field  string
		}{
			{func(m map[string]any) { m["id"] = "bad id!" }, "input.id"},
			{func(m map[string]any) { m["label"] = "Spaceship" }, "input.label"},
			{func(m map[string]any) { m["name"] = strings.Repeat("ก", 501) }, "input.name"},
			{func(m map[string]any) { m["start"] = map[string]any{"text": "32 เมษายน 2550"} }, "input.start.text"},
			{func(m map[string]any) { m["start"] = map[string]any{"iso": "2007-02-30"} }, "input.start.iso"},
			{func(m map[string]any) { m["evidence"] = []any{} }, "input.evidence"},
			{func(m map[string]any) {
				m["evidence"] = []any{map[string]any{"source": "no-such-source", "quote": "x"}}
			}, "input.evidence[0].source"},
			{func(m map[string]any) { m["id"] = "codi" }, "input.id"},
		}
		for _, c := range cases {
			in := testkit.Person("valid-person")
			c.mutate(in)
			_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": in})
			code := testkit.ErrorCode(resp)
			if (code != "BAD_USER_INPUT" && code != "CONFLICT") || testkit.Dig(resp, "errors", 0, "extensions", "field") != c.field {
				t.Errorf("want an error on %s, got %v", c.field, resp["errors"])
			}
		}
		if after := nodeCount(t, ts); after != before {
			t.Fatalf("refused writes changed the node count: %v -> %v", before, after)
		}
	})

	t.Run("Ensure Buddhist Era dates and Thai digits are read and their text kept", func(t *testing.T) {
		cases := map[string][2]string{
			"11 เมษายน 2550": {"2007-04-11", "DAY"},
			"พ.ศ. 2550":      {"2007", "YEAR"},
			"มี.ค. 2550":     {"2007-03", "MONTH"},
			"๑๑ เมษายน ๒๕๕๐": {"2007-04-11", "DAY"},
		}
		i := 0
		for text, want := range cases {
			i++
			in := map[string]any{"id": fmt.Sprintf("be-event-%d", i), "label": "Event", "kind": "MEETING", "name": "ประชุม " + text,
				"start":    map[string]any{"text": text},
				"evidence": []any{map[string]any{"source": "gotoknow-85545", "quote": "วันที่ 11 เมษายน 2550"}}}
			_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($in: NodeInput!) { createNode(input: $in) { ... on Event { start { iso precision text yearBE } } } }`, map[string]any{"in": in})
			start := testkit.Dig(testkit.MustData(t, resp), "createNode", "start")
			if testkit.Dig(start, "iso") != want[0] || testkit.Dig(start, "precision") != want[1] || testkit.Dig(start, "text") != text {
				t.Errorf("%s: start = %v", text, start)
			}
		}
	})

	t.Run("Ensure a stale version is refused with the current one", func(t *testing.T) {
		testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person("stale-test")})
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { updateNode(id: "stale-test", expectedVersion: 1, patch: {nameEn: "First"}) { version nameEn } }`, nil)
		if testkit.Dig(testkit.MustData(t, resp), "updateNode", "version") != float64(2) {
			t.Fatalf("update: %v", resp)
		}
		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { updateNode(id: "stale-test", expectedVersion: 1, patch: {nameEn: "Second"}) { version } }`, nil)
		if testkit.ErrorCode(resp) != "STALE_VERSION" || testkit.Dig(resp, "errors", 0, "extensions", "currentVersion") != float64(2) {
			t.Fatalf("stale update: %v", resp)
		}
	})

	t.Run("Ensure parallel editors lose no update", func(t *testing.T) {
		testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person("contended")})
		const editors = 8
		var wg sync.WaitGroup
		errs := make(chan error, editors)
		for e := 0; e < editors; e++ {
			wg.Add(1)
			go func(e int) {
				defer wg.Done()
				alias := fmt.Sprintf("editor-%d", e)
				for attempt := 0; attempt < 100; attempt++ {
					_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `{ node(id: "contended") { version ... on Person { aliases } } }`, nil)
					v := testkit.Dig(resp, "data", "node", "version").(float64)
					var aliases []any
					aliases, _ = testkit.Dig(resp, "data", "node", "aliases").([]any)
					aliases = append(aliases, alias)
					_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($v: Int!, $a: [String!]) { updateNode(id: "contended", expectedVersion: $v, patch: {aliases: $a}) { version } }`, map[string]any{"v": v, "a": aliases})
					switch testkit.ErrorCode(resp) {
					case "":
						return
					case "STALE_VERSION":
						continue
					default:
						errs <- fmt.Errorf("editor %d: %v", e, resp["errors"])
						return
					}
				}
				errs <- fmt.Errorf("editor %d never got through", e)
			}(e)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		_, resp := testkit.Post(t, ts.URL, "", `{ node(id: "contended") { version ... on Person { aliases } } }`, nil)
		aliases := testkit.Dig(resp, "data", "node", "aliases").([]any)
		if len(aliases) != editors || testkit.Dig(resp, "data", "node", "version") != float64(1+editors) {
			t.Fatalf("after %d editors: version %v, aliases %v", editors, testkit.Dig(resp, "data", "node", "version"), aliases)
		}
	})

	t.Run("Ensure relationships and evidence are written and cited", func(t *testing.T) {
		testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person("rel-test")})
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { createRelationship(input: {type: WORKS_FOR, from: "rel-test", to: "codi", role: "นักพัฒนา", start: {text: "พ.ศ. 2549"},
			evidence: [{source: "gotoknow-85545-c2", quote: "ในส่วนของพอช.พี่เชิญพี่มิบกับผอ.", locator: "comment 2"}]}) { id type version start { iso } from { id } to { id } } }`, nil)
		rel := testkit.Dig(testkit.MustData(t, resp), "createRelationship")
		if testkit.Dig(rel, "start", "iso") != "2006" || testkit.Dig(rel, "from", "id") != "rel-test" {
			t.Fatalf("relationship = %v", rel)
		}
		id := testkit.Dig(rel, "id").(string)
		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($id: ID!) { addEvidence(targetId: $id, evidence: {source: "gotoknow-85545", quote: "สถาบันพัฒนาองค์กรชุมชน"}) { evidenceCount version } }`, map[string]any{"id": id})
		if testkit.Dig(testkit.MustData(t, resp), "addEvidence", "evidenceCount") != float64(2) {
			t.Fatalf("addEvidence = %v", resp)
		}
		_, resp = testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($id: ID!) { updateRelationship(id: $id, expectedVersion: 2, patch: {end: {iso: "2008"}}) { version end { iso } current } }`, map[string]any{"id": id})
		if testkit.Dig(testkit.MustData(t, resp), "updateRelationship", "current") != false {
			t.Fatalf("ended relationship = %v", resp)
		}
		if _, resp = testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { createRelationship(input: {type: WORKS_FOR, from: "rel-test", to: "ghost", evidence: [{source: "gotoknow-85545", quote: "x"}]}) { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "input.to" {
			t.Fatalf("relationship to a missing node: %v", resp)
		}
	})

	t.Run("Ensure a merge keeps aliases, relationships and evidence, and records itself", func(t *testing.T) {
		for _, id := range []string{"dup-a", "dup-b"} {
			testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person(id)})
			testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($id: ID!) { createRelationship(input: {type: MEMBER_OF, from: $id, to: "academic-km-network", evidence: [{source: "gotoknow-85545", quote: "เครือข่ายวิชาการ"}]}) { id } }`, map[string]any{"id": id})
		}
		testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { createRelationship(input: {type: PARTICIPATES_IN, from: "dup-b", to: "km-meeting-2007-04-11", role: "INVITED", roleTh: "ผู้ได้รับเชิญ", evidence: [{source: "gotoknow-85545", quote: "เชิญ"}]}) { id } }`, nil)
		_, resp := testkit.Post(t, ts.URL, testkit.AdminKey, `mutation { mergeNodes(keep: "dup-a", duplicates: ["dup-b"], reason: "same person") {
			id aliases evidence { quote } relationships(first: 50) { edges { node { type evidence { quote } } other { id } } } } }`, nil)
		kept := testkit.Dig(testkit.MustData(t, resp), "mergeNodes")
		aliases := fmt.Sprint(testkit.Dig(kept, "aliases"))
		if !strings.Contains(aliases, "คุณ dup-b") || !strings.Contains(aliases, "Khun dup-b") {
			t.Fatalf("aliases = %s", aliases)
		}
		if len(testkit.Dig(kept, "evidence").([]any)) != 2 {
			t.Fatalf("evidence = %v", testkit.Dig(kept, "evidence"))
		}
		var member, invited int
		for _, e := range testkit.Dig(kept, "relationships", "edges").([]any) {
			switch testkit.Dig(e, "node", "type") {
			case "MEMBER_OF":
				member++
				if len(testkit.Dig(e, "node", "evidence").([]any)) != 2 {
					t.Errorf("merged MEMBER_OF lost evidence: %v", e)
				}
			case "PARTICIPATES_IN":
				invited++
			}
		}
		if member != 1 || invited != 1 {
			t.Fatalf("relationships after merge: %d MEMBER_OF, %d PARTICIPATES_IN", member, invited)
		}
		if resp := testkit.Query(t, ts.URL, `{ node(id: "dup-b") { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Fatalf("the duplicate survived: %v", resp)
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ history(nodeId: "dup-b") { edges { node { action actor reason before after } } } }`, nil))
		if testkit.Dig(data, "history", "edges", 0, "node", "action") != "MERGE_NODES" || testkit.Dig(data, "history", "edges", 0, "node", "actor") != "ada" || testkit.Dig(data, "history", "edges", 0, "node", "reason") != "same person" {
			t.Fatalf("merge history = %v", data)
		}
	})

	t.Run("Ensure the audit trail answers by node, by person and by time", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ history(nodeId: "stale-test") { totalCount edges { node { action actor before after } } } }`, nil))
		if testkit.Dig(data, "history", "totalCount") != float64(2) || testkit.Dig(data, "history", "edges", 0, "node", "action") != "UPDATE_NODE" ||
			testkit.Dig(data, "history", "edges", 0, "node", "before", "nameEn") != "Khun stale-test" || testkit.Dig(data, "history", "edges", 0, "node", "after", "nameEn") != "First" {
			t.Fatalf("history of stale-test = %v", data)
		}
		// this test wrote 27 changes: 2 of them ada's (a delete and a merge)
		vars := map[string]any{"utc": began.UTC().Format(time.RFC3339Nano), "ict": began.In(time.FixedZone("ICT", 7*3600)).Format(time.RFC3339Nano)}
		data = testkit.MustData(t, testkit.Query(t, ts.URL, `query($utc: String!, $ict: String!) {
			byAda: history(actor: "ada", from: $utc) { totalCount edges { node { action } } }
			since: history(from: $utc) { totalCount } sinceICT: history(from: $ict) { totalCount }
			before: history(from: "2000", to: $ict) { totalCount } all: history { totalCount } future: history(from: "2999") { totalCount } }`, vars))
		if testkit.Dig(data, "byAda", "totalCount") != float64(2) || testkit.Dig(data, "byAda", "edges", 0, "node", "action") != "MERGE_NODES" || testkit.Dig(data, "byAda", "edges", 1, "node", "action") != "DELETE_NODE" {
			t.Fatalf("history by ada = %v", testkit.Dig(data, "byAda"))
		}
		if testkit.Dig(data, "since", "totalCount") != float64(27) || testkit.Dig(data, "sinceICT", "totalCount") != float64(27) || testkit.Dig(data, "future", "totalCount") != float64(0) ||
			testkit.Dig(data, "before", "totalCount").(float64)+27 != testkit.Dig(data, "all", "totalCount") {
			t.Fatalf("history by time = %v", data)
		}
		resp := testkit.Query(t, ts.URL, `{ history(from: "11 April 2007") { totalCount } }`, nil)
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "from" {
			t.Fatalf("a bad from: %v", resp)
		}
	})
}
