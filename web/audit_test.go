package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/internal/gqlhttp"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// no error, warning or notice.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "tools", "httpaudit"))
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the GraphQL-over-HTTP audit: %v", tool, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{})
	cmd := exec.CommandContext(ctx, "node", "audit.mjs", ts.URL+"/query")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node audit.mjs: %v\n%s", err, stderr.String())
	}
	counts := map[string]int{}
	var failures []string // anything not ok: the README says all pass with no warnings
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var a struct {
			ID, Name, Status, Reason, Body string
			HTTPStatus                     int
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("audit output %q: %v", line, err)
		}
		counts[a.Status]++
		if a.Status != "ok" {
			failures = append(failures, fmt.Sprintf("%s %s %s: %s (HTTP %d) %s", a.Status, a.ID, a.Name, a.Reason, a.HTTPStatus, a.Body))
		}
	}
	t.Logf("graphql-http audits: %s", gqlhttp.Tally(counts))
	// graphql-http 1.23.1 (pinned in the lock file) has 61 server audits
	if total := len(strings.Split(strings.TrimSpace(string(out)), "\n")); counts["ok"] != total || total != 61 {
		t.Errorf("%d of %d audits ok, want all 61: %v", counts["ok"], total, counts)
	}
	for _, f := range failures {
		t.Error(f)
	}
}
