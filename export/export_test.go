package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/export"
	"github.com/phakhi/phakhi/graph/model"
)

func sample() *export.Graph {
	s := func(v string) *string { return &v }
	src := &model.Source{Entity: model.Entity{ID: "src", Label: "Source", Name: "บันทึก"}}
	codi := &model.Agency{Entity: model.Entity{ID: "codi", Label: "Agency", Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน <พอช.> & \"CODI\"",
		NameEn: s("Community Organizations Development Institute"), Aliases: []string{"พอช.", "CODI"},
		Evidence: []*model.EvidenceItem{{Source: src, Quote: "-สถาบันพัฒนาองค์กรชุมชน", Locator: s("post, agenda")}}}}
	ev := &model.Event{Entity: model.Entity{ID: "ev", Label: "Event", Kind: "MEETING", Name: "ประชุม 11 เมษายน 2550",
		Start: &model.PartialDate{Date: "2007-04-11"}}}
	rel := &model.Relationship{ID: "codi>PARTICIPATES_IN>ev", Type: "PARTICIPATES_IN", FromID: "codi", ToID: "ev",
		Role: s("SUPPORT_PARTNER"), RoleTh: s("ภาคีสนับสนุน"), Start: &model.PartialDate{Date: "2007-04"},
		Evidence: []*model.EvidenceItem{{Source: src, Quote: "โดยภาคีสนับสนุน"}}}
	dangling := &model.Relationship{ID: "x", Type: "PART_OF", FromID: "codi", ToID: "elsewhere"}
	return export.FromSubgraph(&model.Subgraph{Nodes: []model.Node{codi, ev}, Edges: []*model.Relationship{rel, dangling}})
}

func TestExport(t *testing.T) {
	g := sample()
	if len(g.Nodes) != 2 || len(g.Edges) != 1 {
		t.Fatalf("flattened to %d nodes, %d edges; the edge to a node outside must go", len(g.Nodes), len(g.Edges))
	}
	t.Run("Ensure GEXF is well-formed 1.3, dynamic, with Thai intact", func(t *testing.T) {
		b, err := export.Bytes(export.GEXF, g)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, want := range []string{`<gexf xmlns="http://gexf.net/1.3"`, `version="1.3"`, `mode="dynamic"`, `timeformat="date"`, `start="2007-04-01"`, `start="2007-04-11"`, "ภาคีสนับสนุน", "&lt;พอช.&gt; &amp; &#34;CODI&#34;"} {
			if !strings.Contains(text, want) {
				t.Errorf("GEXF lacks %s:\n%s", want, text)
			}
		}
		var doc struct {
			Nodes []struct {
				ID    string `xml:"id,attr"`
				Label string `xml:"label,attr"`
			} `xml:"graph>nodes>node"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil || len(doc.Nodes) != 2 || doc.Nodes[0].Label != "สถาบันพัฒนาองค์กรชุมชน <พอช.> & \"CODI\"" {
			t.Fatalf("re-read: %v %+v", err, doc)
		}
	})
	t.Run("Ensure GraphML declares its keys and round-trips Thai", func(t *testing.T) {
		b, _ := export.Bytes(export.GraphML, g)
		var doc struct {
			Keys []struct {
				ID string `xml:"id,attr"`
			} `xml:"key"`
			Edges []struct {
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"graph>edge"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range doc.Edges[0].Data {
			found = found || (d.Key == "e_roleTh" && d.Value == "ภาคีสนับสนุน")
		}
		if len(doc.Keys) < 20 || !found {
			t.Fatalf("keys %d, edge data %+v", len(doc.Keys), doc.Edges)
		}
	})
	t.Run("Ensure the CSV zip holds nodes and edges that re-read", func(t *testing.T) {
		b, _ := export.Bytes(export.CSVZip, g)
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil || len(zr.File) != 2 {
			t.Fatalf("zip: %v", err)
		}
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"nodes.csv": 3, "edges.csv": 2}[f.Name]
			if len(rows) != want {
				t.Fatalf("%s has %d rows, want %d", f.Name, len(rows), want)
			}
		}
	})
	t.Run("Ensure the JSON shapes reference only their own nodes", func(t *testing.T) {
		b, _ := export.Bytes(export.Cytoscape, g)
		var cy struct {
			Nodes []struct{ Data map[string]any } `json:"nodes"`
			Edges []struct{ Data map[string]any } `json:"edges"`
		}
		if err := json.Unmarshal(b, &cy); err != nil || len(cy.Nodes) != 2 || cy.Edges[0].Data["source"] != "codi" || cy.Edges[0].Data["roleTh"] != "ภาคีสนับสนุน" {
			t.Fatalf("cytoscape: %v %s", err, b)
		}
	})
	t.Run("Ensure an unknown format is refused by name", func(t *testing.T) {
		if _, err := export.ParseFormat("pdf"); model.ErrorCode(err) != model.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
}
