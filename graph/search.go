package graph

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

func (r *Resolver) search(ctx context.Context, query string, labels []string, minScore *float64, status []domain.AssertionStatus, first *int, after *string, sameAs *domain.SameAs) (*model.SearchConnection, error) {
	f := rootField(ctx)
	text := strings.TrimSpace(query)
	if text == "" {
		return nil, domain.Invalid("search.query", "is empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxSearchLen {
		return nil, domain.Invalid("search.query", "is %d characters long; the limit is %d", n, MaxSearchLen)
	}
	if err := validateLabels(labels, "search.labels"); err != nil {
		return nil, err
	}
	n, offset, err := pageOf(first, after, "search")
	if err != nil {
		return nil, err
	}
	p := newPlanner(ctx)
	sel, err := p.nodeSel(f.Selections, "SearchConnection", "search", "edges", "node")
	if err != nil {
		return nil, err
	}
	res, err := r.Store.Search(ctx, domain.SearchQuery{Text: text, Labels: labels, MinScore: minScore, Status: status, First: n, Offset: offset, Select: sel, SameAs: sameAsArg(sameAs)})
	if err != nil {
		return nil, err
	}
	conn := &model.SearchConnection{TotalCount: res.Total, Complete: res.Complete, Edges: []*model.SearchEdge{}, Folded: foldsOf(res.Folded)}
	for i, h := range res.Hits {
		conn.Edges = append(conn.Edges, &model.SearchEdge{Cursor: model.EncodeCursor(offset + i), Node: h.Node, Score: h.Score, MatchedField: h.MatchedField, MatchedText: h.MatchedText})
	}
	pi := &model.PageInfo{HasNextPage: offset+len(res.Hits) < res.Total, HasPreviousPage: offset > 0}
	if len(conn.Edges) > 0 {
		pi.StartCursor, pi.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	conn.PageInfo = pi
	return conn, nil
}
