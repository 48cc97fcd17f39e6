package analyze

import (
	"strings"
)

// A Proposal is a new node the text names and the graph does not know,
// read from the way Thai writes the names of organisations and people.
// It is never merged into a known node: Similar lists the known nodes
// whose names it holds, for an editor to judge.
type Proposal struct {
	ID, Label, Kind, Name string
	Span
	Quote     string
	QuoteSpan Span
	Source    string
	Pattern   string // the word it was read from: "มูลนิธิ…", "นาย…"
	Similar   []string
	Note      string
	// Date dates a proposed event.
	Date *DateMention
}

// Organisation words, the label and kind they suggest, longest first
// where one begins another.
var orgPatterns = []struct{ word, label, kind string }{
	{"ชุมนุมสหกรณ์", "Agency", "COOPERATIVE_FEDERATION"},
	{"สำนักงาน", "Agency", "GOVERNMENT_OFFICE"},
	{"กองทุน", "Network", "FUNDS"},
	{"สหกรณ์", "Agency", "OTHER"},
	{"กลุ่ม", "Network", "SAVINGS_GROUPS"},
	{"เครือข่าย", "Network", "NETWORK"},
	{"มูลนิธิ", "Agency", "FOUNDATION"},
	{"สถาบัน", "Agency", "PUBLIC_ORGANIZATION"},
	{"สมาคม", "Agency", "ASSOCIATION"},
	{"ชมรม", "Network", "NETWORK"},
	{"กระทรวง", "Agency", "MINISTRY"},
	{"กรม", "Agency", "DEPARTMENT"},
	{"มหาวิทยาลัย", "Agency", "UNIVERSITY"},
	{"ธนาคาร", "Agency", "STATE_BANK"},
	{"ศูนย์", "Agency", "UNIT"},
}

// Titles before a person's name. loose ones (พี่ "elder sibling", อ.)
// count only before a word the dictionary does not know (พี่มิบ, not
// พี่ซื้อ "I bought"); formal ones take a surname after one space.
var personTitles = []struct {
	word        string
	dot, formal bool
	loose       bool
}{
	{"นางสาว", false, true, false}, {"นาง", false, true, false}, {"นาย", false, true, false},
	{"อาจารย์", false, true, false}, {"ดร", true, true, false}, {"ผศ", true, true, false}, {"รศ", true, true, false},
	{"ศ", true, true, false}, {"คุณ", false, false, true}, {"พี่", false, false, true}, {"อ", true, false, true},
}

