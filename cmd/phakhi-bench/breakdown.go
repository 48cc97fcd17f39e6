package main

// The -breakdown mode: where a Phakhi request's time goes, per operation.
//
// Per operation it runs, side by side in one go:
//
//   - Phakhi, the built binary, over HTTP (as the benchmark does);
//   - with -compare-bin, a second Phakhi binary (say, built from an older
//     commit) the same way, to measure a change before and after;
//   - Phakhi embedded in this process (web.NewHandler over store.Open, on a
//     loopback port) with a recording tracer: the HTTP server span
//     (otelhttp), the GraphQL operation span with gqlgen's
//     OperationContext.Stats (request read, parsing, validation), the
//     store's span per Neo4j round trip; a CPU profile of this process
//     (runtime/pprof) is taken meanwhile and its samples sorted into the
//     layers they were spent in;
//   - the floor (hand-written Cypher through the driver).
//
// Neo4j's own figures come from its query collector (db.stats.collect
// 'QUERIES'): per statement text, the compile (planning) and execution
// time, and how many distinct texts an operation sent (one per request
// means no plan is ever reused).

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/phakhi/phakhi/store"
	"github.com/phakhi/phakhi/web"
)

// ---------------------------------------------------------------- the recording tracer

// reqRec is one request's timings, from its spans.
type reqRec struct {
	httpStart, httpEnd time.Time
	stats              *graphql.Stats // gqlgen's, read when the operation span starts
	gqlStart, gqlEnd   time.Time
	store              time.Duration // the store's round-trip spans, summed
	trips              int
}

type recorder struct {
	embedded.TracerProvider
	mu   sync.Mutex
	done []*reqRec
}

func (r *recorder) Tracer(name string, _ ...trace.TracerOption) trace.Tracer {
	return &recTracer{r: r, scope: name}
}

func (r *recorder) take() []*reqRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.done
	r.done = nil
	return d
}

type recTracer struct {
	embedded.Tracer
	r     *recorder
	scope string
}

type recSpan struct {
	noop.Span
	sc    trace.SpanContext
	kind  string // http, graphql, store
	req   *reqRec
	start time.Time
	r     *recorder
	once  sync.Once
}

func (s *recSpan) IsRecording() bool                    { return true }
func (s *recSpan) SpanContext() trace.SpanContext       { return s.sc }
func (s *recSpan) TracerProvider() trace.TracerProvider { return s.r }

func (s *recSpan) End(...trace.SpanEndOption) {
	s.once.Do(func() {
		now := time.Now()
		s.r.mu.Lock()
		defer s.r.mu.Unlock()
		switch s.kind {
		case "http":
			s.req.httpStart, s.req.httpEnd = s.start, now
			s.r.done = append(s.r.done, s.req)
		case "graphql":
			s.req.gqlStart, s.req.gqlEnd = s.start, now
		case "store":
			s.req.store += now.Sub(s.start)
			s.req.trips++
		}
	})
}

func (t *recTracer) Start(ctx context.Context, name string, _ ...trace.SpanStartOption) (context.Context, trace.Span) {
	s := &recSpan{r: t.r, start: time.Now()}
	parent, _ := trace.SpanFromContext(ctx).(*recSpan)
	switch {
	case strings.HasSuffix(t.scope, "/store"):
		s.kind = "store"
	case strings.HasSuffix(t.scope, "/web"):
		s.kind = "graphql"
	default:
		s.kind = "http"
	}
	var tid trace.TraceID
	var sid trace.SpanID
	_, _ = rand.Read(sid[:])
	if parent != nil && s.kind != "http" {
		s.req = parent.req
		tid = parent.sc.TraceID()
	} else {
		s.req = &reqRec{}
		_, _ = rand.Read(tid[:])
	}
	if s.kind == "graphql" && graphql.HasOperationContext(ctx) {
		st := graphql.GetOperationContext(ctx).Stats
		s.req.stats = &st
	}
	s.sc = trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpan(ctx, s), s
}

// ---------------------------------------------------------------- Neo4j's query collector

