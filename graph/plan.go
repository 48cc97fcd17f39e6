package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// MaxPageSize caps `first` on every connection.
const MaxPageSize = 100

// listCap bounds the plain lists of the schema (sessions, heldAt, advances…).
const listCap = 200

// fieldShape says what a related-nodes field returns.
type fieldShape int

const (
	shapeConnection fieldShape = iota // a Relay connection of typed edges
	shapeList                         // a plain list of nodes
	shapeSingle                       // one node or null
	shapeGeneric                      // Node.relationships
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
	return fieldSpec{shape: shapeConnection, pattern: domain.Pattern{Within: true, Targets: targets, OrderBy: orderBy}}
}

func types(t ...string) []string  { return t }
func labels(l ...string) []string { return l }

// specs maps "Type.field" (or "*.field" for interface fields) to how the
// field reaches its nodes. It is the only place where the typed face of the
// schema meets relationship types.
var specs = map[string]fieldSpec{
	"*.relationships":  {shape: shapeGeneric},
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

func lookupSpec(typeName, field string) (fieldSpec, bool) {
	if s, ok := specs[typeName+"."+field]; ok {
		return s, true
	}
	s, ok := specs["*."+field]
	return s, ok
}

// planner turns the selection sets of one operation into read plans.
type planner struct {
	op     *graphql.OperationContext
	schema *ast.Schema
}

func newPlanner(ctx context.Context) *planner {
	op := graphql.GetOperationContext(ctx)
	return &planner{op: op, schema: schemaForPlanning.Schema()}
}

// satisfies lists the type conditions a node of concrete type t meets.
func (p *planner) satisfies(t *ast.Definition) []string {
	out := []string{t.Name}
	out = append(out, t.Interfaces...)
	return out
}

// possible lists the concrete types behind a named type.
func (p *planner) possible(typeName string) []*ast.Definition {
	def := p.schema.Types[typeName]
	if def == nil {
		return nil
	}
	if def.Kind == ast.Object {
		return []*ast.Definition{def}
	}
	return p.schema.GetPossibleTypes(def)
}

// nodeSelection builds what to fetch of nodes of typeName selected by set.
func (p *planner) nodeSelection(set ast.SelectionSet, typeName, path string) (*domain.Selection, error) {
	sel := &domain.Selection{Narrow: true}
	type planned struct {
		plan  *domain.FieldPlan
		field *ast.Field
	}
	var plans []planned
	for _, t := range p.possible(typeName) {
		for _, f := range graphql.CollectFields(p.op, set, p.satisfies(t)) {
			if f.Name == "evidence" {
				ev, err := p.evidenceSelection(f.Selections, path+".evidence")
				if err != nil {
					return nil, err
				}
				sel.Evidence = mergeSelection(sel.Evidence, ev)
				continue
			}
			fs, ok := lookupSpec(t.Name, f.Name)
			if !ok {
				sel.NeedScalar(f.Name)
				continue
			}
			// one plan serves every type the same field node is asked on
			var shared *planned
			for i := range plans {
				if plans[i].field == f.Field && plans[i].plan.Key == f.Alias {
					shared = &plans[i]
				}
			}
			if shared != nil {
				shared.plan.OnLabels = append(shared.plan.OnLabels, t.Name)
				continue
			}
			fp, err := p.fieldPlan(f, fs, t, path+"."+f.Alias)
			if err != nil {
				return nil, err
			}
			fp.OnLabels = []string{t.Name}
			plans = append(plans, planned{plan: fp, field: f.Field})
		}
	}
	all := len(p.possible(typeName))
	for _, pl := range plans {
		if len(pl.plan.OnLabels) == all {
			pl.plan.OnLabels = nil
		}
		sel.Fields = append(sel.Fields, pl.plan)
	}
	return sel, nil
}

func mergeSelection(a, b *domain.Selection) *domain.Selection {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := &domain.Selection{Evidence: mergeSelection(a.Evidence, b.Evidence), Narrow: a.Narrow && b.Narrow}
	out.Fields = append(append(out.Fields, a.Fields...), b.Fields...)
	out.Props = append(append(out.Props, a.Props...), b.Props...)
	return out
}

// evidenceSelection is what to fetch of evidence sources.
func (p *planner) evidenceSelection(set ast.SelectionSet, path string) (*domain.Selection, error) {
	src := &domain.Selection{Narrow: true}
	for _, f := range graphql.CollectFields(p.op, set, []string{"Evidence"}) {
		if f.Name == "source" {
			s, err := p.nodeSelection(f.Selections, "Source", path+".source")
			if err != nil {
				return nil, err
			}
			src = mergeSelection(src, s)
		}
	}
	return src, nil
}

// relSelection is what to fetch of relationships.
func (p *planner) relSelection(set ast.SelectionSet, path string) (*domain.RelSelection, error) {
	rs := &domain.RelSelection{Narrow: true}
	for _, f := range graphql.CollectFields(p.op, set, []string{"Relationship"}) {
		var err error
		switch f.Name {
		case "evidence":
			var ev *domain.Selection
			ev, err = p.evidenceSelection(f.Selections, path+".evidence")
			rs.Evidence = mergeSelection(rs.Evidence, ev)
		case "from":
			var s *domain.Selection
			s, err = p.nodeSelection(f.Selections, "Node", path+".from")
			rs.From = mergeSelection(rs.From, s)
		case "to":
			var s *domain.Selection
			s, err = p.nodeSelection(f.Selections, "Node", path+".to")
			rs.To = mergeSelection(rs.To, s)
		default:
			rs.NeedScalar(f.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// page reads first/after of a connection field.
func page(args map[string]any, path string) (first, offset int, err error) {
	first = 20
	switch v := args["first"].(type) {
	case int:
		first = v
	case int64:
		first = int(v)
	case float64:
		first = int(v)
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return 0, 0, domain.Invalid(path+".first", "%q is not an integer", v)
		}
		first = int(n)
	}
	if first < 0 || first > MaxPageSize {
		return 0, 0, domain.Invalid(path+".first", "is %d; it must be between 0 and %d", first, MaxPageSize)
	}
	if after, ok := args["after"].(string); ok && after != "" {
		offset, err = model.DecodeCursor(after)
		if err != nil {
			return 0, 0, domain.Invalid(path+".after", "%q is not a cursor this API gave out", after)
		}
	}
	return first, offset, nil
}

// fieldPlan builds the plan of one related-nodes field.
func (p *planner) fieldPlan(f graphql.CollectedField, fs fieldSpec, on *ast.Definition, path string) (*domain.FieldPlan, error) {
	fp := &domain.FieldPlan{Key: f.Alias, Pattern: fs.pattern}
	args := f.ArgumentMap(p.op.Variables)
	returnType := f.Definition.Type.Name()
	switch fs.shape {
	case shapeList, shapeSingle:
		fp.First = listCap
		if fs.shape == shapeSingle {
			fp.First = 1
		}
		s, err := p.nodeSelection(f.Selections, returnType, path)
		if err != nil {
			return nil, err
		}
		fp.Node = s
		return fp, nil
	}
	first, offset, err := page(args, path)
	if err != nil {
		return nil, err
	}
	fp.First, fp.Offset = first, offset
	if role, ok := args["role"].(string); ok {
		if _, known := domain.ParticipationRoles[role]; !known {
			return nil, domain.Invalid(path+".role", "%q is not a participation role (known: %s)", role, strings.Join(domain.SortedRoleNames(), ", "))
		}
		fp.Pattern.Role = role
	}
	if raw, ok := args["filter"]; ok && raw != nil {
		switch fs.shape {
		case shapeGeneric:
			rf, err := relFilterArg(raw, path+".filter")
			if err != nil {
				return nil, err
			}
			fp.RelFilter = rf
		default:
			nf, err := nodeFilterArg(raw, path+".filter")
			if err != nil {
				return nil, err
			}
			fp.NodeFilter = nf
		}
	}
	fp.Generic = fs.shape == shapeGeneric
	// the connection's node type: the type of edges.node
	conn := p.schema.Types[returnType]
	edgeType := conn.Fields.ForName("edges").Type.Name()
	nodeType := p.schema.Types[edgeType].Fields.ForName("node").Type.Name()
	fp.Node = &domain.Selection{Narrow: true}
	for _, cf := range graphql.CollectFields(p.op, f.Selections, []string{returnType}) {
		switch cf.Name {
		case "totalCount":
			fp.Count = true
		case "edges":
			for _, ef := range graphql.CollectFields(p.op, cf.Selections, []string{edgeType}) {
				var err error
				switch ef.Name {
				case "node":
					if fp.Generic {
						var rs *domain.RelSelection
						rs, err = p.relSelection(ef.Selections, path+".edges.node")
						fp.Rel = mergeRel(fp.Rel, rs)
						continue
					}
					var s *domain.Selection
					s, err = p.nodeSelection(ef.Selections, nodeType, path+".edges.node")
					fp.Node = mergeSelection(fp.Node, s)
				case "other":
					var s *domain.Selection
					s, err = p.nodeSelection(ef.Selections, "Node", path+".edges.other")
					fp.Node = mergeSelection(fp.Node, s)
				case "relationship":
					var rs *domain.RelSelection
					rs, err = p.relSelection(ef.Selections, path+".edges.relationship")
					fp.Rel = mergeRel(fp.Rel, rs)
				}
				if err != nil {
					return nil, err
				}
			}
		}
	}
	return fp, nil
}

func mergeRel(a, b *domain.RelSelection) *domain.RelSelection {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &domain.RelSelection{
		Evidence: mergeSelection(a.Evidence, b.Evidence),
		From:     mergeSelection(a.From, b.From),
		To:       mergeSelection(a.To, b.To),
		Narrow:   a.Narrow && b.Narrow,
		Props:    append(append([]string{}, a.Props...), b.Props...),
	}
}

// rootField is the collected field the resolver runs for.
func rootField(ctx context.Context) graphql.CollectedField {
	return graphql.GetFieldContext(ctx).Field
}

// connectionSelection builds the list query's node selection and count flag
// from the root connection field.
func (p *planner) connectionSelection(f graphql.CollectedField, nodeType string) (*domain.Selection, bool, error) {
	returnType := f.Definition.Type.Name()
	edgeType := p.schema.Types[returnType].Fields.ForName("edges").Type.Name()
	sel := &domain.Selection{Narrow: true}
	count := false
	for _, cf := range graphql.CollectFields(p.op, f.Selections, []string{returnType}) {
		switch cf.Name {
		case "totalCount":
			count = true
		case "edges":
			for _, ef := range graphql.CollectFields(p.op, cf.Selections, []string{edgeType}) {
				if ef.Name == "node" {
					s, err := p.nodeSelection(ef.Selections, nodeType, f.Alias+".edges.node")
					if err != nil {
						return nil, false, err
					}
					sel = mergeSelection(sel, s)
				}
			}
		}
	}
	return sel, count, nil
}

// descend follows a chain of fields from a selection set and returns the
// merged selection set at its end and the end's type name.
func (p *planner) descend(set ast.SelectionSet, typeName string, fields ...string) (ast.SelectionSet, string) {
	for _, name := range fields {
		var next ast.SelectionSet
		nextType := ""
		for _, f := range graphql.CollectFields(p.op, set, []string{typeName}) {
			if f.Name == name {
				next = append(next, f.Selections...)
				nextType = f.Definition.Type.Name()
			}
		}
		if nextType == "" {
			return nil, ""
		}
		set, typeName = next, nextType
	}
	return set, typeName
}

// nodeSel is the node selection at the end of a chain of fields.
func (p *planner) nodeSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.Selection, error) {
	sub, t := p.descend(set, typeName, fields...)
	if t == "" {
		return &domain.Selection{}, nil
	}
	return p.nodeSelection(sub, t, path+"."+strings.Join(fields, "."))
}

// relSel is the relationship selection at the end of a chain of fields.
func (p *planner) relSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.RelSelection, error) {
	sub, t := p.descend(set, typeName, fields...)
	if t == "" {
		return &domain.RelSelection{}, nil
	}
	return p.relSelection(sub, path+"."+strings.Join(fields, "."))
}
