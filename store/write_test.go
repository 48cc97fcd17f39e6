package store_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/store"
)

// relsByID dumps the graph and indexes its relationships by id; a second
// relationship with an id already seen fails the test.
func relsByID(t *testing.T, s *store.Store) map[string]model.RelRecord {
	t.Helper()
	b, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.RelRecord{}
	for _, r := range b.Relationships {
		if _, dup := out[r.ID]; dup {
			t.Fatalf("two relationships have id %q", r.ID)
		}
		out[r.ID] = r
	}
	return out
}

func TestMergeNodes(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)

	t.Run("Ensure relationship ids are rebuilt from their ends when one id holds the other", func(t *testing.T) {
		b := smallBundle()
		// codi-2 is kept and codi merged into it: "codi" is a prefix of
		// "codi-2", and appears inside "codi-south". codi-2 already has
		// the PART_OF codi-south has to codi.
		b.Nodes = append(b.Nodes, model.NodeRecord{ID: "codi-2", Label: model.LabelAgency, Kind: "PUBLIC_ORGANIZATION", Name: "พอช.", Evidence: ev("พอช. 2")})
		b.Relationships = append(b.Relationships,
			model.RelRecord{Type: model.RelPartOf, From: "codi-south", To: "codi-2", Evidence: ev("kept part")},
			model.RelRecord{ID: "codi-funds-trf", Type: model.RelSupports, From: "codi", To: "trf", Evidence: ev("custom id")},
		)
		mustLoad(t, s, b)
		if err := s.MergeNodes(ctx, "test", "codi-2", []string{"codi"}, "same agency"); err != nil {
			t.Fatal(err)
		}
		rels := relsByID(t, s)
		var got []string
		for id, r := range rels {
			if r.From == "codi" || r.To == "codi" {
				t.Errorf("%s still ends at the duplicate", id)
			}
			if r.From == "codi-2" || r.To == "codi-2" {
				got = append(got, id)
			}
		}
		sort.Strings(got)
		want := []string{
			"codi-2>ADVANCES>side-p",
			"codi-2>PARTICIPATES_IN>ev-1>SUPPORT_PARTNER",
			"codi-2>PARTICIPATES_IN>ev-2>ORGANIZER",
			"codi-2>SECRETARIAT_OF>net",
			"codi-funds-trf", // an id given by hand is kept
			"codi-south>PART_OF>codi-2",
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("relationships of codi-2:\n got %v\nwant %v", got, want)
		}
		for _, id := range got {
			r := rels[id]
			derived := model.RelRecord{Type: r.Type, From: r.From, To: r.To, Role: r.Role}
			if r.ID != "codi-funds-trf" && derived.RelID() != id {
				t.Errorf("id %q does not follow from %s %s %s %s", id, r.From, r.Type, r.To, r.Role)
			}
		}
		part := rels["codi-south>PART_OF>codi-2"]
		var quotes []string
		for _, e := range part.Evidence {
			quotes = append(quotes, e.Quote)
		}
		if strings.Join(quotes, ",") != "kept part,m" {
			t.Fatalf("evidence of the merged PART_OF = %v, want the kept one's and the duplicate's", quotes)
		}
		if r := rels["codi-funds-trf"]; r.From != "codi-2" || r.To != "trf" || len(r.Evidence) != 1 {
			t.Fatalf("codi-funds-trf = %+v", r)
		}
	})
}
