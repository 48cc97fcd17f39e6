package domain

// Filters and orders: what a list, a related-nodes field or a traversal
// keeps, and in which order. The GraphQL layer binds its input types to
// these (gqlgen autobind), so the store reads the same structs the client
// sent, validated by the graph package first.

// NodeFilter is a filter on nodes. Fields combine with AND; And, Or and Not
// compose filters. Dates are ISO or Thai text (ParseDate).
type NodeFilter struct {
	Ids          []string `json:"ids,omitempty"`
	Labels       []string `json:"labels,omitempty"`
	Kinds        []string `json:"kinds,omitempty"`
	NameContains *string  `json:"nameContains,omitempty"`
	Province     *string  `json:"province,omitempty"`
	Region       *string  `json:"region,omitempty"`
	Side         *string  `json:"side,omitempty"`
	Role         *string  `json:"role,omitempty"`
	Participant  *string  `json:"participant,omitempty"`
	Place        *string  `json:"place,omitempty"`
	DateFrom     *string  `json:"dateFrom,omitempty"`
	DateTo       *string  `json:"dateTo,omitempty"`
	// Status keeps nodes of one of these assertion statuses.
	Status []AssertionStatus `json:"status,omitempty"`
	// TieStatus, when set, keeps only the ties the filter walks of these
	// statuses: the participations of Participant, and the hops from a
	// node to Place, Province or Region (its LOCATED_IN, HELD_AT or
	// PART_OF, and those between places). It is the timeline's status
	// filter, not part of the GraphQL input.
	TieStatus []AssertionStatus `json:"-"`
	And       []*NodeFilter     `json:"and,omitempty"`
	Or        []*NodeFilter     `json:"or,omitempty"`
	Not       *NodeFilter       `json:"not,omitempty"`
}

// RelationshipFilter is a filter on the relationships of a node.
type RelationshipFilter struct {
	Types     []RelType  `json:"types,omitempty"`
	Direction *Direction `json:"direction,omitempty"`
	// OtherLabels keeps relationships whose other end has one of these labels.
	OtherLabels []string `json:"otherLabels,omitempty"`
	Role        *string  `json:"role,omitempty"`
	// From and To keep relationships in force at some time in [From, To];
	// undated relationships always match.
	From *string `json:"from,omitempty"`
	To   *string `json:"to,omitempty"`
	// Current keeps relationships with no end date, or one today or later.
	Current *bool `json:"current,omitempty"`
	// Status keeps relationships of one of these assertion statuses.
	Status []AssertionStatus `json:"status,omitempty"`
}

// NodeOrder orders a list of nodes.
type NodeOrder struct {
	Field     NodeOrderField `json:"field"`
	Direction OrderDirection `json:"direction"`
}

// NodeOrderField is what a list of nodes is ordered by.
type NodeOrderField string

const (
	NodeOrderFieldName   NodeOrderField = "NAME"
	NodeOrderFieldNameEn NodeOrderField = "NAME_EN"
	NodeOrderFieldID     NodeOrderField = "ID"
	// NodeOrderFieldDate is the start (events, programs) or publication
	// (sources) date; undated last.
	NodeOrderFieldDate NodeOrderField = "DATE"
	// NodeOrderFieldDegree is the number of relationships.
	NodeOrderFieldDegree NodeOrderField = "DEGREE"
)

// IsValid reports whether f is one of the order fields.
func (f NodeOrderField) IsValid() bool {
	switch f {
	case NodeOrderFieldName, NodeOrderFieldNameEn, NodeOrderFieldID, NodeOrderFieldDate, NodeOrderFieldDegree:
		return true
	}
	return false
}

// OrderDirection is ascending or descending.
type OrderDirection string

const (
	OrderDirectionAsc  OrderDirection = "ASC"
	OrderDirectionDesc OrderDirection = "DESC"
)

// IsValid reports whether d is ASC or DESC.
func (d OrderDirection) IsValid() bool { return d == OrderDirectionAsc || d == OrderDirectionDesc }
