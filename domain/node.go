package domain

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Node, Actor and Place are the GraphQL interfaces.
type Node interface{ IsNode() }

// Actor is an agency, network or person.
type Actor interface {
	Node
	IsActor()
}

// Place is a region, province, district, subdistrict or venue.
type Place interface {
	Node
	IsPlace()
}

// Entity holds what every node has. Related holds what the query asked for
// beyond the node's own properties, fetched in the same round trip, keyed by
// the response name (alias) of the field that asked.
type Entity struct {
	ID            string
	Label         string
	Kind          Kind
	Name          string
	NameEn        *string
	Aliases       []string
	Description   *string
	DescriptionEn *string
	Code          *string
	PostalCode    *string
	Address       *string
	URL           *string
	Order         int
	StartsAt      *string
	EndsAt        *string
	Start         *PartialDate
	End           *PartialDate
	Evidence      []*EvidenceItem
	Status        AssertionStatus
	Basis         *string
	Version       int

	Related map[string]*Page
}

// E returns the entity itself; every concrete node type has it by embedding.
func (e *Entity) E() *Entity { return e }

// Entitied is implemented by every concrete node type.
type Entitied interface {
	Node
	E() *Entity
}

// IsNode makes every node type a Node (gqlgen's interface marker).
func (*Entity) IsNode() {}

// actor and place mark the node types behind the Actor and Place
// interfaces.
type (
	actor struct{}
	place struct{}
)

func (actor) IsActor() {}
func (place) IsPlace() {}

// The concrete node types. A new type is its struct here, its label below
// and its line in nodeTypes; the rest of the domain reads that table.
type (
	Agency struct {
		Entity
		actor
	}
	Network struct {
		Entity
		actor
	}
	Person struct {
		Entity
		actor
	}
	Region struct {
		Entity
		place
	}
	Province struct {
		Entity
		place
	}
	District struct {
		Entity
		place
	}
	Subdistrict struct {
		Entity
		place
	}
	Venue struct {
		Entity
		place
	}
	Event         struct{ Entity }
	AgendaSession struct{ Entity }
	Program       struct{ Entity }
	StrategySide  struct{ Entity }
	Source        struct{ Entity }
)

// The node labels of the graph. Every node also carries the label Node (one
// uniqueness constraint on Node.id keeps ids unique across kinds) and, where
// it applies, Actor or Place. Cypher only ever takes labels from this list.
const (
	LabelAgency        = "Agency"
	LabelNetwork       = "Network"
	LabelPerson        = "Person"
	LabelRegion        = "Region"
	LabelProvince      = "Province"
	LabelDistrict      = "District"
	LabelSubdistrict   = "Subdistrict"
	LabelVenue         = "Venue"
	LabelEvent         = "Event"
	LabelAgendaSession = "AgendaSession"
	LabelProgram       = "Program"
	LabelStrategySide  = "StrategySide"
	LabelSource        = "Source"

	LabelNode  = "Node"
	LabelActor = "Actor"
	LabelPlace = "Place"
)

// nodeType is one concrete node type: its label, the shared label it also
// carries ("" for none), and its Go type around an entity.
type nodeType struct {
	label, shared string
	wrap          func(Entity) Entitied
}

// nodeTypes lists every concrete node type, in a stable order.
var nodeTypes = []nodeType{
	{LabelAgency, LabelActor, func(e Entity) Entitied { return &Agency{Entity: e} }},
	{LabelNetwork, LabelActor, func(e Entity) Entitied { return &Network{Entity: e} }},
	{LabelPerson, LabelActor, func(e Entity) Entitied { return &Person{Entity: e} }},
	{LabelRegion, LabelPlace, func(e Entity) Entitied { return &Region{Entity: e} }},
	{LabelProvince, LabelPlace, func(e Entity) Entitied { return &Province{Entity: e} }},
	{LabelDistrict, LabelPlace, func(e Entity) Entitied { return &District{Entity: e} }},
	{LabelSubdistrict, LabelPlace, func(e Entity) Entitied { return &Subdistrict{Entity: e} }},
	{LabelVenue, LabelPlace, func(e Entity) Entitied { return &Venue{Entity: e} }},
	{LabelEvent, "", func(e Entity) Entitied { return &Event{e} }},
	{LabelAgendaSession, "", func(e Entity) Entitied { return &AgendaSession{e} }},
	{LabelProgram, "", func(e Entity) Entitied { return &Program{e} }},
	{LabelStrategySide, "", func(e Entity) Entitied { return &StrategySide{e} }},
	{LabelSource, "", func(e Entity) Entitied { return &Source{e} }},
}

