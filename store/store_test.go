package store_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/phakhi/phakhi/graph/model"
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

func ev(quote string) []model.Evidence {
	return []model.Evidence{{Source: "src", Quote: quote, Locator: "test"}}
}

// smallBundle is a hand-built graph: two provinces in a region, a venue in
// one, an event held there, agencies taking part with roles.
func smallBundle() *model.Bundle {
	return &model.Bundle{
		Nodes: []model.NodeRecord{
			{ID: "src", Label: model.LabelSource, Kind: "DOCUMENT", Name: "แหล่งทดสอบ", Evidence: []model.Evidence{{Source: "src", Quote: "self"}}},
			{ID: "region-x", Label: model.LabelRegion, Name: "ภาคทดสอบ", NameEn: "Test Region", Evidence: ev("ภาค")},
			{ID: "prov-a", Label: model.LabelProvince, Name: "จังหวัดเอ", NameEn: "Province A", Code: "TH-98", Evidence: ev("เอ")},
			{ID: "prov-b", Label: model.LabelProvince, Name: "จังหวัดบี", NameEn: "Province B", Code: "TH-99", Evidence: ev("บี")},
			{ID: "hall", Label: model.LabelVenue, Kind: "BUILDING", Name: "อาคาร", Evidence: ev("อาคาร")},
			{ID: "room", Label: model.LabelVenue, Kind: "ROOM", Name: "ห้อง 1", Evidence: ev("ห้อง")},
			{ID: "ev-1", Label: model.LabelEvent, Kind: "MEETING", Name: "ประชุม", NameEn: "Meeting",
				Start: &model.PartialDate{Date: "2007-04-11", Text: "11 เมษายน 2550"}, Evidence: ev("ประชุม")},
			{ID: "ev-2", Label: model.LabelEvent, Kind: "FORUM", Name: "เวที", NameEn: "Forum",
				Start: &model.PartialDate{Date: "2007-02-04"}, End: &model.PartialDate{Date: "2007-02-05"}, Evidence: ev("เวที")},
			{ID: "ev-3", Label: model.LabelEvent, Kind: "SEMINAR", Name: "สัมมนา", Start: &model.PartialDate{Date: "2007-01", Inferred: true}, Evidence: ev("สัมมนา")},
			{ID: "s1", Label: model.LabelAgendaSession, Name: "เปิด", Order: 1, StartsAt: "09:00", EndsAt: "09:30", Evidence: ev("เปิด")},
			{ID: "s2", Label: model.LabelAgendaSession, Name: "ปิด", Order: 2, StartsAt: "16:00", Evidence: ev("ปิด")},
			{ID: "codi", Label: model.LabelAgency, Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน", NameEn: "Community Organizations Development Institute", Aliases: []string{"พอช.", "CODI"}, Evidence: ev("พอช.")},
			{ID: "codi-south", Label: model.LabelAgency, Kind: "UNIT", Name: "พอช ภาคใต้", Evidence: ev("พอช ภาคใต้")},
			{ID: "trf", Label: model.LabelAgency, Kind: "RESEARCH_FUNDER", Name: "สำนักงานกองทุนสนับสนุนการวิจัย", Aliases: []string{"สกว."}, Evidence: ev("สกว.")},
			{ID: "net", Label: model.LabelNetwork, Kind: "NETWORK", Name: "เครือข่าย", Evidence: ev("เครือข่าย")},
			{ID: "pat", Label: model.LabelPerson, Name: "พัช", Evidence: ev("พัช")},
			{ID: "side-k", Label: model.LabelStrategySide, Kind: "KNOWLEDGE", Name: "การจัดการความรู้", Evidence: ev("การจัดการความรู้")},
			{ID: "side-p", Label: model.LabelStrategySide, Kind: "POLITICS", Name: "ภาคการเมือง", Evidence: ev("ภาคการเมือง")},
			{ID: "prog", Label: model.LabelProgram, Kind: "RESEARCH_PLATFORM", Name: "ชุดประสานงานวิจัย", Evidence: ev("ชุด")},
		},
		Relationships: []model.RelRecord{
			{Type: model.RelPartOf, From: "prov-a", To: "region-x", Evidence: ev("a")},
			{Type: model.RelPartOf, From: "prov-b", To: "region-x", Evidence: ev("b")},
			{Type: model.RelLocatedIn, From: "hall", To: "prov-a", Evidence: ev("c")},
			{Type: model.RelPartOf, From: "room", To: "hall", Evidence: ev("d")},
			{Type: model.RelHeldAt, From: "ev-1", To: "room", Evidence: ev("e")},
			{Type: model.RelHeldAt, From: "ev-2", To: "prov-b", Evidence: ev("f")},
			{Type: model.RelPartOf, From: "s1", To: "ev-1", Evidence: ev("g")},
			{Type: model.RelPartOf, From: "s2", To: "ev-1", Evidence: ev("h")},
			{Type: model.RelParticipatesIn, From: "codi", To: "ev-1", Role: "SUPPORT_PARTNER", RoleTh: "ภาคีสนับสนุน", Evidence: ev("i")},
			{Type: model.RelParticipatesIn, From: "trf", To: "ev-1", Role: "ACADEMIC_PARTNER", Evidence: ev("j")},
			{Type: model.RelParticipatesIn, From: "codi", To: "ev-2", Role: "ORGANIZER", Evidence: ev("k")},
			{Type: model.RelParticipatesIn, From: "pat", To: "ev-1", Role: "INVITED", Evidence: ev("l")},
			{Type: model.RelPartOf, From: "codi-south", To: "codi", Evidence: ev("m")},
			{Type: model.RelLocatedIn, From: "codi-south", To: "prov-b", Evidence: ev("n")},
			{Type: model.RelWorksFor, From: "pat", To: "codi-south", Role: "staff", Evidence: ev("o"),
				Start: &model.PartialDate{Date: "2005"}, End: &model.PartialDate{Date: "2008"}},
			{Type: model.RelRuns, From: "trf", To: "prog", Evidence: ev("p")},
			{Type: model.RelAdvances, From: "prog", To: "side-k", Evidence: ev("q")},
			{Type: model.RelSecretariatOf, From: "codi", To: "net", Evidence: ev("r")},
			{Type: model.RelAdvances, From: "codi", To: "side-p", Evidence: ev("s")},
		},
	}
}

func mustLoad(tb testing.TB, s *store.Store, b *model.Bundle) store.LoadResult {
	tb.Helper()
	res, err := s.LoadBundle(context.Background(), b)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func ids(c *model.Connection) []string {
	out := make([]string, 0, len(c.Edges))
	for _, e := range c.Edges {
		out = append(out, e.Node.(model.Entitied).E().ID)
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
		b := &model.Bundle{
			Nodes: []model.NodeRecord{{ID: "new-node", Label: model.LabelPerson, Name: "ใหม่", Evidence: ev("x")}},
			Relationships: []model.RelRecord{
				{Type: model.RelWorksFor, From: "new-node", To: "nowhere", Evidence: ev("y")},
			},
		}
		_, err := s.LoadBundle(ctx, b)
		if model.ErrorCode(err) != model.EINVALID || !strings.Contains(err.Error(), `no node has id "nowhere"`) {
			t.Fatalf("err = %v, want an invalid-input error about the endpoint", err)
		}
		after, _ := s.Stats(ctx)
		if after.Nodes != before.Nodes {
			t.Fatalf("a failed load left %d nodes behind", after.Nodes-before.Nodes)
		}
	})

	t.Run("Ensure invalid records are refused with the field named", func(t *testing.T) {
		cases := []struct {
			b     model.Bundle
			field string
		}{
			{model.Bundle{Nodes: []model.NodeRecord{{ID: "bad id!", Label: model.LabelPerson, Name: "x"}}}, "nodes[0].id"},
			{model.Bundle{Nodes: []model.NodeRecord{{ID: "a", Label: "Spaceship", Name: "x"}}}, "nodes[0].label"},
			{model.Bundle{Nodes: []model.NodeRecord{{ID: "a", Label: model.LabelAgency, Kind: "BAKERY", Name: "x"}}}, "nodes[0].kind"},
			{model.Bundle{Nodes: []model.NodeRecord{{ID: "a", Label: model.LabelEvent, Kind: "MEETING", Name: "x", Start: &model.PartialDate{Date: "2007-02-30"}}}}, "nodes[0].start.date"},
			{model.Bundle{Relationships: []model.RelRecord{{Type: "LOVES", From: "a", To: "b"}}}, "relationships[0].type"},
			{model.Bundle{Relationships: []model.RelRecord{{Type: model.RelParticipatesIn, From: "a", To: "b", Role: "BOSS"}}}, "relationships[0].role"},
			{model.Bundle{Nodes: []model.NodeRecord{{ID: "a", Label: model.LabelPerson, Name: "x", Evidence: []model.Evidence{{Source: "src", Quote: " "}}}}}, "nodes[0].evidence[0].quote"},
		}
		for _, c := range cases {
			_, err := s.LoadBundle(ctx, &c.b)
			var me *model.Error
			if !errors.As(err, &me) || me.Code != model.EINVALID || me.Field != c.field {
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
	list := func(t *testing.T, labels []string, f *model.NodeFilter) []string {
		t.Helper()
		c, err := s.FindNodes(ctx, model.ListQuery{Labels: labels, Filter: f, First: 50, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.TotalCount != len(c.Edges) {
			t.Fatalf("totalCount %d but %d edges", c.TotalCount, len(c.Edges))
		}
		return ids(c)
	}
	eq := func(t *testing.T, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("got %v, want %v", got, want)
		}
	}

	t.Run("Ensure events are found by the province they are held in, through venue and room", func(t *testing.T) {
		eq(t, list(t, []string{"Event"}, &model.NodeFilter{Province: str("prov-a")}), "ev-1")
		eq(t, list(t, []string{"Event"}, &model.NodeFilter{Region: str("region-x")}), "ev-1", "ev-2")
	})
	t.Run("Ensure a unit is not placed where its parent is", func(t *testing.T) {
		eq(t, list(t, []string{"Agency"}, &model.NodeFilter{Province: str("prov-b")}), "codi-south")
	})
	t.Run("Ensure name filters match Thai, English and aliases, case-insensitively", func(t *testing.T) {
		eq(t, list(t, []string{"Actor"}, &model.NodeFilter{NameContains: str("พอช")}), "codi-south", "codi")
		eq(t, list(t, []string{"Actor"}, &model.NodeFilter{NameContains: str("codi")}), "codi")
		eq(t, list(t, []string{"Actor"}, &model.NodeFilter{NameContains: str("สกว.")}), "trf")
	})
	t.Run("Ensure filters compose with and, or and not", func(t *testing.T) {
		f := &model.NodeFilter{Or: []*model.NodeFilter{{Role: str("SUPPORT_PARTNER")}, {Role: str("INVITED")}}, Not: &model.NodeFilter{Labels: []string{"Person"}}}
		eq(t, list(t, []string{"Actor"}, f), "codi")
		f = &model.NodeFilter{And: []*model.NodeFilter{{Participant: str("ev-1")}, {Kinds: []string{"RESEARCH_FUNDER"}}}}
		eq(t, list(t, []string{"Actor"}, f), "trf")
	})
	t.Run("Ensure date ranges respect partial dates", func(t *testing.T) {
		eq(t, list(t, []string{"Event"}, &model.NodeFilter{DateFrom: str("2007-02-05"), DateTo: str("2007-03")}), "ev-2")
		eq(t, list(t, []string{"Event"}, &model.NodeFilter{DateFrom: str("2007-01-20"), DateTo: str("2007-01-31")}), "ev-3")
		eq(t, list(t, []string{"Event"}, &model.NodeFilter{DateFrom: str("2007")}), "ev-1", "ev-3", "ev-2")
	})
	t.Run("Ensure a side filter finds actors through the programs they run", func(t *testing.T) {
		eq(t, list(t, []string{"Actor"}, &model.NodeFilter{Side: str("side-k")}), "trf")
	})
	t.Run("Ensure pages follow each other without gaps or repeats", func(t *testing.T) {
		var seen []string
		offset := 0
		for {
			c, err := s.FindNodes(ctx, model.ListQuery{Labels: []string{"Node"}, First: 4, Offset: offset, Count: true})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, ids(c)...)
			if !c.PageInfo.HasNextPage {
				if c.TotalCount != len(seen) {
					t.Fatalf("paged %d nodes, totalCount %d", len(seen), c.TotalCount)
				}
				break
			}
			offset, _ = store.DecodeCursor(*c.PageInfo.EndCursor)
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
		_, err := s.FindNodes(ctx, model.ListQuery{Labels: []string{"Actor"}, Filter: &model.NodeFilter{Labels: []string{"Person) DETACH DELETE (n"}}, First: 5})
		if model.ErrorCode(err) != model.EINVALID {
			t.Fatalf("err = %v, want invalid input", err)
		}
	})
}

func TestFindNodeByID(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())

	t.Run("Ensure nested fields, evidence and counts come back in one round trip", func(t *testing.T) {
		src := &model.Selection{}
		sel := &model.Selection{
			Evidence: src,
			Fields: []*model.FieldPlan{
				{Key: "sessions", Pattern: model.Pattern{Types: []string{"PART_OF"}, Direction: model.DirectionIn, Targets: []string{"AgendaSession"}, OrderBy: "order"}, First: 10, Node: &model.Selection{}},
				{Key: "participants", Pattern: model.Pattern{Types: []string{"PARTICIPATES_IN"}, Direction: model.DirectionIn, Targets: []string{"Actor"}}, First: 2, Count: true,
					Rel:  &model.RelSelection{Evidence: src},
					Node: &model.Selection{Fields: []*model.FieldPlan{{Key: "units", OnLabels: []string{"Agency"}, Pattern: model.Pattern{Types: []string{"PART_OF"}, Direction: model.DirectionIn, Targets: []string{"Agency"}}, First: 5, Node: &model.Selection{}}}}},
				{Key: "where", Pattern: model.Pattern{Types: []string{"HELD_AT"}, Direction: model.DirectionOut}, First: 5, Node: &model.Selection{}},
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
		if e.Label != "Event" || e.Start.Date != "2007-04-11" || e.Start.Text != "11 เมษายน 2550" || e.Start.PrecisionOrDerived() != model.DatePrecisionDay {
			t.Fatalf("event = %+v", e)
		}
		if len(e.Evidence) != 1 || e.Evidence[0].Quote != "ประชุม" || e.Evidence[0].Source.ID != "src" {
			t.Fatalf("evidence = %+v", e.Evidence)
		}
		if got := ids(e.Related["sessions"]); strings.Join(got, ",") != "s1,s2" {
			t.Fatalf("sessions = %v", got)
		}
		p := e.Related["participants"]
		if p.TotalCount != 3 || len(p.Edges) != 2 || !p.PageInfo.HasNextPage {
			t.Fatalf("participants: total %d, %d edges, next %v", p.TotalCount, len(p.Edges), p.PageInfo.HasNextPage)
		}
		if p.Edges[0].Person == nil || p.Edges[0].Person.ID != "pat" {
			t.Fatalf("participants are not ordered by Thai name: first is %+v", p.Edges[0].Node)
		}
		first := p.Edges[1]
		if first.Agency == nil || first.Agency.ID != "codi" || *first.Relationship.Role != "SUPPORT_PARTNER" || *first.Relationship.RoleTh != "ภาคีสนับสนุน" {
			t.Fatalf("first participant = %+v, rel %+v", first.Node, first.Relationship)
		}
		if first.Relationship.Evidence[0].Quote != "i" {
			t.Fatalf("relationship evidence = %+v", first.Relationship.Evidence)
		}
		if got := ids(first.Agency.Related["units"]); strings.Join(got, ",") != "codi-south" {
			t.Fatalf("codi units = %v", got)
		}
		if got := ids(e.Related["where"]); strings.Join(got, ",") != "room" {
			t.Fatalf("held at = %v", got)
		}
	})

	t.Run("Ensure an unknown id is NOT_FOUND", func(t *testing.T) {
		_, err := s.FindNodeByID(ctx, "no-such-node", &model.Selection{})
		if model.ErrorCode(err) != model.ENOTFOUND {
			t.Fatalf("err = %v, want not found", err)
		}
	})

	t.Run("Ensure the relationships of a node can be filtered by type, direction and date", func(t *testing.T) {
		out := model.DirectionOut
		from, to := "2006", "2009"
		sel := &model.Selection{Fields: []*model.FieldPlan{
			{Key: "rels", Generic: true, RelFilter: &model.RelationshipFilter{Direction: &out, From: &from, To: &to}, First: 10, Count: true, Node: &model.Selection{}},
			{Key: "late", Generic: true, RelFilter: &model.RelationshipFilter{Types: []model.RelType{"WORKS_FOR"}, From: str("2009")}, First: 10, Count: true, Node: &model.Selection{}},
		}}
		n, err := s.FindNodeByID(ctx, "pat", sel)
		if err != nil {
			t.Fatal(err)
		}
		rels := n.E().Related["rels"]
		if rels.TotalCount != 2 {
			t.Fatalf("pat has %d outgoing relationships in force 2006-2009, want 2", rels.TotalCount)
		}
		if late := n.E().Related["late"]; late.TotalCount != 0 {
			t.Fatalf("a job that ended in 2008 matched a filter from 2009")
		}
		for _, e := range rels.Edges {
			if e.Direction != model.DirectionOut {
				t.Fatalf("direction = %s", e.Direction)
			}
		}
	})
}

func str(v string) *string { return &v }
