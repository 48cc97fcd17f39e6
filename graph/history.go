package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

func (r *Resolver) history(ctx context.Context, nodeID, who, from, to *string, first *int, after *string) (*model.ChangeConnection, error) {
	n, offset, err := pageOf(first, after, "history")
	if err != nil {
		return nil, err
	}
	p := newPlanner(ctx)
	states := false
	if set, t := p.descend(rootField(ctx).Selections, "ChangeConnection", "edges", "node"); t != "" {
		for _, f := range graphql.CollectFields(p.op, set, []string{t}) {
			states = states || f.Name == "before" || f.Name == "after"
		}
	}
	changes, total, err := r.Store.History(ctx, domain.HistoryQuery{NodeID: opt(nodeID), Actor: opt(who), From: opt(from), To: opt(to), First: n, Offset: offset, States: states})
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{TotalCount: total, Edges: []*model.ChangeEdge{}}
	for i, c := range changes {
		conn.Edges = append(conn.Edges, &model.ChangeEdge{Cursor: model.EncodeCursor(offset + i), Node: c})
	}
	pi := &model.PageInfo{HasNextPage: offset+len(changes) < total, HasPreviousPage: offset > 0}
	if len(conn.Edges) > 0 {
		pi.StartCursor, pi.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	conn.PageInfo = pi
	return conn, nil
}
