package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// compiler turns a read plan into one Cypher statement. Every value becomes
// a parameter; labels and relationship types are checked against the
// allow-lists of package model before they are written into the statement.
type compiler struct {
	params map[string]any
	vars   int
	err    error
	// refs are the ids a filter names (a province, a participant…), each
	// with its field: a root list reports one that names no node.
	refs []any
}

func newCompiler() *compiler { return &compiler{params: map[string]any{}} }

// roleCond tests that relationship r has the participation role: the
// role property, or for ORGANIZER an ORGANIZES relationship too (the
// organizer named as such, which carries no role).
func (c *compiler) roleCond(r, role string) string {
	p := c.param(role)
	if role == domain.RoleOrganizer {
		return fmt.Sprintf("(%[1]s.role = %[2]s OR type(%[1]s) = 'ORGANIZES')", r, p)
	}
	return r + ".role = " + p
}

// ref notes that field names the node id.
func (c *compiler) ref(field, id string) { c.refs = append(c.refs, []any{field, id}) }

func (c *compiler) param(v any) string {
	name := fmt.Sprintf("p%d", len(c.params))
	c.params[name] = v
	return "$" + name
}

func (c *compiler) fresh(prefix string) string {
	c.vars++
	return fmt.Sprintf("%s%d", prefix, c.vars)
}

func (c *compiler) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// labelExpr is ":A|B" for allowed labels, "" for none.
func (c *compiler) labelExpr(labels []string) string {
	if len(labels) == 0 {
		return ""
	}
	for _, l := range labels {
		if !domain.IsNodeLabel(l) && l != domain.LabelActor && l != domain.LabelPlace && l != domain.LabelNode {
			c.fail(domain.Invalid("labels", "unknown label %q (known: %s)", l, strings.Join(domain.NodeLabels, ", ")))
			return ""
		}
	}
	return ":" + strings.Join(labels, "|")
}

// typeExpr is ":A|B" for allowed relationship types, "" for none.
func (c *compiler) typeExpr(types []string) string {
	if len(types) == 0 {
		return ""
	}
	for _, t := range types {
		if !domain.IsRelType(t) {
			c.fail(domain.Invalid("types", "unknown relationship type %q", t))
			return ""
		}
	}
	return ":" + strings.Join(types, "|")
}

// arrow writes (x)-[r:T]->(m:L) in the given direction.
func arrow(x, r, types, m, labels string, dir domain.Direction) string {
	switch dir {
	case domain.DirectionOut:
		return fmt.Sprintf("(%s)-[%s%s]->(%s%s)", x, r, types, m, labels)
	case domain.DirectionIn:
		return fmt.Sprintf("(%s)<-[%s%s]-(%s%s)", x, r, types, m, labels)
	default:
		return fmt.Sprintf("(%s)-[%s%s]-(%s%s)", x, r, types, m, labels)
	}
}

// node writes the projection of node variable x for sel: its properties,
// its labels, the evidence and the related-nodes fields sel asks for, each
// under a key of its own (__ev0…, f0…) that the decoder reads back by the
// plan's position. A plan limited to some labels is null on the others.
func (c *compiler) node(x string, sel *domain.Selection) string {
	var b strings.Builder
	b.WriteString(x)
	b.WriteString("{")
	if sel != nil {
		b.WriteString(c.props(sel.Narrow, sel.Props))
	} else {
		b.WriteString(".*")
	}
	b.WriteString(", __labels: labels(")
	b.WriteString(x)
	b.WriteString(")")
	if sel != nil {
		for i, ev := range sel.Evidence {
			fmt.Fprintf(&b, ", %s: %s", evKey(i), c.onLabels(x, ev.OnLabels, c.evidence(x, ev.Source)))
		}
		for i, f := range sel.Fields {
			// A field of some labels only tests x's label inside its
			// subqueries (an empty page on the other labels, which
			// decodeNode leaves out), not in a CASE around them: Neo4j
			// plans a COLLECT or COUNT inside a CASE within the projection
			// itself, one inside the map projection as an operator of its
			// own (RollUpApply), as the floor's statement gets (PROFILE,
			// detail on the seed's meeting: 543 → 434 db hits).
			expr, count := c.field(x, f)
			fmt.Fprintf(&b, ", %s: %s", fieldKey(i), expr)
			if count != "" {
				fmt.Fprintf(&b, ", %s: %s", countKey(i), count)
			}
		}
	}
	b.WriteString("}")
	return b.String()
}

