// Package export writes a subgraph in the shapes visualization tools load
// as they are: Cytoscape.js elements, graphology's serialized graph, D3's
// nodes and links, GEXF 1.3 (Gephi), GraphML, and CSV. It is pure Go: it
// knows the domain model and nothing of Neo4j or HTTP.
//
// Every node carries its id, type (its label), Thai name, English name and
// every property it has (codes, address, url, agenda order and times,
// dates with their original text, version); every edge its id, type, ends
// and properties. Evidence is all there: as a list of {source, quote,
// locator, note} in the JSON shapes and as that list JSON-encoded in
// GEXF, GraphML and CSV, and, for tools that show one, the first quote
// with its source and the number of quotes. Thai text is written as UTF-8
// and escaped where XML wants it.
package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/phakhi/phakhi/domain"
)

// Format is an export format.
type Format string

const (
	Cytoscape  Format = "cytoscape"
	Graphology Format = "graphology"
	D3         Format = "d3"
	GEXF       Format = "gexf"
	GraphML    Format = "graphml"
	CSVNodes   Format = "nodes.csv"
	CSVEdges   Format = "edges.csv"
	CSVZip     Format = "csv"
)

// Formats lists every format, in a stable order.
var Formats = []Format{Cytoscape, Graphology, D3, GEXF, GraphML, CSVNodes, CSVEdges, CSVZip}

// ParseFormat reads a format name (case-insensitive).
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(string(f), s) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", domain.Invalid("format", "%q is not an export format (known: %s)", s, strings.Join(names, ", "))
}

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	switch f {
	case GEXF:
		return "application/gexf+xml; charset=utf-8"
	case GraphML:
		return "application/graphml+xml; charset=utf-8"
	case CSVNodes, CSVEdges:
		return "text/csv; charset=utf-8"
	case CSVZip:
		return "application/zip"
	}
	return "application/json; charset=utf-8"
}

// Extension is the file extension of a format.
func (f Format) Extension() string {
	switch f {
	case GEXF:
		return ".gexf"
	case GraphML:
		return ".graphml"
	case CSVNodes:
		return ".nodes.csv"
	case CSVEdges:
		return ".edges.csv"
	case CSVZip:
		return ".csv.zip"
	case Cytoscape:
		return ".cytoscape.json"
	case Graphology:
		return ".graphology.json"
	}
	return ".d3.json"
}

// attr is one attribute column: its name and GEXF/GraphML type.
type attr struct{ name, typ string }

// The attribute columns of nodes and edges, in output order. Text
// attributes that every node or edge may have are always there (empty when
// unknown); the others (postalCode … endNote) only where they have a value.
var (
	nodeAttrs = []attr{
		{"type", "string"}, {"name", "string"}, {"nameEn", "string"}, {"kind", "string"},
		{"aliases", "string"}, {"description", "string"}, {"descriptionEn", "string"},
		{"code", "string"}, {"postalCode", "string"}, {"address", "string"}, {"url", "string"},
		{"order", "int"}, {"startsAt", "string"}, {"endsAt", "string"},
		{"start", "string"}, {"startText", "string"}, {"startInferred", "boolean"}, {"startNote", "string"},
		{"end", "string"}, {"endText", "string"}, {"endInferred", "boolean"}, {"endNote", "string"},
		{"version", "int"}, {"evidence", "string"},
		{"evidenceQuote", "string"}, {"evidenceSource", "string"}, {"evidenceLocator", "string"}, {"evidenceCount", "int"},
	}
	edgeAttrs = []attr{
		{"type", "string"}, {"role", "string"}, {"roleTh", "string"}, {"description", "string"},
		{"start", "string"}, {"startText", "string"}, {"startInferred", "boolean"}, {"startNote", "string"},
		{"end", "string"}, {"endText", "string"}, {"endInferred", "boolean"}, {"endNote", "string"},
		{"version", "int"}, {"evidence", "string"},
		{"evidenceQuote", "string"}, {"evidenceSource", "string"}, {"evidenceLocator", "string"}, {"evidenceCount", "int"},
	}
)

// Node is a node flattened for export.
type Node struct {
	ID    string
	Attrs map[string]any
	Start string // ISO date, for GEXF's dynamic mode
	End   string
}

// Edge is a relationship flattened for export.
type Edge struct {
	ID, Source, Target string
	Attrs              map[string]any
	Start, End         string
}

// Graph is a subgraph flattened for export.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateISO(d *domain.PartialDate) string {
	if d == nil {
		return ""
	}
	return d.Date
}

