package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

func (r *Resolver) timeline(ctx context.Context, actor, place, from, to *string, status []domain.AssertionStatus, first *int, after *string) (*domain.Page, error) {
	if err := readDate("timeline.from", from); err != nil {
		return nil, err
	}
	if err := readDate("timeline.to", to); err != nil {
		return nil, err
	}
	for _, id := range []struct {
		name string
		v    *string
	}{{"timeline.actor", actor}, {"timeline.place", place}} {
		if id.v != nil {
			if err := domain.ValidateID(id.name, *id.v); err != nil {
				return nil, err
			}
		}
	}
	filter := &domain.NodeFilter{Participant: actor, Place: place, DateFrom: from, DateTo: to, Status: status}
	if actor != nil || place != nil {
		filter.TieStatus = status // the participations and the place hops walked, too
	}
	if first == nil {
		n := 50
		first = &n
	}
	conn, err := r.list(ctx, []string{domain.LabelEvent}, filter, &domain.NodeOrder{Field: domain.NodeOrderFieldDate, Direction: domain.OrderDirectionAsc}, first, after)
	var me *domain.Error
	if errors.As(err, &me) { // name the argument, not the filter it became
		alias := rootField(ctx).Alias
		me.Field = strings.NewReplacer(alias+".filter.participant", alias+".actor", alias+".filter.place", alias+".place").Replace(me.Field)
	}
	return conn, err
}
