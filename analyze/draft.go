package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Event words and the kind they suggest.
var eventWords = []struct{ word, kind string }{
	{"สัมมนา", "SEMINAR"}, {"ประชุม", "MEETING"}, {"เวที", "FORUM"}, {"เสวนา", "FORUM"}, {"อบรม", "SEMINAR"},
}

// findEvents dates the events the text states: a date with an event word
// in its clause. An event of the graph that starts that day is linked (the
// date's mention gets it as its candidates); otherwise a new event is
// proposed, named from the event word to the end of its phrase.
func findEvents(d *document, a *Analysis, snap *snapshot) []*Proposal {
	var out []*Proposal
	seen := map[string]bool{}
	for _, dm := range a.Dates {
		if dm.Start.PrecisionOrDerived() != domain.DatePrecisionDay {
			continue
		}
		q := dm.Quote
		kw, kind := -1, ""
		for _, w := range eventWords {
			if i := strings.Index(q, w.word); i >= 0 && (kw < 0 || i < kw) {
				kw, kind = i, w.kind
			}
		}
		if kw < 0 {
			continue
		}
		if ids := snap.events(dm.Start.Date); len(ids) > 0 {
			m := &Mention{Span: dm.Span, Text: dm.Text, Quote: dm.Quote, QuoteSpan: dm.QuoteSpan, Source: dm.Source}
			for _, id := range ids {
				n := snap.node(id)
				// the event whose name the clause shares the most of
				nk := []rune(normKey(n.Name))
				score := 0.7 + 0.3*float64(commonRun(nk, []rune(normKey(q))))/float64(max(1, len(nk)))
				m.Candidates = append(m.Candidates, &Candidate{ID: id, Label: n.Label, Name: n.Name, Score: score,
					Reason: fmt.Sprintf("an event of the graph that starts on %s, the date written here", dm.Start.Date)})
			}
			sort.SliceStable(m.Candidates, func(i, j int) bool { return m.Candidates[i].Score > m.Candidates[j].Score })
			if len(m.Candidates) == 1 || m.Candidates[0].Score-m.Candidates[1].Score >= 0.05 {
				m.Chosen = m.Candidates[0].ID
				m.Reason = "the date and the event word: " + m.Candidates[0].Reason
			} else {
				m.Reason = "several events of the graph start that day: left for an editor"
			}
			a.Mentions = append(a.Mentions, m)
			continue
		}
		// the phrase: from the event word to the next space
		rs := []rune(q)
		start := len([]rune(q[:kw]))
		end := start
		for end < len(rs) && rs[end] != ' ' && rs[end] != '\n' && end-start < 60 {
			end++
		}
		name := string(rs[start:end])
		id := "draft-event-" + dm.Start.Date + "-" + shortHash(dm.Source+normKey(name))
		if seen[id] {
			continue
		}
		seen[id] = true
		sp := Span{dm.QuoteSpan.Start + start, dm.QuoteSpan.Start + end}
		out = append(out, &Proposal{ID: id, Label: domain.LabelEvent, Kind: kind, Name: name, Span: sp, Quote: dm.Quote, QuoteSpan: dm.QuoteSpan,
			Source: dm.Source, Pattern: "a date and " + name[:len(eventWordAt(name))] + "…", Date: dm,
			Note: "proposed by the analyzer: a date with an event word in its clause; its name and kind are guessed"})
	}
	return out
}

func eventWordAt(name string) string {
	for _, w := range eventWords {
		if strings.HasPrefix(name, w.word) {
			return w.word
		}
	}
	return ""
}

