package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/phakhi/phakhi/domain"
)

// MergeNodes merges duplicates into keep: their names and aliases become
// aliases of keep, their evidence joins keep's, their statuses merge into
// one (domain.MergedStatus; a relationship keeps its own, unless it merges
// with one keep already has, when the two merge by the same rule), their
// relationships move to keep (merged with any keep already has), and they
// are deleted. All in
// one transaction: each duplicate is read and checked (readDuplicate),
// absorbed into keep (absorb), its relationships and citations moved and
// itself deleted (dissolve); then keep is written and the merge recorded.
func (s *Store) MergeNodes(ctx context.Context, actor, keep string, dups []string, reason string) error {
	if err := checkMerge(keep, dups); err != nil {
		return err
	}
	_, err := s.write(ctx, "MergeNodes", func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, mergeNodes(ctx, tx, actor, keep, dups, reason)
	})
	return err
}

// checkMerge refuses a merge of nothing, or of keep into itself.
func checkMerge(keep string, dups []string) error {
	if len(dups) == 0 {
		return domain.Invalid("duplicates", "is empty")
	}
	for i, d := range dups {
		if d == keep {
			return domain.Invalid(fmt.Sprintf("duplicates[%d]", i), "is the node to keep")
		}
	}
	return nil
}

// mergeNodes is MergeNodes' transaction.
func mergeNodes(ctx context.Context, tx neo4j.ManagedTransaction, actor, keep string, dups []string, reason string) error {
	kl, kp, err := lockNodeAs(ctx, tx, keep, "keep")
	if err != nil {
		return err
	}
	kept := recordFromProps(kl, kp)
	before := map[string]any{"keep": kept}
	var merged []any
	var recited []string // facts moved to cite the kept source
	for i, d := range dups {
		dr, err := readDuplicate(ctx, tx, d, fmt.Sprintf("duplicates[%d]", i), &kept)
		if err != nil {
			return err
		}
		merged = append(merged, dr)
		absorb(&kept, dr)
		moved, err := dissolve(ctx, tx, d, &kept)
		if err != nil {
			return err
		}
		recited = append(recited, moved...)
	}
	if err := mergeStatus(&kept, merged); err != nil {
		return err
	}
	kept.MergedFrom = append(kept.MergedFrom, dups...)
	props := nodeProps(&kept)
	props["version"] = int64(version(kp) + 1)
	if _, err := run(ctx, tx, "MATCH (n:Node {id: $id}) SET n = $props", map[string]any{"id": keep, "props": props}); err != nil {
		return err
	}
	before["duplicates"] = merged
	return recordMerge(ctx, tx, actor, keep, dups, recited, before, kept, reason)
}

// lockNodeAs is lockNode, with a missing node's error naming field.
func lockNodeAs(ctx context.Context, tx neo4j.ManagedTransaction, id, field string) ([]any, map[string]any, error) {
	labels, props, err := lockNode(ctx, tx, id)
	if err != nil {
		var me *domain.Error
		if errors.As(err, &me) {
			me.Field = field
		}
		return nil, nil, err
	}
	return labels, props, nil
}

// readDuplicate locks and reads the duplicate d (named field in errors),
// which must be of kept's kind.
func readDuplicate(ctx context.Context, tx neo4j.ManagedTransaction, d, field string, kept *domain.NodeRecord) (domain.NodeRecord, error) {
	dl, dp, err := lockNodeAs(ctx, tx, d, field)
	if err != nil {
		return domain.NodeRecord{}, err
	}
	dr := recordFromProps(dl, dp)
	if dr.Label != kept.Label {
		return domain.NodeRecord{}, domain.Invalid(field, "%q is a %s and %q a %s: only nodes of one kind merge", d, dr.Label, kept.ID, kept.Label)
	}
	return dr, nil
}

// absorb makes dup's names and aliases aliases of kept (each once), and
// adds dup's evidence to kept's.
func absorb(kept *domain.NodeRecord, dup domain.NodeRecord) {
	for _, name := range append([]string{dup.Name, dup.NameEn}, dup.Aliases...) {
		if name != "" && name != kept.Name && name != kept.NameEn && !contains(kept.Aliases, name) {
			kept.Aliases = append(kept.Aliases, name)
		}
	}
	kept.Evidence = append(kept.Evidence, dup.Evidence...)
}

