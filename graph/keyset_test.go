package graph_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
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

const participantsPage = `query($first: Int, $after: String) { node(id: "km-meeting-2007-04-11") { ... on Event {
  participants(first: $first, after: $after) { totalCount edges { cursor node { id } relationship { id } } pageInfo { hasNextPage endCursor } } } } }`

const searchPage = `query($q: String!, $first: Int, $after: String) { search(query: $q, first: $first, after: $after) {
  totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`

// countingURL is the query URL of the web handler over the test store:
// it counts each answer's round trips (extensions.roundTrips).
func countingURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(web.NewHandler(testkit.OpenStore(t), web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return srv.URL + "/query"
}

// pageRows pages through a connection at url, and returns each row's key
// (key of an edge) and the round trips of each answer (between is run
// after the first page).
func pageRows(t *testing.T, url string, query string, vars map[string]any, path []any, key func(edge any) string, between func()) (rows []string, trips []any) {
	t.Helper()
	var after any
	for page := 0; ; page++ {
		v := map[string]any{"after": after}
		for k, x := range vars {
			v[k] = x
		}
		resp := testkit.Query(t, url, query, v)
		trips = append(trips, testkit.Dig(resp, "extensions", "roundTrips"))
		conn := testkit.Dig(testkit.MustData(t, resp), path...).(map[string]any)
		for _, e := range conn["edges"].([]any) {
			rows = append(rows, key(e))
		}
		if page == 0 && between != nil {
			between()
		}
		if conn["pageInfo"].(map[string]any)["hasNextPage"] != true {
			return rows, trips
		}
		after = testkit.Dig(conn, "pageInfo", "endCursor")
	}
}

// wantPagedInOneTripEach checks that the rows paged are exactly all, in
// order, and that each page took one round trip.
func wantPagedInOneTripEach(t *testing.T, got []string, trips []any, all []string) {
	t.Helper()
	if !slices.Equal(got, all) {
		t.Fatalf("paged\n %v\nwant\n %v", got, all)
	}
	for i, n := range trips {
		if n != float64(1) {
			t.Fatalf("page %d took %v round trips, want 1", i, n)
		}
	}
}

func TestKeysetPagingNested(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	url := countingURL(t)
	// a row is a participation: one actor may take part in several roles
	row := func(e any) string {
		return testkit.Dig(e, "node", "id").(string) + " " + testkit.Dig(e, "relationship", "id").(string)
	}
	path := []any{"node", "participants"}
	all, _ := pageRows(t, url, participantsPage, map[string]any{"first": 100}, path, row, nil)
	if len(all) < 8 || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Fatalf("%d participations %v", len(all), all)
	}
	const id = "keyset-participant"
	insert := func() {
		createPerson(t, ts, id, "กกก keyset")
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { createRelationship(input: {type: PARTICIPATES_IN, from: "keyset-participant", to: "km-meeting-2007-04-11", role: "INVITED", roleTh: "ผู้ได้รับเชิญ", evidence: [{source: "gotoknow-85545", quote: "เชิญ"}]}) { id } }`, nil)
		testkit.MustData(t, resp)
	}
	notIt := func(rows []string) []string {
		return slices.DeleteFunc(rows, func(r string) bool { return strings.HasPrefix(r, id+" ") })
	}
	t.Run("Ensure a participation inserted before the cursor between pages neither repeats nor skips one", func(t *testing.T) {
		got, trips := pageRows(t, url, participantsPage, map[string]any{"first": 3}, path, row, insert)
		withIt, _ := pageRows(t, url, participantsPage, map[string]any{"first": 100}, path, row, nil)
		deletePerson(t, ts, id)
		if i := slices.IndexFunc(withIt, func(r string) bool { return strings.HasPrefix(r, id+" ") }); i < 0 || i >= 3 {
			t.Fatalf("the inserted participation is at %d, want on the first page (before the cursor): %v", i, withIt)
		}
		wantPagedInOneTripEach(t, got, trips, all)
	})
	t.Run("Ensure a participation deleted before the cursor between pages skips no other", func(t *testing.T) {
		insert()
		got, _ := pageRows(t, url, participantsPage, map[string]any{"first": 3}, path, row, func() { deletePerson(t, ts, id) })
		if !slices.Equal(notIt(got), all) {
			t.Fatalf("paged\n %v\nwant\n %v", notIt(got), all)
		}
	})
	t.Run("Ensure a cursor of another order is refused, naming the argument", func(t *testing.T) {
		end := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, peoplePage, map[string]any{"first": 2})), "people", "pageInfo", "endCursor")
		resp := testkit.Query(t, ts.URL, participantsPage, map[string]any{"first": 2, "after": end})
		if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "node.participants.after" {
			t.Fatalf("got %v", resp)
		}
	})
}

func TestKeysetPagingSearch(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	url := countingURL(t)
	const q, id = "เครือข่าย", "keyset-search"
	vars := func(first int) map[string]any { return map[string]any{"q": q, "first": first} }
	row := func(e any) string { return testkit.Dig(e, "node", "id").(string) }
	path := []any{"search"}
	all, _ := pageRows(t, url, searchPage, vars(100), path, row, nil)
	if len(all) < 8 || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Fatalf("%d hits %v", len(all), all)
	}
	insert := func() { createPerson(t, ts, id, q) } // an exact name: it ranks first
	t.Run("Ensure a hit inserted before the cursor between pages neither repeats nor skips one", func(t *testing.T) {
		got, trips := pageRows(t, url, searchPage, vars(3), path, row, insert)
		withIt, _ := pageRows(t, url, searchPage, vars(100), path, row, nil)
		deletePerson(t, ts, id)
		if i := slices.Index(withIt, id); i < 0 || i >= 3 {
			t.Fatalf("the inserted hit is at %d, want on the first page (before the cursor): %v", i, withIt)
		}
		wantPagedInOneTripEach(t, got, trips, all)
	})
	t.Run("Ensure a hit deleted before the cursor between pages skips no other", func(t *testing.T) {
		insert()
		got, _ := pageRows(t, url, searchPage, vars(3), path, row, func() { deletePerson(t, ts, id) })
		got = slices.DeleteFunc(got, func(r string) bool { return r == id })
		if !slices.Equal(got, all) {
			t.Fatalf("paged\n %v\nwant\n %v", got, all)
		}
	})
	t.Run("Ensure a cursor of another search or list is refused, naming the argument", func(t *testing.T) {
		end := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, searchPage, vars(2))), "search", "pageInfo", "endCursor")
		people := testkit.Dig(testkit.MustData(t, testkit.Query(t, ts.URL, peoplePage, map[string]any{"first": 2})), "people", "pageInfo", "endCursor")
		for _, v := range []map[string]any{{"q": "พอช.", "first": 2, "after": end}, {"q": q, "first": 2, "after": people}} {
			resp := testkit.Query(t, ts.URL, searchPage, v)
			if testkit.ErrorCode(resp) != "BAD_USER_INPUT" || testkit.Dig(resp, "errors", 0, "extensions", "field") != "search.after" {
				t.Fatalf("%v: got %v", v, resp)
			}
		}
	})
}
