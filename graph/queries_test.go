package graph_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

func TestTypedQueries(t *testing.T) {
	testkit.ResetToSeed(t)
	ts := graph.NewTestServer(t)

	t.Run("Ensure an event lists its participants with partner roles and Thai evidence", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			node(id: "km-meeting-2007-04-11") { ... on Event {
				participants(first: 100) { totalCount edges { node { id } relationship { type role roleTh evidence { quote source { id } } } } }
				organizers: participants(role: "ORGANIZER") { edges { node { id } } }
			} }
			panel: node(id: "km-meeting-2007-04-11-s05") { ... on AgendaSession { order startsAt endsAt speakers { totalCount edges { node { id } relationship { role roleTh } } } } }
		}`, nil))
		edges := testkit.Dig(data, "node", "participants", "edges").([]any)
		roles := map[string][]string{}
		var organizers []string
		for _, e := range edges {
			id := testkit.Dig(e, "node", "id").(string)
			role, _ := testkit.Dig(e, "relationship", "role").(string)
			if testkit.Dig(e, "relationship", "type") == "ORGANIZES" {
				role = "(ORGANIZES)"
			}
			roles[role] = append(roles[role], id)
			if role == "ORGANIZER" || role == "(ORGANIZES)" {
				organizers = append(organizers, id)
			}
			if q, _ := testkit.Dig(e, "relationship", "evidence", 0, "quote").(string); q == "" {
				t.Errorf("participant %v has no evidence quote", id)
			}
			if src, _ := testkit.Dig(e, "relationship", "evidence", 0, "source", "id").(string); !strings.HasPrefix(src, "gotoknow-85545") {
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
			testkit.WantIDSet(t, "participants with role "+role, roles[role], ids...)
		}
		for role, ids := range roles {
			if want[role] == nil {
				t.Errorf("unexpected participants with role %q: %v", role, ids)
			}
		}
		if total := testkit.Dig(data, "node", "participants", "totalCount"); total != float64(27) || len(edges) != 27 {
			t.Errorf("totalCount %v, %d edges; want 27 (26 participations and the KM unit's ORGANIZES)", total, len(edges))
		}
		// Who organized it: the unit that "จะจัดประชุม", and the post's
		// author (inferred); participants(role: ORGANIZER) finds both, the
		// ORGANIZES relationship and the participation with that role.
		testkit.WantIDSet(t, "the meeting's organizers", organizers, "wu-km-unit", "peem")
		testkit.WantIDSet(t, `participants(role: "ORGANIZER")`, testkit.EdgeIDs(testkit.Dig(data, "node", "organizers")), "wu-km-unit", "peem")

		// The panel's speakers: the eleven support partners and the two
		// ajarns who speak for the association and the foundation.
		panel := testkit.Dig(data, "panel")
		if testkit.Dig(panel, "order") != float64(5) || testkit.Dig(panel, "startsAt") != "10:00" || testkit.Dig(panel, "endsAt") != "12:00" {
			t.Errorf("panel = %v", panel)
		}
		testkit.WantIDSet(t, "the 10.00-12.00 panel's speakers", testkit.EdgeIDs(testkit.Dig(panel, "speakers")), append(want["SUPPORT_PARTNER"], "jamnong", "wiroj")...)
		if testkit.Dig(panel, "speakers", "totalCount") != float64(13) {
			t.Errorf("panel speakers totalCount = %v, want 13", testkit.Dig(panel, "speakers", "totalCount"))
		}
		for _, e := range testkit.Dig(panel, "speakers", "edges").([]any) {
			if testkit.Dig(e, "relationship", "role") != "SPEAKER" || testkit.Dig(e, "relationship", "roleTh") != "วิทยากร" {
				t.Errorf("panel speaker %v: %v", testkit.Dig(e, "node", "id"), testkit.Dig(e, "relationship"))
			}
		}
	})

	t.Run("Ensure the meeting's venue chain reaches Bangkok and its agenda is in order", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			node(id: "km-meeting-2007-04-11") { ... on Event {
				start { iso precision yearBE text inferred }
				heldAt { id ... on Venue { kind partOf { id ... on Venue { address } } } }
				sessions { order startsAt endsAt name }
			} }
			bangkok: node(id: "province-TH-10") { ... on Province { events(first: 20) { edges { node { id } } } } }
		}`, nil))
		if start := testkit.Dig(data, "node", "start"); testkit.Dig(start, "iso") != "2007-04-11" || testkit.Dig(start, "precision") != "DAY" || testkit.Dig(start, "yearBE") != float64(2550) ||
			testkit.Dig(start, "text") != "11 เมษายน 2550" || testkit.Dig(start, "inferred") != false {
			t.Fatalf("start = %v", start)
		}
		heldAt := testkit.Dig(data, "node", "heldAt").([]any)
		if len(heldAt) != 1 || testkit.Dig(heldAt[0], "id") != "sm-tower-meeting-room-1" || testkit.Dig(heldAt[0], "kind") != "ROOM" ||
			testkit.Dig(heldAt[0], "partOf", "id") != "sm-tower" || testkit.Dig(heldAt[0], "partOf", "address") != "ถนนพหลโยธิน เขตพญาไท กรุงเทพฯ" {
			t.Fatalf("heldAt = %v", heldAt)
		}
		// the กำหนดการ, line by line: 09.30 opens the meeting with no end,
		// 16.00 closes it
		var agenda []string
		for i, s := range testkit.Dig(data, "node", "sessions").([]any) {
			if int(testkit.Dig(s, "order").(float64)) != i+1 {
				t.Fatalf("session %d has order %v", i, testkit.Dig(s, "order"))
			}
			end, _ := testkit.Dig(s, "endsAt").(string)
			agenda = append(agenda, testkit.Dig(s, "startsAt").(string)+"-"+end)
		}
		testkit.WantIDList(t, "agenda times", agenda, "09:00-09:30", "09:30-", "09:30-09:40", "09:40-10:00", "10:00-12:00", "12:00-13:00", "13:00-14:00", "14:00-16:00", "16:00-")
		// the meeting (room 1 of SM Tower, Phaya Thai) and the
		// sufficiency-economy meeting "ที่กรุงเทพ", in date order
		testkit.WantIDList(t, "Bangkok's events", testkit.EdgeIDs(testkit.Dig(data, "bangkok", "events")), "sufficiency-economy-meeting-2007-04-03", "km-meeting-2007-04-11")
	})

	t.Run("Ensure agencies, people and sides read naturally", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			codi: node(id: "codi") { ... on Agency { kind units { edges { node { id } } } members(first: 50) { edges { node { id } relationship { type role } } } advances { id } supports(first: 50) { edges { node { id } relationship { type } } } } }
			km: node(id: "wu-km-unit") { ... on Agency { parent { id } programs { edges { node { id } relationship { type } } } organizes { edges { node { id } } } } }
			thipawan: node(id: "thipawan") { ... on Person { affiliations { edges { node { id } relationship { type } } } participations { edges { node { id } relationship { role } } } } }
			knowledge: node(id: "side-knowledge") { ... on StrategySide { actors { edges { node { id } } } programs { edges { node { id } } } } }
			strategySides { id name actors { totalCount } }
		}`, nil))
		if testkit.Dig(data, "codi", "kind") != "PUBLIC_ORGANIZATION" {
			t.Errorf("codi = %v", data["codi"])
		}
		testkit.WantIDSet(t, "CODI's units", testkit.EdgeIDs(testkit.Dig(data, "codi", "units")), "codi-south")
		testkit.WantIDSet(t, "CODI's members", testkit.EdgeIDs(testkit.Dig(data, "codi", "members")), "codi-director", "mib")
		// SECRETARIAT_OF and SUPPORTS the movement, SUPPORTS the February forum
		testkit.WantIDSet(t, "CODI supports", testkit.EdgeIDs(testkit.Dig(data, "codi", "supports")), "community-org-movement", "community-org-movement", "community-welfare-forum-2007-02-04")
		if testkit.Dig(data, "km", "parent", "id") != "walailak-university" {
			t.Errorf("KM unit = %v", data["km"])
		}
		testkit.WantIDSet(t, "the KM unit's programs", testkit.EdgeIDs(testkit.Dig(data, "km", "programs")), "research-coordination-platform")
		testkit.WantIDSet(t, "what the KM unit organizes", testkit.EdgeIDs(testkit.Dig(data, "km", "organizes")), "km-meeting-2007-04-11")
		testkit.WantIDSet(t, "Dr. Thipawan's affiliations", testkit.EdgeIDs(testkit.Dig(data, "thipawan", "affiliations")), "academic-km-network")
		testkit.WantIDSet(t, "Dr. Thipawan's participations", testkit.EdgeIDs(testkit.Dig(data, "thipawan", "participations")), "movement-north-gathering-2007-03-21")
		testkit.WantIDSet(t, "the knowledge side's actors", testkit.EdgeIDs(testkit.Dig(data, "knowledge", "actors")), "wu-km-unit", "academic-km-network")
		testkit.WantIDSet(t, "the knowledge side's programs", testkit.EdgeIDs(testkit.Dig(data, "knowledge", "programs")), "research-coordination-platform")
		if sides := testkit.Dig(data, "strategySides").([]any); len(sides) != 3 {
			t.Errorf("strategySides = %v", sides)
		}
	})

	t.Run("Ensure list filters compose and pages have stable cursors", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			ops: actors(filter: {role: "OPERATIONAL_PARTNER"}, first: 50) { totalCount edges { node { id } } }
			opsNotNetworks: actors(filter: {role: "OPERATIONAL_PARTNER", not: {labels: ["Network"]}}, first: 50) { totalCount edges { node { id label } } }
			southOrNorth: events(filter: {or: [{region: "region-south"}, {province: "province-TH-57"}]}, orderBy: {field: DATE}) { edges { node { id } } }
			aprilEvents: events(filter: {dateFrom: "2007-04", dateTo: "2007-04-30"}, orderBy: {field: DATE}) { edges { node { id start { iso inferred } } } }
			named: agencies(filter: {nameContains: "codi"}) { edges { node { id } } }
			thaiNamed: actors(filter: {nameContains: "สกว."}) { edges { node { id } } }
			page1: provinces(first: 30, orderBy: {field: ID}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
		}`, nil))
		// the seven operational partners of the closing paragraph, four of them networks
		ops := testkit.EdgeIDs(data["ops"])
		testkit.WantIDSet(t, "operational partners", ops, "cdd", "credit-unions", "sajja-savings-network", "village-funds", "baac", "sajja-one-baht", "codi")
		testkit.WantIDSet(t, "operational partners that are not networks", testkit.EdgeIDs(data["opsNotNetworks"]), "cdd", "baac", "codi")
		if testkit.Dig(data, "opsNotNetworks", "totalCount") != float64(3) {
			t.Errorf("opsNotNetworks totalCount = %v, want 3", testkit.Dig(data, "opsNotNetworks", "totalCount"))
		}
		// the return to Surat Thani (ties.yaml) is in the south too
		testkit.WantIDList(t, "southern or Chiang Rai events in date order", testkit.EdgeIDs(data["southOrNorth"]), "movement-north-gathering-2007-03-21", "south-working-group-2007-04-03", "travel-back-surat-2007-04-12")
		// the month-dated holiday and ticket shortage (ties.yaml: April
		// 2007) first, by id; 3 April (two meetings the same day: by id),
		// the trip up on the 10th, 11 April, the return on the 12th; the
		// February forum and the undated gatherings are out
		testkit.WantIDList(t, "April 2007 events in date order", testkit.EdgeIDs(data["aprilEvents"]),
			"songkran-holiday-2007", "songkran-ticket-shortage-2007", "south-working-group-2007-04-03", "sufficiency-economy-meeting-2007-04-03",
			"travel-up-2007-04-10", "km-meeting-2007-04-11", "travel-back-surat-2007-04-12")
		for _, e := range testkit.Dig(data, "aprilEvents", "edges").([]any) {
			// only the meeting's own date is written in full in the post
			if inferred := testkit.Dig(e, "node", "start", "inferred"); inferred != (testkit.Dig(e, "node", "id") != "km-meeting-2007-04-11") {
				t.Errorf("%v: inferred = %v", testkit.Dig(e, "node", "id"), inferred)
			}
		}
		// CODI by its alias, and its southern office by "CODI Southern Region Office", by name
		testkit.WantIDList(t, "agencies whose names contain codi", testkit.EdgeIDs(data["named"]), "codi-south", "codi")
		testkit.WantIDList(t, "actors whose names contain สกว.", testkit.EdgeIDs(data["thaiNamed"]), "trf")
		if testkit.Dig(data, "page1", "totalCount") != float64(77) || testkit.Dig(data, "page1", "pageInfo", "hasNextPage") != true {
			t.Fatalf("page1 = %v", data["page1"])
		}
		seen := testkit.EdgeIDs(data["page1"])
		cursor := testkit.Dig(data, "page1", "pageInfo", "endCursor").(string)
		for {
			d := testkit.MustData(t, testkit.Query(t, ts.URL, `query($after: String) { provinces(first: 30, after: $after, orderBy: {field: ID}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, map[string]any{"after": cursor}))
			seen = append(seen, testkit.EdgeIDs(d["provinces"])...)
			if testkit.Dig(d, "provinces", "pageInfo", "hasNextPage") != true {
				break
			}
			cursor = testkit.Dig(d, "provinces", "pageInfo", "endCursor").(string)
		}
		if len(seen) != 77 || !sort.StringsAreSorted(seen) {
			t.Fatalf("paging gave %d provinces (sorted: %v)", len(seen), sort.StringsAreSorted(seen))
		}
	})

	t.Run("Ensure the generic relationships face filters by type and direction and carries evidence", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			node(id: "codi") {
				all: relationships(first: 100) { totalCount }
				out: relationships(filter: {types: [PARTICIPATES_IN], direction: OUT}, first: 100) { totalCount edges { direction other { id label } node { id type role from { id } to { id } evidence { quote locator source { id name } } } } }
				inb: relationships(filter: {direction: IN, otherLabels: ["Person"]}, first: 100) { edges { other { id } node { type } } }
			}
			nodes(ids: ["codi", "nope", "trf"]) { id }
		}`, nil))
		// 14 in graph.yaml, and the KM unit's two invitations (policy-level
		// and operational partner) in ties.yaml
		if all := testkit.Dig(data, "node", "all", "totalCount"); all != float64(16) {
			t.Errorf("CODI has %v relationships, want 16", all)
		}
		// three roles at the meeting, and a speaker on the 10.00 panel
		outEdges := testkit.Dig(data, "node", "out", "edges").([]any)
		var roles []string
		for _, e := range outEdges {
			if testkit.Dig(e, "direction") != "OUT" || testkit.Dig(e, "node", "type") != "PARTICIPATES_IN" || testkit.Dig(e, "node", "from", "id") != "codi" || testkit.Dig(e, "node", "to", "id") != testkit.Dig(e, "other", "id") {
				t.Fatalf("edge = %v", e)
			}
			if testkit.Dig(e, "node", "evidence", 0, "quote") == nil || testkit.Dig(e, "node", "evidence", 0, "source", "name") == nil {
				t.Fatalf("edge without evidence: %v", e)
			}
			roles = append(roles, testkit.Dig(e, "other", "id").(string)+" "+testkit.Dig(e, "node", "role").(string))
		}
		testkit.WantIDSet(t, "CODI's outgoing PARTICIPATES_IN", roles, "km-meeting-2007-04-11 SUPPORT_PARTNER", "km-meeting-2007-04-11 POLICY_SUPPORT_PARTNER",
			"km-meeting-2007-04-11 OPERATIONAL_PARTNER", "km-meeting-2007-04-11-s05 SPEAKER")
		var people []string
		for _, e := range testkit.Dig(data, "node", "inb", "edges").([]any) {
			people = append(people, testkit.Dig(e, "other", "id").(string)+" "+testkit.Dig(e, "node", "type").(string))
		}
		// the Minister who founded it, its director and พี่มิบ
		testkit.WantIDSet(t, "people pointing at CODI", people, "msdhs-minister FOUNDED", "codi-director HOLDS_POSITION", "mib WORKS_FOR")
		nodes := testkit.Dig(data, "nodes").([]any)
		if len(nodes) != 3 || testkit.Dig(nodes[0], "id") != "codi" || nodes[1] != nil || testkit.Dig(nodes[2], "id") != "trf" {
			t.Fatalf("nodes = %v", nodes)
		}
	})
}

