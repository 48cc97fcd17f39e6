// Command phakhi-gen loads a national-scale graph shaped like Phakhi's
// domain into Neo4j: Phakhi's schema and seed graph, all of Thailand's
// provinces, districts and subdistricts from data/thai-geography (real DOPA
// codes, cited to dataset-thai-geography), and synthetic funds, groups,
// credit unions, offices, people, events and programs in proportions set
// by -scale (1 ≈ 1M nodes and 4.3M relationships; 0.1 ≈ 117k nodes),
// every fact cited to the Source node synthetic-generator. Deterministic
// for a given -rand-seed and parameters.
//
//	go run ./cmd/phakhi-gen -neo4j bolt://127.0.0.1:7687 -scale 0.1
//
// Nodes and relationships go in with batched UNWIND (-batch rows, one
// transaction per batch), CREATE into a database without generated data or
// MERGE on ids with -merge; the rates of nodes and relationships per second
// are printed as it goes and at the end. -dry-run only counts.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/phakhi/phakhi/bench/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "phakhi-gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("phakhi-gen", flag.ContinueOnError)
	uri := fs.String("neo4j", os.Getenv("NEO4J_URI"), "Neo4j Bolt URI, e.g. bolt://127.0.0.1:7687 (NEO4J_URI)")
	user := fs.String("user", os.Getenv("NEO4J_USER"), "Neo4j user; empty: no authentication (NEO4J_USER; password from NEO4J_PASSWORD)")
	db := fs.String("database", "neo4j", "Neo4j database")
	scale := fs.Float64("scale", 0.1, "size of the synthetic layer: 1 ≈ 1M nodes / 4.3M relationships, 0.1 ≈ 117k nodes")
	seedRand := fs.Uint64("rand-seed", 1, "random seed (same seed and parameters: same graph)")
	batch := fs.Int("batch", 10000, "rows per UNWIND batch (one transaction each)")
	merge := fs.Bool("merge", false, "MERGE on ids (re-runnable) instead of CREATE into a database without generated data")
	loadSeed := fs.Bool("seed", true, "load Phakhi's seed graph first (through the store, idempotent); the synthetic data links to its agencies, networks and provinces")
	geoDir := fs.String("geo-dir", "data/thai-geography", "the shipped geography datasets")
	dry := fs.Bool("dry-run", false, "only generate and count; touch no database")
	verbose := fs.Bool("v", false, "print every batch with its time")
	writers := fs.Int("writers", 2, "batches in flight at once")
	deferIx := fs.Bool("defer-search-indexes", true, "with CREATE: drop the two search indexes during the load and build them at the end")
	// the proportions: negative means "the default for -scale"
	welfare := fs.Float64("welfare-fund-share", -1, "share of subdistricts with a community welfare fund (default 0.85, not scaled)")
	people := fs.Float64("people-per-subdistrict", -1, "people per subdistrict (default 110 × scale)")
	village := fs.Float64("village-funds-per-subdistrict", -1, "village funds per subdistrict (default 10 × scale)")
	savings := fs.Float64("savings-groups-per-subdistrict", -1, "savings groups per subdistrict (default 3 × scale)")
	cu := fs.Float64("credit-unions-per-subdistrict", -1, "credit unions per subdistrict (default 0.1 × scale)")
	events := fs.Float64("events-per-subdistrict", -1, "local meetings and forums per subdistrict (default 6 × scale)")
	perEvent := fs.Int("people-per-event", -1, "people at a local event, on average (default 25)")
	forums := fs.Float64("forums-per-province", -1, "provincial forums per province (default 40 × scale)")
	programs := fs.Float64("programs-per-province", -1, "programs per province (default 48 × scale)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p := gen.DefaultParams(*scale)
	p.Seed = *seedRand
	set := func(dst *float64, v float64) {
		if v >= 0 {
			*dst = v
		}
	}
	set(&p.WelfareFundShare, *welfare)
	set(&p.PeoplePerSub, *people)
	set(&p.VillageFundsPerSub, *village)
	set(&p.SavingsGroupsPerSub, *savings)
	set(&p.CreditUnionsPerSub, *cu)
	set(&p.EventsPerSub, *events)
	set(&p.ForumsPerProvince, *forums)
	set(&p.ProgramsPerProvince, *programs)
	if *perEvent >= 0 {
		p.PeoplePerEvent = *perEvent
	}
	geo, err := gen.LoadGeography(*geoDir)
	if err != nil {
		return err
	}
	g := gen.New(geo, p)
	fmt.Fprintf(os.Stderr, "phakhi-gen: scale %g seed %d: %+v\n", *scale, p.Seed, p)
	if *dry {
		c := g.Run(nil, false, false)
		fmt.Println(c.Summary())
		return nil
	}
	if *uri == "" {
		return fmt.Errorf("-neo4j is required (or NEO4J_URI)")
	}
	rep, err := gen.Load(ctx, g, gen.Options{URI: *uri, User: *user, Password: os.Getenv("NEO4J_PASSWORD"), Database: *db,
		Batch: *batch, Merge: *merge, Seed: *loadSeed, Progress: os.Stderr, Verbose: verboseW(*verbose), Writers: *writers, DeferSearchIndexes: *deferIx})
	if err != nil {
		return err
	}
	fmt.Printf("generated: %s\n", rep.Counts.Summary())
	fmt.Printf("loaded %d nodes in %s (%.0f nodes/s) and %d relationships in %s (%.0f relationships/s); %s in all\n",
		rep.NodesWritten, rep.NodeTime.Round(1e8), float64(rep.NodesWritten)/rep.NodeTime.Seconds(),
		rep.RelsWritten, rep.RelTime.Round(1e8), float64(rep.RelsWritten)/rep.RelTime.Seconds(), rep.Elapsed.Round(1e8))
	return nil
}

func verboseW(on bool) io.Writer {
	if on {
		return os.Stderr
	}
	return nil
}