// onLabels is expr on nodes x with one of labels (all nodes when none),
// null on the others.
func (c *compiler) onLabels(x string, labels []string, expr string) string {
	if len(labels) == 0 {
		return expr
	}
	return "CASE WHEN " + x + c.labelExpr(labels) + " THEN " + expr + " END"
}

// widen is sel asking also for props (sel itself is left as it is).
func widen(sel *domain.Selection, props ...string) *domain.Selection {
	if sel == nil || !sel.Narrow {
		return sel
	}
	cp := *sel
	cp.Props = append(append([]string{}, sel.Props...), props...)
	return &cp
}

// props writes the property part of a map projection: every property, or
// when narrow only the id and the properties named (from the model's fixed
// tables, never user input).
func (c *compiler) props(narrow bool, props []string) string {
	if !narrow {
		return ".*"
	}
	out := []string{".id"}
	for _, p := range props {
		if !slices.Contains(out, "."+p) {
			out = append(out, "."+p)
		}
	}
	return strings.Join(out, ", ")
}

// evidence writes the evidence list of node or relationship variable x.
func (c *compiler) evidence(x string, src *domain.Selection) string {
	i, s := c.fresh("i"), c.fresh("s")
	return fmt.Sprintf("COLLECT { UNWIND range(0, size(coalesce(%[1]s.evidenceSources, [])) - 1) AS %[2]s "+
		"OPTIONAL MATCH (%[3]s:Node&Source {id: %[1]s.evidenceSources[%[2]s]}) "+
		"RETURN {source: %[4]s, quote: %[1]s.evidenceQuotes[%[2]s], locator: %[1]s.evidenceLocators[%[2]s], note: %[1]s.evidenceNotes[%[2]s]} ORDER BY %[2]s }",
		x, i, s, c.node(s, src))
}

// rel writes the projection of relationship variable r.
func (c *compiler) rel(r string, sel *domain.RelSelection) string {
	return c.relBetween(r, "startNode("+r+")", "endNode("+r+")", sel)
}

// relBetween is rel where the statement has the relationship's start and
// end nodes bound already (from, to: variables or expressions): their ids
// are read from them, not found again through startNode/endNode, which
// cost a node lookup per relationship (PROFILE: neighbourhood's edges).
func (c *compiler) relBetween(r, from, to string, sel *domain.RelSelection) string {
	return c.relProjection(r, from, to, true, sel)
}

// relKnownEnds is relBetween for a field's page, whose rows hold the ends'
// ids already (the node the field is of, and each row's node): the
// projection leaves out __from and __to, and decodeField fills them in
// (PROFILE: two db hits a row, 42 of detail's 471).
func (c *compiler) relKnownEnds(r, from, to string, sel *domain.RelSelection) string {
	return c.relProjection(r, from, to, false, sel)
}

