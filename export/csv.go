package export

import (
	"archive/zip"
	"encoding/csv"
	"io"
)

// The CSV formats: a table of nodes, a table of edges, and both in one zip.
// A row is an id (and for an edge its source and target) and then one
// column per attribute.
const (
	CSVNodes Format = "nodes.csv"
	CSVEdges Format = "edges.csv"
	CSVZip   Format = "csv"
)

// The row of the table of formats (format.go).
var (
	_ = register(spec{format: CSVNodes, graphQL: "CSV_NODES", contentType: csvType, extension: ".nodes.csv", write: writeNodesCSV})
	_ = register(spec{format: CSVEdges, graphQL: "CSV_EDGES", contentType: csvType, extension: ".edges.csv", write: writeEdgesCSV})
	_ = register(spec{format: CSVZip, graphQL: "CSV_ZIP", contentType: "application/zip", extension: ".csv.zip", write: writeZip, binary: true})
)

func writeNodesCSV(w io.Writer, g *Graph) error {
	header := []string{"id"}
	for _, a := range nodeAttrs {
		header = append(header, a.name)
	}
	rows := make([][]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		row := []string{n.ID}
		for _, a := range nodeAttrs {
			row = append(row, str(n.Attrs[a.name]))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, header, rows)
}

func writeEdgesCSV(w io.Writer, g *Graph) error {
	header := []string{"id", "source", "target"}
	for _, a := range edgeAttrs {
		header = append(header, a.name)
	}
	rows := make([][]string, 0, len(g.Edges))
	for _, e := range g.Edges {
		row := []string{e.ID, e.Source, e.Target}
		for _, a := range edgeAttrs {
			row = append(row, str(e.Attrs[a.name]))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, header, rows)
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	// a BOM lets spreadsheet programs read the Thai as UTF-8
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	return cw.WriteAll(rows) // WriteAll flushes
}

// writeZip writes nodes.csv and edges.csv into one zip.
func writeZip(w io.Writer, g *Graph) error {
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(io.Writer, *Graph) error
	}{{"nodes.csv", writeNodesCSV}, {"edges.csv", writeEdgesCSV}} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if err := f.write(fw, g); err != nil {
			return err
		}
	}
	return zw.Close()
}
