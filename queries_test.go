package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
)

// edgeIDs collects edges[].node.id of a connection in the response.
func edgeIDs(v any) []string {
	var out []string
	edges, _ := dig(v, "edges").([]any)
	for _, e := range edges {
		if id, ok := dig(e, "node", "id").(string); ok {
			out = append(out, id)
		}
	}
	return out
}

func has(list []string, want ...string) bool {
	set := map[string]bool{}
	for _, s := range list {
		set[s] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// wantIDSet checks that got holds exactly the ids want, in any order
// (a repeated id counts each time).
func wantIDSet(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %v, want exactly %v", what, g, w)
	}
}

// wantIDList checks that got is exactly want, in order.
func wantIDList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want exactly %v in this order", what, got, want)
	}
}

func mustData(t *testing.T, resp map[string]any) map[string]any {
	t.Helper()
	if errs := resp["errors"]; errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	return resp["data"].(map[string]any)
}

func TestTypedQueries(t *testing.T) {
	resetToSeed(t)
	ts := MustStartServer(t, nil)

	t.Run("Ensure an event lists its participants with partner roles and Thai evidence", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			node(id: "km-meeting-2007-04-11") { ... on Event {
				participants(first: 100) { totalCount edges { node { id } relationship { type role roleTh evidence { quote source { id } } } } }
				organizers: participants(role: "ORGANIZER") { edges { node { id } } }
			} }
			panel: node(id: "km-meeting-2007-04-11-s05") { ... on AgendaSession { order startsAt endsAt speakers { totalCount edges { node { id } relationship { role roleTh } } } } }
		}`, nil))
		edges := dig(data, "node", "participants", "edges").([]any)
		roles := map[string][]string{}
		var organizers []string
		for _, e := range edges {
			id := dig(e, "node", "id").(string)
			role, _ := dig(e, "relationship", "role").(string)
			if dig(e, "relationship", "type") == "ORGANIZES" {
				role = "(ORGANIZES)"
			}
			roles[role] = append(roles[role], id)
			if role == "ORGANIZER" || role == "(ORGANIZES)" {
				organizers = append(organizers, id)
			}
			if q, _ := dig(e, "relationship", "evidence", 0, "quote").(string); q == "" {
				t.Errorf("participant %v has no evidence quote", id)
			}
			if src, _ := dig(e, "relationship", "evidence", 0, "source", "id").(string); !strings.HasPrefix(src, "gotoknow-85545") {
				t.Errorf("participant %v cites %q", id, src)
			}
		}
		// The agenda's 10.00-12.00 panel "โดยภาคีสนับสนุน" lists eleven
		// bodies; the policy-level partners are the FPO's master plan and
		// the MSDHS's and CODI's welfare programme; the operational ones
		// in the field the seven of the closing paragraph.
		want := map[string][]string{
			"SUPPORT_PARTNER": {"cdd-office", "vf-office", "cult", "codi", "monks-network", "kru-chob-foundation", "msdhs",
				"village-developers-association", "prasert-foundation", "fpo", "nesdb"},
			"POLICY_SUPPORT_PARTNER": {"fpo", "msdhs", "codi"},
			"OPERATIONAL_PARTNER":    {"cdd", "credit-unions", "sajja-savings-network", "village-funds", "baac", "sajja-one-baht", "codi"},
			"ACADEMIC_PARTNER":       {"academic-km-network"},
			"INVITED":                {"mib", "codi-director", "patch"},
			"ORGANIZER":              {"peem"},
			"(ORGANIZES)":            {"wu-km-unit"},
		}
		for role, ids := range want {
			wantIDSet(t, "participants with role "+role, roles[role], ids...)
		}
		for role, ids := range roles {
			if want[role] == nil {
				t.Errorf("unexpected participants with role %q: %v", role, ids)
			}
		}
		if total := dig(data, "node", "participants", "totalCount"); total != float64(27) || len(edges) != 27 {
			t.Errorf("totalCount %v, %d edges; want 27 (26 participations and the KM unit's ORGANIZES)", total, len(edges))
		}
		// Who organized it: the unit that "จะจัดประชุม", and the post's
		// author (inferred); participants(role: ORGANIZER) finds both, the
		// ORGANIZES relationship and the participation with that role.
		wantIDSet(t, "the meeting's organizers", organizers, "wu-km-unit", "peem")
		wantIDSet(t, `participants(role: "ORGANIZER")`, edgeIDs(dig(data, "node", "organizers")), "wu-km-unit", "peem")

		// The panel's speakers: the eleven support partners and the two
		// ajarns who speak for the association and the foundation.
		panel := dig(data, "panel")
		if dig(panel, "order") != float64(5) || dig(panel, "startsAt") != "10:00" || dig(panel, "endsAt") != "12:00" {
			t.Errorf("panel = %v", panel)
		}
		wantIDSet(t, "the 10.00-12.00 panel's speakers", edgeIDs(dig(panel, "speakers")), append(want["SUPPORT_PARTNER"], "jamnong", "wiroj")...)
		if dig(panel, "speakers", "totalCount") != float64(13) {
			t.Errorf("panel speakers totalCount = %v, want 13", dig(panel, "speakers", "totalCount"))
		}
		for _, e := range dig(panel, "speakers", "edges").([]any) {
			if dig(e, "relationship", "role") != "SPEAKER" || dig(e, "relationship", "roleTh") != "วิทยากร" {
				t.Errorf("panel speaker %v: %v", dig(e, "node", "id"), dig(e, "relationship"))
			}
		}
	})

	t.Run("Ensure the meeting's venue chain reaches Bangkok and its agenda is in order", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			node(id: "km-meeting-2007-04-11") { ... on Event {
				start { iso precision yearBE text inferred }
				heldAt { id ... on Venue { kind partOf { id ... on Venue { address } } } }
				sessions { order startsAt endsAt name }
			} }
			bangkok: node(id: "province-TH-10") { ... on Province { events(first: 20) { edges { node { id } } } } }
		}`, nil))
		if start := dig(data, "node", "start"); dig(start, "iso") != "2007-04-11" || dig(start, "precision") != "DAY" || dig(start, "yearBE") != float64(2550) ||
			dig(start, "text") != "11 เมษายน 2550" || dig(start, "inferred") != false {
			t.Fatalf("start = %v", start)
		}
		heldAt := dig(data, "node", "heldAt").([]any)
		if len(heldAt) != 1 || dig(heldAt[0], "id") != "sm-tower-meeting-room-1" || dig(heldAt[0], "kind") != "ROOM" ||
			dig(heldAt[0], "partOf", "id") != "sm-tower" || dig(heldAt[0], "partOf", "address") != "ถนนพหลโยธิน เขตพญาไท กรุงเทพฯ" {
			t.Fatalf("heldAt = %v", heldAt)
		}
		// the กำหนดการ, line by line: 09.30 opens the meeting with no end,
		// 16.00 closes it
		var agenda []string
		for i, s := range dig(data, "node", "sessions").([]any) {
			if int(dig(s, "order").(float64)) != i+1 {
				t.Fatalf("session %d has order %v", i, dig(s, "order"))
			}
			end, _ := dig(s, "endsAt").(string)
			agenda = append(agenda, dig(s, "startsAt").(string)+"-"+end)
		}
		wantIDList(t, "agenda times", agenda, "09:00-09:30", "09:30-", "09:30-09:40", "09:40-10:00", "10:00-12:00", "12:00-13:00", "13:00-14:00", "14:00-16:00", "16:00-")
		// the meeting (room 1 of SM Tower, Phaya Thai) and the
		// sufficiency-economy meeting "ที่กรุงเทพ", in date order
		wantIDList(t, "Bangkok's events", edgeIDs(dig(data, "bangkok", "events")), "sufficiency-economy-meeting-2007-04-03", "km-meeting-2007-04-11")
	})

	t.Run("Ensure agencies, people and sides read naturally", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			codi: node(id: "codi") { ... on Agency { kind units { edges { node { id } } } members(first: 50) { edges { node { id } relationship { type role } } } advances { id } supports(first: 50) { edges { node { id } relationship { type } } } } }
			km: node(id: "wu-km-unit") { ... on Agency { parent { id } programs { edges { node { id } relationship { type } } } organizes { edges { node { id } } } } }
			thipawan: node(id: "thipawan") { ... on Person { affiliations { edges { node { id } relationship { type } } } participations { edges { node { id } relationship { role } } } } }
			knowledge: node(id: "side-knowledge") { ... on StrategySide { actors { edges { node { id } } } programs { edges { node { id } } } } }
			strategySides { id name actors { totalCount } }
		}`, nil))
		if dig(data, "codi", "kind") != "PUBLIC_ORGANIZATION" {
			t.Errorf("codi = %v", data["codi"])
		}
		wantIDSet(t, "CODI's units", edgeIDs(dig(data, "codi", "units")), "codi-south")
		wantIDSet(t, "CODI's members", edgeIDs(dig(data, "codi", "members")), "codi-director", "mib")
		// SECRETARIAT_OF and SUPPORTS the movement, SUPPORTS the February forum
		wantIDSet(t, "CODI supports", edgeIDs(dig(data, "codi", "supports")), "community-org-movement", "community-org-movement", "community-welfare-forum-2007-02-04")
		if dig(data, "km", "parent", "id") != "walailak-university" {
			t.Errorf("KM unit = %v", data["km"])
		}
		wantIDSet(t, "the KM unit's programs", edgeIDs(dig(data, "km", "programs")), "research-coordination-platform")
		wantIDSet(t, "what the KM unit organizes", edgeIDs(dig(data, "km", "organizes")), "km-meeting-2007-04-11")
		wantIDSet(t, "Dr. Thipawan's affiliations", edgeIDs(dig(data, "thipawan", "affiliations")), "academic-km-network")
		wantIDSet(t, "Dr. Thipawan's participations", edgeIDs(dig(data, "thipawan", "participations")), "movement-north-gathering-2007-03-21")
		wantIDSet(t, "the knowledge side's actors", edgeIDs(dig(data, "knowledge", "actors")), "wu-km-unit", "academic-km-network")
		wantIDSet(t, "the knowledge side's programs", edgeIDs(dig(data, "knowledge", "programs")), "research-coordination-platform")
		if sides := dig(data, "strategySides").([]any); len(sides) != 3 {
			t.Errorf("strategySides = %v", sides)
		}
	})

	t.Run("Ensure list filters compose and pages have stable cursors", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			ops: actors(filter: {role: "OPERATIONAL_PARTNER"}, first: 50) { totalCount edges { node { id } } }
			opsNotNetworks: actors(filter: {role: "OPERATIONAL_PARTNER", not: {labels: ["Network"]}}, first: 50) { totalCount edges { node { id label } } }
			southOrNorth: events(filter: {or: [{region: "region-south"}, {province: "province-TH-57"}]}, orderBy: {field: DATE}) { edges { node { id } } }
			aprilEvents: events(filter: {dateFrom: "2007-04", dateTo: "2007-04-30"}, orderBy: {field: DATE}) { edges { node { id start { iso inferred } } } }
			named: agencies(filter: {nameContains: "codi"}) { edges { node { id } } }
			thaiNamed: actors(filter: {nameContains: "สกว."}) { edges { node { id } } }
			page1: provinces(first: 30, orderBy: {field: ID}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
		}`, nil))
		// the seven operational partners of the closing paragraph, four of them networks
		ops := edgeIDs(data["ops"])
		wantIDSet(t, "operational partners", ops, "cdd", "credit-unions", "sajja-savings-network", "village-funds", "baac", "sajja-one-baht", "codi")
		wantIDSet(t, "operational partners that are not networks", edgeIDs(data["opsNotNetworks"]), "cdd", "baac", "codi")
		if dig(data, "opsNotNetworks", "totalCount") != float64(3) {
			t.Errorf("opsNotNetworks totalCount = %v, want 3", dig(data, "opsNotNetworks", "totalCount"))
		}
		wantIDList(t, "southern or Chiang Rai events in date order", edgeIDs(data["southOrNorth"]), "movement-north-gathering-2007-03-21", "south-working-group-2007-04-03")
		// 3 April (two meetings the same day: by id) and 11 April; the
		// February forum and the undated gatherings are out
		wantIDList(t, "April 2007 events in date order", edgeIDs(data["aprilEvents"]),
			"south-working-group-2007-04-03", "sufficiency-economy-meeting-2007-04-03", "km-meeting-2007-04-11")
		for _, e := range dig(data, "aprilEvents", "edges").([]any) {
			// only the meeting's own date is written in full in the post
			if inferred := dig(e, "node", "start", "inferred"); inferred != (dig(e, "node", "id") != "km-meeting-2007-04-11") {
				t.Errorf("%v: inferred = %v", dig(e, "node", "id"), inferred)
			}
		}
		// CODI by its alias, and its southern office by "CODI Southern Region Office", by name
		wantIDList(t, "agencies whose names contain codi", edgeIDs(data["named"]), "codi-south", "codi")
		wantIDList(t, "actors whose names contain สกว.", edgeIDs(data["thaiNamed"]), "trf")
		if dig(data, "page1", "totalCount") != float64(77) || dig(data, "page1", "pageInfo", "hasNextPage") != true {
			t.Fatalf("page1 = %v", data["page1"])
		}
		seen := edgeIDs(data["page1"])
		cursor := dig(data, "page1", "pageInfo", "endCursor").(string)
		for {
			d := mustData(t, ts.Query(t, `query($after: String) { provinces(first: 30, after: $after, orderBy: {field: ID}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, map[string]any{"after": cursor}))
			seen = append(seen, edgeIDs(d["provinces"])...)
			if dig(d, "provinces", "pageInfo", "hasNextPage") != true {
				break
			}
			cursor = dig(d, "provinces", "pageInfo", "endCursor").(string)
		}
		if len(seen) != 77 || !sort.StringsAreSorted(seen) {
			t.Fatalf("paging gave %d provinces (sorted: %v)", len(seen), sort.StringsAreSorted(seen))
		}
	})

	t.Run("Ensure the generic relationships face filters by type and direction and carries evidence", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			node(id: "codi") {
				all: relationships(first: 100) { totalCount }
				out: relationships(filter: {types: [PARTICIPATES_IN], direction: OUT}, first: 100) { totalCount edges { direction other { id label } node { id type role from { id } to { id } evidence { quote locator source { id name } } } } }
				inb: relationships(filter: {direction: IN, otherLabels: ["Person"]}, first: 100) { edges { other { id } node { type } } }
			}
			nodes(ids: ["codi", "nope", "trf"]) { id }
		}`, nil))
		if all := dig(data, "node", "all", "totalCount"); all != float64(14) {
			t.Errorf("CODI has %v relationships, want 14", all)
		}
		// three roles at the meeting, and a speaker on the 10.00 panel
		outEdges := dig(data, "node", "out", "edges").([]any)
		var roles []string
		for _, e := range outEdges {
			if dig(e, "direction") != "OUT" || dig(e, "node", "type") != "PARTICIPATES_IN" || dig(e, "node", "from", "id") != "codi" || dig(e, "node", "to", "id") != dig(e, "other", "id") {
				t.Fatalf("edge = %v", e)
			}
			if dig(e, "node", "evidence", 0, "quote") == nil || dig(e, "node", "evidence", 0, "source", "name") == nil {
				t.Fatalf("edge without evidence: %v", e)
			}
			roles = append(roles, dig(e, "other", "id").(string)+" "+dig(e, "node", "role").(string))
		}
		wantIDSet(t, "CODI's outgoing PARTICIPATES_IN", roles, "km-meeting-2007-04-11 SUPPORT_PARTNER", "km-meeting-2007-04-11 POLICY_SUPPORT_PARTNER",
			"km-meeting-2007-04-11 OPERATIONAL_PARTNER", "km-meeting-2007-04-11-s05 SPEAKER")
		var people []string
		for _, e := range dig(data, "node", "inb", "edges").([]any) {
			people = append(people, dig(e, "other", "id").(string)+" "+dig(e, "node", "type").(string))
		}
		// the Minister who founded it, its director and พี่มิบ
		wantIDSet(t, "people pointing at CODI", people, "msdhs-minister FOUNDED", "codi-director HOLDS_POSITION", "mib WORKS_FOR")
		nodes := dig(data, "nodes").([]any)
		if len(nodes) != 3 || dig(nodes[0], "id") != "codi" || nodes[1] != nil || dig(nodes[2], "id") != "trf" {
			t.Fatalf("nodes = %v", nodes)
		}
	})
}

