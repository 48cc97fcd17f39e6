package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// Every write runs in one write transaction with its audit record: the
// change is committed with the write or not at all. Nodes and
// relationships carry a version, bumped by every change; an update names
// the version it saw, and the node is locked before the version is
// checked, so concurrent editors cannot lose each other's updates.

// ChangeRecord is what a write records in the audit trail.
type ChangeRecord struct {
	Actor    string
	Action   string
	TargetID string
	IDs      []string
	Before   any
	After    any
	Reason   string
}

func toJSON(v any) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return string(b)
}

const maxChangeIDs = 1000

func recordChange(ctx context.Context, tx neo4j.ManagedTransaction, c ChangeRecord) error {
	ids := c.IDs
	if len(ids) > maxChangeIDs {
		ids = ids[:maxChangeIDs]
	}
	if ids == nil {
		ids = []string{}
	}
	params := map[string]any{
		"actor": c.Actor, "action": c.Action, "target": c.TargetID, "ids": ids,
		"before": toJSON(c.Before), "after": toJSON(c.After), "reason": c.Reason,
	}
	// One reading of the clock for both: two could differ by a
	// millisecond, and history compares atMillis with the at it shows.
	_, err := run(ctx, tx, `WITH datetime.realtime() AS now CREATE (c:Change {id: randomUUID(), at: toString(now), atMillis: now.epochMillis,
		actor: $actor, action: $action, targetId: $target, ids: $ids, before: $before, after: $after, reason: $reason})`, params)
	return err
}

// run runs one statement inside a transaction and collects its records.
func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// recordFromProps rebuilds a node record from its stored properties.
func recordFromProps(labels []any, p map[string]any) domain.NodeRecord {
	r := domain.NodeRecord{
		ID: str(p, "id"), Kind: str(p, "kind"), Name: str(p, "name"), NameEn: str(p, "nameEn"),
		Aliases: strs(p, "aliases"), Description: str(p, "description"), DescriptionEn: str(p, "descriptionEn"),
		Code: str(p, "code"), PostalCode: str(p, "postalCode"), Address: str(p, "address"), URL: str(p, "url"),
		StartsAt: str(p, "startsAt"), EndsAt: str(p, "endsAt"),
		Start: date(p, startKeys), End: date(p, endKeys), Evidence: evidenceFromProps(p),
		MergedFrom: strs(p, "mergedFrom"),
		Status:     domain.AssertionStatus(str(p, "status")), Basis: str(p, "basis"),
	}
	if len(r.MergedFrom) == 0 {
		r.MergedFrom = nil
	}
	if len(r.Aliases) == 0 {
		r.Aliases = nil
	}
	if o, ok := p["order"].(int64); ok {
		r.Order = int(o)
	}
	for _, l := range labels {
		if s, _ := l.(string); domain.IsNodeLabel(s) {
			r.Label = s
		}
	}
	return r
}

func evidenceFromProps(p map[string]any) []domain.Evidence {
	src, q, l, n := strs(p, "evidenceSources"), strs(p, "evidenceQuotes"), strs(p, "evidenceLocators"), strs(p, "evidenceNotes")
	var out []domain.Evidence
	for i := range src {
		e := domain.Evidence{Source: src[i]}
		if i < len(q) {
			e.Quote = q[i]
		}
		if i < len(l) {
			e.Locator = l[i]
		}
		if i < len(n) {
			e.Note = n[i]
		}
		out = append(out, e)
	}
	return out
}

func relRecordFromProps(typ, from, to string, p map[string]any) domain.RelRecord {
	return domain.RelRecord{
		ID: str(p, "id"), Type: typ, From: from, To: to, Role: str(p, "role"), RoleTh: str(p, "roleTh"),
		Description: str(p, "description"), Start: date(p, startKeys), End: date(p, endKeys), Evidence: evidenceFromProps(p),
		Status: domain.AssertionStatus(str(p, "status")), Basis: str(p, "basis"),
		Event: str(p, "event"),
	}
}

func version(p map[string]any) int {
	v, _ := p["version"].(int64)
	return int(v)
}

