package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/graph/model"
)

const batchSize = 1000

// EnsureSchema creates the constraints and indexes Phakhi relies on. It is
// idempotent.
func (s *Store) EnsureSchema(ctx context.Context) error {
	stmts := []string{
		"CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
	}
	for _, l := range model.NodeLabels {
		low := strings.ToLower(l)
		stmts = append(stmts,
			fmt.Sprintf("CREATE INDEX %s_name IF NOT EXISTS FOR (n:%s) ON (n.name)", low, l),
			fmt.Sprintf("CREATE INDEX %s_kind IF NOT EXISTS FOR (n:%s) ON (n.kind)", low, l),
		)
	}
	stmts = append(stmts,
		"CREATE TEXT INDEX node_search_key IF NOT EXISTS FOR (n:Node) ON (n.searchKey)",
		"CREATE FULLTEXT INDEX node_search IF NOT EXISTS FOR (n:Node) ON EACH [n.name, n.nameEn, n.aliases, n.description, n.descriptionEn] "+
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'thai', `fulltext.eventually_consistent`: false}}",
		"CREATE INDEX event_start IF NOT EXISTS FOR (n:Event) ON (n.startDate)",
		"CREATE INDEX place_code IF NOT EXISTS FOR (n:Place) ON (n.code)",
	)
	for _, t := range model.RelTypes {
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX rel_%s_id IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", strings.ToLower(t), t))
	}
	for _, st := range stmts {
		if _, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, st, nil)
			if err != nil {
				return nil, err
			}
			_, err = res.Consume(ctx)
			return nil, err
		}); err != nil {
			return fmt.Errorf("ensure schema: %w", err)
		}
	}
	return nil
}

// IsEmpty reports whether the database holds no Phakhi node.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	recs, err := s.read(ctx, "RETURN EXISTS { MATCH (:Node) } AS any", nil)
	if err != nil {
		return false, fmt.Errorf("check empty: %w", err)
	}
	v, _ := recs[0].Get("any")
	return v != true, nil
}

// LoadResult counts what a load wrote.
type LoadResult struct {
	Nodes         int
	Relationships int
}

// LoadBundle merges a bundle into the graph in one write transaction, so a
// failure leaves nothing behind. Loading the same bundle twice leaves the
// same graph: nodes and relationships are merged on their ids and their
// properties replaced.
func (s *Store) LoadBundle(ctx context.Context, b *model.Bundle) (LoadResult, error) {
	if err := b.Validate(); err != nil {
		return LoadResult{}, err
	}
	byLabel := map[string][]map[string]any{}
	for i := range b.Nodes {
		n := &b.Nodes[i]
		byLabel[n.Label] = append(byLabel[n.Label], map[string]any{"id": n.ID, "props": nodeProps(n)})
	}
	byType := map[string][]map[string]any{}
	for i := range b.Relationships {
		r := &b.Relationships[i]
		byType[r.Type] = append(byType[r.Type], map[string]any{"id": r.RelID(), "from": r.From, "to": r.To, "props": relProps(r)})
	}
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		var res LoadResult
		for _, label := range sortedKeys(byLabel) {
			labels := ":" + label
			if shared := model.SharedLabel(label); shared != "" {
				labels += ":" + shared
			}
			// label comes from the allow-list: Validate checked it
			cypher := "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n = row.props SET n" + labels + " RETURN count(n) AS c"
			n, err := runBatches(ctx, tx, cypher, byLabel[label])
			if err != nil {
				return nil, fmt.Errorf("merge %s nodes: %w", label, err)
			}
			res.Nodes += n
		}
		for _, typ := range sortedKeys(byType) {
			rows := byType[typ]
			cypher := "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) " +
				"MERGE (a)-[r:" + typ + " {id: row.id}]->(b) SET r = row.props RETURN count(r) AS c"
			n, err := runBatches(ctx, tx, cypher, rows)
			if err != nil {
				return nil, fmt.Errorf("merge %s relationships: %w", typ, err)
			}
			if n != len(rows) {
				return nil, model.Invalid("relationships", "%d of %d %s relationships name an endpoint that is not in the graph", len(rows)-n, len(rows), typ)
			}
			res.Relationships += n
		}
		return res, nil
	})
	if err != nil {
		return LoadResult{}, fmt.Errorf("load bundle: %w", err)
	}
	return out.(LoadResult), nil
}

// DeleteAll removes every Phakhi node and relationship in one transaction.
func (s *Store) DeleteAll(ctx context.Context) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, "MATCH (n:Node) DETACH DELETE n", nil)
		if err != nil {
			return nil, err
		}
		_, err = res.Consume(ctx)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("delete all: %w", err)
	}
	return nil
}

func runBatches(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, rows []map[string]any) (int, error) {
	total := 0
	for start := 0; start < len(rows); start += batchSize {
		end := min(start+batchSize, len(rows))
		res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows[start:end]})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		c, _ := rec.Get("c")
		total += int(c.(int64))
	}
	return total, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func putStr(p map[string]any, k, v string) {
	if v != "" {
		p[k] = v
	}
}

func putDate(p map[string]any, prefix string, d *model.PartialDate) {
	if d == nil {
		return
	}
	p[prefix+"Date"] = d.Date
	p[prefix+"Precision"] = string(d.PrecisionOrDerived())
	putStr(p, prefix+"Text", d.Text)
	if d.Inferred {
		p[prefix+"Inferred"] = true
	}
	putStr(p, prefix+"Note", d.Note)
}

func putEvidence(p map[string]any, evs []model.Evidence) {
	if len(evs) == 0 {
		return
	}
	src := make([]string, len(evs))
	quotes := make([]string, len(evs))
	locs := make([]string, len(evs))
	notes := make([]string, len(evs))
	for i, e := range evs {
		src[i], quotes[i], locs[i], notes[i] = e.Source, e.Quote, e.Locator, e.Note
	}
	p["evidenceSources"], p["evidenceQuotes"], p["evidenceLocators"], p["evidenceNotes"] = src, quotes, locs, notes
}

func nodeProps(n *model.NodeRecord) map[string]any {
	p := map[string]any{"id": n.ID, "name": n.Name}
	putStr(p, "kind", n.Kind)
	putStr(p, "nameEn", n.NameEn)
	if len(n.Aliases) > 0 {
		p["aliases"] = n.Aliases
	}
	putStr(p, "description", n.Description)
	putStr(p, "descriptionEn", n.DescriptionEn)
	putStr(p, "code", n.Code)
	putStr(p, "postalCode", n.PostalCode)
	putStr(p, "address", n.Address)
	putStr(p, "url", n.URL)
	if n.Order != 0 {
		p["order"] = int64(n.Order)
	}
	putStr(p, "startsAt", n.StartsAt)
	putStr(p, "endsAt", n.EndsAt)
	putDate(p, "start", n.Start)
	putDate(p, "end", n.End)
	putEvidence(p, n.Evidence)
	p["searchKey"] = SearchKey(n)
	return p
}

func relProps(r *model.RelRecord) map[string]any {
	p := map[string]any{"id": r.RelID()}
	putStr(p, "role", r.Role)
	putStr(p, "roleTh", r.RoleTh)
	putStr(p, "description", r.Description)
	putDate(p, "start", r.Start)
	putDate(p, "end", r.End)
	putEvidence(p, r.Evidence)
	return p
}
