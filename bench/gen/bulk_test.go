package gen

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/localneo4j/neo4jtest"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// Ensure the offline loader writes what the store writes: every node and
// relationship of the seed and of a small generated graph, with the same
// labels and properties, and Phakhi's schema online afterwards.
func TestBulkImportWritesWhatTheStoreWrites(t *testing.T) {
	ctx := context.Background()
	geo, err := LoadGeography(geoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	g := New(geo, DefaultParams(0.002))
	dir := t.TempDir()
	rep, err := BulkImport(ctx, g, BulkOptions{DataDir: dir, HeapMB: 512, OffHeapMB: 512, Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	in, err := localneo4j.Start(ctx, localneo4j.Config{DataDir: dir, HeapMB: 768, PageCacheMB: 128, TxTimeout: 5 * time.Minute, JVMOptions: neo4jtest.JVMOptions})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = in.Stop(context.Background()) })
	// what the store would write: the seed first, then the generator's
	// records the seed does not have
	sb, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	g.Run(c, true, true)
	wantNodes := map[string]map[string]any{}
	wantLabels := map[string]string{}
	wantRels := map[string]map[string]any{}
	addNode := func(n *domain.NodeRecord) {
		if _, ok := wantNodes[n.ID]; !ok {
			wantNodes[n.ID], wantLabels[n.ID] = NodeProps(n), n.Label
		}
	}
	addRel := func(r *domain.RelRecord) {
		k := r.Type + " " + r.RelID()
		if _, ok := wantRels[k]; !ok {
			p := RelProps(r)
			p["_ends"] = r.From + ">" + r.To
			wantRels[k] = p
		}
	}
	for i := range sb.Nodes {
		addNode(&sb.Nodes[i])
	}
	for i := range sb.Relationships {
		addRel(&sb.Relationships[i])
	}
	for i := range c.b.Nodes {
		addNode(&c.b.Nodes[i])
	}
	for i := range c.b.Relationships {
		addRel(&c.b.Relationships[i])
	}
	if int(rep.Nodes) != len(wantNodes) || int(rep.Rels) != len(wantRels) {
		t.Fatalf("wrote %d nodes and %d relationships, want %d and %d", rep.Nodes, rep.Rels, len(wantNodes), len(wantRels))
	}

	driver, err := neo4j.NewDriverWithContext(in.URI(), neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, "MATCH (n:Node) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != len(wantNodes) {
		t.Fatalf("%d nodes in the graph, want %d", len(res.Records), len(wantNodes))
	}
	for _, rec := range res.Records {
		id, _ := rec.Get("id")
		want, ok := wantNodes[id.(string)]
		if !ok {
			t.Fatalf("node %v was not written by the store", id)
		}
		p, _ := rec.Get("p")
		if d := diffProps(normalize(want), p.(map[string]any)); d != "" {
			t.Fatalf("node %v: %s", id, d)
		}
		labels, _ := rec.Get("labels")
		wantL := map[string]bool{"Node": true}
		for _, l := range splitLabels(store.NodeLabels(wantLabels[id.(string)])) {
			wantL[l] = true
		}
		if got := labels.([]any); len(got) != len(wantL) {
			t.Fatalf("node %v: labels %v, want %v", id, got, wantL)
		}
	}
	res, err = neo4j.ExecuteQuery(ctx, driver, "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id + '>' + b.id AS ends, properties(r) AS p", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != len(wantRels) {
		t.Fatalf("%d relationships in the graph, want %d", len(res.Records), len(wantRels))
	}
	for _, rec := range res.Records {
		typ, _ := rec.Get("t")
		ends, _ := rec.Get("ends")
		p, _ := rec.Get("p")
		props := p.(map[string]any)
		k := fmt.Sprint(typ, " ", props["id"])
		want, ok := wantRels[k]
		if !ok {
			t.Fatalf("relationship %s was not written by the store", k)
		}
		want = normalize(want)
		if want["_ends"] != ends {
			t.Fatalf("relationship %s: ends %v, want %v", k, ends, want["_ends"])
		}
		delete(want, "_ends")
		if d := diffProps(want, props); d != "" {
			t.Fatalf("relationship %s: %s", k, d)
		}
	}
	if err := BulkFinish(ctx, in.URI(), rep, os.Stderr); err != nil {
		t.Fatal(err)
	}
	// the schema is online: the full-text search finds a generated name
	res, err = neo4j.ExecuteQuery(ctx, driver, "SHOW INDEXES YIELD state WHERE state <> 'ONLINE' RETURN count(*) AS c", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := res.Records[0].Get("c"); c != int64(0) {
		t.Fatalf("%v indexes not online", c)
	}
}

func splitLabels(s string) []string {
	var out []string
	for _, l := range splitColon(s) {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func splitColon(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// normalize turns the store's Go values into what the driver reads back.
func normalize(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if ss, ok := v.([]string); ok && k == "evidenceNotes" && len(ss) == 1 && ss[0] == "" {
			continue // the importer cannot write [""]: none is stored (store.sameProps)
		}
		if ss, ok := v.([]string); ok {
			a := make([]any, len(ss))
			for i, s := range ss {
				a[i] = s
			}
			v = a
		}
		out[k] = v
	}
	return out
}

func diffProps(want, got map[string]any) string {
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return fmt.Sprintf("property %s missing (want %#v)", k, w)
		}
		if !reflect.DeepEqual(w, g) {
			return fmt.Sprintf("property %s = %#v, want %#v", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			return fmt.Sprintf("property %s = %#v was not written by the store", k, g)
		}
	}
	return ""
}