// TestPaging pages through lists a few items at a time, following
// endCursor, and checks that every item comes exactly once and that the
// pages put together are the list asked for whole, in the same order.
func TestPaging(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))

	// a history to page through: a person created and renamed 9 times
	const subject = "paging-history"
	_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person(subject)})
	testkit.MustData(t, resp)
	t.Cleanup(func() {
		testkit.Post(t, ts.URL, testkit.AdminKey, `mutation($id: ID!) { deleteNode(id: $id) { id } }`, map[string]any{"id": subject})
	})
	for v := 1; v <= 9; v++ {
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($id: ID!, $v: Int!, $en: String) { updateNode(id: $id, expectedVersion: $v, patch: {nameEn: $en}) { version } }`,
			map[string]any{"id": subject, "v": v, "en": fmt.Sprintf("Khun %d", v)})
		testkit.MustData(t, resp)
	}

	nodeID := func(e any) string { return testkit.Dig(e, "node", "id").(string) }
	relID := func(e any) string { return testkit.Dig(e, "relationship", "id").(string) }
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
				if c := testkit.Dig(data, "list"); c != nil {
					return c
				}
				return testkit.Dig(data, "node", "list")
			}
			whole := connection(testkit.MustData(t, testkit.Query(t, ts.URL, query, map[string]any{"first": 100})))
			var all []string
			for _, e := range testkit.Dig(whole, "edges").([]any) {
				all = append(all, l.key(e))
			}
			total := int(testkit.Dig(whole, "totalCount").(float64))
			if len(all) != total || testkit.Dig(whole, "pageInfo", "hasNextPage") != false || total < 2*pageSize+1 {
				t.Fatalf("unpaged: %d items of %d (hasNextPage %v): too few to page, or more than one page", len(all), total, testkit.Dig(whole, "pageInfo", "hasNextPage"))
			}
			var paged []string
			var after any
			for pages := 1; ; pages++ {
				c := connection(testkit.MustData(t, testkit.Query(t, ts.URL, query, map[string]any{"first": pageSize, "after": after})))
				edges := testkit.Dig(c, "edges").([]any)
				for _, e := range edges {
					paged = append(paged, l.key(e))
				}
				more := testkit.Dig(c, "pageInfo", "hasNextPage") == true
				if testkit.Dig(c, "totalCount") != float64(total) || testkit.Dig(c, "pageInfo", "hasPreviousPage") != (pages > 1) ||
					(more && len(edges) != pageSize) || (!more && len(edges) == 0) || len(edges) > pageSize {
					t.Fatalf("page %d: %d items, totalCount %v, pageInfo %v", pages, len(edges), testkit.Dig(c, "totalCount"), testkit.Dig(c, "pageInfo"))
				}
				if !more {
					break
				}
				if pages > total {
					t.Fatalf("more than %d pages of %d items", pages, total)
				}
				after = testkit.Dig(c, "pageInfo", "endCursor")
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
			testkit.WantIDList(t, "the pages put together", paged, all...)
		})
	}
}