type neoStat struct {
	texts       int            // distinct statement texts
	invocations int64          // executions
	compileUs   float64        // mean compile (planning) time per execution, µs
	execUs      float64        // mean execution time, µs
	top         string         // the most executed text (shortened)
	topText     string         // the most executed text, whole
	topParams   map[string]any // the parameters of one of its executions, when the collector kept them
	dbHits      int64          // PROFILE of topText with topParams: db hits (-1: not profiled)
}

// profileTop runs PROFILE on the most executed statement with the
// parameters of one of its executions and sums the plan's db hits.
func profileTop(ctx context.Context, d neo4j.DriverWithContext, ns *neoStat) {
	ns.dbHits = -1
	if ns.topText == "" || ns.topParams == nil {
		return
	}
	res, err := neo4j.ExecuteQuery(ctx, d, "PROFILE "+ns.topText, ns.topParams, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase("neo4j"), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil || res.Summary == nil || res.Summary.Profile() == nil {
		return
	}
	var sum func(p neo4j.ProfiledPlan) int64
	sum = func(p neo4j.ProfiledPlan) int64 {
		n := p.DbHits()
		for _, c := range p.Children() {
			n += sum(c)
		}
		return n
	}
	ns.dbHits = sum(res.Summary.Profile())
}

func collectStart(ctx context.Context, d neo4j.DriverWithContext) error {
	_, _ = readQuery(ctx, d, "CALL db.stats.stop('QUERIES')", nil)
	if _, err := readQuery(ctx, d, "CALL db.stats.clear('QUERIES')", nil); err != nil {
		return err
	}
	_, err := readQuery(ctx, d, "CALL db.stats.collect('QUERIES', {durationSeconds: 600})", nil)
	return err
}

// collectStop stops the collector and sums what it saw, leaving out its
// own calls.
func collectStop(ctx context.Context, d neo4j.DriverWithContext) (neoStat, error) {
	_, _ = readQuery(ctx, d, "CALL db.stats.stop('QUERIES')", nil)
	recs, err := readQuery(ctx, d, "CALL db.stats.retrieve('QUERIES') YIELD data RETURN data", nil)
	if err != nil {
		return neoStat{}, err
	}
	var ns neoStat
	var most int64
	var cSum, eSum float64
	for _, rec := range recs {
		data, _ := get(rec, "data").(map[string]any)
		q, _ := data["query"].(string)
		if strings.Contains(q, "db.stats.") {
			continue
		}
		sum, _ := data["invocationSummary"].(map[string]any)
		n, _ := sum["invocationCount"].(int64)
		avg := func(k string) float64 {
			m, _ := sum[k].(map[string]any)
			switch v := m["avg"].(type) {
			case float64:
				return v
			case int64:
				return float64(v)
			}
			return 0
		}
		ns.texts++
		ns.invocations += n
		cSum += avg("compileTimeInUs") * float64(n)
		eSum += avg("executionTimeInUs") * float64(n)
		if n > most {
			most, ns.top, ns.topText, ns.topParams = n, q, q, nil
			if inv, _ := data["invocations"].([]any); len(inv) > 0 {
				if first, _ := inv[0].(map[string]any); first != nil {
					ns.topParams, _ = first["params"].(map[string]any)
				}
			}
		}
	}
	if ns.invocations > 0 {
		ns.compileUs, ns.execUs = cSum/float64(ns.invocations), eSum/float64(ns.invocations)
	}
	ns.top = strings.Join(strings.Fields(ns.top), " ")
	if len(ns.top) > 160 {
		ns.top = ns.top[:160] + "…"
	}
	return ns, nil
}

// ---------------------------------------------------------------- the CPU profile, by layer

// layers sort a CPU sample by the frames of its stack: the first layer
// (in this order) one of whose patterns a frame matches.
var layers = []struct {
	name string
	re   *regexp.Regexp
}{
	{"harness client (not Phakhi)", regexp.MustCompile(`^main\.|net/http\.\(\*persistConn\)|net/http\.\(\*Transport\)|net/http\.\(\*Client\)`)},
	{"GC (background)", regexp.MustCompile(`^runtime\.gcBgMarkWorker`)},
	{"Neo4j driver (Bolt, packstream)", regexp.MustCompile(`neo4j-go-driver`)},
	{"query limits (web/limits.go)", regexp.MustCompile(`phakhi/web\.\(\*QueryLimits\)|phakhi/web\.(Measure|CountTokens|precheck)|phakhi/web\.\(\*walker\)`)},
	{"parse (gqlparser)", regexp.MustCompile(`gqlparser/v2/(parser|lexer)`)},
	{"validate (gqlparser)", regexp.MustCompile(`gqlparser/v2/validator`)},
	{"Cypher compilation (store/compile.go)", regexp.MustCompile(`phakhi/store\.[^ ]*(compile|Compile|clause|project|anchor)`)},
	{"planning (graph/plan*.go)", regexp.MustCompile(`phakhi/graph\.[^ ]*(plan|Plan|[sS]election|collect)`)},
	{"decoding (store)", regexp.MustCompile(`phakhi/store\.`)},
	{"gqlgen execution and field marshalling", regexp.MustCompile(`phakhi/graph\.|gqlgen/graphql\.|gqlgen/graphql/executor`)},
	{"JSON (request, response)", regexp.MustCompile(`^encoding/json\.|gqlgen/graphql/handler/transport`)},
	{"web middleware (guard, metrics, fair share, cors, log, tracing)", regexp.MustCompile(`phakhi/web\.|rs/cors|prometheus|otelhttp|log/slog`)},
	{"net/http server, syscalls", regexp.MustCompile(`^net/http\.|^net\.|^internal/poll|^syscall\.|^bufio\.`)},
}

// profileLayers reads `go tool pprof -traces` and sums the samples by
// layer; extra are more pprof flags (-sample_index, -base) before the path.
func profileLayers(ctx context.Context, path string, extra ...string) (map[string]float64, float64, error) {
	args := append(append([]string{"tool", "pprof", "-traces"}, extra...), path)
	out, err := exec.CommandContext(ctx, "go", args...).Output()
	if err != nil {
		return nil, 0, err
	}
	by := map[string]float64{}
	var total float64
	var val float64
	var frames []string
	flush := func() {
		if val == 0 {
			return
		}
		name := "other (runtime, scheduler, allocation)"
	found:
		for _, l := range layers {
			for _, f := range frames {
				if l.re.MatchString(f) {
					name = l.name
					break found
				}
			}
		}
		by[name] += val
		total += val
		val, frames = 0, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inTraces := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			inTraces = true
			continue
		}
		if !inTraces {
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) >= 2 && f[0][0] >= '0' && f[0][0] <= '9' {
			val = parseSample(f[0])
			frames = append(frames, f[1])
			continue
		}
		frames = append(frames, f[0])
	}
	flush()
	return by, total, nil
}

