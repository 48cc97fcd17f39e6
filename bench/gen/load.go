package gen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// NodeProps are the properties Phakhi's store writes for a node, with
// version 1 as a new node gets from an import.
func NodeProps(n *domain.NodeRecord) map[string]any {
	p := store.NodeProperties(n)
	p["version"] = int64(1)
	return p
}

// RelProps are the properties Phakhi's store writes for a relationship,
// with version 1.
func RelProps(r *domain.RelRecord) map[string]any {
	p := store.RelProperties(r)
	p["version"] = int64(1)
	return p
}

// ------------------------------------------------------------ the loader

// Options say where and how to load.
type Options struct {
	URI, User, Password, Database string
	// Batch is the number of rows per UNWIND statement, one transaction each.
	Batch int
	// Merge MERGEs synthetic nodes and relationships on their ids (a
	// re-run updates in place); without it they are CREATEd, which needs a
	// database without generated data (checked) and is several times faster.
	Merge bool
	// Seed loads Phakhi's seed graph first (seed/geography.yaml and
	// seed/graph.yaml, through the store, as `phakhi reload-seed` does).
	Seed bool
	// Writers is the number of batches in flight at once (default 2).
	Writers int
	// DeferSearchIndexes drops Phakhi's two search indexes (the full-text
	// node_search and the text index node_search_key) during a CREATE
	// load and builds them again at the end (store.EnsureSchema): building
	// an index once is cheaper than updating it batch by batch.
	DeferSearchIndexes bool
	Progress           io.Writer
	// Verbose, when set, hears of every batch and how long it took.
	Verbose io.Writer
}

// Report is what a load did.
type Report struct {
	Counts                     Counts
	NodesWritten, RelsWritten  int64
	NodeTime, RelTime, Elapsed time.Duration
	IndexTime                  time.Duration // building the deferred search indexes
	SeedNodes, SeedRels        int
}

type bufKey struct {
	name   string // label or relationship type
	shared bool
}

type job struct {
	cypher  string
	rows    []map[string]any
	node    bool
	barrier *sync.WaitGroup // a barrier: every writer takes one and waits for the others
}

type loader struct {
	ctx     context.Context
	driver  neo4j.DriverWithContext
	db      string
	batch   int
	merge   bool
	nodes   map[bufKey][]map[string]any
	rels    map[bufKey][]map[string]any
	jobs    chan job
	wg      sync.WaitGroup
	errMu   sync.Mutex
	err     error
	sentN   atomic.Int64
	sentR   atomic.Int64
	wroteN  atomic.Int64
	wroteR  atomic.Int64
	writers int
	// verbose, when set, hears of every batch
	verbose io.Writer
}

func (l *loader) fail(err error) {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

func (l *loader) failed() error {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.err
}

func (l *loader) Node(n *domain.NodeRecord, shared bool) {
	k := bufKey{n.Label, shared}
	l.nodes[k] = append(l.nodes[k], NodeProps(n))
	if len(l.nodes[k]) >= l.batch {
		l.flushNodes(k)
	}
}

func (l *loader) Rel(r *domain.RelRecord, shared bool) {
	k := bufKey{r.Type, shared}
	l.rels[k] = append(l.rels[k], map[string]any{"f": r.From, "t": r.To, "p": RelProps(r)})
	if len(l.rels[k]) >= l.batch {
		l.flushRels(k)
	}
}

func (l *loader) flushNodes(k bufKey) {
	rows := l.nodes[k]
	if len(rows) == 0 {
		return
	}
	l.nodes[k] = nil
	labels := store.NodeLabels(k.name) // from the allow-list: the generator only uses model labels
	var cypher string
	switch {
	case k.shared:
		cypher = "UNWIND $rows AS row MERGE (n:Node {id: row.id}) ON CREATE SET n = row, n" + labels + " RETURN count(*) AS c"
	case l.merge:
		cypher = "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n = row SET n" + labels + " RETURN count(*) AS c"
	default:
		cypher = "UNWIND $rows AS row CREATE (n:Node" + labels + ") SET n = row RETURN count(*) AS c"
	}
	l.sentN.Add(int64(len(rows)))
	l.jobs <- job{cypher: cypher, rows: rows, node: true}
}

func (l *loader) flushRels(k bufKey) {
	rows := l.rels[k]
	if len(rows) == 0 {
		return
	}
	l.rels[k] = nil
	t := k.name // from the allow-list
	var cypher string
	switch {
	case k.shared:
		cypher = "UNWIND $rows AS row MATCH (a:Node {id: row.f}) MATCH (b:Node {id: row.t}) MERGE (a)-[r:" + t + " {id: row.p.id}]->(b) ON CREATE SET r = row.p RETURN count(*) AS c"
	case l.merge:
		cypher = "UNWIND $rows AS row MATCH (a:Node {id: row.f}) MATCH (b:Node {id: row.t}) MERGE (a)-[r:" + t + " {id: row.p.id}]->(b) SET r = row.p RETURN count(*) AS c"
	default:
		cypher = "UNWIND $rows AS row MATCH (a:Node {id: row.f}) MATCH (b:Node {id: row.t}) CREATE (a)-[r:" + t + "]->(b) SET r = row.p RETURN count(*) AS c"
	}
	l.sentR.Add(int64(len(rows)))
	l.jobs <- job{cypher: cypher, rows: rows}
}

func (l *loader) flushAll(nodes bool) {
	m := l.rels
	if nodes {
		m = l.nodes
	}
	keys := make([]bufKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// shared (geography) first, then by name: a stable order
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].shared != keys[j].shared {
			return keys[i].shared
		}
		return keys[i].name < keys[j].name
	})
	for _, k := range keys {
		if nodes {
			l.flushNodes(k)
		} else {
			l.flushRels(k)
		}
	}
}

