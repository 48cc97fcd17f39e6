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
// order of keys and x's id: the lexicographic comparison, one key at a
// time, each in its direction. The cursor's values travel as parameters.
func (c *compiler) keysetCond(x string, keys []sortKey, idDesc bool, k *domain.Keyset, field string) string {
	if len(k.Values) != len(keys) {
		c.fail(domain.Invalid(field, "the cursor belongs to another order of this list"))
		return ""
	}
	exprs := make([]sortKey, 0, len(keys)+1)
	exprs = append(exprs, keys...)
	exprs = append(exprs, sortKey{x + ".id", idDesc})
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

// keyValues writes the list of x's sort values, returned with each row so
// that its cursor can carry them.
func keyValues(keys []sortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.expr
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
