// Command phakhi-bench measures Phakhi at national scale (see bench/README.md):
//
//	go run ./cmd/phakhi-bench                      # seed, 100k and 1M nodes
//	go run ./cmd/phakhi-bench -sizes seed,100k     # some sizes
//	go run ./cmd/phakhi-bench -quick               # seed and 10k, 2 s per run
//
// For each size it starts a local Neo4j (heap 2 GiB, page cache 512 MiB)
// on a data folder of its own under bench/.work, loads Phakhi's seed graph
// plus cmd/phakhi-gen's graph at that scale (kept for later runs), starts
// Phakhi (built from this checkout) and the @neo4j/graphql server of
// bench/neo4j-graphql against it, checks that the three ways answer alike,
// and runs every operation for a fixed time at a fixed concurrency on
// (a) Phakhi over HTTP, (b) hand-written Cypher through the Go driver and
// (c) @neo4j/graphql. It prints a table per size with throughput, p50/p99
// latency, Phakhi's round trips and memory, and the targets MET or MISSED,
// and writes them to bench/results.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/bench/gen"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

type config struct {
	sizes       []string
	dur, warm   time.Duration
	conc        int
	nParams     int
	work        string
	results     string
	heapMB      int
	pageCacheMB int
	reload      bool
	ngql        bool
	onlyOps     map[string]bool
	randSeed    uint64
	quick       bool
	loadOnly    bool
	breakdown   bool
	compareBin  string
	compareEnv  []string
}

// sizeScale maps a size name to the generator's scale (0: the seed only).
func sizeScale(s string) (float64, error) {
	switch strings.ToLower(s) {
	case "seed":
		return 0, nil
	case "10k":
		return 0.01, nil
	case "100k":
		return 0.1, nil
	case "300k":
		return 0.3, nil
	case "1m":
		return 1, nil
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(s, "scale="), 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("size %q: use seed, 10k, 100k, 300k, 1m or a scale such as 0.5", s)
	}
	return f, nil
}

func bench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("phakhi-bench", flag.ContinueOnError)
	sizes := fs.String("sizes", "seed,100k,1m", "graph sizes: seed (the seed graph only), 10k, 100k, 300k, 1m, or a generator scale")
	quick := fs.Bool("quick", false, "quick mode: sizes seed,10k, 2s per run after 0.5s of warm-up, 10 parameters per operation, results in -work/results-quick")
	dur := fs.Duration("duration", 10*time.Second, "measured time of each operation on each system")
	warm := fs.Duration("warmup", 3*time.Second, "warm-up before each measured run (not counted)")
	conc := fs.Int("concurrency", 4, "concurrent clients")
	nParams := fs.Int("params", 40, "parameter values each operation cycles through")
	work := fs.String("work", "bench/.work", "Neo4j data folders (one per size, kept for later runs), binaries and logs")
	results := fs.String("results", "bench/results", "where the tables (Markdown) and measurements (JSON) go")
	heap := fs.Int("heap-mb", 2048, "Neo4j heap")
	pc := fs.Int("pagecache-mb", 512, "Neo4j page cache (at most 512)")
	reload := fs.Bool("reload", false, "load every size again even when its data folder holds it")
	ngql := fs.Bool("neo4j-graphql", true, "also run @neo4j/graphql (needs Node 20+ and npm; `npm ci` runs in bench/neo4j-graphql when node_modules is missing)")
	onlyOps := fs.String("ops", "", "comma-separated operations to run (default all)")
	randSeed := fs.Uint64("rand-seed", 1, "the generator's random seed")
	loadOnly := fs.Bool("load-only", false, "only load the sizes (into their data folders under -work) and stop")
	breakdown := fs.Bool("breakdown", false, "instead of the comparison, where Phakhi's time goes per operation (breakdown.go): spans, gqlgen's stats, a CPU profile, Neo4j's compile and execution times, beside the floor")
	compareBin := fs.String("compare-bin", "", "with -breakdown: a second Phakhi binary (say, built from an older commit) measured beside this checkout's")
	compareEnv := fs.String("compare-env", "", "with -compare-bin: extra environment of the compared binary, comma-separated (GOGC=200,…)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := &config{breakdown: *breakdown, compareBin: *compareBin, dur: *dur, warm: *warm, conc: *conc, nParams: *nParams, work: *work, results: *results,
		heapMB: *heap, pageCacheMB: *pc, reload: *reload, ngql: *ngql, randSeed: *randSeed, quick: *quick, loadOnly: *loadOnly}
	if *compareEnv != "" {
		c.compareEnv = strings.Split(*compareEnv, ",")
	}
	sizeList := *sizes
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["sizes"] {
			sizeList = "seed,10k"
		}
		if !set["duration"] {
			c.dur = 2 * time.Second
		}
		if !set["warmup"] {
			c.warm = 500 * time.Millisecond
		}
		if !set["params"] {
			c.nParams = 10
		}
		if !set["results"] {
			c.results = filepath.Join(c.work, "results-quick") // keep bench/results for full runs
		}
	}
	for _, s := range strings.Split(sizeList, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if _, err := sizeScale(s); err != nil {
				return err
			}
			c.sizes = append(c.sizes, s)
		}
	}
	if *onlyOps != "" {
		c.onlyOps = map[string]bool{}
		for _, o := range strings.Split(*onlyOps, ",") {
			c.onlyOps[strings.TrimSpace(o)] = true
		}
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the repository root (where go.mod is)")
	}
	for _, d := range []string{c.work, c.results, filepath.Join(c.work, "bin"), filepath.Join(c.work, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "phakhi-bench: building Phakhi")
	phakhiBin, _ := filepath.Abs(filepath.Join(c.work, "bin", "phakhi"))
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", phakhiBin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if c.breakdown {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "neo4j-graphql" })
		c.ngql = c.ngql && set
	}
	if c.ngql {
		if err := ensureNodeModules(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "phakhi-bench: @neo4j/graphql side disabled: %v\n", err)
			c.ngql = false
		}
	}
	geo, err := gen.LoadGeography("data/thai-geography")
	if err != nil {
		return err
	}
	var all []*sizeResult
	for _, size := range c.sizes {
		res, err := runSize(ctx, c, geo, size, phakhiBin)
		if err != nil {
			return fmt.Errorf("size %s: %w", size, err)
		}
		if c.loadOnly {
			continue
		}
		all = append(all, res)
		md := markdown(c, []*sizeResult{res})
		fmt.Println(md)
		_ = os.WriteFile(filepath.Join(c.results, "results-"+size+".md"), []byte(md), 0o644)
		js, _ := json.MarshalIndent(res, "", "  ")
		_ = os.WriteFile(filepath.Join(c.results, "results-"+size+".json"), js, 0o644)
	}
	if len(all) > 1 {
		md := markdown(c, all)
		_ = os.WriteFile(filepath.Join(c.results, "results.md"), []byte(md), 0o644)
		fmt.Println(summaryTargets(all))
	}
	return nil
}

