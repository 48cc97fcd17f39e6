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

type (
	Agency        struct{ Entity }
	Network       struct{ Entity }
	Person        struct{ Entity }
	Region        struct{ Entity }
	Province      struct{ Entity }
	District      struct{ Entity }
	Subdistrict   struct{ Entity }
	Venue         struct{ Entity }
	Event         struct{ Entity }
	AgendaSession struct{ Entity }
	Program       struct{ Entity }
	StrategySide  struct{ Entity }
	Source        struct{ Entity }
)

func (*Agency) IsNode()        {}
func (*Network) IsNode()       {}
func (*Person) IsNode()        {}
func (*Region) IsNode()        {}
func (*Province) IsNode()      {}
func (*District) IsNode()      {}
func (*Subdistrict) IsNode()   {}
func (*Venue) IsNode()         {}
func (*Event) IsNode()         {}
func (*AgendaSession) IsNode() {}
func (*Program) IsNode()       {}
func (*StrategySide) IsNode()  {}
func (*Source) IsNode()        {}

func (*Agency) IsActor()  {}
func (*Network) IsActor() {}
func (*Person) IsActor()  {}

func (*Region) IsPlace()      {}
func (*Province) IsPlace()    {}
func (*District) IsPlace()    {}
func (*Subdistrict) IsPlace() {}
func (*Venue) IsPlace()       {}

// IsoCode is the ISO 3166-2:TH code of a province.
func (p *Province) IsoCode() string {
	if p.Code == nil {
		return ""
	}
	return *p.Code
}

// Published is the publication date of a source.
func (s *Source) Published() *PartialDate { return s.Start }

// WrapEntity gives the concrete node type for an entity, by its label.
func WrapEntity(e *Entity) Entitied {
	switch e.Label {
	case LabelAgency:
		return &Agency{*e}
	case LabelNetwork:
		return &Network{*e}
	case LabelPerson:
		return &Person{*e}
	case LabelRegion:
		return &Region{*e}
	case LabelProvince:
		return &Province{*e}
	case LabelDistrict:
		return &District{*e}
	case LabelSubdistrict:
		return &Subdistrict{*e}
	case LabelVenue:
		return &Venue{*e}
	case LabelEvent:
		return &Event{*e}
	case LabelAgendaSession:
		return &AgendaSession{*e}
	case LabelProgram:
		return &Program{*e}
	case LabelStrategySide:
		return &StrategySide{*e}
	case LabelSource:
		return &Source{*e}
	}
	return nil
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
	Version     int
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
