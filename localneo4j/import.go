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
func Import(ctx context.Context, cfg ImportConfig) error {
	if cfg.DataDir == "" {
		return errors.New("localneo4j import: DataDir is required")
	}
	if len(cfg.Nodes) == 0 {
		return errors.New("localneo4j import: no node files")
	}
	home, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("localneo4j import: data dir: %w", err)
	}
	if _, err := os.Stat(filepath.Join(home, "data", "databases", "neo4j")); err == nil {
		return fmt.Errorf("localneo4j import: %s already holds a database; the offline importer needs a fresh folder", home)
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
		return err
	}
	cp, err := ensureLauncher(ctx, c.CacheDir, c.Progress)
	if err != nil {
		return err
	}
	java, err := javaBinary()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return fmt.Errorf("localneo4j import: create data dir: %w", err)
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
		return fmt.Errorf("localneo4j import: %w", err)
	}
	defer logFile.Close()
	var tail tailBuffer
	cmd := exec.CommandContext(ctx, java, args...)
	// NEO4J_HOME: the importer lays the database out as the embedded
	// server expects it (data/databases/neo4j, data/transactions/neo4j).
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home)
	cmd.Stdout = io.MultiWriter(logFile, &tail)
	cmd.Stderr = cmd.Stdout
	began := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("localneo4j import: neo4j-admin database import full failed (%w); see %s:\n%s", err, logPath, tail.String())
	}
	fmt.Fprintf(c.Progress, "localneo4j: offline import into %s in %s\n", home, time.Since(began).Round(100*time.Millisecond))
	return nil
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
