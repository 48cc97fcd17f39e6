package gen

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/localneo4j"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

// The offline loader: for a fresh benchmark database, the generated graph
// and the seed graph are written as CSV files in the format of Neo4j's
// bulk importer (`neo4j-admin database import full`, localneo4j.Import),
// which writes the store files directly, before the server starts; once
// it runs, BulkFinish creates Phakhi's schema (the indexes fill from the
// data in one pass) and checks the seed through the store.

// bulkArrayDelimiter separates the elements of array columns: the ASCII
// unit separator, which no name, quote or locator holds (checked).
const bulkArrayDelimiter = '\x1f'

// BulkOptions say where the offline import goes.
type BulkOptions struct {
	// DataDir is the fresh Neo4j home folder (localneo4j.Config.DataDir).
	DataDir string
	// CSVDir holds the CSV files (default DataDir/import-csv; removed
	// after a successful import unless KeepCSV).
	CSVDir  string
	KeepCSV bool
	// HeapMB, OffHeapMB cap the importer's memory (localneo4j defaults).
	HeapMB, OffHeapMB int
	Progress          io.Writer
}

// BulkReport is what an offline import did.
type BulkReport struct {
	Counts               Counts // what the generator made
	Nodes, Rels          int64  // rows written (the seed's included, shared duplicates left out)
	CSVBytes             int64
	CSVTime, ImportTime  time.Duration
	SchemaTime, SeedTime time.Duration // BulkFinish: indexes created and filled; the seed checked
	SeedNodes, SeedRels  int
	ImporterPeak         string // the importer's peak memory, as it prints it
	NodeFiles, RelFiles  []string
}

