package localneo4j

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ImportConfig says what to import offline, with Neo4j's own bulk importer
// (`neo4j-admin database import full`), into a data folder no Neo4j runs on.
type ImportConfig struct {
	// DataDir is the Neo4j home folder the server will then start on
	// (Config.DataDir). Its default database must not exist yet.
	DataDir string
	// Nodes and Relationships are CSV files in the importer's format (a
	// header line with id:ID, :LABEL, :START_ID, :END_ID, :TYPE and typed
	// property columns such as name:string or aliases:string[]).
	Nodes, Relationships []string
	// ArrayDelimiter separates the elements of array columns (default ';').
	ArrayDelimiter rune
	// HeapMB caps the importer's JVM heap (default 1024); OffHeapMB its
	// off-heap caches (default 2048), so it stays a good neighbour.
	HeapMB, OffHeapMB int
	// CacheDir, Progress: as in Config.
	CacheDir string
	Progress io.Writer
}

// Import runs Neo4j's offline bulk importer (org.neo4j.cli.AdminTool,
// from the neo4j-import-tool jar that org.neo4j:neo4j already brings in,
// so the same class path as the launcher) into cfg.DataDir: tens of
// thousands of nodes per second, since it writes the store files directly,
// without transactions or index updates. The database it makes has no
// indexes or constraints; create them once the server runs. The
// importer's output goes to DataDir/import.log; a failure names it and
// quotes its last lines.
func Import(ctx context.Context, cfg ImportConfig) (*ImportReport, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("localneo4j import: DataDir is required")
	}
	if len(cfg.Nodes) == 0 {
		return nil, errors.New("localneo4j import: no node files")
	}
	home, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("localneo4j import: data dir: %w", err)
	}
	if _, err := os.Stat(filepath.Join(home, "data", "databases", "neo4j")); err == nil {
		return nil, fmt.Errorf("localneo4j import: %s already holds a database; the offline importer needs a fresh folder", home)
	}
	if cfg.HeapMB <= 0 {
		cfg.HeapMB = 1024
	}
	if cfg.OffHeapMB <= 0 {
		cfg.OffHeapMB = 2048
	}
	if cfg.ArrayDelimiter == 0 {
		cfg.ArrayDelimiter = ';'
	}
	if cfg.Progress == nil {
		cfg.Progress = os.Stderr
	}
	c := Config{DataDir: home, CacheDir: cfg.CacheDir, Progress: cfg.Progress}
	if err := c.withDefaults(); err != nil {
		return nil, err
	}
	cp, _, err := ensureLauncher(ctx, c.CacheDir, c.Progress)
	if err != nil {
		return nil, err
	}
	java, err := javaBinary()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, fmt.Errorf("localneo4j import: create data dir: %w", err)
	}
	args := []string{
		"-Xmx" + strconv.Itoa(cfg.HeapMB) + "m", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8",
		"-cp", cp, "org.neo4j.cli.AdminTool",
		"database", "import", "full", "neo4j",
		"--array-delimiter=" + fmt.Sprintf("U+%04X", cfg.ArrayDelimiter),
		"--multiline-fields=true",
		"--max-off-heap-memory=" + strconv.Itoa(cfg.OffHeapMB) + "m",
		"--report-file=" + filepath.Join(home, "import.report"),
	}
	for _, f := range cfg.Nodes {
		args = append(args, "--nodes="+f)
	}
	for _, f := range cfg.Relationships {
		args = append(args, "--relationships="+f)
	}
	logPath := filepath.Join(home, "import.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("localneo4j import: %w", err)
	}
	defer logFile.Close()
	var tail tailBuffer
	var out bytes.Buffer // the importer's summary, a few KiB
	cmd := exec.CommandContext(ctx, java, args...)
	// NEO4J_HOME: the importer lays the database out as the embedded
	// server expects it (data/databases/neo4j, data/transactions/neo4j).
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home)
	cmd.Stdout = io.MultiWriter(logFile, &tail, &out)
	cmd.Stderr = cmd.Stdout
	began := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("localneo4j import: neo4j-admin database import full failed (%w); see %s:\n%s", err, logPath, tail.String())
	}
	rep := parseImportSummary(out.String())
	rep.Elapsed = time.Since(began)
	fmt.Fprintf(c.Progress, "localneo4j: offline import into %s: %d nodes, %d relationships in %s (importer's peak memory %s)\n",
		home, rep.Nodes, rep.Relationships, rep.Elapsed.Round(100*time.Millisecond), rep.PeakMemory)
	return rep, nil
}

// ImportReport is what the offline importer says it did.
type ImportReport struct {
	Nodes, Relationships, Properties int64
	PeakMemory                       string // as the importer prints it, e.g. "1.004GiB"
	Elapsed                          time.Duration
}

// parseImportSummary reads the importer's closing lines ("Imported:",
// "  N nodes", "  N relationships", "  N properties", "Peak memory usage:
// X"): the tool has no machine-readable report, so a few lines of
// parsing by hand.
func parseImportSummary(s string) *ImportReport {
	rep := &ImportReport{}
	i := strings.LastIndex(s, "Imported:")
	if i < 0 {
		return rep
	}
	for _, line := range strings.Split(s[i:], "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err == nil {
				switch f[1] {
				case "nodes":
					rep.Nodes = n
				case "relationships":
					rep.Relationships = n
				case "properties":
					rep.Properties = n
				}
			}
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Peak memory usage:"); ok {
			rep.PeakMemory = strings.TrimSpace(v)
		}
	}
	return rep
}

// tailBuffer keeps the last 4 KiB written to it, for an error message.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = append([]byte(nil), t.b[len(t.b)-4096:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	return strings.TrimSpace(string(bytes.ToValidUTF8(t.b, nil)))
}
