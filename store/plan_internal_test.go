package store

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// planDetails is every operator and its details in the plan Neo4j picks
// for the statement FindNodes would run.
func planDetails(t *testing.T, s *Store, q domain.ListQuery) string {
	t.Helper()
	cypher, params, err := compileFindNodes(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(context.Background(), s.driver, "EXPLAIN "+cypher, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(p neo4j.Plan)
	walk = func(p neo4j.Plan) {
		b.WriteString(p.Operator())
		if d, ok := p.Arguments()["Details"].(string); ok {
			b.WriteString(" " + d)
		}
		b.WriteString("\n")
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(res.Summary.Plan())
	return b.String()
}

// TestDateRangeUsesSpanIndex shows the date filter is answered by the span
// POINT indexes from both ends, not by reading every earlier event.
func TestDateRangeUsesSpanIndex(t *testing.T) {
	s := openInternal(t, true)
	from, to := "2015-03", "2015-03"
	plan := planDetails(t, s, domain.ListQuery{Labels: []string{"Event"}, Filter: &domain.NodeFilter{DateFrom: &from, DateTo: &to}, First: 20, Count: true})
	t.Log(plan)
	// Count and page each seek the span and the longSpan index. (Neo4j's
	// plan details name the same property in both legs of a union, so the
	// test counts the seeks.)
	if n := strings.Count(plan, "POINT INDEX n:Event("); n != 4 || strings.Contains(plan, "LabelScan") || strings.Contains(plan, "AllNodesScan") {
		t.Fatalf("the date range is not answered by the span indexes alone (%d point seeks, want 4):\n%s", n, plan)
	}
}

// TestNarrowProjection shows a selection whose fields are all known fetches
// only the properties they read, and any other fetches them all.
func TestNarrowProjection(t *testing.T) {
	narrow := &domain.Selection{Narrow: true, Props: []string{"name", "startDate", "name"}}
	cypher, _, err := compileFindNodes(domain.ListQuery{Labels: []string{"Event"}, First: 5, Select: narrow})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cypher, "n{.id, .name, .startDate, __labels: labels(n)}") || strings.Contains(cypher, ".*") {
		t.Fatalf("narrow selection compiled to %s", cypher)
	}
	cypher, _, err = compileFindNodes(domain.ListQuery{Labels: []string{"Event"}, First: 5, Select: &domain.Selection{Props: []string{"name"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cypher, "n{.*, __labels: labels(n)}") {
		t.Fatalf("wide selection compiled to %s", cypher)
	}
	var sel domain.Selection
	sel.Narrow = true
	sel.NeedScalar("start")
	sel.NeedScalar("someFieldTheTableDoesNotKnow")
	if sel.Narrow {
		t.Fatal("a field the table does not know must widen the selection")
	}
}
