package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Mention is a name of the text that stands for a node: one the graph
// knows (a name, English name or alias of it), or a place of the shipped
// geography an address names.
type Mention struct {
	Span
	Text      string // the text's own writing, an exact substring
	Quote     string // the clause or sentence holding it, an exact substring
	QuoteSpan Span
	Source    string // the id of the source it stands in
	// Candidates, best first; Chosen is the id picked, or "" when the
	// context does not settle it.
	Candidates []*Candidate
	Chosen     string
	Reason     string // why Chosen (or why none)
	// Address is true when an address (ตำบล… อำเภอ… จังหวัด…) names it.
	Address bool
	// narrowed: the address's other parts chose among its places, so the
	// graph's places of the same name that do not fit are not candidates
	narrowed bool
}

// Candidate is one node a mention may stand for.
type Candidate struct {
	ID, Label, Name string
	Score           float64
	Reason          string
	// New is true for a place of the datasets the graph does not hold yet:
	// the draft proposes it (with Place).
	New   bool
	Place *GeoPlace
}

// quoteOf is the clause around sp: within its line, reaching out at least
// 60 characters either side and on to the next white space, trimmed; an
// exact substring of the text.
func quoteOf(d *document, sp Span) Span {
	n := d.runes()
	isSpace := func(i int) bool {
		r, _ := utf8.DecodeRuneInString(d.text[d.byteAt[i]:])
		return unicode.IsSpace(r)
	}
	isNL := func(i int) bool { return d.text[d.byteAt[i]] == '\n' }
	s := sp.Start
	for s > 0 && !isNL(s-1) && (sp.Start-s < 60 || !isSpace(s-1)) && sp.Start-s < 240 {
		s--
	}
	e := sp.End
	for e < n && !isNL(e) && (e-sp.End < 60 || !isSpace(e)) && e-sp.End < 240 {
		e++
	}
	return d.trim(Span{s, e})
}

// rawHit is a name found in the stream, in text offsets.
type rawHit struct {
	Span
	refs  []nameRef
	loose bool
}

