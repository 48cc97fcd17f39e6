package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/phakhi/phakhi/domain"
)

// MergeNodes merges duplicates into keep: their names and aliases become
// aliases of keep, their evidence joins keep's, their relationships move to
// keep (merged with any keep already has), and they are deleted.
func (s *Store) MergeNodes(ctx context.Context, actor, keep string, dups []string, reason string) error {
	if len(dups) == 0 {
		return domain.Invalid("duplicates", "is empty")
	}
	for i, d := range dups {
		if d == keep {
			return domain.Invalid(fmt.Sprintf("duplicates[%d]", i), "is the node to keep")
		}
	}
	_, err := s.write(ctx, "MergeNodes", func(tx neo4j.ManagedTransaction) (any, error) {
		kl, kp, err := lockNode(ctx, tx, keep)
		if err != nil {
			var me *domain.Error
			if errors.As(err, &me) {
				me.Field = "keep"
			}
			return nil, err
		}
		kept := recordFromProps(kl, kp)
		before := map[string]any{"keep": kept}
		var merged []any
		var recited []string // facts moved to cite the kept source
		for i, d := range dups {
			dl, dp, err := lockNode(ctx, tx, d)
			if err != nil {
				var me *domain.Error
				if errors.As(err, &me) {
					me.Field = fmt.Sprintf("duplicates[%d]", i)
				}
				return nil, err
			}
			dr := recordFromProps(dl, dp)
			if dr.Label != kept.Label {
				return nil, domain.Invalid(fmt.Sprintf("duplicates[%d]", i), "%q is a %s and %q a %s: only nodes of one kind merge", d, dr.Label, keep, kept.Label)
			}
			merged = append(merged, dr)
			for _, name := range append([]string{dr.Name, dr.NameEn}, dr.Aliases...) {
				if name != "" && name != kept.Name && name != kept.NameEn && !contains(kept.Aliases, name) {
					kept.Aliases = append(kept.Aliases, name)
				}
			}
			kept.Evidence = append(kept.Evidence, dr.Evidence...)
			for _, t := range domain.RelTypes {
				// outgoing, then incoming; relationships between the two vanish
				for _, q := range []string{moveRels(t, true), moveRels(t, false)} {
					if _, err := run(ctx, tx, q, map[string]any{"d": d, "k": keep}); err != nil {
						return nil, err
					}
				}
			}
			if kept.Label == domain.LabelSource {
				// the facts citing the duplicate cite the source it merges
				// into: a change to each, so its version moves and the
				// merge's change lists it (history by node finds it)
				recs, err := run(ctx, tx, `CALL () { MATCH (n:Node) WHERE $d IN n.evidenceSources AND n.id <> $k
				  SET n.evidenceSources = [x IN n.evidenceSources | CASE x WHEN $d THEN $k ELSE x END], n.version = coalesce(n.version, 0) + 1
				  RETURN collect(n.id) AS nodes }
				CALL () { MATCH (:Node)-[r]->(:Node) WHERE $d IN r.evidenceSources
				  SET r.evidenceSources = [x IN r.evidenceSources | CASE x WHEN $d THEN $k ELSE x END], r.version = coalesce(r.version, 0) + 1
				  RETURN collect(r.id) AS rels }
				RETURN nodes + rels AS ids`, map[string]any{"d": d, "k": keep})
				if err != nil {
					return nil, err
				}
				for _, id := range recs[0].AsMap()["ids"].([]any) {
					if id != d {
						recited = append(recited, id.(string))
					}
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
		}
		kept.MergedFrom = append(kept.MergedFrom, dups...)
		props := nodeProps(&kept)
		props["version"] = int64(version(kp) + 1)
		if _, err := run(ctx, tx, "MATCH (n:Node {id: $id}) SET n = $props", map[string]any{"id": keep, "props": props}); err != nil {
			return nil, err
		}
		before["duplicates"] = merged
		// the facts that now cite the kept source are listed too, in
		// further changes past the ids one holds
		ids := append(append([]string{keep}, dups...), recited...)
		first := min(len(ids), max(maxChangeIDs, len(dups)+1))
		if err := recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionMergeNodes, TargetID: keep,
			IDs: ids[:first], Before: before, After: kept, Reason: reason}); err != nil {
			return nil, err
		}
		for start := first; start < len(ids); start += maxChangeIDs {
			if err := recordChange(ctx, tx, ChangeRecord{Actor: actor, Action: domain.ActionMergeNodes, TargetID: keep,
				IDs: ids[start:min(start+maxChangeIDs, len(ids))], Reason: reason}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	return err
}

// moveRels moves the relationships of type t from a duplicate d to the
// node kept, k, merging each into one k already has (evidence joined);
// relationships between d and k vanish. t comes from the allow-list.
//
// An id derived from the ends, type and role (RelRecord.RelID:
// from>TYPE>to[>role]) is rebuilt from the new ends, keeping the rest; an
// id given by hand is kept. The old relationship is deleted before the new
// one is merged, as ids are unique.
func moveRels(t string, outgoing bool) string {
	match, merge := "(d:Node {id: $d})-[r:"+t+"]->(o)", "(k)-[nr:"+t+" {id: nid}]->(o)"
	old, neu := "$d + '>"+t+">' + o.id", "$k + '>"+t+">' + o.id"
	if !outgoing {
		match, merge = "(d:Node {id: $d})<-[r:"+t+"]-(o)", "(o)-[nr:"+t+" {id: nid}]->(k)"
		old, neu = "o.id + '>"+t+">' + $d", "o.id + '>"+t+">' + $k"
	}
	return `MATCH ` + match + ` WHERE o.id <> $k MATCH (k:Node {id: $k})
		WITH r, o, k, properties(r) AS p, ` + old + ` AS old
		WITH r, o, k, p, CASE WHEN p.id = old OR p.id STARTS WITH old + '>' THEN ` + neu + ` + substring(p.id, size(old)) ELSE p.id END AS nid
		DELETE r
		MERGE ` + merge + `
		ON CREATE SET nr = p, nr.id = nid
		ON MATCH SET nr.evidenceSources = coalesce(nr.evidenceSources, []) + coalesce(p.evidenceSources, []),
		             nr.evidenceQuotes = coalesce(nr.evidenceQuotes, []) + coalesce(p.evidenceQuotes, []),
		             nr.evidenceLocators = coalesce(nr.evidenceLocators, []) + coalesce(p.evidenceLocators, []),
		             nr.evidenceNotes = coalesce(nr.evidenceNotes, []) + coalesce(p.evidenceNotes, []),
		             nr.version = coalesce(nr.version, 0) + 1`
}
