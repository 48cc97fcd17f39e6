package store

import (
	"context"
	"fmt"

	"github.com/phakhi/phakhi/domain"
)

// NameBundle reads what the document analyzer's name index holds, in one
// read: every node (all of them when ids is nil, else those of ids that
// exist) with only its id, label, kind, names, aliases, code and start
// date, and every relationship touching it (type and ends, no evidence)
// except MENTIONS, which say what a source names, not how nodes are tied.
func (s *Store) NameBundle(ctx context.Context, ids []string) (*domain.Bundle, error) {
	where := ""
	params := map[string]any{}
	if ids != nil {
		where = "WHERE n.id IN $ids"
		params["ids"] = ids
	}
	recs, err := s.read(ctx, "NameBundle", `MATCH (n:Node) `+where+`
		RETURN labels(n) AS labels, n {.id, .kind, .name, .nameEn, .aliases, .code, .startDate, .startPrecision} AS p,
		COLLECT { MATCH (n)-[r]->(m:Node) WHERE type(r) <> 'MENTIONS' RETURN [type(r), m.id] } AS out,
		COLLECT { MATCH (n)<-[r]-(m:Node) WHERE type(r) <> 'MENTIONS' RETURN [type(r), m.id] } AS in`, params)
	if err != nil {
		return nil, fmt.Errorf("name bundle: %w", err)
	}
	b := &domain.Bundle{}
	seen := map[string]bool{}
	for _, rec := range recs {
		labels, _ := rec.Get("labels")
		p, _ := rec.Get("p")
		pm := p.(map[string]any)
		r := domain.NodeRecord{ID: str(pm, "id"), Kind: str(pm, "kind"), Name: str(pm, "name"), NameEn: str(pm, "nameEn"),
			Aliases: strs(pm, "aliases"), Code: str(pm, "code"), Start: date(pm, startKeys)}
		for _, l := range labels.([]any) {
			if s, _ := l.(string); domain.IsNodeLabel(s) {
				r.Label = s
			}
		}
		b.Nodes = append(b.Nodes, r)
		for _, dir := range []string{"out", "in"} {
			raw, _ := rec.Get(dir)
			for _, it := range raw.([]any) {
				pair := it.([]any)
				t, _ := pair[0].(string)
				m, _ := pair[1].(string)
				rel := domain.RelRecord{Type: t, From: r.ID, To: m}
				if dir == "in" {
					rel.From, rel.To = m, r.ID
				}
				if id := rel.RelID(); !seen[id] {
					seen[id] = true
					b.Relationships = append(b.Relationships, rel)
				}
			}
		}
	}
	return b, nil
}
