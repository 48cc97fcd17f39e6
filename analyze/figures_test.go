package analyze

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// seedGold is what the seed graph says the seed document names: the
// actors and places at either end of its MENTIONS and PARTICIPATES_IN
// relationships, with the source their evidence cites ("source node").
func seedGold(b *domain.Bundle) map[string]bool {
	label := map[string]string{}
	for _, n := range b.Nodes {
		label[n.ID] = n.Label
	}
	gold := map[string]bool{}
	for _, r := range b.Relationships {
		if r.Type != domain.RelMentions && r.Type != domain.RelParticipatesIn {
			continue
		}
		for _, e := range r.Evidence {
			if !strings.HasPrefix(e.Source, "gotoknow-85545") {
				continue
			}
			for _, id := range []string{r.From, r.To} {
				if l := domain.SharedLabel(label[id]); l == domain.LabelActor || l == domain.LabelPlace {
					if id != e.Source {
						gold[e.Source+" "+id] = true
					}
				}
			}
		}
	}
	return gold
}

// seedAlsoNamed are the other actors and places the seed document names,
// read by hand (each checked against the text): the seed graph cites them
// elsewhere than in MENTIONS and participations.
var seedAlsoNamed = map[string][]string{
	"gotoknow-85545": {"wu-km-unit", "trf", "sm-tower-meeting-room-1", "sm-tower", "district-1014", "province-TH-10",
		"community-finance-welfare-movement", "community-org-movement", "stou", "msdhs-minister"},
	"gotoknow-85545-c1": {"region-south", "codi"},
	"gotoknow-85545-c2": {"academic-km-network", "apichai", "codi", "movement-west", "movement-north", "subdistrict-710911"},
	"gotoknow-85545-c3": {"patch"},
}

// picks are the (source, node) pairs of an analysis's chosen actors and
// places.
func picks(a *Analysis, ix *Index) map[string]bool {
	out := map[string]bool{}
	for _, m := range a.Mentions {
		if m.Chosen == "" {
			continue
		}
		n := ix.Node(m.Chosen)
		label := ""
		if n != nil {
			label = n.Label
		}
		for _, c := range m.Candidates {
			if c.ID == m.Chosen && c.Place != nil {
				label = c.Place.Level
			}
		}
		if l := domain.SharedLabel(label); l == domain.LabelActor || l == domain.LabelPlace {
			out[m.Source+" "+m.Chosen] = true
		}
	}
	return out
}

type figures struct {
	gold, found, picked, wrong, wrongStrict int
	missed, wrongs                          []string
}

func seedFigures(tb testing.TB) figures {
	ix, b := seedIndex(tb)
	a, err := ix.Analyze(Input{Text: seedText(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	gold := seedGold(b)
	got := picks(a, ix)
	also := map[string]bool{}
	for src, ids := range seedAlsoNamed {
		for _, id := range ids {
			also[src+" "+id] = true
		}
	}
	f := figures{gold: len(gold), picked: len(got)}
	for g := range gold {
		if got[g] {
			f.found++
		} else {
			f.missed = append(f.missed, g)
		}
	}
	for p := range got {
		if !gold[p] {
			f.wrongStrict++
			if !also[p] {
				f.wrong++
				f.wrongs = append(f.wrongs, p)
			}
		}
	}
	sort.Strings(f.missed)
	sort.Strings(f.wrongs)
	return f
}

// Ensure the analysis of the seed document finds at least 95% of what the
// seed graph says it names, with at most 5% wrong picks.
func TestSeedDocumentFigures(t *testing.T) {
	f := seedFigures(t)
	recall := float64(f.found) / float64(f.gold)
	wrong := float64(f.wrong) / float64(f.picked)
	t.Logf("gold %d, found %d (recall %.3f); picked %d, wrong %d (%.3f), outside the gold %d", f.gold, f.found, recall, f.picked, f.wrong, wrong, f.wrongStrict)
	if recall < 0.95 {
		t.Errorf("recall %.3f < 0.95; missed %v", recall, f.missed)
	}
	if wrong > 0.05 {
		t.Errorf("wrong picks %.3f > 0.05: %v", wrong, f.wrongs)
	}
	if len(f.missed) > 0 || len(f.wrongs) > 0 {
		t.Logf("missed %v; wrong %v", f.missed, f.wrongs)
	}
}

// BenchmarkSeedDocument prints the figures on the seed document: recall
// of the (source, node) pairs the seed graph's MENTIONS and
// participations name, precision of the picks (against the gold and the
// hand-checked others), and the precision against the gold alone.
func BenchmarkSeedDocument(b *testing.B) {
	f := seedFigures(b)
	ix, _ := seedIndex(b)
	text := seedText(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ix.Analyze(Input{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(f.found)/float64(f.gold), "recall")
	b.ReportMetric(1-float64(f.wrong)/float64(f.picked), "precision")
	b.ReportMetric(1-float64(f.wrongStrict)/float64(f.picked), "precision-vs-gold-only")
	fmt.Printf("seed document: gold pairs %d, found %d, recall %.3f; picks %d, wrong %d, precision %.3f (picks outside the gold %d, all hand-checked correct: %.3f against the gold alone); missed %v\n",
		f.gold, f.found, float64(f.found)/float64(f.gold), f.picked, f.wrong, 1-float64(f.wrong)/float64(f.picked), f.wrongStrict, 1-float64(f.wrongStrict)/float64(f.picked), f.missed)
}
