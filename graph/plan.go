package graph

// The planner: a root field's selection set, as the GraphQL spec collects
// it, becomes one read plan (domain.Selection) that the store compiles
// into one Cypher statement.
//
// Fields are collected per concrete type, with gqlgen's own CollectFields
// (fragments, type conditions, @skip/@include, fields of one response key
// merged). Two concrete types share a field's plan only when the plans
// built from their merged selections are equal; otherwise each type (or
// group of types with equal plans) gets its own plan under the same key,
// limited to its labels. Every plan's key is its response path from the
// root field (responsePath), the key the field's resolver looks up.

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
)

// planner turns the selection sets of one root field into read plans.
type planner struct {
	op     *graphql.OperationContext
	schema *ast.Schema
	ec     *executionContext // gqlgen's argument unmarshalers
	root   string            // the root field's response key
	// memo holds the plans already built, by what they are built from
	// (memoKey): the types of an interface usually select a field
	// through one and the same AST, and would plan it again each.
	memo   map[string]*domain.FieldPlan
	evMemo map[string]*domain.Selection
}

func newPlanner(ctx context.Context) *planner {
	root := ""
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		root = fc.Field.Alias
	}
	return newPlannerFor(graphql.GetOperationContext(ctx), root)
}

// newPlannerFor plans the root field with response key root of op.
func newPlannerFor(op *graphql.OperationContext, root string) *planner {
	return &planner{
		op: op, schema: schemaForPlanning.Schema(), root: root,
		ec:   newExecutionContext(op, schemaForPlanning.(*executableSchema), nil),
		memo: map[string]*domain.FieldPlan{}, evMemo: map[string]*domain.Selection{},
	}
}

// part is one selection set a plan reads: the selection of the field at
// response path key (named field in error messages).
type part struct {
	set   ast.SelectionSet
	key   string
	field string
}

// child is the part of sub-field f of p.
func (pt part) child(f graphql.CollectedField) part {
	return part{set: f.Selections, key: pt.key + "." + f.Alias, field: pt.field + "." + f.Alias}
}

// rootPart is the selection set of the root field, its errors named from
// path.
func (p *planner) rootPart(set ast.SelectionSet, path string) part {
	return part{set: set, key: p.root, field: path}
}

// satisfies lists the type conditions a node of concrete type t meets.
func satisfies(t *ast.Definition) []string {
	return append([]string{t.Name}, t.Interfaces...)
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
	// the schema counts the interfaces implementing an interface among
	// its possible types; only objects are types of nodes
	var out []*ast.Definition
	for _, t := range p.schema.GetPossibleTypes(def) {
		if t.Kind == ast.Object {
			out = append(out, t)
		}
	}
	return out
}

// connectionNode is the edge type and node type of connection type conn
// (the type of edges, and the type of its edges' node).
func (p *planner) connectionNode(conn string) (edgeType, nodeType string) {
	def := p.schema.Types[conn]
	if def == nil || def.Fields.ForName("edges") == nil {
		return "", ""
	}
	edgeType = def.Fields.ForName("edges").Type.Name()
	if e := p.schema.Types[edgeType]; e != nil && e.Fields.ForName("node") != nil {
		nodeType = e.Fields.ForName("node").Type.Name()
	}
	return edgeType, nodeType
}

// nodeSelection is what to fetch of nodes of typeName that the root
// field's selection set asks for (errors named from path).
func (p *planner) nodeSelection(set ast.SelectionSet, typeName, path string) (*domain.Selection, error) {
	return p.nodes(typeName, []part{p.rootPart(set, path)})
}

// relSelection is what to fetch of relationships the root field's
// selection set asks for.
func (p *planner) relSelection(set ast.SelectionSet, path string) (*domain.RelSelection, error) {
	return p.rels([]part{p.rootPart(set, path)})
}

// keyed is one concrete type's plan of the field at a key.
type keyed struct {
	typ  string
	plan *domain.FieldPlan
}

