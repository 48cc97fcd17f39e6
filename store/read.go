package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/phakhi/phakhi/graph/model"
)

// FindNodeByID returns the node with id and everything sel asks of it, in
// one round trip. A missing node is a NOT_FOUND error.
func (s *Store) FindNodeByID(ctx context.Context, id string, sel *model.Selection) (model.Entitied, error) {
	c := newCompiler()
	cypher := fmt.Sprintf("OPTIONAL MATCH (n:Node {id: %s}) RETURN %s AS node", c.param(id), c.node("n", sel))
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "FindNodeByID", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("find node: %w", err)
	}
	if len(recs) == 0 {
		return nil, model.Errorf(model.ENOTFOUND, "no node has id %q", id)
	}
	raw, _ := recs[0].Get("node")
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, model.Errorf(model.ENOTFOUND, "no node has id %q", id)
	}
	return decodeNode(m, sel), nil
}

// FindNodesByIDs returns the nodes with these ids in the order asked, nil
// for unknown ids, in one round trip.
func (s *Store) FindNodesByIDs(ctx context.Context, ids []string, sel *model.Selection) ([]model.Entitied, error) {
	if len(ids) == 0 {
		return []model.Entitied{}, nil
	}
	c := newCompiler()
	p := c.param(ids)
	cypher := fmt.Sprintf("UNWIND range(0, size(%[1]s) - 1) AS i OPTIONAL MATCH (n:Node {id: %[1]s[i]}) RETURN i, CASE WHEN n IS NULL THEN null ELSE %[2]s END AS node ORDER BY i", p, c.node("n", sel))
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "FindNodesByIDs", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("find nodes: %w", err)
	}
	out := make([]model.Entitied, len(ids))
	for _, rec := range recs {
		i, _ := rec.Get("i")
		raw, _ := rec.Get("node")
		if m, ok := raw.(map[string]any); ok {
			out[i.(int64)] = decodeNode(m, sel)
		}
	}
	return out, nil
}

// FindNodes returns a page of nodes with one of q.Labels that pass q.Filter,
// in one round trip.
func (s *Store) FindNodes(ctx context.Context, q model.ListQuery) (*model.Connection, error) {
	cypher, params, err := compileFindNodes(q)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "FindNodes", cypher, params)
	if err != nil {
		return nil, fmt.Errorf("find nodes: %w", err)
	}
	if missing, _ := recs[0].Get("missing"); len(missing.([]any)) > 0 {
		r := missing.([]any)[0].([]any)
		return nil, &model.Error{Code: model.ENOTFOUND, Field: r[0].(string), Message: fmt.Sprintf("no node has id %q", r[1])}
	}
	rawTotal, _ := recs[0].Get("total")
	rawNodes, _ := recs[0].Get("nodes")
	items, _ := rawNodes.([]any)
	conn := &model.Connection{}
	if t, ok := rawTotal.(int64); ok {
		conn.TotalCount = int(t)
	}
	edges := make([]*model.Edge, 0, len(items))
	for i, it := range items {
		if i == q.First {
			break
		}
		m, _ := it.(map[string]any)
		edges = append(edges, model.NewEdge(EncodeCursor(q.Offset+i), decodeNode(m, q.Select), nil))
	}
	conn.Edges = edges
	conn.PageInfo = pageInfo(edges, q.Offset, len(items) > q.First)
	return conn, nil
}

// compileFindNodes is the one statement FindNodes runs: the total (when
// asked) and the page.
func compileFindNodes(q model.ListQuery) (string, map[string]any, error) {
	c := newCompiler()
	labels := c.labelExpr(q.Labels)
	match, rest := c.anchor("n", labels, q.Filter)
	where := ""
	if cond := c.filter("n", rest, "filter"); cond != "" {
		where = " WHERE " + cond
	}
	total := "null"
	if q.Count {
		total = fmt.Sprintf("COUNT { %s%s RETURN n }", match, where)
	}
	// The ids the filter names are looked up in the same statement: one
	// that names no node is NOT_FOUND, not an empty page.
	missing := "[]"
	if len(c.refs) > 0 {
		missing = fmt.Sprintf("[r IN %s WHERE NOT EXISTS { MATCH (:Node {id: r[1]}) }]", c.param(c.refs))
	}
	cypher := fmt.Sprintf("RETURN %s AS total, COLLECT { %s%s WITH n ORDER BY %s SKIP %s LIMIT %s RETURN %s } AS nodes, %s AS missing",
		total, match, where, listOrder("n", q.OrderBy), c.param(int64(q.Offset)), c.param(int64(q.First+1)), c.node("n", q.Select), missing)
	return cypher, c.params, c.err
}

