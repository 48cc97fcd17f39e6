package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/phakhi/phakhi/domain"
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

// attr is one attribute column: its name and GEXF/GraphML type.
type attr struct{ name, typ string }

// The attribute columns of nodes and edges, in output order. Text
// attributes that every node or edge may have are always there (empty when
// unknown); the others (postalCode … endNote, basis) only where they have
// a value. status is always there: STATED, INFERRED or DISPUTED.
var (
	nodeAttrs = []attr{
		{"type", "string"}, {"name", "string"}, {"nameEn", "string"}, {"kind", "string"},
		{"aliases", "string"}, {"description", "string"}, {"descriptionEn", "string"},
		{"code", "string"}, {"postalCode", "string"}, {"address", "string"}, {"url", "string"},
		{"order", "int"}, {"startsAt", "string"}, {"endsAt", "string"},
		{"start", "string"}, {"startText", "string"}, {"startInferred", "boolean"}, {"startNote", "string"},
		{"end", "string"}, {"endText", "string"}, {"endInferred", "boolean"}, {"endNote", "string"},
		{"status", "string"}, {"basis", "string"},
		{"version", "int"}, {"evidence", "string"},
		{"evidenceQuote", "string"}, {"evidenceSource", "string"}, {"evidenceLocator", "string"}, {"evidenceCount", "int"},
	}
	edgeAttrs = []attr{
		{"type", "string"}, {"role", "string"}, {"roleTh", "string"}, {"description", "string"},
		{"start", "string"}, {"startText", "string"}, {"startInferred", "boolean"}, {"startNote", "string"},
		{"end", "string"}, {"endText", "string"}, {"endInferred", "boolean"}, {"endNote", "string"},
		{"status", "string"}, {"basis", "string"},
		{"version", "int"}, {"evidence", "string"},
		{"evidenceQuote", "string"}, {"evidenceSource", "string"}, {"evidenceLocator", "string"}, {"evidenceCount", "int"},
		{"event", "string"}, // the occasion of an invitation or a stand-in, where it has one
	}
)

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

// statusAttrs sets the assertion status and, for an inferred or disputed
// fact, its basis.
func statusAttrs(a map[string]any, s domain.AssertionStatus, basis *string) {
	a["status"] = string(domain.StoredStatus(string(s)))
	putText(a, "basis", deref(basis))
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
		statusAttrs(a, e.Status, e.Basis)
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
		putText(a, "event", deref(r.Event))
		dateAttrs(a, "start", r.Start)
		dateAttrs(a, "end", r.End)
		statusAttrs(a, r.Status, r.Basis)
		evidenceAttrs(a, r.Evidence)
		out.Edges = append(out.Edges, Edge{ID: r.ID, Source: r.FromID, Target: r.ToID, Attrs: a, Start: dateISO(r.Start), End: dateISO(r.End)})
	}
	sort.Slice(out.Nodes, func(i, j int) bool { return out.Nodes[i].ID < out.Nodes[j].ID })
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].ID < out.Edges[j].ID })
	return out
}

// withID is a copy of attrs with the id, for the JSON shapes that keep
// the id among the attributes.
func withID(id string, attrs map[string]any) map[string]any {
	m := make(map[string]any, len(attrs)+1)
	for k, v := range attrs {
		m[k] = v
	}
	m["id"] = id
	return m
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

// writeXML writes doc as an indented XML document, for GEXF and GraphML.
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
