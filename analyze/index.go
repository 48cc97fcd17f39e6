package analyze

import (
	"maps"
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
// the change feed builds the next. It is a base, built whole, and an
// overlay of the changes applied since (top): a change costs the work of
// the names it touches and a copy of the overlay, not a rebuild of the
// base's hundreds of thousands of keys. Once the overlay outgrows
// compactAfter, the next change rebuilds the base with it folded in.
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
	// events by their ISO start date
	eventsOn map[string][]string

	top          *overlay // nil: no change since the base was built
	count, names int      // nodes and names, the overlay's included
}

// overlay is what the changes since the base say: the nodes they replaced
// or removed, and for every key, loose key and date they touched, its
// entry now. Its lexicons hold only the keys the base's lack.
type overlay struct {
	nodes    map[string]*Node     // nil: removed
	byKey    map[string][]nameRef // empty: no name has the key now
	phrase   map[string]bool
	lex      *lexicon
	loose    map[string][]string
	llex     *lexicon
	eventsOn map[string][]string
}

// compactAfter is how many changed nodes the overlay holds before the base
// is rebuilt: the overlay is copied on every change and the rebuild is
// paid once for that many changes, so both stay a small cost per change.
var compactAfter = func(baseNodes int) int { return 1024 + baseNodes/32 }

// An Index holds every name and alias of every node of the graph,
// normalised, in memory. It is built from a bundle of names (the store's
// NameBundle) and kept up to date with Apply; reads never wait for writes.
type Index struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
}

// NewIndex makes an index of the nodes of b.
func NewIndex(b *domain.Bundle) *Index {
	bl := NewBuilder()
	bl.Add(b)
	return bl.Index()
}

// A Builder makes an Index of bundles added one after another: the pages
// of the store's NamePages, so that the records of the whole graph are
// never held at once. Each bundle must hold whole nodes, every one with
// all of its relationships (as NamePages reads them); a relationship to a
// node of another page then reaches both ends, each from its own page.
type Builder struct{ nodes map[string]*Node }

// NewBuilder makes an empty Builder.
func NewBuilder() *Builder { return &Builder{nodes: map[string]*Node{}} }

// Add adds the nodes of b.
func (bl *Builder) Add(b *domain.Bundle) { maps.Copy(bl.nodes, freshNodes(b)) }

// Index builds the index of the nodes added.
func (bl *Builder) Index() *Index {
	ix := &Index{}
	ix.snap.Store(build(bl.nodes))
	return ix
}

// Apply brings the index up to date: the nodes of b replace those with
// their ids (with their relationships), and the ids of gone are removed.
func (ix *Index) Apply(b *domain.Bundle, gone []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.snap.Load()
	fresh := freshNodes(b)
	changed := map[string]bool{}
	for id := range fresh {
		changed[id] = true
	}
	for _, id := range gone {
		if fresh[id] == nil {
			changed[id] = true
		}
	}
	if len(changed) == 0 {
		return
	}
	held := 0
	if old.top != nil {
		held = len(old.top.nodes)
	}
	if held+len(changed) > compactAfter(len(old.nodes)) {
		nodes := old.allNodes()
		for id := range changed {
			if n := fresh[id]; n != nil {
				nodes[id] = n
			} else {
				delete(nodes, id)
			}
		}
		ix.snap.Store(build(nodes))
		return
	}
	ix.snap.Store(old.with(fresh, changed))
}

// Len is the number of nodes and of names the index holds.
func (ix *Index) Len() (nodes, names int) {
	s := ix.snap.Load()
	return s.count, s.names
}

// Node is the indexed node of id, or nil.
func (ix *Index) Node(id string) *Node { return ix.snap.Load().node(id) }

// indexed reports whether a node of this label has its names indexed:
// every label but the agenda's sessions (whose names are phrases such as
// ลงทะเบียน "registration") and sources (named after their documents).
func indexed(label string) bool {
	return label != domain.LabelAgendaSession && label != domain.LabelSource
}

