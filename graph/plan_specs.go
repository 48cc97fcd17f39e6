package graph

import "github.com/phakhi/phakhi/domain"

// MaxPageSize caps `first` on every connection.
const MaxPageSize = 100

// listCap bounds the plain lists of the schema (sessions, heldAt, advances…).
const listCap = 200

// fieldShape says what a related-nodes field returns.
type fieldShape int

const (
	shapeConnection    fieldShape = iota // a Relay connection of typed edges
	shapeList                            // a plain list of nodes
	shapeSingle                          // one node or null
	shapeWithin                          // a connection of the nodes located within a place
	shapeRelationships                   // Node.relationships: a connection of relationships
)

type fieldSpec struct {
	pattern domain.Pattern
	shape   fieldShape
}

var (
	out = domain.DirectionOut
	in  = domain.DirectionIn
)

func spec(shape fieldShape, dir domain.Direction, types []string, targets []string, orderBy string) fieldSpec {
	return fieldSpec{shape: shape, pattern: domain.Pattern{Types: types, Direction: dir, Targets: targets, OrderBy: orderBy}}
}

func within(targets []string, orderBy string) fieldSpec {
	return fieldSpec{shape: shapeWithin, pattern: domain.Pattern{Targets: targets, OrderBy: orderBy}}
}

func types(t ...string) []string  { return t }
func labels(l ...string) []string { return l }

// specs maps "Type.field" (or "*.field" for interface fields) to how the
// field reaches its nodes. It is the only place where the typed face of the
// schema meets relationship types.
var specs = map[string]fieldSpec{
	"*.relationships":  {shape: shapeRelationships},
	"*.participations": spec(shapeConnection, out, types(domain.RelParticipatesIn, domain.RelOrganizes), labels(domain.LabelEvent, domain.LabelAgendaSession, domain.LabelProgram), "date"),
	"*.advances":       spec(shapeList, out, types(domain.RelAdvances), labels(domain.LabelStrategySide), "name"),
	"*.locatedIn":      spec(shapeList, out, types(domain.RelLocatedIn), labels(domain.LabelPlace), "name"),

	"Region.partOf":      spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelPlace), ""),
	"Province.partOf":    spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelPlace), ""),
	"District.partOf":    spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelPlace), ""),
	"Subdistrict.partOf": spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelPlace), ""),
	"Venue.partOf":       spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelPlace), ""),

	"Agency.parent":    spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelAgency), ""),
	"Agency.units":     spec(shapeConnection, in, types(domain.RelPartOf), labels(domain.LabelAgency), ""),
	"Agency.members":   spec(shapeConnection, in, types(domain.RelWorksFor, domain.RelHoldsPosition, domain.RelLeads, domain.RelRepresents, domain.RelMemberOf), labels(domain.LabelPerson), ""),
	"Agency.programs":  spec(shapeConnection, out, types(domain.RelRuns, domain.RelFunds, domain.RelLeads), labels(domain.LabelProgram), ""),
	"Agency.organizes": spec(shapeConnection, out, types(domain.RelOrganizes), labels(domain.LabelEvent), "date"),
	"Agency.supports":  spec(shapeConnection, out, types(domain.RelSupports, domain.RelSecretariatOf, domain.RelFunds), nil, ""),

	"Network.members":    spec(shapeConnection, in, types(domain.RelMemberOf), labels(domain.LabelActor), ""),
	"Network.supporters": spec(shapeConnection, in, types(domain.RelSupports, domain.RelSecretariatOf, domain.RelFunds), labels(domain.LabelActor), ""),
	"Network.partOf":     spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelNetwork), ""),

	"Person.affiliations": spec(shapeConnection, out, types(domain.RelWorksFor, domain.RelHoldsPosition, domain.RelLeads, domain.RelRepresents, domain.RelFounded, domain.RelMemberOf), nil, ""),
	"Person.authored":     spec(shapeConnection, out, types(domain.RelAuthored), labels(domain.LabelSource), ""),

	"Region.provinces":      spec(shapeConnection, in, types(domain.RelPartOf), labels(domain.LabelProvince), ""),
	"Province.region":       spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelRegion), ""),
	"Province.districts":    spec(shapeConnection, in, types(domain.RelPartOf), labels(domain.LabelDistrict), ""),
	"Province.actors":       within(labels(domain.LabelActor), ""),
	"Province.events":       within(labels(domain.LabelEvent), "date"),
	"District.province":     spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelProvince), ""),
	"District.subdistricts": spec(shapeConnection, in, types(domain.RelPartOf), labels(domain.LabelSubdistrict), ""),
	"Subdistrict.district":  spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelDistrict), ""),
	"Venue.events":          within(labels(domain.LabelEvent), "date"),

	"Event.heldAt":       spec(shapeList, out, types(domain.RelHeldAt), nil, ""),
	"Event.sessions":     spec(shapeList, in, types(domain.RelPartOf), labels(domain.LabelAgendaSession), "order"),
	"Event.participants": spec(shapeConnection, in, types(domain.RelParticipatesIn, domain.RelOrganizes), labels(domain.LabelActor), ""),
	"Event.followsFrom":  spec(shapeList, out, types(domain.RelFollowsFrom), labels(domain.LabelEvent), "date"),
	"Event.followedBy":   spec(shapeList, in, types(domain.RelFollowsFrom), labels(domain.LabelEvent), "date"),
	"Event.partOf":       spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelEvent), ""),
	"Event.parts":        spec(shapeConnection, in, types(domain.RelPartOf), labels(domain.LabelEvent), "date"),

	"AgendaSession.event":    spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelEvent), ""),
	"AgendaSession.speakers": spec(shapeConnection, in, types(domain.RelParticipatesIn), labels(domain.LabelActor), ""),

	"Program.backers":      spec(shapeConnection, in, types(domain.RelRuns, domain.RelFunds, domain.RelLeads, domain.RelSupports, domain.RelFounded), labels(domain.LabelActor), ""),
	"Program.participants": spec(shapeConnection, in, types(domain.RelParticipatesIn), labels(domain.LabelActor), ""),
	"Program.advances":     spec(shapeList, out, types(domain.RelAdvances), labels(domain.LabelStrategySide), "name"),

	"StrategySide.actors":   spec(shapeConnection, in, types(domain.RelAdvances), labels(domain.LabelActor), ""),
	"StrategySide.programs": spec(shapeConnection, in, types(domain.RelAdvances), labels(domain.LabelProgram), ""),

	"Source.partOf":  spec(shapeSingle, out, types(domain.RelPartOf), labels(domain.LabelSource), ""),
	"Source.parts":   spec(shapeList, in, types(domain.RelPartOf), labels(domain.LabelSource), "date"),
	"Source.authors": spec(shapeList, in, types(domain.RelAuthored), labels(domain.LabelPerson), ""),
}

// lookupSpec is the spec of field on concrete type typeName, and the key
// of specs it was found under.
func lookupSpec(typeName, field string) (fieldSpec, string, bool) {
	if s, ok := specs[typeName+"."+field]; ok {
		return s, typeName + "." + field, true
	}
	s, ok := specs["*."+field]
	return s, "*." + field, ok
}
