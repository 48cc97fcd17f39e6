package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

const batchSize = 1000

// importBatch is the number of rows per UNWIND statement of an import's
// writes (runBatches): fewer round trips than batchSize, a few MiB of
// parameters each.
const importBatch = 5000

// EnsureSchema creates the constraints and indexes Phakhi relies on. It is
// idempotent.
func (s *Store) EnsureSchema(ctx context.Context) error {
	stmts := []string{
		"CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
	}
	for _, l := range domain.NodeLabels {
		low := strings.ToLower(l)
		stmts = append(stmts,
			fmt.Sprintf("CREATE INDEX %s_name IF NOT EXISTS FOR (n:%s) ON (n.name)", low, l),
			fmt.Sprintf("CREATE INDEX %s_kind IF NOT EXISTS FOR (n:%s) ON (n.kind)", low, l),
			fmt.Sprintf("CREATE INDEX %s_name_key IF NOT EXISTS FOR (n:%s) ON (n.nameKey)", low, l),
			// the status filter asked for the rarer statuses (INFERRED,
			// DISPUTED: see statusCond), measured in bench/README.md
			fmt.Sprintf("CREATE INDEX %s_status IF NOT EXISTS FOR (n:%s) ON (n.status)", low, l),
		)
	}
	stmts = append(stmts,
		"CREATE TEXT INDEX node_search_key IF NOT EXISTS FOR (n:Node) ON (n.searchKey)",
		"CREATE FULLTEXT INDEX node_search IF NOT EXISTS FOR (n:Node) ON EACH [n.name, n.nameEn, n.aliases, n.description, n.descriptionEn] "+
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'thai', `fulltext.eventually_consistent`: false}}",
		"CREATE INDEX event_start IF NOT EXISTS FOR (n:Event) ON (n.startDate)",
		"CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE",
		"CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.atMillis)",
		"CREATE INDEX change_target IF NOT EXISTS FOR (c:Change) ON (c.targetId)",
		"CREATE INDEX change_actor IF NOT EXISTS FOR (c:Change) ON (c.actor)",
		"CREATE INDEX place_code IF NOT EXISTS FOR (n:Place) ON (n.code)",
	)
	stmts = append(stmts, spanIndexes()...)
	schema := func(st string) error {
		_, err := s.write(ctx, "EnsureSchema", func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, st, nil)
			if err != nil {
				return nil, err
			}
			_, err = res.Consume(ctx)
			return nil, err
		})
		return err
	}
	for _, st := range stmts {
		if err := schema(st); err != nil {
			return fmt.Errorf("ensure schema: %w", err)
		}
	}
	// Relationship ids are unique per type. Databases from before had an
	// index on the same schema, which a constraint cannot sit beside: it
	// goes first, and comes back if the constraint cannot be made.
	for _, t := range domain.RelTypes {
		low := strings.ToLower(t)
		index := fmt.Sprintf("CREATE INDEX rel_%s_id IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", low, t)
		if err := schema(fmt.Sprintf("DROP INDEX rel_%s_id IF EXISTS", low)); err != nil {
			return fmt.Errorf("ensure schema: %w", err)
		}
		if err := schema(fmt.Sprintf("CREATE CONSTRAINT rel_%s_id_unique IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", low, t)); err != nil {
			_ = schema(index)
			return fmt.Errorf("ensure schema: relationships of type %s must have unique ids (merge or delete those that share one): %w", t, err)
		}
	}
	if _, err := s.backfillSpans(ctx); err != nil {
		return fmt.Errorf("ensure schema: %w", err)
	}
	if _, err := s.backfillNameKeys(ctx); err != nil {
		return fmt.Errorf("ensure schema: %w", err)
	}
	// New indexes fill in the background. Wait for them, so the first
	// queries are planned with them, but at most 50 s (Neo4j's own
	// transaction timeout is at least 60 s): an index still filling is
	// used once it is online, and answers stay right meanwhile.
	_, _ = neo4j.ExecuteQuery(ctx, s.driver, "CALL db.awaitIndexes(50)", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database))
	return nil
}