func ensureNodeModules(ctx context.Context) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("no node on PATH")
	}
	if _, err := os.Stat("bench/neo4j-graphql/node_modules/@neo4j/graphql"); err == nil {
		return nil
	}
	fmt.Fprintln(os.Stderr, "phakhi-bench: npm ci in bench/neo4j-graphql")
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = "bench/neo4j-graphql"
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// marker is written into a data folder once its graph is loaded.
type marker struct {
	Size      string     `json:"size"`
	Scale     float64    `json:"scale"`
	Params    gen.Params `json:"params"`
	Nodes     int64      `json:"nodes"`
	Rels      int64      `json:"relationships"`
	NodeSecs  float64    `json:"nodeSeconds"`
	RelSecs   float64    `json:"relationshipSeconds"`
	TotalSecs float64    `json:"totalSeconds"`
	// the offline import (gen.BulkImport) and the schema's indexes after it
	ImportSecs float64 `json:"importSeconds,omitempty"`
	IndexSecs  float64 `json:"indexSeconds,omitempty"`
	LoadedAt   string  `json:"loadedAt"`
}

type sizeResult struct {
	Size        string             `json:"size"`
	Scale       float64            `json:"scale"`
	Nodes       int64              `json:"nodes"`
	Rels        int64              `json:"relationships"`
	StoreBytes  int64              `json:"storeBytes"`
	Load        marker             `json:"load"`
	Stats       []stats            `json:"stats"`
	Checks      []string           `json:"checks"`
	PhakhiRSS   int64              `json:"phakhiRssMaxBytes"`
	PhakhiHWM   int64              `json:"phakhiVmHWMBytes"`
	NodeRSS     int64              `json:"neo4jGraphqlRssMaxBytes"`
	Neo4jRSS    int64              `json:"neo4jRssBytes"`
	LoadAvg     string             `json:"loadAverage"`
	Params      map[string][]param `json:"params"`
	Concurrency int                `json:"concurrency"`
	Duration    float64            `json:"durationSeconds"`
}

