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
	lo, hi := 0, len(l.keys)
	for p := from; p < limit && lo < hi; p++ {
		c, n := s[p], p-from
		keys := l.keys[lo:hi]
		a := sort.Search(len(keys), func(i int) bool { k := keys[i]; return len(k) > n && k[n] >= c })
		keys = keys[a:]
		z := sort.Search(len(keys), func(i int) bool { return keys[i][n] > c })
		lo, hi = lo+a, lo+a+z
		if lo < hi && len(l.keys[lo]) == n+1 {
			fn(p+1, lo)
		}
	}
}
