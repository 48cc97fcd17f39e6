package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/web"
)

// formatcheckDeps installs tools/formatcheck's npm packages when missing.
func formatcheckDeps(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "tools", "formatcheck")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphology-gexf")); err == nil {
		return dir
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s (Node.js and npm are needed to re-read the exports): %v\n%s", dir, err, out)
	}
	return dir
}

type formatSummary struct {
	Nodes     int
	Edges     int
	NodeAttrs map[string]map[string]any
	EdgeAttrs map[string]map[string]any
}

// canonical is an attribute value as text, whatever the format gave it
// back as: numbers without a fraction, booleans as true or false, and the
// evidence list (JSON in the JSON shapes, JSON text in the others) as
// JSON with sorted keys.
func canonical(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if key == "evidence" && x != "" {
			var list any
			if err := json.Unmarshal([]byte(x), &list); err != nil {
				return "unreadable JSON: " + x
			}
			return canonical(key, list)
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v) // maps: keys sorted
	return string(b)
}

// flat is attributes as canonical text, the empty ones left out (an
// unknown value is an empty string in some formats and absent in others).
func flat(attrs map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range attrs {
		if c := canonical(k, v); c != "" {
			out[k] = c
		}
	}
	return out
}

// wantAttrs are the attributes every format must carry for a node or an
// edge of the seed files (freshly loaded: version 1).
func wantAttrs(m map[string]any, start, end *domain.PartialDate, evidence []domain.Evidence) map[string]string {
	for _, d := range []struct {
		prefix string
		date   *domain.PartialDate
	}{{"start", start}, {"end", end}} {
		if d.date == nil {
			continue
		}
		m[d.prefix], m[d.prefix+"Text"], m[d.prefix+"Note"] = d.date.Date, d.date.Text, d.date.Note
		if d.date.Inferred {
			m[d.prefix+"Inferred"] = true
		}
	}
	list := []any{}
	for _, e := range evidence {
		item := map[string]any{"source": e.Source, "quote": e.Quote}
		if e.Locator != "" {
			item["locator"] = e.Locator
		}
		if e.Note != "" {
			item["note"] = e.Note
		}
		list = append(list, item)
	}
	m["evidence"], m["evidenceCount"], m["version"] = list, float64(len(evidence)), float64(1)
	if len(evidence) > 0 {
		m["evidenceQuote"], m["evidenceSource"], m["evidenceLocator"] = evidence[0].Quote, evidence[0].Source, evidence[0].Locator
	}
	return flat(m)
}

func wantNodeAttrs(n domain.NodeRecord) map[string]string {
	m := map[string]any{"type": n.Label, "name": n.Name, "nameEn": n.NameEn, "kind": n.Kind, "aliases": strings.Join(n.Aliases, "|"),
		"description": n.Description, "descriptionEn": n.DescriptionEn, "code": n.Code, "postalCode": n.PostalCode,
		"address": n.Address, "url": n.URL, "startsAt": n.StartsAt, "endsAt": n.EndsAt,
		"status": string(n.AssertionStatus()), "basis": n.Basis}
	if n.Order != 0 {
		m["order"] = float64(n.Order)
	}
	return wantAttrs(m, n.Start, n.End, n.Evidence)
}

func wantEdgeAttrs(r domain.RelRecord) map[string]string {
	m := map[string]any{"source": r.From, "target": r.To, "type": r.Type, "role": r.Role, "roleTh": r.RoleTh, "description": r.Description,
		"status": string(r.AssertionStatus()), "basis": r.Basis, "event": r.Event}
	return wantAttrs(m, r.Start, r.End, r.Evidence)
}

// exportScope is a subgraph of the seed files, the nodes and edges an
// export of it must hold.
type exportScope struct {
	name, gql, query string
	nodes, edges     map[string]bool
}

