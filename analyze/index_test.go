package analyze

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// indexView is what an index answers, in a comparable form: every key's
// names (sorted), its phrase flag, every loose key's strict keys, and the
// counts.
func indexView(s *snapshot) map[string]string {
	out := map[string]string{}
	nodes, names := s.count, s.names
	out["#"] = fmt.Sprint(nodes, names)
	keys := map[string]bool{}
	for k := range s.byKey {
		keys[k] = true
	}
	if s.top != nil {
		for k := range s.top.byKey {
			keys[k] = true
		}
	}
	for k := range keys {
		refs := s.refs(k)
		if len(refs) == 0 {
			continue
		}
		var rs []string
		for _, r := range refs {
			rs = append(rs, r.node+"/"+r.name+"/"+r.how)
		}
		slices.Sort(rs)
		out["k "+k] = fmt.Sprint(rs, isPhrase(refs, s.node))
		// the walk finds the key where it stands, with the same flag
		found := false
		s.walk(k, 0, len(k), func(end int, key string, phrase bool) {
			if end == len(k) && key == k {
				found = phrase == isPhrase(refs, s.node)
			}
		})
		if !found {
			out["k "+k] += " (not walked)"
		}
		if l := looseOf(k); l != "" {
			lks := slices.Clone(s.looseKeys(l))
			lks = slices.DeleteFunc(lks, func(x string) bool { return len(s.refs(x)) == 0 })
			slices.Sort(lks)
			out["l "+l] = fmt.Sprint(lks)
		}
	}
	return out
}