// mergeStatus gives kept the status of it and its duplicates merged into
// one (domain.MergedStatus), and checks it: a merge of records that none
// gives a status (written before statuses existed) leaves none. A basis
// joined past the length a basis may have is refused, naming duplicates.
func mergeStatus(kept *domain.NodeRecord, dups []any) error {
	statuses, bases := []domain.AssertionStatus{kept.Status}, []string{kept.Basis}
	given := kept.Status != ""
	for _, d := range dups {
		dr := d.(domain.NodeRecord)
		statuses, bases = append(statuses, dr.Status), append(bases, dr.Basis)
		given = given || dr.Status != ""
	}
	if !given {
		return nil
	}
	kept.Status, kept.Basis = domain.MergedStatus(statuses, bases)
	if err := kept.ValidateStatus("duplicates"); err != nil {
		var me *domain.Error
		if errors.As(err, &me) {
			me.Message = "merged into " + kept.ID + ", the status " + string(kept.Status) + " would not hold: " + me.Message
		}
		return err
	}
	return nil
}

// dissolve moves the duplicate d's relationships to kept, and, when they
// are sources, the citations of d to kept (in the graph and in kept's
// evidence); then it deletes d. It returns the ids of the facts moved to
// cite kept.
func dissolve(ctx context.Context, tx neo4j.ManagedTransaction, d string, kept *domain.NodeRecord) ([]string, error) {
	keep := kept.ID
	// outgoing, then incoming; relationships between the two vanish
	for _, q := range []string{moveRels(true), moveRels(false)} {
		if _, err := run(ctx, tx, q, map[string]any{"d": d, "k": keep, "types": domain.RelTypes}); err != nil {
			return nil, err
		}
	}
	var recited []string
	if kept.Label == domain.LabelSource {
		var err error
		if recited, err = recite(ctx, tx, d, keep); err != nil {
			return nil, err
		}
		for i := range kept.Evidence {
			if kept.Evidence[i].Source == d {
				kept.Evidence[i].Source = keep
			}
		}
	}
	if _, err := run(ctx, tx, "MATCH (d:Node {id: $d}) DETACH DELETE d", map[string]any{"d": d}); err != nil {
		return nil, err
	}
	return recited, nil
}

// recite makes the facts citing the source d cite the source it merges
// into, k: a change to each, so its version moves and the merge's change
// lists it (history by node finds it). It returns their ids, d's aside.
func recite(ctx context.Context, tx neo4j.ManagedTransaction, d, k string) ([]string, error) {
	recs, err := run(ctx, tx, `CALL () { MATCH (n:Node) WHERE $d IN n.evidenceSources AND n.id <> $k
	  SET n.evidenceSources = [x IN n.evidenceSources | CASE x WHEN $d THEN $k ELSE x END], n.version = coalesce(n.version, 0) + 1
	  RETURN collect(n.id) AS nodes }
	CALL () { MATCH (:Node)-[r]->(:Node) WHERE $d IN r.evidenceSources
	  SET r.evidenceSources = [x IN r.evidenceSources | CASE x WHEN $d THEN $k ELSE x END], r.version = coalesce(r.version, 0) + 1
	  RETURN collect(r.id) AS rels }
	RETURN nodes + rels AS ids`, map[string]any{"d": d, "k": k})
	if err != nil {
		return nil, err
	}
	rec, err := readOne(recs, "recite")
	if err != nil {
		return nil, err
	}
	ids, err := column[string](rec, "ids")
	if err != nil {
		return nil, err
	}
	var recited []string
	for _, id := range ids {
		if id != d {
			recited = append(recited, id)
		}
	}
	return recited, nil
}

// recordMerge records the merge in the audit trail: keep, the duplicates
// and the facts that now cite the kept source, in further changes past
// the ids one holds.
func recordMerge(ctx context.Context, tx neo4j.ManagedTransaction, actor, keep string, dups, recited []string, before map[string]any, kept domain.NodeRecord, reason string) error {
	ids := append(append([]string{keep}, dups...), recited...)
	first := min(len(ids), max(maxChangeIDs, len(dups)+1))
	if err := recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionMergeNodes, TargetID: keep,
		IDs: ids[:first], Before: before, After: kept, Reason: reason}); err != nil {
		return err
	}
	for start := first; start < len(ids); start += maxChangeIDs {
		if err := recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionMergeNodes, TargetID: keep,
			IDs: ids[start:min(start+maxChangeIDs, len(ids))], Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}

