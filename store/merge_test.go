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

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/store"
)

func relsByID(t *testing.T, s *store.Store) map[string]domain.RelRecord {
	t.Helper()
	b, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]domain.RelRecord{}
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
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: "codi-2", Label: domain.LabelAgency, Kind: "PUBLIC_ORGANIZATION", Name: "พอช.", Evidence: ev("พอช. 2")})
		b.Relationships = append(b.Relationships,
			domain.RelRecord{Type: domain.RelPartOf, From: "codi-south", To: "codi-2", Evidence: ev("kept part")},
			domain.RelRecord{ID: "codi-funds-trf", Type: domain.RelSupports, From: "codi", To: "trf", Evidence: ev("custom id")},
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
			derived := domain.RelRecord{Type: r.Type, From: r.From, To: r.To, Role: r.Role}
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

	t.Run("Ensure a merge reconciles statuses: DISPUTED over STATED over INFERRED, bases joined, relationships their own", func(t *testing.T) {
		agency := func(id string, st domain.AssertionStatus, basis string) domain.NodeRecord {
			return domain.NodeRecord{ID: id, Label: domain.LabelAgency, Kind: "UNIT", Name: "หน่วย " + id, Status: st, Basis: basis, Evidence: ev(id)}
		}
		inferred := func(from, to, basis string) domain.RelRecord {
			return domain.RelRecord{Type: domain.RelSupports, From: from, To: to, Status: domain.StatusInferred, Basis: basis, Evidence: ev(from)}
		}
		b := smallBundle()
		b.Nodes = append(b.Nodes,
			agency("ms-keep-a", domain.StatusStated, ""), agency("ms-dup-a", domain.StatusInferred, "อนุมานจากชื่อ"),
			agency("ms-keep-b", domain.StatusInferred, "basis one"), agency("ms-dup-b1", domain.StatusInferred, "basis two"), agency("ms-dup-b2", domain.StatusInferred, "basis one"),
			agency("ms-keep-c", domain.StatusStated, ""), agency("ms-dup-c", domain.StatusDisputed, "sources disagree"),
		)
		b.Relationships = append(b.Relationships,
			inferred("ms-keep-a", "trf", "kept's reading"),                                                  // merges with the dup's stated one
			domain.RelRecord{Type: domain.RelSupports, From: "ms-dup-a", To: "trf", Evidence: ev("stated")}, // STATED
			inferred("ms-dup-a", "net", "the dup's own reading"),                                            // moves alone
			inferred("ms-keep-b", "trf", "first"), inferred("ms-dup-b1", "trf", "second"),
		)
		mustLoad(t, s, b)
		for keep, dups := range map[string][]string{"ms-keep-a": {"ms-dup-a"}, "ms-keep-b": {"ms-dup-b1", "ms-dup-b2"}, "ms-keep-c": {"ms-dup-c"}} {
			if err := s.MergeNodes(ctx, "test", keep, dups, "one unit"); err != nil {
				t.Fatalf("merge into %s: %v", keep, err)
			}
		}
		nodes := map[string]domain.NodeRecord{}
		dump, err := s.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range dump.Nodes {
			nodes[n.ID] = n
		}
		for id, want := range map[string][2]string{
			"ms-keep-a": {"STATED", ""}, "ms-keep-b": {"INFERRED", "basis one; basis two"}, "ms-keep-c": {"DISPUTED", "sources disagree"},
		} {
			if n := nodes[id]; string(n.AssertionStatus()) != want[0] || n.Basis != want[1] {
				t.Errorf("%s: %s %q, want %s %q", id, n.AssertionStatus(), n.Basis, want[0], want[1])
			}
		}
		rels := relsByID(t, s)
		for id, want := range map[string][2]string{
			"ms-keep-a>SUPPORTS>trf": {"STATED", ""},                        // one stated of the two
			"ms-keep-a>SUPPORTS>net": {"INFERRED", "the dup's own reading"}, // its own
			"ms-keep-b>SUPPORTS>trf": {"INFERRED", "first; second"},
		} {
			r, ok := rels[id]
			if !ok {
				t.Errorf("no relationship %s", id)
				continue
			}
			if string(r.AssertionStatus()) != want[0] || r.Basis != want[1] {
				t.Errorf("%s: %s %q, want %s %q", id, r.AssertionStatus(), r.Basis, want[0], want[1])
			}
		}
	})
	t.Run("Ensure a merge whose joined basis would be too long is refused, naming duplicates, and changes nothing", func(t *testing.T) {
		long := strings.Repeat("ก", domain.MaxTextLen-10)
		b := smallBundle()
		b.Nodes = append(b.Nodes,
			domain.NodeRecord{ID: "ml-keep", Label: domain.LabelAgency, Kind: "UNIT", Name: "หน่วยยาว", Status: domain.StatusInferred, Basis: long, Evidence: ev("k")},
			domain.NodeRecord{ID: "ml-dup", Label: domain.LabelAgency, Kind: "UNIT", Name: "หน่วยยาวสอง", Status: domain.StatusInferred, Basis: "อีกเหตุผลหนึ่งที่ยาวพอ", Evidence: ev("d")})
		mustLoad(t, s, b)
		err := s.MergeNodes(ctx, "test", "ml-keep", []string{"ml-dup"}, "too long")
		var me *domain.Error
		if !errors.As(err, &me) || me.Code != domain.EINVALID || me.Field != "duplicates.basis" {
			t.Fatalf("got %v", err)
		}
		dump, _ := s.Dump(ctx)
		found := 0
		for _, n := range dump.Nodes {
			if n.ID == "ml-dup" || (n.ID == "ml-keep" && n.Basis == long) {
				found++
			}
		}
		if found != 2 {
			t.Fatalf("the refused merge changed the graph (%d of the two nodes as they were)", found)
		}
	})
	t.Run("Ensure merging sources moves their citations to the kept source", func(t *testing.T) {
		b := smallBundle()
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: "src-copy", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "สำเนา",
			Evidence: []domain.Evidence{{Source: "src-copy", Quote: "self"}}})
		b.Nodes[len(b.Nodes)-2].Evidence = []domain.Evidence{{Source: "src", Quote: "a"}, {Source: "src-copy", Quote: "b"}} // prog
		b.Relationships[0].Evidence = []domain.Evidence{{Source: "src-copy", Quote: "c"}}
		mustLoad(t, s, b)
		if err := s.MergeNodes(ctx, "test", "src", []string{"src-copy"}, "one document"); err != nil {
			t.Fatal(err)
		}
		dump, err := s.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range dump.Nodes {
			for _, e := range n.Evidence {
				if e.Source == "src-copy" {
					t.Errorf("node %s still cites the merged source", n.ID)
				}
			}
		}
		for _, r := range dump.Relationships {
			for _, e := range r.Evidence {
				if e.Source == "src-copy" {
					t.Errorf("relationship %s still cites the merged source", r.RelID())
				}
			}
		}
		// every quote is still there, now citing src
		quotes := map[string]string{}
		for _, n := range dump.Nodes {
			for _, e := range n.Evidence {
				quotes[e.Quote] = e.Source
			}
		}
		for _, r := range dump.Relationships {
			for _, e := range r.Evidence {
				quotes[e.Quote] = e.Source
			}
		}
		for _, q := range []string{"a", "b", "c"} {
			if quotes[q] != "src" {
				t.Errorf("quote %q cites %q, want src", q, quotes[q])
			}
		}
		// a change to each fact it touched: its version moved, and its
		// history shows the merge
		for _, id := range []string{"prog", b.Relationships[0].RelID()} {
			changes, _, err := s.History(ctx, domain.HistoryQuery{NodeID: id, First: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) == 0 || changes[0].Action != domain.ActionMergeNodes || changes[0].TargetID != "src" {
				t.Errorf("history of %s: %+v, want the merge into src first", id, changes)
			}
		}
		prog, err := s.FindNodeByID(ctx, "prog", &domain.Selection{})
		if err != nil {
			t.Fatal(err)
		}
		if v := prog.E().Version; v < 2 {
			t.Errorf("prog's version %d did not move", v)
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
				_, err := s.CreateRelationship(ctx, "test", domain.RelRecord{Type: domain.RelMemberOf, From: "pat", To: "net",
					Evidence: []domain.Evidence{{Source: "src", Quote: fmt.Sprintf("writer %d", i)}}})
				errs <- err
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			var me *domain.Error
			switch {
			case err == nil:
				ok++
			case errors.As(err, &me) && me.Code == domain.ECONFLICT && me.Field == "input.id" &&
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
			if r.Type == domain.RelMemberOf && r.From == "pat" && r.To == "net" {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d relationships pat MEMBER_OF net, want 1", n)
		}
	})

	t.Run("Ensure an import reusing a relationship id between other nodes is reported on its line", func(t *testing.T) {
		if _, err := s.CreateRelationship(ctx, "test", domain.RelRecord{ID: "trf-funds-codi", Type: domain.RelFunds, From: "trf", To: "codi", Evidence: ev("ทุน")}); err != nil {
			t.Fatal(err)
		}
		b := &domain.Bundle{Relationships: []domain.RelRecord{
			{Type: domain.RelFunds, From: "trf", To: "net", Evidence: ev("ทุน")},
			{ID: "trf-funds-codi", Type: domain.RelFunds, From: "trf", To: "prog", Evidence: ev("ทุน")},
		}}
		res, err := s.Import(ctx, "test", b, domain.Lines{Rels: []int{7, 9}}, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0] != (domain.Problem{Line: 9, Record: "relationships[1]", Field: "id",
			Reason: `relationship "trf-funds-codi" exists already, from "trf" to "codi"`}) {
			t.Fatalf("problems = %+v", res.Problems)
		}
		if _, ok := relsByID(t, s)["trf>FUNDS>net"]; ok {
			t.Fatal("the refused import wrote a relationship")
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
		want := append([]string(nil), domain.RelTypes...)
		sort.Strings(want)
		if strings.Join(types, ",") != strings.Join(want, ",") {
			t.Fatalf("relationship id constraints on %v, want %v", types, want)
		}
		if recs := q("SHOW INDEXES YIELD name, entityType, owningConstraint WHERE entityType = 'RELATIONSHIP' AND owningConstraint IS NULL AND name STARTS WITH 'rel_' AND name ENDS WITH '_id' RETURN name"); len(recs) != 0 {
			t.Fatalf("%d old relationship id indexes are left", len(recs))
		}

		// A database from before whose ids clash: the schema cannot be
		// made, and that is a reason to stop, not to retry for ever.
		q("DROP CONSTRAINT rel_supports_id_unique")
		q("MATCH (a:Node {id: 'trf'}), (b:Node {id: 'net'}) CREATE (a)-[:SUPPORTS {id: 'twice'}]->(b), (a)-[:SUPPORTS {id: 'twice'}]->(b)")
		err = s.EnsureSchema(ctx)
		if fatal := store.Misconfigured(err, "neo4j"); fatal == nil || !strings.Contains(fatal.Error(), "SUPPORTS") || !strings.Contains(fatal.Error(), "unique ids") {
			t.Fatalf("EnsureSchema over clashing ids: %v (stop: %v), want a reason to stop naming the type", err, fatal)
		}
		q("MATCH ()-[r:SUPPORTS {id: 'twice'}]->() DELETE r")
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