func evidenceAttrs(a map[string]any, evs []*domain.EvidenceItem) {
	a["evidenceCount"] = len(evs)
	list := make([]domain.Evidence, len(evs))
	for i, ev := range evs {
		list[i] = domain.Evidence{Quote: ev.Quote, Locator: deref(ev.Locator), Note: deref(ev.Note)}
		if ev.Source != nil {
			list[i].Source = ev.Source.ID
		}
	}
	a["evidence"] = list
	if len(evs) == 0 {
		return
	}
	a["evidenceQuote"] = list[0].Quote
	a["evidenceLocator"] = list[0].Locator
	a["evidenceSource"] = list[0].Source
}

// dateAttrs sets start or end (the ISO date) and, where known, its
// original text, whether it is inferred, and the note on it.
func dateAttrs(a map[string]any, prefix string, d *domain.PartialDate) {
	a[prefix] = dateISO(d)
	if d == nil {
		return
	}
	putText(a, prefix+"Text", d.Text)
	if d.Inferred {
		a[prefix+"Inferred"] = true
	}
	putText(a, prefix+"Note", d.Note)
}

func putText(a map[string]any, key, v string) {
	if v != "" {
		a[key] = v
	}
}

// FromSubgraph flattens a subgraph. Edges whose ends are not both in the
// subgraph are left out.
func FromSubgraph(g *domain.Subgraph) *Graph {
	out := &Graph{}
	in := map[string]bool{}
	for _, n := range g.Nodes {
		e := n.(domain.Entitied).E()
		if in[e.ID] {
			continue
		}
		in[e.ID] = true
		a := map[string]any{
			"type": e.Label, "name": e.Name, "nameEn": deref(e.NameEn), "kind": string(e.Kind),
			"aliases": strings.Join(e.Aliases, "|"), "description": deref(e.Description),
			"descriptionEn": deref(e.DescriptionEn), "code": deref(e.Code), "version": e.Version,
		}
		putText(a, "postalCode", deref(e.PostalCode))
		putText(a, "address", deref(e.Address))
		putText(a, "url", deref(e.URL))
		if e.Order != 0 {
			a["order"] = e.Order
		}
		putText(a, "startsAt", deref(e.StartsAt))
		putText(a, "endsAt", deref(e.EndsAt))
		dateAttrs(a, "start", e.Start)
		dateAttrs(a, "end", e.End)
		evidenceAttrs(a, e.Evidence)
		out.Nodes = append(out.Nodes, Node{ID: e.ID, Attrs: a, Start: dateISO(e.Start), End: dateISO(e.End)})
	}
	seen := map[string]bool{}
	for _, r := range g.Edges {
		if !in[r.FromID] || !in[r.ToID] || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		a := map[string]any{
			"type": string(r.Type), "role": deref(r.Role), "roleTh": deref(r.RoleTh),
			"description": deref(r.Description), "version": r.Version,
		}
		dateAttrs(a, "start", r.Start)
		dateAttrs(a, "end", r.End)
		evidenceAttrs(a, r.Evidence)
		out.Edges = append(out.Edges, Edge{ID: r.ID, Source: r.FromID, Target: r.ToID, Attrs: a, Start: dateISO(r.Start), End: dateISO(r.End)})
	}
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].ID < out.Nodes[j].ID })
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].ID < out.Edges[j].ID })
	return out
}

// Write writes g in format f.
func Write(w io.Writer, f Format, g *Graph) error {
	switch f {
	case Cytoscape:
		return json.NewEncoder(w).Encode(CytoscapeJSON(g))
	case Graphology:
		return json.NewEncoder(w).Encode(GraphologyJSON(g))
	case D3:
		return json.NewEncoder(w).Encode(D3JSON(g))
	case GEXF:
		return writeGEXF(w, g)
	case GraphML:
		return writeGraphML(w, g)
	case CSVNodes:
		return writeCSV(w, g, true)
	case CSVEdges:
		return writeCSV(w, g, false)
	case CSVZip:
		return writeZip(w, g)
	}
	return domain.Invalid("format", "%q is not an export format", f)
}

// Bytes is Write into memory.
func Bytes(f Format, g *Graph) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, f, g); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func withID(id string, attrs map[string]any) map[string]any {
	m := make(map[string]any, len(attrs)+1)
	for k, v := range attrs {
		m[k] = v
	}
	m["id"] = id
	return m
}

// CytoscapeJSON is the `elements` object Cytoscape.js takes:
// cytoscape({elements: ...}).
func CytoscapeJSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, map[string]any{"group": "nodes", "data": withID(n.ID, n.Attrs)})
	}
	edges := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		d := withID(e.ID, e.Attrs)
		d["source"], d["target"] = e.Source, e.Target
		edges = append(edges, map[string]any{"group": "edges", "data": d})
	}
	return map[string]any{"nodes": nodes, "edges": edges}
}