// moveRels moves the relationships of the domain's types ($types) from a
// duplicate d to the node kept, k, merging each into one k already has
// (evidence joined); relationships between d and k vanish. One statement
// per direction for every type, the type written dynamically ($(t),
// Cypher 5.26), not one per type: a merge was 2 × 40 statements, each
// planned by Neo4j the first time it ran.
//
// An id derived from the ends, type and role (RelRecord.RelID:
// from>TYPE>to[>role]) is rebuilt from the new ends, keeping the rest; an
// id given by hand is kept. The old relationship is deleted before the new
// one is merged, as ids are unique.
func moveRels(outgoing bool) string {
	match, merge := "(d:Node {id: $d})-[r]->(o)", "(k)-[nr:$(t) {id: nid}]->(o)"
	old, neu := "$d + '>' + t + '>' + o.id", "$k + '>' + t + '>' + o.id"
	if !outgoing {
		match, merge = "(d:Node {id: $d})<-[r]-(o)", "(o)-[nr:$(t) {id: nid}]->(k)"
		old, neu = "o.id + '>' + t + '>' + $d", "o.id + '>' + t + '>' + $k"
	}
	return `MATCH ` + match + ` WHERE o.id <> $k AND type(r) IN $types MATCH (k:Node {id: $k})
		WITH r, o, k, type(r) AS t, properties(r) AS p
		WITH r, o, k, t, p, ` + old + ` AS old
		WITH r, o, k, t, p, CASE WHEN p.id = old OR p.id STARTS WITH old + '>' THEN ` + neu + ` + substring(p.id, size(old)) ELSE p.id END AS nid
		DELETE r
		MERGE ` + merge + `
		ON CREATE SET nr = p, nr.id = nid
		ON MATCH SET nr.evidenceNotes = coalesce(nr.evidenceNotes, [x IN coalesce(nr.evidenceSources, []) | '']) + coalesce(p.evidenceNotes, [x IN coalesce(p.evidenceSources, []) | '']),
		             nr.evidenceSources = coalesce(nr.evidenceSources, []) + coalesce(p.evidenceSources, []),
		             nr.evidenceQuotes = coalesce(nr.evidenceQuotes, []) + coalesce(p.evidenceQuotes, []),
		             nr.evidenceLocators = coalesce(nr.evidenceLocators, []) + coalesce(p.evidenceLocators, []),
		             nr.version = coalesce(nr.version, 0) + 1,
		             nr.basis = ` + mergedRelBasis + `,
		             nr.status = ` + mergedRelStatus
}

// mergedRelStatus and mergedRelBasis are domain.MergedStatus in Cypher,
// for a relationship nr that a moved one, p (its properties before the
// move), merges into (ON MATCH; one created from p keeps p's). The basis
// is set first: SET applies its items in order, and it reads nr's status
// as it was. A pair that neither gives a status (written before
// statuses) keeps none.
const (
	mergedRelStatus = `CASE WHEN nr.status IS NULL AND p.status IS NULL THEN null
		     WHEN 'DISPUTED' IN [nr.status, p.status] THEN 'DISPUTED'
		     WHEN coalesce(nr.status, 'STATED') = 'STATED' OR coalesce(p.status, 'STATED') = 'STATED' THEN 'STATED'
		     ELSE 'INFERRED' END`
	mergedRelBasis = `CASE WHEN nr.status IS NULL AND p.status IS NULL THEN nr.basis
		     WHEN NOT 'DISPUTED' IN [nr.status, p.status] AND (coalesce(nr.status, 'STATED') = 'STATED' OR coalesce(p.status, 'STATED') = 'STATED') THEN null
		     ELSE reduce(b = null, x IN [y IN [CASE WHEN coalesce(nr.status, 'STATED') <> 'STATED' THEN trim(nr.basis) END,
		                                     CASE WHEN coalesce(p.status, 'STATED') <> 'STATED' THEN trim(p.basis) END] WHERE y IS NOT NULL AND y <> ''] |
		          CASE WHEN b IS NULL THEN x WHEN x IN split(b, '; ') THEN b ELSE b + '; ' + x END) END`
)
