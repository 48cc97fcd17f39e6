package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// GEXF is GEXF 1.3, for Gephi: dynamic (start/end) where the data has
// dates.
const GEXF Format = "gexf"

// The row of the table of formats (format.go).
var _ = register(spec{format: GEXF, graphQL: "GEXF", contentType: "application/gexf+xml; charset=utf-8", extension: ".gexf", write: writeGEXF})

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
