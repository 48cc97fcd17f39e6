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
	n, offset, key, err := listPageOf(first, after, "search")
	if err != nil {
		return nil, err
	}
	if key != nil && key.Order != domain.SearchOrderName(text, sameAsArg(sameAs)) {
		return nil, domain.Invalid("search.after", "the cursor belongs to another order: another search's (its query or sameAs), or another list's")
	}
	p := newPlanner(ctx)
	sel, err := p.nodeSel(f.Selections, "SearchConnection", "search", "edges", "node")
	if err != nil {
		return nil, err
	}
	res, err := r.Store.Search(ctx, domain.SearchQuery{Text: text, Labels: labels, MinScore: minScore, Status: status, First: n, Offset: offset, After: key, Select: sel, SameAs: sameAsArg(sameAs),
		OmitMatchedText: !p.selects(f.Selections, "SearchConnection", "edges", "matchedText")})
	if err != nil {
		return nil, err
	}
	conn := &model.SearchConnection{TotalCount: res.Total, Complete: res.Complete, Edges: []*model.SearchEdge{}, Folded: foldsOf(res.Folded)}
	for i, h := range res.Hits {
		cursor := model.EncodeCursor(res.Start + i)
		if h.Key != nil {
			cursor = model.EncodeKeyCursor(h.Key)
		}
		conn.Edges = append(conn.Edges, &model.SearchEdge{Cursor: cursor, Node: h.Node, Score: h.Score, MatchedField: h.MatchedField, MatchedText: h.MatchedText})
	}
	pi := &model.PageInfo{HasNextPage: res.Start+len(res.Hits) < res.Total, HasPreviousPage: res.Start > 0}
	if len(conn.Edges) > 0 {
		pi.StartCursor, pi.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	conn.PageInfo = pi
	return conn, nil
}
