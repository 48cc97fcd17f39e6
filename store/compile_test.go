package store

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// The compiler's pure tests: plans in, Cypher and parameters out, no
// database.

func related(key string, labels []string, first int, node *domain.Selection) *domain.FieldPlan {
	return &domain.FieldPlan{Key: key, OnLabels: labels, Kind: domain.FieldRelated, First: first, Node: node,
		Pattern: domain.Pattern{Types: []string{domain.RelAdvances}, Direction: domain.DirectionOut, Targets: []string{domain.LabelStrategySide}}}
}

func TestCompileFields(t *testing.T) {
	t.Run("Ensure plans of one key on disjoint labels compile apart, each testing its labels inside its subqueries", func(t *testing.T) {
		sel := &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{
			related("node.advances", []string{"Agency"}, 200, &domain.Selection{Narrow: true, Props: []string{"kind"}}),
			related("node.advances", []string{"Network", "Person"}, 200, &domain.Selection{Narrow: true, Props: []string{"name"}}),
		}}
		cypher, _, err := NodeByIDStatement("msdhs", sel)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"f0: COLLECT { MATCH (n)", "WHERE n:Agency WITH", "f1: COLLECT { MATCH (n)", "WHERE n:Network|Person WITH", ".kind, __labels", ".name, __labels"} {
			if !strings.Contains(cypher, want) {
				t.Errorf("no %q in %s", want, cypher)
			}
		}
		// a CASE around a subquery keeps Neo4j from planning it as an
		// operator of its own (compiler.node)
		if strings.Contains(cypher, "CASE WHEN n:") {
			t.Errorf("a field under a CASE: %s", cypher)
		}
	})
	t.Run("Ensure the decoder keys each node's result by the plan that applies to its label", func(t *testing.T) {
		sel := &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{
			related("node.advances", []string{"Agency"}, 200, &domain.Selection{Narrow: true, Props: []string{"kind"}}),
			related("node.advances", []string{"Network", "Person"}, 200, &domain.Selection{Narrow: true}),
		}}
		side := map[string]any{"id": "side-politics", "kind": "POLITICS", "__labels": []any{"Node", "StrategySide"}}
		row := map[string]any{"node": side, "rel": map[string]any{"id": "r1", "__type": "ADVANCES"}, "out": true}
		// f1 is the other labels' plan: empty rows on an agency
		m := map[string]any{"id": "msdhs", "__labels": []any{"Node", "Actor", "Agency"}, "f0": []any{row}, "f1": []any{}}
		n := decodeNode(m, sel)
		page := n.E().Related["node.advances"]
		if page == nil || len(page.Items) != 1 || page.Items[0].Node.E().Kind != "POLITICS" {
			t.Fatalf("decoded %+v", page)
		}
	})
	t.Run("Ensure each kind of field compiles its own pattern", func(t *testing.T) {
		out := domain.DirectionOut
		sel := &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{
			{Key: "w", Kind: domain.FieldWithin, First: 3, Count: true, Pattern: domain.Pattern{Targets: []string{domain.LabelActor}}},
			{Key: "r", Kind: domain.FieldRelationships, First: 2, RelFilter: &domain.RelationshipFilter{Direction: &out, Types: []domain.RelType{"LEADS"}}},
			{Key: "p", Kind: domain.FieldRelated, First: 1, Pattern: domain.Pattern{Types: []string{"PART_OF"}, Direction: domain.DirectionOut, Targets: []string{"Place"}, Role: "SPEAKER"}},
		}}
		cypher, params, err := NodeByIDStatement("province-TH-80", sel)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"-[r1:LOCATED_IN|HELD_AT]->(pl3:Place)-[:PART_OF|LOCATED_IN*0..5]->(n)", "RETURN r1 ORDER BY r1.id })", "f0_n: COUNT { MATCH",
			"(n)-[r4:LEADS]->(m5)", "ORDER BY type(r4), coalesce(m5.nameKey, ''), m5.id, r4.id SKIP",
			"(n)-[r6:PART_OF]->(m7:Place) WHERE r6.role = $p",
		} {
			if !strings.Contains(cypher, want) {
				t.Errorf("no %q in\n%s", want, cypher)
			}
		}
		if params["p0"] != "province-TH-80" {
			t.Errorf("params %v", params)
		}
	})
	t.Run("Ensure a nested connection pages after its cursor's row, not by a count, and refuses another order's cursor", func(t *testing.T) {
		f := &domain.FieldPlan{Key: "m", Kind: domain.FieldRelated, First: 3, Pattern: domain.Pattern{Types: []string{"MEMBER_OF"}, Direction: domain.DirectionIn}}
		f.After = &domain.Keyset{Order: domain.FieldOrderName(f), Values: []any{"0e2f", "somchai", "MEMBER_OF"}, ID: "somchai>MEMBER_OF>x", Offset: 2}
		cypher, params, err := NodeByIDStatement("x", &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{f}})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"(coalesce(m2.nameKey, '') > $p1 OR (coalesce(m2.nameKey, '') = $p1 AND (m2.id > $p2 OR", "r1.id > $p4", "SKIP $p5", "key: [coalesce(m2.nameKey, ''), m2.id, type(r1)], id: r1.id"} {
			if !strings.Contains(cypher, want) {
				t.Errorf("no %q in\n%s", want, cypher)
			}
		}
		if params["p5"] != int64(0) || params["p4"] != "somchai>MEMBER_OF>x" {
			t.Errorf("params %v", params)
		}
		f.After.Order = "NAME ASC"
		if _, _, err := NodeByIDStatement("x", &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{f}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("a root list's cursor: %v", err)
		}
	})
	t.Run("Ensure a kind the store does not know is an error, not a statement", func(t *testing.T) {
		_, _, err := NodeByIDStatement("x", &domain.Selection{Fields: []*domain.FieldPlan{{Key: "k", Kind: 99}}})
		if err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("Ensure labels and types outside the allow-lists are refused", func(t *testing.T) {
		for _, f := range []*domain.FieldPlan{
			{Key: "k", Kind: domain.FieldRelated, Pattern: domain.Pattern{Types: []string{"X]->() DETACH DELETE n //"}}},
			{Key: "k", Kind: domain.FieldRelated, OnLabels: []string{"Agency:Secret"}},
		} {
			if _, _, err := NodeByIDStatement("x", &domain.Selection{Fields: []*domain.FieldPlan{f}}); err == nil {
				t.Errorf("%+v compiled", f)
			}
		}
	})
	t.Run("Ensure evidence asked per label compiles per label", func(t *testing.T) {
		sel := &domain.Selection{Evidence: []*domain.EvidencePlan{
			{OnLabels: []string{"Agency"}, Source: &domain.Selection{Narrow: true}},
			{OnLabels: []string{"Person"}, Source: &domain.Selection{Narrow: true, Props: []string{"url"}}},
		}}
		cypher, _, err := NodeByIDStatement("x", sel)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(cypher, "__ev0: CASE WHEN n:Agency THEN COLLECT {") || !strings.Contains(cypher, "__ev1: CASE WHEN n:Person THEN COLLECT {") {
			t.Fatalf("evidence compiled to %s", cypher)
		}
	})
}

// TestStatementIsStable shows one shape of plan is one statement text
// whatever its values, so Neo4j's plan cache serves repeats.
func TestStatementIsStable(t *testing.T) {
	shape := func(id string, first, offset int, role, name string) *domain.Selection {
		f := related("node.x", nil, first, &domain.Selection{Narrow: true})
		f.Offset = offset
		f.Pattern.Role = role
		f.NodeFilter = &domain.NodeFilter{NameContains: &name}
		return &domain.Selection{Narrow: true, Fields: []*domain.FieldPlan{f}}
	}
	a, pa, err := NodeByIDStatement("codi", shape("codi", 2, 0, "SPEAKER", "ชุมชน"))
	if err != nil {
		t.Fatal(err)
	}
	b, pb, err := NodeByIDStatement("peem", shape("peem", 50, 7, "INVITED", "x"))
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("two statements for one shape:\n%s\n%s", a, b)
	}
	if regexp.MustCompile(`ชุมชน|codi|SPEAKER`).MatchString(a) {
		t.Fatalf("values in the statement: %s", a)
	}
	if pa["p0"] == pb["p0"] {
		t.Fatalf("params %v %v", pa, pb)
	}
}

