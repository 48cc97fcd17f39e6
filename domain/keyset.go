package domain

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
