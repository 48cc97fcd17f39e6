package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// wantRefusal checks a limit refusal: the code, the limit and the actual
// figure in extensions, and no data.
func wantRefusal(t *testing.T, resp map[string]any, code string, limit int, actual float64) {
	t.Helper()
	if testkit.ErrorCode(resp) != code {
		t.Fatalf("code %q, want %s: %v", testkit.ErrorCode(resp), code, resp)
	}
	ext := testkit.Dig(resp, "errors", 0, "extensions").(map[string]any)
	if ext["limit"] != float64(limit) {
		t.Fatalf("extensions.limit = %v, want %d: %v", ext["limit"], limit, ext)
	}
	if actual > 0 && ext["actual"] != actual {
		t.Fatalf("extensions.actual = %v, want %v: %v", ext["actual"], actual, ext)
	}
	if a, _ := ext["actual"].(float64); a <= float64(limit) {
		t.Fatalf("extensions.actual = %v is not past the limit %d", ext["actual"], limit)
	}
	if d := resp["data"]; d != nil {
		t.Fatalf("a refused query has data: %v", d)
	}
}

// nestRelationships nests `relationships(first: n) { edges { other { id ...` levels deep.
func nestRelationships(start string, levels, first int) string {
	r := fmt.Sprintf("relationships(first: %d) { edges { other { id ", first)
	return fmt.Sprintf(`{ node(id: %q) { id %s } }`, start, strings.Repeat(r, levels)+strings.Repeat("} } } ", levels))
}