// Stats counts nodes by label and relationships by type.
func (s *Store) Stats(ctx context.Context) (*model.GraphStats, error) {
	recs, err := s.read(ctx, "Stats", `
		RETURN COUNT { MATCH (n:Node) } AS nodes,
		       COUNT { MATCH (:Node)-[]->(:Node) } AS rels,
		       COLLECT { MATCH (n:Node) UNWIND labels(n) AS l WITH l, count(*) AS c WHERE NOT l IN ['Node', 'Actor', 'Place'] RETURN [l, c] } AS byLabel,
		       COLLECT { MATCH (:Node)-[r]->(:Node) WITH type(r) AS t, count(*) AS c RETURN [t, c] } AS byType`, nil)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	rec := recs[0]
	st := &model.GraphStats{}
	n, _ := rec.Get("nodes")
	r, _ := rec.Get("rels")
	st.Nodes, st.Relationships = int(n.(int64)), int(r.(int64))
	bl, _ := rec.Get("byLabel")
	for _, p := range bl.([]any) {
		pair := p.([]any)
		st.ByLabel = append(st.ByLabel, &model.LabelCount{Label: pair[0].(string), Count: int(pair[1].(int64))})
	}
	bt, _ := rec.Get("byType")
	for _, p := range bt.([]any) {
		pair := p.([]any)
		st.ByType = append(st.ByType, &model.TypeCount{Type: model.RelType(pair[0].(string)), Count: int(pair[1].(int64))})
	}
	sort.Slice(st.ByLabel, func(i, j int) bool { return st.ByLabel[i].Label < st.ByLabel[j].Label })
	sort.Slice(st.ByType, func(i, j int) bool { return st.ByType[i].Type < st.ByType[j].Type })
	return st, nil
}

// EncodeCursor makes the opaque cursor of the item at offset.
func EncodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

// DecodeCursor returns the offset after the item the cursor names.
func DecodeCursor(cursor string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, fmt.Errorf("not a cursor of this API")
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a cursor of this API")
	}
	return n + 1, nil
}

func pageInfo(edges []*model.Edge, offset int, more bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: more, HasPreviousPage: offset > 0}
	if len(edges) > 0 {
		pi.StartCursor = &edges[0].Cursor
		pi.EndCursor = &edges[len(edges)-1].Cursor
	}
	return pi
}

func todayISO() string { return time.Now().UTC().Format("2006-01-02") }

// ---------------------------------------------------------------- decoding

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func optStr(m map[string]any, k string) *string {
	if s, ok := m[k].(string); ok && s != "" {
		return &s
	}
	return nil
}

