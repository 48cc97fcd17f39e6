package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/store"
)

// relsByID dumps the graph and indexes its relationships by id; a second
// relationship with an id already seen fails the test.
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

func TestImportConcurrency(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	var pat domain.NodeRecord
	for _, n := range smallBundle().Nodes {
		if n.ID == "pat" {
			pat = n
		}
	}
	// state names what a change left pat with: each write leaves its own
	state := func(t *testing.T, rec any) string {
		t.Helper()
		m, ok := rec.(map[string]any)
		if !ok {
			t.Fatalf("record = %v", rec)
		}
		return fmt.Sprint(m["description"], m["aliases"])
	}

	t.Run("Ensure imports and updates of one node in parallel lose nothing and never share a version", func(t *testing.T) {
		const updaters, updates, imports = 3, 5, 10
		var wg sync.WaitGroup
		errs := make(chan error, updaters+1)
		versions := make(chan int, updaters*updates)
		for u := 0; u < updaters; u++ {
			wg.Add(1)
			go func(u int) {
				defer wg.Done()
				for i := 0; i < updates; {
					n, err := s.FindNodeByID(ctx, "pat", &domain.Selection{})
					if err != nil {
						errs <- err
						return
					}
					v := n.E().Version
					err = s.UpdateNode(ctx, "editor", "pat", v, func(r *domain.NodeRecord) error {
						r.Aliases = append(r.Aliases, fmt.Sprintf("u%d-%d", u, i))
						return nil
					})
					if domain.ErrorCode(err) == domain.ESTALE {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					versions <- v + 1
					i++
				}
			}(u)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < imports; i++ {
				p := pat
				p.Description = fmt.Sprintf("import %d", i)
				res, err := s.Import(ctx, "importer", &domain.Bundle{Nodes: []domain.NodeRecord{p}}, domain.Lines{}, false)
				if err == nil && res.NodesUpdated != 1 {
					err = fmt.Errorf("import %d: %+v", i, res)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
		wg.Wait()
		close(errs)
		close(versions)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for v := range versions {
			if seen[v] {
				t.Fatalf("two updates wrote version %d", v)
			}
			seen[v] = true
		}
		n, err := s.FindNodeByID(ctx, "pat", &domain.Selection{})
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + updaters*updates + imports; n.E().Version != want {
			t.Fatalf("pat is at version %d after %d writes, want %d: writes shared a version", n.E().Version, updaters*updates+imports, want)
		}

		// the audit trail is one line: each write started from what the
		// one before it left
		changes, total, err := s.History(ctx, domain.HistoryQuery{NodeID: "pat", First: 100, States: true})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1+updaters*updates+imports {
			t.Fatalf("history(pat) has %d changes, want %d", total, 1+updaters*updates+imports)
		}
		left := map[string]bool{}
		from := map[string]bool{}
		for _, c := range changes {
			var before, after any
			switch c.Action {
			case domain.ActionUpdateNode:
				before, after = c.Before, c.After
			case domain.ActionImport:
				if c.Actor == "seed" {
					continue
				}
				before, _ = c.Before.(map[string]any)["nodes"].(map[string]any)["pat"]
				after, _ = c.After.(map[string]any)["nodes"].(map[string]any)["pat"]
			default:
				t.Fatalf("unexpected change %+v", c)
			}
			b, a := state(t, before), state(t, after)
			if from[b] {
				t.Fatalf("two writes started from %s: one was lost", b)
			}
			from[b], left[a] = true, true
		}
		initial := fmt.Sprint(nil, nil)
		for b := range from {
			if b != initial && !left[b] {
				t.Fatalf("a write started from %s, which no write left", b)
			}
		}
	})
}

func TestImportAudit(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())

	t.Run("Ensure history finds every node of an import larger than one change holds", func(t *testing.T) {
		b := &domain.Bundle{}
		for i := 0; i < 1005; i++ {
			b.Nodes = append(b.Nodes, domain.NodeRecord{ID: fmt.Sprintf("bulk-%04d", i), Label: domain.LabelPerson, Name: "ก", Evidence: ev("ก")})
		}
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: "pat", Label: domain.LabelPerson, Name: "พัช", NameEn: "Pat", Evidence: ev("พัช")})
		if _, err := s.Import(ctx, "bulk", b, domain.Lines{}, false); err != nil {
			t.Fatal(err)
		}
		changes, total, err := s.History(ctx, domain.HistoryQuery{Actor: "bulk", First: 10, States: true})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 {
			t.Fatalf("the import was recorded as %d changes, want 2", total)
		}
		for _, id := range []string{"bulk-0000", "bulk-1004", "pat"} {
			changes, _, err = s.History(ctx, domain.HistoryQuery{NodeID: id, Actor: "bulk", First: 10, States: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 1 || changes[0].Action != domain.ActionImport {
				t.Fatalf("history(%s) = %+v", id, changes)
			}
		}
		nodes := func(v any) map[string]any {
			m, _ := v.(map[string]any)
			n, _ := m["nodes"].(map[string]any)
			return n
		}
		before, after := nodes(changes[0].Before), nodes(changes[0].After)
		if len(before) != 1 || dig(before, "pat", "nameEn") != nil || dig(after, "pat", "nameEn") != "Pat" || dig(after, "pat", "name") != "พัช" {
			t.Fatalf("the import's change of pat: before %v, after %v", before, after)
		}
	})
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func TestDeleteSource(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	b := smallBundle()
	mustLoad(t, s, b)

	t.Run("Ensure a source that facts cite cannot be deleted, and the error counts them", func(t *testing.T) {
		_, err := s.DeleteNode(ctx, "admin", "src", nil)
		var me *domain.Error
		if !errors.As(err, &me) || me.Code != domain.ECONFLICT || me.Field != "id" ||
			!strings.Contains(me.Message, `the source "src" is cited by 37 facts (18 nodes and 19 relationships)`) {
			t.Fatalf("err = %v, want a conflict counting the facts that cite src", err)
		}
		if _, err := s.FindNodeByID(ctx, "src", &domain.Selection{}); err != nil {
			t.Fatalf("the refused delete removed the source: %v", err)
		}
	})

	t.Run("Ensure a source no other fact cites is deleted, with the relationships it is cited for", func(t *testing.T) {
		memo := domain.NodeRecord{ID: "memo", Label: domain.LabelSource, Kind: "DOCUMENT", Name: "บันทึก", Evidence: []domain.Evidence{{Source: "memo", Quote: "บันทึก"}}}
		if err := s.CreateNode(ctx, "editor", memo); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateRelationship(ctx, "editor", domain.RelRecord{Type: domain.RelMentions, From: "memo", To: "pat", Evidence: []domain.Evidence{{Source: "memo", Quote: "พัช"}}}); err != nil {
			t.Fatal(err)
		}
		rels, err := s.DeleteNode(ctx, "admin", "memo", nil)
		if err != nil || rels != 1 {
			t.Fatalf("delete memo: %d relationships, %v", rels, err)
		}
	})
}

func TestHistoryTimes(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	for i := 0; i < 3; i++ {
		if i > 0 {
			time.Sleep(20 * time.Millisecond)
		}
		if err := s.CreateNode(ctx, "clock", domain.NodeRecord{ID: fmt.Sprintf("tick-%d", i), Label: domain.LabelPerson, Name: "ติก", Evidence: ev("ติก")}); err != nil {
			t.Fatal(err)
		}
	}
	history := func(t *testing.T, from, to string) ([]string, error) {
		t.Helper()
		changes, _, err := s.History(ctx, domain.HistoryQuery{Actor: "clock", From: from, To: to, First: 10})
		var out []string
		for _, c := range changes {
			out = append(out, c.TargetID)
		}
		return out, err
	}
	all, err := history(t, "", "")
	if err != nil || len(all) != 3 {
		t.Fatalf("history = %v, %v", all, err)
	}
	changes, _, _ := s.History(ctx, domain.HistoryQuery{NodeID: "tick-1", First: 1})
	mid, err := time.Parse(time.RFC3339Nano, changes[0].At)
	if err != nil {
		t.Fatal(err)
	}
	bangkok := time.FixedZone("ICT", 7*3600)

	t.Run("Ensure a time with an offset means the same instant as in UTC", func(t *testing.T) {
		for _, c := range []struct {
			from, to time.Time
			want     string
		}{
			{from: mid, want: "tick-2 tick-1"},
			{to: mid, want: "tick-1 tick-0"},
			{from: mid, to: mid, want: "tick-1"},
		} {
			var got [2]string
			for i, zone := range []*time.Location{time.UTC, bangkok} {
				f := func(tm time.Time) string {
					if tm.IsZero() {
						return ""
					}
					return tm.In(zone).Format(time.RFC3339Nano)
				}
				ids, err := history(t, f(c.from), f(c.to))
				if err != nil {
					t.Fatal(err)
				}
				got[i] = strings.Join(ids, " ")
			}
			if got[0] != c.want || got[1] != c.want {
				t.Errorf("from %v to %v: UTC %q, +07:00 %q, want %q", c.from, c.to, got[0], got[1], c.want)
			}
		}
	})

	t.Run("Ensure dates name whole days, months and years", func(t *testing.T) {
		day := mid.UTC().Format("2006-01-02")
		for _, c := range []struct{ from, to, want string }{
			{day, day, "tick-2 tick-1 tick-0"},
			{day[:7], day[:4], "tick-2 tick-1 tick-0"},
			{"", mid.UTC().AddDate(0, 0, -1).Format("2006-01-02"), ""},
			{"2999", "", ""},
		} {
			ids, err := history(t, c.from, c.to)
			if err != nil || strings.Join(ids, " ") != c.want {
				t.Errorf("from %q to %q: %v, %v; want %q", c.from, c.to, ids, err, c.want)
			}
		}
	})

	t.Run("Ensure a bad time is BAD_USER_INPUT naming the argument", func(t *testing.T) {
		for _, c := range []struct{ from, to, field, says string }{
			{"yesterday", "", "from", "not a date-time"},
			{"2007-04-11T09:30:00", "", "from", "time zone"},
			{"", "2007-13-01", "to", "not a date-time"},
			{"2007-04-12", "2007-04-11", "to", "before"},
		} {
			_, err := history(t, c.from, c.to)
			var me *domain.Error
			if !errors.As(err, &me) || me.Code != domain.EINVALID || me.Field != c.field || !strings.Contains(me.Message, c.says) {
				t.Errorf("from %q to %q: err = %v, want bad input on %s saying %q", c.from, c.to, err, c.field, c.says)
			}
		}
	})
}
