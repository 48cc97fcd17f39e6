package analyze

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rune classes of the normalised stream.
const (
	classThai uint8 = iota + 1
	classLatin
	classDigit
	classOther
)

// A stream is a text made ready for matching names: what cannot tell two
// writings of a name apart is taken out or made the same, and every rune
// left knows where it came from in the text.
//
//   - spaces, line breaks, no-break and zero-width spaces, soft hyphens,
//     dots and ฯ are removed: "พอช." is "พอช", "ธ.ก.ส." is "ธกส",
//     "กรุงเทพฯ" is "กรุงเทพ", and a name broken over two lines, or with a
//     zero-width space inside, is whole again. Where one stood, the rune
//     after it has brk set: no dictionary word crosses it, though a name
//     may;
//   - Thai digits are ASCII digits, Latin letters are lower case;
//   - the common mistypings ํ + า (for ำ) and เ + เ (for แ) are the one
//     character they look like.
type stream struct {
	s string // the normalised text
	// for rune i of s: its byte offset in s (one more entry, len(s), at
	// the end), the first and last+1 rune offsets in the text it stands for,
	// whether a removed character stood before it, and its class.
	at        []int
	origStart []int
	origEnd   []int
	brk       []bool
	class     []uint8
}

func (st *stream) n() int { return len(st.origStart) }

// removable reports whether r is taken out of the stream (see stream).
func removable(r rune) bool {
	switch r {
	case '.', 'ฯ', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return unicode.IsSpace(r)
}

func classOf(r rune) uint8 {
	switch {
	case r >= 0x0E01 && r <= 0x0E4E && r != 0x0E3F: // Thai letters, vowels, marks (not ฿)
		return classThai
	case r >= '0' && r <= '9':
		return classDigit
	case r < 0x250 && unicode.IsLetter(r):
		return classLatin
	}
	return classOther
}

// newStream normalises text (see stream).
func newStream(text string) *stream {
	st := &stream{}
	var b strings.Builder
	b.Grow(len(text))
	pendingBreak := true
	ri := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		start := ri
		ri++
		if removable(r) {
			pendingBreak = true
			continue
		}
		switch {
		case r >= '๐' && r <= '๙':
			r = '0' + (r - '๐')
		case r < 0x250:
			r = unicode.ToLower(r)
		}
		if n := len(st.origStart); n > 0 && !pendingBreak {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			if prev == 'ํ' && r == 'า' || prev == 'เ' && r == 'เ' {
				// replace the last rune: it and this one are one character
				s := b.String()[:st.at[n-1]]
				b.Reset()
				b.WriteString(s)
				if r == 'า' {
					b.WriteRune('ำ')
				} else {
					b.WriteRune('แ')
				}
				st.origEnd[n-1] = ri
				continue
			}
		}
		st.at = append(st.at, b.Len())
		b.WriteRune(r)
		st.origStart = append(st.origStart, start)
		st.origEnd = append(st.origEnd, ri)
		st.brk = append(st.brk, pendingBreak)
		st.class = append(st.class, classOf(r))
		pendingBreak = false
	}
	st.s = b.String()
	st.at = append(st.at, len(st.s))
	return st
}

// normKey is the normalised form of a name, the key it is found by: the
// stream of the name, as one string. Names are short, so this is newStream
// without the bookkeeping.
func normKey(name string) string { return newStream(name).s }

// looseKey is a key with the marks Thai spellings of the same loanword
// disagree on removed: the tone marks, ็ and ์ ("เครดิตยูเนี่ยน" and
// "เครดิตยูเนียน", "ฟอรั่ม" and "ฟอรัม").
func looseKey(key string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '่', '้', '๊', '๋', '็', '์':
			return -1
		}
		return r
	}, key)
}

// hasThai reports whether text holds a Thai letter.
func hasThai(text string) bool {
	for _, r := range text {
		if r >= 0x0E01 && r <= 0x0E2E {
			return true
		}
	}
	return false
}
