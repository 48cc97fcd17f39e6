package domain

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// SameAs says how reads treat nodes that may be one body (joined by
// POSSIBLY_SAME_AS): apart, as they are stored, or folded into one node.
type SameAs string

const (
	SameAsApart SameAs = "APART"
	SameAsFold  SameAs = "FOLD"
)

// MaxFoldChain bounds the POSSIBLY_SAME_AS hops a fold follows from a node
// to the others of its group (the Cypher pattern is *1..MaxFoldChain).
const MaxFoldChain = 4

// IsValid reports whether s is a known mode.
func (s SameAs) IsValid() bool { return s == SameAsApart || s == SameAsFold }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *SameAs) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || !SameAs(str).IsValid() {
		return fmt.Errorf("%v is not a SameAs (APART or FOLD)", v)
	}
	*s = SameAs(str)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (s SameAs) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(s))) }

// Fold is one group of nodes read as one: Into stands for the group, IDs
// are the others folded into it, in order.
type Fold struct {
	Into string
	IDs  []string
}

// Folding maps the ids of a read to the ids that stand for their groups.
// Groups are the connected parts of the POSSIBLY_SAME_AS pairs; a group
// is represented by its preferred member when it has one (the node a
// neighbourhood is asked about), else by its first id in order, so the
// same group folds the same way in every read.
type Folding struct {
	rep map[string]string
}

// NewFolding groups the ids joined by pairs. Union-find by hand: the
// groups are small (two nodes in the seed) and the standard library has
// no disjoint-set type.
func NewFolding(pairs [][2]string, prefer string) *Folding {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, p := range pairs {
		a, b := find(p[0]), find(p[1])
		if a != b {
			parent[b] = a
		}
	}
	members := map[string][]string{}
	for x := range parent {
		r := find(x)
		members[r] = append(members[r], x)
	}
	f := &Folding{rep: map[string]string{}}
	for _, ms := range members {
		slices.Sort(ms)
		into := ms[0]
		if slices.Contains(ms, prefer) {
			into = prefer
		}
		for _, m := range ms {
			f.rep[m] = into
		}
	}
	return f
}

// Into is the id that stands for id's group (id itself when it is in none).
func (f *Folding) Into(id string) string {
	if r, ok := f.rep[id]; ok {
		return r
	}
	return id
}

// Folds lists the groups among ids (each with the ids present), by the id
// that stands for them.
func (f *Folding) Folds(ids []string) []*Fold {
	by := map[string]*Fold{}
	var out []*Fold
	for _, id := range ids {
		into := f.Into(id)
		if into == id {
			continue
		}
		g := by[into]
		if g == nil {
			g = &Fold{Into: into}
			by[into] = g
			out = append(out, g)
		}
		if !slices.Contains(g.IDs, id) {
			g.IDs = append(g.IDs, id)
		}
	}
	for _, g := range out {
		slices.Sort(g.IDs)
	}
	slices.SortFunc(out, func(a, b *Fold) int {
		if a.Into < b.Into {
			return -1
		}
		if a.Into > b.Into {
			return 1
		}
		return 0
	})
	return out
}

// MergeInto makes into stand for others too: their names, English names
// and aliases become its aliases (each once, its own name left out), their
// evidence follows its own, their statuses and bases merge with its own
// as mergeNodes merges them (MergedStatus: DISPUTED over STATED over
// INFERRED), and the related lists the read fetched for them join its own
// (their ties are its ties). A read that folds (search, neighbourhood)
// serves the merged node: what mergeNodes would make of the group, short
// of writing it.
func MergeInto(into *Entity, others ...*Entity) {
	seen := map[string]bool{into.Name: true}
	if into.NameEn != nil {
		seen[*into.NameEn] = true
	}
	for _, a := range into.Aliases {
		seen[a] = true
	}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			into.Aliases = append(into.Aliases, s)
		}
	}
	for _, o := range others {
		add(o.Name)
		if o.NameEn != nil {
			add(*o.NameEn)
		}
		for _, a := range o.Aliases {
			add(a)
		}
		into.Evidence = append(into.Evidence, o.Evidence...)
		for key, p := range o.Related {
			if p == nil {
				continue
			}
			if into.Related == nil {
				into.Related = map[string]*Page{}
			}
			mine := into.Related[key]
			if mine == nil {
				into.Related[key] = p
				continue
			}
			mine.Items = append(mine.Items, p.Items...)
			mine.Total += p.Total
			mine.More = mine.More || p.More
		}
	}
	mergeStatusInto(into, others)
}

// FoldSubgraph folds the groups of f in g: one node per group (the one
// standing for it, with the others merged into it), every relationship
// re-pointed to the nodes that stand for its ends, and those inside a
// group (POSSIBLY_SAME_AS among them) left out: they would be loops.
// It returns the folds made.
func FoldSubgraph(g *Subgraph, f *Folding) []*Fold {
	byID := map[string]Entitied{}
	var ids []string
	for _, n := range g.Nodes {
		if e, ok := n.(Entitied); ok {
			byID[e.E().ID] = e
			ids = append(ids, e.E().ID)
		}
	}
	folds := f.Folds(ids)
	for _, fo := range folds {
		into := byID[fo.Into]
		if into == nil {
			continue
		}
		var others []*Entity
		for _, id := range fo.IDs {
			others = append(others, byID[id].E())
		}
		MergeInto(into.E(), others...)
	}
	nodes := g.Nodes[:0]
	for _, n := range g.Nodes {
		if e, ok := n.(Entitied); ok && f.Into(e.E().ID) != e.E().ID && byID[f.Into(e.E().ID)] != nil {
			continue
		}
		nodes = append(nodes, n)
	}
	g.Nodes = nodes
	edges := g.Edges[:0]
	for _, r := range g.Edges {
		from, to := f.Into(r.FromID), f.Into(r.ToID)
		if from == to {
			continue
		}
		if from != r.FromID {
			r.FromID = from
			if n := byID[from]; n != nil && r.From != nil {
				r.From = n
			}
		}
		if to != r.ToID {
			r.ToID = to
			if n := byID[to]; n != nil && r.To != nil {
				r.To = n
			}
		}
		edges = append(edges, r)
	}
	g.Edges = edges
	return folds
}

// FoldSlice folds the groups of f in a slice for metrics: one id per group
// (the one standing for it, where the first of the group stood), the pairs
// re-pointed, loops inside a group left out. It returns the folds made.
func FoldSlice(sl *GraphSlice, f *Folding) []*Fold {
	folds := f.Folds(sl.IDs)
	seen := map[string]bool{}
	ids := sl.IDs[:0]
	for _, id := range sl.IDs {
		into := f.Into(id)
		if !seen[into] {
			seen[into] = true
			ids = append(ids, into)
		}
	}
	sl.IDs = ids
	pairs := sl.Pairs[:0]
	for _, p := range sl.Pairs {
		a, b := f.Into(p[0]), f.Into(p[1])
		if a != b {
			pairs = append(pairs, [2]string{a, b})
		}
	}
	sl.Pairs = pairs
	return folds
}

// mergeStatusInto gives into the status and basis of it and others merged
// (MergedStatus).
func mergeStatusInto(into *Entity, others []*Entity) {
	if len(others) == 0 {
		return
	}
	statuses, bases := []AssertionStatus{into.Status}, []string{deref(into.Basis)}
	for _, o := range others {
		statuses, bases = append(statuses, o.Status), append(bases, deref(o.Basis))
	}
	st, basis := MergedStatus(statuses, bases)
	into.Status, into.Basis = st, nil
	if basis != "" {
		into.Basis = &basis
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