func runSize(ctx context.Context, c *config, geo *gen.Geography, size, phakhiBin string) (*sizeResult, error) {
	scale, _ := sizeScale(size)
	var gn *gen.Generator
	if scale > 0 {
		p := gen.DefaultParams(scale)
		p.Seed = c.randSeed
		gn = gen.New(geo, p)
	}
	dataDir, _ := filepath.Abs(filepath.Join(c.work, "neo4j-"+size))
	markerPath := filepath.Join(dataDir, "phakhi-bench-loaded.json")
	want := marker{Size: size, Scale: scale}
	if gn != nil {
		want.Params = gn.P
	}
	var have marker
	loaded := false
	if b, err := os.ReadFile(markerPath); err == nil && !c.reload {
		if json.Unmarshal(b, &have) == nil && have.Scale == want.Scale && have.Params == want.Params {
			loaded = true
		}
	}
	if !loaded {
		if err := os.RemoveAll(dataDir); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "\nphakhi-bench: === size %s (scale %g) ===\n", size, scale)
	// a generated graph goes in offline, before the server starts
	// (gen.BulkImport: Neo4j's bulk importer), its schema once it runs
	var bulk *gen.BulkReport
	began := time.Now()
	if !loaded && gn != nil {
		var err error
		bulk, err = gen.BulkImport(ctx, gn, gen.BulkOptions{DataDir: dataDir, Progress: os.Stderr})
		if err != nil {
			return nil, err
		}
	}
	neo, err := startNeo4j(ctx, dataDir, c.heapMB, c.pageCacheMB, os.Stderr)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := neo.Stop(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "phakhi-bench: stop neo4j:", err)
		}
	}()
	if !loaded {
		m := want
		if gn == nil {
			st, err := store.Open(ctx, store.Config{URI: neo.URI(), QueryTimeout: 10 * time.Minute})
			if err != nil {
				return nil, err
			}
			err = st.EnsureSchema(ctx)
			if err == nil {
				var b *domain.Bundle
				b, err = seed.Bundle()
				if err == nil {
					_, err = st.LoadBundle(ctx, b)
				}
			}
			st.Close(ctx)
			if err != nil {
				return nil, err
			}
		} else {
			if err := gen.BulkFinish(ctx, neo.URI(), bulk, os.Stderr); err != nil {
				return nil, err
			}
			m.ImportSecs, m.IndexSecs = bulk.ImportTime.Seconds(), bulk.SchemaTime.Seconds()
			m.Nodes, m.Rels = bulk.Nodes, bulk.Rels
		}
		m.TotalSecs = time.Since(began).Seconds()
		m.LoadedAt = time.Now().UTC().Format(time.RFC3339)
		b, _ := json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(markerPath, b, 0o644); err != nil {
			return nil, err
		}
		have = m
		fmt.Fprintf(os.Stderr, "phakhi-bench: loaded size %s in %.0fs\n", size, m.TotalSecs)
	} else {
		fmt.Fprintf(os.Stderr, "phakhi-bench: reusing the graph loaded in %s (%s; -reload to load again)\n", dataDir, have.LoadedAt)
	}

	if c.loadOnly {
		return &sizeResult{Size: size, Scale: scale, Load: have}, nil
	}
	driver, err := neo4j.NewDriverWithContext(neo.URI(), neo4j.NoAuth())
	if err != nil {
		return nil, err
	}
	defer driver.Close(context.Background())
	res := &sizeResult{Size: size, Scale: scale, Load: have, Concurrency: c.conc, Duration: c.dur.Seconds()}
	recs, err := readQuery(ctx, driver, "RETURN COUNT { MATCH (n) } AS n, COUNT { MATCH ()-[r]->() } AS r", nil)
	if err != nil {
		return nil, err
	}
	res.Nodes, res.Rels = get(recs[0], "n").(int64), get(recs[0], "r").(int64)
	res.StoreBytes = dirSize(dataDir)
	fmt.Fprintf(os.Stderr, "phakhi-bench: graph: %d nodes, %d relationships, %.1f GiB on disk\n", res.Nodes, res.Rels, float64(res.StoreBytes)/(1<<30))

	// Phakhi
	phakhiPort := freePort()
	phakhi, err := startProc("phakhi", ".", filepath.Join(c.work, "logs", "phakhi-"+size+".log"),
		[]string{"NEO4J_URI=" + neo.URI(), "PHAKHI_ADDR=127.0.0.1:" + strconv.Itoa(phakhiPort), "PHAKHI_SEED=off", "PHAKHI_LOG_LEVEL=warn", "PHAKHI_RATE_LIMIT=0"},
		phakhiBin)
	if err != nil {
		return nil, err
	}
	defer phakhi.stop()
	base := "http://127.0.0.1:" + strconv.Itoa(phakhiPort)
	if err := phakhi.waitHTTP(ctx, base+"/readyz", 2*time.Minute); err != nil {
		return nil, err
	}
	pc := newGQLClient(base+"/query", c.conc)
	if err := waitNameIndex(ctx, pc, "phakhi", 15*time.Minute); err != nil {
		return nil, err
	}

	// @neo4j/graphql
	var nc *gqlClient
	var node *proc
	if c.ngql {
		port := freePort()
		node, err = startProc("neo4j-graphql", "bench/neo4j-graphql", filepath.Join(c.work, "logs", "neo4j-graphql-"+size+".log"),
			[]string{"NEO4J_URI=" + neo.URI(), "PORT=" + strconv.Itoa(port)}, "node", "server.mjs")
		if err != nil {
			return nil, err
		}
		defer node.stop()
		nc = newGQLClient("http://127.0.0.1:"+strconv.Itoa(port)+"/", c.conc)
		if err := waitGraphQL(ctx, node, nc); err != nil {
			return nil, err
		}
	}

	params, err := paramSets(ctx, driver, gn, c.nParams)
	if err != nil {
		return nil, err
	}
	res.Params = params
	if c.breakdown {
		la, _ := os.ReadFile("/proc/loadavg")
		res.LoadAvg = strings.TrimSpace(string(la))
		var cmpc *gqlClient
		if c.compareBin != "" {
			port := freePort()
			cmp, err := startProc("phakhi-compare", ".", filepath.Join(c.work, "logs", "phakhi-compare-"+size+".log"),
				append([]string{"NEO4J_URI=" + neo.URI(), "PHAKHI_ADDR=127.0.0.1:" + strconv.Itoa(port), "PHAKHI_SEED=off", "PHAKHI_LOG_LEVEL=warn", "PHAKHI_RATE_LIMIT=0"}, c.compareEnv...),
				c.compareBin)
			if err != nil {
				return nil, err
			}
			defer cmp.stop()
			cbase := "http://127.0.0.1:" + strconv.Itoa(port)
			if err := cmp.waitHTTP(ctx, cbase+"/readyz", 2*time.Minute); err != nil {
				return nil, err
			}
			cmpc = newGQLClient(cbase+"/query", c.conc)
			if err := waitNameIndex(ctx, cmpc, "phakhi-compare", 15*time.Minute); err != nil {
				return nil, err
			}
		}
		warmAll(ctx, c, params, driver, pc, cmpc)
		return res, runBreakdown(ctx, c, res, neo.URI(), driver, params, pc, cmpc)
	}
	warmAll(ctx, c, params, driver, pc)
	sampler := sampleRSS(phakhi.pid())
	var nodeSampler *peakSampler
	if node != nil {
		nodeSampler = sampleRSS(node.pid())
	}
	la, _ := os.ReadFile("/proc/loadavg")
	res.LoadAvg = strings.TrimSpace(string(la))
	for _, o := range ops() {
		if c.onlyOps != nil && !c.onlyOps[o.name] {
			continue
		}
		ps := params[o.name]
		fmt.Fprintf(os.Stderr, "phakhi-bench: %s: %s [%s]\n", o.name, o.what, describe(ps))
		res.Checks = append(res.Checks, check(ctx, o, ps, pc, nc, driver)...)
		doPhakhi := func(ctx context.Context, p param) (int, error) {
			_, trips, err := pc.post(ctx, o.phakhi, o.vars(p), false)
			return trips, err
		}
		doCypher := func(ctx context.Context, p param) (int, error) {
			_, err := o.cypher(ctx, driver, p)
			return -1, err
		}
		runs := []struct {
			system string
			do     doFunc
			skip   string
		}{{"phakhi", doPhakhi, ""}, {"cypher", doCypher, ""}}
		ngqlRun := struct {
			system string
			do     doFunc
			skip   string
		}{system: "neo4j-graphql"}
		switch {
		case o.ngql == "":
			ngqlRun.skip = o.ngqlNote
		case nc == nil:
			ngqlRun.skip = "not run (-neo4j-graphql=false or no Node)"
		default:
			ngqlRun.do = func(ctx context.Context, p param) (int, error) {
				_, _, err := nc.post(ctx, o.ngql, o.vars(p), false)
				return -1, err
			}
		}
		runs = append(runs, ngqlRun)
		for _, r := range runs {
			if r.do == nil {
				res.Stats = append(res.Stats, stats{System: r.system, Op: o.name, Skipped: true, Note: r.skip})
				continue
			}
			st := measure(ctx, c.conc, c.warm, c.dur, ps, r.do)
			st.System, st.Op = r.system, o.name
			if r.system == "neo4j-graphql" {
				st.Note = o.ngqlNote
			}
			res.Stats = append(res.Stats, st)
			fmt.Fprintf(os.Stderr, "  %-14s %8.1f ops/s  p50 %7.1f ms  p99 %7.1f ms  errors %d %s\n", r.system, st.RPS, st.P50, st.P99, st.Errors, st.FirstErr)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	res.PhakhiRSS = sampler.done()
	_, res.PhakhiHWM = memInfo(phakhi.pid())
	if nodeSampler != nil {
		res.NodeRSS = nodeSampler.done()
	}
	if neo.Running() {
		res.Neo4jRSS = neo4jRSS(dataDir)
	}
	return res, nil
}

func waitGraphQL(ctx context.Context, p *proc, c *gqlClient) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("%s exited during start-up; see %s", p.name, p.log)
		default:
		}
		if _, _, err := c.post(ctx, "{ __typename }", nil, false); err == nil {
			return nil
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer; see %s", p.name, p.log)
}

