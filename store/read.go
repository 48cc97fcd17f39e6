package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// FindNodeByID returns the node with id and everything sel asks of it, in
// one round trip. A missing node is a NOT_FOUND error.
func (s *Store) FindNodeByID(ctx context.Context, id string, sel *domain.Selection) (domain.Entitied, error) {
	cypher, params, err := NodeByIDStatement(id, sel)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "FindNodeByID", cypher, params)
	if err != nil {
		return nil, fmt.Errorf("find node: %w", err)
	}
	if len(recs) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "no node has id %q", id)
	}
	m, err := value[map[string]any](recs[0], "node")
	if err != nil {
		return nil, fmt.Errorf("find node: %w", err)
	}
	if m == nil { // OPTIONAL MATCH found nothing
		return nil, domain.Errorf(domain.ENOTFOUND, "no node has id %q", id)
	}
	return decodeNode(m, sel), nil
}

// FindNodesByIDs returns the nodes with these ids in the order asked, nil
// for unknown ids, in one round trip.
func (s *Store) FindNodesByIDs(ctx context.Context, ids []string, sel *domain.Selection) ([]domain.Entitied, error) {
	if len(ids) == 0 {
		return []domain.Entitied{}, nil
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
	out := make([]domain.Entitied, len(ids))
	for _, rec := range recs {
		i, err := value[int64](rec, "i")
		if err != nil {
			return nil, fmt.Errorf("find nodes: %w", err)
		}
		if i < 0 || int(i) >= len(out) {
			return nil, fmt.Errorf("find nodes: index %d out of %d ids", i, len(out))
		}
		m, err := value[map[string]any](rec, "node")
		if err != nil {
			return nil, fmt.Errorf("find nodes: %w", err)
		}
		if m != nil { // nil: no node has the id
			out[i] = decodeNode(m, sel)
		}
	}
	return out, nil
}

// FindNodes returns a page of nodes with one of q.Labels that pass q.Filter,
// in one round trip.
func (s *Store) FindNodes(ctx context.Context, q domain.ListQuery) (*domain.Page, error) {
	cypher, params, err := compileFindNodes(q)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, "FindNodes", cypher, params)
	if err != nil {
		return nil, fmt.Errorf("find nodes: %w", err)
	}
	page, err := readPage(recs, q)
	if err != nil {
		return nil, fmt.Errorf("find nodes: %w", err)
	}
	return page, nil
}

// readPage reads FindNodes' one record: an id the filter names that no
// node has (NOT_FOUND), or the total (null unless asked) and the page's
// nodes, one more than the page when there are more.
func readPage(recs []*neo4j.Record, q domain.ListQuery) (*domain.Page, error) {
	rec, err := readOne(recs, "find nodes")
	if err != nil {
		return nil, err
	}
	missing, err := column[[]any](rec, "missing")
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 { // [field, id] of the first
		field, err := at[string](missing[0], 0, "missing")
		if err != nil {
			return nil, err
		}
		id, err := at[string](missing[0], 1, "missing")
		if err != nil {
			return nil, err
		}
		return nil, &domain.Error{Code: domain.ENOTFOUND, Field: field, Message: fmt.Sprintf("no node has id %q", id)}
	}
	total, err := value[int64](rec, "total")
	if err != nil {
		return nil, err
	}
	items, err := column[map[string]any](rec, "nodes")
	if err != nil {
		return nil, err
	}
	offset := q.Offset
	if q.After != nil {
		offset = q.After.Offset + 1
	}
	page := &domain.Page{Offset: offset, More: len(items) > q.First, Total: int(total)}
	page.Items = make([]*domain.Item, 0, min(len(items), q.First))
	order := domain.OrderName(q.OrderBy)
	for i, m := range items {
		if i == q.First {
			break
		}
		node, _ := m["node"].(map[string]any)
		id, _ := m["id"].(string)
		vals, _ := m["key"].([]any)
		page.Items = append(page.Items, &domain.Item{Node: decodeNode(node, q.Select),
			Key: &domain.Keyset{Order: order, Values: vals, ID: id, Offset: offset + i}})
	}
	return page, nil
}

