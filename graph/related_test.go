package graph

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
)

// relatedSchema is a small schema with the @related directive as
// schema.graphqls declares it, and the types its fields return.
const relatedSchema = `
enum RelationshipType { PART_OF MEMBER_OF LOCATED_IN }
enum Direction { OUT IN BOTH }
directive @related(types: [RelationshipType!], direction: Direction = OUT, targets: [String!], orderBy: String, within: Boolean = false) on FIELD_DEFINITION
interface Node { id: ID! }
interface Actor implements Node { id: ID! locatedIn: [Node!]! @related(types: [LOCATED_IN], targets: ["Place"], orderBy: "name") }
type NodeEdge { node: Node! }
type NodeConnection { edges: [NodeEdge!]! }
type RelationshipConnection { edges: [NodeEdge!]! }
`

func specsOf(t *testing.T, types string) (map[string]specAt, error) {
	t.Helper()
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "test.graphqls", Input: relatedSchema + types + "\ntype Query { a: Agency }"})
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	return readSpecs(schema)
}

func TestRelatedDirective(t *testing.T) {
	t.Run("Ensure each shape follows from what the field returns", func(t *testing.T) {
		got, err := specsOf(t, `type Agency implements Node & Actor {
			id: ID!
			locatedIn: [Node!]!
			parent: Agency @related(types: [PART_OF])
			units: NodeConnection! @related(types: [PART_OF], direction: IN, targets: ["Agency"])
			members: [Node!]! @related(types: [MEMBER_OF], direction: IN, orderBy: "date")
			near: NodeConnection! @related(within: true, targets: ["Event"])
			relationships: RelationshipConnection! @related
			name: String
		}`)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]specAt{
			"Agency.locatedIn":     {fieldSpec{domain.Pattern{Types: []string{"LOCATED_IN"}, Direction: domain.DirectionOut, Targets: []string{"Place"}, OrderBy: "name"}, shapeList}, "Actor.locatedIn"},
			"Agency.parent":        {fieldSpec{domain.Pattern{Types: []string{"PART_OF"}, Direction: domain.DirectionOut}, shapeSingle}, "Agency.parent"},
			"Agency.units":         {fieldSpec{domain.Pattern{Types: []string{"PART_OF"}, Direction: domain.DirectionIn, Targets: []string{"Agency"}}, shapeConnection}, "Agency.units"},
			"Agency.members":       {fieldSpec{domain.Pattern{Types: []string{"MEMBER_OF"}, Direction: domain.DirectionIn, OrderBy: "date"}, shapeList}, "Agency.members"},
			"Agency.near":          {fieldSpec{domain.Pattern{Targets: []string{"Event"}}, shapeWithin}, "Agency.near"},
			"Agency.relationships": {fieldSpec{shape: shapeRelationships}, "Agency.relationships"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("specs:\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("Ensure a directive that names what the code does not know is refused", func(t *testing.T) {
		for field, wantErr := range map[string]string{
			`x: Agency @related(types: [PART_OF], targets: ["Cooperative"])`: `Agency.x @related: target "Cooperative" is not a node label`,
			`x: Agency @related(types: [PART_OF], orderBy: "size")`:          `Agency.x @related: orderBy "size" is not name, date or order`,
			`x: [Agency!]! @related(within: true)`:                           `Agency.x @related: within: true needs a connection and no types`,
			`x: RelationshipConnection! @related(types: [PART_OF])`:          `Agency.x @related: a connection of relationships takes its types from its filter`,
		} {
			_, err := specsOf(t, "type Agency implements Node { id: ID! "+field+" }")
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Errorf("%s: got %v, want %q", field, err, wantErr)
			}
		}
	})
	t.Run("Ensure every relationship field of schema.graphqls is read", func(t *testing.T) {
		// the fields of the typed face that reach related nodes, as the
		// schema's readers see them: Agency.members walks four types in
		s, ok := specs["Agency.members"]
		if !ok || s.spec.shape != shapeConnection || !reflect.DeepEqual(s.spec.pattern.Targets, []string{domain.LabelPerson}) {
			t.Errorf("Agency.members: %+v", s)
		}
		if s := specs["Person.participations"]; s.key != "Actor.participations" {
			t.Errorf("Person.participations takes Actor's directive, got key %q", s.key)
		}
	})
}
