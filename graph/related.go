package graph

// How the typed face of the schema reaches related nodes: the @related
// directive on the schema's fields (relationship types, direction, target
// labels, order), read once from the parsed schema into specs. It is the
// only place where the typed face meets relationship types, and the
// schema is where a new field says how it walks the graph.

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
)

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

// relatedOrders are the orders a @related field may name (store.orderFor).
var relatedOrders = map[string]bool{"": true, "name": true, "date": true, "order": true}

// specs maps "Type.field" of every object type's field that reaches
// related nodes to its spec and to the key of the definition that carries
// the directive ("Actor.participations" for Agency.participations): the
// planner shares one plan among the types that select a field of an
// interface through one AST.
var specs = mustReadSpecs(schemaForPlanning.Schema())

type specAt struct {
	spec fieldSpec
	key  string
}

func mustReadSpecs(schema *ast.Schema) map[string]specAt {
	s, err := readSpecs(schema)
	if err != nil {
		panic("schema.graphqls: " + err.Error())
	}
	return s
}

// readSpecs reads the @related directives of schema: a field of an object
// type has its own, or the first of its interfaces' (in the order the type
// names them).
func readSpecs(schema *ast.Schema) (map[string]specAt, error) {
	out := map[string]specAt{}
	for _, t := range schema.Types {
		if t.Kind != ast.Object || strings.HasPrefix(t.Name, "__") {
			continue
		}
		for _, f := range t.Fields {
			def, key := t, t.Name+"."+f.Name
			d := f.Directives.ForName("related")
			for _, iface := range t.Interfaces {
				if d != nil {
					break
				}
				if i := schema.Types[iface]; i != nil {
					if fi := i.Fields.ForName(f.Name); fi != nil {
						d, def, key = fi.Directives.ForName("related"), i, iface+"."+f.Name
					}
				}
			}
			if d == nil {
				continue
			}
			spec, err := readSpec(schema, f, d)
			if err != nil {
				return nil, fmt.Errorf("%s.%s @related: %w", def.Name, f.Name, err)
			}
			out[t.Name+"."+f.Name] = specAt{spec, key}
		}
	}
	return out, nil
}

// readSpec reads one @related directive of field f; the shape follows
// from what f returns.
func readSpec(schema *ast.Schema, f *ast.FieldDefinition, d *ast.Directive) (fieldSpec, error) {
	args := d.ArgumentMap(nil)
	var p domain.Pattern
	for _, t := range stringsOf(args["types"]) {
		if !domain.IsRelType(t) {
			return fieldSpec{}, fmt.Errorf("%q is not a relationship type of domain.RelTypes", t)
		}
		p.Types = append(p.Types, t)
	}
	for _, l := range stringsOf(args["targets"]) {
		if !domain.IsNodeLabel(l) && l != domain.LabelActor && l != domain.LabelPlace {
			return fieldSpec{}, fmt.Errorf("target %q is not a node label", l)
		}
		p.Targets = append(p.Targets, l)
	}
	p.Direction = domain.DirectionOut
	if dir, ok := args["direction"].(string); ok {
		p.Direction = domain.Direction(dir)
	}
	p.OrderBy, _ = args["orderBy"].(string)
	if !relatedOrders[p.OrderBy] {
		return fieldSpec{}, fmt.Errorf("orderBy %q is not name, date or order", p.OrderBy)
	}
	named := schema.Types[f.Type.Name()]
	connection := named != nil && named.Fields.ForName("edges") != nil
	shape := shapeSingle
	switch within, _ := args["within"].(bool); {
	case within:
		if !connection || len(p.Types) > 0 {
			return fieldSpec{}, fmt.Errorf("within: true needs a connection and no types")
		}
		p.Direction = ""
		shape = shapeWithin
	case f.Type.Name() == "RelationshipConnection":
		if len(p.Types) > 0 || len(p.Targets) > 0 {
			return fieldSpec{}, fmt.Errorf("a connection of relationships takes its types from its filter, not the directive")
		}
		return fieldSpec{shape: shapeRelationships}, nil
	case connection:
		shape = shapeConnection
	case f.Type.Elem != nil:
		shape = shapeList
	}
	return fieldSpec{pattern: p, shape: shape}, nil
}

// stringsOf reads a directive's list argument of enum values or strings.
func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// lookupSpec is the spec of field on concrete type typeName, and the key
// of the definition that carries its directive.
func lookupSpec(typeName, field string) (fieldSpec, string, bool) {
	s, ok := specs[typeName+"."+field]
	return s.spec, s.key, ok
}