// Ensure an index kept up to date change by change answers as one built
// whole from the final graph: names renamed, removed, shared with other
// nodes, added and taken away, events moved, through overlays and
// compactions alike.
func TestIndexApplyMatchesRebuild(t *testing.T) {
	for _, compactEvery := range []int{1 << 30, 7} {
		t.Run(fmt.Sprintf("compact after %d changed nodes", compactEvery), func(t *testing.T) {
			defer func(f func(int) int) { compactAfter = f }(compactAfter)
			compactAfter = func(int) int { return compactEvery }
			seed, err := seedBundle(t)
			if err != nil {
				t.Fatal(err)
			}
			ix := NewIndex(seed)
			state := map[string]domain.NodeRecord{}
			for _, n := range seed.Nodes {
				state[n.ID] = n
			}
			ids := make([]string, 0, len(state))
			for id := range state {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			r := rand.New(rand.NewPCG(3, 4))
			names := []string{"พอช.", "สถาบันพัฒนาองค์กรชุมชน", "ธ.ก.ส.", "เครือข่ายทดสอบการเปลี่ยน", "กองทุนสวัสดิการชุมชนบ้านใหม่", "เครดิตยูเนี่ยนทดสอบ", "ภาคตะวันตก"}
			for step := range 60 {
				b := &domain.Bundle{}
				var gone []string
				for range 1 + r.IntN(3) {
					switch op := r.IntN(4); op {
					case 0: // rename, maybe to a name another node holds
						id := ids[r.IntN(len(ids))]
						n, ok := state[id]
						if !ok {
							continue
						}
						n.Name = names[r.IntN(len(names))]
						n.Aliases = append(slices.Clone(n.Aliases), fmt.Sprintf("ชื่อเล่นที่%d", step))
						state[id] = n
						b.Nodes = append(b.Nodes, n)
						b.Relationships = append(b.Relationships, relsOf(seed, id)...)
					case 1: // remove
						id := ids[r.IntN(len(ids))]
						if _, ok := state[id]; ok {
							delete(state, id)
							gone = append(gone, id)
						}
					case 2: // a new node, an organisation or an event
						n := domain.NodeRecord{ID: fmt.Sprintf("new-%d", step), Label: "Agency", Kind: "OTHER", Name: names[r.IntN(len(names))] + fmt.Sprint(step%3)}
						if step%2 == 0 {
							n.Label, n.Kind, n.Start = "Event", "MEETING", &domain.PartialDate{Date: "2007-04-11", Precision: "day"}
						}
						state[n.ID] = n
						ids = append(ids, n.ID)
						b.Nodes = append(b.Nodes, n)
					case 3: // aliases taken away
						id := ids[r.IntN(len(ids))]
						if n, ok := state[id]; ok {
							n.Aliases = nil
							state[id] = n
							b.Nodes = append(b.Nodes, n)
							b.Relationships = append(b.Relationships, relsOf(seed, id)...)
						}
					}
				}
				ix.Apply(b, gone)
			}
			// the relationships as NameBundle reads them: each changed
			// node came with its own, and the others kept theirs
			final := &domain.Bundle{Relationships: seed.Relationships}
			for _, id := range ids {
				if n, ok := state[id]; ok {
					final.Nodes = append(final.Nodes, n)
				}
			}
			whole := NewIndex(final)
			got, want := indexView(ix.snap.Load()), indexView(whole.snap.Load())
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: applied %s, rebuilt %s", k, got[k], w)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: applied %s, not in the rebuilt index", k, g)
				}
			}
			for _, id := range ids {
				if (ix.Node(id) == nil) != (whole.Node(id) == nil) {
					t.Errorf("node %s: applied %v, rebuilt %v", id, ix.Node(id), whole.Node(id))
				}
			}
			for _, d := range []string{"2007-04-11", "2007-04-12"} {
				g, w := slices.Sorted(slices.Values(ix.snap.Load().events(d))), slices.Sorted(slices.Values(whole.snap.Load().events(d)))
				if !slices.Equal(g, w) {
					t.Errorf("events on %s: applied %v, rebuilt %v", d, g, w)
				}
			}
			// and the analyses of the seed text agree
			text := seedText(t)
			a1, err := ix.Analyze(Input{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			a2, err := whole.Analyze(Input{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := mentionList(a1), mentionList(a2); g != w {
				t.Errorf("analyses differ:\napplied %s\nrebuilt %s", g, w)
			}
		})
	}
}

// relsOf are the relationships of b that touch id.
func relsOf(b *domain.Bundle, id string) []domain.RelRecord {
	var out []domain.RelRecord
	for _, r := range b.Relationships {
		if r.From == id || r.To == id {
			out = append(out, r)
		}
	}
	return out
}

func mentionList(a *Analysis) string {
	var out []string
	for _, m := range a.Mentions {
		var cs []string
		for _, c := range m.Candidates {
			cs = append(cs, c.ID)
		}
		slices.Sort(cs)
		out = append(out, fmt.Sprintf("%d-%d %s=%s %v", m.Start, m.End, m.Text, m.Chosen, cs))
	}
	return strings.Join(out, "\n")
}

// Ensure an index built page by page (whole nodes, each page with every
// relationship of its nodes, as the store's NamePages reads them) is the
// index of the whole bundle: the same keys and names, the same nodes with
// the same parents and neighbours.
func TestBuilderPages(t *testing.T) {
	b, err := seedBundle(t)
	if err != nil {
		t.Fatal(err)
	}
	whole := NewIndex(b)
	nodes := slices.Clone(b.Nodes)
	slices.SortFunc(nodes, func(x, y domain.NodeRecord) int { return strings.Compare(x.ID, y.ID) })
	bl := NewBuilder()
	for start := 0; start < len(nodes); start += 7 {
		page := &domain.Bundle{Nodes: nodes[start:min(start+7, len(nodes))]}
		in := map[string]bool{}
		for _, n := range page.Nodes {
			in[n.ID] = true
		}
		for _, r := range b.Relationships {
			if in[r.From] || in[r.To] {
				page.Relationships = append(page.Relationships, r)
			}
		}
		bl.Add(page)
	}
	paged := bl.Index()
	if got, want := indexView(paged.snap.Load()), indexView(whole.snap.Load()); !maps.Equal(got, want) {
		t.Fatalf("the paged index differs from the whole one: %d keys against %d", len(got), len(want))
	}
	for _, r := range b.Nodes {
		w, g := whole.Node(r.ID), paged.Node(r.ID)
		if g == nil {
			t.Fatalf("%s is not in the paged index", r.ID)
		}
		for _, l := range []struct {
			name string
			w, g []string
		}{{"parents", w.Parents, g.Parents}, {"neighbours", w.Neighbors, g.Neighbors}} {
			ws, gs := slices.Sorted(slices.Values(l.w)), slices.Sorted(slices.Values(l.g))
			if !slices.Equal(ws, gs) {
				t.Errorf("%s's %s: paged %v, whole %v", r.ID, l.name, gs, ws)
			}
		}
	}
}
