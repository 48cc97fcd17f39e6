package graph_test

import (
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/internal/testkit"
)

// TestTimeline orders events in time: peem's on the seed graph, and the
// partial dates of the hand-built graph.
func TestTimeline(t *testing.T) {
	testkit.ResetToSeed(t) // the answers below are the seed graph's
	ts := graph.NewTestServer(t)

	t.Run("Ensure the timeline is in date order with precision kept and participants' roles", func(t *testing.T) {
		data := testkit.MustData(t, testkit.Query(t, ts.URL, `{ timeline(actor: "peem") { totalCount edges { node { id start { iso precision inferred } participants(first: 50) { edges { node { id } relationship { role } } } } } } }`, nil))
		// peem's six events: the undated western gathering last, the two
		// meetings of 3 April by id, the return to Surat of 12 April
		// (ties.yaml: "ขากลับมาลงสุราษฎร์ด้วยกันซีครับ"); only the 11 April
		// date is written with its year, the others are inferred from the
		// post's date.
		want := []struct{ id, iso, role string }{
			{"movement-north-gathering-2007-03-21", "2007-03-21", "INVITED"},
			{"south-working-group-2007-04-03", "2007-04-03", "INVITED"},
			{"sufficiency-economy-meeting-2007-04-03", "2007-04-03", "PARTICIPANT"},
			{"km-meeting-2007-04-11", "2007-04-11", "ORGANIZER"},
			{"travel-back-surat-2007-04-12", "2007-04-12", "PARTICIPANT"},
			{"movement-west-gathering", "", "PARTICIPANT"},
		}
		edges := testkit.Dig(data, "timeline", "edges").([]any)
		if testkit.Dig(data, "timeline", "totalCount") != float64(len(want)) || len(edges) != len(want) {
			t.Fatalf("peem's timeline = %v, want %d events", testkit.EdgeIDs(data["timeline"]), len(want))
		}
		for i, w := range want {
			n := testkit.Dig(edges[i], "node")
			if testkit.Dig(n, "id") != w.id {
				t.Errorf("timeline[%d] = %v, want %s", i, testkit.Dig(n, "id"), w.id)
				continue
			}
			start := testkit.Dig(n, "start")
			switch {
			case w.iso == "" && start != nil:
				t.Errorf("%s: start %v, want none", w.id, start)
			case w.iso != "" && (testkit.Dig(start, "iso") != w.iso || testkit.Dig(start, "precision") != "DAY" || testkit.Dig(start, "inferred") != (w.id != "km-meeting-2007-04-11")):
				t.Errorf("%s: start %v, want %s, DAY", w.id, start, w.iso)
			}
			var roles []string
			for _, p := range testkit.Dig(n, "participants", "edges").([]any) {
				if testkit.Dig(p, "node", "id") == "peem" {
					roles = append(roles, testkit.Dig(p, "relationship", "role").(string))
				}
			}
			testkit.WantIDList(t, "peem's roles at "+w.id, roles, w.role)
		}
		data = testkit.MustData(t, testkit.Query(t, ts.URL, `{ timeline(place: "province-TH-57") { edges { node { id } } } }`, nil))
		testkit.WantIDList(t, "Chiang Rai's timeline", testkit.EdgeIDs(data["timeline"]), "movement-north-gathering-2007-03-21")
	})

	mustLoadBundle(t, handBuiltBundle())

	t.Run("Ensure the timeline orders partial dates, coarser first, undated last, and filters by overlap", func(t *testing.T) {
		const q = `query($from: String, $to: String) { timeline(actor: "hb-org", from: $from, to: $to) { totalCount edges { node { id start { iso precision text yearBE } } } } }`
		data := testkit.MustData(t, testkit.Query(t, ts.URL, q, nil))
		// ISO strings sort a year before its months and a month before its days
		want := []struct{ id, precision, text string }{
			{"hb-2006", "YEAR", "พ.ศ. 2549"},
			{"hb-2006-03", "MONTH", "มีนาคม 2549"},
			{"hb-2006-03-01", "DAY", "1 มี.ค. 2549"},
			{"hb-2006-03-15", "DAY", "15 มีนาคม 2549"},
			{"hb-2007-01-02", "DAY", "2 มกราคม 2550"},
			{"hb-undated", "", ""},
		}
		var ids []string
		for _, w := range want {
			ids = append(ids, w.id)
		}
		testkit.WantIDList(t, "the timeline", testkit.EdgeIDs(data["timeline"]), ids...)
		if testkit.Dig(data, "timeline", "totalCount") != float64(6) {
			t.Errorf("totalCount = %v, want 6", testkit.Dig(data, "timeline", "totalCount"))
		}
		for i, e := range testkit.Dig(data, "timeline", "edges").([]any) {
			if i >= len(want) {
				break
			}
			w, start := want[i], testkit.Dig(e, "node", "start")
			if w.precision == "" {
				if start != nil {
					t.Errorf("%s: start %v, want none", w.id, start)
				}
				continue
			}
			year := map[bool]float64{true: 2550, false: 2549}[w.id == "hb-2007-01-02"]
			if testkit.Dig(start, "iso") != strings.TrimPrefix(w.id, "hb-") || testkit.Dig(start, "precision") != w.precision || testkit.Dig(start, "text") != w.text || testkit.Dig(start, "yearBE") != year {
				t.Errorf("%s: start %v, want %s, %s, %q, BE %v", w.id, start, strings.TrimPrefix(w.id, "hb-"), w.precision, w.text, year)
			}
		}
		// Overlap at the coarser precision: the year 2006 and March 2006
		// overlap 10 March-December; 1 March is before it, 2007 after, and
		// the undated event has no date to overlap.
		data = testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"from": "2006-03-10", "to": "2006-12"}))
		testkit.WantIDList(t, "the timeline from 2006-03-10 to 2006-12", testkit.EdgeIDs(data["timeline"]), "hb-2006", "hb-2006-03", "hb-2006-03-15")
		data = testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"from": "2007"}))
		testkit.WantIDList(t, "the timeline from 2007", testkit.EdgeIDs(data["timeline"]), "hb-2007-01-02")
		data = testkit.MustData(t, testkit.Query(t, ts.URL, q, map[string]any{"to": "2006-02"}))
		testkit.WantIDList(t, "the timeline to 2006-02", testkit.EdgeIDs(data["timeline"]), "hb-2006")
	})

}