func strs(m map[string]any, k string) []string {
	raw, _ := m[k].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func date(m map[string]any, prefix string) *model.PartialDate {
	d := str(m, prefix+"Date")
	if d == "" {
		return nil
	}
	inferred, _ := m[prefix+"Inferred"].(bool)
	return &model.PartialDate{
		Date:      d,
		Precision: model.DatePrecision(str(m, prefix+"Precision")),
		Text:      str(m, prefix+"Text"),
		Inferred:  inferred,
		Note:      str(m, prefix+"Note"),
	}
}

func concreteLabel(m map[string]any) string {
	for _, l := range strs(m, "__labels") {
		if model.IsNodeLabel(l) {
			return l
		}
	}
	return ""
}

func decodeEvidence(raw any, sel *model.Selection) []*model.EvidenceItem {
	list, _ := raw.([]any)
	out := make([]*model.EvidenceItem, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		if m == nil {
			continue
		}
		ev := &model.EvidenceItem{Quote: str(m, "quote"), Locator: optStr(m, "locator"), Note: optStr(m, "note")}
		if src, ok := m["source"].(map[string]any); ok {
			if s, ok := decodeNode(src, sel).(*model.Source); ok {
				ev.Source = s
			}
		}
		if ev.Source == nil {
			// the cited source is not in the graph: say so rather than fail
			ev.Source = &model.Source{Entity: model.Entity{ID: "", Label: model.LabelSource, Name: "(missing source)"}}
		}
		out = append(out, ev)
	}
	return out
}

func decodeNode(m map[string]any, sel *model.Selection) model.Entitied {
	e := &model.Entity{
		ID:            str(m, "id"),
		Label:         concreteLabel(m),
		Kind:          model.Kind(str(m, "kind")),
		Name:          str(m, "name"),
		NameEn:        optStr(m, "nameEn"),
		Aliases:       strs(m, "aliases"),
		Description:   optStr(m, "description"),
		DescriptionEn: optStr(m, "descriptionEn"),
		Code:          optStr(m, "code"),
		PostalCode:    optStr(m, "postalCode"),
		Address:       optStr(m, "address"),
		URL:           optStr(m, "url"),
		StartsAt:      optStr(m, "startsAt"),
		EndsAt:        optStr(m, "endsAt"),
		Start:         date(m, "start"),
		End:           date(m, "end"),
	}
	if o, ok := m["order"].(int64); ok {
		e.Order = int(o)
	}
	if v, ok := m["version"].(int64); ok {
		e.Version = int(v)
	}
	if sel != nil {
		if sel.Evidence != nil {
			e.Evidence = decodeEvidence(m["__ev"], sel.Evidence)
		}
		if len(sel.Fields) > 0 {
			e.Related = make(map[string]*model.Connection, len(sel.Fields))
		}
		for i, f := range sel.Fields {
			raw, ok := m[fmt.Sprintf("f%d", i)]
			if !ok || raw == nil {
				continue // the field does not apply to this node's label
			}
			e.Related[f.Key] = decodeField(e, raw, m[fmt.Sprintf("f%d_n", i)], f)
		}
	}
	w := model.WrapEntity(e)
	if w == nil {
		// a node with no known label: serve it as what it is closest to
		e.Label = model.LabelSource
		w = model.WrapEntity(e)
	}
	return w
}

func decodeField(parent *model.Entity, raw, rawCount any, f *model.FieldPlan) *model.Connection {
	items, _ := raw.([]any)
	conn := &model.Connection{}
	if n, ok := rawCount.(int64); ok {
		conn.TotalCount = int(n)
	}
	edges := make([]*model.Edge, 0, len(items))
	for i, it := range items {
		if i == f.First {
			break
		}
		row, _ := it.(map[string]any)
		nm, _ := row["node"].(map[string]any)
		other := decodeNode(nm, f.Node)
		var rel *model.Relationship
		if rm, ok := row["rel"].(map[string]any); ok {
			rel = decodeRel(rm, f.Rel)
		}
		e := model.NewEdge(EncodeCursor(f.Offset+i), other, rel)
		e.Other = other
		if out, _ := row["out"].(bool); out {
			e.Direction = model.DirectionOut
		} else {
			e.Direction = model.DirectionIn
		}
		edges = append(edges, e)
	}
	conn.Edges = edges
	conn.PageInfo = pageInfo(edges, f.Offset, len(items) > f.First)
	return conn
}

func decodeRel(m map[string]any, sel *model.RelSelection) *model.Relationship {
	r := &model.Relationship{
		ID:          str(m, "id"),
		Type:        model.RelType(str(m, "__type")),
		FromID:      str(m, "__from"),
		ToID:        str(m, "__to"),
		Role:        optStr(m, "role"),
		RoleTh:      optStr(m, "roleTh"),
		Description: optStr(m, "description"),
		Start:       date(m, "start"),
		End:         date(m, "end"),
	}
	if v, ok := m["version"].(int64); ok {
		r.Version = int(v)
	}
	if sel != nil {
		if sel.Evidence != nil {
			r.Evidence = decodeEvidence(m["__ev"], sel.Evidence)
		}
		if fm, ok := m["__fromNode"].(map[string]any); ok {
			r.From = decodeNode(fm, sel.From)
		}
		if tm, ok := m["__toNode"].(map[string]any); ok {
			r.To = decodeNode(tm, sel.To)
		}
	}
	return r
}