// findNames lists the index's names that stand on word boundaries of the
// text, longest first where they overlap; nested holds the region and
// province names that fall inside a longer name (ขบวนภาคตะวันตก holds
// ภาคตะวันตก), which are context, not mentions.
func findNames(st *stream, seg *segmentation, snap *snapshot) (hits, nested []rawHit) {
	var all []rawHit
	for _, h := range seg.hits {
		k := h.key
		refs := snap.refs(k)
		if commonWord(k) && !placeCue(st, h.start) {
			refs = slices.DeleteFunc(slices.Clone(refs), func(r nameRef) bool {
				n := snap.node(r.node)
				return n != nil && n.IsPlace()
			})
		}
		if len(refs) > 0 {
			all = append(all, rawHit{Span: Span{st.origStart[h.start], st.origEnd[h.end-1]}, refs: refs})
		}
	}
	all = append(all, findLoose(st, seg, snap)...)
	sort.SliceStable(all, func(i, j int) bool {
		li, lj := all[i].End-all[i].Start, all[j].End-all[j].Start
		if li != lj {
			return li > lj
		}
		return all[i].Start < all[j].Start
	})
	// an actor or place written inside the name of an event or program
	// (ขบวนภาคเหนือที่เชียงราย, the northern gathering at Chiang Rai) is a
	// mention of its own
	actorOrPlace := func(h rawHit) bool {
		for _, r := range h.refs {
			if n := snap.node(r.node); n != nil && (n.IsActor() || n.IsPlace()) {
				return true
			}
		}
		return false
	}
	var taken []Span
	var takenHit []rawHit
	for _, h := range all {
		over := false
		for i, t := range taken {
			if h.Start < t.End && t.Start < h.End {
				if actorOrPlace(takenHit[i]) || !actorOrPlace(h) || h.Start < t.Start || h.End > t.End {
					over = true
					break
				}
			}
		}
		if !over {
			takenHit = append(takenHit, h)
			taken = append(taken, h.Span)
			hits = append(hits, h)
			continue
		}
		for _, r := range h.refs {
			if n := snap.node(r.node); n != nil && (n.Label == "Region" || n.Label == "Province") {
				nested = append(nested, h)
				break
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits, nested
}

// findLoose finds the names written with other tone marks, ็ or ์ than
// the graph's (loanwords: เครดิตยูเนียน for เครดิตยูเนี่ยน), at word
// boundaries, where no exact name begins.
func findLoose(st *stream, seg *segmentation, snap *snapshot) []rawHit {
	if !snap.hasLoose() {
		return nil
	}
	// the loose stream: the stream without the marks, and for each of its
	// runes the stream rune it came from
	var b strings.Builder
	var from []int
	for i := 0; i < st.n(); i++ {
		r := st.runeAt(i)
		if looseKey(string(r)) == "" {
			continue
		}
		from = append(from, i)
		b.WriteRune(r)
	}
	ls := b.String()
	at := make([]int, 0, len(from)+1)
	for i := range ls {
		at = append(at, i)
	}
	at = append(at, len(ls))
	exact := map[int]bool{}
	for _, h := range seg.hits {
		exact[h.start] = true
	}
	var out []rawHit
	for li, si := range from {
		if !seg.bound[si] || exact[si] || st.class[si] != classThai {
			continue
		}
		snap.walkLoose(ls, at[li], len(ls), func(end int, lk string) {
			le := sort.SearchInts(at, end) // loose rune index after the match
			se := st.n()
			if le < len(from) {
				se = from[le]
			}
			// the marks after the last matched letter belong to it
			if !seg.bound[se] {
				return
			}
			var refs []nameRef
			for _, sk := range snap.looseKeys(lk) {
				refs = append(refs, snap.refs(sk)...)
			}
			if len(refs) == 0 { // names the changes since took away
				return
			}
			out = append(out, rawHit{Span: Span{st.origStart[si], st.origEnd[se-1]}, refs: refs, loose: true})
		})
	}
	return out
}

// candidatesOf turns a hit's names into candidates, one per node.
func candidatesOf(h rawHit, snap *snapshot) []*Candidate {
	var out []*Candidate
	for _, r := range h.refs {
		n := snap.node(r.node)
		if n == nil {
			continue
		}
		score, why := 1.0, fmt.Sprintf("the %s %q", r.how, r.name)
		if r.how == "alias" {
			score = 0.95
		}
		if h.loose {
			score -= 0.15
			why += ", written with other tone marks (a loanword's spelling)"
		}
		if i := slices.IndexFunc(out, func(c *Candidate) bool { return c.ID == n.ID }); i >= 0 {
			if score > out[i].Score {
				out[i].Score, out[i].Reason = score, why
			}
			continue
		}
		out = append(out, &Candidate{ID: n.ID, Label: n.Label, Name: n.Name, Score: score, Reason: why})
	}
	return out
}

// commonWord reports whether a key is a short everyday word of the
// dictionary: the provinces เลย ("at all"), ตาก ("to dry"), แพร่ ("to
// spread") are such words, and stand for the place only after a word that
// leads to a place (placeCue).
func commonWord(key string) bool {
	return len([]rune(key)) <= 4 && dictionary().has(key)
}

// placeCue reports whether the word before rune i leads to a place: ที่
// "at", จังหวัด, จ., ไป "to", มา, จาก "from", ใน "in", ถึง, เมือง, ชาว.
func placeCue(st *stream, i int) bool {
	for _, w := range []string{"ที่", "จังหวัด", "จ", "ไป", "มา", "จาก", "ใน", "ถึง", "เมือง", "ชาว"} {
		if strings.HasSuffix(st.s[:st.at[i]], w) {
			return true
		}
	}
	return false
}
