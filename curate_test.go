package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// Keys of the curation tests, one per role.
const (
	readerKey = "phk_test_reader_key_0123456789"
	editorKey = "phk_test_editor_key_0123456789"
	adminKey  = "phk_test_admin_key_01234567890"
)

func keyringSpec() string {
	return strings.Join([]string{
		"rita:reader:" + auth.HashKey(readerKey),
		"eddie:editor:" + auth.HashKey(editorKey),
		"ada:admin:" + auth.HashKey(adminKey),
	}, ",")
}

// QueryAs posts a GraphQL request with an API key.
func (ts *testServer) QueryAs(tb testing.TB, key, query string, vars map[string]any) (int, map[string]any) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		tb.Fatalf("decode (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

func nodeCount(t *testing.T, ts *testServer) float64 {
	t.Helper()
	return dig(mustData(t, ts.Query(t, `{ stats { nodes relationships } }`, nil)), "stats", "nodes").(float64)
}

const createPerson = `mutation($in: NodeInput!) { createNode(input: $in) { id name version ... on Person { aliases } evidence { quote source { id } } } }`

func person(id string) map[string]any {
	return map[string]any{"id": id, "label": "Person", "name": "คุณ " + id, "nameEn": "Khun " + id,
		"evidence": []any{map[string]any{"source": "gotoknow-85545", "quote": "ขอบคุณพัชที่ส่งข่าวให้ทราบ", "locator": "comment 2"}}}
}

func TestCuration(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec()})
	// the writes of this test are the changes from here on
	began := time.Now()

	t.Run("Ensure writes need a key with the right role", func(t *testing.T) {
		vars := map[string]any{"in": person("auth-test")}
		if _, resp := ts.QueryAs(t, "", createPerson, vars); errorCode(resp) != "UNAUTHENTICATED" {
			t.Fatalf("no key: %v", resp)
		}
		if _, resp := ts.QueryAs(t, readerKey, createPerson, vars); errorCode(resp) != "FORBIDDEN" {
			t.Fatalf("reader: %v", resp)
		}
		if status, resp := ts.QueryAs(t, "phk_wrong", createPerson, vars); status != 401 || errorCode(resp) != "UNAUTHENTICATED" {
			t.Fatalf("wrong key: %d %v", status, resp)
		}
		_, resp := ts.QueryAs(t, editorKey, createPerson, vars)
		if dig(mustData(t, resp), "createNode", "version") != float64(1) {
			t.Fatalf("editor: %v", resp)
		}
		if _, resp := ts.QueryAs(t, editorKey, `mutation { deleteNode(id: "auth-test") { id } }`, nil); errorCode(resp) != "FORBIDDEN" {
			t.Fatalf("editor deleting: %v", resp)
		}
		_, resp = ts.QueryAs(t, adminKey, `mutation { deleteNode(id: "auth-test") { id relationshipsDeleted } }`, nil)
		if dig(mustData(t, resp), "deleteNode", "id") != "auth-test" {
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
			in := person("valid-person")
			c.mutate(in)
			_, resp := ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": in})
			code := errorCode(resp)
			if (code != "BAD_USER_INPUT" && code != "CONFLICT") || dig(resp, "errors", 0, "extensions", "field") != c.field {
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
			_, resp := ts.QueryAs(t, editorKey, `mutation($in: NodeInput!) { createNode(input: $in) { ... on Event { start { iso precision text yearBE } } } }`, map[string]any{"in": in})
			start := dig(mustData(t, resp), "createNode", "start")
			if dig(start, "iso") != want[0] || dig(start, "precision") != want[1] || dig(start, "text") != text {
				t.Errorf("%s: start = %v", text, start)
			}
		}
	})

	t.Run("Ensure a stale version is refused with the current one", func(t *testing.T) {
		ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person("stale-test")})
		_, resp := ts.QueryAs(t, editorKey, `mutation { updateNode(id: "stale-test", expectedVersion: 1, patch: {nameEn: "First"}) { version nameEn } }`, nil)
		if dig(mustData(t, resp), "updateNode", "version") != float64(2) {
			t.Fatalf("update: %v", resp)
		}
		_, resp = ts.QueryAs(t, editorKey, `mutation { updateNode(id: "stale-test", expectedVersion: 1, patch: {nameEn: "Second"}) { version } }`, nil)
		if errorCode(resp) != "STALE_VERSION" || dig(resp, "errors", 0, "extensions", "currentVersion") != float64(2) {
			t.Fatalf("stale update: %v", resp)
		}
	})

	t.Run("Ensure parallel editors lose no update", func(t *testing.T) {
		ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person("contended")})
		const editors = 8
		var wg sync.WaitGroup
		errs := make(chan error, editors)
		for e := 0; e < editors; e++ {
			wg.Add(1)
			go func(e int) {
				defer wg.Done()
				alias := fmt.Sprintf("editor-%d", e)
				for attempt := 0; attempt < 100; attempt++ {
					_, resp := ts.QueryAs(t, editorKey, `{ node(id: "contended") { version ... on Person { aliases } } }`, nil)
					v := dig(resp, "data", "node", "version").(float64)
					var aliases []any
					aliases, _ = dig(resp, "data", "node", "aliases").([]any)
					aliases = append(aliases, alias)
					_, resp = ts.QueryAs(t, editorKey, `mutation($v: Int!, $a: [String!]) { updateNode(id: "contended", expectedVersion: $v, patch: {aliases: $a}) { version } }`, map[string]any{"v": v, "a": aliases})
					switch errorCode(resp) {
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
		_, resp := ts.QueryAs(t, "", `{ node(id: "contended") { version ... on Person { aliases } } }`, nil)
		aliases := dig(resp, "data", "node", "aliases").([]any)
		if len(aliases) != editors || dig(resp, "data", "node", "version") != float64(1+editors) {
			t.Fatalf("after %d editors: version %v, aliases %v", editors, dig(resp, "data", "node", "version"), aliases)
		}
	})

	t.Run("Ensure relationships and evidence are written and cited", func(t *testing.T) {
		ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person("rel-test")})
		_, resp := ts.QueryAs(t, editorKey, `mutation { createRelationship(input: {type: WORKS_FOR, from: "rel-test", to: "codi", role: "นักพัฒนา", start: {text: "พ.ศ. 2549"},
			evidence: [{source: "gotoknow-85545-c2", quote: "ในส่วนของพอช.พี่เชิญพี่มิบกับผอ.", locator: "comment 2"}]}) { id type version start { iso } from { id } to { id } } }`, nil)
		rel := dig(mustData(t, resp), "createRelationship")
		if dig(rel, "start", "iso") != "2006" || dig(rel, "from", "id") != "rel-test" {
			t.Fatalf("relationship = %v", rel)
		}
		id := dig(rel, "id").(string)
		_, resp = ts.QueryAs(t, editorKey, `mutation($id: ID!) { addEvidence(targetId: $id, evidence: {source: "gotoknow-85545", quote: "สถาบันพัฒนาองค์กรชุมชน"}) { evidenceCount version } }`, map[string]any{"id": id})
		if dig(mustData(t, resp), "addEvidence", "evidenceCount") != float64(2) {
			t.Fatalf("addEvidence = %v", resp)
		}
		_, resp = ts.QueryAs(t, editorKey, `mutation($id: ID!) { updateRelationship(id: $id, expectedVersion: 2, patch: {end: {iso: "2008"}}) { version end { iso } current } }`, map[string]any{"id": id})
		if dig(mustData(t, resp), "updateRelationship", "current") != false {
			t.Fatalf("ended relationship = %v", resp)
		}
		if _, resp = ts.QueryAs(t, editorKey, `mutation { createRelationship(input: {type: WORKS_FOR, from: "rel-test", to: "ghost", evidence: [{source: "gotoknow-85545", quote: "x"}]}) { id } }`, nil); errorCode(resp) != "NOT_FOUND" || dig(resp, "errors", 0, "extensions", "field") != "input.to" {
			t.Fatalf("relationship to a missing node: %v", resp)
		}
	})

	t.Run("Ensure a merge keeps aliases, relationships and evidence, and records itself", func(t *testing.T) {
		for _, id := range []string{"dup-a", "dup-b"} {
			ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person(id)})
			ts.QueryAs(t, editorKey, `mutation($id: ID!) { createRelationship(input: {type: MEMBER_OF, from: $id, to: "academic-km-network", evidence: [{source: "gotoknow-85545", quote: "เครือข่ายวิชาการ"}]}) { id } }`, map[string]any{"id": id})
		}
		ts.QueryAs(t, editorKey, `mutation { createRelationship(input: {type: PARTICIPATES_IN, from: "dup-b", to: "km-meeting-2007-04-11", role: "INVITED", roleTh: "ผู้ได้รับเชิญ", evidence: [{source: "gotoknow-85545", quote: "เชิญ"}]}) { id } }`, nil)
		_, resp := ts.QueryAs(t, adminKey, `mutation { mergeNodes(keep: "dup-a", duplicates: ["dup-b"], reason: "same person") {
			id aliases evidence { quote } relationships(first: 50) { edges { node { type evidence { quote } } other { id } } } } }`, nil)
		kept := dig(mustData(t, resp), "mergeNodes")
		aliases := fmt.Sprint(dig(kept, "aliases"))
		if !strings.Contains(aliases, "คุณ dup-b") || !strings.Contains(aliases, "Khun dup-b") {
			t.Fatalf("aliases = %s", aliases)
		}
		if len(dig(kept, "evidence").([]any)) != 2 {
			t.Fatalf("evidence = %v", dig(kept, "evidence"))
		}
		var member, invited int
		for _, e := range dig(kept, "relationships", "edges").([]any) {
			switch dig(e, "node", "type") {
			case "MEMBER_OF":
				member++
				if len(dig(e, "node", "evidence").([]any)) != 2 {
					t.Errorf("merged MEMBER_OF lost evidence: %v", e)
				}
			case "PARTICIPATES_IN":
				invited++
			}
		}
		if member != 1 || invited != 1 {
			t.Fatalf("relationships after merge: %d MEMBER_OF, %d PARTICIPATES_IN", member, invited)
		}
		if resp := ts.Query(t, `{ node(id: "dup-b") { id } }`, nil); errorCode(resp) != "NOT_FOUND" {
			t.Fatalf("the duplicate survived: %v", resp)
		}
		data := mustData(t, ts.Query(t, `{ history(nodeId: "dup-b") { edges { node { action actor reason before after } } } }`, nil))
		if dig(data, "history", "edges", 0, "node", "action") != "MERGE_NODES" || dig(data, "history", "edges", 0, "node", "actor") != "ada" || dig(data, "history", "edges", 0, "node", "reason") != "same person" {
			t.Fatalf("merge history = %v", data)
		}
	})

	t.Run("Ensure the audit trail answers by node, by person and by time", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{ history(nodeId: "stale-test") { totalCount edges { node { action actor before after } } } }`, nil))
		if dig(data, "history", "totalCount") != float64(2) || dig(data, "history", "edges", 0, "node", "action") != "UPDATE_NODE" ||
			dig(data, "history", "edges", 0, "node", "before", "nameEn") != "Khun stale-test" || dig(data, "history", "edges", 0, "node", "after", "nameEn") != "First" {
			t.Fatalf("history of stale-test = %v", data)
		}
		// this test wrote 27 changes: 2 of them ada's (a delete and a merge)
		vars := map[string]any{"utc": began.UTC().Format(time.RFC3339Nano), "ict": began.In(time.FixedZone("ICT", 7*3600)).Format(time.RFC3339Nano)}
		data = mustData(t, ts.Query(t, `query($utc: String!, $ict: String!) {
			byAda: history(actor: "ada", from: $utc) { totalCount edges { node { action } } }
			since: history(from: $utc) { totalCount } sinceICT: history(from: $ict) { totalCount }
			before: history(from: "2000", to: $ict) { totalCount } all: history { totalCount } future: history(from: "2999") { totalCount } }`, vars))
		if dig(data, "byAda", "totalCount") != float64(2) || dig(data, "byAda", "edges", 0, "node", "action") != "MERGE_NODES" || dig(data, "byAda", "edges", 1, "node", "action") != "DELETE_NODE" {
			t.Fatalf("history by ada = %v", dig(data, "byAda"))
		}
		if dig(data, "since", "totalCount") != float64(27) || dig(data, "sinceICT", "totalCount") != float64(27) || dig(data, "future", "totalCount") != float64(0) ||
			dig(data, "before", "totalCount").(float64)+27 != dig(data, "all", "totalCount") {
			t.Fatalf("history by time = %v", data)
		}
		resp := ts.Query(t, `{ history(from: "11 April 2007") { totalCount } }`, nil)
		if errorCode(resp) != "BAD_USER_INPUT" || dig(resp, "errors", 0, "extensions", "field") != "from" {
			t.Fatalf("a bad from: %v", resp)
		}
	})
}

func TestImport(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec()})
	bundle := func(n int, prefix string) string {
		b := domain.Bundle{}
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("%s-%d", prefix, i)
			b.Nodes = append(b.Nodes, domain.NodeRecord{ID: id, Label: "Agency", Kind: "FOUNDATION", Name: "มูลนิธิ " + id,
				Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "มูลนิธิ"}}})
			b.Relationships = append(b.Relationships, domain.RelRecord{Type: "SUPPORTS", From: id, To: "community-org-movement",
				Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "สนับสนุน"}}})
		}
		out, _ := json.MarshalIndent(b, "", "  ")
		return string(out)
	}
	importJSON := `mutation($b: String!, $dry: Boolean) { importBundle(bundle: $b, dryRun: $dry) { ok dryRun nodes relationships nodesCreated nodesUpdated nodesUnchanged relationshipsCreated relationshipsUnchanged problems { line record field reason } } }`

	t.Run("Ensure every bad record is reported with its line and nothing is written", func(t *testing.T) {
		before := nodeCount(t, ts)
		bad := `{
  "nodes": [
    {"id": "ok-node", "label": "Agency", "kind": "FOUNDATION", "name": "ดี", "evidence": [{"source": "gotoknow-85545", "quote": "x"}]},
    {"id": "bad id", "label": "Agency", "kind": "FOUNDATION", "name": "เสีย", "evidence": [{"source": "gotoknow-85545", "quote": "x"}]},
    {"id": "no-kind", "label": "Agency", "kind": "BAKERY", "name": "เสีย", "evidence": [{"source": "gotoknow-85545", "quote": "x"}]}
  ],
  "relationships": [
    {"type": "SUPPORTS", "from": "ok-node", "to": "ghost", "evidence": [{"source": "gotoknow-85545", "quote": "x"}]}
  ]
}`
		_, resp := ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": bad})
		rep := dig(mustData(t, resp), "importBundle")
		probs := dig(rep, "problems").([]any)
		if dig(rep, "ok") != false || len(probs) != 2 {
			t.Fatalf("report = %v", rep)
		}
		if dig(probs[0], "line") != float64(4) || dig(probs[0], "field") != "id" || dig(probs[1], "line") != float64(5) || dig(probs[1], "field") != "kind" {
			t.Fatalf("problems = %v", probs)
		}
		if nodeCount(t, ts) != before {
			t.Fatal("a refused import wrote nodes")
		}
		// with the records fixed, the endpoint check reports the ghost
		fixed := strings.Replace(strings.Replace(bad, `"bad id"`, `"good-id"`, 1), "BAKERY", "FOUNDATION", 1)
		_, resp = ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": fixed})
		probs = dig(mustData(t, resp), "importBundle", "problems").([]any)
		if len(probs) != 1 || dig(probs[0], "line") != float64(8) || dig(probs[0], "field") != "to" {
			t.Fatalf("problems = %v", probs)
		}
		_, resp = ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": `{"nodes": [ {"id": }`})
		if p := dig(mustData(t, resp), "importBundle", "problems", 0); dig(p, "line") != float64(1) || !strings.Contains(dig(p, "reason").(string), "not a bundle") {
			t.Fatalf("syntax error report = %v", p)
		}
	})

	t.Run("Ensure a dry run reports without writing, and re-importing changes nothing", func(t *testing.T) {
		b := bundle(25, "imp")
		before := nodeCount(t, ts)
		_, resp := ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": b, "dry": true})
		rep := dig(mustData(t, resp), "importBundle")
		if dig(rep, "ok") != true || dig(rep, "nodesCreated") != float64(25) || nodeCount(t, ts) != before {
			t.Fatalf("dry run = %v", rep)
		}
		_, resp = ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": b})
		if dig(mustData(t, resp), "importBundle", "nodesCreated") != float64(25) || nodeCount(t, ts) != before+25 {
			t.Fatalf("import = %v", resp)
		}
		_, resp = ts.QueryAs(t, editorKey, importJSON, map[string]any{"b": b})
		rep = dig(mustData(t, resp), "importBundle")
		if dig(rep, "nodesUnchanged") != float64(25) || dig(rep, "relationshipsUnchanged") != float64(25) || dig(rep, "nodesCreated") != float64(0) || nodeCount(t, ts) != before+25 {
			t.Fatalf("re-import = %v", rep)
		}
	})

	t.Run("Ensure CSV imports read Thai dates and report bad rows by line", func(t *testing.T) {
		nodes := "id,type,name,nameEn,kind,aliases,start,evidenceQuote,evidenceSource\n" +
			"csv-forum,Event,เวทีสวัสดิการ,Welfare forum,FORUM,เวที|Forum,4 ก.พ. 2550,เวทีสวัสดิการการชุมชนคนไม่ทิ้งกัน,gotoknow-85545\n" +
			"csv-bad,Event,เวที,,FORUM,,31 ก.พ. 2550,x,gotoknow-85545\n"
		edges := "source,target,type,role,roleTh,evidenceQuote,evidenceSource\ncodi,csv-forum,PARTICIPATES_IN,SUPPORT_PARTNER,ภาคีสนับสนุน,โดยการสนับสนุนของพอช.,gotoknow-85545\n"
		q := `mutation($n: String, $e: String) { importCSV(nodes: $n, edges: $e) { ok nodesCreated relationshipsCreated problems { line field reason } } }`
		_, resp := ts.QueryAs(t, editorKey, q, map[string]any{"n": nodes, "e": edges})
		rep := dig(mustData(t, resp), "importCSV")
		if dig(rep, "ok") != false || dig(rep, "problems", 0, "line") != float64(3) || dig(rep, "problems", 0, "field") != "start" {
			t.Fatalf("report = %v", rep)
		}
		nodes = strings.Replace(nodes, "31 ก.พ. 2550", "5 ก.พ. 2550", 1)
		_, resp = ts.QueryAs(t, editorKey, q, map[string]any{"n": nodes, "e": edges})
		if rep = dig(mustData(t, resp), "importCSV"); dig(rep, "nodesCreated") != float64(2) || dig(rep, "relationshipsCreated") != float64(1) {
			t.Fatalf("report = %v", rep)
		}
		data := mustData(t, ts.Query(t, `{ node(id: "csv-forum") { aliases ... on Event { start { iso text } participants { edges { node { id } relationship { roleTh } } } } } }`, nil))
		if dig(data, "node", "start", "iso") != "2007-02-04" || dig(data, "node", "participants", "edges", 0, "relationship", "roleTh") != "ภาคีสนับสนุน" {
			t.Fatalf("imported forum = %v", data)
		}
	})
}

// wantSameGraph compares two dumps node by node and relationship by
// relationship, every property and every evidence item.
func wantSameGraph(t *testing.T, before, after *domain.Bundle) {
	t.Helper()
	if len(after.Nodes) != len(before.Nodes) || len(after.Relationships) != len(before.Relationships) {
		t.Fatalf("%d/%d nodes, %d/%d relationships", len(after.Nodes), len(before.Nodes), len(after.Relationships), len(before.Relationships))
	}
	for i := range before.Nodes {
		if !reflect.DeepEqual(before.Nodes[i], after.Nodes[i]) {
			t.Errorf("node %s differs:\nbefore %+v\nafter  %+v", before.Nodes[i].ID, before.Nodes[i], after.Nodes[i])
		}
	}
	for i := range before.Relationships {
		if !reflect.DeepEqual(before.Relationships[i], after.Relationships[i]) {
			t.Errorf("relationship %s differs:\nbefore %+v\nafter  %+v", before.Relationships[i].RelID(), before.Relationships[i], after.Relationships[i])
		}
	}
}

// TestExportImportRoundTrip empties the database, so it runs on a server of
// its own and restores the seed graph at the end.
func TestExportImportRoundTrip(t *testing.T) {
	// The seed is loaded before the server starts, and the server does not
	// load it: with -seed=auto its start-up check could find the database
	// emptied below and load the seed into it while the import runs.
	ensureSeed(t)
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec(), "PHAKHI_SEED": "off"})
	ctx := context.Background()
	st := openTestStore(t)
	defer st.Close(ctx)
	t.Cleanup(func() {
		_ = st.DeleteAll(ctx)
		if err := run(ctx, []string{"reload-seed"}, func(k string) string {
			return map[string]string{"NEO4J_URI": neo4jtest.URI(t), "PHAKHI_LOG_LEVEL": "warn"}[k]
		}, io.Discard, nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("Ensure exporting the graph and importing it into an empty database reproduces it", func(t *testing.T) {
		resp, err := http.Get(ts.URL + "/export/bundle")
		if err != nil {
			t.Fatal(err)
		}
		dump, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var before domain.Bundle
		if err := json.Unmarshal(dump, &before); err != nil || len(before.Nodes) < 150 {
			t.Fatalf("bundle export: %v (%d nodes)", err, len(before.Nodes))
		}
		if err := st.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		_, out := ts.QueryAs(t, editorKey, `mutation($b: String!) { importBundle(bundle: $b) { ok nodesCreated relationshipsCreated problems { reason } } }`, map[string]any{"b": string(dump)})
		rep := dig(mustData(t, out), "importBundle")
		if dig(rep, "ok") != true || int(dig(rep, "nodesCreated").(float64)) != len(before.Nodes) || int(dig(rep, "relationshipsCreated").(float64)) != len(before.Relationships) {
			t.Fatalf("import = %v", rep)
		}
		after, err := st.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantSameGraph(t, &before, after)
	})

	t.Run("Ensure a write cancelled midway leaves no partial data", func(t *testing.T) {
		b := &domain.Bundle{}
		for i := 0; i < 30000; i++ {
			b.Nodes = append(b.Nodes, domain.NodeRecord{ID: fmt.Sprintf("cancelled-%d", i), Label: "Person", Name: "ก",
				Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "x"}}})
		}
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if _, err := st.Import(cctx, "test", b, domain.Lines{}, false); err == nil {
			t.Fatal("the import finished within 300ms: make it bigger")
		}
		for _, id := range []string{"cancelled-0", "cancelled-29999"} {
			if resp := ts.Query(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); errorCode(resp) != "NOT_FOUND" {
				t.Fatalf("a cancelled import left %s behind: %v", id, resp)
			}
		}
		data := mustData(t, ts.Query(t, `{ people(filter: {nameContains: "ก"}) { totalCount } }`, nil))
		if n := dig(data, "people", "totalCount").(float64); n > 20 {
			t.Fatalf("%v people after a cancelled import of 30000", n)
		}
	})
}

func TestGraphChangedSubscription(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec()})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, strings.Replace(ts.URL, "http://", "ws://", 1)+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() map[string]any {
		_, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + readerKey}})
	if m := recv(); m["type"] != "connection_ack" {
		t.Fatalf("init: %v", m)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `subscription { graphChanged(ids: ["live-node"]) { action actor ids changeId } }`}})
	time.Sleep(500 * time.Millisecond) // let the feed start

	t.Run("Ensure a mutation's change reaches an open subscription", func(t *testing.T) {
		_, resp := ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person("live-node")})
		mustData(t, resp)
		for {
			m := recv()
			if m["type"] == "ka" || m["type"] == "ping" {
				continue
			}
			if m["type"] != "next" || dig(m, "payload", "data", "graphChanged", "action") != "CREATE_NODE" || dig(m, "payload", "data", "graphChanged", "actor") != "eddie" {
				t.Fatalf("message = %v", m)
			}
			break
		}
	})
}

func TestPrivateReads(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec(), "PHAKHI_PRIVATE_READS": "true"})
	get := func(t *testing.T, path, key string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	t.Run("Ensure an anonymous GraphQL read is UNAUTHENTICATED and a reader's key reads", func(t *testing.T) {
		if _, resp := ts.QueryAs(t, "", `{ node(id: "codi") { id } }`, nil); errorCode(resp) != "UNAUTHENTICATED" || resp["data"] != nil {
			t.Fatalf("anonymous read: %v", resp)
		}
		_, resp := ts.QueryAs(t, readerKey, `{ node(id: "codi") { id } }`, nil)
		if dig(mustData(t, resp), "node", "id") != "codi" {
			t.Fatalf("reader: %v", resp)
		}
	})
	t.Run("Ensure the file exports need a key too", func(t *testing.T) {
		status, body := get(t, "/export/csv?around=codi&depth=1", "")
		if status != http.StatusUnauthorized || !strings.Contains(string(body), "UNAUTHENTICATED") {
			t.Fatalf("anonymous export: %d %s", status, body)
		}
		if status, body := get(t, "/export/csv?around=codi&depth=1", "phk_wrong"); status != http.StatusUnauthorized {
			t.Fatalf("export with an unknown key: %d %s", status, body)
		}
		status, body = get(t, "/export/graphml?around=codi&depth=1", readerKey)
		if status != http.StatusOK || !strings.Contains(string(body), "สถาบันพัฒนาองค์กรชุมชน") {
			t.Fatalf("reader's export: %d %.200s", status, body)
		}
	})
	t.Run("Ensure health, GraphiQL and the explorer page stay open", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/", "/explore"} {
			if status, _ := get(t, p, ""); status != http.StatusOK {
				t.Fatalf("%s: %d", p, status)
			}
		}
	})
}
