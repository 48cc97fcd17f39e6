package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func labelEvidence() []domain.Evidence {
	return []domain.Evidence{{Source: "src", Quote: "ข้อความ"}}
}

func labelSource() domain.NodeRecord {
	return domain.NodeRecord{ID: "src", Label: domain.LabelSource, Kind: "POST", Name: "the post", Evidence: []domain.Evidence{{Source: "src", Quote: "ข้อความ"}}}
}

// dumpJSON is the whole graph, comparable.
func dumpJSON(t *testing.T, s *Store) string {
	t.Helper()
	b, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

func mustImport(t *testing.T, s *Store, b *domain.Bundle) *ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), "test", b, domain.Lines{}, false)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportKeepsLabels(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, true)
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	codi := domain.NodeRecord{ID: "codi", Label: domain.LabelAgency, Kind: "PUBLIC_ORGANIZATION", Name: "สถาบันพัฒนาองค์กรชุมชน", Evidence: labelEvidence()}
	if res := mustImport(t, s, &domain.Bundle{Nodes: []domain.NodeRecord{labelSource(), codi}}); !res.OK() {
		t.Fatalf("setting up: %+v", res.Problems)
	}
	before := dumpJSON(t, s)

	t.Run("Ensure an import that would make an Agency a Person is refused, naming the record and both labels, and writes nothing", func(t *testing.T) {
		for _, dry := range []bool{true, false} {
			person := domain.NodeRecord{ID: "codi", Label: domain.LabelPerson, Name: "x", Evidence: labelEvidence()}
			other := domain.NodeRecord{ID: "newcomer", Label: domain.LabelPerson, Name: "y", Evidence: labelEvidence()}
			res, err := s.Import(ctx, "test", &domain.Bundle{Nodes: []domain.NodeRecord{other, person}}, domain.Lines{Nodes: []int{3, 7}}, dry)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 1 {
				t.Fatalf("dry %v: problems %+v, want one", dry, res.Problems)
			}
			p := res.Problems[0]
			if p.Record != "nodes[1]" || p.Field != "label" || p.Line != 7 || !strings.Contains(p.Reason, `"codi"`) ||
				!strings.Contains(p.Reason, domain.LabelAgency) || !strings.Contains(p.Reason, domain.LabelPerson) {
				t.Fatalf("dry %v: problem %+v, want nodes[1] label at line 7 naming codi, Agency and Person", dry, p)
			}
			if res.NodesCreated+res.NodesUpdated+res.NodesUnchanged != 0 {
				t.Fatalf("dry %v: a refused import counts %+v", dry, res)
			}
			if after := dumpJSON(t, s); after != before {
				t.Fatalf("dry %v: the graph changed:\n%s\n%s", dry, before, after)
			}
		}
	})

	t.Run("Ensure a record of the graph's label still updates the node", func(t *testing.T) {
		again := codi
		again.NameEn = "CODI"
		res := mustImport(t, s, &domain.Bundle{Nodes: []domain.NodeRecord{again}})
		if !res.OK() || res.NodesUpdated != 1 {
			t.Fatalf("result %+v", res)
		}
	})
}

// TestImportAllOrNothing imports random small bundles into random graphs:
// an import either succeeds, and then the graph holds the bundle's view of
// every record it names and the rest as it was, or fails, and then the
// graph is as it was.
func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, true)
	rng := rand.New(rand.NewPCG(11, 12))
	ids := []string{"a", "b", "c", "d"}
	labels := []struct{ label, kind string }{{domain.LabelPerson, ""}, {domain.LabelAgency, "UNIVERSITY"}, {domain.LabelNetwork, "NETWORK"}}
	types := []string{domain.RelMemberOf, domain.RelSupports}
	randomBundle := func(withFaults bool) *domain.Bundle {
		b := &domain.Bundle{}
		for _, id := range ids {
			if rng.IntN(2) == 0 {
				continue
			}
			l := labels[rng.IntN(len(labels))]
			n := domain.NodeRecord{ID: id, Label: l.label, Kind: l.kind, Name: fmt.Sprintf("%s %d", id, rng.IntN(3)), Evidence: labelEvidence()}
			if withFaults && rng.IntN(8) == 0 {
				n.Evidence = []domain.Evidence{{Source: "no-such-source", Quote: "q"}}
			}
			b.Nodes = append(b.Nodes, n)
		}
		seen := map[string]bool{}
		for range rng.IntN(4) {
			r := domain.RelRecord{From: ids[rng.IntN(len(ids))], To: ids[rng.IntN(len(ids))], Type: types[rng.IntN(len(types))], Evidence: labelEvidence()}
			if withFaults && rng.IntN(8) == 0 {
				r.To = "nowhere"
			}
			if r.From == r.To || seen[r.RelID()] {
				continue
			}
			seen[r.RelID()] = true
			b.Relationships = append(b.Relationships, r)
		}
		return b
	}
	nodeView := func(n domain.NodeRecord) string {
		j, _ := json.Marshal(nodeProps(&n))
		return n.Label + string(j)
	}
	relView := func(r domain.RelRecord) string {
		j, _ := json.Marshal(relProps(&r))
		return r.Type + r.From + ">" + r.To + string(j)
	}
	views := func(b *domain.Bundle) (map[string]string, map[string]string) {
		nodes, rels := map[string]string{}, map[string]string{}
		for _, n := range b.Nodes {
			nodes[n.ID] = nodeView(n)
		}
		for _, r := range b.Relationships {
			rels[r.RelID()] = relView(r)
		}
		return nodes, rels
	}
	dump := func() *domain.Bundle {
		b, err := s.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	succeeded, failed := 0, 0
	for round := range 30 {
		if err := s.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		base := randomBundle(false)
		base.Nodes = append([]domain.NodeRecord{labelSource()}, base.Nodes...)
		mustImport(t, s, base) // its dangling relationships refuse it: an empty graph but the source, then
		if len(dump().Nodes) == 0 {
			mustImport(t, s, &domain.Bundle{Nodes: []domain.NodeRecord{labelSource()}})
		}
		beforeJSON := dumpJSON(t, s)
		beforeNodes, beforeRels := views(dump())
		b := randomBundle(true)
		res := mustImport(t, s, b)
		afterJSON := dumpJSON(t, s)
		if !res.OK() {
			failed++
			if afterJSON != beforeJSON {
				t.Fatalf("round %d: a refused import (%+v) changed the graph:\n%s\n%s", round, res.Problems, beforeJSON, afterJSON)
			}
			continue
		}
		succeeded++
		wantNodes, wantRels := beforeNodes, beforeRels
		bn, br := views(b)
		for id, v := range bn {
			wantNodes[id] = v
		}
		for id, v := range br {
			wantRels[id] = v
		}
		gotNodes, gotRels := views(dump())
		if fmt.Sprint(gotNodes) != fmt.Sprint(wantNodes) || fmt.Sprint(gotRels) != fmt.Sprint(wantRels) {
			t.Fatalf("round %d: after importing %+v\nnodes %v\nwant  %v\nrels %v\nwant %v", round, b, gotNodes, wantNodes, gotRels, wantRels)
		}
	}
	if succeeded == 0 || failed == 0 {
		t.Fatalf("%d imports succeeded and %d failed: the bundles do not try both", succeeded, failed)
	}
}
