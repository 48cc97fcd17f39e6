package domain

// GraphStats counts the graph's nodes by label and relationships by type.
type GraphStats struct {
	Nodes         int
	Relationships int
	ByLabel       []*LabelCount
	ByType        []*TypeCount
}

// LabelCount is the number of nodes with one label.
type LabelCount struct {
	Label string
	Count int
}

// TypeCount is the number of relationships of one type.
type TypeCount struct {
	Type  RelType
	Count int
}
