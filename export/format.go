// Package export writes a subgraph in the shapes visualization tools load
// as they are: Cytoscape.js elements, graphology's serialized graph, D3's
// nodes and links, GEXF 1.3 (Gephi), GraphML, and CSV. It is pure Go: it
// knows the domain model and nothing of Neo4j or HTTP.
//
// Every node carries its id, type (its label), Thai name, English name and
// every property it has (codes, address, url, agenda order and times,
// dates with their original text, assertion status and basis, version);
// every edge its id, type, ends, status and basis
// and properties. Evidence is all there: as a list of {source, quote,
// locator, note} in the JSON shapes and as that list JSON-encoded in
// GEXF, GraphML and CSV, and, for tools that show one, the first quote
// with its source and the number of quotes. Thai text is written as UTF-8
// and escaped where XML wants it.
//
// This file holds the table of formats; graph.go the flattened graph every
// format writes; each format has its own file, which registers its row.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Format is an export format. Its value is the name GET /export/{format}
// takes; in GraphQL it is the ExportFormat enum, whose names the table
// holds (MarshalGQL and UnmarshalGQL read and write them).
type Format string

// spec is one format: all that the package, the HTTP handler and the
// GraphQL layer know of it.
type spec struct {
	format      Format // its value is the URL name
	graphQL     string // its name in the GraphQL ExportFormat enum
	contentType string
	extension   string
	// write writes the file; nil for a JSON format whose file is its
	// json value, encoded (Cytoscape's wraps it in "elements").
	write func(io.Writer, *Graph) error
	// json is the value the GraphQL JSON fields (cytoscape, graphology,
	// d3) return; nil for a format that is not JSON.
	json func(*Graph) map[string]any
	// binary: GraphQL carries the file base64-encoded, not as text.
	binary bool
}

const (
	jsonType = "application/json; charset=utf-8"
	csvType  = "text/csv; charset=utf-8"
)

// formats is the table of formats. Each format's file adds its row
// (register), as database/sql drivers and image formats register
// themselves: a new format is its own file and the value of the GraphQL
// ExportFormat enum, nothing else. init sorts the rows by GraphQL name:
// Go initializes the files' variables in an order their dependencies
// decide, not the order of the files.
var formats []spec

// register adds a format's row to the table.
func register(s spec) Format {
	formats = append(formats, s)
	return s.format
}

// Formats lists every format, in a stable order (filled once every
// file's row is in: init functions run after all package variables).
var Formats []Format

func init() {
	slices.SortFunc(formats, func(a, b spec) int { return strings.Compare(a.graphQL, b.graphQL) })
	for _, s := range formats {
		Formats = append(Formats, s.format)
	}
}

// lookup finds a format's entry in the table.
func lookup(f Format) (*spec, bool) {
	for i := range formats {
		if formats[i].format == f {
			return &formats[i], true
		}
	}
	return nil, false
}

func unknown(f Format) error {
	return domain.Invalid("format", "%q is not an export format", string(f))
}

// ParseFormat reads a format's URL name (case-insensitive).
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
	if s, ok := lookup(f); ok {
		return s.contentType
	}
	return "application/octet-stream"
}

// Extension is the file extension of a format.
func (f Format) Extension() string {
	if s, ok := lookup(f); ok {
		return s.extension
	}
	return ""
}

// Binary reports whether a format's files are binary (the CSV zip), so
// that GraphQL carries them base64-encoded.
func (f Format) Binary() bool {
	s, ok := lookup(f)
	return ok && s.binary
}

// MarshalGQL writes the format's name in the GraphQL ExportFormat enum.
func (f Format) MarshalGQL(w io.Writer) {
	name := string(f)
	if s, ok := lookup(f); ok {
		name = s.graphQL
	}
	_, _ = io.WriteString(w, strconv.Quote(name))
}

// UnmarshalGQL reads a name of the GraphQL ExportFormat enum.
func (f *Format) UnmarshalGQL(v any) error {
	name, ok := v.(string)
	if !ok {
		return domain.Invalid("format", "an export format is an ExportFormat name, not %T", v)
	}
	for _, s := range formats {
		if s.graphQL == name {
			*f = s.format
			return nil
		}
	}
	return domain.Invalid("format", "%q is not an ExportFormat", name)
}

// Write writes g in format f.
func Write(w io.Writer, f Format, g *Graph) error {
	s, ok := lookup(f)
	switch {
	case !ok:
		return unknown(f)
	case s.write != nil:
		return s.write(w, g)
	}
	return json.NewEncoder(w).Encode(s.json(g))
}

// Bytes is Write into memory.
func Bytes(f Format, g *Graph) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, f, g); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// JSON is g in a JSON format as a value, as the GraphQL JSON fields return
// it; a format that is not JSON has none.
func JSON(f Format, g *Graph) (any, error) {
	s, ok := lookup(f)
	if !ok {
		return nil, unknown(f)
	}
	if s.json == nil {
		return nil, domain.Invalid("format", "%s is not a JSON format", string(f))
	}
	return s.json(g), nil
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
