package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
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

func TestRelationshipIDsAreUnique(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())

	t.Run("Ensure parallel creates of one relationship id let exactly one through", func(t *testing.T) {
		const writers = 8
		errs := make(chan error, writers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := s.CreateRelationship(ctx, "test", model.RelRecord{Type: model.RelMemberOf, From: "pat", To: "net",
					Evidence: []model.Evidence{{Source: "src", Quote: fmt.Sprintf("writer %d", i)}}})
				errs <- err
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			var me *model.Error
			switch {
			case err == nil:
				ok++
			case errors.As(err, &me) && me.Code == model.ECONFLICT && me.Field == "input.id" &&
				me.Message == `a relationship with id "pat>MEMBER_OF>net" exists already`:
			default:
				t.Errorf("err = %v, want a conflict naming the id", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d parallel creates succeeded, want 1", ok, writers)
		}
		n := 0
		for _, r := range relsByID(t, s) {
			if r.Type == model.RelMemberOf && r.From == "pat" && r.To == "net" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d relationships pat MEMBER_OF net, want 1", n)
		}
	})

	t.Run("Ensure the schema replaces an old relationship id index by a constraint, idempotently", func(t *testing.T) {
		d, err := neo4j.NewDriverWithContext(neo4jtest.URI(t), neo4j.NoAuth())
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close(ctx)
		q := func(cypher string) []*neo4j.Record {
			t.Helper()
			res, err := neo4j.ExecuteQuery(ctx, d, cypher, nil, neo4j.EagerResultTransformer)
			if err != nil {
				t.Fatal(err)
			}
			return res.Records
		}
		// a database from before: an index, no constraint
		for _, rec := range q("SHOW CONSTRAINTS YIELD name, entityType WHERE entityType = 'RELATIONSHIP' RETURN name") {
			name, _ := rec.Get("name")
			q("DROP CONSTRAINT `" + name.(string) + "`")
		}
		q("CREATE INDEX rel_works_for_id IF NOT EXISTS FOR ()-[r:WORKS_FOR]-() ON (r.id)")
		for i := 0; i < 2; i++ {
			if err := s.EnsureSchema(ctx); err != nil {
				t.Fatalf("run %d: %v", i+1, err)
			}
		}
		recs := q("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'RELATIONSHIP_UNIQUENESS' AND properties = ['id'] RETURN labelsOrTypes[0] AS t")
		var types []string
		for _, rec := range recs {
			typ, _ := rec.Get("t")
			types = append(types, typ.(string))
		}
		sort.Strings(types)
		want := append([]string(nil), model.RelTypes...)
		sort.Strings(want)
		if strings.Join(types, ",") != strings.Join(want, ",") {
			t.Fatalf("relationship id constraints on %v, want %v", types, want)
		}
		if recs := q("SHOW INDEXES YIELD name, entityType, owningConstraint WHERE entityType = 'RELATIONSHIP' AND owningConstraint IS NULL AND name STARTS WITH 'rel_' AND name ENDS WITH '_id' RETURN name"); len(recs) != 0 {
			t.Fatalf("%d old relationship id indexes are left", len(recs))
		}
	})
}
