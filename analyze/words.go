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