// nodes is what to fetch of nodes of typeName that parts select: the
// union of what each concrete type's collected fields ask, with the plans
// of related-nodes fields and of evidence per group of types that ask the
// same.
func (p *planner) nodes(typeName string, parts []part) (*domain.Selection, error) {
	sel := &domain.Selection{Narrow: true}
	types := p.possible(typeName)
	var keys []string
	byKey := map[string][]keyed{}
	var evidence []keyed // plan.Node is the evidence source selection
	for _, t := range types {
		var ev []part
		for _, pt := range parts {
			for _, f := range graphql.CollectFields(p.op, pt.set, satisfies(t)) {
				if f.Name == "evidence" {
					ev = append(ev, pt.child(f))
					continue
				}
				fs, specKey, ok := lookupSpec(t.Name, f.Name)
				if !ok {
					sel.NeedScalar(f.Name) // a scalar: no part (its key and path are two strings per type)
					continue
				}
				at := pt.child(f)
				fp, err := p.field(f, fs, specKey, at)
				if err != nil {
					return nil, err
				}
				if _, seen := byKey[at.key]; !seen {
					keys = append(keys, at.key)
				}
				byKey[at.key] = append(byKey[at.key], keyed{t.Name, fp})
			}
		}
		if len(ev) > 0 {
			src, err := p.evidence(ev)
			if err != nil {
				return nil, err
			}
			evidence = append(evidence, keyed{t.Name, &domain.FieldPlan{Node: src}})
		}
	}
	for _, key := range keys {
		for _, g := range group(byKey[key], len(types)) {
			fp := *g.plan
			fp.OnLabels = g.labels
			sel.Fields = append(sel.Fields, &fp)
		}
	}
	for _, g := range group(evidence, len(types)) {
		sel.Evidence = append(sel.Evidence, &domain.EvidencePlan{OnLabels: g.labels, Source: g.plan.Node})
	}
	// in the order of their keys, not of the query: one statement for
	// one shape, however its fields are ordered, so that Neo4j plans it once
	sort.SliceStable(sel.Fields, func(i, j int) bool { return sel.Fields[i].Key < sel.Fields[j].Key })
	slices.Sort(sel.Props)
	return sel, nil
}

// planGroup is a plan and the labels it serves (nil: every type).
type planGroup struct {
	plan   *domain.FieldPlan
	labels []string
}

// group gathers the types whose plans are equal, in the order of types;
// a group of all `all` types serves every label.
func group(plans []keyed, all int) []planGroup {
	var out []planGroup
next:
	for _, k := range plans {
		for i := range out {
			if out[i].plan == k.plan || reflect.DeepEqual(out[i].plan, k.plan) {
				out[i].labels = append(out[i].labels, k.typ)
				continue next
			}
		}
		out = append(out, planGroup{plan: k.plan, labels: []string{k.typ}})
	}
	if len(out) == 1 && len(out[0].labels) == all {
		out[0].labels = nil
	}
	return out
}

// memoKey names what a plan is built from: the spec, the response path,
// and the AST of the merged field (its first field node, which carries
// the arguments, and each selection merged into it).
func memoKey(kind string, at part, fields ...graphql.CollectedField) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteString("|")
	b.WriteString(at.key)
	for _, f := range fields {
		fmt.Fprintf(&b, "|%p:", f.Field)
		for _, s := range f.Selections {
			fmt.Fprintf(&b, "%p,", s)
		}
	}
	return b.String()
}

// field plans one related-nodes field: one function per shape of field.
func (p *planner) field(f graphql.CollectedField, fs fieldSpec, specKey string, at part) (*domain.FieldPlan, error) {
	key := memoKey(specKey, at, f)
	if fp, ok := p.memo[key]; ok {
		return fp, nil
	}
	args, err := p.args(f, at)
	if err != nil {
		return nil, err
	}
	var fp *domain.FieldPlan
	switch fs.shape {
	case shapeList, shapeSingle:
		fp, err = p.listField(f, fs, at)
	case shapeConnection:
		fp, err = p.connectionField(f, fs, args, at)
	case shapeWithin:
		fp, err = p.withinField(f, fs, args, at)
	case shapeRelationships:
		fp, err = p.relationshipsField(f, args, at)
	default:
		err = fmt.Errorf("internal: %s has no shape the planner knows", specKey)
	}
	if err != nil {
		return nil, err
	}
	p.memo[key] = fp
	return fp, nil
}

// listField plans a plain list of related nodes, or one related node.
func (p *planner) listField(f graphql.CollectedField, fs fieldSpec, at part) (*domain.FieldPlan, error) {
	fp := &domain.FieldPlan{Key: at.key, Kind: domain.FieldRelated, Pattern: fs.pattern, First: listCap}
	if fs.shape == shapeSingle {
		fp.First = 1
	}
	var err error
	fp.Node, err = p.nodes(f.Definition.Type.Name(), []part{at})
	return fp, err
}

