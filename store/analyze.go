package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// NameBundle reads what the document analyzer's name index holds of the
// nodes of ids that exist: each with only its id, label, kind, names,
// aliases, code and start date, and every relationship touching it (type
// and ends, no evidence) except MENTIONS, which say what a source names,
// not how nodes are tied. NamePages reads the same of every node.
func (s *Store) NameBundle(ctx context.Context, ids []string) (*domain.Bundle, error) {
	recs, err := s.read(ctx, "NameBundle", `MATCH (n:Node) WHERE n.id IN $ids RETURN `+nameColumns, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("name bundle: %w", err)
	}
	return nameBundle(recs), nil
}

// namePage is how many nodes one read of NamePages takes.
var namePage = 10_000

// NamePages reads NameBundle's nodes of the whole graph in pages of
// namePage nodes in id order, one read each, and hands each page to each
// before reading the next (analyze.Builder's Add): every node of a page comes with all of its
// relationships, so a page is whole on its own. The driver then holds one
// page's records at a time, not the graph's: at a million nodes the one
// read of everything had the server's memory peak at 13.7 GiB
// (bench/README.md). Each page is read as of its own moment; a reader that
// must not miss a change made meanwhile follows the change feed from
// before the first page (as the name index does).
func (s *Store) NamePages(ctx context.Context, each func(*domain.Bundle)) error {
	after := ""
	for {
		recs, err := s.read(ctx, "NamePages", `MATCH (n:Node) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page RETURN `+nameColumns,
			map[string]any{"after": after, "page": namePage})
		if err != nil {
			return fmt.Errorf("name pages: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		b := nameBundle(recs)
		after = b.Nodes[len(b.Nodes)-1].ID
		each(b)
		if len(recs) < namePage {
			return nil
		}
	}
}

// nameColumns are what NameBundle reads of a node n.
const nameColumns = `labels(n) AS labels, n {.id, .kind, .name, .nameEn, .aliases, .code, .startDate, .startPrecision} AS p,
		COLLECT { MATCH (n)-[r]->(m:Node) WHERE type(r) <> 'MENTIONS' RETURN [type(r), m.id] } AS out,
		COLLECT { MATCH (n)<-[r]-(m:Node) WHERE type(r) <> 'MENTIONS' RETURN [type(r), m.id] } AS in`

// nameBundle decodes the records of nameColumns, each relationship once.
func nameBundle(recs []*neo4j.Record) *domain.Bundle {
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
	return b
}