func (c *compiler) relProjection(r, from, to string, endIDs bool, sel *domain.RelSelection) string {
	var b strings.Builder
	narrow, props := false, []string(nil)
	if sel != nil {
		narrow, props = sel.Narrow, sel.Props
	}
	fmt.Fprintf(&b, "%[1]s{%[2]s, __type: type(%[1]s)", r, c.props(narrow, props))
	if endIDs {
		fmt.Fprintf(&b, ", __from: %s.id, __to: %s.id", from, to)
	}
	if sel != nil {
		if sel.Evidence != nil {
			b.WriteString(", __ev: ")
			b.WriteString(c.evidence(r, sel.Evidence))
		}
		for _, end := range []struct {
			key, fn string
			sel     *domain.Selection
		}{{"__fromNode", from, sel.From}, {"__toNode", to, sel.To}} {
			if end.sel == nil {
				continue
			}
			v := c.fresh("e")
			fmt.Fprintf(&b, ", %s: head(COLLECT { WITH %s AS %s RETURN %s })", end.key, end.fn, v, c.node(v, end.sel))
		}
	}
	b.WriteString("}")
	return b.String()
}

// field writes the expression of a related-nodes field of x, and the
// expression of its total count when asked: one compile function per kind
// of field.
func (c *compiler) field(x string, f *domain.FieldPlan) (expr, count string) {
	var guard []string // x's label, when the field is of some labels only
	if len(f.OnLabels) > 0 {
		guard = []string{x + c.labelExpr(f.OnLabels)}
	}
	switch f.Kind {
	case domain.FieldRelated:
		return c.related(x, f, guard)
	case domain.FieldWithin:
		return c.within(x, f, guard)
	case domain.FieldRelationships:
		return c.relationships(x, f, guard)
	}
	c.fail(fmt.Errorf("internal: field %s has no kind the store knows (%d)", f.Key, f.Kind))
	return "[]", ""
}

// where is the WHERE clause of conds ("" for none).
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// nodeConds are the conditions of a field's node filter on m.
func (c *compiler) nodeConds(m string, f *domain.FieldPlan) []string {
	if f.NodeFilter == nil {
		return nil
	}
	if cond := c.filter(m, f.NodeFilter, "filter"); cond != "" {
		return []string{cond}
	}
	return nil
}

// page writes the paged COLLECT of a field's rows: the MATCH and its
// conditions, one row per relationship and node, in the total order of
// keys (see keyset.go: one node may be reached by several relationships,
// and pages must neither repeat nor miss one), from after the cursor's
// row (or the offset), and a row more than the page to tell whether more
// follow. Each row carries its sort values (key) and id for its cursor.
//
// When the pattern has a direction (dir), the relationship's ends are x
// and m, so its ends' ids are read from them and out is a constant: no
// startNode/endNode per row (PROFILE: they were two thirds of detail's
// db hits for its participants). A directed one-hop pattern from the
// bound x matches each relationship once, so its rows need no DISTINCT
// either; undirected, a loop would match twice.
func (c *compiler) page(x, r, m, match, cond string, keys []sortKey, dir domain.Direction, f *domain.FieldPlan) string {
	after, skip := c.pageStart(keys, f)
	rel, out, distinct := c.rel(r, f.Rel), "startNode("+r+") = "+x, "DISTINCT "
	switch dir {
	case domain.DirectionOut:
		rel, out, distinct = c.relKnownEnds(r, x, m, f.Rel), "true", ""
	case domain.DirectionIn:
		rel, out, distinct = c.relKnownEnds(r, m, x, f.Rel), "false", ""
	}
	return fmt.Sprintf("COLLECT { MATCH %s%s WITH %s%s, %s ORDER BY %s SKIP %s LIMIT %s RETURN {rel: %s, node: %s, out: %s, key: %s, id: %s} }",
		match, andWhere(cond, after), distinct, r, m, orderOf(keys), c.param(skip), c.param(int64(f.First+1)),
		rel, c.node(m, f.Node), out, keyValues(keys[:len(keys)-1]), keys[len(keys)-1].expr)
}

// countRows counts a field's rows: distinct (r, m) pairs, which a
// directed one-hop pattern gives once each without DISTINCT (see page).
func countRows(match, cond, r, m string, dir domain.Direction) string {
	if dir == domain.DirectionOut || dir == domain.DirectionIn {
		return fmt.Sprintf("COUNT { MATCH %s%s }", match, cond)
	}
	return fmt.Sprintf("COUNT { MATCH %s%s RETURN DISTINCT %s, %s }", match, cond, r, m)
}

