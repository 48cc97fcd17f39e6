package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/export"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func sample() *export.Graph {
	s := func(v string) *string { return &v }
	src := &domain.Source{Entity: domain.Entity{ID: "src", Label: "Source", Name: "บันทึก"}}
	codi := &domain.Agency{Entity: domain.Entity{ID: "codi", Label: "Agency", Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน <พอช.> & \"CODI\"",
		NameEn: s("Community Organizations Development Institute"), Aliases: []string{"พอช.", "CODI"},
		Evidence: []*domain.EvidenceItem{{Source: src, Quote: "-สถาบันพัฒนาองค์กรชุมชน", Locator: s("post, agenda")}}}}
	ev := &domain.Event{Entity: domain.Entity{ID: "ev", Label: "Event", Kind: "MEETING", Name: "ประชุม 11 เมษายน 2550",
		Start: &domain.PartialDate{Date: "2007-04-11"}}}
	rel := &domain.Relationship{ID: "codi>PARTICIPATES_IN>ev", Type: "PARTICIPATES_IN", FromID: "codi", ToID: "ev",
		Role: s("SUPPORT_PARTNER"), RoleTh: s("ภาคีสนับสนุน"), Start: &domain.PartialDate{Date: "2007-04"},
		Evidence: []*domain.EvidenceItem{{Source: src, Quote: "โดยภาคีสนับสนุน"}}}
	dangling := &domain.Relationship{ID: "x", Type: "PART_OF", FromID: "codi", ToID: "elsewhere"}
	return export.FromSubgraph(&domain.Subgraph{Nodes: []domain.Node{codi, ev}, Edges: []*domain.Relationship{rel, dangling}})
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
		// the file is cy.json()'s: the elements under "elements"
		var file struct {
			Elements struct {
				Nodes []struct{ Data map[string]any } `json:"nodes"`
				Edges []struct{ Data map[string]any } `json:"edges"`
			} `json:"elements"`
		}
		cy := &file.Elements
		if err := json.Unmarshal(b, &file); err != nil || len(cy.Nodes) != 2 || cy.Edges[0].Data["source"] != "codi" || cy.Edges[0].Data["roleTh"] != "ภาคีสนับสนุน" {
			t.Fatalf("cytoscape: %v %s", err, b)
		}
		// the GraphQL field's value is the elements object alone
		v, err := export.JSON(export.Cytoscape, g)
		if err != nil || len(v.(map[string]any)["nodes"].([]map[string]any)) != 2 {
			t.Fatalf("cytoscape JSON: %v %v", err, v)
		}
	})
	t.Run("Ensure every evidence item and property is exported, in every format", func(t *testing.T) {
		s := func(v string) *string { return &v }
		src := &domain.Source{Entity: domain.Entity{ID: "src", Label: "Source", Name: "บันทึก"}}
		session := &domain.AgendaSession{Entity: domain.Entity{ID: "s5", Label: "AgendaSession", Name: "เสวนา", Order: 5, StartsAt: s("10:00"), EndsAt: s("12:00"), Version: 3,
			Start:    &domain.PartialDate{Date: "2007-04-11", Text: "11 เมษายน 2550", Inferred: true, Note: "ปีจากบันทึก"},
			Evidence: []*domain.EvidenceItem{{Source: src, Quote: "เสวนา \"การขับเคลื่อน\" <โดย> & ภาคี"}, {Source: src, Quote: "-สถาบันพัฒนาองค์กรชุมชน", Locator: s("agenda"), Note: s("อนุมาน")}}}}
		tower := &domain.Venue{Entity: domain.Entity{ID: "tower", Label: "Venue", Name: "อาคาร", Address: s("ถนนพหลโยธิน"), PostalCode: s("10400"), URL: s("https://example.org/?a=1&b=2"), Version: 1}}
		g := export.FromSubgraph(&domain.Subgraph{Nodes: []domain.Node{session, tower}})
		wantList := `[{"source":"src","quote":"เสวนา \"การขับเคลื่อน\" <โดย> & ภาคี"},{"source":"src","quote":"-สถาบันพัฒนาองค์กรชุมชน","locator":"agenda","note":"อนุมาน"}]`
		want := map[string]map[string]string{
			"s5": {"order": "5", "startsAt": "10:00", "endsAt": "12:00", "version": "3", "start": "2007-04-11", "startText": "11 เมษายน 2550",
				"startInferred": "true", "startNote": "ปีจากบันทึก", "evidence": wantList, "evidenceCount": "2"},
			"tower": {"address": "ถนนพหลโยธิน", "postalCode": "10400", "url": "https://example.org/?a=1&b=2", "version": "1", "evidence": "[]"},
		}
		check := func(format string, got map[string]map[string]string) {
			t.Helper()
			for id, attrs := range want {
				for k, v := range attrs {
					if got[id][k] != v {
						t.Errorf("%s: %s.%s = %q, want %q", format, id, k, got[id][k], v)
					}
				}
			}
		}
		// GraphML re-read with encoding/xml: the text of every data element by key
		b, err := export.Bytes(export.GraphML, g)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"graph>node"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]string{}
		for _, n := range doc.Nodes {
			got[n.ID] = map[string]string{}
			for _, d := range n.Data {
				got[n.ID][strings.TrimPrefix(d.Key, "n_")] = d.Value
			}
		}
		check("GraphML", got)
		// CSV: the same text in the columns
		b, _ = export.Bytes(export.CSVNodes, g)
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("CSV: %v, %d rows", err, len(rows))
		}
		got = map[string]map[string]string{}
		for _, row := range rows[1:] {
			got[row[0]] = map[string]string{}
			for i, h := range rows[0] {
				got[row[0]][h] = row[i]
			}
		}
		check("CSV", got)
		// JSON: the evidence as a list
		b, _ = export.Bytes(export.Graphology, g)
		var gj struct {
			Nodes []struct {
				Key        string
				Attributes map[string]any
			}
		}
		if err := json.Unmarshal(b, &gj); err != nil {
			t.Fatal(err)
		}
		list, _ := json.Marshal(gj.Nodes[0].Attributes["evidence"])
		var a, w any
		_ = json.Unmarshal(list, &a)
		_ = json.Unmarshal([]byte(wantList), &w)
		if gj.Nodes[0].Key != "s5" || !reflect.DeepEqual(a, w) || gj.Nodes[0].Attributes["order"] != float64(5) || gj.Nodes[0].Attributes["startInferred"] != true {
			t.Errorf("graphology node = %+v", gj.Nodes[0])
		}
	})

	t.Run("Ensure an unknown format is refused by name", func(t *testing.T) {
		if _, err := export.ParseFormat("pdf"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
}

// schemaEnum is the values of an enum of the root schema.graphqls.
func schemaEnum(tb testing.TB, name string) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "schema.graphqls"))
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema.graphqls", Input: string(b)})
	if err != nil {
		tb.Fatal(err)
	}
	def := doc.Definitions.ForName(name)
	if def == nil || def.Kind != ast.Enum {
		tb.Fatalf("schema.graphqls has no enum %s", name)
	}
	var out []string
	for _, v := range def.EnumValues {
		out = append(out, v.Name)
	}
	return out
}

