package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

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