// related compiles a FieldRelated field: (x)-[r:Types]->(m:Targets).
// guard are conditions on x first (its label).
func (c *compiler) related(x string, f *domain.FieldPlan, guard []string) (expr, count string) {
	r, m := c.fresh("r"), c.fresh("m")
	p := f.Pattern
	match := arrow(x, r, c.typeExpr(p.Types), m, c.labelExpr(p.Targets), p.Direction)
	conds := guard
	if p.Role != "" {
		conds = append(conds, c.roleCond(r, p.Role))
	}
	cond := where(append(conds, c.nodeConds(m, f)...))
	expr = c.page(x, r, m, match, cond, relatedRowKeys(r, m, p.OrderBy), p.Direction, f)
	if f.Count {
		count = countRows(match, cond, r, m, p.Direction)
	}
	return expr, count
}

// relationships compiles a FieldRelationships field: every relationship
// of x that passes the filter, by type, then the other end's name.
func (c *compiler) relationships(x string, f *domain.FieldPlan, guard []string) (expr, count string) {
	r, m := c.fresh("r"), c.fresh("m")
	rf := f.RelFilter
	if rf == nil {
		rf = &domain.RelationshipFilter{}
	}
	types := make([]string, len(rf.Types))
	for i, t := range rf.Types {
		types[i] = string(t)
	}
	dir := domain.DirectionBoth
	if rf.Direction != nil {
		dir = *rf.Direction
	}
	match := arrow(x, r, c.typeExpr(types), m, c.labelExpr(rf.OtherLabels), dir)
	cond := where(append(guard, c.relConds(r, rf)...))
	expr = c.page(x, r, m, match, cond, relationshipRowKeys(r, m), dir, f)
	if f.Count {
		count = countRows(match, cond, r, m, dir)
	}
	return expr, count
}

// within compiles a FieldWithin field: nodes m located in or held at a
// place inside x, through LOCATED_IN/HELD_AT and then PART_OF/LOCATED_IN
// hops between places. One node may be reached through several places:
// it is one row, with the first hop that places it (by the hop's id, so
// that the answer does not depend on Neo4j's plan; no aggregation here:
// an aggregate inside COLLECT {} upsets the enclosing projection).
func (c *compiler) within(x string, f *domain.FieldPlan, guard []string) (expr, count string) {
	r, m, pl := c.fresh("r"), c.fresh("m"), c.fresh("pl")
	p := f.Pattern
	match := fmt.Sprintf("(%s%s)-[%s:LOCATED_IN|HELD_AT]->(%s:Place)-[:PART_OF|LOCATED_IN*0..5]->(%s)", m, c.labelExpr(p.Targets), r, pl, x)
	cond := where(append(guard, c.nodeConds(m, f)...))
	keys := relatedOrderKeys(m, p.OrderBy)
	after, skip := c.pageStart(keys, f)
	expr = fmt.Sprintf("COLLECT { MATCH %s%s WITH DISTINCT %s ORDER BY %s SKIP %s LIMIT %s "+
		"WITH %[3]s, head(COLLECT { MATCH (%[3]s)-[%[7]s:LOCATED_IN|HELD_AT]->(:Place)-[:PART_OF|LOCATED_IN*0..5]->(%[8]s) RETURN %[7]s ORDER BY %[7]s.id }) AS %[7]s "+
		"RETURN {rel: %[9]s, node: %[10]s, out: startNode(%[7]s) = %[8]s, key: %[11]s, id: %[3]s.id} }",
		match, andWhere(cond, after), m, orderOf(keys), c.param(skip), c.param(int64(f.First+1)), r, x,
		c.rel(r, f.Rel), c.node(m, f.Node), keyValues(keys[:len(keys)-1]))
	if f.Count {
		count = fmt.Sprintf("COUNT { MATCH %s%s RETURN DISTINCT %s }", match, cond, m)
	}
	return expr, count
}