// checkSources makes sure every cited source exists (or is among extra).
func checkSources(ctx context.Context, tx neo4j.ManagedTransaction, field string, evs []domain.Evidence, extra map[string]bool) error {
	var ids []string
	for _, e := range evs {
		if !extra[e.Source] {
			ids = append(ids, e.Source)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := lockNodes(ctx, tx, ids); err != nil {
		return err
	}
	recs, err := run(ctx, tx, "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH (s:Node&Source {id: $ids[i]}) WITH i, s WHERE s IS NULL RETURN i", map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		i, err := value[int64](recs[0], "i")
		if err != nil {
			return err
		}
		if i < 0 || int(i) >= len(ids) {
			return fmt.Errorf("check sources: index %d out of %d ids", i, len(ids))
		}
		return domain.Invalid(fmt.Sprintf("%s.evidence[%d].source", field, i), "no Source node has id %q: create the source first", ids[i])
	}
	return nil
}

// lockNodes takes the write locks of the nodes with these ids, in id
// order: a source that new evidence cites is then not deleted beside it
// (DeleteNode locks the node before it counts the facts citing it).
func lockNodes(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) error {
	_, err := run(ctx, tx, "MATCH (n:Node) WHERE n.id IN $ids WITH n ORDER BY n.id SET n.version = coalesce(n.version, 0)", map[string]any{"ids": ids})
	return err
}

func nodeLabels(label string) string {
	labels := ":" + label
	if shared := domain.SharedLabel(label); shared != "" {
		labels += ":" + shared
	}
	return labels
}

// CreateNode creates a node. An id in use is a CONFLICT.
func (s *Store) CreateNode(ctx context.Context, actor string, rec domain.NodeRecord) error {
	if err := rec.Validate("input"); err != nil {
		return err
	}
	if len(rec.Evidence) == 0 {
		return domain.Invalid("input.evidence", "is empty: every fact is cited")
	}
	_, err := s.write(ctx, "CreateNode", func(tx neo4j.ManagedTransaction) (any, error) {
		if err := checkSources(ctx, tx, "input", rec.Evidence, map[string]bool{rec.ID: rec.Label == domain.LabelSource}); err != nil {
			return nil, err
		}
		exists, err := run(ctx, tx, "MATCH (n:Node {id: $id}) RETURN n.id", map[string]any{"id": rec.ID})
		if err != nil {
			return nil, err
		}
		if len(exists) > 0 {
			return nil, &domain.Error{Code: domain.ECONFLICT, Field: "input.id", Message: fmt.Sprintf("a node with id %q exists already", rec.ID)}
		}
		props := nodeProps(&rec)
		props["version"] = int64(1)
		// the label comes from the allow-list: Validate checked it
		if _, err := run(ctx, tx, "CREATE (n:Node"+nodeLabels(rec.Label)+") SET n = $props", map[string]any{"props": props}); err != nil {
			return nil, err
		}
		return nil, recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionCreateNode, TargetID: rec.ID, IDs: []string{rec.ID}, After: rec})
	})
	return err
}

// lockNode takes the write lock on a node, then reads it.
func lockNode(ctx context.Context, tx neo4j.ManagedTransaction, id string) ([]any, map[string]any, error) {
	recs, err := run(ctx, tx, "MATCH (n:Node {id: $id}) SET n.version = coalesce(n.version, 0) RETURN labels(n) AS labels, properties(n) AS props", map[string]any{"id": id})
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, &domain.Error{Code: domain.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no node has id %q", id)}
	}
	labels, err := value[[]any](recs[0], "labels")
	if err != nil {
		return nil, nil, err
	}
	props, err := value[map[string]any](recs[0], "props")
	if err != nil {
		return nil, nil, err
	}
	return labels, props, nil
}

func stale(kind, id string, expected, current int) error {
	return &domain.Error{Code: domain.ESTALE, Field: "expectedVersion",
		Message: fmt.Sprintf("the %s %q is at version %d, not %d: someone changed it since you read it; read it again and reapply your change", kind, id, current, expected),
		Extra:   map[string]any{"currentVersion": current}}
}