// compileFindNodes is the one statement FindNodes runs: the total (when
// asked) and the page.
func compileFindNodes(q domain.ListQuery) (string, map[string]any, error) {
	c := newCompiler()
	labels := c.labelExpr(q.Labels)
	match, rest := c.anchor("n", labels, q.Filter)
	where := ""
	if cond := c.filter("n", rest, "filter"); cond != "" {
		where = " WHERE " + cond
	}
	keys, idDesc := listKeys("n", q.OrderBy), listIDDesc(q.OrderBy)
	// the page starts after the cursor's row (keyset), not after a count
	// of rows: the total is of the whole list, the page of what follows
	pageWhere, skip := where, int64(q.Offset)
	if q.After != nil {
		if q.After.Order != domain.OrderName(q.OrderBy) {
			return "", nil, domain.Invalid("after", "the cursor belongs to another order of this list (%s, not %s)", q.After.Order, domain.OrderName(q.OrderBy))
		}
		skip = 0
		if cond := c.keysetCond("n", keys, idDesc, q.After, "after"); cond != "" {
			if pageWhere == "" {
				pageWhere = " WHERE " + cond
			} else {
				pageWhere += " AND " + cond
			}
		}
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
	cypher := fmt.Sprintf("RETURN %s AS total, COLLECT { %s%s WITH n ORDER BY %s SKIP %s LIMIT %s RETURN {node: %s, key: %s, id: n.id} } AS nodes, %s AS missing",
		total, match, pageWhere, keyOrder("n", keys, idDesc), c.param(skip), c.param(int64(q.First+1)), c.node("n", q.Select), keyValues(keys), missing)
	return cypher, c.params, c.err
}

// Stats counts nodes by label and relationships by type.
func (s *Store) Stats(ctx context.Context) (*domain.GraphStats, error) {
	recs, err := s.read(ctx, "Stats", `
		RETURN COUNT { MATCH (n:Node) } AS nodes,
		       COUNT { MATCH (:Node)-[]->(:Node) } AS rels,
		       COLLECT { MATCH (n:Node) UNWIND labels(n) AS l WITH l, count(*) AS c WHERE NOT l IN ['Node', 'Actor', 'Place'] RETURN [l, c] } AS byLabel,
		       COLLECT { MATCH (:Node)-[r]->(:Node) WITH type(r) AS t, count(*) AS c RETURN [t, c] } AS byType`, nil)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	st, err := readStats(recs)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	sort.Slice(st.ByLabel, func(i, j int) bool { return st.ByLabel[i].Label < st.ByLabel[j].Label })
	sort.Slice(st.ByType, func(i, j int) bool { return st.ByType[i].Type < st.ByType[j].Type })
	return st, nil
}

// readStats reads Stats' one record: the counts, and [name, count] by
// label and by type.
func readStats(recs []*neo4j.Record) (*domain.GraphStats, error) {
	rec, err := readOne(recs, "stats")
	if err != nil {
		return nil, err
	}
	n, err := value[int64](rec, "nodes")
	if err != nil {
		return nil, err
	}
	r, err := value[int64](rec, "rels")
	if err != nil {
		return nil, err
	}
	st := &domain.GraphStats{Nodes: int(n), Relationships: int(r)}
	count := func(t []any) (string, int, error) {
		name, err := at[string](t, 0, "count")
		if err != nil {
			return "", 0, err
		}
		c, err := at[int64](t, 1, "count")
		return name, int(c), err
	}
	if err := tuples(rec, "byLabel", func(t []any) error {
		l, c, err := count(t)
		st.ByLabel = append(st.ByLabel, &domain.LabelCount{Label: l, Count: c})
		return err
	}); err != nil {
		return nil, err
	}
	if err := tuples(rec, "byType", func(t []any) error {
		typ, c, err := count(t)
		st.ByType = append(st.ByType, &domain.TypeCount{Type: domain.RelType(typ), Count: c})
		return err
	}); err != nil {
		return nil, err
	}
	return st, nil
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

// dateKeys are the properties of a partial date (startDate, startPrecision,
// …), spelled once: decoding looks them up for every node and
// relationship, and building them per lookup cost five strings each.
type dateKeys struct{ date, precision, text, inferred, note string }

func datePrefix(p string) dateKeys {
	return dateKeys{p + "Date", p + "Precision", p + "Text", p + "Inferred", p + "Note"}
}

var startKeys, endKeys = datePrefix("start"), datePrefix("end")

func date(m map[string]any, k dateKeys) *domain.PartialDate {
	d := str(m, k.date)
	if d == "" {
		return nil
	}
	inferred, _ := m[k.inferred].(bool)
	return &domain.PartialDate{
		Date:      d,
		Precision: domain.DatePrecision(str(m, k.precision)),
		Text:      str(m, k.text),
		Inferred:  inferred,
		Note:      str(m, k.note),
	}
}

// fieldKeys[i] are the map keys the compiler gives the i-th related field
// of a node and its count (f0, f0_n) and the i-th evidence (__ev0), for
// the first few: decoding reads them for every node of a page, and
// fmt.Sprintf per lookup cost an allocation each.
var fieldKeys = func() (keys [16]struct{ field, count, ev string }) {
	for i := range keys {
		n := strconv.Itoa(i)
		keys[i].field, keys[i].count, keys[i].ev = "f"+n, "f"+n+"_n", "__ev"+n
	}
	return keys
}()

func fieldKey(i int) string {
	if i < len(fieldKeys) {
		return fieldKeys[i].field
	}
	return "f" + strconv.Itoa(i)
}

func countKey(i int) string {
	if i < len(fieldKeys) {
		return fieldKeys[i].count
	}
	return fieldKey(i) + "_n"
}

func evKey(i int) string {
	if i < len(fieldKeys) {
		return fieldKeys[i].ev
	}
	return "__ev" + strconv.Itoa(i)
}

func concreteLabel(m map[string]any) string {
	raw, _ := m["__labels"].([]any)
	for _, v := range raw { // read in place: strs would copy the list
		if l, ok := v.(string); ok && domain.IsNodeLabel(l) {
			return l
		}
	}
	return ""
}

func decodeEvidence(raw any, sel *domain.Selection) []*domain.EvidenceItem {
	list, _ := raw.([]any)
	out := make([]*domain.EvidenceItem, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		if m == nil {
			continue
		}
		ev := &domain.EvidenceItem{Quote: str(m, "quote"), Locator: optStr(m, "locator"), Note: optStr(m, "note")}
		if src, ok := m["source"].(map[string]any); ok {
			if s, ok := decodeNode(src, sel).(*domain.Source); ok {
				ev.Source = s
			}
		}
		if ev.Source == nil {
			// the cited source is not in the graph: say so rather than fail
			ev.Source = &domain.Source{Entity: domain.Entity{ID: "", Label: domain.LabelSource, Name: "(missing source)"}}
		}
		out = append(out, ev)
	}
	return out
}

func decodeNode(m map[string]any, sel *domain.Selection) domain.Entitied {
	e := &domain.Entity{
		ID:            str(m, "id"),
		Label:         concreteLabel(m),
		Kind:          domain.Kind(str(m, "kind")),
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
		Start:         date(m, startKeys),
		End:           date(m, endKeys),
		Status:        domain.StoredStatus(str(m, "status")),
		Basis:         optStr(m, "basis"),
	}
	if o, ok := m["order"].(int64); ok {
		e.Order = int(o)
	}
	if v, ok := m["version"].(int64); ok {
		e.Version = int(v)
	}
	if sel != nil {
		for i, ev := range sel.Evidence {
			if raw, ok := m[evKey(i)]; ok && raw != nil {
				e.Evidence = decodeEvidence(raw, ev.Source)
			}
		}
		if len(sel.Fields) > 0 {
			e.Related = make(map[string]*domain.Page, len(sel.Fields))
		}
		for i, f := range sel.Fields {
			if len(f.OnLabels) > 0 && !slices.Contains(f.OnLabels, e.Label) {
				continue // not this label's field: its rows are empty (compiler.node)
			}
			raw, ok := m[fieldKey(i)]
			if !ok || raw == nil {
				continue
			}
			e.Related[f.Key] = decodeField(raw, m[countKey(i)], f, e.ID)
		}
	}
	w := domain.WrapEntity(e)
	if w == nil {
		// a node with no known label: serve it as what it is closest to
		e.Label = domain.LabelSource
		w = domain.WrapEntity(e)
	}
	return w
}

// decodeField reads a related field's rows of the node with id parentID.
// A row's relationship without its ends' ids (a directed pattern's,
// relKnownEnds) gets them from the parent and the row's node.
func decodeField(raw, rawCount any, f *domain.FieldPlan, parentID string) *domain.Page {
	items, _ := raw.([]any)
	page := &domain.Page{Offset: f.Offset, More: len(items) > f.First}
	if f.After != nil {
		page.Offset = f.After.Offset + 1
	}
	order := domain.FieldOrderName(f)
	if n, ok := rawCount.(int64); ok {
		page.Total = int(n)
	}
	page.Items = make([]*domain.Item, 0, min(len(items), f.First))
	for i, it := range items {
		if i == f.First {
			break
		}
		row, _ := it.(map[string]any)
		nm, _ := row["node"].(map[string]any)
		item := &domain.Item{Node: decodeNode(nm, f.Node), Direction: domain.DirectionIn}
		out, _ := row["out"].(bool)
		if out {
			item.Direction = domain.DirectionOut
		}
		if rm, ok := row["rel"].(map[string]any); ok {
			item.Relationship = decodeRel(rm, f.Rel)
			if _, known := rm["__from"]; !known {
				from, to := parentID, item.Node.(domain.Entitied).E().ID
				if !out {
					from, to = to, from
				}
				item.Relationship.FromID, item.Relationship.ToID = from, to
			}
		}
		if id, _ := row["id"].(string); id != "" { // its keyset cursor
			vals, _ := row["key"].([]any)
			item.Key = &domain.Keyset{Order: order, Values: vals, ID: id, Offset: page.Offset + i}
		}
		page.Items = append(page.Items, item)
	}
	return page
}

func decodeRel(m map[string]any, sel *domain.RelSelection) *domain.Relationship {
	r := &domain.Relationship{
		ID:          str(m, "id"),
		Type:        domain.RelType(str(m, "__type")),
		FromID:      str(m, "__from"),
		ToID:        str(m, "__to"),
		Role:        optStr(m, "role"),
		RoleTh:      optStr(m, "roleTh"),
		Description: optStr(m, "description"),
		Event:       optStr(m, "event"),
		Start:       date(m, startKeys),
		End:         date(m, endKeys),
		Status:      domain.StoredStatus(str(m, "status")),
		Basis:       optStr(m, "basis"),
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
