package web

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// The extensions.code of each refusal of the query limits.
const (
	CodeTooManyTokens     = "TOO_MANY_TOKENS"
	CodeTooDeep           = "QUERY_TOO_DEEP"
	CodeTooComplex        = "QUERY_TOO_COMPLEX"
	CodeTooManyAliases    = "TOO_MANY_ALIASES"
	CodeTooManyDirectives = "TOO_MANY_DIRECTIVES"
	CodeDuplicateFields   = "TOO_MANY_DUPLICATE_FIELDS"
	CodeBatching          = "BATCHING_NOT_SUPPORTED"
	CodeBodyTooLarge      = "REQUEST_TOO_LARGE"
	CodeBadRequest        = "BAD_REQUEST"
)

func init() {
	// Refusals are request errors: 400 for application/graphql-response+json
	// (422 for application/json, as gqlgen does for validation errors).
	for _, c := range []string{CodeTooManyTokens, CodeTooDeep, CodeTooComplex, CodeTooManyAliases, CodeTooManyDirectives, CodeDuplicateFields, CodeBadRequest} {
		errcode.RegisterErrorType(c, errcode.KindProtocol)
	}
}

// Limits bound what one GraphQL request may ask for. A zero field takes its
// default (DefaultLimits); a negative one turns that limit off.
type Limits struct {
	// MaxTokens bounds the lexical tokens of the query document, counted
	// before it is parsed (so neither parser nor validator see more).
	MaxTokens int
	// MaxDepth bounds the nesting of fields (a root field is depth 1).
	MaxDepth int
	// MaxIntrospectionDepth applies instead of MaxDepth under __schema and
	// __type: GraphiQL's own introspection query is 15 deep (9 ofType).
	MaxIntrospectionDepth int
	// MaxCost bounds the cost: every field counts 1, and the selection of a
	// list counts once per item it may hold: `first`, `cap` or `k` items, as
	// many as `ids`, or ListSize for lists without such an argument.
	MaxCost int
	// MaxAliases bounds the aliased fields of the operation (fragments
	// counted where they are spread).
	MaxAliases int
	// MaxDirectives bounds the directives used in the operation.
	MaxDirectives int
	// MaxDuplicateFields bounds how often one field (one response key) may
	// be repeated in one selection set: the validator compares repeats
	// pairwise, so 2000 repeats cost it a fifth of a second.
	MaxDuplicateFields int
	// MaxBodyBytes bounds the body of a POST request without an API key;
	// MaxKeyedBodyBytes one with a valid key (imports take 32 MiB of text
	// by default, graph.DefaultMaxImportBytes, which JSON escaping may
	// double).
	MaxBodyBytes      int64
	MaxKeyedBodyBytes int64
	// LargeBodies bounds the bodies over MaxBodyBytes (imports, with an
	// editor's key) received or running at once; the next waits up to
	// 10 s for a turn, then is BUSY.
	LargeBodies int
}

// Default values of the query limits; see the README's Limits section.
const (
	DefaultMaxTokens             = 2000
	DefaultMaxDepth              = 12
	DefaultMaxIntrospectionDepth = 16
	DefaultMaxCost               = 100000
	DefaultMaxAliases            = 30
	DefaultMaxDirectives         = 50
	DefaultMaxDuplicateFields    = 20
	DefaultMaxBodyBytes          = 1 << 20
	DefaultMaxKeyedBodyBytes     = 72 << 20
	DefaultLargeBodies           = 2
	// ListSize is the cost multiplier of a list field without a size
	// argument (aliases, evidence, sessions, a path's nodes, …).
	ListSize = 5
)

// DefaultLimits are the limits a zero Limits stands for.
func DefaultLimits() Limits {
	return Limits{
		MaxTokens:             DefaultMaxTokens,
		MaxDepth:              DefaultMaxDepth,
		MaxIntrospectionDepth: DefaultMaxIntrospectionDepth,
		MaxCost:               DefaultMaxCost,
		MaxAliases:            DefaultMaxAliases,
		MaxDirectives:         DefaultMaxDirectives,
		MaxDuplicateFields:    DefaultMaxDuplicateFields,
		MaxBodyBytes:          DefaultMaxBodyBytes,
		MaxKeyedBodyBytes:     DefaultMaxKeyedBodyBytes,
		LargeBodies:           DefaultLargeBodies,
	}
}