// seedScopes works out three subgraphs from the seed files: the
// neighbourhood of CODI to two hops, the actors and events, and the four
// 4-hop paths from Dr. Thipawan to Walailak University.
func seedScopes(b *domain.Bundle) []exportScope {
	inScope := func(keep func(domain.NodeRecord) bool) exportScope {
		sc := exportScope{nodes: map[string]bool{}, edges: map[string]bool{}}
		for _, n := range b.Nodes {
			if keep(n) {
				sc.nodes[n.ID] = true
			}
		}
		for _, r := range b.Relationships {
			if sc.nodes[r.From] && sc.nodes[r.To] {
				sc.edges[r.RelID()] = true
			}
		}
		return sc
	}
	// two hops from CODI, either way along any relationship
	near := map[string]bool{"codi": true}
	for hop := 0; hop < 2; hop++ {
		next := map[string]bool{}
		for _, r := range b.Relationships {
			if near[r.From] || near[r.To] {
				next[r.From], next[r.To] = true, true
			}
		}
		for id := range next {
			near[id] = true
		}
	}
	around := inScope(func(n domain.NodeRecord) bool { return near[n.ID] })
	around.name, around.gql, around.query = "the neighbourhood of CODI", `{around: "codi", depth: 2}`, "around=codi&depth=2"
	actors := inScope(func(n domain.NodeRecord) bool {
		return slices.Contains([]string{"Agency", "Network", "Person", "Event"}, n.Label)
	})
	actors.name, actors.gql, actors.query = "the actors and events", `{labels: ["Agency", "Network", "Person", "Event"]}`, "labels=Agency,Network,Person,Event"
	paths := exportScope{name: "the paths from Dr. Thipawan to Walailak University",
		gql: `{pathFrom: "thipawan", pathTo: "walailak-university", k: 4, maxLength: 5}`, query: "pathFrom=thipawan&pathTo=walailak-university&k=4&maxLength=5",
		nodes: map[string]bool{}, edges: map[string]bool{}}
	for _, id := range []string{"thipawan", "academic-km-network", "community-finance-welfare-movement", "km-meeting-2007-04-11", "side-knowledge",
		"movement-north-gathering-2007-03-21", "peem", "wu-km-unit", "walailak-university"} {
		paths.nodes[id] = true
	}
	for _, id := range []string{"thipawan>MEMBER_OF>academic-km-network", "academic-km-network>SUPPORTS>community-finance-welfare-movement",
		"wu-km-unit>SUPPORTS>community-finance-welfare-movement", "academic-km-network>PARTICIPATES_IN>km-meeting-2007-04-11>ACADEMIC_PARTNER",
		"wu-km-unit>ORGANIZES>km-meeting-2007-04-11", "academic-km-network>ADVANCES>side-knowledge", "wu-km-unit>ADVANCES>side-knowledge",
		"thipawan>PARTICIPATES_IN>movement-north-gathering-2007-03-21>PARTICIPANT", "peem>PARTICIPATES_IN>movement-north-gathering-2007-03-21>INVITED",
		"peem>WORKS_FOR>wu-km-unit", "wu-km-unit>PART_OF>walailak-university"} {
		paths.edges[id] = true
	}
	return []exportScope{around, actors, paths}
}