// check runs the first parameters of an operation on every system and
// compares their fingerprints; it returns notes on what differs.
func check(ctx context.Context, o *op, ps []param, pc, nc *gqlClient, d neo4j.DriverWithContext) []string {
	var notes []string
	for i, p := range ps {
		if i == 3 {
			break
		}
		data, trips, err := pc.post(ctx, o.phakhi, o.vars(p), true)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s %v: Phakhi error: %v", o.name, map[string]any(p), err))
			continue
		}
		a := o.phakhiFP(data)
		b, err := o.cypher(ctx, d, p)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s %v: Cypher error: %v", o.name, map[string]any(p), err))
			continue
		}
		line := fmt.Sprintf("%s %v: Phakhi %s (round trips %d)", o.name, map[string]any(p), a, trips)
		if !a.equal(b) {
			line += fmt.Sprintf("; Cypher floor DIFFERS: %s", b)
		} else {
			line += "; Cypher floor same"
		}
		if nc != nil && o.ngql != "" {
			data, _, err := nc.post(ctx, o.ngql, o.vars(p), true)
			switch {
			case err != nil:
				line += fmt.Sprintf("; @neo4j/graphql error: %v", err)
			default:
				c := o.ngqlFP(data)
				if c.equal(a) {
					line += "; @neo4j/graphql same"
				} else {
					line += fmt.Sprintf("; @neo4j/graphql differs: %s", c)
				}
			}
		}
		notes = append(notes, line)
		fmt.Fprintln(os.Stderr, "  check:", line)
	}
	return notes
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// neo4jRSS finds the JVM running on dataDir among this process's children.
func neo4jRSS(dataDir string) int64 {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(cmd), "Launcher") || !strings.Contains(string(cmd), dataDir) {
			continue
		}
		rss, _ := memInfo(pid)
		return rss
	}
	return 0
}

// warmAll runs every operation on every system for the warm-up time
// before any is measured: a Neo4j just started compiles its hot code (the
// JVM's JIT) during the first operation's runs, so that operation (detail)
// was measured cold on Phakhi, which ran first, and warm on the floor,
// which ran after (p50 30 ms against 3.6 ms at load 2, where the embedded
// server, run between them, took 12).
func warmAll(ctx context.Context, c *config, params map[string][]param, driver neo4j.DriverWithContext, clients ...*gqlClient) {
	fmt.Fprintln(os.Stderr, "phakhi-bench: warming up every operation")
	for _, o := range ops() {
		if c.onlyOps != nil && !c.onlyOps[o.name] {
			continue
		}
		ps := params[o.name]
		for _, cl := range clients {
			if cl == nil {
				continue
			}
			measure(ctx, c.conc, c.warm, 0, ps, func(ctx context.Context, p param) (int, error) {
				_, trips, err := cl.post(ctx, o.phakhi, o.vars(p), false)
				return trips, err
			})
		}
		measure(ctx, c.conc, c.warm, 0, ps, func(ctx context.Context, p param) (int, error) {
			_, err := o.cypher(ctx, driver, p)
			return -1, err
		})
	}
}
