package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/seed"
)

// seedRels are the seed's relationships of type typ.
func seedRels(t *testing.T, typ string) []domain.RelRecord {
	t.Helper()
	b, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.RelRecord
	for _, r := range b.Relationships {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// folds reads a folded list as "into<id" strings.
func folds(v any) []string {
	var out []string
	for _, f := range v.([]any) {
		for _, id := range testkit.Dig(f, "ids").([]any) {
			out = append(out, testkit.Dig(f, "into").(string)+"<"+id.(string))
		}
	}
	return out
}

func idsOf(list any) []string {
	var out []string
	for _, n := range list.([]any) {
		out = append(out, testkit.Dig(n, "id").(string))
	}
	return out
}

// TestTies reads the ties between people and bodies of seed/ties.yaml:
// the expected answers are the seed files' records.
func TestTies(t *testing.T) {
	testkit.ResetToSeed(t)
	ts := graph.NewTestServer(t)

	t.Run("Ensure a path joins จิ๋ม (ศรีไพร) to the meeting's organizer, every step cited", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			node(id: "km-meeting-2007-04-11") { ... on Event { participants(first: 50) { edges { node { id } relationship { type } } } } }
		}`, nil))
		var organizers []string
		for _, e := range testkit.Dig(data, "node", "participants", "edges").([]any) {
			if testkit.Dig(e, "relationship", "type") == domain.RelOrganizes {
				organizers = append(organizers, testkit.Dig(e, "node", "id").(string))
			}
		}
		if len(organizers) == 0 {
			t.Fatal("the meeting has no organizer")
		}
		for _, org := range organizers {
			data := testkit.MustData(t, testkit.Query(t, ts.URL, `query($to: ID!) { paths(from: "jim-sriprai", to: $to, k: 3, maxLength: 4) { length nodes { id } edges { type evidence { quote } } } }`, map[string]any{"to": org}))
			paths := testkit.Dig(data, "paths").([]any)
			if len(paths) == 0 {
				t.Fatalf("no path from jim-sriprai to %s", org)
			}
			for _, p := range paths {
				for _, e := range testkit.Dig(p, "edges").([]any) {
					if len(testkit.Dig(e, "evidence").([]any)) == 0 {
						t.Errorf("path %v: a %v step has no evidence", idsOf(testkit.Dig(p, "nodes")), testkit.Dig(e, "type"))
					}
				}
			}
		}
	})

	t.Run("Ensure who invites whom, and to what, reads as the seed says", func(t *testing.T) {
		for _, who := range []string{"peem", "patch", "wu-km-unit"} {
			var wantOut, wantIn []string
			for _, r := range seedRels(t, domain.RelInvited) {
				if r.From == who {
					wantOut = append(wantOut, r.To+"@"+r.Event)
				}
				if r.To == who {
					wantIn = append(wantIn, r.From+"@"+r.Event)
				}
			}
			data := testkit.MustData(t, testkit.Query(t, ts.URL, `query($id: ID!) { node(id: $id) { ... on Actor {
				invited(first: 50) { totalCount edges { node { id } relationship { type event evidence { quote } } } }
				invitedBy(first: 50) { totalCount edges { node { id } relationship { type event } } } } } }`, map[string]any{"id": who}))
			read := func(field string) []string {
				var out []string
				for _, e := range testkit.Dig(data, "node", field, "edges").([]any) {
					out = append(out, testkit.Dig(e, "node", "id").(string)+"@"+testkit.Dig(e, "relationship", "event").(string))
				}
				return out
			}
			testkit.WantIDSet(t, who+" invited", read("invited"), wantOut...)
			testkit.WantIDSet(t, who+" invited by", read("invitedBy"), wantIn...)
		}
	})

	t.Run("Ensure which comment answers which reads both ways", func(t *testing.T) {
		for _, c := range []string{"gotoknow-85545-c1", "gotoknow-85545-c3", "gotoknow-85545-c5"} {
			var wantTo, wantFrom []string
			for _, r := range seedRels(t, domain.RelRepliesTo) {
				if r.From == c {
					wantTo = append(wantTo, r.To)
				}
				if r.To == c {
					wantFrom = append(wantFrom, r.From)
				}
			}
			data := testkit.MustData(t, testkit.Query(t, ts.URL, `query($id: ID!) { node(id: $id) { ... on Source { repliesTo { id } replies { id } } } }`, map[string]any{"id": c}))
			testkit.WantIDSet(t, c+" replies to", idsOf(testkit.Dig(data, "node", "repliesTo")), wantTo...)
			testkit.WantIDSet(t, c+" is answered by", idsOf(testkit.Dig(data, "node", "replies")), wantFrom...)
		}
	})

	t.Run("Ensure the stated logistics are on the timeline between 10 and 12 April 2007", func(t *testing.T) {
		b, err := seed.Bundle()
		if err != nil {
			t.Fatal(err)
		}
		// events dated within [2007-04-10, 2007-04-12], compared at the
		// coarser precision as the filters do (2007-04 is within)
		var want []string
		for _, n := range b.Nodes {
			if n.Label != domain.LabelEvent || n.Start == nil {
				continue
			}
			first, _, err := domain.DayRange(n.ID, n.Start.Date)
			if err != nil {
				t.Fatal(err)
			}
			last := first
			if n.End != nil {
				_, last, _ = domain.DayRange(n.ID, n.End.Date)
			} else {
				_, last, _ = domain.DayRange(n.ID, n.Start.Date)
			}
			lo, _, _ := domain.DayRange("from", "2007-04-10")
			_, hi, _ := domain.DayRange("to", "2007-04-12")
			if first <= hi && last >= lo {
				want = append(want, n.ID)
			}
		}
		for _, id := range []string{"travel-up-2007-04-10", "travel-back-surat-2007-04-12", "km-meeting-2007-04-11"} {
			if !slices.Contains(want, id) {
				t.Fatalf("the seed's events of 10-12 April lack %s: %v", id, want)
			}
		}
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{
			timeline(from: "2007-04-10", to: "2007-04-12", first: 50) { edges { node { id start { iso inferred } } } }
			thai: events(filter: {dateFrom: "10 เมษายน 2550", dateTo: "12 เม.ย. 50"}, first: 50) { edges { node { id } } }
			surat: timeline(place: "province-TH-84", first: 50) { edges { node { id } } }
		}`, nil))
		testkit.WantIDSet(t, "timeline of 10-12 April", testkit.EdgeIDs(data["timeline"]), want...)
		testkit.WantIDSet(t, "events of 10-12 April, Thai dates", testkit.EdgeIDs(data["thai"]), want...)
		if !slices.Contains(testkit.EdgeIDs(data["surat"]), "travel-back-surat-2007-04-12") {
			t.Errorf("the return to Surat is not on Surat Thani's timeline: %v", testkit.EdgeIDs(data["surat"]))
		}
		for _, e := range testkit.Dig(data, "timeline", "edges").([]any) {
			if id := testkit.Dig(e, "node", "id"); (id == "travel-up-2007-04-10" || id == "travel-back-surat-2007-04-12") && testkit.Dig(e, "node", "start", "inferred") != true {
				t.Errorf("%v: the year the text omits is not flagged inferred", id)
			}
		}
	})
}

