package analyze

import (
	"strings"
	"sync"

	"github.com/phakhi/phakhi/data"
)

// Thai is written without spaces between words, so where a name may begin
// and end is decided by a word segmenter: a short alias must not match
// inside a longer word (ผอ. "the director" is not the start of ผอม "thin").
//
// The segmenter is dictionary-based maximal matching: of all the ways to
// cut a run of Thai into words of the dictionary, the one with the fewest
// characters left unknown and then the fewest words. The dictionary is
// PyThaiNLP's CC0 word list (data/thai-words) together with every name in
// the index, so the graph's own names are words. It is written here rather
// than taken from a library: the Go ports of Thai word cutting
// (narongdejsrn/go-thaiwordcut and its forks) have not been maintained
// since 2018-2022, load their dictionary from a path at run time, and
// could not take the index's names as words or tell us where a removed dot
// or space stood, which the matching needs.

var (
	wordsOnce sync.Once
	words     *lexicon
)

// dictionary is the word list, normalised like the text (dots and spaces
// removed: "ก.พ." is "กพ").
func dictionary() *lexicon {
	wordsOnce.Do(func() {
		lines := strings.Split(data.ThaiWords, "\n")
		keys := make([]string, 0, len(lines))
		for _, w := range lines {
			if k := normKey(w); k != "" {
				keys = append(keys, k)
			}
		}
		words = newLexicon(keys)
	})
	return words
}

// Thai characters that cannot begin a word (vowels written after or above
// or below a consonant, tone marks) and that cannot end one (vowels
// written before their consonant).
func followsConsonant(r rune) bool {
	return r == 'ะ' || r == 'ั' || r == 'า' || r == 'ำ' || (r >= 'ิ' && r <= 'ฺ') || (r >= '็' && r <= '๎') || r == 'ๅ'
}
func precedesConsonant(r rune) bool { return r >= 'เ' && r <= 'ไ' }

// A nameHit is a key of the name lexicon found in the stream, from rune
// start to rune end.
type nameHit struct {
	start, end int
	key        string
	loose      bool
}

// segmentation is the word boundaries of a stream (bound[i]: a word
// begins at rune i; bound[n] is true) and the name keys found where words
// begin and end.
type segmentation struct {
	bound []bool
	hits  []nameHit
}

func (st *stream) runeAt(i int) rune {
	for _, r := range st.s[st.at[i]:] {
		return r
	}
	return 0
}

// segment cuts the stream into words and finds the names of lex (and of
// loose, the names' loose keys, matched against the stream's loose form)
// that start and end on word boundaries.
func segment(st *stream, snap *snapshot) *segmentation {
	n := st.n()
	dict := dictionary()
	seg := &segmentation{bound: make([]bool, n+1)}
	seg.bound[n] = true
	runes := make([]rune, n)
	for i := range runes {
		runes[i] = st.runeAt(i)
	}
	toRune := func(b, from int) int { // the rune index whose byte offset is b, searching from rune from
		for from <= n && st.at[from] < b {
			from++
		}
		return from
	}
	var hits []nameHit
	ends := make([][]int, n) // dictionary and name ends from each Thai rune, within its run
	for i := 0; i < n; {
		c := st.class[i]
		j := i + 1
		for j < n && !st.brk[j] && st.class[j] == c && c != classOther {
			j++
		}
		if c != classThai {
			// a run of Latin letters or digits is one word; any other
			// character is a word of its own
			seg.bound[i] = true
			for k := i; k < j; k++ {
				snap.walk(st.s, st.at[k], len(st.s), func(end int, key string, _ bool) {
					hits = append(hits, nameHit{start: k, end: toRune(end, k), key: key})
				})
			}
			i = j
			continue
		}
		// a Thai run [i, j): every word and name that starts in it
		limit := st.at[j]
		for k := i; k < j; k++ {
			if k > i && followsConsonant(runes[k]) {
				continue
			}
			dict.walk(st.s, st.at[k], limit, func(end, _ int) {
				ends[k] = append(ends[k], toRune(end, k))
			})
			snap.walk(st.s, st.at[k], len(st.s), func(end int, key string, phrase bool) {
				e := toRune(end, k)
				hits = append(hits, nameHit{start: k, end: e, key: key})
				if e <= j && !phrase {
					ends[k] = append(ends[k], e)
				}
			})
		}
		cutRun(seg.bound, runes, ends, i, j)
		i = j
	}
	for _, h := range hits {
		if seg.bound[h.start] && seg.bound[h.end] {
			seg.hits = append(seg.hits, h)
		}
	}
	return seg
}

// cutRun is maximal matching over the Thai run [a, b): it marks in bound
// the word starts of the best cut (fewest unknown characters, then fewest
// words). ends[k] lists where the words starting at k end. An unknown
// stretch runs from a character that can begin a word to the next place
// where a known word begins (or the run ends).
func cutRun(bound []bool, runes []rune, ends [][]int, a, b int) {
	const inf = int(^uint(0) >> 1)
	cost := make([]int, b-a+1)
	prev := make([]int, b-a+1)
	for i := range cost {
		cost[i] = inf
	}
	cost[0] = 0
	canEnd := func(e int) bool {
		return e == b || !followsConsonant(runes[e]) && !precedesConsonant(runes[e-1])
	}
	for k := a; k < b; k++ {
		c := cost[k-a]
		if c == inf {
			continue
		}
		for _, e := range ends[k] {
			if canEnd(e) && c+1 < cost[e-a] {
				cost[e-a], prev[e-a] = c+1, k
			}
		}
		// unknown: to the next place a word can begin
		e := k + 1
		for e < b && (!canEnd(e) || len(ends[e]) == 0) {
			e++
		}
		if u := c + 100*(e-k) + 1; u < cost[e-a] {
			cost[e-a], prev[e-a] = u, k
		}
	}
	for e := b; e > a; e = prev[e-a] {
		bound[prev[e-a]] = true
	}
	bound[a] = true
}
