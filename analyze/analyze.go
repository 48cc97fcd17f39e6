// Package analyze reads a new Thai document and drafts what the graph
// could learn from it: the sources it is made of (a GotoKnow post and its
// comments), the known actors and places it names, the places its
// addresses name, its dates, the organisations and people the graph does
// not know, and a bundle in importBundle's shape that cites the text for
// every item. It writes nothing; it is pure Go over an in-memory index of
// the graph's names (Index) and the shipped datasets.
//
// Offsets are in characters (Unicode code points), from 0.
package analyze

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/phakhi/phakhi/domain"
)

// MaxText is the longest text analysed, in bytes.
const MaxText = 1 << 20

// Input is a text to analyse and what its caller knows of its source.
type Input struct {
	Text string
	// SourceID, URL, Name, Kind (POST, COMMENT, DOCUMENT…) and Date (as
	// domain.ParseDate reads it) describe the source; each may be empty.
	SourceID, URL, Name, Kind, Date string
}

// Analysis is what Analyze found.
type Analysis struct {
	Sources   []*Source
	Mentions  []*Mention
	Dates     []*DateMention
	Proposals []*Proposal
	// Notes say what could not be done, and why (a text with no Thai).
	Notes []string
	// Draft is the bundle importBundle takes.
	Draft *domain.Bundle
}

// Validate checks the input's text: not empty, at most MaxText bytes,
// valid UTF-8. The errors name the field text.
func (in Input) Validate() error {
	switch {
	case strings.TrimSpace(in.Text) == "":
		return domain.Invalid("text", "is empty")
	case len(in.Text) > MaxText:
		return domain.Invalid("text", "is %d bytes long; the limit is %d (1 MiB)", len(in.Text), MaxText)
	case !utf8.ValidString(in.Text):
		return domain.Invalid("text", "is not valid UTF-8")
	}
	if in.SourceID != "" {
		if err := domain.ValidateID("source.id", in.SourceID); err != nil {
			return err
		}
	}
	if in.Kind != "" && !slices.Contains(domain.Kinds[domain.LabelSource], in.Kind) {
		return domain.Invalid("source.kind", "%q is not a kind of source (known: %s)", in.Kind, strings.Join(domain.Kinds[domain.LabelSource], ", "))
	}
	if in.Date != "" {
		if _, err := domain.ParseDate("source.date", in.Date); err != nil {
			return err
		}
	}
	return nil
}

// Analyze reads in.Text against the index (see the package comment).
func (ix *Index) Analyze(in Input) (*Analysis, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	a := &Analysis{Draft: &domain.Bundle{Nodes: []domain.NodeRecord{}, Relationships: []domain.RelRecord{}}}
	if !hasThai(in.Text) {
		a.Notes = append(a.Notes, "the text holds no Thai: the analyzer reads Thai documents, so it found nothing")
		return a, nil
	}
	snap := ix.snap.Load()
	g := loadGeography()
	d := newDocument(in.Text)
	srcs, notes := splitSources(d, in)
	a.Sources, a.Notes = srcs, notes
	for _, s := range srcs {
		s.Existing = snap.node(s.ID) != nil
	}
	st := newStream(in.Text)
	seg := segment(st, snap)
	hits, nested := findNames(st, seg, snap)

	// addresses: their places, with the graph's names of the same span
	var ms []*Mention
	for _, addr := range groupAddresses(findAddresses(d, st, seg, g)) {
		narrow(addr, nil)
		for _, p := range addr {
			m := &Mention{Span: p.Span, Address: true, narrowed: len(addr) > 1}
			for _, pl := range p.places {
				c := &Candidate{ID: pl.NodeID(), Label: pl.Level, Name: pl.Name, Place: pl, Score: 0.9,
					Reason: "the address names " + describePlace(pl, g) + " (kongvut/thai-province-data)"}
				if len(addr) > 1 {
					c.Reason += ", which fits the rest of the address"
				}
				if snap.node(c.ID) == nil {
					c.New = true
				}
				m.Candidates = append(m.Candidates, c)
			}
			ms = append(ms, m)
		}
	}
	for _, h := range hits {
		var over *Mention
		for _, m := range ms {
			if m.Address && h.Start < m.End && m.Start < h.End {
				over = m
			}
		}
		cs := candidatesOf(h, snap)
		if over == nil {
			ms = append(ms, &Mention{Span: h.Span, Candidates: cs})
			continue
		}
		for _, c := range cs {
			if i := slices.IndexFunc(over.Candidates, func(o *Candidate) bool { return o.ID == c.ID }); i >= 0 {
				over.Candidates[i].Score = max(over.Candidates[i].Score, c.Score)
				over.Candidates[i].Reason += "; and the graph's " + strings.TrimPrefix(c.Reason, "the ")
			} else if !over.narrowed && over.End-over.Start <= h.End-h.Start+6 {
				over.Candidates = append(over.Candidates, c)
			}
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	var kept []*Mention
	for _, m := range ms {
		src := sourceAt(srcs, m.Start)
		if src == nil || len(m.Candidates) == 0 {
			continue
		}
		m.Source = src.ID
		m.Span = withTrailingMark(d, m)
		m.Text = d.slice(m.Span)
		m.QuoteSpan = quoteOf(d, m.Span)
		if m.QuoteSpan.Start < src.Start {
			m.QuoteSpan.Start = src.Start
		}
		if m.QuoteSpan.End > src.End {
			m.QuoteSpan.End = src.End
		}
		m.QuoteSpan = d.trim(m.QuoteSpan)
		m.Quote = d.slice(m.QuoteSpan)
		kept = append(kept, m)
	}
	a.Mentions = kept
	resolve(a.Mentions, nested, srcs, snap, g)

	var docDate *domain.PartialDate
	if len(srcs) > 0 {
		docDate = srcs[0].Date
	}
	dates, dnotes := findDates(d, docDate)
	a.Notes = append(a.Notes, dnotes...)
	for _, dm := range dates {
		if s := sourceAt(srcs, dm.Span.Start); s != nil {
			dm.Source = s.ID
			a.Dates = append(a.Dates, dm)
		}
	}
	var known []Span
	for _, m := range a.Mentions {
		known = append(known, m.Span)
	}
	for _, p := range findProposals(d, st, seg, known, snap) {
		if s := sourceAt(srcs, p.Start); s != nil {
			p.Source = s.ID
			a.Proposals = append(a.Proposals, p)
		}
	}
	a.Proposals = append(a.Proposals, findEvents(d, a, snap)...)
	a.Draft = draft(d, a, snap, g)
	return a, nil
}

// withTrailingMark takes in the dot or ฯ the text writes right after a
// name whose graph writing ends with one (พอช. ธ.ก.ส. กรุงเทพฯ): the
// stream drops them, so the match stops short of them.
func withTrailingMark(d *document, m *Mention) Span {
	sp := m.Span
	if sp.End >= d.runes() {
		return sp
	}
	next := d.text[d.byteAt[sp.End]:d.byteAt[sp.End+1]]
	if next == "ฯ" {
		return Span{sp.Start, sp.End + 1}
	}
	if next != "." {
		return sp
	}
	for _, c := range m.Candidates {
		if strings.HasSuffix(c.Name, next) || c.Place != nil && strings.HasSuffix(c.Place.Name, next) {
			return Span{sp.Start, sp.End + 1}
		}
	}
	if next == "." && sp.End-sp.Start <= 5 { // an abbreviation written with its dot
		return Span{sp.Start, sp.End + 1}
	}
	return sp
}
