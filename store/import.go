package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// ImportResult counts what an import did (or, dry, would do).
type ImportResult struct {
	Problems                                             []domain.Problem
	NodesCreated, NodesUpdated, NodesUnchanged           int
	RelationshipsCreated, RelationshipsUpdated, RelsSame int
	DryRun                                               bool
	// Phases is where the import's time went, in order: the statements of
	// its transaction by what they do, then "commit" (the last attempt's,
	// when the driver retried).
	Phases []Phase
}

// Phase is one step of an import and its wall time.
type Phase struct {
	Name string
	Rows int
	Time time.Duration
}

// phases times an import's steps.
type phases struct {
	list []Phase
	last time.Time
}

func newPhases() *phases { return &phases{last: time.Now()} }

// done ends the step begun at the last done.
func (p *phases) done(name string, rows int) {
	now := time.Now()
	p.list = append(p.list, Phase{Name: name, Rows: rows, Time: now.Sub(p.last)})
	p.last = now
}

// OK is true when the bundle had no problem.
func (r *ImportResult) OK() bool { return len(r.Problems) == 0 }

// sameProps compares stored properties with new ones, version aside: as
// their JSON would compare, without writing any (an import of 100,000
// unchanged records compared them by json.Marshal in seconds).
//
// Evidence notes that are all empty are the same as none stored: Neo4j's
// offline importer (the benchmark's bulk loader, or an operator's own
// `neo4j-admin database import`) cannot write a list of one empty string,
// and reads treat a missing note as empty.
func sameProps(old map[string]any, neu map[string]any) bool {
	skip := func(m map[string]any, k string) bool {
		if k == "version" {
			return true
		}
		if k == "evidenceNotes" {
			_, stored := old[k]
			return !stored && allEmpty(neu[k])
		}
		return false
	}
	count := func(m map[string]any) int {
		n := 0
		for k := range m {
			if !skip(m, k) {
				n++
			}
		}
		return n
	}
	if count(old) != count(neu) {
		return false
	}
	for k, v := range neu {
		if skip(neu, k) {
			continue
		}
		w, ok := old[k]
		if !ok || !sameValue(w, v) {
			return false
		}
	}
	return true
}

// allEmpty is true for a list of strings that are all empty.
func allEmpty(v any) bool {
	ss, ok := v.([]string)
	if !ok {
		return false
	}
	for _, s := range ss {
		if s != "" {
			return false
		}
	}
	return true
}

// sameValue compares a stored value (as the driver reads it: lists are
// []any) with a value the store writes; a kind it does not know is
// compared by its JSON, as sameProps did.
func sameValue(stored, v any) bool {
	switch x := v.(type) {
	case string:
		if y, ok := stored.(string); ok {
			return x == y
		}
	case int64:
		if y, ok := stored.(int64); ok {
			return x == y
		}
	case bool:
		if y, ok := stored.(bool); ok {
			return x == y
		}
	case neo4j.Point2D:
		if y, ok := stored.(neo4j.Point2D); ok {
			return x == y
		}
	case []string:
		if y, ok := stored.([]any); ok && len(y) == len(x) && allStrings(y) {
			for i := range x {
				if y[i].(string) != x[i] {
					return false
				}
			}
			return true
		}
	}
	a, _ := json.Marshal(stored)
	b, _ := json.Marshal(v)
	return string(a) == string(b)
}

