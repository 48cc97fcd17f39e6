package analyze

import "unicode/utf8"

var noNames = build(map[string]*Node{}) // an index of no names: the dictionary alone

// WordStarts tells where words begin in text, by the segmenter the
// analysis uses (maximal matching on the Thai word list; a run of Latin
// letters or digits is one word; spaces and dots separate words): starts[i]
// for the rune offset i of text, with starts[len] true. A word never
// starts inside a Thai character cluster (a vowel above or below, a tone
// mark), so a cut at a word start is also a cut between characters.
func WordStarts(text string) []bool {
	n := utf8.RuneCountInString(text)
	starts := make([]bool, n+1)
	starts[n] = true
	st := newStream(text)
	if st.n() == 0 {
		return starts
	}
	seg := segment(st, noNames)
	for i := 0; i < st.n(); i++ {
		if seg.bound[i] || st.brk[i] {
			starts[st.origStart[i]] = true
		}
		// a removed character (space, dot) ends the word before it
		if i > 0 && st.origStart[i] > st.origEnd[i-1] {
			starts[st.origEnd[i-1]] = true
		}
	}
	return starts
}

// Words are the words of text, as WordStarts cuts it, without the spaces
// and dots between them.
func Words(text string) []string {
	starts := WordStarts(text)
	runes := []rune(text)
	var out []string
	from := -1
	for i := 0; i <= len(runes); i++ {
		if i < len(runes) && removable(runes[i]) {
			if from >= 0 {
				out = append(out, string(runes[from:i]))
			}
			from = -1
			continue
		}
		if starts[i] || i == len(runes) {
			if from >= 0 {
				out = append(out, string(runes[from:i]))
			}
			from = i
		}
	}
	return out
}

// WordStartsNear is WordStarts for the part of runes around [from, to)
// alone: the part is widened outwards to the nearest removable characters
// (spaces, dots, zero-width marks), where the segmenter's runs break and
// no word or normalized character crosses, so starts[i] equals
// WordStarts(string(runes))[lo+i] for every i in [0, hi-lo]. Cutting a
// snippet from a long text this way segments a window around the match,
// not the whole text. A text without a removable character near the
// window is segmented whole up to the next one: the answer stays exact.
func WordStartsNear(runes []rune, from, to int) (lo int, starts []bool) {
	lo = max(0, min(from, len(runes)))
	for lo > 0 && !(removable(runes[lo-1]) && !removable(runes[lo])) {
		lo--
	}
	// hi: where a word ends at a removable character that more of the
	// text follows (a removable tail is the whole text's end)
	hi := max(lo, min(to, len(runes)))
	for hi < len(runes) && !(hi > lo && removable(runes[hi]) && !removable(runes[hi-1])) {
		hi++
	}
	tail := hi
	for tail < len(runes) && removable(runes[tail]) {
		tail++
	}
	if tail == len(runes) {
		hi = tail
	}
	return lo, WordStarts(string(runes[lo:hi]))
}
