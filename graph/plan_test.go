package graph

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// PlanNode plans the first root field of query, a node or nodes field, as
// the resolver would: the read plan the store compiles (for the external
// test package's benchmark too).
func PlanNode(query string, vars map[string]any) (*domain.Selection, error) {
	schema := schemaForPlanning.Schema()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid query: %v", errs)
	}
	op := doc.Operations[0]
	coerced, err := validator.VariableValues(schema, op, vars)
	if err != nil {
		return nil, err
	}
	opCtx := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: op, Variables: coerced}
	root := graphql.CollectFields(opCtx, op.SelectionSet, []string{"Query"})[0]
	return newPlannerFor(opCtx, root.Alias).nodeSelection(root.Selections, "Node", root.Alias)
}

// plansAt are the plans of selection sel under key.
func plansAt(sel *domain.Selection, key string) []*domain.FieldPlan {
	var out []*domain.FieldPlan
	for _, f := range sel.Fields {
		if f.Key == key {
			out = append(out, f)
		}
	}
	return out
}

func mustPlan(t *testing.T, query string, vars map[string]any) *domain.Selection {
	t.Helper()
	sel, err := PlanNode(query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

func TestPlanner(t *testing.T) {
	t.Run("Ensure one key asked differently by two types gets a plan each, on disjoint labels", func(t *testing.T) {
		sel := mustPlan(t, `{ node(id: "codi-south") { id
			... on Actor  { locatedIn { id } }
			... on Agency { locatedIn { name relationships { totalCount } } } } }`, nil)
		plans := plansAt(sel, "node.locatedIn")
		if len(plans) != 2 {
			t.Fatalf("%d plans of node.locatedIn, want 2: %+v", len(plans), plans)
		}
		agency, others := plans[0], plans[1]
		if !slices.Equal(agency.OnLabels, []string{"Agency"}) || !slices.Equal(others.OnLabels, []string{"Network", "Person"}) {
			t.Fatalf("labels %v and %v", agency.OnLabels, others.OnLabels)
		}
		if len(plansAt(agency.Node, "node.locatedIn.relationships")) == 0 || len(others.Node.Fields) != 0 {
			t.Fatalf("the Agency plan has no relationships, or the others have some: %+v / %+v", agency.Node, others.Node)
		}
	})
	t.Run("Ensure a type's sub-selection is merged from every fragment it meets", func(t *testing.T) {
		sel := mustPlan(t, `{ node(id: "msdhs") { ... on Actor { advances { name label } } ... on Agency { advances { kind } } } }`, nil)
		for _, p := range plansAt(sel, "node.advances") {
			if slices.Contains(p.OnLabels, "Agency") && !slices.Contains(p.Node.Props, "kind") {
				t.Fatalf("Agency's advances do not fetch kind: %+v", p.Node)
			}
		}
	})
	t.Run("Ensure types that ask the same share one plan for every label", func(t *testing.T) {
		sel := mustPlan(t, `{ node(id: "x") { relationships(first: 2) { totalCount } ... on Actor { relationships(first: 2) { totalCount } } } }`, nil)
		plans := plansAt(sel, "node.relationships")
		if len(plans) != 1 || plans[0].OnLabels != nil || plans[0].Kind != domain.FieldRelationships || !plans[0].Count || plans[0].First != 2 {
			t.Fatalf("plans %+v", plans)
		}
	})
	t.Run("Ensure aliases are keys apart, and the plans are keyed by response path", func(t *testing.T) {
		sel := mustPlan(t, `{ n: node(id: "x") { a: relationships(first: 1) { edges { other { r: relationships { totalCount } } } } b: relationships(first: 3) { totalCount } } }`, nil)
		a, b := plansAt(sel, "n.a"), plansAt(sel, "n.b")
		if len(a) != 1 || len(b) != 1 || a[0].First != 1 || b[0].First != 3 {
			t.Fatalf("a %+v b %+v", a, b)
		}
		if len(plansAt(a[0].Node, "n.a.edges.other.r")) != 1 {
			t.Fatalf("the other end's plans: %+v", a[0].Node.Fields)
		}
	})
	t.Run("Ensure @skip and @include read variables and their defaults", func(t *testing.T) {
		q := `query($s: Boolean = true, $i: Boolean!) { node(id: "x") { a: relationships @skip(if: $s) { totalCount } ... @include(if: $i) { b: relationships { totalCount } } } }`
		sel := mustPlan(t, q, map[string]any{"i": false})
		if len(sel.Fields) != 0 {
			t.Fatalf("skipped fields planned: %+v", sel.Fields)
		}
		sel = mustPlan(t, q, map[string]any{"s": false, "i": true})
		if len(plansAt(sel, "node.a")) != 1 || len(plansAt(sel, "node.b")) != 1 {
			t.Fatalf("included fields not planned: %+v", sel.Fields)
		}
	})
	t.Run("Ensure arguments arrive typed, with dates read as Thai sources write them", func(t *testing.T) {
		sel := mustPlan(t, `query($n: Int!) { node(id: "x") { relationships(first: $n, after: "`+model.EncodeCursor(4)+`", filter: {direction: OUT, types: [LEADS], from: "11 เมษายน 2550"}) { totalCount } } }`, map[string]any{"n": 7})
		p := plansAt(sel, "node.relationships")[0]
		if p.First != 7 || p.Offset != 5 || *p.RelFilter.Direction != domain.DirectionOut || p.RelFilter.Types[0] != "LEADS" || *p.RelFilter.From != "2007-04-11" {
			t.Fatalf("plan %+v filter %+v", p, p.RelFilter)
		}
		sel = mustPlan(t, `{ node(id: "x") { ... on Event { participants(role: "SPEAKER", first: 2) { totalCount } } ... on Actor { participations(filter: {labels: ["Event"]}) { totalCount } } } }`, nil)
		if p := plansAt(sel, "node.participants")[0]; p.Pattern.Role != "SPEAKER" || !slices.Equal(p.OnLabels, []string{"Event"}) {
			t.Fatalf("participants %+v", p)
		}
		if p := plansAt(sel, "node.participations")[0]; p.NodeFilter == nil || p.NodeFilter.Labels[0] != "Event" || p.First != 20 {
			t.Fatalf("participations %+v", p)
		}
	})
	t.Run("Ensure bad arguments are refused naming the field", func(t *testing.T) {
		for q, field := range map[string]string{
			`{ node(id: "x") { relationships(first: 101) { totalCount } } }`:                                  "node.relationships.first",
			`{ node(id: "x") { ... on Event { participants(role: "NOBODY") { totalCount } } } }`:              "node.participants.role",
			`{ node(id: "x") { rels: relationships(after: "nope") { totalCount } } }`:                         "node.rels.after",
			`{ node(id: "x") { ... on Actor { participations(filter: {kinds: ["NOPE"]}) { totalCount } } } }`: "node.participations.filter.kinds[0]",
			`{ node(id: "x") { relationships(filter: {otherLabels: ["Nope"]}) { totalCount } } }`:             "node.relationships.filter.otherLabels[0]",
		} {
			_, err := PlanNode(q, nil)
			var me *domain.Error
			if !errors.As(err, &me) || me.Code != domain.EINVALID || me.Field != field {
				t.Errorf("%s: %v, want BAD_USER_INPUT on %s", q, err, field)
			}
		}
	})
	t.Run("Ensure evidence asked differently by two types is planned per label", func(t *testing.T) {
		sel := mustPlan(t, `{ node(id: "x") { ... on Agency { evidence { quote } } ... on Person { evidence { source { r: relationships { totalCount } } } } } }`, nil)
		if len(sel.Evidence) != 2 || sel.EvidenceFor("Agency") == sel.EvidenceFor("Person") || sel.EvidenceFor("Event") != nil {
			t.Fatalf("evidence plans %+v", sel.Evidence)
		}
		if len(sel.EvidenceFor("Person").Source.Fields) != 1 || len(sel.EvidenceFor("Agency").Source.Fields) != 0 {
			t.Fatalf("sources %+v / %+v", sel.EvidenceFor("Person").Source, sel.EvidenceFor("Agency").Source)
		}
	})
	t.Run("Ensure each shape of field has its own kind", func(t *testing.T) {
		sel := mustPlan(t, `{ node(id: "x") { ... on Province { actors { totalCount } region { id } districts(first: 1) { totalCount } } } }`, nil)
		for key, want := range map[string]domain.FieldKind{"node.actors": domain.FieldWithin, "node.region": domain.FieldRelated, "node.districts": domain.FieldRelated} {
			if p := plansAt(sel, key); len(p) != 1 || p[0].Kind != want {
				t.Errorf("%s: %+v", key, p)
			}
		}
		if p := plansAt(sel, "node.region")[0]; p.First != 1 || p.Pattern.Targets[0] != "Region" {
			t.Errorf("a single related node: %+v", p)
		}
	})
	t.Run("Ensure field order does not change the plan", func(t *testing.T) {
		a := mustPlan(t, `{ node(id: "x") { name ... on Agency { units { totalCount } kind } relationships { totalCount } id } }`, nil)
		b := mustPlan(t, `{ node(id: "x") { id relationships { totalCount } ... on Agency { kind units { totalCount } } name } }`, nil)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%+v\n%+v", a, b)
		}
	})
}

func TestConnectionNode(t *testing.T) {
	p := newPlannerFor(&graphql.OperationContext{}, "")
	for conn, want := range map[string][2]string{
		"AgencyConnection":       {"AgencyEdge", "Agency"},
		"RelationshipConnection": {"RelationshipEdge", "Relationship"},
		"SearchConnection":       {"SearchEdge", "Node"},
		"PageInfo":               {"", ""},
	} {
		e, n := p.connectionNode(conn)
		if e != want[0] || n != want[1] {
			t.Errorf("%s: %s, %s", conn, e, n)
		}
	}
}
