package domain

// Limits of exploration arguments.
const (
	MaxDepth       = 3
	MaxNodeCap     = 1000
	DefaultNodeCap = 200
	MaxPathLength  = 6
	MaxPaths       = 10
	DefaultPathsK  = 3
	DefaultPathLen = 4
)

// NeighborhoodQuery asks for the subgraph around a node.
type NeighborhoodQuery struct {
	ID        string
	Depth     int
	Types     []string
	Direction Direction
	Labels    []string // nodes kept (besides the start); empty = any
	From, To  *string  // relationships in force at some time in [From, To]
	Cap       int      // most nodes, the start included
	// Status keeps the relationships walked and the nodes reached (the
	// start aside) of these assertion statuses (all when empty).
	Status    []AssertionStatus
	Select    *Selection
	RelSelect *RelSelection
	// SameAs FOLD reads the nodes joined by POSSIBLY_SAME_AS as one.
	SameAs SameAs
}

// Subgraph is a set of nodes and the relationships among them.
type Subgraph struct {
	Nodes     []Node
	Edges     []*Relationship
	Truncated bool
	// Folded lists the groups read as one node (SameAs FOLD).
	Folded []*Fold
}

// NodeCount is the number of nodes.
func (g *Subgraph) NodeCount() int { return len(g.Nodes) }

// EdgeCount is the number of relationships.
func (g *Subgraph) EdgeCount() int { return len(g.Edges) }
