package store_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/store"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }

// MustOpenStore opens a store on the test Neo4j, emptied.
func MustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{URI: neo4jtest.URI(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	if err := s.EnsureSchema(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := s.DeleteAll(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

func ev(quote string) []domain.Evidence {
	return []domain.Evidence{{Source: "src", Quote: quote, Locator: "test"}}
}

// smallBundle is a hand-built graph: two provinces in a region, a venue in
// one, an event held there, agencies taking part with roles.
func smallBundle() *domain.Bundle {
	return &domain.Bundle{
		Nodes: []domain.NodeRecord{
			{ID: "src", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "แหล่งทดสอบ", Evidence: []domain.Evidence{{Source: "src", Quote: "self"}}},
			{ID: "region-x", Label: domain.LabelRegion, Name: "ภาคทดสอบ", NameEn: "Test Region", Evidence: ev("ภาค")},
			{ID: "prov-a", Label: domain.LabelProvince, Name: "จังหวัดเอ", NameEn: "Province A", Code: "TH-98", Evidence: ev("เอ")},
			{ID: "prov-b", Label: domain.LabelProvince, Name: "จังหวัดบี", NameEn: "Province B", Code: "TH-99", Evidence: ev("บี")},
			{ID: "hall", Label: domain.LabelVenue, Kind: "BUILDING", Name: "อาคาร", Evidence: ev("อาคาร")},
			{ID: "room", Label: domain.LabelVenue, Kind: "ROOM", Name: "ห้อง 1", Evidence: ev("ห้อง")},
			{ID: "ev-1", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม", NameEn: "Meeting",
				Start: &domain.PartialDate{Date: "2007-04-11", Text: "11 เมษายน 2550"}, Evidence: ev("ประชุม")},
			{ID: "ev-2", Label: domain.LabelEvent, Kind: "FORUM", Name: "เวที", NameEn: "Forum",
				Start: &domain.PartialDate{Date: "2007-02-04"}, End: &domain.PartialDate{Date: "2007-02-05"}, Evidence: ev("เวที")},
			{ID: "ev-3", Label: domain.LabelEvent, Kind: "SEMINAR", Name: "สัมมนา", Start: &domain.PartialDate{Date: "2007-01", Inferred: true}, Evidence: ev("สัมมนา")},
			{ID: "s1", Label: domain.LabelAgendaSession, Name: "เปิด", Order: 1, StartsAt: "09:00", EndsAt: "09:30", Evidence: ev("เปิด")},
			{ID: "s2", Label: domain.LabelAgendaSession, Name: "ปิด", Order: 2, StartsAt: "16:00", Evidence: ev("ปิด")},
			{ID: "codi", Label: domain.LabelAgency, Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน", NameEn: "Community Organizations Development Institute", Aliases: []string{"พอช.", "CODI"}, Evidence: ev("พอช.")},
			{ID: "codi-south", Label: domain.LabelAgency, Kind: "UNIT", Name: "พอช ภาคใต้", Evidence: ev("พอช ภาคใต้")},
			{ID: "trf", Label: domain.LabelAgency, Kind: "RESEARCH_FUNDER", Name: "สำนักงานกองทุนสนับสนุนการวิจัย", Aliases: []string{"สกว."}, Evidence: ev("สกว.")},
			{ID: "net", Label: domain.LabelNetwork, Kind: "NETWORK", Name: "เครือข่าย", Evidence: ev("เครือข่าย")},
			{ID: "pat", Label: domain.LabelPerson, Name: "พัช", Evidence: ev("พัช")},
			{ID: "side-k", Label: domain.LabelStrategySide, Kind: "KNOWLEDGE", Name: "การจัดการความรู้", Evidence: ev("การจัดการความรู้")},
			{ID: "side-p", Label: domain.LabelStrategySide, Kind: "POLITICS", Name: "ภาคการเมือง", Evidence: ev("ภาคการเมือง")},
			{ID: "prog", Label: domain.LabelProgram, Kind: "RESEARCH_PLATFORM", Name: "ชุดประสานงานวิจัย", Evidence: ev("ชุด")},
		},
		Relationships: []domain.RelRecord{
			{Type: domain.RelPartOf, From: "prov-a", To: "region-x", Evidence: ev("a")},
			{Type: domain.RelPartOf, From: "prov-b", To: "region-x", Evidence: ev("b")},
			{Type: domain.RelLocatedIn, From: "hall", To: "prov-a", Evidence: ev("c")},
			{Type: domain.RelPartOf, From: "room", To: "hall", Evidence: ev("d")},
			{Type: domain.RelHeldAt, From: "ev-1", To: "room", Evidence: ev("e")},
			{Type: domain.RelHeldAt, From: "ev-2", To: "prov-b", Evidence: ev("f")},
			{Type: domain.RelPartOf, From: "s1", To: "ev-1", Evidence: ev("g")},
			{Type: domain.RelPartOf, From: "s2", To: "ev-1", Evidence: ev("h")},
			{Type: domain.RelParticipatesIn, From: "codi", To: "ev-1", Role: "SUPPORT_PARTNER", RoleTh: "ภาคีสนับสนุน", Evidence: ev("i")},
			{Type: domain.RelParticipatesIn, From: "trf", To: "ev-1", Role: "ACADEMIC_PARTNER", Evidence: ev("j")},
			{Type: domain.RelParticipatesIn, From: "codi", To: "ev-2", Role: "ORGANIZER", Evidence: ev("k")},
			{Type: domain.RelParticipatesIn, From: "pat", To: "ev-1", Role: "INVITED", Evidence: ev("l")},
			{Type: domain.RelPartOf, From: "codi-south", To: "codi", Evidence: ev("m")},
			{Type: domain.RelLocatedIn, From: "codi-south", To: "prov-b", Evidence: ev("n")},
			{Type: domain.RelWorksFor, From: "pat", To: "codi-south", Role: "staff", Evidence: ev("o"),
				Start: &domain.PartialDate{Date: "2005"}, End: &domain.PartialDate{Date: "2008"}},
			{Type: domain.RelRuns, From: "trf", To: "prog", Evidence: ev("p")},
			{Type: domain.RelAdvances, From: "prog", To: "side-k", Evidence: ev("q")},
			{Type: domain.RelSecretariatOf, From: "codi", To: "net", Evidence: ev("r")},
			{Type: domain.RelAdvances, From: "codi", To: "side-p", Evidence: ev("s")},
		},
	}
}

func mustLoad(tb testing.TB, s *store.Store, b *domain.Bundle) store.LoadResult {
	tb.Helper()
	res, err := s.LoadBundle(context.Background(), b)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func ids(p *domain.Page) []string {
	out := make([]string, 0, len(p.Items))
	for _, it := range p.Items {
		out = append(out, it.Node.E().ID)
	}
	return out
}

func TestLoadBundle(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)

	t.Run("Ensure loading a bundle twice leaves the same counts", func(t *testing.T) {
		b := smallBundle()
		first := mustLoad(t, s, b)
		st1, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mustLoad(t, s, b)
		st2, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first.Nodes != len(b.Nodes) || first.Relationships != len(b.Relationships) {
			t.Fatalf("load wrote %+v, want %d nodes and %d relationships", first, len(b.Nodes), len(b.Relationships))
		}
		if st1.Nodes != len(b.Nodes) || st2.Nodes != st1.Nodes || st2.Relationships != st1.Relationships || st1.Relationships != len(b.Relationships) {
			t.Fatalf("counts changed: first %d/%d, second %d/%d", st1.Nodes, st1.Relationships, st2.Nodes, st2.Relationships)
		}
	})

	t.Run("Ensure a bundle naming a missing endpoint fails and writes nothing", func(t *testing.T) {
		before, _ := s.Stats(ctx)
		b := &domain.Bundle{
			Nodes: []domain.NodeRecord{{ID: "new-node", Label: domain.LabelPerson, Name: "ใหม่", Evidence: ev("x")}},
			Relationships: []domain.RelRecord{
				{Type: domain.RelWorksFor, From: "new-node", To: "nowhere", Evidence: ev("y")},
			},
		}
		_, err := s.LoadBundle(ctx, b)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), `no node has id "nowhere"`) {
			t.Fatalf("err = %v, want an invalid-input error about the endpoint", err)
		}
		after, _ := s.Stats(ctx)
		if after.Nodes != before.Nodes {
			t.Fatalf("a failed load left %d nodes behind", after.Nodes-before.Nodes)
		}
	})

	t.Run("Ensure invalid records are refused with the field named", func(t *testing.T) {
		cases := []struct {
			b     domain.Bundle
			field string
		}{
			{domain.Bundle{Nodes: []domain.NodeRecord{{ID: "bad id!", Label: domain.LabelPerson, Name: "x"}}}, "nodes[0].id"},
			{domain.Bundle{Nodes: []domain.NodeRecord{{ID: "a", Label: "Spaceship", Name: "x"}}}, "nodes[0].label"},
			{domain.Bundle{Nodes: []domain.NodeRecord{{ID: "a", Label: domain.LabelAgency, Kind: "BAKERY", Name: "x"}}}, "nodes[0].kind"},
			{domain.Bundle{Nodes: []domain.NodeRecord{{ID: "a", Label: domain.LabelEvent, Kind: "MEETING", Name: "x", Start: &domain.PartialDate{Date: "2007-02-30"}}}}, "nodes[0].start.date"},
			{domain.Bundle{Relationships: []domain.RelRecord{{Type: "LOVES", From: "a", To: "b"}}}, "relationships[0].type"},
			{domain.Bundle{Relationships: []domain.RelRecord{{Type: domain.RelParticipatesIn, From: "a", To: "b", Role: "BOSS"}}}, "relationships[0].role"},
			{domain.Bundle{Nodes: []domain.NodeRecord{{ID: "a", Label: domain.LabelPerson, Name: "x", Evidence: []domain.Evidence{{Source: "src", Quote: " "}}}}}, "nodes[0].evidence[0].quote"},
		}
		for _, c := range cases {
			_, err := s.LoadBundle(ctx, &c.b)
			var me *domain.Error
			if !errors.As(err, &me) || me.Code != domain.EINVALID || me.Field != c.field {
				t.Errorf("err = %v, want invalid input on %s", err, c.field)
			}
		}
	})
}

func TestFindNodes(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	str := func(v string) *string { return &v }
	list := func(t *testing.T, labels []string, f *domain.NodeFilter) []string {
		t.Helper()
		c, err := s.FindNodes(ctx, domain.ListQuery{Labels: labels, Filter: f, First: 50, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.Total != len(c.Items) {
			t.Fatalf("total %d but %d items", c.Total, len(c.Items))
		}
		return ids(c)
	}
	eq := func(t *testing.T, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("got %v, want %v", got, want)
		}
	}

	t.Run("Ensure a node stored without a status counts as STATED under a status filter and under its negation", func(t *testing.T) {
		// as written before statuses existed; the filter for the rarer
		// statuses compares the property as stored (the status indexes)
		testkit.Cypher(t, "MATCH (n:Node {id: 'pat'}) REMOVE n.status", nil)
		t.Cleanup(func() { testkit.Cypher(t, "MATCH (n:Node {id: 'pat'}) SET n.status = 'STATED'", nil) })
		inferred := &domain.NodeFilter{Status: []domain.AssertionStatus{domain.StatusInferred, domain.StatusDisputed}}
		eq(t, list(t, []string{"Person"}, inferred))
		eq(t, list(t, []string{"Person"}, &domain.NodeFilter{Not: inferred}), "pat")
		eq(t, list(t, []string{"Person"}, &domain.NodeFilter{Status: []domain.AssertionStatus{domain.StatusStated}}), "pat")
	})
	t.Run("Ensure events are found by the province they are held in, through venue and room", func(t *testing.T) {
		eq(t, list(t, []string{"Event"}, &domain.NodeFilter{Province: str("prov-a")}), "ev-1")
		eq(t, list(t, []string{"Event"}, &domain.NodeFilter{Region: str("region-x")}), "ev-1", "ev-2")
	})
	t.Run("Ensure a unit is not placed where its parent is", func(t *testing.T) {
		eq(t, list(t, []string{"Agency"}, &domain.NodeFilter{Province: str("prov-b")}), "codi-south")
	})
	t.Run("Ensure name filters match Thai, English and aliases, case-insensitively", func(t *testing.T) {
		eq(t, list(t, []string{"Actor"}, &domain.NodeFilter{NameContains: str("พอช")}), "codi-south", "codi")
		eq(t, list(t, []string{"Actor"}, &domain.NodeFilter{NameContains: str("codi")}), "codi")
		eq(t, list(t, []string{"Actor"}, &domain.NodeFilter{NameContains: str("สกว.")}), "trf")
	})
	t.Run("Ensure filters compose with and, or and not", func(t *testing.T) {
		f := &domain.NodeFilter{Or: []*domain.NodeFilter{{Role: str("SUPPORT_PARTNER")}, {Role: str("INVITED")}}, Not: &domain.NodeFilter{Labels: []string{"Person"}}}
		eq(t, list(t, []string{"Actor"}, f), "codi")
		f = &domain.NodeFilter{And: []*domain.NodeFilter{{Participant: str("ev-1")}, {Kinds: []string{"RESEARCH_FUNDER"}}}}
		eq(t, list(t, []string{"Actor"}, f), "trf")
	})
	t.Run("Ensure date ranges respect partial dates", func(t *testing.T) {
		eq(t, list(t, []string{"Event"}, &domain.NodeFilter{DateFrom: str("2007-02-05"), DateTo: str("2007-03")}), "ev-2")
		eq(t, list(t, []string{"Event"}, &domain.NodeFilter{DateFrom: str("2007-01-20"), DateTo: str("2007-01-31")}), "ev-3")
		// by name in Thai order: ประชุม, เวที (read from ว), สัมมนา
		eq(t, list(t, []string{"Event"}, &domain.NodeFilter{DateFrom: str("2007")}), "ev-1", "ev-2", "ev-3")
	})
	t.Run("Ensure a side filter finds actors through the programs they run", func(t *testing.T) {
		eq(t, list(t, []string{"Actor"}, &domain.NodeFilter{Side: str("side-k")}), "trf")
	})
	t.Run("Ensure pages follow each other without gaps or repeats", func(t *testing.T) {
		var seen []string
		offset := 0
		for {
			c, err := s.FindNodes(ctx, domain.ListQuery{Labels: []string{"Node"}, First: 4, Offset: offset, Count: true})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, ids(c)...)
			if !c.More {
				if c.Total != len(seen) {
					t.Fatalf("paged %d nodes, total %d", len(seen), c.Total)
				}
				break
			}
			offset += len(c.Items)
		}
		uniq := map[string]bool{}
		for _, id := range seen {
			uniq[id] = true
		}
		if len(uniq) != len(smallBundle().Nodes) {
			t.Fatalf("saw %d distinct nodes of %d", len(uniq), len(smallBundle().Nodes))
		}
	})
	t.Run("Ensure an unknown label in a filter is bad input", func(t *testing.T) {
		_, err := s.FindNodes(ctx, domain.ListQuery{Labels: []string{"Actor"}, Filter: &domain.NodeFilter{Labels: []string{"Person) DETACH DELETE (n"}}, First: 5})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("err = %v, want invalid input", err)
		}
	})
}

func TestFindNodeByID(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())

	t.Run("Ensure nested fields, evidence and counts come back in one round trip", func(t *testing.T) {
		src := &domain.Selection{}
		sel := &domain.Selection{
			Evidence: domain.AllEvidence(src),
			Fields: []*domain.FieldPlan{
				{Key: "sessions", Pattern: domain.Pattern{Types: []string{"PART_OF"}, Direction: domain.DirectionIn, Targets: []string{"AgendaSession"}, OrderBy: "order"}, First: 10, Node: &domain.Selection{}},
				{Key: "participants", Pattern: domain.Pattern{Types: []string{"PARTICIPATES_IN"}, Direction: domain.DirectionIn, Targets: []string{"Actor"}}, First: 2, Count: true,
					Rel:  &domain.RelSelection{Evidence: src},
					Node: &domain.Selection{Fields: []*domain.FieldPlan{{Key: "units", OnLabels: []string{"Agency"}, Pattern: domain.Pattern{Types: []string{"PART_OF"}, Direction: domain.DirectionIn, Targets: []string{"Agency"}}, First: 5, Node: &domain.Selection{}}}}},
				{Key: "where", Pattern: domain.Pattern{Types: []string{"HELD_AT"}, Direction: domain.DirectionOut}, First: 5, Node: &domain.Selection{}},
			},
		}
		var trips atomic.Int64
		n, err := s.FindNodeByID(store.WithTripCounter(ctx, &trips), "ev-1", sel)
		if err != nil {
			t.Fatal(err)
		}
		if trips.Load() != 1 {
			t.Fatalf("round trips = %d, want 1", trips.Load())
		}
		e := n.E()
		if e.Label != "Event" || e.Start.Date != "2007-04-11" || e.Start.Text != "11 เมษายน 2550" || e.Start.PrecisionOrDerived() != domain.DatePrecisionDay {
			t.Fatalf("event = %+v", e)
		}
		if len(e.Evidence) != 1 || e.Evidence[0].Quote != "ประชุม" || e.Evidence[0].Source.ID != "src" {
			t.Fatalf("evidence = %+v", e.Evidence)
		}
		if got := ids(e.Related["sessions"]); strings.Join(got, ",") != "s1,s2" {
			t.Fatalf("sessions = %v", got)
		}
		p := e.Related["participants"]
		if p.Total != 3 || len(p.Items) != 2 || !p.More {
			t.Fatalf("participants: total %d, %d items, more %v", p.Total, len(p.Items), p.More)
		}
		if p.Items[0].Node.E().ID != "pat" {
			t.Fatalf("participants are not ordered by Thai name: first is %+v", p.Items[0].Node)
		}
		first := p.Items[1]
		if first.Node.E().ID != "codi" || *first.Relationship.Role != "SUPPORT_PARTNER" || *first.Relationship.RoleTh != "ภาคีสนับสนุน" {
			t.Fatalf("first participant = %+v, rel %+v", first.Node, first.Relationship)
		}
		// the ends' ids of a directed field's relationships are the node's
		// and the row's, in the relationship's direction
		for _, it := range p.Items {
			if r := it.Relationship; r.FromID != it.Node.E().ID || r.ToID != "ev-1" || r.Type != domain.RelParticipatesIn || it.Direction != domain.DirectionIn {
				t.Fatalf("participant %s: relationship %s -[%s]-> %s, direction %s", it.Node.E().ID, r.FromID, r.Type, r.ToID, it.Direction)
			}
		}
		if w := e.Related["where"].Items[0]; w.Relationship.FromID != "ev-1" || w.Relationship.ToID != "room" || w.Direction != domain.DirectionOut {
			t.Fatalf("held at: %s -> %s, direction %s", w.Relationship.FromID, w.Relationship.ToID, w.Direction)
		}
		if first.Relationship.Evidence[0].Quote != "i" {
			t.Fatalf("relationship evidence = %+v", first.Relationship.Evidence)
		}
		if got := ids(first.Node.E().Related["units"]); strings.Join(got, ",") != "codi-south" {
			t.Fatalf("codi units = %v", got)
		}
		if got := ids(e.Related["where"]); strings.Join(got, ",") != "room" {
			t.Fatalf("held at = %v", got)
		}
	})

	t.Run("Ensure an unknown id is NOT_FOUND", func(t *testing.T) {
		_, err := s.FindNodeByID(ctx, "no-such-node", &domain.Selection{})
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("err = %v, want not found", err)
		}
	})

	t.Run("Ensure the relationships of a node can be filtered by type, direction and date", func(t *testing.T) {
		out := domain.DirectionOut
		from, to := "2006", "2009"
		sel := &domain.Selection{Fields: []*domain.FieldPlan{
			{Key: "rels", Kind: domain.FieldRelationships, RelFilter: &domain.RelationshipFilter{Direction: &out, From: &from, To: &to}, First: 10, Count: true, Node: &domain.Selection{}},
			{Key: "late", Kind: domain.FieldRelationships, RelFilter: &domain.RelationshipFilter{Types: []domain.RelType{"WORKS_FOR"}, From: str("2009")}, First: 10, Count: true, Node: &domain.Selection{}},
		}}
		n, err := s.FindNodeByID(ctx, "pat", sel)
		if err != nil {
			t.Fatal(err)
		}
		rels := n.E().Related["rels"]
		if rels.Total != 2 {
			t.Fatalf("pat has %d outgoing relationships in force 2006-2009, want 2", rels.Total)
		}
		if late := n.E().Related["late"]; late.Total != 0 {
			t.Fatalf("a job that ended in 2008 matched a filter from 2009")
		}
		for _, e := range rels.Items {
			if e.Direction != domain.DirectionOut {
				t.Fatalf("direction = %s", e.Direction)
			}
		}
	})
}

func str(v string) *string { return &v }
