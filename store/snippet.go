package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/phakhi/phakhi/analyze"
)

// snippet is the text around the first match: about 60 characters on
// each side, cut where words begin (by the analysis' segmenter, so never
// inside a Thai word or character cluster: no snippet starts with a vowel
// or tone mark written above or below its consonant), with … where it is
// cut. Only a window around the match is segmented
// (analyze.WordStartsNear), so a long description costs its window, not
// its length.
func snippet(text, lowerQuery string) string {
	runes := []rune(text)
	at, n := -1, utf8.RuneCountInString(lowerQuery)
	if lower := strings.ToLower(text); utf8.RuneCountInString(lower) == len(runes) {
		// lowering kept one rune per rune: a byte offset in lower is the
		// same rune offset in text
		if b := strings.Index(lower, lowerQuery); b >= 0 && lowerQuery != "" {
			at = utf8.RuneCountInString(lower[:b])
		}
	}
	if at < 0 {
		at, n = 0, 0
	}
	end := at + n
	// the match itself whole, on character boundaries
	for at > 0 && !clusterStart(runes, at) {
		at--
	}
	for end < len(runes) && !clusterStart(runes, end) {
		end++
	}
	// the first word start at or after 60 before the match, the last at
	// or before 60 after it
	from, to := max(0, at-60), min(len(runes), end+60)
	lo, starts := analyze.WordStartsNear(runes, from, to)
	for from < at && !starts[from-lo] {
		from++
	}
	for to > end && !starts[to-lo] {
		to--
	}
	out := strings.TrimSpace(string(runes[from:to]))
	if from > 0 {
		out = "…" + out
	}
	if to < len(runes) {
		out += "…"
	}
	return out
}

// clusterStart tells whether a character cluster may begin at rune i: not
// on a combining mark (Thai vowels above and below, tone marks) nor on a
// vowel written after its consonant (ะ า ำ).
func clusterStart(runes []rune, i int) bool {
	if i <= 0 || i >= len(runes) {
		return true
	}
	r := runes[i]
	return !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r) && r != 'ะ' && r != 'า' && r != 'ำ' && r != 'ๅ'
}
