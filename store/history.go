package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/phakhi/phakhi/domain"
)

func decodeChange(m map[string]any) *domain.Change {
	c := &domain.Change{ID: str(m, "id"), At: str(m, "at"), Actor: str(m, "actor"), Action: str(m, "action"), TargetID: str(m, "targetId"), IDs: strs(m, "ids")}
	for _, f := range []struct {
		key string
		dst *any
	}{{"before", &c.Before}, {"after", &c.After}} {
		if s, ok := m[f.key].(string); ok && s != "" {
			var v any
			if json.Unmarshal([]byte(s), &v) == nil {
				*f.dst = v
			}
		}
	}
	if r := str(m, "reason"); r != "" {
		c.Reason = &r
	}
	return c
}

// timeArg reads a bound of history: an RFC 3339 date-time, with its
// offset, or an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, in UTC). It returns
// the first millisecond of what the bound names and the first one after:
// a date names its whole year, month or day, a date-time without a
// fraction its whole second.
func timeArg(field, v string) (start, end int64, err error) {
	if p, derr := domain.ValidateISODate(field, v); derr == nil {
		t, _ := time.Parse("2006-01-02"[:len(v)], v)
		switch p {
		case domain.DatePrecisionYear:
			return t.UnixMilli(), t.AddDate(1, 0, 0).UnixMilli(), nil
		case domain.DatePrecisionMonth:
			return t.UnixMilli(), t.AddDate(0, 1, 0).UnixMilli(), nil
		default:
			return t.UnixMilli(), t.AddDate(0, 0, 1).UnixMilli(), nil
		}
	}
	t, perr := time.Parse(time.RFC3339Nano, v)
	if perr != nil {
		if _, lerr := time.Parse("2006-01-02T15:04:05.999999999", v); lerr == nil {
			return 0, 0, domain.Invalid(field, "%q has no time zone: add Z for UTC or an offset such as +07:00", v)
		}
		return 0, 0, domain.Invalid(field, "%q is not a date-time: write RFC 3339 (2007-04-11T09:30:00+07:00) or a date (2007-04-11, 2007-04 or 2007)", v)
	}
	if !strings.Contains(v, ".") {
		return t.UnixMilli(), t.Add(time.Second).UnixMilli(), nil
	}
	return t.UnixMilli(), t.UnixMilli() + 1, nil
}

// History pages the audit trail, newest first, by node (as target or among
// the ids touched), by actor and by time (RFC 3339 date-times or ISO dates:
// see timeArg), compared as instants.
func (s *Store) History(ctx context.Context, q domain.HistoryQuery) ([]*domain.Change, int, error) {
	var conds []string
	params := map[string]any{"offset": int64(q.Offset), "limit": int64(q.First)}
	if q.NodeID != "" {
		conds = append(conds, "(c.targetId = $node OR $node IN c.ids)")
		params["node"] = q.NodeID
	}
	if q.Actor != "" {
		conds = append(conds, "c.actor = $actor")
		params["actor"] = q.Actor
	}
	var from, to int64
	if q.From != "" {
		var err error
		if from, _, err = timeArg("from", q.From); err != nil {
			return nil, 0, err
		}
		conds = append(conds, "c.atMillis >= $from")
		params["from"] = from
	}
	if q.To != "" {
		var err error
		if _, to, err = timeArg("to", q.To); err != nil {
			return nil, 0, err
		}
		if q.From != "" && to <= from {
			return nil, 0, domain.Invalid("to", "%q is before from %q", q.To, q.From)
		}
		conds = append(conds, "c.atMillis < $to")
		params["to"] = to
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	projection := "c {.id, .at, .actor, .action, .targetId, .ids, .reason}"
	if q.States {
		projection = "properties(c)"
	}
	cypher := fmt.Sprintf(`RETURN COUNT { MATCH (c:Change)%[1]s } AS total,
		COLLECT { MATCH (c:Change)%[1]s WITH c ORDER BY c.atMillis DESC, c.id SKIP $offset LIMIT $limit RETURN %[2]s } AS changes`, where, projection)
	recs, err := s.read(ctx, "History", cypher, params)
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	rec, err := readOne(recs, "history")
	if err != nil {
		return nil, 0, err
	}
	total, err := value[int64](rec, "total")
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	changes, err := column[map[string]any](rec, "changes")
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	var out []*domain.Change
	for _, c := range changes {
		out = append(out, decodeChange(c))
	}
	return out, int(total), nil
}

// ChangesSince returns the changes committed at or after sinceMillis, in
// time order, with the time of the last one; without their before and
// after, which the change feed does not send (an import's can be large,
// and the feed reads the same changes again and again).
func (s *Store) ChangesSince(ctx context.Context, sinceMillis int64) ([]*domain.Change, []int64, error) {
	recs, err := s.read(ctx, "ChangesSince", "MATCH (c:Change) WHERE c.atMillis >= $since WITH c ORDER BY c.atMillis, c.id LIMIT 1000 RETURN c {.id, .at, .actor, .action, .targetId, .ids, .reason} AS c, c.atMillis AS ms", map[string]any{"since": sinceMillis})
	if err != nil {
		return nil, nil, fmt.Errorf("changes since: %w", err)
	}
	var out []*domain.Change
	var ms []int64
	for _, rec := range recs {
		c, err := value[map[string]any](rec, "c")
		if err != nil {
			return nil, nil, fmt.Errorf("changes since: %w", err)
		}
		t, err := value[int64](rec, "ms")
		if err != nil {
			return nil, nil, fmt.Errorf("changes since: %w", err)
		}
		out = append(out, decodeChange(c))
		ms = append(ms, t)
	}
	return out, ms, nil
}
