package testkit

import (
	"slices"
	"testing"
)

// Query posts a GraphQL request without a key and returns the decoded
// answer (Post without the status).
func Query(tb testing.TB, url, query string, vars map[string]any) map[string]any {
	tb.Helper()
	_, resp := Post(tb, url, "", query, vars)
	return resp
}

// MustData is an answer's data, failing the test on any error.
func MustData(tb testing.TB, resp map[string]any) map[string]any {
	tb.Helper()
	if errs := resp["errors"]; errs != nil {
		tb.Fatalf("errors: %v", errs)
	}
	data, _ := resp["data"].(map[string]any)
	if data == nil {
		tb.Fatalf("no data: %v", resp)
	}
	return data
}

// EdgeIDs collects edges[].node.id of a connection in an answer.
func EdgeIDs(v any) []string {
	var out []string
	edges, _ := Dig(v, "edges").([]any)
	for _, e := range edges {
		if id, ok := Dig(e, "node", "id").(string); ok {
			out = append(out, id)
		}
	}
	return out
}

// Has says whether list holds every one of want.
func Has(list []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(list, w) {
			return false
		}
	}
	return true
}

// WantIDSet checks that got holds exactly the ids want, in any order (a
// repeated id counts each time).
func WantIDSet(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		tb.Errorf("%s = %v, want exactly %v", what, g, w)
	}
}

// WantIDList checks that got is exactly want, in order.
func WantIDList(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	if !slices.Equal(got, want) {
		tb.Errorf("%s = %v, want exactly %v in this order", what, got, want)
	}
}

// CreatePerson is the createNode mutation the curation tests write people
// with; Person(id) is its input.
const CreatePerson = `mutation($in: NodeInput!) { createNode(input: $in) { id name version ... on Person { aliases } evidence { quote source { id } } } }`

// Person is the input of a person who cites a comment of the seed post.
func Person(id string) map[string]any {
	return map[string]any{"id": id, "label": "Person", "name": "คุณ " + id, "nameEn": "Khun " + id,
		"evidence": []any{map[string]any{"source": "gotoknow-85545", "quote": "ขอบคุณพัชที่ส่งข่าวให้ทราบ", "locator": "comment 2"}}}
}
