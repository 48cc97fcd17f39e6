package domain

import "fmt"

// SearchHit is one search result.
type SearchHit struct {
	Node         Entitied
	Score        float64
	MatchedField string
	MatchedText  string
}

// SearchQuery asks the store to search names, aliases and descriptions.
type SearchQuery struct {
	Text   string
	Labels []string
	First  int
	Offset int
	Select *Selection
}

// SearchResult is a page of search hits.
type SearchResult struct {
	Hits  []*SearchHit
	Total int
	// Complete is false when a search branch reached its candidate bound.
	Complete bool
}

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
	Select    *Selection
	RelSelect *RelSelection
}

// Subgraph is a set of nodes and the relationships among them.
type Subgraph struct {
	Nodes     []Node
	Edges     []*Relationship
	Truncated bool
}

// NodeCount is the number of nodes.
func (g *Subgraph) NodeCount() int { return len(g.Nodes) }

// EdgeCount is the number of relationships.
func (g *Subgraph) EdgeCount() int { return len(g.Edges) }

// PathQuery asks for paths between two nodes.
type PathQuery struct {
	From, To  string
	K         int
	MaxLength int
	Types     []string
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

// TriangleSide is one side of the triangle with who advances it.
type TriangleSide struct {
	Side      *StrategySide
	Advancers []*Advancer
}

// Advancer is an actor that advances a side, directly or through programs.
type Advancer struct {
	Actor  Actor
	Direct bool
	Via    []*Program
}

// BridgeQuery asks for actors that link several sides.
type BridgeQuery struct {
	MaxHops  int
	MinSides int
	First    int
	Types    []string
	Select   *Selection
	// SideSelect is what to fetch of the sides reached.
	SideSelect *Selection
}

// Bridge is an actor within MaxHops of two or three sides.
type Bridge struct {
	Actor Actor
	Sides []*SideReach
}

// SideReach is how far a bridge is from one side.
type SideReach struct {
	Side     *StrategySide
	Distance int
}

// SideCount is the number of sides the bridge reaches.
func (b *Bridge) SideCount() int { return len(b.Sides) }

// TotalDistance sums the hops to each side reached.
func (b *Bridge) TotalDistance() int {
	t := 0
	for _, s := range b.Sides {
		t += s.Distance
	}
	return t
}

// GraphSlice is a subgraph as ids only, for metrics.
type GraphSlice struct {
	IDs   []string
	Pairs [][2]string
	// Truncated: the neighbourhood reached its cap, or the whole-graph
	// slice has more than its limit of nodes (then IDs holds limit+1 of
	// them and Pairs is empty).
	Truncated bool
}

// MetricsQuery says which subgraph to measure.
type MetricsQuery struct {
	Labels []string
	Types  []string
	Around *string
	Depth  int
	Cap    int // most nodes of a neighbourhood (Around)
	Limit  int // most nodes of a slice of the whole graph
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
}

// ExportCap is the most nodes an export may hold.
const ExportCap = 50_000

// Scope says which subgraph to export: the neighborhood Around a node, the
// paths between PathFrom and PathTo, or else the nodes with Labels and the
// relationships of Types among them (the whole graph when both are empty).
type Scope struct {
	Labels    []string
	Types     []string
	Around    string
	Depth     int
	PathFrom  string
	PathTo    string
	K         int
	MaxLength int
}

// Validate checks a scope; field prefixes the names in errors.
func (s *Scope) Validate(field string) error {
	if s.Depth == 0 {
		s.Depth = 1
	}
	if s.K == 0 {
		s.K = DefaultPathsK
	}
	if s.MaxLength == 0 {
		s.MaxLength = DefaultPathLen
	}
	for i, l := range s.Labels {
		if !IsNodeLabel(l) && l != LabelActor && l != LabelPlace {
			return Invalid(fmt.Sprintf("%slabels[%d]", field, i), "%q is not a node label", l)
		}
	}
	for i, t := range s.Types {
		if !IsRelType(t) {
			return Invalid(fmt.Sprintf("%stypes[%d]", field, i), "%q is not a relationship type", t)
		}
	}
	if s.Around != "" {
		if err := ValidateID(field+"around", s.Around); err != nil {
			return err
		}
		if s.Depth < 1 || s.Depth > MaxDepth {
			return Invalid(field+"depth", "is %d; it must be between 1 and %d", s.Depth, MaxDepth)
		}
	}
	if (s.PathFrom == "") != (s.PathTo == "") {
		return Invalid(field+"pathTo", "pathFrom and pathTo go together")
	}
	if s.PathFrom != "" {
		if s.Around != "" {
			return Invalid(field+"around", "give either around or pathFrom/pathTo, not both")
		}
		if err := ValidateID(field+"pathFrom", s.PathFrom); err != nil {
			return err
		}
		if err := ValidateID(field+"pathTo", s.PathTo); err != nil {
			return err
		}
		if s.K < 1 || s.K > MaxPaths {
			return Invalid(field+"k", "is %d; it must be between 1 and %d", s.K, MaxPaths)
		}
		if s.MaxLength < 1 || s.MaxLength > MaxPathLength {
			return Invalid(field+"maxLength", "is %d; it must be between 1 and %d", s.MaxLength, MaxPathLength)
		}
	}
	return nil
}
