package analyze

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/phakhi/phakhi/domain"
)

// A Span is a stretch of the text in characters (Unicode code points,
// runes), counted from 0: Start is the first, End the one after the last.
type Span struct{ Start, End int }

// Source is a part of the document proposed as a Source node: the whole
// text, or a GotoKnow post and each of its comments.
type Source struct {
	ID, Kind, Name, URL string
	Date                *domain.PartialDate
	Span
	// Part is 0 for the post (or the one source), k for comment k.
	Part int
	// Existing is true when the graph already holds a source of this id:
	// the draft cites it and does not write it again.
	Existing bool
	Note     string
}

// GotoKnow's page, as copied from a browser: the title first, the body,
// the footer "หมายเลขบันทึก: N เขียนเมื่อ DATE", then "ความเห็น (N)" and
// the comments, then the site's own links.
var (
	gotoKnowFooter  = regexp.MustCompile(`หมายเลขบันทึก:\s*(\d+)\s*เขียนเมื่อ\s*([^()]*?\d{4})(?:\s+(\d{1,2}[:.]\d{2})\s*น\.)?`)
	gotoKnowComment = regexp.MustCompile(`(?m)^\s*ความเห็น\s*\((\d+)\)\s*$`)
	gotoKnowChrome  = regexp.MustCompile(`(?m)^\s*พบปัญหาการใช้งานกรุณาแจ้ง`)
)

// document is the text with its rune offsets.
type document struct {
	text   string
	byteAt []int // byte offset of each rune, and len(text)
}

func newDocument(text string) *document {
	d := &document{text: text, byteAt: make([]int, 0, len(text)/2)}
	for i := range text {
		d.byteAt = append(d.byteAt, i)
	}
	d.byteAt = append(d.byteAt, len(text))
	return d
}

func (d *document) runes() int { return len(d.byteAt) - 1 }