// withDefaults fills zero fields with their defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	l.MaxTokens = cmp.Or(l.MaxTokens, d.MaxTokens)
	l.MaxDepth = cmp.Or(l.MaxDepth, d.MaxDepth)
	l.MaxIntrospectionDepth = cmp.Or(l.MaxIntrospectionDepth, d.MaxIntrospectionDepth)
	l.MaxCost = cmp.Or(l.MaxCost, d.MaxCost)
	l.MaxAliases = cmp.Or(l.MaxAliases, d.MaxAliases)
	l.MaxDirectives = cmp.Or(l.MaxDirectives, d.MaxDirectives)
	l.MaxDuplicateFields = cmp.Or(l.MaxDuplicateFields, d.MaxDuplicateFields)
	l.MaxBodyBytes = cmp.Or(l.MaxBodyBytes, d.MaxBodyBytes)
	l.MaxKeyedBodyBytes = cmp.Or(l.MaxKeyedBodyBytes, d.MaxKeyedBodyBytes)
	l.LargeBodies = cmp.Or(l.LargeBodies, d.LargeBodies)
	return l
}

// fieldWeights are the own cost of fields that compute over the whole graph
// (instead of 1): an export may hold up to the export cap of nodes in one
// JSON or text value; bridges searches from each side up to 4 hops, the
// heaviest read there is (3 hops at a million nodes fill Neo4j's query
// memory), so at most 4 fit in one query.
var fieldWeights = map[string]int64{
	"Query.networkMetrics": 1000,
	"Query.triangle":       1000,
	"Query.bridges":        24000,
	"Query.exportGraph":    10000,
	"Query.cytoscape":      10000,
	"Query.graphology":     10000,
	"Query.d3":             10000,
}

// sizeArgs are the arguments that say how many items a field returns.
var sizeArgs = []string{"first", "cap", "k"}

// QueryLimits is the gqlgen extension enforcing Limits. Before gqlgen
// parses and validates a query (OperationParameterMutator) it counts its
// tokens, then parses it once to count directives and repeated fields, the
// two things that make validation itself slow or verbose. After
// validation (OperationContextMutator) it measures depth, cost, aliases
// and directives with fragments expanded.
type QueryLimits struct {
	Limits Limits
	// passed remembers queries that passed the checks before validation
	// (gqlgen caches their parsed form too).
	passed *lru.LRU[bool]
	// measured remembers the Measurement of an operation (query text and
	// operation name) whose sizes do not come from variables: the same
	// for every request that sends it.
	measured *lru.LRU[Measurement]
}

// NewQueryLimits creates the extension; zero limits take their defaults.
func NewQueryLimits(l Limits) *QueryLimits {
	return &QueryLimits{Limits: l.withDefaults(), passed: lru.New[bool](1000), measured: lru.New[Measurement](1000)}
}

var (
	_ graphql.HandlerExtension          = &QueryLimits{}
	_ graphql.OperationParameterMutator = &QueryLimits{}
	_ graphql.OperationContextMutator   = &QueryLimits{}
)

func (*QueryLimits) ExtensionName() string                          { return "QueryLimits" }
func (*QueryLimits) Validate(schema graphql.ExecutableSchema) error { return nil }

func limitError(code string, limit int, actual int64, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message: fmt.Sprintf(format, args...),
		Extensions: map[string]any{
			"code":   code,
			"limit":  limit,
			"actual": actual,
		},
	}
}