// connectionField plans a connection of typed edges to related nodes.
func (p *planner) connectionField(f graphql.CollectedField, fs fieldSpec, args fieldArgs, at part) (*domain.FieldPlan, error) {
	fp := &domain.FieldPlan{Key: at.key, Kind: domain.FieldRelated, Pattern: fs.pattern}
	if err := p.paging(fp, args, at); err != nil {
		return nil, err
	}
	if args.Role != nil {
		if _, known := domain.ParticipationRoles[*args.Role]; !known {
			return nil, domain.Invalid(at.field+".role", "%q is not a participation role (known: %s)", *args.Role, strings.Join(domain.SortedRoleNames(), ", "))
		}
		fp.Pattern.Role = *args.Role
	}
	if args.Filter != nil {
		if err := validateFilter(args.Filter, at.field+".filter"); err != nil {
			return nil, err
		}
		fp.NodeFilter = args.Filter
	}
	return fp, p.typedEdges(fp, f, at)
}

// withinField plans a connection of the nodes located within a place.
func (p *planner) withinField(f graphql.CollectedField, fs fieldSpec, args fieldArgs, at part) (*domain.FieldPlan, error) {
	fp := &domain.FieldPlan{Key: at.key, Kind: domain.FieldWithin, Pattern: fs.pattern}
	if err := p.paging(fp, args, at); err != nil {
		return nil, err
	}
	return fp, p.typedEdges(fp, f, at)
}

// relationshipsField plans Node.relationships: a connection of
// relationships, each edge with the other end.
func (p *planner) relationshipsField(f graphql.CollectedField, args fieldArgs, at part) (*domain.FieldPlan, error) {
	fp := &domain.FieldPlan{Key: at.key, Kind: domain.FieldRelationships}
	if err := p.paging(fp, args, at); err != nil {
		return nil, err
	}
	if args.RelFilter != nil {
		if err := validateRelFilter(args.RelFilter, at.field+".filter"); err != nil {
			return nil, err
		}
		fp.RelFilter = args.RelFilter
	}
	e := p.edges(f, at)
	fp.Count = e.count
	var err error
	if fp.Node, err = p.nodes("Node", e.other); err != nil {
		return nil, err
	}
	fp.Rel, err = p.rels(e.node)
	return fp, err
}

// paging sets first and where after starts on a connection's plan: a
// keyset cursor of the field's order (or an offset cursor of before).
func (p *planner) paging(fp *domain.FieldPlan, args fieldArgs, at part) error {
	var err error
	fp.First, fp.Offset, fp.After, err = listPageOf(args.First, args.After, at.field)
	if err == nil && fp.After != nil && fp.After.Order != domain.FieldOrderName(fp) {
		err = domain.Invalid(at.field+".after", "the cursor belongs to another order (%s, not this field's %s)", fp.After.Order, domain.FieldOrderName(fp))
	}
	return err
}

// typedEdges plans what a connection of typed edges asks of its nodes
// (edges.node), their relationships (edges.relationship) and the total.
func (p *planner) typedEdges(fp *domain.FieldPlan, f graphql.CollectedField, at part) error {
	e := p.edges(f, at)
	fp.Count = e.count
	_, nodeType := p.connectionNode(f.Definition.Type.Name())
	var err error
	if fp.Node, err = p.nodes(nodeType, e.node); err != nil {
		return err
	}
	fp.Rel, err = p.rels(e.relationship)
	return err
}

// edgeParts is what the selection of a connection asks: the total, and
// the parts that select each field of its edges.
type edgeParts struct {
	count                     bool
	node, other, relationship []part
}

// edges collects the selection of connection field f.
func (p *planner) edges(f graphql.CollectedField, at part) edgeParts {
	var e edgeParts
	conn := f.Definition.Type.Name()
	edgeType, _ := p.connectionNode(conn)
	for _, cf := range graphql.CollectFields(p.op, f.Selections, []string{conn}) {
		switch cf.Name {
		case "totalCount":
			e.count = true
		case "edges":
			edges := at.child(cf)
			for _, ef := range graphql.CollectFields(p.op, cf.Selections, []string{edgeType}) {
				switch ef.Name {
				case "node":
					e.node = append(e.node, edges.child(ef))
				case "other":
					e.other = append(e.other, edges.child(ef))
				case "relationship":
					e.relationship = append(e.relationship, edges.child(ef))
				}
			}
		}
	}
	return e
}