// relConds writes the conditions of a RelationshipFilter on r.
func (c *compiler) relConds(r string, rf *domain.RelationshipFilter) []string {
	var conds []string
	if rf.Role != nil {
		conds = append(conds, r+".role = "+c.param(*rf.Role))
	}
	if rf.From != nil {
		// in force at some time on or after From: no end, or an end not before it
		conds = append(conds, fmt.Sprintf("(%[1]s.endDate IS NULL OR left(%[1]s.endDate, size(%[2]s)) >= left(%[2]s, size(%[1]s.endDate)))", r, c.param(*rf.From)))
	}
	if rf.To != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.startDate IS NULL OR left(%[1]s.startDate, size(%[2]s)) <= left(%[2]s, size(%[1]s.startDate)))", r, c.param(*rf.To)))
	}
	if cond := c.statusCond(r, rf.Status); cond != "" {
		conds = append(conds, cond)
	}
	if rf.Current != nil {
		today := c.param(todayISO())
		cur := fmt.Sprintf("(%[1]s.endDate IS NULL OR left(%[2]s, size(%[1]s.endDate)) <= %[1]s.endDate)", r, today)
		if *rf.Current {
			conds = append(conds, cur)
		} else {
			conds = append(conds, "NOT "+cur)
		}
	}
	return conds
}

// statusCond tests that node or relationship x has one of the assertion
// statuses ("" for none asked). A fact stored before statuses existed
// has none and counts as STATED (domain.StoredStatus). Asked for statuses
// without STATED, the property is compared as it is stored, which the
// status indexes answer (EnsureSchema; a coalesce would hide it from
// them): a fact without one is not kept, and the IS NOT NULL keeps it so
// under NOT too (null IN … is null, and NOT null drops the row).
func (c *compiler) statusCond(x string, statuses []domain.AssertionStatus) string {
	if len(statuses) == 0 {
		return ""
	}
	p := c.param(domain.StatusStrings(statuses))
	if !slices.Contains(statuses, domain.StatusStated) {
		return "(" + x + ".status IN " + p + " AND " + x + ".status IS NOT NULL)"
	}
	return "coalesce(" + x + ".status, 'STATED') IN " + p
}

// whereStatus is statusCond as a WHERE clause ("" for none asked).
func (c *compiler) whereStatus(x string, statuses []domain.AssertionStatus) string {
	if cond := c.statusCond(x, statuses); cond != "" {
		return " WHERE " + cond
	}
	return ""
}