func TestCompileStatus(t *testing.T) {
	t.Run("Ensure a status filter travels as a parameter, composes, and reads a fact without status as STATED", func(t *testing.T) {
		c := newCompiler()
		cond := c.filter("n", &domain.NodeFilter{Status: []domain.AssertionStatus{domain.StatusStated},
			Not: &domain.NodeFilter{Status: []domain.AssertionStatus{domain.StatusInferred, domain.StatusDisputed}}}, "filter")
		if c.err != nil {
			t.Fatal(c.err)
		}
		if strings.Contains(cond, "INFERRED") || !strings.Contains(cond, "coalesce(n.status, 'STATED') IN $p0") || !strings.Contains(cond, "NOT (((n.status IN $p1 AND n.status IS NOT NULL)))") {
			t.Errorf("condition %s", cond)
		}
		if got := c.params["p1"]; !slices.Equal(got.([]string), []string{"INFERRED", "DISPUTED"}) {
			t.Errorf("p1 = %v", got)
		}
		if conds := c.relConds("r", &domain.RelationshipFilter{Status: []domain.AssertionStatus{domain.StatusDisputed}}); len(conds) != 1 || !strings.HasPrefix(conds[0], "(r.status IN $") || !strings.HasSuffix(conds[0], " AND r.status IS NOT NULL)") {
			t.Errorf("relationship conditions %v", conds)
		}
		if cond := c.filter("n", &domain.NodeFilter{}, "filter"); cond != "" {
			t.Errorf("no status asked, condition %q", cond)
		}
	})
}
