package web

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

var (
	schemaOnce sync.Once
	testSchema *ast.Schema
)

// schema is Phakhi's schema, read from schema.graphqls.
func schema(tb testing.TB) *ast.Schema {
	tb.Helper()
	schemaOnce.Do(func() {
		src, err := os.ReadFile("../schema.graphqls")
		if err != nil {
			tb.Fatal(err)
		}
		s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
		if gerr != nil {
			tb.Fatal(gerr)
		}
		testSchema = s
	})
	return testSchema
}

func measure(tb testing.TB, q string, vars map[string]any) Measurement {
	tb.Helper()
	doc, errs := gqlparser.LoadQuery(schema(tb), q)
	if errs != nil {
		tb.Fatalf("invalid query: %v", errs)
	}
	return Measure(doc, doc.Operations[0], vars)
}

func TestMeasure(t *testing.T) {
	t.Run("Ensure depth counts fields, root field 1, fragments where spread", func(t *testing.T) {
		m := measure(t, `{ node(id: "a") { id ...F } } fragment F on Node { relationships(first: 1) { edges { node { id } } } }`, nil)
		if m.Depth != 5 || m.IntrospectionDepth != 0 {
			t.Fatalf("%+v", m)
		}
	})
	t.Run("Ensure introspection depth is measured apart from data depth", func(t *testing.T) {
		m := measure(t, `{ __schema { types { fields { type { ofType { name } } } } } __typename }`, nil)
		if m.IntrospectionDepth != 6 || m.Depth != 1 {
			t.Fatalf("%+v", m)
		}
	})
	t.Run("Ensure a connection's first multiplies the cost of its edges, and variables and defaults count", func(t *testing.T) {
		// 1 (agencies) + 1 (totalCount) + 10 x (1 edges + 1 node + 1 id + 1 name)
		if m := measure(t, `{ agencies(first: 10) { totalCount edges { node { id name } } } }`, nil); m.Cost != 1+1+1+10*3 {
			t.Fatalf("cost %d", m.Cost)
		}
		m1 := measure(t, `query($n: Int) { agencies(first: $n) { edges { node { id } } } }`, map[string]any{"n": 100})
		m2 := measure(t, `{ agencies { edges { node { id } } } }`, nil) // default first: 20
		if m1.Cost != 1+1+100*2 || m2.Cost != 1+1+20*2 {
			t.Fatalf("costs %d %d", m1.Cost, m2.Cost)
		}
	})
	t.Run("Ensure cap, k and ids size lists, and lists without a size count ListSize items", func(t *testing.T) {
		if m := measure(t, `{ neighborhood(id: "a", cap: 50) { nodes { id } edges { id } } }`, nil); m.Cost != 1+1+50+1+50 {
			t.Fatalf("neighborhood cost %d", m.Cost)
		}
		if m := measure(t, `{ paths(from: "a", to: "b", k: 2) { length nodes { id } } }`, nil); m.Cost != 1+2*(1+1+ListSize) {
			t.Fatalf("paths cost %d", m.Cost)
		}
		if m := measure(t, `{ nodes(ids: ["a", "b", "c"]) { id } }`, nil); m.Cost != 1+3 {
			t.Fatalf("nodes cost %d", m.Cost)
		}
	})
	t.Run("Ensure aliases and directives are counted in fragments where spread, not per list item", func(t *testing.T) {
		m := measure(t, `{ agencies(first: 50) { edges { node { a: id b: name @include(if: true) } } } ...Q ...Q2 }
			fragment Q on Query { x: __typename @skip(if: false) }
			fragment Q2 on Query { ...Q }`, nil)
		if m.Aliases != 4 || m.Directives != 3 {
			t.Fatalf("%+v", m)
		}
	})
	t.Run("Ensure a fragment bomb costs linear time and saturates", func(t *testing.T) {
		q := `{ node(id: "a") { ...F60 } } fragment F0 on Node { id }`
		for i := 1; i <= 60; i++ {
			q += " fragment F" + itoa(i) + " on Node { ...F" + itoa(i-1) + " ...F" + itoa(i-1) + " }"
		}
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatal(err)
		}
		if errs := validator.Validate(schema(t), doc); errs != nil {
			t.Fatal(errs)
		}
		if m := Measure(doc, doc.Operations[0], nil); m.Cost < 1<<50 {
			t.Fatalf("cost %d", m.Cost)
		}
	})
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestPrecheckAndTokens(t *testing.T) {
	t.Run("Ensure tokens are counted as the lexer sees them (commas and comments are not)", func(t *testing.T) {
		if n := CountTokens("{ a, b # c d e\n ...F @x(y: \"z\") }"); n != 13 {
			t.Fatalf("%d tokens", n)
		}
	})
	t.Run("Ensure precheck finds repeated fields, repeated directives and counts directives", func(t *testing.T) {
		doc, err := parser.ParseQuery(&ast.Source{Input: `{ a a b { c c c } d @x @x @y } fragment F on Q { e @z }`})
		if err != nil {
			t.Fatal(err)
		}
		s := precheck(doc)
		if s.duplicates != 3 || s.duplicated != "c" || s.directives != 4 || s.repeatedDirective != "x" || s.repeats != 2 {
			t.Fatalf("%+v", s)
		}
	})
	t.Run("Ensure a query that passed the checks is remembered, one that failed is not", func(t *testing.T) {
		q := NewQueryLimits(Limits{MaxDuplicateFields: 2})
		ctx := context.Background()
		ok := &graphql.RawParams{Query: "{ a a }"}
		bad := &graphql.RawParams{Query: "{ a a a }"}
		if err := q.MutateOperationParameters(ctx, ok); err != nil {
			t.Fatal(err)
		}
		if _, hit := q.passed.Get(ctx, ok.Query); !hit {
			t.Fatal("not remembered")
		}
		if err := q.MutateOperationParameters(ctx, bad); err == nil || err.Extensions["code"] != CodeDuplicateFields {
			t.Fatalf("err = %v", err)
		}
		if _, hit := q.passed.Get(ctx, bad.Query); hit {
			t.Fatal("a refused query was remembered")
		}
	})
}