func TestReloadSeed(t *testing.T) {
	ts := MustStartServer(t, nil)
	stats := func() string {
		return strings.TrimSpace(func() string {
			var b bytes.Buffer
			data := mustData(t, ts.Query(t, `{ stats { nodes relationships byLabel { label count } byType { type count } } }`, nil))
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(jsonString(data), " ", ""), "\n", ""))
			return b.String()
		}())
	}
	before := stats()
	t.Run("Ensure reload-seed twice leaves the same counts", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			env := map[string]string{"NEO4J_URI": mustEnvURI(t), "PHAKHI_LOG_LEVEL": "warn"}
			if err := run(context.Background(), []string{"reload-seed"}, func(k string) string { return env[k] }, io.Discard, nil); err != nil {
				t.Fatal(err)
			}
			if after := stats(); after != before {
				t.Fatalf("reload %d changed the counts:\nbefore %s\nafter  %s", i+1, before, after)
			}
		}
	})
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func mustEnvURI(t *testing.T) string { return neo4jtest.URI(t) }

// TestPaging pages through lists a few items at a time, following
// endCursor, and checks that every item comes exactly once and that the
// pages put together are the list asked for whole, in the same order.
func TestPaging(t *testing.T) {
	ts := MustStartServer(t, map[string]string{"PHAKHI_API_KEYS": keyringSpec()})

	// a history to page through: a person created and renamed 9 times
	const subject = "paging-history"
	_, resp := ts.QueryAs(t, editorKey, createPerson, map[string]any{"in": person(subject)})
	mustData(t, resp)
	t.Cleanup(func() {
		ts.QueryAs(t, adminKey, `mutation($id: ID!) { deleteNode(id: $id) { id } }`, map[string]any{"id": subject})
	})
	for v := 1; v <= 9; v++ {
		_, resp := ts.QueryAs(t, editorKey, `mutation($id: ID!, $v: Int!, $en: String) { updateNode(id: $id, expectedVersion: $v, patch: {nameEn: $en}) { version } }`,
			map[string]any{"id": subject, "v": v, "en": fmt.Sprintf("Khun %d", v)})
		mustData(t, resp)
	}

	nodeID := func(e any) string { return dig(e, "node", "id").(string) }
	relID := func(e any) string { return dig(e, "relationship", "id").(string) }
	const nodeEdges = `totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } }`
	lists := []struct {
		name  string
		query string // the connection is aliased list, with first: $first, after: $after
		key   func(edge any) string
	}{
		{"actors", `list: actors(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"actors by name", `list: actors(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"actors by name, descending", `list: actors(orderBy: {field: NAME, direction: DESC}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"actors by degree", `list: actors(orderBy: {field: DEGREE, direction: DESC}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"agencies", `list: agencies(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"agencies by name", `list: agencies(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"people", `list: people(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"people by name", `list: people(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"networks", `list: networks(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"networks by name", `list: networks(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"events", `list: events(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"events by name", `list: events(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"events by date", `list: events(orderBy: {field: DATE}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"programs", `list: programs(first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"programs by name", `list: programs(orderBy: {field: NAME}, first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		{"search results (with tied scores)", `list: search(query: "ชุมชน", first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
		// three PARTICIPATES_IN from CODI to the meeting: one type, one other end
		{"CODI's relationships", `node(id: "codi") { list: relationships(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }`, nodeID},
		{"the meeting's relationships", `node(id: "km-meeting-2007-04-11") { list: relationships(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }`, nodeID},
		// CODI thrice, the FPO and the MSDHS twice: one node, several roles
		{"the meeting's participants", `node(id: "km-meeting-2007-04-11") { ... on Event { list: participants(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { relationship { id } } } } }`, relID},
		{"history", `list: history(nodeId: "` + subject + `", first: $first, after: $after) { ` + nodeEdges + ` }`, nodeID},
	}
	const pageSize = 3
	for _, l := range lists {
		t.Run("Ensure paging through "+l.name+" returns each item exactly once", func(t *testing.T) {
			query := `query($first: Int, $after: String) { ` + l.query + ` }`
			connection := func(data map[string]any) any {
				if c := dig(data, "list"); c != nil {
					return c
				}
				return dig(data, "node", "list")
			}
			whole := connection(mustData(t, ts.Query(t, query, map[string]any{"first": 100})))
			var all []string
			for _, e := range dig(whole, "edges").([]any) {
				all = append(all, l.key(e))
			}
			total := int(dig(whole, "totalCount").(float64))
			if len(all) != total || dig(whole, "pageInfo", "hasNextPage") != false || total < 2*pageSize+1 {
				t.Fatalf("unpaged: %d items of %d (hasNextPage %v): too few to page, or more than one page", len(all), total, dig(whole, "pageInfo", "hasNextPage"))
			}
			var paged []string
			var after any
			for pages := 1; ; pages++ {
				c := connection(mustData(t, ts.Query(t, query, map[string]any{"first": pageSize, "after": after})))
				edges := dig(c, "edges").([]any)
				for _, e := range edges {
					paged = append(paged, l.key(e))
				}
				more := dig(c, "pageInfo", "hasNextPage") == true
				if dig(c, "totalCount") != float64(total) || dig(c, "pageInfo", "hasPreviousPage") != (pages > 1) ||
					(more && len(edges) != pageSize) || (!more && len(edges) == 0) || len(edges) > pageSize {
					t.Fatalf("page %d: %d items, totalCount %v, pageInfo %v", pages, len(edges), dig(c, "totalCount"), dig(c, "pageInfo"))
				}
				if !more {
					break
				}
				if pages > total {
					t.Fatalf("more than %d pages of %d items", pages, total)
				}
				after = dig(c, "pageInfo", "endCursor")
			}
			seen := map[string]int{}
			for _, id := range paged {
				seen[id]++
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("%s came %d times", id, n)
				}
			}
			if len(seen) != total {
				t.Errorf("%d distinct items in the pages, %d in all", len(seen), total)
			}
			wantIDList(t, "the pages put together", paged, all...)
		})
	}
}