// UpdateNode applies change to the node if it is still at version expected.
func (s *Store) UpdateNode(ctx context.Context, actor, id string, expected int, change func(*domain.NodeRecord) error) error {
	_, err := s.write(ctx, "UpdateNode", func(tx neo4j.ManagedTransaction) (any, error) {
		labels, props, err := lockNode(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if v := version(props); v != expected {
			return nil, stale("node", id, expected, v)
		}
		before := recordFromProps(labels, props)
		after := before
		after.Aliases = append([]string(nil), before.Aliases...)
		if err := change(&after); err != nil {
			return nil, err
		}
		if err := after.Validate("patch"); err != nil {
			return nil, err
		}
		np := nodeProps(&after)
		np["version"] = int64(expected + 1)
		if _, err := run(ctx, tx, "MATCH (n:Node {id: $id}) SET n = $props", map[string]any{"id": id, "props": np}); err != nil {
			return nil, err
		}
		return nil, recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionUpdateNode, TargetID: id, IDs: []string{id}, Before: before, After: after})
	})
	return err
}

// DeleteNode deletes a node and its relationships; with expected, only if
// the node is still at that version.
func (s *Store) DeleteNode(ctx context.Context, actor, id string, expected *int) (int, error) {
	out, err := s.write(ctx, "DeleteNode", func(tx neo4j.ManagedTransaction) (any, error) {
		labels, props, err := lockNode(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if expected != nil && version(props) != *expected {
			return nil, stale("node", id, *expected, version(props))
		}
		if recordFromProps(labels, props).Label == domain.LabelSource {
			if err := uncited(ctx, tx, id); err != nil {
				return nil, err
			}
		}
		recs, err := run(ctx, tx, "MATCH (n:Node {id: $id}) WITH n, COUNT { (n)--() } AS rels DETACH DELETE n RETURN rels", map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		rec, err := readOne(recs, "delete node")
		if err != nil {
			return nil, err
		}
		rels, err := value[int64](rec, "rels")
		if err != nil {
			return nil, err
		}
		before := recordFromProps(labels, props)
		return int(rels), recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionDeleteNode, TargetID: id, IDs: []string{id}, Before: before})
	})
	if err != nil {
		return 0, err
	}
	return out.(int), nil
}