func TestExports(t *testing.T) {
	checker := formatcheckDeps(t)
	testkit.ResetToSeed(t)
	ts := newServer(t, web.Config{ExportCap: 150})
	seedGraph, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	nodeRecords, relRecords := map[string]domain.NodeRecord{}, map[string]domain.RelRecord{}
	for _, n := range seedGraph.Nodes {
		nodeRecords[n.ID] = n
	}
	for _, r := range seedGraph.Relationships {
		relRecords[r.RelID()] = r
	}

	for _, scope := range seedScopes(seedGraph) {
		t.Run("Ensure every format of "+scope.name+" re-reads with every node, edge and attribute", func(t *testing.T) {
			data := testkit.MustData(t, testkit.Query(t, ts.URL+"/query", `{ exportGraph(format: GEXF, subgraph: `+scope.gql+`) { nodeCount edgeCount filename contentType } }`, nil))
			if testkit.Dig(data, "exportGraph", "nodeCount") != float64(len(scope.nodes)) || testkit.Dig(data, "exportGraph", "edgeCount") != float64(len(scope.edges)) {
				t.Fatalf("exportGraph = %v, want %d nodes and %d edges", data, len(scope.nodes), len(scope.edges))
			}
			dir := t.TempDir()
			files := map[string]string{
				"cytoscape": "graph.cytoscape.json", "graphology": "graph.graphology.json", "d3": "graph.d3.json",
				"gexf": "graph.gexf", "graphml": "graph.graphml", "nodes.csv": "graph.nodes.csv", "edges.csv": "graph.edges.csv", "csv": "",
			}
			types := map[string]string{"gexf": "application/gexf+xml", "graphml": "application/graphml+xml", "nodes.csv": "text/csv", "edges.csv": "text/csv",
				"cytoscape": "application/json", "graphology": "application/json", "d3": "application/json", "csv": "application/zip"}
			for format, file := range files {
				resp, err := http.Get(ts.URL + "/export/" + format + "?" + scope.query)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Fatalf("%s: status %d: %s", format, resp.StatusCode, body)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, types[format]) {
					t.Errorf("%s: Content-Type %q", format, ct)
				}
				if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="phakhi-`) {
					t.Errorf("%s: Content-Disposition %q", format, cd)
				}
				if format == "csv" { // the zip: its two files, re-read like the others
					zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
					if err != nil {
						t.Fatalf("csv zip: %v", err)
					}
					var names []string
					for _, f := range zr.File {
						names = append(names, f.Name)
						rc, err := f.Open()
						if err != nil {
							t.Fatal(err)
						}
						b, _ := io.ReadAll(rc)
						rc.Close()
						if err := os.WriteFile(filepath.Join(dir, "graph.zip."+f.Name), b, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					testkit.WantIDList(t, "the zip's files", names, "nodes.csv", "edges.csv")
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, file), body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("node", filepath.Join(checker, "check.mjs"), dir)
			out, err := cmd.Output()
			if err != nil {
				var stderr string
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = string(ee.Stderr)
				}
				t.Fatalf("a library refused an export: %v\n%s", err, stderr)
			}
			var got map[string]formatSummary
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{"cytoscape", "graphology", "d3", "gexf", "graphml", "csv", "csvzip"} {
				s, ok := got[format]
				if !ok {
					t.Fatalf("no summary for %s", format)
				}
				if s.Nodes != len(scope.nodes) || s.Edges != len(scope.edges) {
					t.Errorf("%s re-read %d nodes and %d edges, want %d and %d", format, s.Nodes, s.Edges, len(scope.nodes), len(scope.edges))
				}
				for id := range scope.nodes {
					attrs, ok := s.NodeAttrs[id]
					if !ok {
						t.Errorf("%s: node %s is missing", format, id)
						continue
					}
					g := flat(attrs)
					if format == "gexf" { // GEXF's own label is the name
						if g["label"] != g["name"] {
							t.Errorf("gexf: node %s has the label %q, not its name %q", id, g["label"], g["name"])
						}
						delete(g, "label")
					}
					if w := wantNodeAttrs(nodeRecords[id]); !maps.Equal(g, w) {
						t.Errorf("%s: node %s re-read as\n%v\nwant\n%v", format, id, g, w)
					}
				}
				for id := range scope.edges {
					attrs, ok := s.EdgeAttrs[id]
					if !ok {
						t.Errorf("%s: edge %s is missing", format, id)
						continue
					}
					g := flat(attrs)
					if format == "gexf" { // and an edge's its type
						if g["label"] != g["type"] {
							t.Errorf("gexf: edge %s has the label %q, not its type %q", id, g["label"], g["type"])
						}
						delete(g, "label")
					}
					if w := wantEdgeAttrs(relRecords[id]); !maps.Equal(g, w) {
						t.Errorf("%s: edge %s re-read as\n%v\nwant\n%v", format, id, g, w)
					}
				}
				for id := range s.NodeAttrs {
					if !scope.nodes[id] {
						t.Errorf("%s: node %s is not in the scope", format, id)
					}
				}
				for id := range s.EdgeAttrs {
					if !scope.edges[id] {
						t.Errorf("%s: edge %s is not in the scope", format, id)
					}
				}
			}
		})
	}

	t.Run("Ensure bad export requests get a clear 4xx", func(t *testing.T) {
		cases := []struct {
			path   string
			status int
			says   string
		}{
			{"/export/pdf", 400, "not an export format"},
			{"/export/gexf?around=ghost", 404, "ghost"},
			{"/export/gexf?around=codi&depth=9", 400, "depth"},
			{"/export/gexf?around=codi&depth=two", 400, "depth"},
			{"/export/gexf?labels=Spaceship", 400, "labels[0]"},
			{"/export/gexf", 413, "export cap"},
			{"/export/bundle", 413, "PHAKHI_EXPORT_CAP"},
		}
		for _, c := range cases {
			resp, err := http.Get(ts.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status || !strings.Contains(string(body), c.says) {
				t.Errorf("%s: %d %s, want %d saying %q", c.path, resp.StatusCode, body, c.status, c.says)
			}
		}
		resp := testkit.Query(t, ts.URL+"/query", `{ exportGraph(format: GEXF) { nodeCount } }`, nil)
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || !strings.Contains(testkit.Dig(resp, "errors", 0, "message").(string), "export cap") {
			t.Errorf("over the cap over GraphQL: %v", resp["errors"])
		}
	})

}

const importCSVReport = `mutation($n: String, $e: String) { importCSV(nodes: $n, edges: $e) { ok nodes relationships
	nodesCreated nodesUpdated nodesUnchanged relationshipsCreated relationshipsUpdated relationshipsUnchanged problems { line record field reason } } }`

// getText fetches a text file from the server.
func getText(t *testing.T, url string) string {
	t.Helper()
	status, body := testkit.Get(t, url, "")
	if status != 200 {
		t.Fatalf("%s: %d %s", url, status, body)
	}
	return body
}

// versions reads every node's and relationship's version straight from
// Neo4j, by id.
func versions(t *testing.T) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, rec := range testkit.Cypher(t, `MATCH (n:Node) RETURN n.id AS id, n.version AS v
		UNION ALL MATCH (:Node)-[r]->(:Node) RETURN r.id AS id, r.version AS v`, nil) {
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
	testkit.ResetToSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t)})
	ctx := context.Background()
	st := testkit.OpenStore(t)
	t.Cleanup(func() { testkit.ResetToSeed(t) })
	seedGraph, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	nodesCSV, edgesCSV := getText(t, ts.URL+"/export/nodes.csv"), getText(t, ts.URL+"/export/edges.csv")
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
		if testkit.Dig(rep, "ok") != true || len(testkit.Dig(rep, "problems").([]any)) != 0 {
			t.Fatalf("import = %v", rep)
		}
		for k, v := range want {
			if testkit.Dig(rep, k) != v {
				t.Errorf("import %s = %v, want %v (report %v)", k, testkit.Dig(rep, k), v, rep)
			}
		}
	}

	t.Run("Ensure importing the CSV export over the graph it came from changes nothing, not even versions, twice", func(t *testing.T) {
		v0 := versions(t)
		for i := 0; i < 2; i++ {
			_, resp := testkit.Post(t, ts.URL+"/query", testkit.EditorKey, importCSVReport, map[string]any{"n": nodesCSV, "e": edgesCSV})
			wantReport(t, testkit.Dig(testkit.MustData(t, resp), "importCSV"), false)
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
		_, resp := testkit.Post(t, ts.URL+"/query", testkit.EditorKey, importCSVReport, map[string]any{"n": nodesCSV, "e": edgesCSV})
		wantReport(t, testkit.Dig(testkit.MustData(t, resp), "importCSV"), true)
		after, err := st.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantSameGraph(t, before, after)
		// and what the seed files say, every evidence item included
		for _, n := range seedGraph.Nodes {
			if n.ID == "km-meeting-2007-04-11-s05" {
				data := testkit.MustData(t, testkit.Query(t, ts.URL+"/query", `{ node(id: "km-meeting-2007-04-11-s05") { ... on AgendaSession { order startsAt endsAt } } }`, nil))
				if testkit.Dig(data, "node", "order") != float64(n.Order) || testkit.Dig(data, "node", "startsAt") != n.StartsAt || testkit.Dig(data, "node", "endsAt") != n.EndsAt {
					t.Errorf("the 10.00 panel came back as %v", data["node"])
				}
			}
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL+"/query", `{ node(id: "km-meeting-2007-04-11") { relationships(filter: {types: [PARTICIPATES_IN], otherLabels: ["Agency"]}, first: 100) {
			edges { node { id evidence { quote locator source { id } } } } } } }`, nil))
		rels := map[string]domain.RelRecord{}
		for _, r := range seedGraph.Relationships {
			rels[r.RelID()] = r
		}
		for _, e := range testkit.Dig(data, "node", "relationships", "edges").([]any) {
			id := testkit.Dig(e, "node", "id").(string)
			evs := testkit.Dig(e, "node", "evidence").([]any)
			if len(evs) != len(rels[id].Evidence) {
				t.Errorf("%s has %d evidence items, the seed %d", id, len(evs), len(rels[id].Evidence))
				continue
			}
			for i, ev := range rels[id].Evidence {
				if testkit.Dig(evs[i], "quote") != ev.Quote || testkit.Dig(evs[i], "source", "id") != ev.Source || testkit.Dig(evs[i], "locator") != ev.Locator {
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
		_, resp := testkit.Post(t, ts.URL+"/query", testkit.EditorKey, importCSVReport, map[string]any{"n": text})
		rep := testkit.Dig(testkit.MustData(t, resp), "importCSV")
		var got []string
		for _, p := range testkit.Dig(rep, "problems").([]any) {
			got = append(got, fmt.Sprintf("%v %v", testkit.Dig(p, "line"), testkit.Dig(p, "field")))
		}
		testkit.WantIDList(t, "problems (line field)", got, "3 evidence", "4 startInferred")
		if testkit.Dig(rep, "ok") != false {
			t.Errorf("report = %v", rep)
		}
		if resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "csv-rt-ok") { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Errorf("a refused import wrote its good row: %v", resp)
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
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t)})
	ctx := context.Background()
	st := testkit.OpenStore(t)
	t.Cleanup(func() { testkit.ResetToSeed(t) })

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
		_, out := testkit.Post(t, ts.URL+"/query", testkit.EditorKey, `mutation($b: String!) { importBundle(bundle: $b) { ok nodesCreated relationshipsCreated problems { reason } } }`, map[string]any{"b": string(dump)})
		rep := testkit.Dig(testkit.MustData(t, out), "importBundle")
		if testkit.Dig(rep, "ok") != true || int(testkit.Dig(rep, "nodesCreated").(float64)) != len(before.Nodes) || int(testkit.Dig(rep, "relationshipsCreated").(float64)) != len(before.Relationships) {
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
			if resp := testkit.Query(t, ts.URL+"/query", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); testkit.ErrorCode(resp) != "NOT_FOUND" {
				t.Fatalf("a cancelled import left %s behind: %v", id, resp)
			}
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL+"/query", `{ people(filter: {nameContains: "ก"}) { totalCount } }`, nil))
		if n := testkit.Dig(data, "people", "totalCount").(float64); n > 20 {
			t.Fatalf("%v people after a cancelled import of 30000", n)
		}
	})
}
