package domain

// GraphSlice is a subgraph as ids only, for metrics.
type GraphSlice struct {
	IDs   []string
	Pairs [][2]string
	// Truncated: the neighbourhood reached its cap, or the whole-graph
	// slice has more than its limit of nodes (then IDs holds limit+1 of
	// them and Pairs is empty).
	Truncated bool
	// Folded lists the groups read as one id (SameAs FOLD).
	Folded []*Fold
}

// MetricsQuery says which subgraph to measure.
type MetricsQuery struct {
	Labels []string
	Types  []string
	Around *string
	Depth  int
	Cap    int // most nodes of a neighbourhood (Around)
	Limit  int // most nodes of a slice of the whole graph
	// Status keeps the nodes and relationships of these assertion
	// statuses (all when empty).
	Status []AssertionStatus
	// SameAs FOLD reads the nodes joined by POSSIBLY_SAME_AS as one.
	SameAs SameAs
}

// NodeMetrics is the metrics of one node.
type NodeMetrics struct {
	Node           Node
	Degree         int
	WeightedDegree float64
	Betweenness    float64
	Closeness      float64
	Component      int
	Community      int
}

// NodeGroup is a component or community.
type NodeGroup struct {
	ID      int
	Size    int
	Members []string
}

// NetworkMetrics is what networkMetrics returns.
type NetworkMetrics struct {
	NodeCount      int
	EdgeCount      int
	ComponentCount int
	CommunityCount int
	Exact          bool
	Truncated      bool
	Samples        *int
	ErrorBound     *string
	Nodes          []*NodeMetrics
	Components     []*NodeGroup
	Communities    []*NodeGroup
	// Folded lists the groups measured as one node (SameAs FOLD).
	Folded []*Fold
}
