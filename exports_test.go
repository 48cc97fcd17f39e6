package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	NodeAttrs map[string]struct{ Name, Type, NameEn string }
	EdgeAttrs map[string]struct{ Source, Target, Type, RoleTh, EvidenceQuote string }
}

func TestExports(t *testing.T) {
	checker := formatcheckDeps(t)
	ts := MustStartServer(t, map[string]string{"PHAKHI_EXPORT_CAP": "150"})

	for _, scope := range []struct{ name, gql, query string }{
		{"the neighbourhood of CODI", `{around: "codi", depth: 2}`, "around=codi&depth=2"},
		{"the actors and events", `{labels: ["Agency", "Network", "Person", "Event"]}`, "labels=Agency,Network,Person,Event"},
	} {
		t.Run("Ensure every format of "+scope.name+" re-reads with the same nodes, edges and Thai attributes", func(t *testing.T) {
			data := mustData(t, ts.Query(t, `{ exportGraph(format: GEXF, subgraph: `+scope.gql+`) { nodeCount edgeCount filename contentType } }`, nil))
			wantNodes := int(dig(data, "exportGraph", "nodeCount").(float64))
			wantEdges := int(dig(data, "exportGraph", "edgeCount").(float64))
			if wantNodes < 10 || wantEdges < 10 {
				t.Fatalf("export too small to test: %v", data)
			}
			dir := t.TempDir()
			files := map[string]string{
				"cytoscape": "graph.cytoscape.json", "graphology": "graph.graphology.json", "d3": "graph.d3.json",
				"gexf": "graph.gexf", "graphml": "graph.graphml", "nodes.csv": "graph.nodes.csv", "edges.csv": "graph.edges.csv",
			}
			types := map[string]string{"gexf": "application/gexf+xml", "graphml": "application/graphml+xml", "nodes.csv": "text/csv", "edges.csv": "text/csv", "cytoscape": "application/json", "graphology": "application/json", "d3": "application/json"}
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
			for _, format := range []string{"cytoscape", "graphology", "d3", "gexf", "graphml", "csv"} {
				s, ok := got[format]
				if !ok {
					t.Fatalf("no summary for %s", format)
				}
				if s.Nodes != wantNodes || s.Edges != wantEdges {
					t.Errorf("%s re-read %d nodes and %d edges, want %d and %d", format, s.Nodes, s.Edges, wantNodes, wantEdges)
				}
				codi := s.NodeAttrs["codi"]
				if codi.Name != "สถาบันพัฒนาองค์กรชุมชน" || codi.Type != "Agency" || codi.NameEn == "" {
					t.Errorf("%s: CODI re-read as %+v", format, codi)
				}
				thai := 0
				for id, e := range s.EdgeAttrs {
					if e.Source == "" || e.Target == "" || e.Type == "" {
						t.Errorf("%s: edge %s lost its ends or type: %+v", format, id, e)
					}
					if e.RoleTh == "ภาคีสนับสนุน" && e.EvidenceQuote != "" {
						thai++
					}
				}
				if thai == 0 {
					t.Errorf("%s: no support-partner edge kept its Thai role and quote", format)
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
	_ = time.Second
}
