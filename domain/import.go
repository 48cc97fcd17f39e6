package domain

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Problem is one bad record of an import.
type Problem struct {
	Line   int // 1-based line in the file; 0 when unknown
	Record string
	Field  string
	Reason string
}

// Lines maps records to the lines they start on.
type Lines struct {
	Nodes []int
	Rels  []int
}

func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// lineCounter finds the lines of increasing offsets, counting the newlines
// between one offset and the next only: lineAt for every record counts
// from the start each time, quadratic in the bundle's size (13 s for
// 30,000 records of one 9 MiB line).
type lineCounter struct {
	data   []byte
	offset int64 // counted up to here
	line   int   // the line at offset
}

func (c *lineCounter) at(offset int64) int {
	offset = min(offset, int64(len(c.data)))
	if offset < c.offset {
		return lineAt(c.data, offset)
	}
	c.line += bytes.Count(c.data[c.offset:offset], []byte("\n"))
	c.offset = offset
	return c.line
}

// ParseBundleJSON reads a JSON bundle and the line each record starts on.
// A syntax error is one problem with its line.
func ParseBundleJSON(data []byte) (*Bundle, Lines, []Problem) {
	var b Bundle
	var lines Lines
	lc := &lineCounter{data: data, line: 1}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	fail := func(err error) (*Bundle, Lines, []Problem) {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		line := lineAt(data, dec.InputOffset())
		switch {
		case errors.As(err, &se):
			line = lineAt(data, se.Offset)
		case errors.As(err, &te):
			line = lineAt(data, te.Offset)
		}
		return nil, lines, []Problem{{Line: line, Record: "bundle", Reason: "not a bundle: " + err.Error()}}
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fail(fmt.Errorf(`want an object {"nodes": [...], "relationships": [...]}`))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		if key != "nodes" && key != "relationships" {
			return fail(fmt.Errorf("unknown field %q (want nodes and relationships)", key))
		}
		if tok, err = dec.Token(); err != nil {
			return fail(err)
		}
		if tok == nil {
			continue // null, as encoding/json writes an empty list (an export with no relationships)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return fail(fmt.Errorf("%s must be an array", key))
		}
		for dec.More() {
			// the record starts after the separator the decoder has consumed
			start := dec.InputOffset()
			rest := data[start:]
			skip := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n,"))
			line := lc.at(start + int64(skip))
			if key == "nodes" {
				var n NodeRecord
				if err := dec.Decode(&n); err != nil {
					return fail(err)
				}
				b.Nodes = append(b.Nodes, n)
				lines.Nodes = append(lines.Nodes, line)
			} else {
				var r RelRecord
				if err := dec.Decode(&r); err != nil {
					return fail(err)
				}
				b.Relationships = append(b.Relationships, r)
				lines.Rels = append(lines.Rels, line)
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
	}
	// the closing brace, then nothing: a cut or concatenated file is not a bundle
	if _, err := dec.Token(); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(fmt.Errorf("more data after the bundle's closing brace"))
	}
	return &b, lines, nil
}

// Problems validates every record and lists every problem (Validate stops
// at the first).
func (b *Bundle) Problems(lines Lines) []Problem {
	var out []Problem
	add := func(err error, line int, record string) {
		var e *Error
		if errors.As(err, &e) {
			field := e.Field
			if i := strings.Index(field, "."); i >= 0 && strings.HasPrefix(field, record) {
				field = field[i+1:]
			}
			out = append(out, Problem{Line: line, Record: record, Field: field, Reason: e.Message})
			return
		}
		out = append(out, Problem{Line: line, Record: record, Reason: err.Error()})
	}
	at := func(l []int, i int) int {
		if i < len(l) {
			return l[i]
		}
		return 0
	}
	seen := map[string]int{}
	for i := range b.Nodes {
		rec := fmt.Sprintf("nodes[%d]", i)
		if err := b.Nodes[i].Validate(rec); err != nil {
			add(err, at(lines.Nodes, i), rec)
		} else if len(b.Nodes[i].Evidence) == 0 {
			out = append(out, Problem{Line: at(lines.Nodes, i), Record: rec, Field: "evidence", Reason: "is empty: every fact is cited"})
		}
		if j, dup := seen[b.Nodes[i].ID]; dup {
			out = append(out, Problem{Line: at(lines.Nodes, i), Record: rec, Field: "id", Reason: fmt.Sprintf("%q appears twice (first in nodes[%d])", b.Nodes[i].ID, j)})
		}
		seen[b.Nodes[i].ID] = i
	}
	rels := map[string]int{}
	for i := range b.Relationships {
		rec := fmt.Sprintf("relationships[%d]", i)
		r := &b.Relationships[i]
		if err := r.Validate(rec); err != nil {
			add(err, at(lines.Rels, i), rec)
		} else if len(r.Evidence) == 0 {
			out = append(out, Problem{Line: at(lines.Rels, i), Record: rec, Field: "evidence", Reason: "is empty: every fact is cited"})
		}
		if j, dup := rels[r.RelID()]; dup {
			out = append(out, Problem{Line: at(lines.Rels, i), Record: rec, Field: "id", Reason: fmt.Sprintf("relationship %q appears twice (first in relationships[%d])", r.RelID(), j)})
		}
		rels[r.RelID()] = i
	}
	return out
}

// CSV columns, as the CSV export writes them (the first four are needed;
// the export writes more: status and basis, startText, startInferred,
// startNote and the same for end, the nodes' postalCode, address, url, order, startsAt and
// endsAt, and evidence, every item as a JSON list).
var (
	nodeColumns = []string{"id", "type", "name", "nameEn", "kind", "aliases", "description", "descriptionEn", "code", "start", "end", "evidenceQuote", "evidenceSource", "evidenceLocator"}
	edgeColumns = []string{"id", "source", "target", "type", "role", "roleTh", "description", "start", "end", "evidenceQuote", "evidenceSource", "evidenceLocator"}
)

// ParseCSV reads nodes and edges CSV files (either may be empty) into a
// bundle, with every unreadable row as a problem with its line. Dates may
// be ISO or Thai; a startText (endText) column keeps the source's wording
// of an ISO start, and startInferred and startNote say how it was
// inferred. The evidence column, a JSON list of {source, quote, locator,
// note}, holds every item; without it the evidenceQuote, evidenceSource
// and evidenceLocator columns give one.
func ParseCSV(nodes, edges string) (*Bundle, Lines, []Problem) {
	b := &Bundle{}
	var lines Lines
	problems := readCSV("nodes.csv", nodes, nodeColumns, func(line int, get func(string) string) error {
		n, err := csvNode(get)
		if err != nil {
			return err
		}
		b.Nodes = append(b.Nodes, n)
		lines.Nodes = append(lines.Nodes, line)
		return nil
	})
	problems = append(problems, readCSV("edges.csv", edges, edgeColumns, func(line int, get func(string) string) error {
		r, err := csvEdge(get)
		if err != nil {
			return err
		}
		b.Relationships = append(b.Relationships, r)
		lines.Rels = append(lines.Rels, line)
		return nil
	})...)
	return b, lines, problems
}

// readCSV reads the CSV file named file, its header (csvHeader) then
// every row, handing each to row with its line and a reader of its
// columns by name. The problems are a header lacking a needed column, or
// rows that are not CSV or that row refuses.
func readCSV(file, text string, want []string, row func(line int, get func(string) string) error) []Problem {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff")))
	r.FieldsPerRecord = -1
	col, problem := csvHeader(r, file, want)
	if problem != nil {
		return []Problem{*problem}
	}
	var problems []Problem
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return problems
		}
		if err != nil {
			// (no FieldPos here: after a bad first field there is none)
			var pe *csv.ParseError
			l := 0
			if errors.As(err, &pe) {
				l = pe.Line
			}
			problems = append(problems, Problem{Line: l, Record: file, Reason: err.Error()})
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if err := row(line, get); err != nil {
			var e *Error
			field, reason := "", err.Error()
			if errors.As(err, &e) {
				field, reason = e.Field, e.Message
			}
			problems = append(problems, Problem{Line: line, Record: fmt.Sprintf("%s line %d", file, line), Field: field, Reason: reason})
		}
	}
}

