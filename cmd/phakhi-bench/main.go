package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "neo4j" {
		err = serveNeo4j(ctx, os.Args[2:])
	} else if len(os.Args) > 1 && os.Args[1] == "writes" {
		err = writes(ctx, os.Args[2:])
	} else {
		err = bench(ctx, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "phakhi-bench:", err)
		os.Exit(1)
	}
}

// serveNeo4j runs a local Neo4j with the benchmark's memory caps until
// interrupted: for loading and trying queries by hand.
func serveNeo4j(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("phakhi-bench neo4j", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "bench/.work/neo4j-manual", "Neo4j data folder")
	port := fs.Int("port", 0, "Bolt port on 127.0.0.1 (0: a free one)")
	heap := fs.Int("heap-mb", 2048, "JVM heap")
	pc := fs.Int("pagecache-mb", 512, "page cache (at most 512)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	in, err := startNeo4jPort(ctx, *dataDir, *port, *heap, *pc)
	if err != nil {
		return err
	}
	fmt.Println(in.URI())
	<-ctx.Done()
	return in.Stop(context.Background())
}
