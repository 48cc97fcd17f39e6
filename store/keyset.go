package store

import (
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// A root list is ordered by a few sort values and then the node's id, a
// total order. Its pages are keyset pages: the next one starts after the
// last row's values and id (WHERE (values, id) > (last's)), not after a
// count of rows (SKIP), so nodes inserted or deleted meanwhile before the
// cursor do not shift the page.

// sortKey is one sort value of a list order: its Cypher expression, which
// is never null (so the comparisons of a keyset condition are never
// null), and its direction.
type sortKey struct {
	expr string
	desc bool
}

// listKeys are the sort values of a root list's order on x, before the id
// (always ascending, the tie-break).
func listKeys(x string, o *domain.NodeOrder) []sortKey {
	field, desc := domain.NodeOrderFieldName, false
	if o != nil {
		field, desc = o.Field, o.Direction == domain.OrderDirectionDesc
	}
	switch field {
	case domain.NodeOrderFieldNameEn:
		return []sortKey{{"coalesce(" + x + ".nameEn, " + x + ".name, '')", desc}}
	case domain.NodeOrderFieldID:
		return nil // the id alone, in the asked direction: see listIDDesc
	case domain.NodeOrderFieldDate:
		// undated last in either direction
		return []sortKey{{x + ".startDate IS NULL", false}, {"coalesce(" + x + ".startDate, '')", desc}}
	case domain.NodeOrderFieldDegree:
		return []sortKey{{"COUNT { (" + x + ")--() }", desc}}
	}
	return []sortKey{{"coalesce(" + x + ".nameKey, '')", desc}}
}

// listIDDesc tells whether the id, the last sort value, runs descending:
// only when the list is ordered by id, descending.
func listIDDesc(o *domain.NodeOrder) bool {
	return o != nil && o.Field == domain.NodeOrderFieldID && o.Direction == domain.OrderDirectionDesc
}

// keyOrder writes the ORDER BY of keys and then x's id.
func keyOrder(x string, keys []sortKey, idDesc bool) string {
	parts := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		parts = append(parts, k.expr+dirWord(k.desc))
	}
	return strings.Join(append(parts, x+".id"+dirWord(idDesc)), ", ")
}

func dirWord(desc bool) string {
	if desc {
		return " DESC"
	}
	return ""
}

// keysetCond writes the condition that x comes after the row at k in the
// order of keys and x's id (see afterCond).
func (c *compiler) keysetCond(x string, keys []sortKey, idDesc bool, k *domain.Keyset, field string) string {
	exprs := append(append(make([]sortKey, 0, len(keys)+1), keys...), sortKey{x + ".id", idDesc})
	return c.afterCond(exprs, k, field)
}

// afterCond writes the condition that a row comes after the row at k in
// the order of exprs, whose last is the row's id (k.ID) and the others
// k.Values: the lexicographic comparison, one key at a time, each in its
// direction. The cursor's values travel as parameters.
func (c *compiler) afterCond(exprs []sortKey, k *domain.Keyset, field string) string {
	if len(k.Values) != len(exprs)-1 {
		c.fail(domain.Invalid(field, "the cursor belongs to another order of this list"))
		return ""
	}
	vals := make([]string, 0, len(exprs))
	for _, v := range k.Values {
		vals = append(vals, c.param(v))
	}
	vals = append(vals, c.param(k.ID))
	// a > A OR (a = A AND (b > B OR (b = B AND …)))
	cond := ""
	for i := len(exprs) - 1; i >= 0; i-- {
		op := " > "
		if exprs[i].desc {
			op = " < "
		}
		after := exprs[i].expr + op + vals[i]
		if cond == "" {
			cond = after
			continue
		}
		cond = fmt.Sprintf("(%s OR (%s = %s AND %s))", after, exprs[i].expr, vals[i], cond)
	}
	return cond
}

// A nested connection (a @related field, Node.relationships, a place's
// nodes within) is ordered by a few sort values of its rows, each row a
// relationship r and the node m it reaches, and ends with an id that
// makes the order total; it pages by keyset like a root list.

// relatedOrderKeys are the sort values of a @related order on node m
// (the pattern's orderBy), m's id last.
func relatedOrderKeys(m, by string) []sortKey {
	name := sortKey{"coalesce(" + m + ".nameKey, '')", false}
	id := sortKey{m + ".id", false}
	switch by {
	case "order":
		return []sortKey{{m + ".order IS NULL", false}, {"coalesce(" + m + ".order, 0)", false}, id}
	case "date":
		return []sortKey{{m + ".startDate IS NULL", false}, {"coalesce(" + m + ".startDate, '')", false}, name, id}
	}
	return []sortKey{name, id}
}

// relatedRowKeys are the sort values of a row (r, m) of a @related field:
// m's order, then r (one node may be reached by several relationships,
// as CODI takes part in the meeting in three roles), r's id last.
func relatedRowKeys(r, m, by string) []sortKey {
	return append(relatedOrderKeys(m, by), sortKey{"type(" + r + ")", false}, sortKey{r + ".id", false})
}

// relationshipRowKeys are the sort values of a row of Node.relationships:
// by type, then the other end's name and id, r's id last.
func relationshipRowKeys(r, m string) []sortKey {
	return []sortKey{{"type(" + r + ")", false}, {"coalesce(" + m + ".nameKey, '')", false}, {m + ".id", false}, {r + ".id", false}}
}

// orderOf writes the ORDER BY of keys.
func orderOf(keys []sortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.expr + dirWord(k.desc)
	}
	return strings.Join(parts, ", ")
}

// pageStart writes how a nested connection's page starts: after the
// cursor's row (a condition on the rows, keys' last the id) with no rows
// skipped, or at the plan's offset.
func (c *compiler) pageStart(keys []sortKey, f *domain.FieldPlan) (cond string, skip int64) {
	if f.After == nil {
		return "", int64(f.Offset)
	}
	if f.After.Order != domain.FieldOrderName(f) {
		c.fail(domain.Invalid("after", "the cursor belongs to another order (%s, not %s)", f.After.Order, domain.FieldOrderName(f)))
		return "", 0
	}
	return c.afterCond(keys, f.After, "after"), 0
}

// andWhere is where (a WHERE clause or "") with cond ANDed to it.
func andWhere(where, cond string) string {
	switch {
	case cond == "":
		return where
	case where == "":
		return " WHERE " + cond
	}
	return where + " AND " + cond
}

// keyValues writes the list of x's sort values, returned with each row so
// that its cursor can carry them.
func keyValues(keys []sortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.expr
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