func TestFormats(t *testing.T) {
	t.Run("Ensure the URL names stay what GET /export/{format} takes", func(t *testing.T) {
		var got []string
		for _, f := range export.Formats {
			got = append(got, string(f))
		}
		want := []string{"edges.csv", "nodes.csv", "csv", "cytoscape", "d3", "gexf", "graphml", "graphology"} // by GraphQL name
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Formats = %v, want %v", got, want)
		}
		for _, f := range export.Formats {
			if p, err := export.ParseFormat(strings.ToUpper(string(f))); err != nil || p != f {
				t.Errorf("ParseFormat(%q) = %q, %v", strings.ToUpper(string(f)), p, err)
			}
		}
	})
	t.Run("Ensure every ExportFormat of the schema reads to a format and writes back", func(t *testing.T) {
		names := schemaEnum(t, "ExportFormat")
		if len(names) != len(export.Formats) {
			t.Fatalf("the schema has %d ExportFormat values %v, the table %d formats", len(names), names, len(export.Formats))
		}
		seen := map[export.Format]bool{}
		for _, name := range names {
			var f export.Format
			if err := f.UnmarshalGQL(name); err != nil {
				t.Fatalf("UnmarshalGQL(%s): %v", name, err)
			}
			var b bytes.Buffer
			f.MarshalGQL(&b)
			if b.String() != `"`+name+`"` || seen[f] {
				t.Errorf("%s read as %q, written as %s", name, f, b.String())
			}
			seen[f] = true
		}
		var f export.Format
		if err := f.UnmarshalGQL("cytoscape"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("UnmarshalGQL took a URL name for a GraphQL one: %v", err)
		}
	})
	t.Run("Ensure each format has its content type and extension, and only the zip is binary", func(t *testing.T) {
		want := map[export.Format][2]string{
			export.Cytoscape: {"application/json; charset=utf-8", ".cytoscape.json"}, export.Graphology: {"application/json; charset=utf-8", ".graphology.json"},
			export.D3: {"application/json; charset=utf-8", ".d3.json"}, export.GEXF: {"application/gexf+xml; charset=utf-8", ".gexf"},
			export.GraphML: {"application/graphml+xml; charset=utf-8", ".graphml"}, export.CSVNodes: {"text/csv; charset=utf-8", ".nodes.csv"},
			export.CSVEdges: {"text/csv; charset=utf-8", ".edges.csv"}, export.CSVZip: {"application/zip", ".csv.zip"},
		}
		for _, f := range export.Formats {
			if got := [2]string{f.ContentType(), f.Extension()}; got != want[f] {
				t.Errorf("%s: %v, want %v", f, got, want[f])
			}
			if f.Binary() != (f == export.CSVZip) {
				t.Errorf("%s: Binary() = %v", f, f.Binary())
			}
		}
	})
	t.Run("Ensure the JSON value of a JSON format is its file (Cytoscape's under elements), and other formats have none", func(t *testing.T) {
		g := sample()
		for _, f := range export.Formats {
			v, err := export.JSON(f, g)
			if !strings.HasPrefix(f.ContentType(), "application/json") {
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Errorf("%s: JSON gave %v", f, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			file, _ := export.Bytes(f, g)
			if f == export.Cytoscape { // cy.json()'s file: {"elements": value}
				v = map[string]any{"elements": v}
			}
			value, _ := json.Marshal(v)
			if string(file) != string(value)+"\n" {
				t.Errorf("%s: the file is\n%s\nthe value\n%s", f, file, value)
			}
		}
		if _, err := export.Bytes("pdf", g); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("Bytes(pdf) = %v", err)
		}
	})
}
