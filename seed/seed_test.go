package seed_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
)

var spaces = regexp.MustCompile(`\s+`)

func collapse(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

func mustBundle(t *testing.T) *domain.Bundle {
	t.Helper()
	b, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSeedGraph(t *testing.T) {
	b := mustBundle(t)
	nodes := map[string]*domain.NodeRecord{}
	for i := range b.Nodes {
		nodes[b.Nodes[i].ID] = &b.Nodes[i]
	}
	doc, err := os.ReadFile("source/000_f20a06c6ef58db93.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := collapse(string(doc))

	t.Run("Ensure every relationship joins two nodes of the seed", func(t *testing.T) {
		for _, r := range b.Relationships {
			if nodes[r.From] == nil || nodes[r.To] == nil {
				t.Errorf("%s: an endpoint is missing", r.RelID())
			}
		}
	})

	t.Run("Ensure every node and relationship cites a source node with a quote", func(t *testing.T) {
		check := func(what string, evs []domain.Evidence) {
			if len(evs) == 0 {
				t.Errorf("%s has no evidence", what)
			}
			for _, e := range evs {
				if src := nodes[e.Source]; src == nil || src.Label != domain.LabelSource {
					t.Errorf("%s cites %q, which is not a Source of the seed", what, e.Source)
				}
			}
		}
		for _, n := range b.Nodes {
			check(n.ID, n.Evidence)
		}
		for _, r := range b.Relationships {
			check(r.RelID(), r.Evidence)
		}
	})

	t.Run("Ensure every quote from the post and its comments stands in the document", func(t *testing.T) {
		quotes := 0
		check := func(what string, evs []domain.Evidence) {
			for _, e := range evs {
				if !strings.HasPrefix(e.Source, "gotoknow-85545") {
					continue
				}
				quotes++
				if !strings.Contains(text, collapse(e.Quote)) {
					t.Errorf("%s: quote not in the document: %q", what, e.Quote)
				}
			}
		}
		for _, n := range b.Nodes {
			check(n.ID, n.Evidence)
		}
		for _, r := range b.Relationships {
			check(r.RelID(), r.Evidence)
		}
		if quotes < 100 {
			t.Errorf("only %d quotes cite the document", quotes)
		}
	})

	t.Run("Ensure the geography has 6 regions and 77 provinces with ISO codes and a region each", func(t *testing.T) {
		regions, provinces := 0, 0
		inRegion := map[string]bool{}
		for _, r := range b.Relationships {
			if r.Type == domain.RelPartOf && nodes[r.From].Label == domain.LabelProvince && nodes[r.To].Label == domain.LabelRegion {
				inRegion[r.From] = true
			}
		}
		iso := regexp.MustCompile(`^TH-\d{2}$`)
		for _, n := range b.Nodes {
			switch n.Label {
			case domain.LabelRegion:
				regions++
			case domain.LabelProvince:
				provinces++
				if !iso.MatchString(n.Code) || n.ID != "province-"+n.Code || n.NameEn == "" {
					t.Errorf("province %s: code %q, nameEn %q", n.ID, n.Code, n.NameEn)
				}
				if !inRegion[n.ID] {
					t.Errorf("province %s is in no region", n.ID)
				}
			}
		}
		if regions != 6 || provinces != 77 {
			t.Fatalf("%d regions and %d provinces, want 6 and 77", regions, provinces)
		}
		if nodes["province-TH-10"].Name != "กรุงเทพมหานคร" || nodes["province-TH-57"].Name != "เชียงราย" {
			t.Fatal("TH-10 is not Bangkok or TH-57 not Chiang Rai")
		}
	})

	t.Run("Ensure the April meeting is dated from the Buddhist Era with its agenda in order", func(t *testing.T) {
		ev := nodes["km-meeting-2007-04-11"]
		if ev == nil || ev.Start == nil || ev.Start.Date != "2007-04-11" || ev.Start.PrecisionOrDerived() != domain.DatePrecisionDay || !strings.Contains(ev.Start.Text, "2550") {
			t.Fatalf("meeting = %+v", ev)
		}
		var times []string
		for _, r := range b.Relationships {
			if r.Type == domain.RelPartOf && r.To == ev.ID && nodes[r.From].Label == domain.LabelAgendaSession {
				s := nodes[r.From]
				if s.Order < 1 || s.StartsAt == "" {
					t.Errorf("session %s has no order or start time", s.ID)
				}
				times = append(times, s.StartsAt)
			}
		}
		if len(times) < 9 {
			t.Fatalf("%d agenda sessions, want every line of the agenda (at least 9)", len(times))
		}
	})

	t.Run("Ensure dates whose year the text omits are marked inferred", func(t *testing.T) {
		inferred := 0
		for _, n := range b.Nodes {
			if n.Label == domain.LabelEvent && n.Start != nil && n.Start.Inferred {
				inferred++
				if n.Start.Note == "" {
					t.Errorf("%s: inferred date without a note", n.ID)
				}
			}
		}
		if inferred < 3 {
			t.Fatalf("%d events with inferred dates; the comments name at least 3 dates without a year", inferred)
		}
	})

	t.Run("Ensure the three sides of the triangle exist and each is advanced by someone", func(t *testing.T) {
		advanced := map[string]int{}
		for _, r := range b.Relationships {
			if r.Type == domain.RelAdvances {
				advanced[r.To]++
			}
		}
		for _, id := range []string{"side-social-process", "side-knowledge", "side-politics"} {
			if nodes[id] == nil || nodes[id].Label != domain.LabelStrategySide || advanced[id] == 0 {
				t.Errorf("side %s missing or advanced by no one", id)
			}
		}
	})

	t.Run("Ensure the three partner roles are all present", func(t *testing.T) {
		roles := map[string]int{}
		for _, r := range b.Relationships {
			if r.Type == domain.RelParticipatesIn {
				roles[r.Role]++
				if r.Role != "" && r.RoleTh == "" {
					t.Errorf("%s has no Thai role", r.RelID())
				}
			}
		}
		for _, role := range []string{"SUPPORT_PARTNER", "ACADEMIC_PARTNER", "OPERATIONAL_PARTNER"} {
			if roles[role] == 0 {
				t.Errorf("no %s", role)
			}
		}
	})
}

func TestParse(t *testing.T) {
	t.Run("Ensure an unknown field is an error that names it", func(t *testing.T) {
		_, err := seed.Parse("bad.yaml", []byte("nodes:\n  - id: x\n    label: Person\n    name: x\n    colour: red\n"))
		if err == nil || !strings.Contains(err.Error(), "colour") {
			t.Fatalf("err = %v", err)
		}
	})
}
