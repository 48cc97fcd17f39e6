package graph_test

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

const peoplePage = `query($first: Int, $after: String, $order: NodeOrder) { people(first: $first, after: $after, orderBy: $order) {
  totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`

// peopleIDs pages through people, first at a time from after, and
// returns the ids and the last cursor (between is run after the first
// page).
func peopleIDs(t *testing.T, ts *httptest.Server, first int, order map[string]any, between func()) []string {
	t.Helper()
	var ids []string
	var after any
	for page := 0; ; page++ {
		vars := map[string]any{"first": first, "after": after, "order": order}
		conn := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, peoplePage, vars)), "people").(map[string]any)
		for _, e := range conn["edges"].([]any) {
			ids = append(ids, testkit.Dig(e, "node", "id").(string))
		}
		if page == 0 && between != nil {
			between()
		}
		if conn["pageInfo"].(map[string]any)["hasNextPage"] != true {
			return ids
		}
		after = testkit.Dig(conn, "pageInfo", "endCursor")
	}
}

func createPerson(t *testing.T, ts *httptest.Server, id, name string) {
	t.Helper()
	in := testkit.Person(id)
	in["name"], in["nameEn"] = name, "AAA "+id
	_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": in})
	testkit.MustData(t, resp)
}

func deletePerson(t *testing.T, ts *httptest.Server, id string) {
	t.Helper()
	_, resp := testkit.Post(t, ts.URL, testkit.AdminKey, `mutation($id: ID!) { deleteNode(id: $id) { id } }`, map[string]any{"id": id})
	testkit.MustData(t, resp)
}

func TestKeysetPaging(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	// each order with a node that sorts first in it (id, name), or none
	orders := []struct {
		order    map[string]any
		id, name string
	}{
		{nil, "keyset-first", "กกก keyset"},
		{map[string]any{"field": "NAME", "direction": "DESC"}, "keyset-last", "ฮฮฮ keyset"},
		{map[string]any{"field": "ID", "direction": "DESC"}, "zz-keyset", "กกก keyset"},
		{map[string]any{"field": "NAME_EN", "direction": "ASC"}, "keyset-en", "กกก keyset"},
		{map[string]any{"field": "DEGREE", "direction": "DESC"}, "", ""},
	}
	for _, o := range orders {
		order := o.order
		all := peopleIDs(t, ts, 100, order, nil)
		if len(all) < 6 || len(slices.Compact(slices.Clone(all))) != len(all) {
			t.Fatalf("order %v: %d people %v", order, len(all), all)
		}
		if o.id == "" {
			continue
		}
		t.Run("Ensure a node inserted before the cursor between pages neither repeats nor skips one", func(t *testing.T) {
			got := peopleIDs(t, ts, 3, order, func() { createPerson(t, ts, o.id, o.name) })
			withIt := peopleIDs(t, ts, 100, order, nil)
			deletePerson(t, ts, o.id)
			if i := slices.Index(withIt, o.id); i != 0 {
				t.Fatalf("order %v: the inserted node is at %d, want 0 (before the cursor)", order, i)
			}
			if !slices.Equal(got, all) {
				t.Fatalf("order %v: paged\n %v\nwant\n %v", order, got, all)
			}
		})
		t.Run("Ensure a node deleted before the cursor between pages skips no other", func(t *testing.T) {
			createPerson(t, ts, o.id, o.name)
			if i := slices.Index(peopleIDs(t, ts, 100, order, nil), o.id); i != 0 {
				deletePerson(t, ts, o.id)
				t.Fatalf("order %v: the node is at %d, want 0 (on the first page)", order, i)
			}
			got := peopleIDs(t, ts, 3, order, func() { deletePerson(t, ts, o.id) })
			got = slices.DeleteFunc(got, func(id string) bool { return id == o.id })
			if !slices.Equal(got, all) {
				t.Fatalf("order %v: paged\n %v\nwant\n %v", order, got, all)
			}
		})
	}

	t.Run("Ensure a cursor of one order is refused by another, naming the argument", func(t *testing.T) {
		vars := map[string]any{"first": 2}
		end := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, peoplePage, vars)), "people", "pageInfo", "endCursor")
		vars = map[string]any{"first": 2, "after": end, "order": map[string]any{"field": "ID", "direction": "ASC"}}
		resp := testkit.Query(t, ts.URL, peoplePage, vars)
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "people.after" {
			t.Fatalf("got %v", resp)
		}
	})
}
