package analyze

import (
	"slices"
	"sort"
)

// A lexicon is a sorted list of distinct keys, searched for every key that
// begins a text at a position: the keys that share a prefix are one run of
// the list, so each byte read narrows the run by two binary searches. It
// costs the keys' bytes and a slice header each, far less than a trie of
// maps, and a new lexicon is one sort.
type lexicon struct {
	keys []string
}

func newLexicon(keys []string) *lexicon {
	k := slices.Clone(keys)
	slices.Sort(k)
	return &lexicon{keys: slices.Compact(k)}
}

func (l *lexicon) has(key string) bool {
	_, ok := slices.BinarySearch(l.keys, key)
	return ok
}

// walk calls fn(end, k) for every key k (an index into keys) equal to
// s[from:end], end <= limit, shortest first.
func (l *lexicon) walk(s string, from, limit int, fn func(end, k int)) {
	c := l.cursor(s, from, limit)
	for end, k, ok := c.next(); ok; end, k, ok = c.next() {
		fn(end, k)
	}
}

// A cursor walks the keys that begin s at from, shortest first (a
// cursor of no lexicon finds none): two of them walk two lexicons as one.
type cursor struct {
	l                      *lexicon
	s                      string
	from, p, limit, lo, hi int
}

func (l *lexicon) cursor(s string, from, limit int) cursor {
	return cursor{l: l, s: s, from: from, p: from, limit: limit, hi: len(l.keys)}
}

// next is the next key s[from:end] equals: its end and its index.
func (c *cursor) next() (end, k int, ok bool) {
	for c.p < c.limit && c.lo < c.hi {
		ch, n := c.s[c.p], c.p-c.from
		keys := c.l.keys[c.lo:c.hi]
		a := sort.Search(len(keys), func(i int) bool { k := keys[i]; return len(k) > n && k[n] >= ch })
		keys = keys[a:]
		z := sort.Search(len(keys), func(i int) bool { return keys[i][n] > ch })
		c.lo, c.hi = c.lo+a, c.lo+a+z
		c.p++
		if c.lo < c.hi && len(c.l.keys[c.lo]) == n+1 {
			return c.p, c.lo, true
		}
	}
	return 0, 0, false
}