func (l *loader) writer() {
	defer l.wg.Done()
	for j := range l.jobs {
		if j.barrier != nil {
			// hold this writer until every writer has reached the barrier
			j.barrier.Done()
			j.barrier.Wait()
			continue
		}
		if l.failed() != nil {
			continue // drain
		}
		t := time.Now()
		res, err := neo4j.ExecuteQuery(l.ctx, l.driver, j.cypher, map[string]any{"rows": j.rows},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(l.db), neo4j.ExecuteQueryWithWritersRouting())
		if l.verbose != nil {
			fmt.Fprintf(l.verbose, "phakhi-gen: batch %d rows in %s: %.90s\n", len(j.rows), time.Since(t).Round(time.Millisecond), j.cypher)
		}
		if err != nil {
			l.fail(fmt.Errorf("load batch: %w", err))
			continue
		}
		var c int64
		if len(res.Records) > 0 {
			v, _ := res.Records[0].Get("c")
			c, _ = v.(int64)
		}
		if j.node {
			l.wroteN.Add(c)
		} else {
			l.wroteR.Add(c)
		}
	}
}

// Load creates Phakhi's schema (store.EnsureSchema), loads the seed graph
// if asked, and loads the generated graph in batches, reporting progress.
func Load(ctx context.Context, g *Generator, o Options) (*Report, error) {
	if o.Batch <= 0 {
		o.Batch = 10000
	}
	if o.Database == "" {
		o.Database = "neo4j"
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Writers <= 0 {
		o.Writers = 2
	}
	began := time.Now()
	rep := &Report{}
	// Phakhi's own schema and seed, through its store
	st, err := store.Open(ctx, store.Config{URI: o.URI, User: o.User, Password: o.Password, Database: o.Database, QueryTimeout: 10 * time.Minute})
	if err != nil {
		return nil, err
	}
	defer st.Close(context.WithoutCancel(ctx))
	if err := st.Ping(ctx); err != nil {
		return nil, fmt.Errorf("neo4j at %s: %w", o.URI, err)
	}
	if err := st.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintln(o.Progress, "phakhi-gen: schema ready (store.EnsureSchema)")
	if o.Seed {
		b, err := seed.Bundle()
		if err != nil {
			return nil, err
		}
		res, err := st.LoadBundle(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		rep.SeedNodes, rep.SeedRels = res.Nodes, res.Relationships
		fmt.Fprintf(o.Progress, "phakhi-gen: seed graph loaded through the store: %d nodes, %d relationships\n", res.Nodes, res.Relationships)
	}

	auth := neo4j.NoAuth()
	if o.User != "" {
		auth = neo4j.BasicAuth(o.User, o.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(o.URI, auth)
	if err != nil {
		return nil, err
	}
	defer driver.Close(context.WithoutCancel(ctx))
	if !o.Merge {
		res, err := neo4j.ExecuteQuery(ctx, driver, "RETURN EXISTS { MATCH (n:Node) WHERE n.id STARTS WITH 'person-' OR n.id = $id } AS any",
			map[string]any{"id": SourceID}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(o.Database))
		if err != nil {
			return nil, err
		}
		if v, _ := res.Records[0].Get("any"); v == true {
			return nil, errors.New("the database holds generated data already: use an empty database (or one with the seed only), or -merge to merge on ids")
		}
	}

	l := &loader{ctx: ctx, driver: driver, db: o.Database, batch: o.Batch, merge: o.Merge,
		nodes: map[bufKey][]map[string]any{}, rels: map[bufKey][]map[string]any{}, jobs: make(chan job, 2), verbose: o.Verbose, writers: o.Writers}
	for i := 0; i < o.Writers; i++ {
		l.wg.Add(1)
		go l.writer()
	}
	deferred := o.DeferSearchIndexes && !o.Merge
	if deferred {
		for _, ix := range []string{"node_search", "node_search_key"} {
			if _, err := neo4j.ExecuteQuery(ctx, driver, "DROP INDEX "+ix+" IF EXISTS", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(o.Database)); err != nil {
				return nil, err
			}
		}
		fmt.Fprintln(o.Progress, "phakhi-gen: search indexes dropped for the load (built again at the end)")
	}
	stop := make(chan struct{})
	var tick sync.WaitGroup
	tick.Add(1)
	go func() {
		defer tick.Done()
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		last := time.Now()
		var lastN, lastR int64
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				n, r := l.wroteN.Load(), l.wroteR.Load()
				dt := now.Sub(last).Seconds()
				fmt.Fprintf(o.Progress, "phakhi-gen: %6.0fs  nodes %9d (%6.0f/s)  relationships %9d (%6.0f/s)\n",
					time.Since(began).Seconds(), n, float64(n-lastN)/dt, r, float64(r-lastR)/dt)
				last, lastN, lastR = now, n, r
			}
		}
	}()

	// pass 1: nodes; pass 2: relationships (every end exists by then)
	t0 := time.Now()
	rep.Counts = g.Run(l, true, false)
	l.flushAll(true)
	waitIdle(l)
	rep.NodeTime = time.Since(t0)
	if err := l.failed(); err == nil {
		fmt.Fprintf(o.Progress, "phakhi-gen: nodes done: %d in %s (%.0f nodes/s)\n", l.wroteN.Load(), rep.NodeTime.Round(time.Second/10), float64(l.wroteN.Load())/rep.NodeTime.Seconds())
		t1 := time.Now()
		g.Run(l, false, true)
		l.flushAll(false)
		waitIdle(l)
		rep.RelTime = time.Since(t1)
		fmt.Fprintf(o.Progress, "phakhi-gen: relationships done: %d in %s (%.0f relationships/s)\n", l.wroteR.Load(), rep.RelTime.Round(time.Second/10), float64(l.wroteR.Load())/rep.RelTime.Seconds())
	}
	close(l.jobs)
	l.wg.Wait()
	close(stop)
	tick.Wait()
	if err := l.failed(); err != nil {
		return nil, err
	}
	if deferred {
		t := time.Now()
		if err := st.EnsureSchema(ctx); err != nil {
			return nil, err
		}
		if _, err := neo4j.ExecuteQuery(ctx, driver, "CALL db.awaitIndexes(3600)", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(o.Database)); err != nil {
			return nil, fmt.Errorf("await indexes: %w", err)
		}
		rep.IndexTime = time.Since(t)
		fmt.Fprintf(o.Progress, "phakhi-gen: search indexes built again in %s\n", rep.IndexTime.Round(time.Second/10))
	}
	if _, err := neo4j.ExecuteQuery(ctx, driver, "CALL db.awaitIndexes(600)", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(o.Database)); err != nil {
		return nil, fmt.Errorf("await indexes: %w", err)
	}
	rep.NodesWritten, rep.RelsWritten = l.wroteN.Load(), l.wroteR.Load()
	rep.Elapsed = time.Since(began)
	if rep.NodesWritten != int64(rep.Counts.Nodes) || rep.RelsWritten != int64(rep.Counts.Rels) {
		fmt.Fprintf(o.Progress, "phakhi-gen: WARNING: generated %d nodes and %d relationships but wrote %d and %d (a relationship whose end is missing is skipped: was the seed loaded?)\n",
			rep.Counts.Nodes, rep.Counts.Rels, rep.NodesWritten, rep.RelsWritten)
	}
	return rep, nil
}

// waitIdle waits until the writers have finished every queued job: each
// writer takes one barrier job and holds there until all have, and each
// works in order, so everything queued before the barriers is done.
func waitIdle(l *loader) {
	wg := &sync.WaitGroup{}
	wg.Add(l.writers)
	for i := 0; i < l.writers; i++ {
		l.jobs <- job{barrier: wg}
	}
	wg.Wait()
}

// Summary is a one-line description of the counts.
func (c Counts) Summary() string {
	var parts []string
	for _, k := range sortedKeys(c.ByLabel) {
		parts = append(parts, fmt.Sprintf("%s %d", k, c.ByLabel[k]))
	}
	var rparts []string
	for _, k := range sortedKeys(c.ByType) {
		rparts = append(rparts, fmt.Sprintf("%s %d", k, c.ByType[k]))
	}
	return fmt.Sprintf("%d nodes (%s); %d relationships (%s)", c.Nodes, strings.Join(parts, ", "), c.Rels, strings.Join(rparts, ", "))
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