// GraphologyJSON is graphology's serialized graph: Graph.from(json).
func GraphologyJSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, map[string]any{"key": n.ID, "attributes": n.Attrs})
	}
	edges := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		edges = append(edges, map[string]any{"key": e.ID, "source": e.Source, "target": e.Target, "attributes": e.Attrs})
	}
	return map[string]any{
		"options":    map[string]any{"type": "directed", "multi": true, "allowSelfLoops": true},
		"attributes": map[string]any{"name": "Phakhi"},
		"nodes":      nodes,
		"edges":      edges,
	}
}

// D3JSON is D3's force-layout shape: {nodes: [{id}], links: [{source, target}]}.
func D3JSON(g *Graph) map[string]any {
	nodes := make([]map[string]any, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes = append(nodes, withID(n.ID, n.Attrs))
	}
	links := make([]map[string]any, 0, len(g.Edges))
	for _, e := range g.Edges {
		l := withID(e.ID, e.Attrs)
		l["source"], l["target"] = e.Source, e.Target
		links = append(links, l)
	}
	return map[string]any{"nodes": nodes, "links": links}
}

// str is an attribute's value as text, for XML and CSV: a list (the
// evidence) as JSON, Thai and markup characters written as they are (the
// XML and CSV writers escape what they must).
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []domain.Evidence:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x) // a list of strings always encodes
		return strings.TrimSuffix(b.String(), "\n")
	default:
		return fmt.Sprint(x)
	}
}

// ------------------------------------------------------------------ GEXF