// evidence is what to fetch of the sources of the evidence parts select.
func (p *planner) evidence(parts []part) (*domain.Selection, error) {
	var b strings.Builder
	for _, pt := range parts {
		fmt.Fprintf(&b, "%s|", pt.key)
		for _, s := range pt.set {
			fmt.Fprintf(&b, "%p,", s)
		}
	}
	if src, ok := p.evMemo[b.String()]; ok {
		return src, nil
	}
	var sources []part
	for _, pt := range parts {
		for _, f := range graphql.CollectFields(p.op, pt.set, []string{"Evidence"}) {
			if f.Name == "source" {
				sources = append(sources, pt.child(f))
			}
		}
	}
	src, err := p.nodes("Source", sources)
	if err != nil {
		return nil, err
	}
	p.evMemo[b.String()] = src
	return src, nil
}

// rels is what to fetch of the relationships parts select (their ids and
// types only when no part selects them).
func (p *planner) rels(parts []part) (*domain.RelSelection, error) {
	rs := &domain.RelSelection{Narrow: true}
	var ev, from, to []part
	for _, pt := range parts {
		for _, f := range graphql.CollectFields(p.op, pt.set, []string{"Relationship"}) {
			switch f.Name {
			case "evidence":
				ev = append(ev, pt.child(f))
			case "from":
				from = append(from, pt.child(f))
			case "to":
				to = append(to, pt.child(f))
			default:
				rs.NeedScalar(f.Name)
			}
		}
	}
	var err error
	if len(ev) > 0 {
		if rs.Evidence, err = p.evidence(ev); err != nil {
			return nil, err
		}
	}
	if len(from) > 0 {
		if rs.From, err = p.nodes("Node", from); err != nil {
			return nil, err
		}
	}
	if len(to) > 0 {
		if rs.To, err = p.nodes("Node", to); err != nil {
			return nil, err
		}
	}
	slices.Sort(rs.Props)
	return rs, nil
}

// rootField is the collected field the resolver runs for.
func rootField(ctx context.Context) graphql.CollectedField {
	return graphql.GetFieldContext(ctx).Field
}

// connectionSelection is the node selection and count flag of a root
// connection field f.
func (p *planner) connectionSelection(f graphql.CollectedField) (*domain.Selection, bool, error) {
	e := p.edges(f, p.rootPart(f.Selections, f.Alias))
	_, nodeType := p.connectionNode(f.Definition.Type.Name())
	sel, err := p.nodes(nodeType, e.node)
	return sel, e.count, err
}

// follow walks a chain of fields of object types from parts, each field
// under every response key it is selected with, and returns the parts at
// its end and the end's type name ("" when the chain is not selected).
func (p *planner) follow(parts []part, typeName string, fields ...string) ([]part, string) {
	for _, name := range fields {
		var next []part
		nextType := ""
		for _, pt := range parts {
			for _, f := range graphql.CollectFields(p.op, pt.set, []string{typeName}) {
				if f.Name == name {
					next = append(next, pt.child(f))
					nextType = f.Definition.Type.Name()
				}
			}
		}
		if nextType == "" {
			return nil, ""
		}
		parts, typeName = next, nextType
	}
	return parts, typeName
}

// selects says whether a selection set of typeName selects the chain of
// fields (through fragments, @skip and @include applied).
func (p *planner) selects(set ast.SelectionSet, typeName string, fields ...string) bool {
	_, t := p.follow([]part{{set: set}}, typeName, fields...)
	return t != ""
}

// descend follows a chain of fields from a selection set and returns the
// merged selection set at its end and the end's type name (for fields
// that read only what is selected there, not plans).
func (p *planner) descend(set ast.SelectionSet, typeName string, fields ...string) (ast.SelectionSet, string) {
	parts, t := p.follow([]part{{set: set}}, typeName, fields...)
	var out ast.SelectionSet
	for _, pt := range parts {
		out = append(out, pt.set...)
	}
	return out, t
}

// nodeSel is the node selection at the end of a chain of fields of the
// root field (errors named from path).
func (p *planner) nodeSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.Selection, error) {
	parts, t := p.follow([]part{p.rootPart(set, path)}, typeName, fields...)
	if t == "" {
		return &domain.Selection{Narrow: true}, nil
	}
	return p.nodes(t, parts)
}

// relSel is the relationship selection at the end of a chain of fields of
// the root field.
func (p *planner) relSel(set ast.SelectionSet, typeName, path string, fields ...string) (*domain.RelSelection, error) {
	parts, t := p.follow([]part{p.rootPart(set, path)}, typeName, fields...)
	if t == "" {
		return &domain.RelSelection{Narrow: true}, nil
	}
	return p.rels(parts)
}