// uncited refuses to delete a source that facts cite: they would be left
// citing a missing source. Its citing itself, or relationships that go with
// it, do not count.
func uncited(ctx context.Context, tx neo4j.ManagedTransaction, id string) error {
	recs, err := run(ctx, tx, `MATCH (s:Node {id: $id})
		RETURN COUNT { MATCH (n:Node) WHERE n <> s AND $id IN n.evidenceSources } AS nodes,
		       COUNT { MATCH (a:Node)-[r]->(b:Node) WHERE a <> s AND b <> s AND $id IN r.evidenceSources } AS rels`, map[string]any{"id": id})
	if err != nil {
		return err
	}
	rec, err := readOne(recs, "count citations")
	if err != nil {
		return err
	}
	n, err := value[int64](rec, "nodes")
	if err != nil {
		return err
	}
	r, err := value[int64](rec, "rels")
	if err != nil {
		return err
	}
	nodes, rels := int(n), int(r)
	if nodes+rels == 0 {
		return nil
	}
	return &domain.Error{Code: domain.ECONFLICT, Field: "id",
		Message: fmt.Sprintf("the source %q is cited by %s (%s and %s), which would be left citing nothing: delete them, or cite another source for them (an import replaces a record's evidence), first",
			id, plural(nodes+rels, "fact"), plural(nodes, "node"), plural(rels, "relationship")),
		Extra: map[string]any{"citedBy": nodes + rels}}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// relByID is one index-backed lookup per relationship type.
var relByID = func() string {
	var parts []string
	for _, t := range domain.RelTypes {
		parts = append(parts, "MATCH (a)-[r:"+t+" {id: $id}]->(b) RETURN r, a.id AS from, b.id AS to")
	}
	return "CALL () { " + strings.Join(parts, " UNION ") + " } "
}()

// lockRel takes the write lock on a relationship, then reads it.
func lockRel(ctx context.Context, tx neo4j.ManagedTransaction, id string) (domain.RelRecord, map[string]any, error) {
	recs, err := run(ctx, tx, relByID+"WITH r, from, to LIMIT 1 SET r.version = coalesce(r.version, 0) RETURN type(r) AS type, from, to, properties(r) AS props", map[string]any{"id": id})
	if err != nil {
		return domain.RelRecord{}, nil, err
	}
	if len(recs) == 0 {
		return domain.RelRecord{}, nil, &domain.Error{Code: domain.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no relationship has id %q", id)}
	}
	typ, err := value[string](recs[0], "type")
	if err != nil {
		return domain.RelRecord{}, nil, err
	}
	from, err := value[string](recs[0], "from")
	if err != nil {
		return domain.RelRecord{}, nil, err
	}
	to, err := value[string](recs[0], "to")
	if err != nil {
		return domain.RelRecord{}, nil, err
	}
	p, err := value[map[string]any](recs[0], "props")
	if err != nil {
		return domain.RelRecord{}, nil, err
	}
	return relRecordFromProps(typ, from, to, p), p, nil
}

// CreateRelationship creates a relationship between two existing nodes.
func (s *Store) CreateRelationship(ctx context.Context, actor string, rec domain.RelRecord) (string, error) {
	if err := rec.Validate("input"); err != nil {
		return "", err
	}
	if len(rec.Evidence) == 0 {
		return "", domain.Invalid("input.evidence", "is empty: every fact is cited")
	}
	id := rec.RelID()
	_, err := s.write(ctx, "CreateRelationship", func(tx neo4j.ManagedTransaction) (any, error) {
		if err := checkSources(ctx, tx, "input", rec.Evidence, nil); err != nil {
			return nil, err
		}
		for _, end := range []struct{ field, id string }{{"input.from", rec.From}, {"input.to", rec.To}} {
			found, err := run(ctx, tx, "MATCH (n:Node {id: $id}) RETURN n.id", map[string]any{"id": end.id})
			if err != nil {
				return nil, err
			}
			if len(found) == 0 {
				return nil, &domain.Error{Code: domain.ENOTFOUND, Field: end.field, Message: fmt.Sprintf("no node has id %q", end.id)}
			}
		}
		dup, err := run(ctx, tx, relByID+"RETURN r.id LIMIT 1", map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(dup) > 0 {
			return nil, &domain.Error{Code: domain.ECONFLICT, Field: "input.id", Message: fmt.Sprintf("a relationship with id %q exists already", id)}
		}
		props := relProps(&rec)
		props["version"] = int64(1)
		// the type comes from the allow-list: Validate checked it
		if _, err := run(ctx, tx, "MATCH (a:Node {id: $from}), (b:Node {id: $to}) CREATE (a)-[r:"+rec.Type+"]->(b) SET r = $props",
			map[string]any{"from": rec.From, "to": rec.To, "props": props}); err != nil {
			return nil, err
		}
		return nil, recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionCreateRelationship, TargetID: id, IDs: []string{id, rec.From, rec.To}, After: rec})
	})
	var me *domain.Error
	if errors.As(err, &me) && me.Code == domain.ECONFLICT && me.Field == "" {
		// created meanwhile by another writer: the constraint refused this one
		return "", &domain.Error{Code: domain.ECONFLICT, Field: "input.id", Message: fmt.Sprintf("a relationship with id %q exists already", id)}
	}
	return id, err
}

// UpdateRelationship applies change if the relationship is at expected.
func (s *Store) UpdateRelationship(ctx context.Context, actor, id string, expected int, change func(*domain.RelRecord) error) error {
	_, err := s.write(ctx, "UpdateRelationship", func(tx neo4j.ManagedTransaction) (any, error) {
		before, props, err := lockRel(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if v := version(props); v != expected {
			return nil, stale("relationship", id, expected, v)
		}
		after := before
		if err := change(&after); err != nil {
			return nil, err
		}
		after.ID = id
		if err := after.Validate("patch"); err != nil {
			return nil, err
		}
		rp := relProps(&after)
		rp["version"] = int64(expected + 1)
		if _, err := run(ctx, tx, relByID+"WITH r LIMIT 1 SET r = $props", map[string]any{"id": id, "props": rp}); err != nil {
			return nil, err
		}
		return nil, recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionUpdateRelationship, TargetID: id, IDs: []string{id, before.From, before.To}, Before: before, After: after})
	})
	return err
}

