package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
)

// formatcheckDeps installs tools/formatcheck's npm packages when missing.
func formatcheckDeps(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("tools", "formatcheck")
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
		"address": n.Address, "url": n.URL, "startsAt": n.StartsAt, "endsAt": n.EndsAt}
	if n.Order != 0 {
		m["order"] = float64(n.Order)
	}
	return wantAttrs(m, n.Start, n.End, n.Evidence)
}

func wantEdgeAttrs(r domain.RelRecord) map[string]string {
	m := map[string]any{"source": r.From, "target": r.To, "type": r.Type, "role": r.Role, "roleTh": r.RoleTh, "description": r.Description}
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
	resetToSeed(t)
	ts := MustStartServer(t, map[string]string{"PHAKHI_EXPORT_CAP": "150"})
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
			data := mustData(t, ts.Query(t, `{ exportGraph(format: GEXF, subgraph: `+scope.gql+`) { nodeCount edgeCount filename contentType } }`, nil))
			if dig(data, "exportGraph", "nodeCount") != float64(len(scope.nodes)) || dig(data, "exportGraph", "edgeCount") != float64(len(scope.edges)) {
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
					wantIDList(t, "the zip's files", names, "nodes.csv", "edges.csv")
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
		resp := ts.Query(t, `{ exportGraph(format: GEXF) { nodeCount } }`, nil)
		if errorCode(resp) != "BAD_USER_INPUT" || !strings.Contains(dig(resp, "errors", 0, "message").(string), "export cap") {
			t.Errorf("over the cap over GraphQL: %v", resp["errors"])
		}
	})

	t.Run("Ensure the JSON shapes come straight from GraphQL too", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{ cytoscape(subgraph: {around: "codi"}) d3(subgraph: {around: "codi"}) graphology(subgraph: {around: "codi"}) }`, nil))
		if n := len(dig(data, "cytoscape", "nodes").([]any)); n < 5 {
			t.Fatalf("cytoscape nodes = %d", n)
		}
		if len(dig(data, "d3", "links").([]any)) != len(dig(data, "cytoscape", "edges").([]any)) || len(dig(data, "graphology", "nodes").([]any)) != len(dig(data, "cytoscape", "nodes").([]any)) {
			t.Fatal("the three JSON shapes disagree")
		}
	})
}
