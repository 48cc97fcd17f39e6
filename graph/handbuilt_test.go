package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
)

// mustLoadBundle merges a hand-built bundle into the test Neo4j and
// removes its nodes (and so their relationships) when the test ends.
func mustLoadBundle(t *testing.T, b *domain.Bundle) {
	t.Helper()
	if _, err := testkit.OpenStore(t).LoadBundle(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(b.Nodes))
	for i, n := range b.Nodes {
		ids[i] = n.ID
	}
	t.Cleanup(func() {
		testkit.Cypher(t, "MATCH (n:Node) WHERE n.id IN $ids DETACH DELETE n", map[string]any{"ids": ids})
	})
}

// handBuiltBundle is a small graph apart from the seed graph, whose
// answers are worked out by hand:
//   - an agency taking part in six events dated to a year, a month or a
//     day, or not at all (the timeline);
//   - a person with four ties in force at different times (the
//     neighbourhood's date filter);
//   - a star of a hub and five leaves, and a path of four people, the first
//     two joined twice (the network metrics).
func handBuiltBundle() *domain.Bundle {
	ev := []domain.Evidence{{Source: "hb-src", Quote: "ทดสอบ", Locator: "test"}}
	date := func(iso, text string) *domain.PartialDate { return &domain.PartialDate{Date: iso, Text: text} }
	b := &domain.Bundle{Nodes: []domain.NodeRecord{
		{ID: "hb-src", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "เอกสารทดสอบ", Evidence: []domain.Evidence{{Source: "hb-src", Quote: "self"}}},
		{ID: "hb-org", Label: domain.LabelAgency, Kind: "FOUNDATION", Name: "มูลนิธิทดสอบ", Evidence: ev},
		{ID: "hb-2007-01-02", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม ก", Start: date("2007-01-02", "2 มกราคม 2550"), Evidence: ev},
		{ID: "hb-2006-03-15", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม ข", Start: date("2006-03-15", "15 มีนาคม 2549"), Evidence: ev},
		{ID: "hb-2006-03-01", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม ค", Start: date("2006-03-01", "1 มี.ค. 2549"), Evidence: ev},
		{ID: "hb-2006-03", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม ง", Start: date("2006-03", "มีนาคม 2549"), Evidence: ev},
		{ID: "hb-2006", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม จ", Start: date("2006", "พ.ศ. 2549"), Evidence: ev},
		{ID: "hb-undated", Label: domain.LabelEvent, Kind: "MEETING", Name: "ประชุม ฉ", Evidence: ev},

		{ID: "hb-person", Label: domain.LabelPerson, Name: "คุณทดสอบ", Evidence: ev},
		{ID: "hb-a2001", Label: domain.LabelAgency, Kind: "OTHER", Name: "หน่วย 2544-2546", Evidence: ev},
		{ID: "hb-a2004", Label: domain.LabelAgency, Kind: "OTHER", Name: "หน่วย 2547-", Evidence: ev},
		{ID: "hb-a2005-03", Label: domain.LabelAgency, Kind: "OTHER", Name: "หน่วย มี.ค. 2548", Evidence: ev},
		{ID: "hb-net", Label: domain.LabelNetwork, Kind: "NETWORK", Name: "เครือข่ายทดสอบ", Evidence: ev},

		{ID: "hb-hub", Label: domain.LabelNetwork, Kind: "NETWORK", Name: "ศูนย์กลาง", Evidence: ev},
		{ID: "hb-path-1", Label: domain.LabelPerson, Name: "หนึ่ง", Evidence: ev},
		{ID: "hb-path-2", Label: domain.LabelPerson, Name: "สอง", Evidence: ev},
		{ID: "hb-path-3", Label: domain.LabelPerson, Name: "สาม", Evidence: ev},
		{ID: "hb-path-4", Label: domain.LabelPerson, Name: "สี่", Evidence: ev},
	}}
	for _, id := range []string{"hb-2007-01-02", "hb-2006-03-15", "hb-2006-03-01", "hb-2006-03", "hb-2006", "hb-undated"} {
		b.Relationships = append(b.Relationships, domain.RelRecord{Type: domain.RelParticipatesIn, From: "hb-org", To: id, Role: "PARTICIPANT", Evidence: ev})
	}
	b.Relationships = append(b.Relationships,
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-person", To: "hb-a2001", Start: date("2001", ""), End: date("2003", ""), Evidence: ev},
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-person", To: "hb-a2004", Start: date("2004-06", ""), Evidence: ev},
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-person", To: "hb-a2005-03", Start: date("2005-03-01", ""), End: date("2005-03-31", ""), Evidence: ev},
		domain.RelRecord{Type: domain.RelMemberOf, From: "hb-person", To: "hb-net", Evidence: ev},
	)
	for i := 1; i <= 5; i++ {
		leaf := fmt.Sprintf("hb-leaf-%d", i)
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: leaf, Label: domain.LabelPerson, Name: "ใบ " + leaf, Evidence: ev})
		b.Relationships = append(b.Relationships, domain.RelRecord{Type: domain.RelMemberOf, From: leaf, To: "hb-hub", Evidence: ev})
	}
	b.Relationships = append(b.Relationships,
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-path-1", To: "hb-path-2", Evidence: ev},
		domain.RelRecord{Type: domain.RelFounded, From: "hb-path-1", To: "hb-path-2", Evidence: ev},
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-path-3", To: "hb-path-2", Evidence: ev},
		domain.RelRecord{Type: domain.RelWorksFor, From: "hb-path-3", To: "hb-path-4", Evidence: ev},
	)
	return b
}