// draft builds the bundle importBundle takes from the analysis: the new
// sources, the proposed nodes, the places of the datasets the graph lacks
// (PART_OF their district or province), and a MENTIONS from each source
// to each node it names, each citing its quote and locator. Every guess
// says so in its evidence's note. Ids come from the text, so a second
// import of the same draft changes nothing. A record resting on a guess
// is INFERRED, the guess its basis.
func draft(d *document, a *Analysis, snap *snapshot, g *geography) *domain.Bundle {
	b := &domain.Bundle{Nodes: []domain.NodeRecord{}, Relationships: []domain.RelRecord{}}
	srcByID := map[string]*Source{}
	for _, s := range a.Sources {
		srcByID[s.ID] = s
	}
	locator := func(src string, sp Span) string {
		s := srcByID[src]
		where := "document"
		switch {
		case s != nil && s.Kind == "POST":
			where = "post"
		case s != nil && s.Kind == "COMMENT":
			where = fmt.Sprintf("comment %d", s.Part)
		}
		return fmt.Sprintf("%s, characters %d-%d of the analysed text", where, sp.Start, sp.End)
	}
	nodes := map[string]*domain.NodeRecord{}
	var order []string
	addNode := func(n domain.NodeRecord) *domain.NodeRecord {
		if o := nodes[n.ID]; o != nil {
			return o
		}
		nodes[n.ID] = &n
		order = append(order, n.ID)
		return &n
	}
	rels := map[string]*domain.RelRecord{}
	var relOrder []string
	addRel := func(r domain.RelRecord, ev domain.Evidence) {
		if r.ID == "" {
			r.ID = "analyze-" + shortHash(r.From+">"+r.Type+">"+r.To)
		}
		if o := rels[r.ID]; o != nil {
			if len(o.Evidence) < 3 && !slices.ContainsFunc(o.Evidence, func(e domain.Evidence) bool { return e.Quote == ev.Quote }) {
				o.Evidence = append(o.Evidence, ev)
			}
			return
		}
		r.Evidence = []domain.Evidence{ev}
		rels[r.ID] = &r
		relOrder = append(relOrder, r.ID)
	}
	for _, s := range a.Sources {
		if s.Existing {
			continue
		}
		q := quoteOf(d, Span{s.Start, min(s.Start+1, s.End)})
		q.Start, q.End = max(q.Start, s.Start), min(q.End, s.End)
		q = d.trim(q)
		n := domain.NodeRecord{ID: s.ID, Label: domain.LabelSource, Kind: s.Kind, Name: s.Name, URL: s.URL, Start: s.Date, Description: s.Note,
			Evidence: []domain.Evidence{{Source: s.ID, Quote: d.slice(q), Locator: locator(s.ID, q) + ", opening", Note: s.Note}}}
		addNode(n)
		if s.Kind == "COMMENT" {
			addRel(domain.RelRecord{Type: domain.RelPartOf, From: s.ID, To: a.Sources[0].ID},
				domain.Evidence{Source: s.ID, Quote: d.slice(q), Locator: locator(s.ID, q), Note: "inferred: the comment follows the post on its page; " + s.Note})
		}
	}
	// places of the datasets, with the districts and provinces above them
	// that the graph lacks
	var addPlace func(p *GeoPlace, ev domain.Evidence)
	datasetCited := false
	addPlace = func(p *GeoPlace, ev domain.Evidence) {
		if snap.node(p.NodeID()) != nil || nodes[p.NodeID()] != nil {
			return
		}
		file := map[string]string{"Province": "provinces.json", "District": "districts.json", "Subdistrict": "sub_districts.json"}[p.Level]
		n := domain.NodeRecord{ID: p.NodeID(), Label: p.Level, Name: p.Name, NameEn: p.NameEn, Code: p.Code,
			Evidence: []domain.Evidence{{Source: "dataset-thai-geography", Quote: p.Name, Locator: "kongvut-thai-province-data/" + file + " id=" + strings.TrimPrefix(p.Code, "TH-")}}}
		if p.Level == "Subdistrict" {
			n.PostalCode = p.Postal
		}
		if ev.Source != "" {
			n.Evidence = append(n.Evidence, ev)
		}
		addNode(n)
		datasetCited = true
		if parent := g.byID[p.Parent]; parent != nil {
			addPlace(parent, domain.Evidence{})
		}
		if p.Parent != "" && (snap.node(p.Parent) != nil || nodes[p.Parent] != nil) {
			addRel(domain.RelRecord{Type: domain.RelPartOf, From: p.NodeID(), To: p.Parent},
				domain.Evidence{Source: "dataset-thai-geography", Quote: p.Name, Locator: "kongvut-thai-province-data/" + file + " id=" + strings.TrimPrefix(p.Code, "TH-")})
		}
	}
	for _, m := range a.Mentions {
		if m.Chosen == "" {
			continue
		}
		var c *Candidate
		for _, x := range m.Candidates {
			if x.ID == m.Chosen {
				c = x
			}
		}
		ev := domain.Evidence{Source: m.Source, Quote: m.Quote, Locator: locator(m.Source, m.Span)}
		if len(m.Candidates) > 1 {
			ev.Note = "inferred: " + m.Reason
		} else if c != nil && strings.Contains(c.Reason, "tone marks") {
			ev.Note = "inferred: " + c.Reason
		}
		if c != nil && c.New && c.Place != nil {
			addPlace(c.Place, ev)
		}
		addRel(domain.RelRecord{Type: domain.RelMentions, From: m.Source, To: m.Chosen}, ev)
	}
	for _, p := range a.Proposals {
		ev := domain.Evidence{Source: p.Source, Quote: p.Quote, Locator: locator(p.Source, p.Span), Note: "inferred: " + p.Note}
		id := p.ID
		if id == "" {
			id = "draft-" + strings.ToLower(p.Label) + "-" + shortHash(normKey(p.Name))
			p.ID = id
		}
		n := domain.NodeRecord{ID: id, Label: p.Label, Kind: p.Kind, Name: p.Name, Evidence: []domain.Evidence{ev}}
		if p.Date != nil {
			n.Start, n.End = p.Date.Start, p.Date.End
		}
		if len(p.Similar) > 0 {
			n.Description = "its name holds the known " + strings.Join(p.Similar, ", ") + ": an editor should say whether it is one of them"
		}
		if o := nodes[id]; o != nil {
			if len(o.Evidence) < 3 {
				o.Evidence = append(o.Evidence, ev)
			}
		} else {
			addNode(n)
		}
		addRel(domain.RelRecord{Type: domain.RelMentions, From: p.Source, To: id}, ev)
	}
	if datasetCited && snap.node("dataset-thai-geography") == nil {
		addNode(domain.NodeRecord{ID: "dataset-thai-geography", Label: domain.LabelSource, Kind: "DATASET", Name: "ข้อมูลเขตการปกครองของประเทศไทย (ภาค จังหวัด อำเภอ ตำบล)",
			URL: "https://github.com/kongvut/thai-province-data", Evidence: []domain.Evidence{{Source: "dataset-thai-geography", Quote: "ภาคเหนือ", Locator: "kongvut-thai-province-data/geographies.json"}}})
	}
	for _, id := range order {
		n := nodes[id]
		n.Status, n.Basis = statusOf(n.Evidence)
		b.Nodes = append(b.Nodes, *n)
	}
	for _, id := range relOrder {
		r := rels[id]
		r.Status, r.Basis = statusOf(r.Evidence)
		b.Relationships = append(b.Relationships, *r)
	}
	return b
}

// statusOf is the assertion status of a draft record from its evidence:
// INFERRED, with the guess as its basis, when any of its quotes carries a
// guess ("inferred: …" in its note); STATED otherwise (the quote says it).
func statusOf(ev []domain.Evidence) (domain.AssertionStatus, string) {
	for _, e := range ev {
		if basis, ok := strings.CutPrefix(e.Note, "inferred: "); ok {
			return domain.StatusInferred, strings.TrimSpace(basis)
		}
	}
	return domain.StatusStated, ""
}

// commonRun is the length of the longest run of runes a and b share.
func commonRun(a, b []rune) int {
	best := 0
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}