// BulkImport writes the seed graph and the generated graph as the bulk
// importer's CSV files and imports them into o.DataDir, which must hold no
// database yet (no Neo4j may run on it). Seed records win over the
// generator's shared ones (districts and subdistricts the seed has),
// as gen.Load's MERGE … ON CREATE does.
func BulkImport(ctx context.Context, g *Generator, o BulkOptions) (*BulkReport, error) {
	if o.DataDir == "" {
		return nil, errors.New("bulk import: DataDir is required")
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.CSVDir == "" {
		o.CSVDir = filepath.Join(o.DataDir, "import-csv")
	}
	sb, err := seed.Bundle()
	if err != nil {
		return nil, err
	}
	rep := &BulkReport{}
	t0 := time.Now()
	w, err := writeBulkCSV(o.CSVDir, g, sb, rep)
	if err != nil {
		return nil, err
	}
	rep.CSVTime = time.Since(t0)
	fmt.Fprintf(o.Progress, "phakhi-gen: CSV for the bulk importer: %d nodes, %d relationships, %.1f MiB in %s\n",
		rep.Nodes, rep.Rels, float64(rep.CSVBytes)/(1<<20), rep.CSVTime.Round(time.Millisecond))
	rep.NodeFiles, rep.RelFiles = w.nodeFiles, w.relFiles
	t1 := time.Now()
	ir, err := localneo4j.Import(ctx, localneo4j.ImportConfig{
		DataDir: o.DataDir, Nodes: w.nodeFiles, Relationships: w.relFiles, ArrayDelimiter: bulkArrayDelimiter,
		HeapMB: o.HeapMB, OffHeapMB: o.OffHeapMB, Progress: o.Progress,
	})
	if err != nil {
		return nil, err
	}
	if ir.Nodes != rep.Nodes || ir.Relationships != rep.Rels {
		return nil, fmt.Errorf("bulk import: wrote %d nodes and %d relationships, the importer says it imported %d and %d", rep.Nodes, rep.Rels, ir.Nodes, ir.Relationships)
	}
	rep.ImporterPeak = ir.PeakMemory
	rep.ImportTime = time.Since(t1)
	if !o.KeepCSV {
		_ = os.RemoveAll(o.CSVDir)
	}
	return rep, nil
}

// BulkFinish runs once Neo4j has started on the imported folder: it
// creates Phakhi's schema (store.EnsureSchema: constraints and indexes,
// filled from the imported data), waits until every index is online, and
// loads the seed bundle through the store, which finds it as imported
// (unchanged; a difference would be written and show in the counts).
func BulkFinish(ctx context.Context, uri string, rep *BulkReport, progress io.Writer) error {
	if progress == nil {
		progress = io.Discard
	}
	st, err := store.Open(ctx, store.Config{URI: uri, QueryTimeout: 30 * time.Minute})
	if err != nil {
		return err
	}
	defer st.Close(context.WithoutCancel(ctx))
	t := time.Now()
	if err := st.EnsureSchema(ctx); err != nil {
		return err
	}
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(context.WithoutCancel(ctx))
	if _, err := neo4j.ExecuteQuery(ctx, driver, "CALL db.awaitIndexes(3600)", nil, neo4j.EagerResultTransformer); err != nil {
		return fmt.Errorf("await indexes: %w", err)
	}
	rep.SchemaTime = time.Since(t)
	fmt.Fprintf(progress, "phakhi-gen: schema created and indexes online in %s\n", rep.SchemaTime.Round(time.Millisecond))
	t = time.Now()
	b, err := seed.Bundle()
	if err != nil {
		return err
	}
	res, err := st.Import(ctx, "seed", b, domain.Lines{}, false)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if !res.OK() {
		return fmt.Errorf("seed: %s", res.Problems[0].Reason)
	}
	rep.SeedTime = time.Since(t)
	rep.SeedNodes, rep.SeedRels = res.NodesCreated+res.NodesUpdated+res.NodesUnchanged, res.RelationshipsCreated+res.RelationshipsUpdated+res.RelsSame
	if res.NodesCreated+res.NodesUpdated+res.RelationshipsCreated+res.RelationshipsUpdated > 0 {
		return fmt.Errorf("seed: the imported seed differs from the store's: %d nodes and %d relationships created, %d and %d updated",
			res.NodesCreated, res.RelationshipsCreated, res.NodesUpdated, res.RelationshipsUpdated)
	}
	fmt.Fprintf(progress, "phakhi-gen: seed graph checked through the store (unchanged) in %s\n", rep.SeedTime.Round(time.Millisecond))
	return nil
}

// ------------------------------------------------------------ the CSV files

// column is one typed property column of a file.
type column struct {
	name, typ string // typ: the importer's type (string, string[], long, boolean, double, point)
}

// bulkFile is one CSV file: the nodes of one label or the relationships
// of one type, with every property the store can write as a column.
type bulkFile struct {
	path    string
	labels  string // nodes: "Node;Agency;Actor" (array-delimited)
	cols    map[string]bool
	order   []column
	f       *os.File
	bw      *bufio.Writer
	w       *csv.Writer
	written int64
}

// bulkWriter is the Sink that writes the generator's records (and the
// seed's) into one file per label and per relationship type.
type bulkWriter struct {
	dir               string
	nodeCols, relCols []column
	nodes, rels       map[string]*bulkFile
	// seen holds the seed's and the shared records' node ids and
	// "TYPE\x00relid"s, which shared records are checked against: only
	// those, so memory stays bounded by the geography, not the graph (a
	// generated record that repeats an id fails the import, as gen.Load's
	// CREATE fails the constraint)
	seen                map[string]bool
	seeding             bool
	err                 error
	nodeFiles, relFiles []string
	row                 []string
}

func writeBulkCSV(dir string, g *Generator, sb *domain.Bundle, rep *BulkReport) (*bulkWriter, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	nodeCols, relCols, err := bulkColumns()
	if err != nil {
		return nil, err
	}
	w := &bulkWriter{dir: dir, nodes: map[string]*bulkFile{}, rels: map[string]*bulkFile{},
		nodeCols: nodeCols, relCols: relCols, seen: map[string]bool{}}
	w.seeding = true
	for i := range sb.Nodes {
		w.Node(&sb.Nodes[i], false)
	}
	for i := range sb.Relationships {
		w.Rel(&sb.Relationships[i], false)
	}
	w.seeding = false
	rep.Counts = g.Run(w, true, true)
	for _, f := range w.all() {
		f.w.Flush()
		if err := f.w.Error(); err != nil && w.err == nil {
			w.err = err
		}
		if err := f.bw.Flush(); err != nil && w.err == nil {
			w.err = err
		}
		if st, err := f.f.Stat(); err == nil {
			rep.CSVBytes += st.Size()
		}
		if err := f.f.Close(); err != nil && w.err == nil {
			w.err = err
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	for _, f := range w.nodes {
		rep.Nodes += f.written
	}
	for _, f := range w.rels {
		rep.Rels += f.written
	}
	return w, nil
}

func (w *bulkWriter) all() []*bulkFile {
	var out []*bulkFile
	for _, m := range []map[string]*bulkFile{w.nodes, w.rels} {
		for _, k := range sortedKeys(keysOf(m)) {
			out = append(out, m[k])
		}
	}
	return out
}

func keysOf[V any](m map[string]V) map[string]int {
	out := make(map[string]int, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}

// file opens the CSV file of a label or type on first use and writes its
// header: id:ID and :LABEL for nodes, :START_ID, :END_ID and :TYPE for
// relationships, then the property columns.
func (w *bulkWriter) file(m map[string]*bulkFile, name string, node bool) *bulkFile {
	if f := m[name]; f != nil {
		return f
	}
	f := &bulkFile{cols: map[string]bool{}}
	m[name] = f
	prefix, head, cols, files := "rels-", []string{":START_ID", ":END_ID", ":TYPE"}, w.relCols, &w.relFiles
	if node {
		prefix, head, cols, files = "nodes-", []string{"id:ID", ":LABEL"}, w.nodeCols, &w.nodeFiles
		labels := strings.Split(strings.TrimPrefix("Node"+store.NodeLabels(name), ":"), ":")
		f.labels = strings.Join(labels, string(bulkArrayDelimiter))
	}
	for _, c := range cols {
		f.cols[c.name] = true
		if !(node && c.name == "id") { // the id:ID column is the id property
			f.order = append(f.order, c)
		}
	}
	f.path = filepath.Join(w.dir, prefix+name+".csv")
	fh, err := os.Create(f.path)
	if err != nil {
		w.err = err
		return f
	}
	f.f, f.bw = fh, bufio.NewWriterSize(fh, 1<<20)
	f.w = csv.NewWriter(f.bw)
	for _, c := range f.order {
		head = append(head, c.name+":"+c.typ)
	}
	if err := f.w.Write(head); err != nil {
		w.err = err
	}
	*files = append(*files, f.path)
	return f
}

// bulkColumns are the property columns of the node and relationship
// files: every property the store writes (store.NodeProperties,
// store.RelProperties) for records with every field set, so one pass
// over the generator writes the files (a property outside them is an
// error naming it).
func bulkColumns() (nodes, rels []column, err error) {
	ev := []domain.Evidence{{Source: "s", Quote: "q", Locator: "l", Note: "n"}}
	short := &domain.PartialDate{Date: "2000-01-01", Precision: domain.DatePrecisionDay, Text: "t", Inferred: true, Note: "n"}
	long := &domain.PartialDate{Date: "2030-12-31", Precision: domain.DatePrecisionDay, Text: "t", Inferred: true, Note: "n"}
	var protos []map[string]any
	for _, end := range []*domain.PartialDate{short, long} {
		protos = append(protos, NodeProps(&domain.NodeRecord{ID: "x", Label: domain.LabelEvent, Kind: "k", Name: "n", NameEn: "n", Aliases: []string{"a"},
			Description: "d", DescriptionEn: "d", Code: "c", PostalCode: "p", Address: "a", URL: "u", Order: 1, StartsAt: "09:00", EndsAt: "10:00",
			Start: short, End: end, Evidence: ev, Status: domain.StatusInferred, Basis: "b", MergedFrom: []string{"m"}}))
	}
	if nodes, err = columnsOf(protos...); err != nil {
		return nil, nil, err
	}
	rels, err = columnsOf(RelProps(&domain.RelRecord{ID: "x", Type: domain.RelSupports, From: "a", To: "b", Role: "r", RoleTh: "r", Description: "d",
		Start: short, End: long, Evidence: ev, Status: domain.StatusInferred, Basis: "b", Event: "e"}))
	return nodes, rels, err
}

func columnsOf(protos ...map[string]any) ([]column, error) {
	types := map[string]string{}
	for _, p := range protos {
		for k, v := range p {
			t, err := bulkType(v)
			if err != nil {
				return nil, fmt.Errorf("bulk import: property %s: %w", k, err)
			}
			types[k] = t
		}
	}
	var out []column
	for _, k := range sortedKeys(keysOf(types)) {
		out = append(out, column{k, types[k]})
	}
	return out, nil
}

func (w *bulkWriter) Node(n *domain.NodeRecord, shared bool) {
	if w.err != nil || (shared && w.seen[n.ID]) {
		return // a shared node the seed (or an earlier emit) has: kept as it is
	}
	if shared || w.seeding {
		w.seen[n.ID] = true
	}
	f := w.file(w.nodes, n.Label, true)
	w.record(f, "node "+n.ID, NodeProps(n), []string{n.ID, f.labels})
}

func (w *bulkWriter) Rel(r *domain.RelRecord, shared bool) {
	if w.err != nil {
		return
	}
	if shared || w.seeding {
		key := r.Type + "\x00" + r.RelID()
		if shared && w.seen[key] {
			return
		}
		w.seen[key] = true
	}
	w.record(w.file(w.rels, r.Type, false), "relationship "+r.RelID(), RelProps(r), []string{r.From, r.To, r.Type})
}

// record writes a row.
func (w *bulkWriter) record(f *bulkFile, what string, props map[string]any, lead []string) {
	if w.err != nil {
		return
	}
	for k := range props {
		if !f.cols[k] {
			w.err = fmt.Errorf("bulk import: %s, property %s: no column for it (bulkColumns)", what, k)
			return
		}
	}
	row := append(w.row[:0], lead...)
	for _, c := range f.order {
		v, ok := props[c.name]
		if !ok {
			row = append(row, "") // empty, unquoted: no property
			continue
		}
		s, err := bulkValue(v)
		if err != nil {
			w.err = fmt.Errorf("bulk import: %s, property %s: %w", what, c.name, err)
			return
		}
		row = append(row, s)
	}
	w.row = row
	if err := f.w.Write(row); err != nil {
		w.err = err
		return
	}
	f.written++
}

// bulkType is the importer's column type of a property value the store
// writes.
func bulkType(v any) (string, error) {
	switch v.(type) {
	case string:
		return "string", nil
	case []string:
		return "string[]", nil
	case int64:
		return "long", nil
	case bool:
		return "boolean", nil
	case float64:
		return "double", nil
	case neo4j.Point2D:
		return "point", nil
	}
	return "", fmt.Errorf("a %T, which the bulk loader has no column type for", v)
}

// bulkValue is a property value as the importer reads it.
func bulkValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []string:
		for _, e := range x {
			if strings.ContainsRune(e, bulkArrayDelimiter) {
				return "", fmt.Errorf("%q holds the array delimiter U+%04X", e, bulkArrayDelimiter)
			}
		}
		return strings.Join(x, string(bulkArrayDelimiter)), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case neo4j.Point2D:
		if x.SpatialRefId != 7203 {
			return "", fmt.Errorf("a point with SRID %d (only cartesian, 7203, is written)", x.SpatialRefId)
		}
		return "{x:" + strconv.FormatFloat(x.X, 'f', -1, 64) + ", y:" + strconv.FormatFloat(x.Y, 'f', -1, 64) + ", crs:'cartesian'}", nil
	}
	return "", fmt.Errorf("a %T, which the bulk loader cannot write", v)
}
