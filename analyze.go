package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/phakhi/phakhi/analyze"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// analyzeCommand is `phakhi analyze [-url U] [-id ID] [-date D] FILE`: it
// prints as JSON what the analyzeDocument query answers for the file's
// text (FILE "-" reads standard input). The names come from the Neo4j
// NEO4J_URI names (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), or, with
// NEO4J_URI unset, from the seed graph built into the program. It writes
// nothing to the graph. It returns the process's exit code.
func analyzeCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "the source's URL")
	id := fs.String("id", "", "the source's id")
	date := fs.String("date", "", "the source's date (11 เมษายน 2550 or ISO)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: phakhi analyze [-url U] [-id ID] [-date D] FILE")
		return 2
	}
	var raw []byte
	var err error
	if fs.Arg(0) == "-" {
		raw, err = io.ReadAll(io.LimitReader(os.Stdin, analyze.MaxText+1))
	} else {
		raw, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(stderr, "phakhi analyze:", err)
		return 1
	}
	names := analyze.NewBuilder()
	if uri := getenv("NEO4J_URI"); uri != "" {
		st, err := store.Open(ctx, store.Config{URI: uri, User: getenv("NEO4J_USER"), Password: getenv("NEO4J_PASSWORD"), Database: getenv("NEO4J_DATABASE")})
		if err == nil {
			defer st.Close(ctx)
			err = st.NamePages(ctx, names.Add)
		}
		if err != nil {
			fmt.Fprintln(stderr, "phakhi analyze: read the graph's names:", err)
			return 1
		}
	} else {
		b, err := seed.Bundle()
		if err != nil {
			fmt.Fprintln(stderr, "phakhi analyze:", err)
			return 1
		}
		names.Add(b)
	}
	a, err := names.Index().Analyze(analyze.Input{Text: string(raw), URL: *url, SourceID: *id, Date: *date})
	if err != nil {
		fmt.Fprintln(stderr, "phakhi analyze:", err)
		return 1
	}
	m, err := graph.AnalysisModel(a)
	if err != nil {
		fmt.Fprintln(stderr, "phakhi analyze:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		fmt.Fprintln(stderr, "phakhi analyze:", err)
		return 1
	}
	return 0
}