// Words that end a name: what follows a name in a sentence.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`โดย ที่ ซึ่ง เพื่อ ได้ จะ เป็น มี ใน กับ ว่า ให้ จาก เมื่อ แล้ว ก็ ไป มา คือ ร่วม นั้น นี้ ด้วย
		ครับ ค่ะ คะ นะ และ หรือ แต่ ของ ทำ ได้แก่ เช่น ต่อ ยัง อยู่ เข้า ขอ ชวน บอก ว่า ตาม ไม่ ทั้ง เคย กำลัง ทาง จัด`) {
		stopWords[w] = true
	}
}

// words lists the words of the stream from rune i on, as [start, end)
// rune pairs, while they stay in one Thai run (no space or other break
// before them, except a dot after ดร. and the like when dots is true).
func wordsFrom(st *stream, seg *segmentation, i, max int) [][2]int {
	var out [][2]int
	for s := i; s < st.n() && len(out) < max; {
		if st.class[s] != classThai || (s > i && st.brk[s]) {
			break
		}
		e := s + 1
		for e < st.n() && !seg.bound[e] {
			e++
		}
		out = append(out, [2]int{s, e})
		s = e
	}
	return out
}

func (st *stream) text(a, b int) string { return st.s[st.at[a]:st.at[b]] }

// findProposals reads organisation and person names the index does not
// hold. known are the spans of the mentions found, which win: no
// proposal begins inside one.
func findProposals(d *document, st *stream, seg *segmentation, known []Span, snap *snapshot) []*Proposal {
	dict := dictionary()
	var out []*Proposal
	covered := func(sp Span) (inside bool, holds []Span) {
		for _, k := range known {
			if sp.Start >= k.Start && sp.Start < k.End {
				return true, nil
			}
			if k.Start >= sp.Start && k.End <= sp.End {
				holds = append(holds, k)
			}
		}
		return false, holds
	}
	for i := 0; i < st.n(); i++ {
		if !seg.bound[i] || st.class[i] != classThai {
			continue
		}
		rest := st.s[st.at[i]:]
		var p *Proposal
		end := -1
		for _, o := range orgPatterns {
			if !strings.HasPrefix(rest, o.word) {
				continue
			}
			j := i + len([]rune(o.word))
			if j > st.n() || !seg.bound[j] {
				continue
			}
			ws := wordsFrom(st, seg, j, 10)
			n := 0
			for n < len(ws) && !stopWords[st.text(ws[n][0], ws[n][1])] {
				n++
			}
			if n == 0 {
				break
			}
			end = ws[n-1][1]
			if end-i < len([]rune(o.word))+2 {
				break
			}
			label, kind := o.label, o.kind
			name := st.text(i, end)
			if o.word == "กลุ่ม" && !strings.Contains(name, "ออมทรัพย์") && !strings.Contains(name, "สัจจะ") {
				kind = "NETWORK"
			}
			if o.word == "กองทุน" && strings.HasPrefix(rest, "กองทุนหมู่บ้าน") {
				kind = "FUNDS"
			}
			p = &Proposal{Label: label, Kind: kind, Pattern: o.word + "…"}
			break
		}
		if p == nil {
			for _, t := range personTitles {
				if !strings.HasPrefix(rest, t.word) {
					continue
				}
				j := i + len([]rune(t.word))
				if j >= st.n() || !seg.bound[j] {
					continue
				}
				if t.dot != (st.brk[j] && strings.Contains(d.text[d.byteAt[st.origEnd[j-1]]:d.byteAt[st.origStart[j]]], ".")) {
					continue
				}
				ws := wordsFrom(st, seg, j, 3)
				n := 0
				for n < len(ws) && !stopWords[st.text(ws[n][0], ws[n][1])] {
					n++
				}
				if n == 0 {
					break
				}
				first := st.text(ws[0][0], ws[0][1])
				if t.loose && dict.has(first) || len([]rune(st.text(j, ws[n-1][1]))) < 2 {
					break
				}
				if t.loose {
					n = 1
				}
				end = ws[n-1][1]
				if t.formal && end < st.n() && st.brk[end] && st.class[end] == classThai && n == len(ws) {
					// a surname after one space
					gap := d.text[d.byteAt[st.origEnd[end-1]]:d.byteAt[st.origStart[end]]]
					if gap == " " {
						sw := wordsFrom(st, seg, end, 4)
						m := 0
						for m < len(sw) && !stopWords[st.text(sw[m][0], sw[m][1])] {
							m++
						}
						if m > 0 && sw[m-1][1]-end <= 15 && sw[m-1][1]-end >= 2 {
							end = sw[m-1][1]
						}
					}
				}
				p = &Proposal{Label: "Person", Pattern: t.word + map[bool]string{true: ".", false: ""}[t.dot] + "…"}
				break
			}
		}
		if p == nil {
			continue
		}
		p.Span = Span{st.origStart[i], st.origEnd[end-1]}
		inside, holds := covered(p.Span)
		if inside {
			i = end - 1
			continue
		}
		exact := false
		for _, h := range holds {
			if h == p.Span {
				exact = true
			}
		}
		if exact {
			continue
		}
		p.Name = d.slice(p.Span)
		for _, h := range holds {
			for _, r := range snap.refs(normKey(d.slice(h))) {
				p.Similar = append(p.Similar, r.node)
			}
		}
		p.Note = "proposed by the analyzer from the pattern " + p.Pattern + "; its label and kind are guessed"
		p.QuoteSpan = quoteOf(d, p.Span)
		p.Quote = d.slice(p.QuoteSpan)
		out = append(out, p)
		i = end - 1
	}
	return out
}