// csvHeader reads the header row: the index of each column by name. The
// first four columns of want are needed (an edge's id aside: it can be
// derived).
func csvHeader(r *csv.Reader, file string, want []string) (map[string]int, *Problem) {
	header, err := r.Read()
	if err != nil {
		return nil, &Problem{Line: 1, Record: file, Reason: "no header row: " + err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range want[:4] {
		if _, ok := col[c]; !ok && !(file == "edges.csv" && c == "id") {
			return nil, &Problem{Line: 1, Record: file, Field: c, Reason: "the header lacks this column (want " + strings.Join(want, ",") + ")"}
		}
	}
	return col, nil
}

// csvNode reads a row of nodes.csv.
func csvNode(get func(string) string) (NodeRecord, error) {
	n := NodeRecord{ID: get("id"), Label: get("type"), Kind: get("kind"), Name: get("name"), NameEn: get("nameEn"),
		Description: get("description"), DescriptionEn: get("descriptionEn"), Code: get("code"),
		PostalCode: get("postalCode"), Address: get("address"), URL: get("url"), StartsAt: get("startsAt"), EndsAt: get("endsAt"),
		Status: AssertionStatus(get("status")), Basis: get("basis")}
	if a := get("aliases"); a != "" {
		for _, x := range strings.Split(a, "|") {
			if x = strings.TrimSpace(x); x != "" {
				n.Aliases = append(n.Aliases, x)
			}
		}
	}
	if o := get("order"); o != "" {
		var err error
		if n.Order, err = strconv.Atoi(o); err != nil {
			return n, Invalid("order", "is %q; it must be a whole number", o)
		}
	}
	var err error
	if n.Evidence, err = csvEvidence(get); err != nil {
		return n, err
	}
	if n.Start, err = csvDate(get, "start"); err != nil {
		return n, err
	}
	if n.End, err = csvDate(get, "end"); err != nil {
		return n, err
	}
	return n, nil
}

// csvEdge reads a row of edges.csv.
func csvEdge(get func(string) string) (RelRecord, error) {
	r := RelRecord{ID: get("id"), From: get("source"), To: get("target"), Type: get("type"), Role: get("role"), RoleTh: get("roleTh"),
		Description: get("description"), Status: AssertionStatus(get("status")), Basis: get("basis"),
		Event: get("event")}
	var err error
	if r.Evidence, err = csvEvidence(get); err != nil {
		return r, err
	}
	if r.Start, err = csvDate(get, "start"); err != nil {
		return r, err
	}
	if r.End, err = csvDate(get, "end"); err != nil {
		return r, err
	}
	return r, nil
}

// csvDate reads the start or end columns: the date (ISO or Thai), and the
// source's wording, inference and note when given apart.
func csvDate(get func(string) string, field string) (*PartialDate, error) {
	v, text := get(field), get(field+"Text")
	if v == "" {
		v = text
	}
	if v == "" {
		return nil, nil
	}
	d, err := ParseDate(field, v)
	if err != nil {
		return nil, err
	}
	if text != "" {
		d.Text = text
	}
	switch inferred := get(field + "Inferred"); strings.ToLower(inferred) {
	case "true":
		d.Inferred = true
	case "", "false":
	default:
		return nil, Invalid(field+"Inferred", "is %q; it must be true or false", inferred)
	}
	d.Note = get(field + "Note")
	return d, nil
}

// csvEvidence reads the evidence column, a JSON list, or else the one
// item of the evidenceQuote, evidenceSource and evidenceLocator columns.
func csvEvidence(get func(string) string) ([]Evidence, error) {
	if list := get("evidence"); list != "" {
		var evs []Evidence
		dec := json.NewDecoder(strings.NewReader(list))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&evs); err != nil || dec.More() {
			return nil, Invalid("evidence", "is not a JSON list of {source, quote, locator, note}")
		}
		return evs, nil
	}
	if get("evidenceQuote") == "" && get("evidenceSource") == "" {
		return nil, nil
	}
	return []Evidence{{Source: get("evidenceSource"), Quote: get("evidenceQuote"), Locator: get("evidenceLocator")}}, nil
}
