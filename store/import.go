package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// ImportResult counts what an import did (or, dry, would do).
type ImportResult struct {
	Problems                                             []domain.Problem
	NodesCreated, NodesUpdated, NodesUnchanged           int
	RelationshipsCreated, RelationshipsUpdated, RelsSame int
	DryRun                                               bool
}

// OK is true when the bundle had no problem.
func (r *ImportResult) OK() bool { return len(r.Problems) == 0 }

// sameProps compares stored properties with new ones, version aside.
func sameProps(old map[string]any, neu map[string]any) bool {
	strip := func(m map[string]any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			if k != "version" {
				out[k] = v
			}
		}
		return out
	}
	a, _ := json.Marshal(strip(old))
	b, _ := json.Marshal(strip(neu))
	return string(a) == string(b)
}

// Import merges a bundle in one transaction: every record is validated and
// every endpoint and cited source checked first, and if anything is wrong
// nothing is written and every problem is reported with its line. Records
// equal to what the graph holds are left alone (their version too), so
// importing the same bundle twice changes nothing the second time.
func (s *Store) Import(ctx context.Context, actor string, b *domain.Bundle, lines domain.Lines, dryRun bool) (*ImportResult, error) {
	res := &ImportResult{DryRun: dryRun, Problems: b.Problems(lines)}
	if !res.OK() {
		return res, nil
	}
	inBundle := make(map[string]bool, len(b.Nodes))
	sources := map[string]bool{}
	var nodeIDs []string
	for _, n := range b.Nodes {
		inBundle[n.ID] = true
		nodeIDs = append(nodeIDs, n.ID)
		if n.Label == domain.LabelSource {
			sources[n.ID] = true
		}
	}
	out, err := s.write(ctx, "Import", func(tx neo4j.ManagedTransaction) (any, error) {
		r := &ImportResult{DryRun: dryRun}
		// endpoints and sources the bundle names but does not hold
		var outside []string
		seen := map[string]bool{}
		need := func(id string) {
			if !inBundle[id] && !seen[id] {
				seen[id] = true
				outside = append(outside, id)
			}
		}
		for _, rel := range b.Relationships {
			need(rel.From)
			need(rel.To)
		}
		for _, n := range b.Nodes {
			for _, e := range n.Evidence {
				if !sources[e.Source] {
					need(e.Source)
				}
			}
		}
		for _, rel := range b.Relationships {
			for _, e := range rel.Evidence {
				if !sources[e.Source] {
					need(e.Source)
				}
			}
		}
		existing := map[string][]any{} // id -> labels
		if len(outside) > 0 && !dryRun {
			// the sources and ends outside the bundle stay as read until
			// the import commits (a source is not deleted beside it)
			if err := lockNodes(ctx, tx, outside); err != nil {
				return nil, err
			}
		}
		if len(outside) > 0 {
			recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN id, labels(n) AS labels", map[string]any{"ids": outside})
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				id, _ := rec.Get("id")
				l, _ := rec.Get("labels")
				existing[id.(string)] = l.([]any)
			}
		}
		isSource := func(id string) bool {
			if sources[id] {
				return true
			}
			for _, l := range existing[id] {
				if l == domain.LabelSource {
					return true
				}
			}
			return false
		}
		line := func(l []int, i int) int {
			if i < len(l) {
				return l[i]
			}
			return 0
		}
		for i, n := range b.Nodes {
			for j, e := range n.Evidence {
				if !isSource(e.Source) {
					r.Problems = append(r.Problems, domain.Problem{Line: line(lines.Nodes, i), Record: fmt.Sprintf("nodes[%d]", i), Field: fmt.Sprintf("evidence[%d].source", j), Reason: fmt.Sprintf("no Source node has id %q, in the bundle or the graph", e.Source)})
				}
			}
		}
		for i, rel := range b.Relationships {
			rec := fmt.Sprintf("relationships[%d]", i)
			for _, end := range []struct{ field, id string }{{"from", rel.From}, {"to", rel.To}} {
				if !inBundle[end.id] && existing[end.id] == nil {
					r.Problems = append(r.Problems, domain.Problem{Line: line(lines.Rels, i), Record: rec, Field: end.field, Reason: fmt.Sprintf("no node has id %q, in the bundle or the graph", end.id)})
				}
			}
			for j, e := range rel.Evidence {
				if !isSource(e.Source) {
					r.Problems = append(r.Problems, domain.Problem{Line: line(lines.Rels, i), Record: rec, Field: fmt.Sprintf("evidence[%d].source", j), Reason: fmt.Sprintf("no Source node has id %q, in the bundle or the graph", e.Source)})
				}
			}
		}
		if !r.OK() {
			return r, nil
		}

		// compare with what the graph holds, locked first (as updateNode
		// does) so that no write slips in between the reading and the
		// writing; in id order, so imports lock in one order
		lock := ""
		if !dryRun {
			lock = " SET n.version = coalesce(n.version, 0)"
		}
		sort.Strings(nodeIDs)
		current := map[string]map[string]any{}
		labels := map[string][]any{}
		recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (n:Node {id: id})"+lock+" RETURN id, labels(n) AS labels, properties(n) AS props", map[string]any{"ids": nodeIDs})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			id, _ := rec.Get("id")
			l, _ := rec.Get("labels")
			p, _ := rec.Get("props")
			current[id.(string)] = p.(map[string]any)
			labels[id.(string)] = l.([]any)
		}
		byLabel := map[string][]map[string]any{}
		var changed []string
		// what the import overwrote, for the audit trail
		before := map[string]map[string]any{"nodes": {}, "relationships": {}}
		after := map[string]map[string]any{"nodes": {}, "relationships": {}}
		for i := range b.Nodes {
			n := &b.Nodes[i]
			props := nodeProps(n)
			old, ok := current[n.ID]
			switch {
			case !ok:
				r.NodesCreated++
				props["version"] = int64(1)
			case sameProps(old, props):
				r.NodesUnchanged++
				continue
			default:
				r.NodesUpdated++
				props["version"] = int64(version(old) + 1)
				before["nodes"][n.ID], after["nodes"][n.ID] = recordFromProps(labels[n.ID], old), *n
			}
			changed = append(changed, n.ID)
			byLabel[n.Label] = append(byLabel[n.Label], map[string]any{"id": n.ID, "props": props})
		}
		relCurrent := map[string]map[string]any{}
		byType := map[string][]map[string]any{}
		relRows := map[string][]int{} // by type, indexes into b.Relationships
		for i := range b.Relationships {
			relRows[b.Relationships[i].Type] = append(relRows[b.Relationships[i].Type], i)
		}
		for _, t := range sortedKeys(relRows) {
			var ids []string
			for _, i := range relRows[t] {
				ids = append(ids, b.Relationships[i].RelID())
			}
			sort.Strings(ids)
			relLock := ""
			if !dryRun {
				relLock = " SET r.version = coalesce(r.version, 0)"
			}
			// t comes from the allow-list: Problems checked it
			recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (a)-[r:"+t+" {id: id}]->(b)"+relLock+" RETURN id, a.id AS from, b.id AS to, properties(r) AS props", map[string]any{"ids": ids})
			if err != nil {
				return nil, err
			}
			ends := map[string][2]string{}
			for _, rec := range recs {
				id, _ := rec.Get("id")
				from, _ := rec.Get("from")
				to, _ := rec.Get("to")
				p, _ := rec.Get("props")
				relCurrent[t+"\x00"+id.(string)] = p.(map[string]any)
				ends[id.(string)] = [2]string{from.(string), to.(string)}
			}
			for _, i := range relRows[t] {
				rel := &b.Relationships[i]
				props := relProps(rel)
				old, ok := relCurrent[t+"\x00"+rel.RelID()]
				if e := ends[rel.RelID()]; ok && (e[0] != rel.From || e[1] != rel.To) {
					r.Problems = append(r.Problems, domain.Problem{Line: line(lines.Rels, i), Record: fmt.Sprintf("relationships[%d]", i), Field: "id",
						Reason: fmt.Sprintf("relationship %q exists already, from %q to %q", rel.RelID(), e[0], e[1])})
					continue
				}
				switch {
				case !ok:
					r.RelationshipsCreated++
					props["version"] = int64(1)
				case sameProps(old, props):
					r.RelsSame++
					continue
				default:
					r.RelationshipsUpdated++
					props["version"] = int64(version(old) + 1)
					e := ends[rel.RelID()]
					before["relationships"][rel.RelID()], after["relationships"][rel.RelID()] = relRecordFromProps(t, e[0], e[1], old), *rel
				}
				changed = append(changed, rel.RelID())
				byType[t] = append(byType[t], map[string]any{"id": rel.RelID(), "from": rel.From, "to": rel.To, "props": props})
			}
		}
		if !r.OK() {
			return &ImportResult{DryRun: dryRun, Problems: r.Problems}, nil
		}
		if dryRun || len(changed) == 0 {
			return r, nil
		}
		for _, label := range sortedKeys(byLabel) {
			cypher := "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n = row.props SET n" + nodeLabels(label) + " RETURN count(n) AS c"
			if _, err := runBatches(ctx, tx, cypher, byLabel[label]); err != nil {
				return nil, fmt.Errorf("merge %s nodes: %w", label, err)
			}
		}
		for _, t := range sortedKeys(byType) {
			cypher := "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) MERGE (a)-[r:" + t + " {id: row.id}]->(b) SET r = row.props RETURN count(r) AS c"
			if _, err := runBatches(ctx, tx, cypher, byType[t]); err != nil {
				return nil, fmt.Errorf("merge %s relationships: %w", t, err)
			}
		}
		return r, recordImport(ctx, tx, actor, r, changed, before, after)
	})
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return out.(*ImportResult), nil
}