// MutateOperationParameters checks the query text before gqlgen parses and
// validates it.
func (q *QueryLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if q.passed != nil {
		if _, ok := q.passed.Get(ctx, p.Query); ok {
			return nil
		}
	}
	l := q.Limits
	if max := l.MaxTokens; max > 0 {
		if n := CountTokens(p.Query); n > max {
			return limitError(CodeTooManyTokens, max, int64(n),
				"the query has %d tokens; the limit is %d", n, max)
		}
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: p.Query})
	if err != nil {
		return nil // gqlgen reports the syntax error
	}
	pre := precheck(doc)
	if l.MaxDirectives > 0 && pre.directives > l.MaxDirectives {
		return limitError(CodeTooManyDirectives, l.MaxDirectives, int64(pre.directives),
			"the query uses %d directives; the limit is %d", pre.directives, l.MaxDirectives)
	}
	if pre.repeatedDirective != "" {
		e := gqlerror.Errorf("the directive @%s is repeated %d times at one location; it may appear once", pre.repeatedDirective, pre.repeats)
		errcode.Set(e, errcode.ValidationFailed)
		return e
	}
	if l.MaxDuplicateFields > 0 && pre.duplicates > l.MaxDuplicateFields {
		return limitError(CodeDuplicateFields, l.MaxDuplicateFields, int64(pre.duplicates),
			"the field %q is asked for %d times in one selection; the limit is %d", pre.duplicated, pre.duplicates, l.MaxDuplicateFields)
	}
	if q.passed != nil {
		q.passed.Add(ctx, p.Query, true)
	}
	return nil
}

// syntax is what precheck counts in a parsed, not yet validated, document.
type syntax struct {
	directives        int
	repeatedDirective string // a directive used more than once at one location
	repeats           int
	duplicated        string // the response key repeated most in one selection set
	duplicates        int
}

// precheck counts the directives of a document as written, finds a
// directive repeated at one location and the field repeated most in one
// selection set.
func precheck(doc *ast.QueryDocument) syntax {
	var s syntax
	dirs := func(list ast.DirectiveList) {
		s.directives += len(list)
		if len(list) < 2 || s.repeatedDirective != "" {
			return
		}
		seen := map[string]int{}
		for _, d := range list {
			seen[d.Name]++
		}
		for name, n := range seen {
			if n > 1 {
				s.repeatedDirective, s.repeats = name, n
			}
		}
	}
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		keys := map[string]int{}
		for _, sel := range set {
			switch x := sel.(type) {
			case *ast.Field:
				dirs(x.Directives)
				key := x.Alias
				if key == "" {
					key = x.Name
				}
				keys[key]++
				if keys[key] > s.duplicates {
					s.duplicated, s.duplicates = key, keys[key]
				}
				walk(x.SelectionSet)
			case *ast.InlineFragment:
				dirs(x.Directives)
				walk(x.SelectionSet)
			case *ast.FragmentSpread:
				dirs(x.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		dirs(op.Directives)
		for _, v := range op.VariableDefinitions {
			dirs(v.Directives)
		}
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		dirs(f.Directives)
		walk(f.SelectionSet)
	}
	return s
}

// CountTokens counts the lexical tokens of a GraphQL document (punctuation,
// names, values; not commas, comments or white space). A lexical error
// ends the count: the parser reports it.
func CountTokens(query string) int {
	lx := lexer.New(&ast.Source{Input: query})
	n := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return n
		}
		if tok.Kind != lexer.Comment {
			n++
		}
	}
}

// MutateOperationContext measures the validated operation and refuses it
// when it passes a limit.
func (q *QueryLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc == nil || oc.Operation == nil {
		return nil
	}
	if oc.Operation.Operation == ast.Subscription && ctx.Value(oneShotKey{}) != nil {
		// over POST or GET it would hold the request until its deadline
		return &gqlerror.Error{
			Message:    "subscriptions need a websocket: connect to /query with the graphql-transport-ws protocol",
			Extensions: map[string]any{"code": CodeBadRequest},
		}
	}
	m := q.measureCached(ctx, oc)
	l := q.Limits
	if l.MaxDepth > 0 && m.Depth > l.MaxDepth {
		return limitError(CodeTooDeep, l.MaxDepth, int64(m.Depth),
			"the query is %d fields deep; the limit is %d", m.Depth, l.MaxDepth)
	}
	if l.MaxIntrospectionDepth > 0 && m.IntrospectionDepth > l.MaxIntrospectionDepth {
		return limitError(CodeTooDeep, l.MaxIntrospectionDepth, int64(m.IntrospectionDepth),
			"the introspection query is %d fields deep; the limit is %d", m.IntrospectionDepth, l.MaxIntrospectionDepth)
	}
	if l.MaxAliases > 0 && m.Aliases > int64(l.MaxAliases) {
		return limitError(CodeTooManyAliases, l.MaxAliases, m.Aliases,
			"the query has %d aliases; the limit is %d", m.Aliases, l.MaxAliases)
	}
	if l.MaxDirectives > 0 && m.Directives > int64(l.MaxDirectives) {
		return limitError(CodeTooManyDirectives, l.MaxDirectives, m.Directives,
			"the query uses %d directives; the limit is %d", m.Directives, l.MaxDirectives)
	}
	if l.MaxCost > 0 && m.Cost > int64(l.MaxCost) {
		return limitError(CodeTooComplex, l.MaxCost, m.Cost,
			"the query may cost %d (fields times the items of the lists they are in); the limit is %d: ask for fewer items (first, cap, k) or fewer fields", m.Cost, l.MaxCost)
	}
	return nil
}

