package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// indexGroups are the groups of Phakhi's indexes that `writes
// -without-indexes` can drop, to measure what each costs an import's
// commit: the full-text node_search (Thai analyzer), the text index
// node_search_key, the span POINT indexes, the per-label status indexes,
// and the other range indexes (not the constraints' own).
var indexGroups = []string{"fulltext", "text", "point", "status", "range"}

// dropIndexes is the -without-indexes flag.
var dropIndexes listFlag

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, g := range strings.Split(v, ",") {
		g = strings.TrimSpace(g)
		ok := false
		for _, k := range indexGroups {
			ok = ok || k == g
		}
		if !ok {
			return fmt.Errorf("no index group %q: the groups are %s", g, strings.Join(indexGroups, ", "))
		}
		*l = append(*l, g)
	}
	return nil
}

// dropIndexGroups drops the indexes of these groups from the Neo4j at
// uri and returns their names. An experiment's Cypher, like the floor's,
// is the benchmark's own.
func dropIndexGroups(ctx context.Context, uri string, groups []string) ([]string, error) {
	want := map[string]bool{}
	for _, g := range groups {
		want[g] = true
	}
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return nil, err
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, "SHOW INDEXES YIELD name, type, owningConstraint WHERE owningConstraint IS NULL RETURN name, type",
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var dropped []string
	for _, rec := range res.Records {
		name, _, _ := neo4j.GetRecordValue[string](rec, "name")
		typ, _, _ := neo4j.GetRecordValue[string](rec, "type")
		g := ""
		switch {
		case typ == "FULLTEXT":
			g = "fulltext"
		case typ == "TEXT":
			g = "text"
		case typ == "POINT":
			g = "point"
		case typ == "RANGE" && strings.HasSuffix(name, "_status"):
			g = "status"
		case typ == "RANGE":
			g = "range"
		}
		if !want[g] {
			continue
		}
		// the name comes from SHOW INDEXES, quoted
		if _, err := neo4j.ExecuteQuery(ctx, driver, "DROP INDEX `"+strings.ReplaceAll(name, "`", "``")+"`", nil, neo4j.EagerResultTransformer); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", name, err)
		}
		dropped = append(dropped, name)
	}
	return dropped, nil
}