type gexfDoc struct {
	XMLName xml.Name  `xml:"gexf"`
	XMLNS   string    `xml:"xmlns,attr"`
	XSI     string    `xml:"xmlns:xsi,attr"`
	Schema  string    `xml:"xsi:schemaLocation,attr"`
	Version string    `xml:"version,attr"`
	Meta    gexfMeta  `xml:"meta"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	LastModified string `xml:"lastmodifieddate,attr"`
	Creator      string `xml:"creator"`
	Description  string `xml:"description"`
}

type gexfGraph struct {
	Mode       string      `xml:"mode,attr"`
	EdgeType   string      `xml:"defaultedgetype,attr"`
	TimeFormat string      `xml:"timeformat,attr,omitempty"`
	Attributes []gexfAttrs `xml:"attributes"`
	Nodes      []gexfNode  `xml:"nodes>node"`
	Edges      []gexfEdge  `xml:"edges>edge"`
}

type gexfAttrs struct {
	Class string     `xml:"class,attr"`
	Attrs []gexfAttr `xml:"attribute"`
}

type gexfAttr struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfNode struct {
	ID     string      `xml:"id,attr"`
	Label  string      `xml:"label,attr"`
	Start  string      `xml:"start,attr,omitempty"`
	End    string      `xml:"end,attr,omitempty"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfEdge struct {
	ID     string      `xml:"id,attr"`
	Source string      `xml:"source,attr"`
	Target string      `xml:"target,attr"`
	Label  string      `xml:"label,attr"`
	Start  string      `xml:"start,attr,omitempty"`
	End    string      `xml:"end,attr,omitempty"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

func gexfType(t string) string {
	if t == "int" {
		return "integer"
	}
	return t
}

// gexfDate widens a partial ISO date to a day, as GEXF's date type wants:
// a start takes the first day, an end the last.
func gexfDate(iso string, end bool) string {
	switch len(iso) {
	case 4:
		if end {
			return iso + "-12-31"
		}
		return iso + "-01-01"
	case 7:
		if end {
			t, err := time.Parse("2006-01", iso)
			if err == nil {
				return t.AddDate(0, 1, -1).Format("2006-01-02")
			}
		}
		return iso + "-01"
	}
	return iso
}

func writeGEXF(w io.Writer, g *Graph) error {
	doc := gexfDoc{
		XMLNS:   "http://gexf.net/1.3",
		XSI:     "http://www.w3.org/2001/XMLSchema-instance",
		Schema:  "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
		Version: "1.3",
		Meta: gexfMeta{LastModified: time.Now().UTC().Format("2006-01-02"), Creator: "Phakhi",
			Description: "A subgraph of the Phakhi knowledge graph of Thailand's community finance and welfare movement"},
		Graph: gexfGraph{Mode: "static", EdgeType: "directed"},
	}
	dynamic := false
	na := gexfAttrs{Class: "node"}
	for i, a := range nodeAttrs {
		na.Attrs = append(na.Attrs, gexfAttr{ID: fmt.Sprint(i), Title: a.name, Type: gexfType(a.typ)})
	}
	ea := gexfAttrs{Class: "edge"}
	for i, a := range edgeAttrs {
		ea.Attrs = append(ea.Attrs, gexfAttr{ID: fmt.Sprint(i), Title: a.name, Type: gexfType(a.typ)})
	}
	doc.Graph.Attributes = []gexfAttrs{na, ea}
	for _, n := range g.Nodes {
		gn := gexfNode{ID: n.ID, Label: str(n.Attrs["name"])}
		if n.Start != "" {
			gn.Start, dynamic = gexfDate(n.Start, false), true
			gn.End = gexfDate(n.Start, true)
		}
		if n.End != "" {
			gn.End = gexfDate(n.End, true)
		}
		for i, a := range nodeAttrs {
			if v := str(n.Attrs[a.name]); v != "" {
				gn.Values = append(gn.Values, gexfValue{For: fmt.Sprint(i), Value: v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gn)
	}
	for _, e := range g.Edges {
		ge := gexfEdge{ID: e.ID, Source: e.Source, Target: e.Target, Label: str(e.Attrs["type"])}
		if e.Start != "" {
			ge.Start, dynamic = gexfDate(e.Start, false), true
		}
		if e.End != "" {
			ge.End, dynamic = gexfDate(e.End, true), true
		}
		for i, a := range edgeAttrs {
			if v := str(e.Attrs[a.name]); v != "" {
				ge.Values = append(ge.Values, gexfValue{For: fmt.Sprint(i), Value: v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ge)
	}
	if dynamic {
		doc.Graph.Mode, doc.Graph.TimeFormat = "dynamic", "date"
	}
	return writeXML(w, doc)
}

func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// ------------------------------------------------------------------ GraphML

type graphmlDoc struct {
	XMLName xml.Name     `xml:"graphml"`
	XMLNS   string       `xml:"xmlns,attr"`
	XSI     string       `xml:"xmlns:xsi,attr"`
	Schema  string       `xml:"xsi:schemaLocation,attr"`
	Keys    []graphmlKey `xml:"key"`
	Graph   graphmlGraph `xml:"graph"`
}

type graphmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphmlGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphmlNode `xml:"node"`
	Edges       []graphmlEdge `xml:"edge"`
}

type graphmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type graphmlNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphmlData `xml:"data"`
}

type graphmlEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphmlData `xml:"data"`
}

func writeGraphML(w io.Writer, g *Graph) error {
	doc := graphmlDoc{
		XMLNS:  "http://graphml.graphdrawing.org/xmlns",
		XSI:    "http://www.w3.org/2001/XMLSchema-instance",
		Schema: "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
		Graph:  graphmlGraph{ID: "phakhi", EdgeDefault: "directed"},
	}
	for _, a := range nodeAttrs {
		doc.Keys = append(doc.Keys, graphmlKey{ID: "n_" + a.name, For: "node", Name: a.name, Type: a.typ})
	}
	for _, a := range edgeAttrs {
		doc.Keys = append(doc.Keys, graphmlKey{ID: "e_" + a.name, For: "edge", Name: a.name, Type: a.typ})
	}
	for _, n := range g.Nodes {
		gn := graphmlNode{ID: n.ID}
		for _, a := range nodeAttrs {
			if v := str(n.Attrs[a.name]); v != "" {
				gn.Data = append(gn.Data, graphmlData{Key: "n_" + a.name, Value: v})
			}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gn)
	}
	for _, e := range g.Edges {
		ge := graphmlEdge{ID: e.ID, Source: e.Source, Target: e.Target}
		for _, a := range edgeAttrs {
			if v := str(e.Attrs[a.name]); v != "" {
				ge.Data = append(ge.Data, graphmlData{Key: "e_" + a.name, Value: v})
			}
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ge)
	}
	return writeXML(w, doc)
}

// ------------------------------------------------------------------ CSV

func writeCSV(w io.Writer, g *Graph, nodes bool) error {
	// a BOM lets spreadsheet programs read the Thai as UTF-8
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if nodes {
		header := []string{"id"}
		for _, a := range nodeAttrs {
			header = append(header, a.name)
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, n := range g.Nodes {
			row := []string{n.ID}
			for _, a := range nodeAttrs {
				row = append(row, str(n.Attrs[a.name]))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	} else {
		header := []string{"id", "source", "target"}
		for _, a := range edgeAttrs {
			header = append(header, a.name)
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, e := range g.Edges {
			row := []string{e.ID, e.Source, e.Target}
			for _, a := range edgeAttrs {
				row = append(row, str(e.Attrs[a.name]))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeZip(w io.Writer, g *Graph) error {
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		nodes bool
	}{{"nodes.csv", true}, {"edges.csv", false}} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if err := writeCSV(fw, g, f.nodes); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Filename names an export file after its scope.
func Filename(sc domain.Scope, f Format) string {
	name := "phakhi-graph"
	switch {
	case sc.Around != "":
		name = fmt.Sprintf("phakhi-around-%s-depth%d", sc.Around, sc.Depth)
	case sc.PathFrom != "":
		name = fmt.Sprintf("phakhi-paths-%s-%s", sc.PathFrom, sc.PathTo)
	case len(sc.Labels) > 0 || len(sc.Types) > 0:
		name = "phakhi-subgraph"
	}
	return name + f.Extension()
}