// IsEmpty reports whether the database holds no Phakhi node.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	recs, err := s.read(ctx, "IsEmpty", "RETURN EXISTS { MATCH (:Node) } AS any", nil)
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

// LoadBundle merges a bundle in one write transaction as the actor
// "seed": see Import. A bundle with problems is refused whole, the first
// problem named in the error.
func (s *Store) LoadBundle(ctx context.Context, b *domain.Bundle) (LoadResult, error) {
	res, err := s.Import(ctx, "seed", b, domain.Lines{}, false)
	if err != nil {
		return LoadResult{}, err
	}
	if !res.OK() {
		p := res.Problems[0]
		field := p.Record
		if p.Field != "" {
			field += "." + p.Field
		}
		return LoadResult{}, &domain.Error{Code: domain.EINVALID, Field: field, Message: fmt.Sprintf("%s (%d problems in all)", p.Reason, len(res.Problems))}
	}
	return LoadResult{
		Nodes:         res.NodesCreated + res.NodesUpdated + res.NodesUnchanged,
		Relationships: res.RelationshipsCreated + res.RelationshipsUpdated + res.RelsSame,
	}, nil
}

// DeleteAll removes every Phakhi node and relationship, and the audit
// trail, in one transaction.
func (s *Store) DeleteAll(ctx context.Context) error {
	_, err := s.write(ctx, "DeleteAll", func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, "MATCH (n) WHERE n:Node OR n:Change DETACH DELETE n", nil)
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
	for start := 0; start < len(rows); start += importBatch {
		end := min(start+importBatch, len(rows))
		res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows[start:end]})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		c, err := value[int64](rec, "c")
		if err != nil {
			return 0, err
		}
		total += int(c)
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

func putDate(p map[string]any, prefix string, d *domain.PartialDate) {
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

func putEvidence(p map[string]any, evs []domain.Evidence) {
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

// NodeProperties are the properties the store writes for a node (without
// its version): for loaders outside the store, such as the benchmark's
// generator, so what they write matches.
func NodeProperties(n *domain.NodeRecord) map[string]any { return nodeProps(n) }

// RelProperties are the properties the store writes for a relationship.
func RelProperties(r *domain.RelRecord) map[string]any { return relProps(r) }

// NodeLabels is ":Label:Actor", ":Label:Place" or ":Label" for a concrete
// label from the allow-list.
func NodeLabels(label string) string { return nodeLabels(label) }

func nodeProps(n *domain.NodeRecord) map[string]any {
	p := map[string]any{"id": n.ID, "name": n.Name}
	putNameKey(p, n.Name, n.NameEn, n.Aliases)
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
	putSpan(p, n.Start, n.End)
	putEvidence(p, n.Evidence)
	putStatus(p, n.AssertionStatus(), n.Basis)
	if len(n.MergedFrom) > 0 {
		p["mergedFrom"] = n.MergedFrom
	}
	p["searchKey"] = SearchKey(n)
	return p
}

func relProps(r *domain.RelRecord) map[string]any {
	p := map[string]any{"id": r.RelID()}
	putStr(p, "role", r.Role)
	putStr(p, "roleTh", r.RoleTh)
	putStr(p, "description", r.Description)
	putStr(p, "event", r.Event)
	putDate(p, "start", r.Start)
	putDate(p, "end", r.End)
	putEvidence(p, r.Evidence)
	putStatus(p, r.AssertionStatus(), r.Basis)
	return p
}

// putStatus writes the assertion status (validated, never empty for a
// record with evidence) and its basis.
func putStatus(p map[string]any, s domain.AssertionStatus, basis string) {
	putStr(p, "status", string(s))
	putStr(p, "basis", basis)
}