// measureCached measures an operation, from the cache when the same text was
// measured before and its sizes come from no variable.
func (q *QueryLimits) measureCached(ctx context.Context, oc *graphql.OperationContext) Measurement {
	if q.measured == nil || oc.RawQuery == "" {
		return Measure(oc.Doc, oc.Operation, oc.Variables)
	}
	key := oc.OperationName + "\x00" + oc.RawQuery
	if m, ok := q.measured.Get(ctx, key); ok {
		return m
	}
	m, usesVars := measureVars(oc.Doc, oc.Operation, oc.Variables)
	if !usesVars {
		q.measured.Add(ctx, key, m)
	}
	return m
}

// oneShotKey marks the context of a plain HTTP request (not a websocket).
type oneShotKey struct{}

// Measurement is what Measure found in an operation.
type Measurement struct {
	// Depth is the deepest field outside introspection; IntrospectionDepth
	// the deepest under __schema or __type.
	Depth, IntrospectionDepth int
	Cost, Aliases, Directives int64
}

// Measure walks a validated operation, fragments included where they are
// spread. Each fragment is measured once per context (memoized), so
// fragments spread in fragments cost linear time, not exponential.
func Measure(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) Measurement {
	m, _ := measureVars(doc, op, vars)
	return m
}

// measureVars is Measure, and says whether a size argument (first, cap, k,
// ids) read a variable: if none did, the measurement holds for any
// variables.
func measureVars(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) (Measurement, bool) {
	w := &walker{doc: doc, vars: vars, memo: map[memoKey]stats{}, active: map[string]bool{}}
	var m Measurement
	m.Directives = int64(len(op.Directives))
	for _, v := range op.VariableDefinitions {
		m.Directives = satAdd(m.Directives, int64(len(v.Directives)))
	}
	// Root fields are measured one by one to tell introspection apart.
	root := w.selectionSet(op.SelectionSet, 1, true)
	m.Depth = root.depth
	m.IntrospectionDepth = root.introDepth
	m.Cost = root.cost
	m.Aliases = root.aliases
	m.Directives = satAdd(m.Directives, root.directives)
	return m, w.usesVars
}

type stats struct {
	depth, introDepth         int
	cost, aliases, directives int64
}

func (s *stats) add(o stats) {
	s.depth = max(s.depth, o.depth)
	s.introDepth = max(s.introDepth, o.introDepth)
	s.cost = satAdd(s.cost, o.cost)
	s.aliases = satAdd(s.aliases, o.aliases)
	s.directives = satAdd(s.directives, o.directives)
}

type memoKey struct {
	fragment string
	pending  int64
	root     bool
}

type walker struct {
	doc    *ast.QueryDocument
	vars   map[string]any
	memo   map[memoKey]stats
	active map[string]bool // fragments being walked (cycles are invalid, but never loop)
	// usesVars: a size argument read a variable
	usesVars bool
}