// freshNodes are the nodes of b, with the relationships of b between them
// and to others.
func freshNodes(b *domain.Bundle) map[string]*Node {
	fresh := map[string]*Node{}
	if b == nil {
		return fresh
	}
	for _, r := range b.Nodes {
		n := &Node{ID: r.ID, Label: r.Label, Kind: r.Kind, Name: r.Name, NameEn: r.NameEn, Code: r.Code, Aliases: r.Aliases}
		if r.Start != nil {
			n.Start = r.Start.Date
		}
		fresh[r.ID] = n
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
	return fresh
}

// names are n's names under their keys (none for a label not indexed),
// normalised once, when first asked.
func (n *Node) names() []keyedRef {
	if n.refs != nil || !indexed(n.Label) {
		return n.refs
	}
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
	return n.refs
}

// looseOf is the loose key a strict key is listed under, or "".
func looseOf(k string) string {
	if l := looseKey(k); l != k && len([]rune(l)) >= 5 {
		return l
	}
	return ""
}

// isPhrase: every node a key names is neither an actor nor a place.
func isPhrase(refs []nameRef, node func(string) *Node) bool {
	for _, r := range refs {
		if n := node(r.node); n != nil && (n.IsActor() || n.IsPlace()) {
			return false
		}
	}
	return true
}

// build makes a base of nodes (which it keeps: the caller hands it over).
func build(nodes map[string]*Node) *snapshot {
	s := &snapshot{nodes: nodes, byKey: map[string][]nameRef{}, loose: map[string][]string{}, eventsOn: map[string][]string{}, count: len(nodes)}
	for _, n := range nodes {
		if n.Label == domain.LabelEvent && n.Start != "" {
			s.eventsOn[n.Start] = append(s.eventsOn[n.Start], n.ID)
		}
		for _, r := range n.names() {
			s.byKey[r.key] = append(s.byKey[r.key], r.ref)
			s.names++
		}
	}
	keys := make([]string, 0, len(s.byKey))
	for k := range s.byKey {
		keys = append(keys, k)
		if l := looseOf(k); l != "" {
			s.loose[l] = append(s.loose[l], k)
		}
	}
	s.lex = newLexicon(keys)
	s.phrase = make([]bool, len(s.lex.keys))
	for i, k := range s.lex.keys {
		s.phrase[i] = isPhrase(s.byKey[k], s.node)
	}
	lk := make([]string, 0, len(s.loose))
	for k := range s.loose {
		lk = append(lk, k)
	}
	s.llex = newLexicon(lk)
	return s
}

// with is s with the nodes of changed replaced by those of fresh (absent
// there: removed), in a copy of s's overlay.
func (s *snapshot) with(fresh map[string]*Node, changed map[string]bool) *snapshot {
	t := &overlay{nodes: map[string]*Node{}, byKey: map[string][]nameRef{}, phrase: map[string]bool{}, loose: map[string][]string{}, eventsOn: map[string][]string{}}
	if o := s.top; o != nil {
		t.nodes, t.byKey, t.phrase, t.loose, t.eventsOn = maps.Clone(o.nodes), maps.Clone(o.byKey), maps.Clone(o.phrase), maps.Clone(o.loose), maps.Clone(o.eventsOn)
	}
	next := *s
	next.top = t
	keys := map[string][]nameRef{} // touched key -> the fresh nodes' names under it
	dates := map[string]bool{}
	for id := range changed {
		if o := s.node(id); o != nil {
			next.count--
			for _, r := range o.names() {
				next.names--
				if _, ok := keys[r.key]; !ok {
					keys[r.key] = nil
				}
			}
			if o.Label == domain.LabelEvent && o.Start != "" {
				dates[o.Start] = true
			}
		}
		n := fresh[id]
		t.nodes[id] = n
		if n == nil {
			continue
		}
		next.count++
		for _, r := range n.names() {
			next.names++
			keys[r.key] = append(keys[r.key], r.ref)
		}
		if n.Label == domain.LabelEvent && n.Start != "" {
			dates[n.Start] = true
		}
	}
	for k, added := range keys {
		var refs []nameRef
		for _, r := range s.refs(k) {
			if !changed[r.node] {
				refs = append(refs, r)
			}
		}
		refs = append(refs, added...)
		t.byKey[k] = refs
		if l := looseOf(k); l != "" && len(refs) > 0 {
			if lks := s.looseKeys(l); !slices.Contains(lks, k) {
				t.loose[l] = append(slices.Clip(lks), k)
			}
		}
	}
	for k := range keys { // once every touched key has its names
		t.phrase[k] = isPhrase(t.byKey[k], next.node)
	}
	for d := range dates {
		var evs []string
		for _, id := range s.events(d) {
			if !changed[id] {
				evs = append(evs, id)
			}
		}
		for id := range changed {
			if n := fresh[id]; n != nil && n.Label == domain.LabelEvent && n.Start == d {
				evs = append(evs, id)
			}
		}
		t.eventsOn[d] = evs
	}
	var lk, llk []string
	for k, refs := range t.byKey {
		if len(refs) > 0 && !s.lex.has(k) {
			lk = append(lk, k)
		}
	}
	for l := range t.loose {
		if !s.llex.has(l) {
			llk = append(llk, l)
		}
	}
	t.lex, t.llex = newLexicon(lk), newLexicon(llk)
	return &next
}

// allNodes is a new map of every node s holds.
func (s *snapshot) allNodes() map[string]*Node {
	nodes := maps.Clone(s.nodes)
	if s.top != nil {
		for id, n := range s.top.nodes {
			if n != nil {
				nodes[id] = n
			} else {
				delete(nodes, id)
			}
		}
	}
	return nodes
}

// node is the node of id, or nil.
func (s *snapshot) node(id string) *Node {
	if s.top != nil {
		if n, ok := s.top.nodes[id]; ok {
			return n
		}
	}
	return s.nodes[id]
}

// refs are the names under key k.
func (s *snapshot) refs(k string) []nameRef {
	if s.top != nil {
		if r, ok := s.top.byKey[k]; ok {
			return r
		}
	}
	return s.byKey[k]
}

// looseKeys are the strict keys under loose key l.
func (s *snapshot) looseKeys(l string) []string {
	if s.top != nil {
		if r, ok := s.top.loose[l]; ok {
			return r
		}
	}
	return s.loose[l]
}

// events are the ids of the events that start on ISO date d.
func (s *snapshot) events(d string) []string {
	if s.top != nil {
		if r, ok := s.top.eventsOn[d]; ok {
			return r
		}
	}
	return s.eventsOn[d]
}

// walk calls fn(end, key, phrase) for every key that text[from:end]
// equals, end <= limit, shortest first: the base's keys (those the
// overlay left without a name skipped) and the overlay's, in one pass.
func (s *snapshot) walk(text string, from, limit int, fn func(end int, key string, phrase bool)) {
	base := s.lex.cursor(text, from, limit)
	if s.top == nil {
		for end, k, ok := base.next(); ok; end, k, ok = base.next() {
			fn(end, s.lex.keys[k], s.phrase[k])
		}
		return
	}
	t := s.top
	more := t.lex.cursor(text, from, limit)
	be, bk, bok := base.next()
	me, mk, mok := more.next()
	for bok || mok {
		if bok && (!mok || be < me) {
			key := s.lex.keys[bk]
			if refs, over := t.byKey[key]; !over {
				fn(be, key, s.phrase[bk])
			} else if len(refs) > 0 {
				fn(be, key, t.phrase[key])
			}
			be, bk, bok = base.next()
			continue
		}
		key := t.lex.keys[mk]
		fn(me, key, t.phrase[key])
		me, mk, mok = more.next()
	}
}

// walkLoose calls fn(end, looseKey) for every loose key that text[from:end]
// equals, end <= limit, shortest first.
func (s *snapshot) walkLoose(text string, from, limit int, fn func(end int, key string)) {
	base := s.llex.cursor(text, from, limit)
	var more cursor
	if s.top != nil {
		more = s.top.llex.cursor(text, from, limit)
	}
	be, bk, bok := base.next()
	me, mk, mok := more.next()
	for bok || mok {
		if bok && (!mok || be < me) {
			fn(be, s.llex.keys[bk])
			be, bk, bok = base.next()
		} else {
			fn(me, s.top.llex.keys[mk])
			me, mk, mok = more.next()
		}
	}
}

// hasLoose reports whether any loose key is held.
func (s *snapshot) hasLoose() bool {
	return len(s.llex.keys) > 0 || s.top != nil && len(s.top.llex.keys) > 0
}

// ancestors are the places and bodies n is part of or located in, nearest
// first.
func (s *snapshot) ancestors(id string) []string {
	var out []string
	seen := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 && len(out) < 32 {
		n := s.node(queue[0])
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
