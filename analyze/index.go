package analyze

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/phakhi/phakhi/domain"
)

// A Node is what the index knows of a node of the graph.
type Node struct {
	ID, Label, Kind, Name, NameEn, Code string
	Aliases                             []string
	Start                               string // ISO start date (events)
	// Parents are the nodes it is PART_OF or LOCATED_IN; Neighbors every
	// node tied to it by another relationship, either way.
	Parents, Neighbors []string
	// refs are its names under their keys, normalised once when the node
	// enters the index (a rebuild after a change re-reads only the nodes
	// changed)
	refs []keyedRef
}

type keyedRef struct {
	key string
	ref nameRef
}

// IsActor and IsPlace say which of the graph's shared labels the node has.
func (n *Node) IsActor() bool { return domain.SharedLabel(n.Label) == domain.LabelActor }
func (n *Node) IsPlace() bool { return domain.SharedLabel(n.Label) == domain.LabelPlace }

// A nameRef is one name of one node under one key.
type nameRef struct {
	node string
	name string // as the graph writes it
	how  string // "name", "English name", "alias"
}

// snapshot is one immutable state of the index; Analyze reads one while
// the change feed builds the next.
type snapshot struct {
	nodes map[string]*Node
	byKey map[string][]nameRef // strict key -> names
	lex   *lexicon             // the strict keys
	// phrase[k]: key k names only events, programs and strategy sides,
	// phrases that hold the names of actors and places (ขบวนภาคเหนือที่
	// เชียงราย); the segmenter does not take them as words
	phrase []bool
	loose  map[string][]string // loose key -> strict keys (loanword spellings)
	llex   *lexicon
	names  int
	// events by their ISO start date
	eventsOn map[string][]string
}

// An Index holds every name and alias of every node of the graph,
// normalised, in memory. It is built from a bundle of names (the store's
// NameBundle) and kept up to date with Apply; reads never wait for writes.
type Index struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
}

// NewIndex makes an index of the nodes of b.
func NewIndex(b *domain.Bundle) *Index {
	ix := &Index{}
	ix.snap.Store(build(map[string]*Node{}, b, nil))
	return ix
}

// Apply brings the index up to date: the nodes of b replace those with
// their ids (with their relationships), and the ids of gone are removed.
func (ix *Index) Apply(b *domain.Bundle, gone []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.snap.Load()
	nodes := make(map[string]*Node, len(old.nodes)+len(b.Nodes))
	for id, n := range old.nodes {
		nodes[id] = n
	}
	ix.snap.Store(build(nodes, b, gone))
}

// Len is the number of nodes and of names the index holds.
func (ix *Index) Len() (nodes, names int) {
	s := ix.snap.Load()
	return len(s.nodes), s.names
}

// Node is the indexed node of id, or nil.
func (ix *Index) Node(id string) *Node { return ix.snap.Load().nodes[id] }

// indexed reports whether a node of this label has its names indexed:
// every label but the agenda's sessions (whose names are phrases such as
// ลงทะเบียน "registration") and sources (named after their documents).
func indexed(label string) bool {
	return label != domain.LabelAgendaSession && label != domain.LabelSource
}

func build(nodes map[string]*Node, b *domain.Bundle, gone []string) *snapshot {
	for _, id := range gone {
		delete(nodes, id)
	}
	if b != nil {
		fresh := map[string]*Node{}
		for _, r := range b.Nodes {
			n := &Node{ID: r.ID, Label: r.Label, Kind: r.Kind, Name: r.Name, NameEn: r.NameEn, Code: r.Code, Aliases: r.Aliases}
			if r.Start != nil {
				n.Start = r.Start.Date
			}
			nodes[r.ID], fresh[r.ID] = n, n
		}
		for _, r := range b.Relationships {
			if r.Type == domain.RelMentions {
				continue
			}
			from, to := fresh[r.From], fresh[r.To]
			if r.Type == domain.RelPartOf || r.Type == domain.RelLocatedIn {
				if from != nil && !slices.Contains(from.Parents, r.To) {
					from.Parents = append(from.Parents, r.To)
				}
				continue
			}
			if from != nil && !slices.Contains(from.Neighbors, r.To) {
				from.Neighbors = append(from.Neighbors, r.To)
			}
			if to != nil && !slices.Contains(to.Neighbors, r.From) {
				to.Neighbors = append(to.Neighbors, r.From)
			}
		}
	}
	s := &snapshot{nodes: nodes, byKey: map[string][]nameRef{}, loose: map[string][]string{}, eventsOn: map[string][]string{}}
	for _, n := range nodes {
		if n.Label == domain.LabelEvent && n.Start != "" {
			s.eventsOn[n.Start] = append(s.eventsOn[n.Start], n.ID)
		}
		if !indexed(n.Label) {
			continue
		}
		if n.refs == nil {
			n.refs = []keyedRef{}
			add := func(name, how string) {
				k := normKey(name)
				if k == "" || !hasThai(k) && len([]rune(k)) < 3 { // "WU" would match any "wu"
					return
				}
				for _, r := range n.refs {
					if r.key == k {
						return
					}
				}
				n.refs = append(n.refs, keyedRef{k, nameRef{node: n.ID, name: name, how: how}})
			}
			add(n.Name, "name")
			if n.NameEn != "" {
				add(n.NameEn, "English name")
			}
			for _, a := range n.Aliases {
				add(a, "alias")
			}
		}
		for _, r := range n.refs {
			s.byKey[r.key] = append(s.byKey[r.key], r.ref)
			s.names++
		}
	}
	keys := make([]string, 0, len(s.byKey))
	for k := range s.byKey {
		keys = append(keys, k)
		if l := looseKey(k); l != k && len([]rune(l)) >= 5 {
			s.loose[l] = append(s.loose[l], k)
		}
	}
	s.lex = newLexicon(keys)
	s.phrase = make([]bool, len(s.lex.keys))
	for i, k := range s.lex.keys {
		s.phrase[i] = true
		for _, r := range s.byKey[k] {
			if n := nodes[r.node]; n.IsActor() || n.IsPlace() {
				s.phrase[i] = false
			}
		}
	}
	lk := make([]string, 0, len(s.loose))
	for k := range s.loose {
		lk = append(lk, k)
	}
	s.llex = newLexicon(lk)
	return s
}

// ancestors are the places and bodies n is part of or located in, nearest
// first.
func (s *snapshot) ancestors(id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 && len(out) < 32 {
		n := s.nodes[queue[0]]
		queue = queue[1:]
		if n == nil {
			continue
		}
		for _, p := range n.Parents {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
				queue = append(queue, p)
			}
		}
	}
	return out
}
