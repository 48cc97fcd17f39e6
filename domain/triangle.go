package domain

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
	// Status keeps the relationships walked and the nodes reached of
	// these assertion statuses (all when empty).
	Status []AssertionStatus
	Select *Selection
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