// FuzzQueryLimits runs the limit checks on any document: they must never
// panic, and must finish (fragments are memoized).
func FuzzQueryLimits(f *testing.F) {
	for _, q := range []string{
		`{ node(id: "codi") { id name ... on Agency { units(first: 5) { edges { node { id } } } } } }`,
		`query($n: Int) { agencies(first: $n) { edges { node { relationships(first: $n) { totalCount } } } } }`,
		`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`,
		`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`,
		`{ a: __typename b: __typename @include(if: true) @skip(if: false) }`,
		`{ nodes(ids: ["a", "b"]) { id } neighborhood(id: "a", cap: 1000) { nodes { id } } paths(from: "a", to: "b", k: 10) { nodes { id } } }`,
		`{ node(id: "a") { ...F } } fragment F on Node { id ...F }`,
		"{", "}", "{ a(b: [[[[[[1]]]]]]) }", `{ a(b: {c: {d: {e: $f}}}) }`, "query @a @a @a { x }",
		`mutation { createNode(input: {id: "x", label: "Person", name: "x"}) { id } }`,
		`subscription { graphChanged { changeId } }`,
	} {
		f.Add(q)
	}
	s := schema(f)
	q := NewQueryLimits(Limits{})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, query string) {
		if len(query) > 20000 {
			return
		}
		_ = CountTokens(query)
		_ = q.MutateOperationParameters(ctx, &graphql.RawParams{Query: query})
		doc, err := parser.ParseQuery(&ast.Source{Input: query})
		if err != nil {
			return
		}
		_ = precheck(doc)
		if errs := validator.Validate(s, doc); errs != nil {
			return
		}
		for _, op := range doc.Operations {
			m := Measure(doc, op, map[string]any{"n": 7, "f": "x"})
			if m.Cost < 0 || m.Aliases < 0 || m.Directives < 0 || m.Depth < 0 {
				t.Fatalf("%q: %+v", query, m)
			}
			if strings.Count(query, "{") < m.Depth {
				t.Fatalf("%q: depth %d with %d braces", query, m.Depth, strings.Count(query, "{"))
			}
		}
	})
}