// recordImport records an import in the audit trail: the ids it created
// or changed, and the before and after of each node and relationship it
// overwrote, under "nodes" and "relationships" by id, beside the counts.
// An import that changed more ids than a change holds is recorded as
// several changes of up to maxChangeIDs ids each, so that every id it
// changed is found by history(nodeId:).
func recordImport(ctx context.Context, tx neo4j.ManagedTransaction, actor string, r *ImportResult, changed []string, before, after map[string]map[string]any) error {
	for start := 0; start < len(changed); start += maxChangeIDs {
		ids := changed[start:min(start+maxChangeIDs, len(changed))]
		b := map[string]map[string]any{"nodes": {}, "relationships": {}}
		a := map[string]any{
			"nodesCreated": r.NodesCreated, "nodesUpdated": r.NodesUpdated, "nodesUnchanged": r.NodesUnchanged,
			"relationshipsCreated": r.RelationshipsCreated, "relationshipsUpdated": r.RelationshipsUpdated, "relationshipsUnchanged": r.RelsSame,
		}
		overwrote := false
		for _, kind := range []string{"nodes", "relationships"} {
			na := map[string]any{}
			for _, id := range ids {
				if old, ok := before[kind][id]; ok {
					b[kind][id], na[id], overwrote = old, after[kind][id], true
				}
			}
			a[kind] = na
		}
		c := ChangeRecord{Actor: actor, Action: domain.ActionImport, IDs: ids, After: a}
		if overwrote {
			c.Before = b
		}
		if err := recordChange(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}