// runeOf is the rune offset of byte offset b.
func (d *document) runeOf(b int) int {
	lo, hi := 0, len(d.byteAt)-1
	for lo < hi {
		m := (lo + hi) / 2
		if d.byteAt[m] < b {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (d *document) slice(sp Span) string { return d.text[d.byteAt[sp.Start]:d.byteAt[sp.End]] }

// trim narrows sp to leave out white space at its ends.
func (d *document) trim(sp Span) Span {
	for sp.Start < sp.End {
		r, _ := utf8.DecodeRuneInString(d.text[d.byteAt[sp.Start]:])
		if !unicode.IsSpace(r) {
			break
		}
		sp.Start++
	}
	for sp.End > sp.Start {
		r, _ := utf8.DecodeLastRuneInString(d.text[:d.byteAt[sp.End]])
		if !unicode.IsSpace(r) {
			break
		}
		sp.End--
	}
	return sp
}

// splitSources cuts the document into its sources (see Source).
func splitSources(d *document, in Input) ([]*Source, []string) {
	var notes []string
	all := d.trim(Span{0, d.runes()})
	foot := gotoKnowFooter.FindStringSubmatchIndex(d.text)
	if foot == nil {
		s := &Source{ID: in.SourceID, Kind: in.Kind, Name: in.Name, URL: in.URL, Span: all}
		if s.Kind == "" {
			s.Kind = "DOCUMENT"
		}
		if s.Name == "" {
			s.Name = firstLine(d, all)
		}
		if in.Date != "" {
			if dt, err := domain.ParseDate("source.date", in.Date); err == nil {
				s.Date = dt
			}
		}
		if s.ID == "" {
			s.ID = "doc-" + shortHash(d.text)
		}
		return []*Source{s}, notes
	}
	record := d.text[foot[2]:foot[3]]
	post := &Source{ID: "gotoknow-" + record, Kind: "POST", URL: "https://www.gotoknow.org/posts/" + record,
		Span: d.trim(Span{all.Start, d.runeOf(foot[0])})}
	post.Name = firstLine(d, post.Span)
	if in.SourceID != "" {
		post.ID = in.SourceID
	}
	if in.URL != "" {
		post.URL = in.URL
	}
	if dt, err := domain.ParseDate("date", d.text[foot[4]:foot[5]]); err == nil {
		dt.Text = strings.TrimSpace(d.text[foot[4]:foot[1]])
		post.Date = dt
	} else {
		notes = append(notes, fmt.Sprintf("the footer's date %q does not read as a date", d.text[foot[4]:foot[5]]))
	}
	srcs := []*Source{post}
	rest := d.text[foot[1]:]
	cm := gotoKnowComment.FindStringSubmatchIndex(rest)
	if cm == nil {
		return srcs, notes
	}
	want := 0
	fmt.Sscan(rest[cm[2]:cm[3]], &want)
	from := foot[1] + cm[1]
	to := len(d.text)
	if ch := gotoKnowChrome.FindStringIndex(d.text[from:]); ch != nil {
		to = from + ch[0]
	}
	for k, sp := range splitComments(d, d.runeOf(from), d.runeOf(to), want) {
		srcs = append(srcs, &Source{ID: fmt.Sprintf("%s-c%d", post.ID, k+1), Kind: "COMMENT", URL: post.URL, Span: sp, Part: k + 1,
			Name: fmt.Sprintf("ความเห็นที่ %d ต่อบันทึก %s", k+1, record),
			Note: "the copy does not mark where comments begin: the boundaries are inferred (an indented line begins a comment; then the last paragraphs are split off, one a comment, until there are as many as the page counts)"})
	}
	if n := len(srcs) - 1; n != want {
		notes = append(notes, fmt.Sprintf("the page counts %d comments; %d were told apart", want, n))
	}
	return srcs, notes
}

// splitComments cuts the runes [from, to) into want comments. A GotoKnow
// copy keeps no mark between comments; what it keeps is that a comment's
// text often begins indented. So: paragraphs (separated by blank lines);
// a paragraph indented (by two blanks or more: spaces, no-break spaces, tabs) begins a comment and is one by itself (the
// indented comments of the seed are one paragraph each), the paragraphs
// after it up to the next indented one are one comment; while fewer than
// want, the last comment of more than one paragraph gives up its last
// paragraph as a comment of its own (late replies are short).
func splitComments(d *document, from, to, want int) []Span {
	type para struct {
		sp       Span
		indented bool
	}
	var paras []para
	lines := strings.SplitAfter(d.text[d.byteAt[from]:d.byteAt[to]], "\n")
	pos := from
	var cur *para
	for _, ln := range lines {
		n := utf8.RuneCountInString(ln)
		if strings.TrimSpace(ln) == "" {
			cur = nil
		} else {
			indented := leadingBlanks(ln) >= 2
			if cur != nil && indented {
				cur = nil
			}
			if cur == nil {
				paras = append(paras, para{sp: Span{pos, pos + n}, indented: indented})
				cur = &paras[len(paras)-1]
			} else {
				cur.sp.End = pos + n
			}
		}
		pos += n
	}
	// groups of paragraphs, each a comment
	var groups [][]para
	for i, p := range paras {
		switch {
		case i == 0 || p.indented:
			groups = append(groups, []para{p})
		case paras[i-1].indented && len(groups[len(groups)-1]) == 1:
			groups = append(groups, []para{p})
		default:
			groups[len(groups)-1] = append(groups[len(groups)-1], p)
		}
	}
	for len(groups) < want {
		split := false
		for g := len(groups) - 1; g >= 0; g-- {
			if len(groups[g]) > 1 {
				last := groups[g][len(groups[g])-1]
				groups[g] = groups[g][:len(groups[g])-1]
				groups = append(groups[:g+1], append([][]para{{last}}, groups[g+1:]...)...)
				split = true
				break
			}
		}
		if !split {
			break
		}
	}
	out := make([]Span, 0, len(groups))
	for _, g := range groups {
		out = append(out, d.trim(Span{g[0].sp.Start, g[len(g)-1].sp.End}))
	}
	return out
}

func firstLine(d *document, sp Span) string {
	s := d.slice(sp)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	if s == "" {
		s = "เอกสาร"
	}
	return s
}

func leadingBlanks(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\u00a0' {
			break
		}
		n++
	}
	return n
}
