package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/phakhi/phakhi/analyze"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// analyzeDocument reads a document against the name index.
func (r *queryResolver) analyzeDocument(ctx context.Context, text string, source *model.SourceInput) (*model.DocumentAnalysis, error) {
	in := analyze.Input{Text: text}
	if source != nil {
		in.SourceID, in.URL, in.Name, in.Date = deref(source.ID), deref(source.URL), deref(source.Name), deref(source.Date)
		if source.Kind != nil {
			in.Kind = string(*source.Kind)
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	ix, err := r.Analyzer(ctx)
	if err != nil {
		return nil, err
	}
	a, err := ix.Analyze(in)
	if err != nil {
		return nil, err
	}
	return AnalysisModel(a)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func span(s analyze.Span) *model.TextSpan { return &model.TextSpan{Start: s.Start, End: s.End} }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// AnalysisModel is an analysis in the GraphQL shape (which the analyze
// command prints as JSON too).
func AnalysisModel(a *analyze.Analysis) (*model.DocumentAnalysis, error) {
	draft, err := json.Marshal(a.Draft)
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	out := &model.DocumentAnalysis{Sources: []*model.AnalysisSource{}, Mentions: []*model.AnalysisMention{}, Dates: []*model.AnalysisDate{},
		Proposals: []*model.AnalysisProposal{}, Notes: append([]string{}, a.Notes...), Draft: string(draft),
		DraftNodes: len(a.Draft.Nodes), DraftRelationships: len(a.Draft.Relationships)}
	for _, s := range a.Sources {
		out.Sources = append(out.Sources, &model.AnalysisSource{ID: s.ID, Kind: domain.Kind(s.Kind), Name: s.Name, URL: optional(s.URL),
			Date: s.Date, Span: span(s.Span), Part: s.Part, Existing: s.Existing, Note: optional(s.Note)})
	}
	for _, m := range a.Mentions {
		mm := &model.AnalysisMention{Span: span(m.Span), Text: m.Text, Quote: m.Quote, QuoteSpan: span(m.QuoteSpan), Source: m.Source,
			Chosen: optional(m.Chosen), Reason: m.Reason, Address: m.Address, Candidates: []*model.MentionCandidate{}}
		for _, c := range m.Candidates {
			mc := &model.MentionCandidate{ID: c.ID, Label: c.Label, Name: c.Name, Score: c.Score, Reason: c.Reason, New: c.New}
			if c.Place != nil {
				mc.Code = optional(c.Place.Code)
			}
			mm.Candidates = append(mm.Candidates, mc)
		}
		out.Mentions = append(out.Mentions, mm)
	}
	for _, d := range a.Dates {
		out.Dates = append(out.Dates, &model.AnalysisDate{Span: span(d.Span), Text: d.Text, Quote: d.Quote, Source: d.Source, Start: d.Start, End: d.End, Inferred: d.Inferred})
	}
	for _, p := range a.Proposals {
		out.Proposals = append(out.Proposals, &model.AnalysisProposal{ID: p.ID, Label: p.Label, Kind: optional(p.Kind), Name: p.Name, Span: span(p.Span),
			Quote: p.Quote, Source: p.Source, Pattern: p.Pattern, Similar: append([]string{}, p.Similar...), Note: p.Note})
	}
	return out, nil
}
