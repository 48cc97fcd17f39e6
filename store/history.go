package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/graph/model"
)

func decodeChange(m map[string]any) *model.Change {
	c := &model.Change{ID: str(m, "id"), At: str(m, "at"), Actor: str(m, "actor"), Action: str(m, "action"), TargetID: str(m, "targetId"), IDs: strs(m, "ids")}
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

// History pages the audit trail, newest first, by node (as target or among
// the ids touched), by actor and by time (ISO dates or date-times).
func (s *Store) History(ctx context.Context, q model.HistoryQuery) ([]*model.Change, int, error) {
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
	if q.From != "" {
		conds = append(conds, "c.at >= $from")
		params["from"] = q.From
	}
	if q.To != "" {
		// a date names the whole day, month or year
		conds = append(conds, "left(c.at, size($to)) <= $to")
		params["to"] = q.To
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	cypher := fmt.Sprintf(`RETURN COUNT { MATCH (c:Change)%[1]s } AS total,
		COLLECT { MATCH (c:Change)%[1]s WITH c ORDER BY c.atMillis DESC, c.id SKIP $offset LIMIT $limit RETURN properties(c) } AS changes`, where)
	recs, err := s.read(ctx, "History", cypher, params)
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	total, _ := recs[0].Get("total")
	raw, _ := recs[0].Get("changes")
	var out []*model.Change
	for _, it := range raw.([]any) {
		out = append(out, decodeChange(it.(map[string]any)))
	}
	return out, int(total.(int64)), nil
}

// ChangesSince returns the changes committed at or after sinceMillis, in
// time order, with the time of the last one.
func (s *Store) ChangesSince(ctx context.Context, sinceMillis int64) ([]*model.Change, []int64, error) {
	recs, err := s.read(ctx, "ChangesSince", "MATCH (c:Change) WHERE c.atMillis >= $since WITH c ORDER BY c.atMillis, c.id LIMIT 1000 RETURN properties(c) AS c, c.atMillis AS ms", map[string]any{"since": sinceMillis})
	if err != nil {
		return nil, nil, fmt.Errorf("changes since: %w", err)
	}
	var out []*model.Change
	var ms []int64
	for _, rec := range recs {
		c, _ := rec.Get("c")
		t, _ := rec.Get("ms")
		out = append(out, decodeChange(c.(map[string]any)))
		ms = append(ms, t.(int64))
	}
	return out, ms, nil
}