// TestSameAs folds the bodies that may be one (POSSIBLY_SAME_AS in
// seed/ties.yaml) in neighbourhoods, metrics and search, and reads them
// apart as before.
func TestSameAs(t *testing.T) {
	testkit.ResetToSeed(t)
	ts := graph.NewTestServer(t)
	pairs := seedRels(t, domain.RelPossiblySameAs)
	if len(pairs) == 0 {
		t.Fatal("the seed has no POSSIBLY_SAME_AS")
	}

	t.Run("Ensure a folded neighbourhood holds the ties of every member, as one node", func(t *testing.T) {
		for _, p := range pairs {
			// depth 1 folded around p.To: the node, and the neighbours of
			// both members (each other left out: it is folded in)
			const q = `query($id: ID!, $sameAs: SameAs) { neighborhood(id: $id, depth: 1, cap: 1000, sameAs: $sameAs) {
				truncated nodes { id aliases } edges { type from { id } to { id } } folded { into ids } } }`
			apart := func(id string) []string {
				d := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"id": id}))
				return idsOf(testkit.Dig(d, "neighborhood", "nodes"))
			}
			want := []string{p.To}
			for _, id := range append(apart(p.To), apart(p.From)...) {
				if id != p.From && id != p.To && !slices.Contains(want, id) {
					want = append(want, id)
				}
			}
			d := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"id": p.To, "sameAs": "FOLD"}))
			hood := d["neighborhood"]
			testkit.WantIDSet(t, "folded neighbourhood of "+p.To, idsOf(testkit.Dig(hood, "nodes")), want...)
			if got := folds(testkit.Dig(hood, "folded")); !slices.Equal(got, []string{p.To + "<" + p.From}) {
				t.Errorf("folded = %v", got)
			}
			start := testkit.Dig(hood, "nodes").([]any)[0]
			var aliases []string
			for _, a := range testkit.Dig(start, "aliases").([]any) {
				aliases = append(aliases, a.(string))
			}
			b, _ := seed.Bundle()
			for _, n := range b.Nodes {
				if n.ID == p.From && !slices.Contains(aliases, n.Name) {
					t.Errorf("%s's aliases %v lack %s's name %s", p.To, aliases, p.From, n.Name)
				}
			}
			for _, e := range testkit.Dig(hood, "edges").([]any) {
				from, to := testkit.Dig(e, "from", "id"), testkit.Dig(e, "to", "id")
				if from == p.From || to == p.From || from == to {
					t.Errorf("edge %v %v -> %v is not folded", testkit.Dig(e, "type"), from, to)
				}
			}
		}
	})

	t.Run("Ensure apart is the answer without the argument", func(t *testing.T) {
		const q = `query($sameAs: SameAs) {
			neighborhood(id: "cdd", depth: 2, sameAs: $sameAs) { nodeCount edgeCount nodes { id aliases } edges { id } folded { into } }
			networkMetrics(first: 5, sameAs: $sameAs) { nodeCount edgeCount componentCount nodes { node { id } degree } folded { into } }
			search(query: "พัฒนาชุมชน", sameAs: $sameAs) { totalCount edges { node { id aliases } score } folded { into } }
		}`
		without, _ := json.Marshal(testkit.MustData(t, testkit.Query(t, ts.URL, q, nil)))
		apart, _ := json.Marshal(testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"sameAs": "APART"})))
		if string(without) != string(apart) {
			t.Fatalf("apart differs:\n%s\n%s", without, apart)
		}
	})

	t.Run("Ensure folded metrics count each group as one node", func(t *testing.T) {
		const q = `query($sameAs: SameAs) { networkMetrics(first: 100, orderBy: DEGREE, sameAs: $sameAs) { nodeCount nodes { node { id } degree } folded { into ids } } }`
		apart := testkit.MustData(t, testkit.Query(t, ts.URL, q, nil))["networkMetrics"]
		folded := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"sameAs": "FOLD"}))["networkMetrics"]
		// the seed's pairs are disjoint: each folds one node into another
		if testkit.Dig(folded, "nodeCount") != testkit.Dig(apart, "nodeCount").(float64)-float64(len(pairs)) {
			t.Errorf("folded nodeCount %v, apart %v, %d pairs", testkit.Dig(folded, "nodeCount"), testkit.Dig(apart, "nodeCount"), len(pairs))
		}
		got, want := folds(testkit.Dig(folded, "folded")), []string(nil)
		for _, p := range pairs {
			// no member was asked about: the first id stands for the group
			want = append(want, min(p.From, p.To)+"<"+max(p.From, p.To))
		}
		testkit.WantIDSet(t, "folds", got, want...)
		for _, n := range testkit.Dig(folded, "nodes").([]any) {
			for _, p := range pairs {
				if testkit.Dig(n, "node", "id") == max(p.From, p.To) {
					t.Errorf("%s is ranked though folded", max(p.From, p.To))
				}
			}
		}
	})

	t.Run("Ensure a folded search returns one hit per group, with the others' names", func(t *testing.T) {
		const q = `query($sameAs: SameAs) { search(query: "พัฒนาชุมชน", first: 100, sameAs: $sameAs) { totalCount edges { node { id aliases } matchedField } folded { into ids } } }`
		apart := testkit.MustData(t, testkit.Query(t, ts.URL, q, nil))["search"]
		folded := testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"sameAs": "FOLD"}))["search"]
		apartIDs := testkit.EdgeIDs(apart)
		if !testkit.Has(apartIDs, "cdd", "cdd-office") || len(apartIDs) != int(testkit.Dig(apart, "totalCount").(float64)) {
			t.Fatalf("apart, พัฒนาชุมชน finds %v of %v (want cdd and cdd-office, all on one page)", apartIDs, testkit.Dig(apart, "totalCount"))
		}
		// what folding the apart hits gives: a group is one hit, its first
		// id standing for it; a hit's group mates join it
		var wantIDs, wantFolds []string
		groups := 0
		for _, id := range apartIDs {
			into := id
			for _, p := range pairs {
				if id == p.From || id == p.To {
					into = min(p.From, p.To)
				}
			}
			if !slices.Contains(wantIDs, into) {
				wantIDs = append(wantIDs, into)
				groups++
			}
		}
		for _, p := range pairs {
			if slices.Contains(apartIDs, p.From) || slices.Contains(apartIDs, p.To) {
				wantFolds = append(wantFolds, min(p.From, p.To)+"<"+max(p.From, p.To))
			}
		}
		testkit.WantIDSet(t, "folded hits", testkit.EdgeIDs(folded), wantIDs...)
		testkit.WantIDSet(t, "folds", folds(testkit.Dig(folded, "folded")), wantFolds...)
		if testkit.Dig(folded, "totalCount") != float64(groups) {
			t.Errorf("folded totalCount %v, want %d groups", testkit.Dig(folded, "totalCount"), groups)
		}
		for _, e := range testkit.Dig(folded, "edges").([]any) {
			if testkit.Dig(e, "node", "id") == "cdd" && !slices.Contains(testkit.Dig(e, "node", "aliases").([]any), any("สำนักงานพัฒนาชุมชน")) {
				t.Errorf("cdd folded has aliases %v", testkit.Dig(e, "node", "aliases"))
			}
		}
	})
}