// DeleteRelationship deletes a relationship.
func (s *Store) DeleteRelationship(ctx context.Context, actor, id string, expected *int) error {
	_, err := s.write(ctx, "DeleteRelationship", func(tx neo4j.ManagedTransaction) (any, error) {
		before, props, err := lockRel(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if expected != nil && version(props) != *expected {
			return nil, stale("relationship", id, *expected, version(props))
		}
		if _, err := run(ctx, tx, relByID+"WITH r LIMIT 1 DELETE r", map[string]any{"id": id}); err != nil {
			return nil, err
		}
		return nil, recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionDeleteRelationship, TargetID: id, IDs: []string{id, before.From, before.To}, Before: before})
	})
	return err
}

// AddEvidence cites a source for a node or relationship, by id.
func (s *Store) AddEvidence(ctx context.Context, actor, targetID string, ev domain.Evidence) (count, ver int, err error) {
	if err := (&domain.NodeRecord{ID: "x", Label: domain.LabelPerson, Name: "x", Evidence: []domain.Evidence{ev}}).Validate("evidence"); err != nil {
		var me *domain.Error
		if errors.As(err, &me) {
			me.Field = strings.Replace(me.Field, "evidence.evidence[0]", "evidence", 1)
		}
		return 0, 0, err
	}
	out, err := s.write(ctx, "AddEvidence", func(tx neo4j.ManagedTransaction) (any, error) {
		if err := checkSources(ctx, tx, "", []domain.Evidence{ev}, nil); err != nil {
			var me *domain.Error
			if errors.As(err, &me) {
				me.Field = "evidence.source"
			}
			return nil, err
		}
		params := map[string]any{"id": targetID, "s": ev.Source, "q": ev.Quote, "l": ev.Locator, "n": ev.Note}
		// notes first: a node the offline importer wrote may have none
		// (sameProps), and the padding counts the sources before this one
		set := `SET x.evidenceNotes = coalesce(x.evidenceNotes, [e IN coalesce(x.evidenceSources, []) | '']) + $n,
			x.evidenceSources = coalesce(x.evidenceSources, []) + $s, x.evidenceQuotes = coalesce(x.evidenceQuotes, []) + $q,
			x.evidenceLocators = coalesce(x.evidenceLocators, []) + $l,
			x.version = coalesce(x.version, 0) + 1
			RETURN size(x.evidenceSources) AS count, x.version AS version`
		recs, err := run(ctx, tx, "MATCH (x:Node {id: $id}) "+set, params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			recs, err = run(ctx, tx, relByID+"WITH r AS x LIMIT 1 "+set, params)
			if err != nil {
				return nil, err
			}
		}
		if len(recs) == 0 {
			return nil, &domain.Error{Code: domain.ENOTFOUND, Field: "targetId", Message: fmt.Sprintf("no node or relationship has id %q", targetID)}
		}
		c, err := value[int64](recs[0], "count")
		if err != nil {
			return nil, err
		}
		v, err := value[int64](recs[0], "version")
		if err != nil {
			return nil, err
		}
		if err := recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionAddEvidence, TargetID: targetID, IDs: []string{targetID}, After: ev}); err != nil {
			return nil, err
		}
		return [2]int{int(c), int(v)}, nil
	})
	if err != nil {
		return 0, 0, err
	}
	r := out.([2]int)
	return r[0], r[1], nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// FindRelationshipByID reads one relationship.
func (s *Store) FindRelationshipByID(ctx context.Context, id string, sel *domain.RelSelection) (*domain.Relationship, error) {
	c := newCompiler()
	c.params["id"] = id
	cypher := relByID + "WITH r LIMIT 1 RETURN " + c.rel("r", sel) + " AS rel"
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "FindRelationshipByID", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("find relationship: %w", err)
	}
	if len(recs) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "no relationship has id %q", id)
	}
	raw, err := value[map[string]any](recs[0], "rel")
	if err != nil {
		return nil, fmt.Errorf("find relationship: %w", err)
	}
	return decodeRel(raw, sel), nil
}
