package web

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
)

// The measurement of an operation is cached by its text only when no size
// argument reads a variable; a cached one equals a fresh one.
func TestMeasureCache(t *testing.T) {
	ctx := context.Background()
	q := NewQueryLimits(Limits{})
	cases := []struct {
		query    string
		vars     map[string]any
		cachable bool
	}{
		{`query($id: ID!) { node(id: $id) { id ... on Event { participants(first: 20) { edges { node { id } } } } } }`, map[string]any{"id": "x"}, true},
		{`query($n: Int) { events(first: $n) { edges { node { id name } } } }`, map[string]any{"n": 50}, false},
		{`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []any{"a", "b"}}, false},
	}
	for _, c := range cases {
		doc, errs := gqlparser.LoadQuery(schema(t), c.query)
		if errs != nil {
			t.Fatalf("%s: %v", c.query, errs)
		}
		oc := &graphql.OperationContext{RawQuery: c.query, Doc: doc, Operation: doc.Operations[0], Variables: c.vars}
		want := Measure(doc, doc.Operations[0], c.vars)
		if got := q.measureCached(ctx, oc); got != want {
			t.Errorf("%s: first %+v, want %+v", c.query, got, want)
		}
		_, cached := q.measured.Get(ctx, "\x00"+c.query)
		if cached != c.cachable {
			t.Errorf("%s: cached %v, want %v", c.query, cached, c.cachable)
		}
		if got := q.measureCached(ctx, oc); got != want {
			t.Errorf("%s: second %+v, want %+v", c.query, got, want)
		}
	}
	// a size from a variable is measured with each request's value
	doc, _ := gqlparser.LoadQuery(schema(t), cases[1].query)
	oc := &graphql.OperationContext{RawQuery: cases[1].query, Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{"n": 5000}}
	if got, want := q.measureCached(ctx, oc), Measure(doc, doc.Operations[0], oc.Variables); got != want {
		t.Errorf("variable size: %+v, want %+v", got, want)
	}
}