var nodeTypeOf = func() map[string]nodeType {
	m := make(map[string]nodeType, len(nodeTypes))
	for _, t := range nodeTypes {
		m[t.label] = t
	}
	return m
}()

// NodeLabels lists the concrete labels, in a stable order.
var NodeLabels = func() []string {
	out := make([]string, len(nodeTypes))
	for i, t := range nodeTypes {
		out[i] = t.label
	}
	return out
}()

// SharedLabel is the second label a concrete label carries ("" for none).
func SharedLabel(label string) string { return nodeTypeOf[label].shared }

// IsNodeLabel reports whether label is one of NodeLabels.
func IsNodeLabel(label string) bool { _, ok := nodeTypeOf[label]; return ok }

// IsoCode is the ISO 3166-2:TH code of a province.
func (p *Province) IsoCode() string {
	if p.Code == nil {
		return ""
	}
	return *p.Code
}

// Published is the publication date of a source.
func (s *Source) Published() *PartialDate { return s.Start }

// WrapEntity gives the concrete node type for an entity, by its label
// (nil for a label that is none of NodeLabels).
func WrapEntity(e *Entity) Entitied {
	t, ok := nodeTypeOf[e.Label]
	if !ok {
		return nil
	}
	return t.wrap(*e)
}

// EvidenceItem is evidence as GraphQL serves it: with the source node.
type EvidenceItem struct {
	Source  *Source
	Quote   string
	Locator *string
	Note    *string
}

// Relationship is one relationship with its properties.
type Relationship struct {
	ID          string
	Type        RelType
	FromID      string
	ToID        string
	From        Node
	To          Node
	Role        *string
	RoleTh      *string
	Description *string
	Start       *PartialDate
	End         *PartialDate
	Evidence    []*EvidenceItem
	Status      AssertionStatus
	Basis       *string
	Version     int
	// Event is the id of the event the tie is about (RelRecord.Event).
	Event *string
}

// Current is false once the relationship's end date has passed.
func (r *Relationship) Current() bool {
	if r.End == nil {
		return true
	}
	today := time.Now().UTC().Format("2006-01-02")
	return r.End.Date >= today[:len(r.End.Date)]
}

// Page is one page of a list of nodes, as the store reads it: the items in
// order, where the page starts, whether more follow, and the total when it
// was asked for. The GraphQL layer turns it into a Relay connection.
type Page struct {
	Items  []*Item
	Offset int
	More   bool
	Total  int
}

// Item is one node of a page, with the relationship that reached it (for a
// related-nodes field) and that relationship's direction seen from the
// node the field is on.
type Item struct {
	Node         Entitied
	Relationship *Relationship
	Direction    Direction
	// Key is the row's keyset position, for lists paged by keyset.
	Key *Keyset
}

// Kind is the value of every *Kind enum of the schema.
type Kind string

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *Kind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("kind must be a string")
	}
	*k = Kind(s)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (k Kind) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(k))) }

// RelType is a relationship type.
type RelType string

// UnmarshalGQL implements graphql.Unmarshaler.
func (t *RelType) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !IsRelType(s) {
		return fmt.Errorf("%v is not a relationship type", v)
	}
	*t = RelType(s)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (t RelType) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(t))) }

// Direction is the direction of a relationship seen from a node.
type Direction string

const (
	DirectionOut  Direction = "OUT"
	DirectionIn   Direction = "IN"
	DirectionBoth Direction = "BOTH"
)

// IsValid reports whether d is a known direction.
func (d Direction) IsValid() bool {
	return d == DirectionOut || d == DirectionIn || d == DirectionBoth
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *Direction) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Direction(s).IsValid() {
		return fmt.Errorf("%v is not a Direction", v)
	}
	*d = Direction(s)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (d Direction) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(d))) }

// Iso is the date in ISO 8601.
func (d *PartialDate) Iso() string { return d.Date }

func (d *PartialDate) part(i int) *int {
	parts := strings.Split(d.Date, "-")
	if i >= len(parts) {
		return nil
	}
	n, err := strconv.Atoi(parts[i])
	if err != nil {
		return nil
	}
	return &n
}

// Year is the year in the Common Era.
func (d *PartialDate) Year() int {
	if y := d.part(0); y != nil {
		return *y
	}
	return 0
}

// YearBe is the year in the Buddhist Era.
func (d *PartialDate) YearBe() int { return d.Year() + 543 }

// Month is the month, when known.
func (d *PartialDate) Month() *int { return d.part(1) }

// Day is the day of the month, when known.
func (d *PartialDate) Day() *int { return d.part(2) }