// TestSameAsFoldsWhole folds a hand-built pair: a search hit folded from
// them carries what the fold rule merges (names, evidence, statuses, the
// other's description where the query matched), as the folded
// neighbourhood's node does.
func TestSameAsFoldsWhole(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := graph.NewTestServerWithKeys(t, testkit.Keyring(t))
	const word = "ตรวจพับรวมทดสอบ"
	node := func(id, name string, extra map[string]any) {
		in := map[string]any{"id": id, "label": "Agency", "kind": "UNIT", "name": name,
			"evidence": []any{map[string]any{"source": "gotoknow-85545", "quote": "ภาคีสนับสนุน", "locator": id}}}
		for k, v := range extra {
			in[k] = v
		}
		_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation($in: NodeInput!) { createNode(input: $in) { id } }`, map[string]any{"in": in})
		testkit.MustData(t, resp)
		t.Cleanup(func() {
			testkit.Post(t, ts.URL, testkit.AdminKey, `mutation($id: ID!) { deleteNode(id: $id) { id } }`, map[string]any{"id": id})
		})
	}
	node("fold-whole-a", "หน่วยพับเอ", map[string]any{"status": "STATED"})
	node("fold-whole-b", "หน่วยพับบี", map[string]any{"status": "INFERRED", "basis": "อนุมานจากบริบท", "aliases": []any{"FWB"},
		"description": "หน่วยที่อาจเป็นหน่วยเดียวกัน " + word + " ในเอกสาร"})
	_, resp := testkit.Post(t, ts.URL, testkit.EditorKey, `mutation { createRelationship(input: {type: POSSIBLY_SAME_AS, from: "fold-whole-b", to: "fold-whole-a",
		status: INFERRED, basis: "ชื่อคล้ายกัน", evidence: [{source: "gotoknow-85545", quote: "ภาคีสนับสนุน"}]}) { id } }`, nil)
	testkit.MustData(t, resp)

	const fields = `id name aliases status basis evidence { locator }`
	d := testkit.MustData(t, testkit.Query(t, ts.URL, `query($q: String!) {
		search(query: $q, sameAs: FOLD) { totalCount edges { node { `+fields+` } matchedField matchedText } folded { into ids } }
		neighborhood(id: "fold-whole-a", depth: 1, sameAs: FOLD) { nodes { `+fields+` } } }`, map[string]any{"q": word}))
	edges := testkit.Dig(d, "search", "edges").([]any)
	if len(edges) != 1 || testkit.Dig(d, "search", "totalCount") != float64(1) {
		t.Fatalf("folded search: %v", d["search"])
	}
	hit := edges[0]
	t.Run("Ensure the folded hit stands for the group with the others' names, evidence and the merged status", func(t *testing.T) {
		n := testkit.Dig(hit, "node").(map[string]any)
		if n["id"] != "fold-whole-a" || !slices.Contains(n["aliases"].([]any), any("หน่วยพับบี")) || !slices.Contains(n["aliases"].([]any), any("FWB")) {
			t.Errorf("node %v", n)
		}
		var locators []string
		for _, e := range n["evidence"].([]any) {
			locators = append(locators, testkit.Dig(e, "locator").(string))
		}
		testkit.WantIDSet(t, "evidence of the folded hit", locators, "fold-whole-a", "fold-whole-b")
		// one member STATED, one INFERRED: STATED, no basis (domain.MergedStatus, as mergeNodes)
		if n["status"] != "STATED" || n["basis"] != nil {
			t.Errorf("status %v basis %v, want STATED and none", n["status"], n["basis"])
		}
	})
	t.Run("Ensure the folded hit says the query matched the other's description", func(t *testing.T) {
		if testkit.Dig(hit, "matchedField") != "description" || !strings.Contains(testkit.Dig(hit, "matchedText").(string), word) {
			t.Errorf("matched %v %q", testkit.Dig(hit, "matchedField"), testkit.Dig(hit, "matchedText"))
		}
	})
	t.Run("Ensure the folded hit is the folded neighbourhood's node", func(t *testing.T) {
		var hood any
		for _, n := range testkit.Dig(d, "neighborhood", "nodes").([]any) {
			if testkit.Dig(n, "id") == "fold-whole-a" {
				hood = n
			}
		}
		got, _ := json.Marshal(testkit.Dig(hit, "node"))
		want, _ := json.Marshal(hood)
		if string(got) != string(want) {
			t.Errorf("search's folded node\n %s\nneighbourhood's\n %s", got, want)
		}
	})
}