func TestQueryLimits(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{})

	t.Run("Ensure a query one field deeper than the depth limit is refused with QUERY_TOO_DEEP, limit and actual", func(t *testing.T) {
		// node(1) + 3 per level + id: 4 levels = 14 deep, 3 levels = 11
		resp := testkit.Query(t, ts.URL+"/query", nestRelationships("codi", 4, 1), nil)
		wantRefusal(t, resp, "QUERY_TOO_DEEP", web.DefaultMaxDepth, 14)
		if msg := testkit.Dig(resp, "errors", 0, "message").(string); !strings.Contains(msg, "14") || !strings.Contains(msg, "12") {
			t.Fatalf("message %q does not say how deep and the limit", msg)
		}
		ok := testkit.Query(t, ts.URL+"/query", nestRelationships("codi", 3, 2), nil)
		if ok["errors"] != nil || testkit.Dig(ok, "data", "node", "id") != "codi" {
			t.Fatalf("an 11-deep query was not answered: %v", ok)
		}
	})

	t.Run("Ensure a query whose lists multiply past the cost limit is refused with QUERY_TOO_COMPLEX", func(t *testing.T) {
		// 100 agencies x 100 relationships x 100 relationships
		q := `{ agencies(first: 100) { edges { node { relationships(first: 100) { edges { other { relationships(first: 100) { edges { node { id type } } } } } } } } } }`
		resp := testkit.Query(t, ts.URL+"/query", q, nil)
		wantRefusal(t, resp, "QUERY_TOO_COMPLEX", web.DefaultMaxCost, 0)
		// variables count: the same query with first: 2 passes
		small := testkit.Query(t, ts.URL+"/query", `query($n: Int!) { agencies(first: $n) { edges { node { relationships(first: $n) { edges { other { relationships(first: $n) { edges { node { id type } } } } } } } } } }`, map[string]any{"n": 2})
		if small["errors"] != nil {
			t.Fatalf("the small query was refused: %v", small)
		}
		big := testkit.Query(t, ts.URL+"/query", `query($n: Int!) { agencies(first: $n) { edges { node { relationships(first: $n) { edges { other { relationships(first: $n) { edges { node { id type } } } } } } } } } }`, map[string]any{"n": 100})
		wantRefusal(t, big, "QUERY_TOO_COMPLEX", web.DefaultMaxCost, 0)
	})

	t.Run("Ensure bridges weigh as the heaviest search: four fit in one query, five do not", func(t *testing.T) {
		bridges := func(n int) string {
			var b strings.Builder
			b.WriteString("{ ")
			for i := range n {
				fmt.Fprintf(&b, "b%d: bridges(maxHops: %d, first: 1) { actor { id } } ", i, 1+i%4)
			}
			return b.String() + "}"
		}
		if resp := testkit.Query(t, ts.URL+"/query", bridges(4), nil); resp["errors"] != nil {
			t.Fatalf("four bridges were refused: %v", resp["errors"])
		}
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", bridges(5), nil), "QUERY_TOO_COMPLEX", web.DefaultMaxCost, 0)
	})

	t.Run("Ensure the explorer's largest neighbourhood (cap 1000) stays within the cost limit", func(t *testing.T) {
		q := `query($id: ID!) { neighborhood(id: $id, depth: 3, cap: 1000) { truncated nodes { ...N } edges { ...E } } }
			fragment N on Node { id label name nameEn ... on Actor { advances { id } } }
			fragment E on Relationship { id type role roleTh description current from { id } to { id } start { iso text } end { iso text } evidence { quote locator note source { id name url } } }`
		resp := testkit.Query(t, ts.URL+"/query", q, map[string]any{"id": "region-central"})
		if resp["errors"] != nil || testkit.Dig(resp, "data", "neighborhood", "truncated") == nil {
			t.Fatalf("response = %v", resp)
		}
	})

	t.Run("Ensure more aliases than the limit are refused with TOO_MANY_ALIASES, and the limit itself passes", func(t *testing.T) {
		aliases := func(n int) string {
			var b strings.Builder
			b.WriteString("{ ")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "a%d: __typename ", i)
			}
			return b.String() + "}"
		}
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", aliases(web.DefaultMaxAliases+1), nil), "TOO_MANY_ALIASES", web.DefaultMaxAliases, float64(web.DefaultMaxAliases+1))
		if resp := testkit.Query(t, ts.URL+"/query", aliases(web.DefaultMaxAliases), nil); resp["errors"] != nil {
			t.Fatalf("%d aliases refused: %v", web.DefaultMaxAliases, resp)
		}
		// aliases in a fragment count where the fragment is spread
		var f, g strings.Builder
		for i := 0; i < 20; i++ {
			fmt.Fprintf(&f, "f%d: __typename ", i)
			fmt.Fprintf(&g, "g%d: __typename ", i)
		}
		frag := `{ ...F ...G } fragment F on Query { ` + f.String() + `} fragment G on Query { ` + g.String() + `}`
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", frag, nil), "TOO_MANY_ALIASES", web.DefaultMaxAliases, 40)
	})

	t.Run("Ensure more directives than the limit are refused with TOO_MANY_DIRECTIVES", func(t *testing.T) {
		q := "{ " + strings.Repeat("__typename @include(if: true) ", web.DefaultMaxDirectives+1) + "}"
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", q, nil), "TOO_MANY_DIRECTIVES", web.DefaultMaxDirectives, float64(web.DefaultMaxDirectives+1))
		q = "{ " + strings.Repeat("node(id: \"codi\") @skip(if: false) { id } ", 10) + "}"
		if resp := testkit.Query(t, ts.URL+"/query", q, nil); resp["errors"] != nil {
			t.Fatalf("10 directives refused: %v", resp)
		}
	})

	t.Run("Ensure a document with more tokens than the limit is refused before it is parsed", func(t *testing.T) {
		n := web.DefaultMaxTokens + 10
		q := "{ " + strings.Repeat("__typename ", n-2) + "}"
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", q, nil), "TOO_MANY_TOKENS", web.DefaultMaxTokens, float64(n))
		// not even a syntax error is looked for: the count comes first
		broken := "{ " + strings.Repeat("x ", n)
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", broken, nil), "TOO_MANY_TOKENS", web.DefaultMaxTokens, float64(n+1))
	})

	t.Run("Ensure a refusal is a GraphQL error: 200 for application/json, 400 for application/graphql-response+json", func(t *testing.T) {
		body := map[string]any{"query": nestRelationships("codi", 5, 1)}
		if r := testkit.PostJSON(t, ts.URL+"/query", body); r.Status != 200 || testkit.ErrorCode(r.JSON) != "QUERY_TOO_DEEP" {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		b, _ := json.Marshal(body)
		r := testkit.Send(t, http.MethodPost, ts.URL+"/query", "application/json", bytes.NewReader(b), map[string]string{"Accept": "application/graphql-response+json"})
		if r.Status != 400 || testkit.ErrorCode(r.JSON) != "QUERY_TOO_DEEP" || strings.Contains(r.Body, `"data"`) {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})

	t.Run("Ensure GraphiQL's introspection query (15 deep) passes and a deeper introspection is refused", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", graphiqlIntrospection, nil)
		if resp["errors"] != nil || testkit.Dig(resp, "data", "__schema", "queryType", "name") != "Query" {
			t.Fatalf("introspection refused: %v", resp["errors"])
		}
		deep := `{ __type(name: "Query") { name ` + strings.Repeat("ofType { name ", 20) + strings.Repeat("} ", 20) + `} }`
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", deep, nil), "QUERY_TOO_DEEP", web.DefaultMaxIntrospectionDepth, 22)
	})

	t.Run("Ensure an exponential fragment bomb is measured in linear time and refused", func(t *testing.T) {
		frags := []string{"fragment F0 on Node { id name }"}
		for i := 1; i <= 40; i++ {
			frags = append(frags, fmt.Sprintf("fragment F%d on Node { ...F%d ...F%d }", i, i-1, i-1))
		}
		// 2^40 spreads: walked one by one, the measure would never end, so
		// an answer at all shows it linear
		resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "codi") { ...F40 } }`+"\n"+strings.Join(frags, "\n"), nil)
		if testkit.ErrorCode(resp) != "QUERY_TOO_COMPLEX" {
			t.Fatalf("response: %v", resp)
		}
	})
}

// graphiqlIntrospection is the introspection query of the vendored GraphiQL
// (graphql-js getIntrospectionQuery with every option: 9 levels of ofType).
var graphiqlIntrospection = `query IntrospectionQuery {
  __schema {
    description queryType { name kind } mutationType { name kind } subscriptionType { name kind }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }`

// TestGraphQLCop runs graphql-cop's checks, each as a test.
func TestGraphQLCop(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t)})

	t.Run("Ensure alias overloading (101 aliases) is refused", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("query cop { ")
		for i := 0; i <= 100; i++ {
			fmt.Fprintf(&b, "alias%d: __typename ", i)
		}
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", b.String()+"}", nil), "TOO_MANY_ALIASES", web.DefaultMaxAliases, 101)
	})

	t.Run("Ensure batching (a JSON array of operations) is refused with 400 BATCHING_NOT_SUPPORTED", func(t *testing.T) {
		batch := []any{}
		for i := 0; i < 10; i++ {
			batch = append(batch, map[string]any{"query": "query cop { __typename }"})
		}
		r := testkit.PostJSON(t, ts.URL+"/query", batch)
		var out map[string]any
		_ = json.Unmarshal([]byte(r.Body), &out)
		if r.Status != 400 || testkit.ErrorCode(out) != "BATCHING_NOT_SUPPORTED" || strings.Contains(r.Body, "__typename") {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})

	t.Run("Ensure field duplication (the same field 500 times) is refused before validation", func(t *testing.T) {
		q := "query cop { " + strings.Repeat("__typename \n", 500) + "}"
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", q, nil), "TOO_MANY_DUPLICATE_FIELDS", web.DefaultMaxDuplicateFields, 500)
		if resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "codi") { id id name name } }`, nil); resp["errors"] != nil {
			t.Fatalf("a field asked twice was refused: %v", resp)
		}
	})

	t.Run("Ensure directive overloading gets one error, not one per directive", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }", nil)
		errs, _ := resp["errors"].([]any)
		if len(errs) != 1 || testkit.ErrorCode(resp) != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("%d errors: %v", len(errs), resp)
		}
		q := "query cop { __typename " + strings.Repeat("@aa", 200) + " }"
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", q, nil), "TOO_MANY_DIRECTIVES", web.DefaultMaxDirectives, 200)
	})

	t.Run("Ensure circular fragments are a validation error, answered at once", func(t *testing.T) {
		// a walk that followed the cycle would never answer
		resp := testkit.Query(t, ts.URL+"/query", `query cop { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, nil)
		if testkit.ErrorCode(resp) != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("response: %v", resp)
		}
	})

	t.Run("Ensure circular introspection is refused", func(t *testing.T) {
		// fields → type → fields …: gqlparser's MaxIntrospectionDepth rule
		q := `query cop { __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`
		if resp := testkit.Query(t, ts.URL+"/query", q, nil); resp["data"] != nil || resp["errors"] == nil {
			t.Fatalf("response = %v", resp)
		}
		// ofType → ofType …: the depth limit
		q = `query cop { __schema { types { ` + strings.Repeat("ofType { ", 30) + "name" + strings.Repeat(" }", 30) + ` } } }`
		wantRefusal(t, testkit.Query(t, ts.URL+"/query", q, nil), "QUERY_TOO_DEEP", web.DefaultMaxIntrospectionDepth, 33)
	})

	t.Run("Ensure mutations over GET are refused and change nothing", func(t *testing.T) {
		for _, q := range []string{
			`mutation cop { __typename }`,
			`mutation { createNode(input: {id: "cop-get", label: "Person", name: "GET", evidence: [{source: "gotoknow-85545", quote: "ขอบคุณพัชที่ส่งข่าวให้ทราบ"}]}) { id } }`,
		} {
			r := testkit.Send(t, http.MethodGet, ts.URL+"/query?query="+url.QueryEscape(q), "", nil, map[string]string{"Authorization": "Bearer " + testkit.EditorKey})
			if r.Status < 400 || r.Status >= 500 || strings.Contains(r.Body, `"data":{`) {
				t.Fatalf("GET %s: status %d: %s", q, r.Status, r.Body)
			}
		}
		if resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "cop-get") { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Fatalf("the GET mutation created a node: %v", resp)
		}
	})

	t.Run("Ensure CSRF-able POSTs (form-urlencoded, multipart, text/plain) are refused with 4xx", func(t *testing.T) {
		query := `query cop { __typename }`
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		_ = mw.WriteField("query", query)
		_ = mw.Close()
		for _, c := range []struct {
			contentType string
			body        string
		}{
			{"application/x-www-form-urlencoded", "query=" + url.QueryEscape(query)},
			{mw.FormDataContentType(), mp.String()},
			{"text/plain", `{"query": "` + query + `"}`},
			{"text/plain;charset=UTF-8", `{"query": "` + query + `"}`},
			{"", `{"query": "` + query + `"}`},
		} {
			r := testkit.Send(t, http.MethodPost, ts.URL+"/query", c.contentType, strings.NewReader(c.body), map[string]string{"Origin": "https://evil.example.com"})
			if r.Status < 400 || r.Status >= 500 || strings.Contains(r.Body, `"__typename"`) {
				t.Fatalf("%q: status %d: %s", c.contentType, r.Status, r.Body)
			}
		}
	})

	t.Run("Ensure no error leaks a stack trace, Go or driver text, or echoes the body", func(t *testing.T) {
		leak := regexp.MustCompile(`(?i)goroutine|panic|runtime\.|\.go:\d|neo4j\.|Neo\.ClientError|cypher|json: |unexpected end of JSON|invalid character|body:|map\[|interface \{`)
		cases := []struct {
			contentType, body string
			answered          bool // injection attempts are plain text: answered, no error
		}{
			{"application/json", `{"query": "{ node(id: \"codi\") { id }"`, false},
			{"application/json", `{"query": 42}`, false},
			{"application/json", `"just a string"`, false},
			{"application/json", `{"query": "{ __typename }", "variables": "not an object"}`, false},
			{"application/json", `{"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": {"nested": [1, 2]}}}`, false},
			{"application/json", `{"query": "{ agencies(first: 99999999999999999999) { totalCount } }"}`, false},
			{"application/json", `{"query": "{ agencies(first: -1) { totalCount } }"}`, false},
			{"application/json", `{"query": "query($f: NodeFilter) { actors(filter: $f) { totalCount } }", "variables": {"f": {"ids": "x", "and": [1]}}}`, false},
			{"application/json", `{"query": "query($n: Int) { actors(first: $n) { totalCount } }", "variables": {"n": 1e40}}`, false},
			{"application/json", `{"query": "{ __typename }", "operationName": "Missing"}`, false},
			{"application/json", `{"query": "{ events(filter: {dateFrom: \"2007-02-30\"}) { totalCount } }"}`, false},
			{"application/json", `{"query": "{ search(query: \"` + strings.Repeat("ก", 300) + `\") { totalCount } }"}`, false},
			{"application/json", `{"query": "{ search(query: \"\\\\\\\" OR 1=1 //\") { totalCount } }"}`, true},
			{"application/json", `{"query": "{ node(id: \"x' OR 1=1 //\") { id } }"}`, false},
			{"application/json", `{"query": "{ actors(filter: {nameContains: \"\\u0000'\\\"})}\"}) { totalCount } }"}`, true},
			{"application/json", `{"query": "{ paths(from: \"codi\", to: \"codi\", k: 1000, maxLength: 99) { length } }"}`, false},
			{"application/json", `{"query": "{ neighborhood(id: \"codi\", depth: 9, cap: 100000) { nodeCount } }"}`, false},
			{"application/json", `{"query": "mutation { createNode(input: {id: \"x\", label: \"Person\", name: \"x\"}) { id } }"}`, false},
			{"application/json", `{"query": "subscription { graphChanged { changeId } }"}`, false},
			{"application/json", `{"query": "{ ` + strings.Repeat(`\u0000`, 10) + ` }"}`, false},
			{"application/json", `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "deadbeef"}}}`, false},
		}
		for _, c := range cases {
			r := testkit.Send(t, http.MethodPost, ts.URL+"/query", c.contentType, strings.NewReader(c.body), nil)
			if leak.MatchString(r.Body) || r.Status >= 500 {
				t.Errorf("%s\n  -> status %d: %s", c.body, r.Status, r.Body)
			}
			if c.answered && (r.JSON["errors"] != nil || r.JSON["data"] == nil) {
				t.Errorf("%s\n  -> not answered: %s", c.body, r.Body)
			}
			if !c.answered && (r.JSON == nil || r.JSON["errors"] == nil) {
				t.Errorf("%s\n  -> no GraphQL errors: %s", c.body, r.Body)
			}
		}
		big := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("a", web.DefaultMaxBodyBytes) + `"}}`
		r := testkit.Send(t, http.MethodPost, ts.URL+"/query", "application/json", strings.NewReader(big), nil)
		if r.Status != http.StatusRequestEntityTooLarge || testkit.ErrorCode(r.JSON) != "REQUEST_TOO_LARGE" {
			t.Fatalf("a body past the limit: status %d: %.300s", r.Status, r.Body)
		}
		// an editor's key alone does not: only an import mutation may be
		// larger (TestLargeBodies)
		r = testkit.Send(t, http.MethodPost, ts.URL+"/query", "application/json", strings.NewReader(big), map[string]string{"Authorization": "Bearer " + testkit.EditorKey})
		if r.Status != http.StatusRequestEntityTooLarge || testkit.ErrorCode(r.JSON) != "REQUEST_TOO_LARGE" {
			t.Fatalf("a keyed body of %d bytes that is no import: status %d: %.300s", len(big), r.Status, r.Body)
		}
	})
}

func TestIntrospectionAndSuggestionsOff(t *testing.T) {
	ts := newServer(t, web.Config{DisableIntrospection: true})
	t.Run("Ensure introspection is refused when -introspection=false", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", `{ __schema { queryType { name } } }`, nil)
		if resp["errors"] == nil || testkit.Dig(resp, "data", "__schema") != nil {
			t.Fatalf("response = %v", resp)
		}
	})
	t.Run("Ensure validation errors suggest no field names when -introspection=false", func(t *testing.T) {
		resp := testkit.Query(t, ts.URL+"/query", `{ nod(id: "codi") { id } }`, nil)
		msg, _ := testkit.Dig(resp, "errors", 0, "message").(string)
		if msg == "" || strings.Contains(msg, "Did you mean") || strings.Contains(msg, `"node"`) {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("Ensure __typename still answers", func(t *testing.T) {
		if resp := testkit.Query(t, ts.URL+"/query", `{ __typename }`, nil); testkit.Dig(resp, "data", "__typename") != "Query" {
			t.Fatalf("response = %v", resp)
		}
	})
}

func TestSuggestionsOnByDefault(t *testing.T) {
	ts := newServer(t, web.Config{})
	resp := testkit.Query(t, ts.URL+"/query", `{ nod(id: "codi") { id } }`, nil)
	if msg, _ := testkit.Dig(resp, "errors", 0, "message").(string); !strings.Contains(msg, "Did you mean") {
		t.Fatalf("message %q", msg)
	}
}
