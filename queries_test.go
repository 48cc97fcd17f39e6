package main

import (
	"encoding/json"

	"bytes"
	"context"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"io"
	"sort"
	"strings"
	"testing"
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

func mustData(t *testing.T, resp map[string]any) map[string]any {
	t.Helper()
	if errs := resp["errors"]; errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	return resp["data"].(map[string]any)
}

func TestTypedQueries(t *testing.T) {
	ts := MustStartServer(t, nil)

	t.Run("Ensure an event lists its participants with partner roles and Thai evidence", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			node(id: "km-meeting-2007-04-11") { ... on Event {
				participants(first: 100) { totalCount edges { node { id } relationship { role roleTh evidence { quote source { id } } } } }
			} } }`, nil))
		edges := dig(data, "node", "participants", "edges").([]any)
		roles := map[string][]string{}
		for _, e := range edges {
			role, _ := dig(e, "relationship", "role").(string)
			roles[role] = append(roles[role], dig(e, "node", "id").(string))
			if q, _ := dig(e, "relationship", "evidence", 0, "quote").(string); q == "" {
				t.Errorf("participant %v has no evidence quote", dig(e, "node", "id"))
			}
			if src, _ := dig(e, "relationship", "evidence", 0, "source", "id").(string); !strings.HasPrefix(src, "gotoknow-85545") {
				t.Errorf("participant %v cites %q", dig(e, "node", "id"), src)
			}
		}
		if !has(roles["SUPPORT_PARTNER"], "codi", "cult", "vf-office", "msdhs", "fpo", "nesdb", "monks-network") {
			t.Errorf("support partners = %v", roles["SUPPORT_PARTNER"])
		}
		if !has(roles["OPERATIONAL_PARTNER"], "cdd", "baac", "codi") {
			t.Errorf("operational partners = %v", roles["OPERATIONAL_PARTNER"])
		}
		if len(roles["ACADEMIC_PARTNER"]) == 0 {
			t.Error("no academic partner")
		}
		if int(dig(data, "node", "participants", "totalCount").(float64)) != len(edges) {
			t.Errorf("totalCount %v, %d edges", dig(data, "node", "participants", "totalCount"), len(edges))
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
		if dig(data, "node", "start", "iso") != "2007-04-11" || dig(data, "node", "start", "precision") != "DAY" || dig(data, "node", "start", "yearBE") != float64(2550) {
			t.Fatalf("start = %v", dig(data, "node", "start"))
		}
		if dig(data, "node", "heldAt", 0, "partOf", "id") != "sm-tower" {
			t.Fatalf("heldAt = %v", dig(data, "node", "heldAt"))
		}
		sessions := dig(data, "node", "sessions").([]any)
		var starts []string
		for i, s := range sessions {
			if int(dig(s, "order").(float64)) != i+1 {
				t.Fatalf("session %d has order %v", i, dig(s, "order"))
			}
			starts = append(starts, dig(s, "startsAt").(string))
		}
		if !sort.StringsAreSorted(starts) || starts[0] != "09:00" {
			t.Fatalf("agenda times = %v", starts)
		}
		if !has(edgeIDs(dig(data, "bangkok", "events")), "km-meeting-2007-04-11") {
			t.Fatalf("Bangkok's events = %v", edgeIDs(dig(data, "bangkok", "events")))
		}
	})

	t.Run("Ensure agencies, people and sides read naturally", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			codi: node(id: "codi") { ... on Agency { kind units { edges { node { id } } } members(first: 50) { edges { node { id } relationship { type role } } } advances { id } supports(first: 50) { edges { node { id } relationship { type } } } } }
			km: node(id: "wu-km-unit") { ... on Agency { parent { id } programs { edges { node { id } relationship { type } } } organizes { edges { node { id } } } } }
			thipawan: node(id: "thipawan") { ... on Person { affiliations { edges { node { id } relationship { type } } } participations { edges { node { id } relationship { role } } } } }
			knowledge: node(id: "side-knowledge") { ... on StrategySide { actors { edges { node { id } } } programs { edges { node { id } } } } }
			strategySides { id name actors { totalCount } }
		}`, nil))
		if dig(data, "codi", "kind") != "PUBLIC_ORGANIZATION" || !has(edgeIDs(dig(data, "codi", "units")), "codi-south") {
			t.Errorf("codi = %v", data["codi"])
		}
		if !has(edgeIDs(dig(data, "codi", "members")), "codi-director", "mib") {
			t.Errorf("codi members = %v", edgeIDs(dig(data, "codi", "members")))
		}
		if !has(edgeIDs(dig(data, "codi", "supports")), "community-org-movement") {
			t.Errorf("codi supports = %v", edgeIDs(dig(data, "codi", "supports")))
		}
		if dig(data, "km", "parent", "id") != "walailak-university" || !has(edgeIDs(dig(data, "km", "programs")), "research-coordination-platform") || !has(edgeIDs(dig(data, "km", "organizes")), "km-meeting-2007-04-11") {
			t.Errorf("KM unit = %v", data["km"])
		}
		if !has(edgeIDs(dig(data, "thipawan", "affiliations")), "academic-km-network") || !has(edgeIDs(dig(data, "thipawan", "participations")), "movement-north-gathering-2007-03-21") {
			t.Errorf("Dr. Thipawan = %v", data["thipawan"])
		}
		if !has(edgeIDs(dig(data, "knowledge", "actors")), "wu-km-unit") || !has(edgeIDs(dig(data, "knowledge", "programs")), "research-coordination-platform") {
			t.Errorf("knowledge side = %v", data["knowledge"])
		}
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
		ops := edgeIDs(data["ops"])
		if !has(ops, "cdd", "baac", "credit-unions", "codi") {
			t.Errorf("operational partners = %v", ops)
		}
		for _, e := range dig(data, "opsNotNetworks", "edges").([]any) {
			if dig(e, "node", "label") == "Network" {
				t.Errorf("not: {labels: [Network]} let %v through", dig(e, "node", "id"))
			}
		}
		if n := int(dig(data, "opsNotNetworks", "totalCount").(float64)); n >= len(ops) || n == 0 {
			t.Errorf("%d operational partners that are not networks, of %d", n, len(ops))
		}
		if !has(edgeIDs(data["southOrNorth"]), "movement-north-gathering-2007-03-21") {
			t.Errorf("southern or Chiang Rai events = %v", edgeIDs(data["southOrNorth"]))
		}
		april := edgeIDs(data["aprilEvents"])
		if len(april) == 0 || april[len(april)-1] != "km-meeting-2007-04-11" || has(april, "community-welfare-forum-2007-02-04") {
			t.Errorf("April 2007 events in date order = %v", april)
		}
		if named := edgeIDs(data["named"]); !has(named, "codi") || len(named) > 2 {
			t.Errorf("nameContains codi = %v", edgeIDs(data["named"]))
		}
		if strings.Join(edgeIDs(data["thaiNamed"]), ",") != "trf" {
			t.Errorf("nameContains สกว. = %v", edgeIDs(data["thaiNamed"]))
		}
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
		all := int(dig(data, "node", "all", "totalCount").(float64))
		outEdges := dig(data, "node", "out", "edges").([]any)
		if len(outEdges) == 0 || len(outEdges) >= all {
			t.Fatalf("%d outgoing PARTICIPATES_IN of %d relationships", len(outEdges), all)
		}
		for _, e := range outEdges {
			if dig(e, "direction") != "OUT" || dig(e, "node", "type") != "PARTICIPATES_IN" || dig(e, "node", "from", "id") != "codi" || dig(e, "node", "to", "id") != dig(e, "other", "id") {
				t.Fatalf("edge = %v", e)
			}
			if dig(e, "node", "evidence", 0, "quote") == nil || dig(e, "node", "evidence", 0, "source", "name") == nil {
				t.Fatalf("edge without evidence: %v", e)
			}
		}
		if !has(func() []string {
			var ids []string
			for _, e := range dig(data, "node", "inb", "edges").([]any) {
				ids = append(ids, dig(e, "other", "id").(string))
			}
			return ids
		}(), "msdhs-minister", "mib") {
			t.Errorf("people pointing at CODI = %v", dig(data, "node", "inb"))
		}
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
