package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/phakhi/phakhi/bench/gen"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// writes measures the bulk writes (`phakhi-bench writes`): importBundle's
// and importCSV's work (the text parsed and validated as the resolvers
// do, then store.Import, one transaction) on N generated records, a
// second import of the same bundle (everything unchanged: the reads and
// the comparison alone), and the benchmark loader (gen.Load) at a scale,
// each on a fresh Neo4j with the benchmark's memory caps. It prints
// records per second, the Go heap's peak during each step and the peak
// RSS of the Neo4j JVM.
func writes(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("phakhi-bench writes", flag.ContinueOnError)
	n := fs.Int("records", 100000, "records (nodes and relationships) per import")
	loaderScale := fs.Float64("loader-scale", 0.1, "the loader's generator scale (0: skip the loader)")
	work := fs.String("work", "bench/.work", "where the fresh Neo4j data folders go (wiped first)")
	heap := fs.Int("heap-mb", 2048, "Neo4j heap")
	pc := fs.Int("pagecache-mb", 512, "Neo4j page cache (at most 512)")
	fs.DurationVar(&queryTimeout, "query-timeout", 15*time.Second, "the store's query timeout, as the server's -query-timeout (writes get four times it)")
	warmN := fs.Int("warmup-records", 20000, "records imported first, under other ids, to warm the fresh JVM up (0: none)")
	again := fs.Bool("again", true, "import the bundle a second time (everything unchanged)")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the import steps (not the loader) to this file")
	fs.Var(&dropIndexes, "without-indexes", "an experiment: drop these groups of indexes before the imports (comma-separated: "+strings.Join(indexGroups, ", ")+"); the search then reads otherwise")
	only := fs.String("only", "bundle,csv,loader,bulk", "steps: bundle (and its re-import), csv, loader (gen.Load, online), bulk (gen.BulkImport, offline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	steps := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		steps[strings.TrimSpace(s)] = true
	}
	fmt.Printf("load at start: %s\n", loadAvg())
	geo, err := gen.LoadGeography("data/thai-geography")
	if err != nil {
		return err
	}
	b := importBundle(geo, *n)
	warm := warmBundle(b, *warmN)
	fmt.Printf("bundle: %d nodes, %d relationships (%d records)\n", len(b.Nodes), len(b.Relationships), len(b.Nodes)+len(b.Relationships))

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if steps["bundle"] {
		text, err := json.Marshal(b)
		if err != nil {
			return err
		}
		fmt.Printf("bundle JSON: %.1f MiB\n", float64(len(text))/(1<<20))
		err = withFreshNeo4j(ctx, filepath.Join(*work, "neo4j-writes"), *heap, *pc, warm, func(in *localneo4j.Instance, st *store.Store) error {
			passes := []string{"importBundle (creates)", "importBundle again (unchanged)"}
			if !*again {
				passes = passes[:1]
			}
			for _, pass := range passes {
				if err := timeImport(ctx, in, st, pass, len(b.Nodes)+len(b.Relationships), func() (*domain.Bundle, domain.Lines, []domain.Problem) {
					return domain.ParseBundleJSON(text)
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if steps["csv"] {
		nodes, edges := bundleCSV(b)
		fmt.Printf("CSV: nodes %.1f MiB, edges %.1f MiB\n", float64(len(nodes))/(1<<20), float64(len(edges))/(1<<20))
		err = withFreshNeo4j(ctx, filepath.Join(*work, "neo4j-writes"), *heap, *pc, warm, func(in *localneo4j.Instance, st *store.Store) error {
			return timeImport(ctx, in, st, "importCSV (creates)", len(b.Nodes)+len(b.Relationships), func() (*domain.Bundle, domain.Lines, []domain.Problem) {
				return domain.ParseCSV(nodes, edges)
			})
		})
		if err != nil {
			return err
		}
	}
	if steps["loader"] && *loaderScale > 0 {
		dir := filepath.Join(*work, "neo4j-writes")
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		in, err := startNeo4j(ctx, dir, *heap, *pc, io.Discard)
		if err != nil {
			return err
		}
		defer in.Stop(context.Background())
		p := gen.DefaultParams(*loaderScale)
		rss := sampleRSS(in.PID())
		hp := sampleHeap()
		rep, err := gen.Load(ctx, gen.New(geo, p), gen.Options{URI: in.URI(), Seed: true, DeferSearchIndexes: true, Progress: io.Discard})
		heapPeak, neoPeak := hp.done(), rss.done()
		if err != nil {
			return err
		}
		fmt.Printf("loader (scale %g): %d nodes in %s (%.0f nodes/s), %d relationships in %s (%.0f relationships/s), search indexes %s, %s in all; Go heap peak %s, Neo4j RSS peak %s\n",
			*loaderScale, rep.NodesWritten, rep.NodeTime.Round(time.Millisecond), float64(rep.NodesWritten)/rep.NodeTime.Seconds(),
			rep.RelsWritten, rep.RelTime.Round(time.Millisecond), float64(rep.RelsWritten)/rep.RelTime.Seconds(),
			rep.IndexTime.Round(time.Millisecond), rep.Elapsed.Round(time.Millisecond), mib(heapPeak), mib(neoPeak))
		in.Stop(context.Background())
	}
	if steps["bulk"] && *loaderScale > 0 {
		if err := bulkLoad(ctx, geo, filepath.Join(*work, "neo4j-writes"), *loaderScale, *heap, *pc); err != nil {
			return err
		}
	}
	fmt.Printf("load at end: %s\n", loadAvg())
	return nil
}

var queryTimeout = 15 * time.Second

// withFreshNeo4j runs f on a Neo4j started on an empty folder, with
// Phakhi's schema and seed graph.
func withFreshNeo4j(ctx context.Context, dir string, heapMB, pcMB int, warm *domain.Bundle, f func(*localneo4j.Instance, *store.Store) error) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	in, err := startNeo4j(ctx, dir, heapMB, pcMB, io.Discard)
	if err != nil {
		return err
	}
	defer in.Stop(context.Background())
	os.Setenv("NEO4J_PID", fmt.Sprint(in.PID()))
	st, err := store.Open(ctx, store.Config{URI: in.URI(), QueryTimeout: queryTimeout})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if err := st.EnsureSchema(ctx); err != nil {
		return err
	}
	sb, err := seed.Bundle()
	if err != nil {
		return err
	}
	if _, err := st.LoadBundle(ctx, sb); err != nil {
		return err
	}
	if warm != nil {
		t := time.Now()
		if _, err := st.LoadBundle(ctx, warm); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		fmt.Printf("warm-up: %d records imported in %s (a fresh JVM compiles as it goes; a running server is warm)\n",
			len(warm.Nodes)+len(warm.Relationships), time.Since(t).Round(time.Millisecond))
	}
	if len(dropIndexes) > 0 {
		names, err := dropIndexGroups(ctx, in.URI(), dropIndexes)
		if err != nil {
			return err
		}
		fmt.Printf("dropped %d indexes (%s): %s\n", len(names), strings.Join(dropIndexes, ", "), strings.Join(names, " "))
	}
	return f(in, st)
}

// timeImport parses (as the resolver does) and imports, printing the
// times and records per second.
func timeImport(ctx context.Context, in *localneo4j.Instance, st *store.Store, name string, records int, parse func() (*domain.Bundle, domain.Lines, []domain.Problem)) error {
	runtime.GC()
	rss := sampleRSS(in.PID())
	hp := sampleHeap()
	t0 := time.Now()
	goCPU0 := cpuTime(os.Getpid())
	b, lines, problems := parse()
	if len(problems) > 0 {
		hp.done()
		rss.done()
		return fmt.Errorf("%s: %d problems, the first: %+v", name, len(problems), problems[0])
	}
	tParse := time.Since(t0)
	goCPU1, neoCPU1 := cpuTime(os.Getpid()), cpuTime(in.PID())
	th0 := threadCPU(in.PID())
	res, err := st.Import(ctx, "bench", b, lines, false)
	th1 := threadCPU(in.PID())
	total := time.Since(t0)
	goCPU2, neoCPU2 := cpuTime(os.Getpid()), cpuTime(in.PID())
	heapPeak, neoPeak := hp.done(), rss.done()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !res.OK() {
		return fmt.Errorf("%s: %d problems, the first: %+v", name, len(res.Problems), res.Problems[0])
	}
	fmt.Printf("%s: %d records in %s (%.0f records/s; parse and read %s, store.Import %s): nodes +%d ~%d =%d, relationships +%d ~%d =%d; CPU: parse Go %s, import Go %s and Neo4j %s; Go heap peak %s, Neo4j RSS peak %s\n",
		name, records, total.Round(time.Millisecond), float64(records)/total.Seconds(), tParse.Round(time.Millisecond), (total - tParse).Round(time.Millisecond),
		res.NodesCreated, res.NodesUpdated, res.NodesUnchanged, res.RelationshipsCreated, res.RelationshipsUpdated, res.RelsSame,
		goCPU1-goCPU0, goCPU2-goCPU1, neoCPU2-neoCPU1, mib(heapPeak), mib(neoPeak))
	fmt.Printf("  phases: %s\n", phaseSummary(res.Phases))
	fmt.Printf("  Neo4j threads' CPU: %s\n", threadDelta(th0, th1, 6))
	return nil
}

// phaseSummary sums an import's phases by what they do (the statements
// per label and type added up: "create nodes", "read relationships"…)
// and lists them in order with their times.
func phaseSummary(ps []store.Phase) string {
	type sum struct {
		rows int
		t    time.Duration
	}
	var order []string
	sums := map[string]*sum{}
	for _, p := range ps {
		name := p.Name
		if verb, what, ok := strings.Cut(p.Name, " "); ok && (verb == "create" || verb == "merge" || verb == "read") {
			kind := "relationships"
			if domain.IsNodeLabel(what) || what == "nodes" {
				kind = "nodes"
			}
			name = verb + " " + kind
		}
		if sums[name] == nil {
			sums[name] = &sum{}
			order = append(order, name)
		}
		sums[name].rows += p.Rows
		sums[name].t += p.Time
	}
	parts := make([]string, len(order))
	for i, name := range order {
		parts[i] = fmt.Sprintf("%s %s (%d rows)", name, sums[name].t.Round(time.Millisecond), sums[name].rows)
	}
	return strings.Join(parts, ", ")
}

// importBundle is n records from the generator: the whole graph of the
// smallest scale (in steps of 0.001) that makes at least n records, the
// geography among them (which the seed partly holds: those are updates),
// its relationships cut at n.
func importBundle(geo *gen.Geography, n int) *domain.Bundle {
	scale := 0.001
	for ; scale < 1; scale += 0.001 {
		if c := gen.New(geo, gen.DefaultParams(scale)).Run(nil, false, false); c.Nodes+c.Rels >= n {
			break
		}
	}
	c := &collector{}
	g := gen.New(geo, gen.DefaultParams(scale))
	g.Run(c, true, false)
	if len(c.b.Nodes) > n {
		c.b.Nodes = c.b.Nodes[:n]
	}
	c.ids = map[string]bool{}
	for _, x := range c.b.Nodes {
		c.ids[x.ID] = true
	}
	for _, id := range seedIDs() {
		c.ids[id] = true
	}
	c.want = n - len(c.b.Nodes)
	g.Run(c, false, true)
	return &c.b
}

// warmBundle is a copy of the first n records of b under other ids (the
// Source nodes aside, which the evidence cites).
func warmBundle(b *domain.Bundle, n int) *domain.Bundle {
	if n <= 0 {
		return nil
	}
	w := &domain.Bundle{}
	renamed, kept, all := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, x := range b.Nodes {
		all[x.ID] = true
	}
	for _, x := range b.Nodes[:min(len(b.Nodes), n/2)] {
		kept[x.ID] = true
		if x.Label != domain.LabelSource {
			renamed[x.ID] = true
			x.ID += "-warm"
		}
		w.Nodes = append(w.Nodes, x)
	}
	for _, r := range b.Relationships {
		if len(w.Nodes)+len(w.Relationships) >= n {
			break
		}
		there := func(id string) bool { return kept[id] || !all[id] }
		if !renamed[r.From] && !renamed[r.To] || !there(r.From) || !there(r.To) {
			continue
		}
		if renamed[r.From] {
			r.From += "-warm"
		}
		if renamed[r.To] {
			r.To += "-warm"
		}
		if r.ID != "" {
			r.ID += "-warm"
		}
		w.Relationships = append(w.Relationships, r)
	}
	return w
}

// seedIDs are the ids of the seed graph's nodes.
func seedIDs() []string {
	sb, err := seed.Bundle()
	if err != nil {
		return nil
	}
	ids := make([]string, len(sb.Nodes))
	for i, n := range sb.Nodes {
		ids[i] = n.ID
	}
	return ids
}

type collector struct {
	b    domain.Bundle
	ids  map[string]bool
	want int
}

func (c *collector) Node(n *domain.NodeRecord, shared bool) { c.b.Nodes = append(c.b.Nodes, *n) }

// Rel keeps relationships whose ends are in the bundle, or in the seed
// graph (ids the generator takes from it: not generated ones).
func (c *collector) Rel(r *domain.RelRecord, shared bool) {
	if len(c.b.Relationships) >= c.want {
		return
	}
	if !c.ids[r.From] || !c.ids[r.To] {
		return
	}
	c.b.Relationships = append(c.b.Relationships, *r)
}

// bundleCSV writes b as importCSV's two files (the columns the CSV
// export writes, evidence as its JSON list).
func bundleCSV(b *domain.Bundle) (nodes, edges string) {
	date := func(d *domain.PartialDate) string {
		if d == nil {
			return ""
		}
		return d.Date
	}
	ev := func(e []domain.Evidence) string {
		j, _ := json.Marshal(e)
		return string(j)
	}
	var nb, eb bytes.Buffer
	w := csv.NewWriter(&nb)
	_ = w.Write([]string{"id", "type", "name", "nameEn", "kind", "aliases", "code", "postalCode", "start", "end", "evidence"})
	for _, n := range b.Nodes {
		_ = w.Write([]string{n.ID, n.Label, n.Name, n.NameEn, n.Kind, strings.Join(n.Aliases, "|"), n.Code, n.PostalCode, date(n.Start), date(n.End), ev(n.Evidence)})
	}
	w.Flush()
	w = csv.NewWriter(&eb)
	_ = w.Write([]string{"id", "source", "target", "type", "role", "roleTh", "start", "end", "evidence"})
	for _, r := range b.Relationships {
		_ = w.Write([]string{r.ID, r.From, r.To, r.Type, r.Role, r.RoleTh, date(r.Start), date(r.End), ev(r.Evidence)})
	}
	w.Flush()
	return nb.String(), eb.String()
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// bulkLoad measures the offline loader (gen.BulkImport, then
// gen.BulkFinish on the started server) on a fresh folder, and prints
// nodes per second for the offline import alone and with Phakhi's schema
// created and every index filled.
func bulkLoad(ctx context.Context, geo *gen.Geography, dir string, scale float64, heapMB, pcMB int) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	hp := sampleHeap()
	began := time.Now()
	rep, err := gen.BulkImport(ctx, gen.New(geo, gen.DefaultParams(scale)), gen.BulkOptions{DataDir: dir, Progress: io.Discard})
	if err != nil {
		hp.done()
		return err
	}
	in, err := startNeo4j(ctx, dir, heapMB, pcMB, io.Discard)
	if err != nil {
		hp.done()
		return err
	}
	defer in.Stop(context.Background())
	rss := sampleRSS(in.PID())
	err = gen.BulkFinish(ctx, in.URI(), rep, io.Discard)
	heapPeak, neoPeak := hp.done(), rss.done()
	if err != nil {
		return err
	}
	all := time.Since(began)
	withIx := rep.ImportTime + rep.SchemaTime
	fmt.Printf("bulk loader (scale %g): %d nodes, %d relationships (seed included); CSV %.1f MiB written in %s; offline import %s (%.0f nodes/s, %.0f relationships/s); schema and indexes online %s (import and indexes: %.0f nodes/s); seed checked through the store %s; %s in all with the server's start; Go heap peak %s, importer peak %s, Neo4j RSS peak %s (after the import)\n",
		scale, rep.Nodes, rep.Rels, float64(rep.CSVBytes)/(1<<20), rep.CSVTime.Round(time.Millisecond),
		rep.ImportTime.Round(time.Millisecond), float64(rep.Nodes)/rep.ImportTime.Seconds(), float64(rep.Rels)/rep.ImportTime.Seconds(),
		rep.SchemaTime.Round(time.Millisecond), float64(rep.Nodes)/withIx.Seconds(), rep.SeedTime.Round(time.Millisecond),
		all.Round(time.Millisecond), mib(heapPeak), rep.ImporterPeak, mib(neoPeak))
	return nil
}
