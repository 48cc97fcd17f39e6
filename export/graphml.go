package export

import (
	"encoding/xml"
	"io"
)

// GraphML is GraphML with typed keys for every attribute.
const GraphML Format = "graphml"

// The row of the table of formats (format.go).
var _ = register(spec{format: GraphML, graphQL: "GRAPHML", contentType: "application/graphml+xml; charset=utf-8", extension: ".graphml", write: writeGraphML})

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
