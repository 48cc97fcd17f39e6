package main

import (
	"testing"
)

func TestExploreSeedGraph(t *testing.T) {
	ts := MustStartServer(t, nil)

	t.Run("Ensure the issue's search examples find their organizations first", func(t *testing.T) {
		cases := map[string]string{
			"เครดิตยูเนี่ยน": "credit-unions",
			"พอช.":     "codi",
			"สกว.":     "trf",
			"CODI":     "codi",
			"ทิพวัลย์": "thipawan",
		}
		for q, want := range cases {
			data := mustData(t, ts.Query(t, `query($q: String!) { search(query: $q, first: 5) { totalCount edges { node { id } matchedField matchedText score } } }`, map[string]any{"q": q}))
			if got := dig(data, "search", "edges", 0, "node", "id"); got != want {
				t.Errorf("search %q: first hit %v, want %s", q, got, want)
			}
		}
		// the compound name holds the word; it must be among the hits
		data := mustData(t, ts.Query(t, `{ search(query: "เครดิตยูเนี่ยน") { edges { node { id } matchedText } } }`, nil))
		if !has(edgeIDs(data["search"]), "cult") {
			t.Errorf("เครดิตยูเนี่ยน did not find ชุมนุมสหกรณ์เครดิตยูเนี่ยนแห่งประเทศไทย: %v", edgeIDs(data["search"]))
		}
		data = mustData(t, ts.Query(t, `{ search(query: "credit union") { edges { node { id } matchedField } } }`, nil))
		if !has(edgeIDs(data["search"]), "cult", "credit-unions") {
			t.Errorf("credit union: %v", edgeIDs(data["search"]))
		}
	})

	t.Run("Ensure Dr. Thipawan's connection to Walailak University is a path with evidence", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{ paths(from: "thipawan", to: "walailak-university", k: 3, maxLength: 5) {
			length nodes { id } edges { type evidence { quote source { id } } } } }`, nil))
		paths := dig(data, "paths").([]any)
		if len(paths) == 0 {
			t.Fatal("no path")
		}
		prev := 0.0
		for _, p := range paths {
			l := dig(p, "length").(float64)
			if l < prev {
				t.Fatalf("paths not shortest first: %v", paths)
			}
			prev = l
			nodes := dig(p, "nodes").([]any)
			if dig(nodes[0], "id") != "thipawan" || dig(nodes[len(nodes)-1], "id") != "walailak-university" || len(nodes) != int(l)+1 {
				t.Fatalf("path = %v", p)
			}
			for _, e := range dig(p, "edges").([]any) {
				if dig(e, "evidence", 0, "quote") == nil {
					t.Fatalf("edge without evidence on %v", p)
				}
			}
		}
	})

	t.Run("Ensure the timeline is in date order with precision kept and participants' roles", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{ timeline(actor: "peem") { totalCount edges { node { id start { iso precision inferred } participants(first: 50) { edges { node { id } relationship { role } } } } } } }`, nil))
		var isos []string
		for _, e := range dig(data, "timeline", "edges").([]any) {
			if iso, ok := dig(e, "node", "start", "iso").(string); ok {
				isos = append(isos, iso)
			}
		}
		for i := 1; i < len(isos); i++ {
			if isos[i] < isos[i-1] {
				t.Fatalf("timeline out of order: %v", isos)
			}
		}
		if len(isos) < 3 {
			t.Fatalf("peem's dated events = %v", isos)
		}
		data = mustData(t, ts.Query(t, `{ timeline(place: "province-TH-57") { edges { node { id } } } }`, nil))
		if got := edgeIDs(data["timeline"]); len(got) != 1 || got[0] != "movement-north-gathering-2007-03-21" {
			t.Fatalf("Chiang Rai's timeline = %v", got)
		}
	})

	t.Run("Ensure the triangle names who drives each side", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{ triangle { side { id } advancers { actor { id } direct via { id } } } bridges(maxHops: 2) { actor { id } sideCount sides { side { id } distance } } }`, nil))
		drivers := map[string][]string{}
		for _, s := range dig(data, "triangle").([]any) {
			for _, a := range dig(s, "advancers").([]any) {
				drivers[dig(s, "side", "id").(string)] = append(drivers[dig(s, "side", "id").(string)], dig(a, "actor", "id").(string))
			}
		}
		if !has(drivers["side-politics"], "msdhs") || !has(drivers["side-social-process"], "codi") || !has(drivers["side-knowledge"], "wu-km-unit") {
			t.Fatalf("triangle = %v", drivers)
		}
		for _, b := range dig(data, "bridges").([]any) {
			if dig(b, "sideCount").(float64) < 2 {
				t.Fatalf("bridge reaching fewer than 2 sides: %v", b)
			}
		}
	})

	t.Run("Ensure neighbourhood and metrics answer on the seed graph", func(t *testing.T) {
		data := mustData(t, ts.Query(t, `{
			neighborhood(id: "codi", depth: 2, cap: 25) { nodeCount edgeCount truncated nodes { id } }
			networkMetrics(first: 3) { nodeCount edgeCount exact componentCount nodes { node { id name } degree betweenness } }
		}`, nil))
		if dig(data, "neighborhood", "nodeCount") != float64(25) || dig(data, "neighborhood", "truncated") != true {
			t.Fatalf("neighborhood = %v", data["neighborhood"])
		}
		if dig(data, "networkMetrics", "exact") != true || dig(data, "networkMetrics", "nodeCount").(float64) < 150 || len(dig(data, "networkMetrics", "nodes").([]any)) != 3 {
			t.Fatalf("metrics = %v", data["networkMetrics"])
		}
	})

	t.Run("Ensure limits are BAD_USER_INPUT naming the argument, and unknown ids NOT_FOUND", func(t *testing.T) {
		cases := map[string]string{
			`{ neighborhood(id: "codi", depth: 4) { nodeCount } }`:              "neighborhood.depth",
			`{ neighborhood(id: "codi", cap: 5000) { nodeCount } }`:             "neighborhood.cap",
			`{ paths(from: "codi", to: "trf", k: 11) { length } }`:              "paths.k",
			`{ paths(from: "codi", to: "trf", maxLength: 7) { length } }`:       "paths.maxLength",
			`{ bridges(maxHops: 9) { sideCount } }`:                             "bridges.maxHops",
			`{ search(query: "") { totalCount } }`:                              "search.query",
			`{ timeline(from: "เมษายน") { totalCount } }`:                       "timeline.from",
			`{ networkMetrics(around: "codi", depth: 5) { nodeCount } }`:        "networkMetrics.depth",
			`{ neighborhood(id: "codi", labels: ["Spaceship"]) { nodeCount } }`: "neighborhood.labels[0]",
		}
		for q, field := range cases {
			resp := ts.Query(t, q, nil)
			if errorCode(resp) != "BAD_USER_INPUT" || dig(resp, "errors", 0, "extensions", "field") != field {
				t.Errorf("%s: %v", q, resp["errors"])
			}
		}
		for _, q := range []string{
			`{ neighborhood(id: "ghost") { nodeCount } }`,
			`{ paths(from: "codi", to: "ghost") { length } }`,
		} {
			if resp := ts.Query(t, q, nil); errorCode(resp) != "NOT_FOUND" {
				t.Errorf("%s: %v", q, resp["errors"])
			}
		}
	})
}