// parseSample reads a sample's value as pprof -traces prints it: a
// duration (CPU, in ms) or a count (allocations: 1234, 12.5k, 3M).
func parseSample(s string) float64 {
	if d, err := time.ParseDuration(s); err == nil {
		return float64(d) / 1e6
	}
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1e3, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1e9, strings.TrimSuffix(s, "G")
	}
	v, _ := strconv.ParseFloat(s, 64)
	return v * mult
}

// allocs are the allocations of the process over a measured run, from
// runtime.MemStats (the harness client's included) and from the alloc
// profile's samples sorted into layers.
type allocs struct {
	objects, bytes, gcs float64 // per request
	layers              map[string]float64
	layerTotal          float64
}

// writeAllocProfile writes the process's cumulative alloc profile to path.
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC() // the profile is as of the last GC
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// ---------------------------------------------------------------- the mode

type breakdownRow struct {
	op                                     string
	bin, cmp, embedded, floor              stats
	n                                      int
	server, before, read, preParse, parse  float64
	validate, afterValidate, resolve, stor float64
	after                                  float64
	trips                                  float64
	neoP, neoF                             neoStat
	layers                                 map[string]float64
	layerTotal                             float64
	alloc                                  allocs
}

// startEmbedded serves Phakhi from this process, traced by rec.
func startEmbedded(ctx context.Context, uri string, rec *recorder) (string, func(), error) {
	st, err := store.Open(ctx, store.Config{URI: uri, QueryTimeout: 15 * time.Second, TracerProvider: rec})
	if err != nil {
		return "", nil, err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := web.NewHandler(st, web.Config{Logger: logger, TracerProvider: rec})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close(ctx)
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/query", func() { _ = srv.Close(); st.Close(context.Background()) }, nil
}

func runBreakdown(ctx context.Context, c *config, res *sizeResult, uri string, driver neo4j.DriverWithContext,
	params map[string][]param, pc, cmpc *gqlClient) error {
	rec := &recorder{}
	url, stop, err := startEmbedded(ctx, uri, rec)
	if err != nil {
		return err
	}
	defer stop()
	ec := newGQLClient(url, c.conc)
	profDir := filepath.Join(c.work, "breakdown")
	_ = os.MkdirAll(profDir, 0o755)
	var rows []*breakdownRow
	for _, o := range ops() {
		if c.onlyOps != nil && !c.onlyOps[o.name] {
			continue
		}
		ps := params[o.name]
		fmt.Fprintf(os.Stderr, "phakhi-bench: breakdown %s\n", o.name)
		gql := func(cl *gqlClient) doFunc {
			return func(ctx context.Context, p param) (int, error) {
				_, trips, err := cl.post(ctx, o.phakhi, o.vars(p), false)
				return trips, err
			}
		}
		row := &breakdownRow{op: o.name}
		// this checkout's binary and the one compared, in turn: the one run
		// first changes from one operation to the next (the load drifts)
		// Both warmed up first, then measured in turns: the one measured
		// second would otherwise find Neo4j warmer for this operation's
		// statements (its JIT) than the first did (seen in quick runs: the
		// second won by up to 2× on statements neither build changed).
		measure(ctx, c.conc, c.warm, 0, ps, gql(pc))
		if cmpc != nil {
			measure(ctx, c.conc, c.warm, 0, ps, gql(cmpc))
		}
		runBin := func() {
			row.bin = measure(ctx, c.conc, 0, c.dur, ps, gql(pc))
			row.bin.System, row.bin.Op = "phakhi", o.name
			res.Stats = append(res.Stats, row.bin)
		}
		runCmp := func() {
			if cmpc != nil {
				row.cmp = measure(ctx, c.conc, 0, c.dur, ps, gql(cmpc))
				row.cmp.System, row.cmp.Op = "phakhi-compare", o.name
				res.Stats = append(res.Stats, row.cmp)
			}
		}
		if len(rows)%2 == 0 {
			runBin()
			runCmp()
		} else {
			runCmp()
			runBin()
		}
		// embedded, traced and profiled; Neo4j's collector on
		measure(ctx, c.conc, c.warm, 0, ps, gql(ec))
		rec.take()
		if err := collectStart(ctx, driver); err != nil {
			return fmt.Errorf("db.stats.collect: %w", err)
		}
		prof := filepath.Join(profDir, "cpu-"+res.Size+"-"+o.name+".pprof")
		allocBase := filepath.Join(profDir, "allocs-"+res.Size+"-"+o.name+"-base.pprof")
		allocProf := filepath.Join(profDir, "allocs-"+res.Size+"-"+o.name+".pprof")
		if err := writeAllocProfile(allocBase); err != nil {
			return err
		}
		f, err := os.Create(prof)
		if err != nil {
			return err
		}
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		_ = pprof.StartCPUProfile(f)
		row.embedded = measure(ctx, c.conc, 0, c.dur, ps, gql(ec))
		pprof.StopCPUProfile()
		runtime.ReadMemStats(&ms1)
		f.Close()
		if err := writeAllocProfile(allocProf); err != nil {
			return err
		}
		n := float64(max(row.embedded.Count, 1))
		row.alloc.objects = float64(ms1.Mallocs-ms0.Mallocs) / n
		row.alloc.bytes = float64(ms1.TotalAlloc-ms0.TotalAlloc) / n
		row.alloc.gcs = float64(ms1.NumGC-ms0.NumGC) / n
		row.neoP, err = collectStop(ctx, driver)
		if err != nil {
			return err
		}
		profileTop(ctx, driver, &row.neoP)
		reqs := rec.take()
		row.summarise(reqs)
		row.layers, row.layerTotal, err = profileLayers(ctx, prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "phakhi-bench: pprof:", err)
		}
		row.alloc.layers, row.alloc.layerTotal, err = profileLayers(ctx, allocProf, "-sample_index=alloc_objects", "-base", allocBase)
		if err != nil {
			fmt.Fprintln(os.Stderr, "phakhi-bench: pprof allocs:", err)
		}
		// the floor, warmed up first (its plans cached), then with the
		// collector on
		floor := func(ctx context.Context, p param) (int, error) {
			_, err := o.cypher(ctx, driver, p)
			return -1, err
		}
		measure(ctx, c.conc, c.warm, 0, ps, floor)
		if err := collectStart(ctx, driver); err != nil {
			return err
		}
		row.floor = measure(ctx, c.conc, 0, c.dur, ps, floor)
		row.floor.System, row.floor.Op = "cypher", o.name
		res.Stats = append(res.Stats, row.floor)
		row.neoF, err = collectStop(ctx, driver)
		if err != nil {
			return err
		}
		profileTop(ctx, driver, &row.neoF)
		rows = append(rows, row)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	la, _ := os.ReadFile("/proc/loadavg")
	text := breakdownText(rows, cmpc != nil, strings.TrimSpace(string(la)), res.LoadAvg)
	fmt.Println(text)
	_ = os.WriteFile(filepath.Join(c.results, "breakdown-"+res.Size+".md"), []byte(text), 0o644)
	return nil
}

func msBetween(a, b time.Time) float64 {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	return float64(b.Sub(a).Microseconds()) / 1000
}

// summarise turns the requests' spans into mean milliseconds per part
// (means, so the parts add up to the server's time).
func (r *breakdownRow) summarise(reqs []*reqRec) {
	for _, q := range reqs {
		if q.stats == nil || q.gqlStart.IsZero() {
			continue
		}
		s := q.stats
		r.n++
		r.server += msBetween(q.httpStart, q.httpEnd)
		r.before += msBetween(q.httpStart, s.Read.Start)
		r.read += msBetween(s.Read.Start, s.Read.End)
		r.preParse += msBetween(s.Read.End, s.Parsing.Start)
		r.parse += msBetween(s.Parsing.Start, s.Parsing.End)
		r.validate += msBetween(s.Validation.Start, s.Validation.End)
		r.afterValidate += msBetween(s.Validation.End, q.gqlStart)
		r.resolve += msBetween(q.gqlStart, q.gqlEnd) - float64(q.store.Microseconds())/1000
		r.stor += float64(q.store.Microseconds()) / 1000
		r.after += msBetween(q.gqlEnd, q.httpEnd)
		r.trips += float64(q.trips)
	}
	if r.n == 0 {
		return
	}
	n := float64(r.n)
	for _, p := range []*float64{&r.server, &r.before, &r.read, &r.preParse, &r.parse, &r.validate, &r.afterValidate, &r.resolve, &r.stor, &r.after, &r.trips} {
		*p /= n
	}
}

func breakdownText(rows []*breakdownRow, cmp bool, loadEnd, loadStart string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Where a request's time goes (means in ms; load average %s at the start, %s at the end)\n\n", loadStart, loadEnd)
	b.WriteString("Phakhi embedded in the harness, traced (its spans and gqlgen's OperationContext.Stats); Neo4j's own compile and execution times from its query collector (db.stats 'QUERIES').\n\n")
	w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	head := []string{"operation", "bin ops/s", "bin p50", "bin mean"}
	if cmp {
		head = append(head, "cmp ops/s", "cmp p50", "cmp mean")
	}
	head = append(head, "emb mean", "server", "mw before", "read+JSON", "limits pre", "parse", "validate", "limits post", "resolvers-Neo4j", "store trips", "↳ neo4j compile", "↳ neo4j exec", "response", "texts/execs", "floor ops/s", "floor p50", "floor mean", "floor compile", "floor exec", "floor texts/execs")
	fmt.Fprintln(w, strings.Join(head, "\t")+"\t")
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, r := range rows {
		cells := []string{r.op, strconv.FormatFloat(r.bin.RPS, 'f', 0, 64), f(r.bin.P50), f(r.bin.Mean)}
		if cmp {
			cells = append(cells, strconv.FormatFloat(r.cmp.RPS, 'f', 0, 64), f(r.cmp.P50), f(r.cmp.Mean))
		}
		cells = append(cells, f(r.embedded.Mean), f(r.server), f(r.before), f(r.read), f(r.preParse), f(r.parse), f(r.validate), f(r.afterValidate),
			f(r.resolve), f(r.stor)+" ×"+strconv.FormatFloat(r.trips, 'f', 0, 64), f(r.neoP.compileUs/1000), f(r.neoP.execUs/1000), f(r.after),
			fmt.Sprintf("%d/%d", r.neoP.texts, r.neoP.invocations),
			strconv.FormatFloat(r.floor.RPS, 'f', 0, 64), f(r.floor.P50), f(r.floor.Mean), f(r.neoF.compileUs/1000), f(r.neoF.execUs/1000), fmt.Sprintf("%d/%d", r.neoF.texts, r.neoF.invocations))
		fmt.Fprintln(w, strings.Join(cells, "\t")+"\t")
	}
	w.Flush()
	b.WriteString("\nbin: the built Phakhi binary over HTTP; cmp: -compare-bin; emb: the embedded, traced server (client-side mean). server = mw before + read+JSON + limits pre + parse + validate + limits post + resolvers + store + response. texts/execs: distinct statement texts Neo4j saw / executions.\n")
	b.WriteString("\n### CPU of the harness process while the embedded server ran (share of samples by layer)\n\n")
	for _, r := range rows {
		if r.layerTotal == 0 {
			continue
		}
		type kv struct {
			k string
			v float64
		}
		var list []kv
		for k, v := range r.layers {
			list = append(list, kv{k, v})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v })
		per := float64(max(r.embedded.Count, 1))
		fmt.Fprintf(&b, "- **%s** (%.0f ms CPU over %d requests, %.2f ms per request):", r.op, r.layerTotal, r.embedded.Count, r.layerTotal/per)
		for _, e := range list {
			fmt.Fprintf(&b, " %s %.0f%% (%.0f µs);", e.k, 100*e.v/r.layerTotal, 1000*e.v/per)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n### Allocations per request while the embedded server ran (runtime.MemStats of the harness process, its client included; the alloc profile's objects by layer)\n\n")
	for _, r := range rows {
		per := float64(max(r.embedded.Count, 1))
		fmt.Fprintf(&b, "- **%s**: %.0f objects, %.1f KiB, %.3f GC cycles per request;", r.op, r.alloc.objects, r.alloc.bytes/1024, r.alloc.gcs)
		type kv struct {
			k string
			v float64
		}
		var list []kv
		for k, v := range r.alloc.layers {
			list = append(list, kv{k, v})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v })
		for _, e := range list {
			if e.v/per >= 1 {
				fmt.Fprintf(&b, " %s %.0f;", e.k, e.v/per)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n### Statements (the most executed text per operation; db hits from PROFILE with the parameters of one of its executions, -1: the collector kept none)\n\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "- %s: %d db hits (floor %d); Phakhi `%s`\n", r.op, r.neoP.dbHits, r.neoF.dbHits, r.neoP.top)
	}
	return b.String()
}