// filter writes the condition of a NodeFilter on node variable x; field
// names the argument for error messages.
func (c *compiler) filter(x string, f *domain.NodeFilter, field string) string {
	if f == nil {
		return ""
	}
	var conds []string
	if f.Ids != nil {
		conds = append(conds, x+".id IN "+c.param(f.Ids))
	}
	if len(f.Labels) > 0 {
		conds = append(conds, x+c.labelExpr(f.Labels))
	}
	if f.Kinds != nil {
		conds = append(conds, x+".kind IN "+c.param(f.Kinds))
	}
	if f.NameContains != nil {
		p := c.param(strings.ToLower(*f.NameContains))
		conds = append(conds, fmt.Sprintf("(toLower(%[1]s.name) CONTAINS %[2]s OR toLower(coalesce(%[1]s.nameEn, '')) CONTAINS %[2]s OR any(a IN coalesce(%[1]s.aliases, []) WHERE toLower(a) CONTAINS %[2]s))", x, p))
	}
	for _, place := range []struct {
		name string
		id   *string
	}{{"province", f.Province}, {"region", f.Region}, {"place", f.Place}} {
		if place.id != nil {
			c.ref(field+"."+place.name, *place.id)
			walk := ""
			if cond := c.statusCond("h", f.TieStatus); cond != "" {
				walk = " WHERE all(h IN relationships(walk) WHERE " + cond + ")"
			}
			conds = append(conds, fmt.Sprintf("EXISTS { MATCH walk = (%s)-[:LOCATED_IN|HELD_AT|PART_OF]->(:Place)-[:PART_OF|LOCATED_IN*0..5]->(:Node&Place {id: %s})%s }", x, c.param(*place.id), walk))
		}
	}
	if f.Side != nil {
		c.ref(field+".side", *f.Side)
		p := c.param(*f.Side)
		conds = append(conds, fmt.Sprintf("(EXISTS { MATCH (%[1]s)-[:ADVANCES]->(:Node&StrategySide {id: %[2]s}) } OR EXISTS { MATCH (%[1]s)-[:RUNS|LEADS|FUNDS]->(:Program)-[:ADVANCES]->(:Node&StrategySide {id: %[2]s}) })", x, p))
	}
	if f.Role != nil {
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH (%s)-[rr:PARTICIPATES_IN|ORGANIZES]-() WHERE %s }", x, c.roleCond("rr", *f.Role)))
	}
	if f.Participant != nil {
		c.ref(field+".participant", *f.Participant)
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH (%s)-[pr:PARTICIPATES_IN|ORGANIZES]-(:Node {id: %s})%s }", x, c.param(*f.Participant), c.whereStatus("pr", f.TieStatus)))
	}
	if f.DateFrom != nil || f.DateTo != nil {
		if cond := c.dateRange(x, f.DateFrom, f.DateTo, field); cond != "" {
			conds = append(conds, cond)
		}
	}
	if cond := c.statusCond(x, f.Status); cond != "" {
		conds = append(conds, cond)
	}
	for i, sub := range f.And {
		if cond := c.filter(x, sub, fmt.Sprintf("%s.and[%d]", field, i)); cond != "" {
			conds = append(conds, cond)
		}
	}
	if len(f.Or) > 0 {
		var ors []string
		for i, sub := range f.Or {
			cond := c.filter(x, sub, fmt.Sprintf("%s.or[%d]", field, i))
			if cond == "" {
				cond = "true"
			}
			ors = append(ors, cond)
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if f.Not != nil {
		if cond := c.filter(x, f.Not, field+".not"); cond != "" {
			conds = append(conds, "NOT ("+cond+")")
		}
	}
	if len(conds) == 0 {
		return ""
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

// dateRange writes the test that node x overlaps the range from..to (either
// may be open), dates at any precision: a bounding box on x.span, small
// for the short spans and open for the long ones (see span.go), which the
// POINT indexes answer, and then the exact test on the partial-date
// strings, which compares two dates at the coarser of their precisions.
func (c *compiler) dateRange(x string, from, to *string, field string) string {
	lo, hi := spanMin, spanMax
	var exact []string
	if from != nil {
		first, _, err := domain.DayRange(field+".dateFrom", *from)
		if err != nil {
			c.fail(err)
			return ""
		}
		lo = first
		exact = append(exact, fmt.Sprintf("left(coalesce(%[1]s.endDate, %[1]s.startDate), size(%[2]s)) >= left(%[2]s, size(coalesce(%[1]s.endDate, %[1]s.startDate)))", x, c.param(*from)))
	}
	if to != nil {
		_, last, err := domain.DayRange(field+".dateTo", *to)
		if err != nil {
			c.fail(err)
			return ""
		}
		hi = last
		exact = append(exact, fmt.Sprintf("left(%[1]s.startDate, size(%[2]s)) <= left(%[2]s, size(%[1]s.startDate))", x, c.param(*to)))
	}
	// The short box is bounded by the clamped ends: a span that clamping
	// made short is short only there.
	cLo, cHi := clampDay(lo), clampDay(hi)
	pLo, pHi := c.param(cLo), c.param(cHi)
	short := fmt.Sprintf("point.withinBBox(%s.span, point({x: %s, y: %s}), point({x: %s, y: %s}))",
		x, c.param(clampDay(int(cLo)-longSpanDays)), pLo, pHi, c.param(clampDay(int(cHi)+longSpanDays)))
	long := fmt.Sprintf("point.withinBBox(%s.longSpan, point({x: %d.0, y: %s}), point({x: %s, y: %d.0}))",
		x, spanMin, pLo, pHi, spanMax)
	return "((" + short + " OR " + long + ") AND " + strings.Join(exact, " AND ") + ")"
}

// Lookups by id always name the Node label: its uniqueness constraint is
// the index on id (a (:Place {id: ...}) alone would scan every place).

// anchor writes the MATCH a root list starts from, and returns the filter
// left to test after it. A filter on a participant or a place (at its top
// level, so ANDed with the rest) starts from that node and walks to the
// candidates, instead of scanning every node of the labels and testing
// each; the condition the walk already ensures is dropped from the rest
// (tested twice, Neo4j's planner folded the two into one plan that
// enumerated every path from the place, over a minute at 1M nodes).
// Places are walked down through places only, each reached once, as a
// quantified path pattern: an open *0..5 also walked through every actor
// located in a place.
func (c *compiler) anchor(x, labels string, f *domain.NodeFilter) (string, *domain.NodeFilter) {
	if f == nil {
		return fmt.Sprintf("MATCH (%s%s)", x, labels), f
	}
	rest := *f
	if f.Participant != nil {
		rest.Participant = nil
		c.ref("filter.participant", *f.Participant)
		return fmt.Sprintf("MATCH (anchor:Node {id: %s})-[ar:PARTICIPATES_IN|ORGANIZES]-(%s%s)%s WITH DISTINCT %s", c.param(*f.Participant), x, labels, c.whereStatus("ar", f.TieStatus), x), &rest
	}
	for _, place := range []struct {
		name string
		id   **string
	}{{"place", &rest.Place}, {"province", &rest.Province}, {"region", &rest.Region}} {
		if *place.id != nil {
			id := **place.id
			*place.id = nil
			c.ref("filter."+place.name, id)
			// under a status filter, every hop walked has one of its statuses
			hop, last := "", ""
			if cond := c.statusCond("h", f.TieStatus); cond != "" {
				hop, last = " WHERE "+cond, " WHERE "+c.statusCond("lh", f.TieStatus)
			}
			return fmt.Sprintf("MATCH (anchor:Node&Place {id: %s}) "+
				"CALL (anchor) { MATCH (pl:Place)((:Place)-[h:PART_OF|LOCATED_IN%s]->(:Place)){0,5}(anchor) RETURN DISTINCT pl } "+
				"MATCH (pl)<-[lh:LOCATED_IN|HELD_AT|PART_OF%s]-(%s%s) WITH DISTINCT %s", c.param(id), hop, last, x, labels, x), &rest
		}
	}
	return fmt.Sprintf("MATCH (%s%s)", x, labels), f
}

// listOrder writes the ORDER BY of a root list: its sort values (see
// keyset.go), then the id.
func listOrder(x string, o *domain.NodeOrder) string {
	return keyOrder(x, listKeys(x, o), listIDDesc(o))
}

// NodeByIDStatement is the one statement FindNodeByID runs for id and
// sel. Its text depends only on the shape of sel (values are parameters),
// so Neo4j plans one query shape once.
func NodeByIDStatement(id string, sel *domain.Selection) (string, map[string]any, error) {
	c := newCompiler()
	cypher := fmt.Sprintf("OPTIONAL MATCH (n:Node {id: %s}) RETURN %s AS node", c.param(id), c.node("n", sel))
	return cypher, c.params, c.err
}
