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

// TestAssertionStatus reads every seed file as written (before any
// default applies) and checks each record's assertion status.
func TestAssertionStatus(t *testing.T) {
	for _, f := range seed.Files {
		b, err := seed.Parse(f.Name, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, status domain.AssertionStatus, basis string, evs []domain.Evidence) {
			t.Helper()
			switch {
			case !status.IsValid():
				t.Errorf("%s %s: status %q; every record says STATED, INFERRED or DISPUTED", f.Name, what, status)
			case status.NeedsBasis() && (strings.TrimSpace(basis) == "" || !strings.HasSuffix(strings.TrimSpace(basis), ".")):
				t.Errorf("%s %s is %s with basis %q: the basis is the reasoning, in a sentence", f.Name, what, status, basis)
			case status == domain.StatusStated:
				quoted := false
				for _, e := range evs {
					quoted = quoted || strings.TrimSpace(e.Quote) != ""
				}
				if !quoted {
					t.Errorf("%s %s is STATED but cites no quote", f.Name, what)
				}
				if basis != "" {
					t.Errorf("%s %s is STATED with a basis %q", f.Name, what, basis)
				}
			}
		}
		t.Run("Ensure every record of "+f.Name+" has a status, a basis when inferred or disputed, and a quote when stated", func(t *testing.T) {
			for _, n := range b.Nodes {
				check("node "+n.ID, n.Status, n.Basis, n.Evidence)
			}
			for _, r := range b.Relationships {
				check("relationship "+r.RelID(), r.Status, r.Basis, r.Evidence)
			}
		})
	}

	t.Run("Ensure the inferences the curated graph rests on are marked, and its stated ties are not", func(t *testing.T) {
		b := mustBundle(t)
		byID := map[string]domain.RelRecord{}
		for _, r := range b.Relationships {
			byID[r.RelID()] = r
		}
		// The post is unsigned: that ภีม wrote it is an inference, and so is
		// everything the graph says of him through comment 2 (he speaks there
		// as พี่); what comment 1 says to him by name is stated.
		for id, want := range map[string]domain.AssertionStatus{
			"peem>AUTHORED>gotoknow-85545":                                domain.StatusInferred,
			"peem>PARTICIPATES_IN>movement-west-gathering>PARTICIPANT":    domain.StatusInferred,
			"peem>PARTICIPATES_IN>south-working-group-2007-04-03>INVITED": domain.StatusStated,
			"subdistrict-710911>PART_OF>district-7109":                    domain.StatusStated,
			"movement-west-gathering>HELD_AT>subdistrict-710911":          domain.StatusInferred,
		} {
			r, ok := byID[id]
			if !ok {
				t.Errorf("no relationship %s in the seed", id)
				continue
			}
			if r.Status != want {
				t.Errorf("%s is %s, want %s", id, r.Status, want)
			}
		}
		// SOURCES.md lists every inferred or disputed record with its basis
		sources, err := os.ReadFile("SOURCES.md")
		if err != nil {
			t.Fatal(err)
		}
		var curated *domain.Bundle
		for _, f := range seed.Files {
			if f.Name == "graph.yaml" {
				if curated, err = seed.Parse(f.Name, f.Data); err != nil {
					t.Fatal(err)
				}
			}
		}
		if curated == nil {
			t.Fatal("no graph.yaml among the seed files")
		}
		for _, r := range curated.Relationships {
			if r.Status.NeedsBasis() && !strings.Contains(string(sources), "| `"+r.RelID()+"` | "+string(r.Status)+" | "+r.Basis+" |") {
				t.Errorf("SOURCES.md does not list %s (%s) with its basis", r.RelID(), r.Status)
			}
		}
		// an inference the notes only flagged is now a status: no evidence
		// note of the curated graph still says only that it is one
		for _, r := range b.Relationships {
			for _, e := range r.Evidence {
				if strings.HasPrefix(e.Note, "Inferred") {
					t.Errorf("%s: the note %q belongs in the basis", r.RelID(), e.Note)
				}
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