// selectionSet measures a selection set. pending is the item count a
// connection-like parent passes to its list children (edges, nodes).
func (w *walker) selectionSet(set ast.SelectionSet, pending int64, root bool) stats {
	var s stats
	for _, sel := range set {
		switch x := sel.(type) {
		case *ast.Field:
			s.add(w.field(x, pending, root))
		case *ast.InlineFragment:
			inner := w.selectionSet(x.SelectionSet, pending, root)
			inner.directives = satAdd(inner.directives, int64(len(x.Directives)))
			s.add(inner)
		case *ast.FragmentSpread:
			s.directives = satAdd(s.directives, int64(len(x.Directives)))
			s.add(w.fragment(x.Name, pending, root))
		}
	}
	return s
}

func (w *walker) fragment(name string, pending int64, root bool) stats {
	key := memoKey{name, pending, root}
	if s, ok := w.memo[key]; ok {
		return s
	}
	if w.active[name] || w.doc == nil {
		return stats{}
	}
	def := w.doc.Fragments.ForName(name)
	if def == nil {
		return stats{}
	}
	w.active[name] = true
	s := w.selectionSet(def.SelectionSet, pending, root)
	s.directives = satAdd(s.directives, int64(len(def.Directives)))
	delete(w.active, name)
	w.memo[key] = s
	return s
}

func (w *walker) field(f *ast.Field, pending int64, root bool) stats {
	var s stats
	if f.Alias != "" && f.Alias != f.Name {
		s.aliases = 1
	}
	s.directives = int64(len(f.Directives))

	weight := int64(1)
	isList := false
	size, sized := int64(0), false
	if def := f.Definition; def != nil {
		isList = def.Type != nil && def.Type.Elem != nil
		if f.ObjectDefinition != nil {
			if wt, ok := fieldWeights[f.ObjectDefinition.Name+"."+f.Name]; ok {
				weight = wt
			}
		}
		size, sized = w.sizeOf(f)
	}
	childPending := int64(1)
	mult := int64(1)
	switch {
	case isList && sized:
		mult = size
	case isList && pending > 1:
		mult = pending
	case isList && len(f.SelectionSet) > 0:
		mult = ListSize
	case sized:
		childPending = size
	}
	children := w.selectionSet(f.SelectionSet, childPending, false)
	s.cost = satAdd(weight, satMul(mult, children.cost))
	// aliases and directives are counted as written (fragments where
	// spread), not once per list item: the cost covers the items.
	s.aliases = satAdd(s.aliases, children.aliases)
	s.directives = satAdd(s.directives, children.directives)
	introspection := root && (f.Name == "__schema" || f.Name == "__type")
	if introspection || children.introDepth > 0 {
		s.introDepth = 1 + max(children.depth, children.introDepth)
	} else {
		s.depth = 1 + children.depth
	}
	return s
}

// sizeOf reads the size argument of a field: first, cap or k, or the
// length of ids.
func (w *walker) sizeOf(f *ast.Field) (n int64, ok bool) {
	for _, a := range f.Arguments {
		if a.Name == "ids" || a.Name == "first" || a.Name == "cap" || a.Name == "k" {
			w.usesVars = w.usesVars || hasVariable(a.Value)
		}
	}
	defer func() {
		if recover() != nil { // a value the validator let through but ArgumentMap chokes on
			n, ok = 0, false
		}
	}()
	args := f.ArgumentMap(w.vars)
	for _, name := range sizeArgs {
		if v, present := args[name]; present && v != nil {
			if i, isInt := asInt(v); isInt {
				return max(i, 0), true
			}
		}
	}
	if ids, present := args["ids"].([]any); present {
		return int64(len(ids)), true
	}
	return 0, false
}

// hasVariable says whether a value is or holds a variable.
func hasVariable(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if hasVariable(c.Value) {
			return true
		}
	}
	return false
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		if x > math.MaxInt64/2 {
			return math.MaxInt64 / 2, true
		}
		return int64(x), true
	case interface{ Int64() (int64, error) }: // json.Number
		i, err := x.Int64()
		return i, err == nil
	case string:
		return 0, false
	}
	return 0, false
}

const satMax = math.MaxInt64 / 4

func satAdd(a, b int64) int64 {
	if a >= satMax-b {
		return satMax
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= satMax/b {
		return satMax
	}
	return a * b
}
