package domain

import (
	"hash/fnv"
	"strconv"
)

// Keyset is where a keyset page starts: just after the row whose sort
// values (in the list order's terms, see store's listKeys) are Values and
// whose id is ID. Unlike an offset, it names a row, not a position: nodes
// inserted or deleted before it do not shift the next page, so paging
// neither repeats nor skips a node that was there all along.
type Keyset struct {
	// Order is the order the values belong to ("NAME ASC"…): a cursor
	// of one order means nothing in another.
	Order  string
	Values []any
	ID     string
	// Offset is the row's position when it was read: informational
	// (hasPreviousPage), never used to page.
	Offset int
}

// OrderName is the name of an order in Keyset.Order (nil: the default).
func OrderName(o *NodeOrder) string {
	if o == nil {
		return string(NodeOrderFieldName) + " " + string(OrderDirectionAsc)
	}
	return string(o.Field) + " " + string(o.Direction)
}

// FieldOrderName is the name, in Keyset.Order, of the order of a nested
// connection's rows: the schema fixes it per field (its kind and the
// @related order), so a cursor of another field's order, or of a root
// list, is refused rather than read in terms it does not have.
func FieldOrderName(f *FieldPlan) string {
	by := f.Pattern.OrderBy
	if by == "" {
		by = "name"
	}
	switch f.Kind {
	case FieldWithin:
		return "within " + by
	case FieldRelationships:
		return "relationships"
	}
	return "related " + by
}

// SearchOrderName is the name, in Keyset.Order, of a search's ranking:
// it depends on the query's text and on whether it folds, so a cursor of
// one search is refused by another.
func SearchOrderName(text string, sameAs SameAs) string {
	h := fnv.New64a()
	h.Write([]byte(string(sameAs) + "\x00" + text))
	return "search " + strconv.FormatUint(h.Sum64(), 36)
}