func allStrings(l []any) bool {
	for _, v := range l {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// Import merges a bundle in one transaction: every record is validated and
// every endpoint and cited source checked first, and if anything is wrong
// nothing is written and every problem is reported with its line. Records
// equal to what the graph holds are left alone (their version too), so
// importing the same bundle twice changes nothing the second time.
//
// The transaction checks the bundle's references (checkReferences), reads
// what the graph holds of its records (readStored), compares the two
// (diff) and writes the difference (writeDiff, recordImport).
func (s *Store) Import(ctx context.Context, actor string, b *domain.Bundle, lines domain.Lines, dryRun bool) (*ImportResult, error) {
	res := &ImportResult{DryRun: dryRun, Problems: b.Problems(lines)}
	if !res.OK() {
		return res, nil
	}
	im := newImporter(b, lines, dryRun)
	var ph *phases
	out, err := s.writeWithin(ctx, "Import", s.importTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		ph = newPhases()
		r, err := im.run(ctx, tx, actor, ph)
		ph.last = time.Now()
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	r := out.(*ImportResult)
	ph.done("commit", 0)
	r.Phases = ph.list
	return r, nil
}

// importer is one import of a valid bundle: what it holds, by id. It
// keeps nothing between attempts of its transaction (run may be retried).
type importer struct {
	b       *domain.Bundle
	lines   domain.Lines
	dryRun  bool
	nodeIDs []string        // the bundle's node ids, sorted (the order of locks)
	nodes   map[string]bool // the bundle's node ids
	sources map[string]bool // the ids of the bundle's Source nodes
}

func newImporter(b *domain.Bundle, lines domain.Lines, dryRun bool) *importer {
	im := &importer{b: b, lines: lines, dryRun: dryRun, nodes: make(map[string]bool, len(b.Nodes)), sources: map[string]bool{}}
	for _, n := range b.Nodes {
		im.nodes[n.ID] = true
		im.nodeIDs = append(im.nodeIDs, n.ID)
		if n.Label == domain.LabelSource {
			im.sources[n.ID] = true
		}
	}
	sort.Strings(im.nodeIDs)
	return im
}

// run is the import's transaction: check, read, diff, write. A bundle
// with problems writes nothing, and neither does a dry run.
func (im *importer) run(ctx context.Context, tx neo4j.ManagedTransaction, actor string, ph *phases) (*ImportResult, error) {
	r := &ImportResult{DryRun: im.dryRun}
	outside, err := im.readOutside(ctx, tx)
	if err != nil {
		return nil, err
	}
	if r.Problems = im.checkReferences(outside); !r.OK() {
		return r, nil
	}
	ph.done("check references", len(outside))
	st, err := im.readStored(ctx, tx, ph)
	if err != nil {
		return nil, err
	}
	d := im.diff(st, r)
	if !r.OK() {
		return &ImportResult{DryRun: im.dryRun, Problems: r.Problems}, nil
	}
	ph.done("diff", len(im.b.Nodes)+len(im.b.Relationships))
	if im.dryRun || len(d.changed) == 0 {
		return r, nil
	}
	if err := writeDiff(ctx, tx, d, ph); err != nil {
		return nil, err
	}
	err = recordImport(ctx, tx, actor, r, d.changed, d.before, d.after)
	ph.done("audit trail", len(d.changed))
	return r, err
}

// lineOf is the line record i starts on, 0 when unknown.
func lineOf(l []int, i int) int {
	if i < len(l) {
		return l[i]
	}
	return 0
}

// outsideIDs are the endpoints and cited sources the bundle names but
// does not hold, each once, in the order the bundle names them.
func (im *importer) outsideIDs() []string {
	var outside []string
	seen := map[string]bool{}
	need := func(id string) {
		if !im.nodes[id] && !seen[id] {
			seen[id] = true
			outside = append(outside, id)
		}
	}
	for _, rel := range im.b.Relationships {
		need(rel.From)
		need(rel.To)
	}
	for _, n := range im.b.Nodes {
		for _, e := range n.Evidence {
			if !im.sources[e.Source] {
				need(e.Source)
			}
		}
	}
	for _, rel := range im.b.Relationships {
		for _, e := range rel.Evidence {
			if !im.sources[e.Source] {
				need(e.Source)
			}
		}
	}
	return outside
}

// readOutside reads the labels of the nodes outside the bundle that it
// names, by id (the ids the graph lacks are absent). Unless the import is
// dry, they are locked first and stay as read until it commits: a source
// is not deleted beside it.
func (im *importer) readOutside(ctx context.Context, tx neo4j.ManagedTransaction) (map[string][]any, error) {
	outside := im.outsideIDs()
	existing := map[string][]any{}
	if len(outside) == 0 {
		return existing, nil
	}
	if !im.dryRun {
		if err := lockNodes(ctx, tx, outside); err != nil {
			return nil, err
		}
	}
	recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN id, labels(n) AS labels", map[string]any{"ids": outside})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		id, err := value[string](rec, "id")
		if err != nil {
			return nil, err
		}
		if existing[id], err = value[[]any](rec, "labels"); err != nil {
			return nil, err
		}
	}
	return existing, nil
}

// checkReferences lists the cited sources that are no Source node and the
// endpoints that are no node, in the bundle or the graph (existing: the
// labels of the nodes outside the bundle).
func (im *importer) checkReferences(existing map[string][]any) []domain.Problem {
	isSource := func(id string) bool {
		if im.sources[id] {
			return true
		}
		for _, l := range existing[id] {
			if l == domain.LabelSource {
				return true
			}
		}
		return false
	}
	noSource := func(line int, rec string, j int, id string) domain.Problem {
		return domain.Problem{Line: line, Record: rec, Field: fmt.Sprintf("evidence[%d].source", j), Reason: fmt.Sprintf("no Source node has id %q, in the bundle or the graph", id)}
	}
	var problems []domain.Problem
	for i, n := range im.b.Nodes {
		for j, e := range n.Evidence {
			if !isSource(e.Source) {
				problems = append(problems, noSource(lineOf(im.lines.Nodes, i), fmt.Sprintf("nodes[%d]", i), j, e.Source))
			}
		}
	}
	for i, rel := range im.b.Relationships {
		rec := fmt.Sprintf("relationships[%d]", i)
		for _, end := range []struct{ field, id string }{{"from", rel.From}, {"to", rel.To}} {
			if !im.nodes[end.id] && existing[end.id] == nil {
				problems = append(problems, domain.Problem{Line: lineOf(im.lines.Rels, i), Record: rec, Field: end.field, Reason: fmt.Sprintf("no node has id %q, in the bundle or the graph", end.id)})
			}
		}
		for j, e := range rel.Evidence {
			if !isSource(e.Source) {
				problems = append(problems, noSource(lineOf(im.lines.Rels, i), rec, j, e.Source))
			}
		}
	}
	return problems
}

// stored is what the graph holds of a bundle's records.
type stored struct {
	nodes map[string]storedNode // by id
	rels  map[string]storedRel  // by type, then id (relKey)
}

type storedNode struct {
	labels []any
	props  map[string]any
}

type storedRel struct {
	from, to string
	props    map[string]any
}

// nodeLabel is the node label (one of domain.NodeLabels) among a stored
// node's labels.
func nodeLabel(labels []any) string {
	for _, l := range labels {
		if s, _ := l.(string); domain.IsNodeLabel(s) {
			return s
		}
	}
	return ""
}

func relKey(typ, id string) string { return typ + "\x00" + id }

// relRows lists the bundle's relationships by type, as indexes into
// b.Relationships in bundle order.
func (im *importer) relRows() map[string][]int {
	rows := map[string][]int{}
	for i := range im.b.Relationships {
		rows[im.b.Relationships[i].Type] = append(rows[im.b.Relationships[i].Type], i)
	}
	return rows
}

// readStored reads the bundle's nodes and relationships as the graph holds
// them. Unless the import is dry they are locked first (as updateNode
// does), so that no write slips in between the reading and the writing; in
// id order (nodes, then relationships type by type), so imports lock in
// one order.
func (im *importer) readStored(ctx context.Context, tx neo4j.ManagedTransaction, ph *phases) (*stored, error) {
	st := &stored{nodes: map[string]storedNode{}, rels: map[string]storedRel{}}
	lock := ""
	if !im.dryRun {
		lock = " SET n.version = coalesce(n.version, 0)"
	}
	recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (n:Node {id: id})"+lock+" RETURN id, labels(n) AS labels, properties(n) AS props", map[string]any{"ids": im.nodeIDs})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		var n storedNode
		id, err := value[string](rec, "id")
		if err == nil {
			n.labels, err = value[[]any](rec, "labels")
		}
		if err == nil {
			n.props, err = value[map[string]any](rec, "props")
		}
		if err != nil {
			return nil, err
		}
		st.nodes[id] = n
	}
	ph.done("read nodes", len(im.nodeIDs))
	rows := im.relRows()
	for _, t := range sortedKeys(rows) {
		var ids []string
		for _, i := range rows[t] {
			ids = append(ids, im.b.Relationships[i].RelID())
		}
		sort.Strings(ids)
		relLock := ""
		if !im.dryRun {
			relLock = " SET r.version = coalesce(r.version, 0)"
		}
		// t comes from the allow-list: Problems checked it
		recs, err := run(ctx, tx, "UNWIND $ids AS id MATCH (a)-[r:"+t+" {id: id}]->(b)"+relLock+" RETURN id, a.id AS from, b.id AS to, properties(r) AS props", map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			var r storedRel
			id, err := value[string](rec, "id")
			if err == nil {
				r.from, err = value[string](rec, "from")
			}
			if err == nil {
				r.to, err = value[string](rec, "to")
			}
			if err == nil {
				r.props, err = value[map[string]any](rec, "props")
			}
			if err != nil {
				return nil, err
			}
			st.rels[relKey(t, id)] = r
		}
		ph.done("read "+t, len(ids))
	}
	return st, nil
}

// importDiff is what an import writes: the rows to merge, by label and by
// type, the ids it creates or changes, and the before and after of what
// it overwrites (for the audit trail), under "nodes" and "relationships".
type importDiff struct {
	byLabel       map[string][]map[string]any // updates, MERGEd
	byType        map[string][]map[string]any
	newByLabel    map[string][]map[string]any // creates: the graph had none (read under lock), CREATEd
	newByType     map[string][]map[string]any
	changed       []string
	before, after map[string]map[string]any
}

// diff compares the bundle with what the graph holds: it counts in r what
// is created, updated and left alone, adds to r.Problems the nodes whose
// label the bundle would change and the relationships whose id the graph
// holds between other ends, and returns the rows to write.
func (im *importer) diff(st *stored, r *ImportResult) *importDiff {
	d := &importDiff{byLabel: map[string][]map[string]any{}, byType: map[string][]map[string]any{},
		newByLabel: map[string][]map[string]any{}, newByType: map[string][]map[string]any{},
		before: map[string]map[string]any{"nodes": {}, "relationships": {}},
		after:  map[string]map[string]any{"nodes": {}, "relationships": {}}}
	for i := range im.b.Nodes {
		n := &im.b.Nodes[i]
		props := nodeProps(n)
		old, ok := st.nodes[n.ID]
		if was := nodeLabel(old.labels); ok && was != n.Label {
			r.Problems = append(r.Problems, domain.Problem{Line: lineOf(im.lines.Nodes, i), Record: fmt.Sprintf("nodes[%d]", i), Field: "label",
				Reason: fmt.Sprintf("node %q is a %s in the graph, not a %s: an import never changes a node's label", n.ID, was, n.Label)})
			continue
		}
		switch {
		case !ok:
			r.NodesCreated++
			props["version"] = int64(1)
		case sameProps(old.props, props):
			r.NodesUnchanged++
			continue
		default:
			r.NodesUpdated++
			props["version"] = int64(version(old.props) + 1)
			d.before["nodes"][n.ID], d.after["nodes"][n.ID] = recordFromProps(old.labels, old.props), *n
		}
		d.changed = append(d.changed, n.ID)
		if !ok {
			d.newByLabel[n.Label] = append(d.newByLabel[n.Label], map[string]any{"props": props})
			continue
		}
		d.byLabel[n.Label] = append(d.byLabel[n.Label], map[string]any{"id": n.ID, "props": props})
	}
	rows := im.relRows()
	for _, t := range sortedKeys(rows) {
		for _, i := range rows[t] {
			rel := &im.b.Relationships[i]
			props := relProps(rel)
			old, ok := st.rels[relKey(t, rel.RelID())]
			if ok && (old.from != rel.From || old.to != rel.To) {
				r.Problems = append(r.Problems, domain.Problem{Line: lineOf(im.lines.Rels, i), Record: fmt.Sprintf("relationships[%d]", i), Field: "id",
					Reason: fmt.Sprintf("relationship %q exists already, from %q to %q", rel.RelID(), old.from, old.to)})
				continue
			}
			switch {
			case !ok:
				r.RelationshipsCreated++
				props["version"] = int64(1)
			case sameProps(old.props, props):
				r.RelsSame++
				continue
			default:
				r.RelationshipsUpdated++
				props["version"] = int64(version(old.props) + 1)
				d.before["relationships"][rel.RelID()], d.after["relationships"][rel.RelID()] = relRecordFromProps(t, old.from, old.to, old.props), *rel
			}
			d.changed = append(d.changed, rel.RelID())
			if !ok {
				d.newByType[t] = append(d.newByType[t], map[string]any{"from": rel.From, "to": rel.To, "props": props})
				continue
			}
			d.byType[t] = append(d.byType[t], map[string]any{"id": rel.RelID(), "from": rel.From, "to": rel.To, "props": props})
		}
	}
	return d
}

// writeDiff writes the rows of d: the nodes label by label, then the
// relationships type by type. Records the graph did not hold are
// CREATEd: no MERGE's lookup and lock per row (the bundle has no
// duplicates, checked; one created meanwhile by another writer fails the
// id's unique constraint, and the whole import with it). The others are
// MERGEd on their id and overwritten. One statement text per label and
// type, so Neo4j plans each once.
func writeDiff(ctx context.Context, tx neo4j.ManagedTransaction, d *importDiff, ph *phases) error {
	for _, label := range sortedKeys(d.newByLabel) {
		// the label comes from the allow-list: Problems checked it
		cypher := "UNWIND $rows AS row CREATE (n:Node" + nodeLabels(label) + ") SET n = row.props RETURN count(n) AS c"
		if _, err := runBatches(ctx, tx, cypher, d.newByLabel[label]); err != nil {
			return fmt.Errorf("create %s nodes: %w", label, err)
		}
		ph.done("create "+label, len(d.newByLabel[label]))
	}
	for _, label := range sortedKeys(d.byLabel) {
		// the label comes from the allow-list: Problems checked it
		cypher := "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n = row.props SET n" + nodeLabels(label) + " RETURN count(n) AS c"
		if _, err := runBatches(ctx, tx, cypher, d.byLabel[label]); err != nil {
			return fmt.Errorf("merge %s nodes: %w", label, err)
		}
		ph.done("merge "+label, len(d.byLabel[label]))
	}
	for _, t := range sortedKeys(d.newByType) {
		cypher := "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) CREATE (a)-[r:" + t + "]->(b) SET r = row.props RETURN count(r) AS c"
		n, err := runBatches(ctx, tx, cypher, d.newByType[t])
		if err != nil {
			return fmt.Errorf("create %s relationships: %w", t, err)
		}
		if n != len(d.newByType[t]) { // every end was checked: a missing one is a bug, not bad input
			return fmt.Errorf("create %s relationships: %d of %d created", t, n, len(d.newByType[t]))
		}
		ph.done("create "+t, n)
	}
	for _, t := range sortedKeys(d.byType) {
		cypher := "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) MERGE (a)-[r:" + t + " {id: row.id}]->(b) SET r = row.props RETURN count(r) AS c"
		if _, err := runBatches(ctx, tx, cypher, d.byType[t]); err != nil {
			return fmt.Errorf("merge %s relationships: %w", t, err)
		}
		ph.done("merge "+t, len(d.byType[t]))
	}
	return nil
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
