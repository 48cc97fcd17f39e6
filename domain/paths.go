package domain

// PathQuery asks for paths between two nodes.
type PathQuery struct {
	From, To  string
	K         int
	MaxLength int
	Types     []string
	// Status keeps paths whose relationships and nodes past the start
	// all have one of these assertion statuses (all when empty).
	Status    []AssertionStatus
	Select    *Selection
	RelSelect *RelSelection
}

// Path is a walk from one node to another.
type Path struct {
	Nodes []Node
	Edges []*Relationship
}

// Length is the number of relationships on the path.
func (p *Path) Length() int { return len(p.Edges) }
