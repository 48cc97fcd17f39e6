package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/seed"
)

const importCSVReport = `mutation($n: String, $e: String) { importCSV(nodes: $n, edges: $e) { ok nodes relationships
	nodesCreated nodesUpdated nodesUnchanged relationshipsCreated relationshipsUpdated relationshipsUnchanged problems { line record field reason } } }`

// getText fetches a text file from the server.
func (ts *testServer) getText(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// versions reads every node's and relationship's version straight from
// Neo4j, by id.
func versions(t *testing.T) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(neo4jtest.URI(t), neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, `MATCH (n:Node) RETURN n.id AS id, n.version AS v
		UNION ALL MATCH (:Node)-[r]->(:Node) RETURN r.id AS id, r.version AS v`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, rec := range res.Records {
		id, _ := rec.Get("id")
		v, _ := rec.Get("v")
		out[fmt.Sprint(id)], _ = v.(int64)
	}
	return out
}

// TestCSVRoundTrip: the CSV export of the seed graph imported over it
// changes nothing, and imported into an empty database gives back the
// graph, every property and every evidence item. It empties the database,
// so it runs on a server of its own and restores the seed graph at the
// end.
func TestCSVRoundTrip(t *testing.T) {
	resetToSeed(t)
	// the server does not load the seed: its start-up check could find the
	// database emptied below and load the seed while the import runs
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec(), "PHAKHI_SEED": "off"})
	ctx := context.Background()
	st := openTestStore(t)
	defer st.Close(ctx)
	t.Cleanup(func() { resetToSeed(t) })
	seedGraph, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	nodesCSV, edgesCSV := ts.getText(t, "/export/nodes.csv"), ts.getText(t, "/export/edges.csv")
	before, err := st.Dump(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Nodes) != len(seedGraph.Nodes) || len(before.Relationships) != len(seedGraph.Relationships) {
		t.Fatalf("the database holds %d nodes and %d relationships, the seed %d and %d", len(before.Nodes), len(before.Relationships), len(seedGraph.Nodes), len(seedGraph.Relationships))
	}
	wantReport := func(t *testing.T, rep any, created bool) {
		t.Helper()
		n, r := float64(len(before.Nodes)), float64(len(before.Relationships))
		want := map[string]float64{"nodes": n, "relationships": r, "nodesCreated": 0, "nodesUpdated": 0, "nodesUnchanged": n,
			"relationshipsCreated": 0, "relationshipsUpdated": 0, "relationshipsUnchanged": r}
		if created {
			want["nodesCreated"], want["nodesUnchanged"], want["relationshipsCreated"], want["relationshipsUnchanged"] = n, 0, r, 0
		}
		if dig(rep, "ok") != true || len(dig(rep, "problems").([]any)) != 0 {
			t.Fatalf("import = %v", rep)
		}
		for k, v := range want {
			if dig(rep, k) != v {
				t.Errorf("import %s = %v, want %v (report %v)", k, dig(rep, k), v, rep)
			}
		}
	}

	t.Run("Ensure importing the CSV export over the graph it came from changes nothing, not even versions, twice", func(t *testing.T) {
		v0 := versions(t)
		for i := 0; i < 2; i++ {
			_, resp := ts.QueryAs(t, editorKey, importCSVReport, map[string]any{"n": nodesCSV, "e": edgesCSV})
			wantReport(t, dig(mustData(t, resp), "importCSV"), false)
			after, err := st.Dump(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantSameGraph(t, before, after)
			if v := versions(t); !reflect.DeepEqual(v, v0) {
				t.Fatalf("versions changed on import %d", i+1)
			}
		}
	})

	t.Run("Ensure the CSV export imported into an empty database reproduces the graph", func(t *testing.T) {
		if err := st.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		_, resp := ts.QueryAs(t, editorKey, importCSVReport, map[string]any{"n": nodesCSV, "e": edgesCSV})
		wantReport(t, dig(mustData(t, resp), "importCSV"), true)
		after, err := st.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantSameGraph(t, before, after)
		// and what the seed files say, every evidence item included
		for _, n := range seedGraph.Nodes {
			if n.ID == "km-meeting-2007-04-11-s05" {
				data := mustData(t, ts.Query(t, `{ node(id: "km-meeting-2007-04-11-s05") { ... on AgendaSession { order startsAt endsAt } } }`, nil))
				if dig(data, "node", "order") != float64(n.Order) || dig(data, "node", "startsAt") != n.StartsAt || dig(data, "node", "endsAt") != n.EndsAt {
					t.Errorf("the 10.00 panel came back as %v", data["node"])
				}
			}
		}
		data := mustData(t, ts.Query(t, `{ node(id: "km-meeting-2007-04-11") { relationships(filter: {types: [PARTICIPATES_IN], otherLabels: ["Agency"]}, first: 100) {
			edges { node { id evidence { quote locator source { id } } } } } } }`, nil))
		rels := map[string]domain.RelRecord{}
		for _, r := range seedGraph.Relationships {
			rels[r.RelID()] = r
		}
		for _, e := range dig(data, "node", "relationships", "edges").([]any) {
			id := dig(e, "node", "id").(string)
			evs := dig(e, "node", "evidence").([]any)
			if len(evs) != len(rels[id].Evidence) {
				t.Errorf("%s has %d evidence items, the seed %d", id, len(evs), len(rels[id].Evidence))
				continue
			}
			for i, ev := range rels[id].Evidence {
				if dig(evs[i], "quote") != ev.Quote || dig(evs[i], "source", "id") != ev.Source || dig(evs[i], "locator") != ev.Locator {
					t.Errorf("%s evidence[%d] = %v, the seed %+v", id, i, evs[i], ev)
				}
			}
		}
	})

	t.Run("Ensure bad evidence and inference columns are reported by line and change nothing", func(t *testing.T) {
		header, _, _ := strings.Cut(nodesCSV, "\n")
		cols := strings.Split(strings.TrimPrefix(header, "\ufeff"), ",")
		row := func(values map[string]string) string {
			out := make([]string, len(cols))
			for i, c := range cols {
				out[i] = values[c]
			}
			return strings.Join(out, ",")
		}
		good := map[string]string{"id": "csv-rt-ok", "type": "Person", "name": "คุณทดสอบ", "evidence": `"[{""source"":""gotoknow-85545"",""quote"":""พัช""}]"`}
		badEvidence := map[string]string{"id": "csv-rt-bad-evidence", "type": "Person", "name": "คุณ", "evidence": `"[{""source"":""gotoknow-85545"",""quote"":1}]"`}
		badInferred := map[string]string{"id": "csv-rt-bad-inferred", "type": "Event", "kind": "MEETING", "name": "ประชุม", "start": "2007-04-03", "startInferred": "maybe",
			"evidence": `"[{""source"":""gotoknow-85545"",""quote"":""3 เมษายน""}]"`}
		text := header + "\n" + row(good) + "\n" + row(badEvidence) + "\n" + row(badInferred) + "\n"
		_, resp := ts.QueryAs(t, editorKey, importCSVReport, map[string]any{"n": text})
		rep := dig(mustData(t, resp), "importCSV")
		var got []string
		for _, p := range dig(rep, "problems").([]any) {
			got = append(got, fmt.Sprintf("%v %v", dig(p, "line"), dig(p, "field")))
		}
		wantIDList(t, "problems (line field)", got, "3 evidence", "4 startInferred")
		if dig(rep, "ok") != false {
			t.Errorf("report = %v", rep)
		}
		if resp := ts.Query(t, `{ node(id: "csv-rt-ok") { id } }`, nil); errorCode(resp) != "NOT_FOUND" {
			t.Errorf("a refused import wrote its good row: %v", resp)
		}
	})
}
