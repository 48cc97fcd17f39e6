package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/phakhi/phakhi/internal/testkit"
)

// chromiumPath is Debian's Chromium, which the browser test drives.
const chromiumPath = "/usr/bin/chromium"

// TestBrowserExplorer opens the graph explorer (/explore) in a real
// headless Chromium against the seed graph and checks what it draws: the
// Thai search, CODI's neighborhood on the canvas, expanding, the evidence
// panel, the filters and the highlighted path (web/e2e/explore.mjs).
func TestBrowserExplorer(t *testing.T) {
	e2e := browserPrerequisites(t)

	// The explorer runs under the server's default rate limit (the tests
	// turn it off otherwise): what it sends must stay within it.
	ts := MustStartServer(t, map[string]string{"PHAKHI_RATE_LIMIT": ""})
	shot := filepath.Join(screenshotDir(t), "explore.png")

	// the embedded assets, with their content types
	for path, want := range map[string]string{
		"/explore":                         "text/html; charset=utf-8",
		"/explore/app.js":                  "text/javascript; charset=utf-8",
		"/explore/explorer.css":            "text/css; charset=utf-8",
		"/explore/vendor/cytoscape.min.js": "text/javascript; charset=utf-8",
		"/explore/svg.js":                  "text/javascript; charset=utf-8",
		"/explore/exports.js":              "text/javascript; charset=utf-8",
		"/explore/vendor/cytoscape-svg.js": "", // GPL-3.0: no longer vendored (svg.js writes the SVG)
		"/explore/vendor/fonts/sarabun-thai-400-normal.woff2": "font/woff2",
		"/explore/vendor.sh": "", // not served
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want == "" {
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
			}
			continue
		}
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, got, want)
		}
	}

	runBrowserScript(t, filepath.Join(e2e, "explore.mjs"), nil, ts.URL, shot)
	checkNotRateLimited(t, ts)
	checkScreenshot(t, shot)
}

// TestBrowserExplorerPrivateReads opens the explorer on a server run with
// -private-reads, where every read needs a reader's API key, in a real
// headless Chromium (web/e2e/explore-key.mjs): without a key the page says
// the server needs a reader key and opens the key field; an empty key and
// one with spaces get a clear message and send nothing; a wrong key is
// sent, refused with the same clear message, and not kept; the reader's
// key is kept in sessionStorage (not localStorage) and sent as a bearer
// token on every request, and a Thai search draws what the API says
// (asserted on Cytoscape's elements); the key survives a reload, Forget
// removes it, and a kept key the server does not know gives the message
// on load.
func TestBrowserExplorerPrivateReads(t *testing.T) {
	e2e := browserPrerequisites(t)
	ts := MustStartServer(t, map[string]string{
		"PHAKHI_API_KEYS":      testkit.KeyringSpec(),
		"PHAKHI_PRIVATE_READS": "true",
		"PHAKHI_RATE_LIMIT":    "", // the default limit, as in TestBrowserExplorer
	})
	// the premise: an anonymous read is refused, the page itself is open
	if _, resp := ts.QueryAs(t, "", `{ strategySides { id } }`, nil); testkit.ErrorCode(resp) != "UNAUTHENTICATED" {
		t.Fatalf("an anonymous read on a -private-reads server: %v", resp)
	}
	if resp, err := http.Get(ts.URL + "/explore"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /explore: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	dir := screenshotDir(t)
	shot := filepath.Join(dir, "explore-key.png")
	runBrowserScript(t, filepath.Join(e2e, "explore-key.mjs"), []string{"PHAKHI_E2E_READER_KEY=" + testkit.ReaderKey}, ts.URL, shot)
	checkNotRateLimited(t, ts)
	checkScreenshot(t, shot)
	checkScreenshot(t, filepath.Join(dir, "explore-key-locked.png"))
}

// screenshotDir is where the browser tests keep their screenshots:
// $PHAKHI_SCREENSHOT_DIR when set (CI artefacts), else web/e2e/out/
// (gitignored), so a run leaves them to look at; the test logs the path.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PHAKHI_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join("web", "e2e", "out")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	t.Logf("screenshots in %s", abs)
	return abs
}

// browserPrerequisites fails the test when Chromium, Node.js or npm is
// missing, installs web/e2e's packages (npm ci) when they are not yet, and
// returns that folder.
func browserPrerequisites(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s is missing: install Debian's chromium (apt-get install chromium); .ci/run does this", chromiumPath)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: the browser tests run web/e2e/*.mjs with Node.js (20+)", tool)
		}
	}
	e2e := filepath.Join("web", "e2e")
	if _, err := os.Stat(filepath.Join(e2e, "node_modules", "playwright-core")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = e2e
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", e2e, err, out)
		}
	}
	return e2e
}

// runBrowserScript runs a browser test script with Node.js (env added to
// the environment) and fails the test with its output unless it exits 0
// within 8 minutes. (A renderer crash, "Target crashed", is a failure like
// any other: the one seen here was the test's own doing, a page function
// returning Cytoscape's core, which Playwright serializes to gigabytes at
// 1,000 nodes; see web/e2e/legibility.mjs zoomAt.)
func runBrowserScript(t *testing.T, script string, env []string, args ...string) {
	t.Helper()
	out, err := browserScript(script, env, args...)
	if err != nil {
		t.Fatalf("%s failed (%v):\n%s", script, err, out)
	}
	t.Logf("%s passed:\n%s", script, out)
}

// browserScript runs one browser test script and returns its output.
func browserScript(script string, env []string, args ...string) ([]byte, error) {
	const limit = 8 * time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	// node and the Chromium it starts share a process group: a timeout
	// ends them all
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("did not finish within %s", limit)
	}
	return out.Bytes(), err
}

// checkNotRateLimited fails the test if the server refused any request
// with RATE_LIMITED (the explorer must stay within the default limit).
func checkNotRateLimited(t *testing.T, ts *testServer) {
	t.Helper()
	if m := testkit.Send(t, http.MethodGet, ts.URL+"/metrics", "", nil, nil); m.Status == 200 {
		refused, _ := testkit.MetricValue(m.Body, "phakhi_graphql_errors_total", `code="RATE_LIMITED"`)
		queries, _ := testkit.MetricValue(m.Body, "phakhi_http_requests_total", `route="/query"`)
		t.Logf("%v GraphQL requests, %v refused by the rate limit", queries, refused)
		if refused > 0 {
			t.Fatalf("the explorer was rate limited %v times under the default limit", refused)
		}
	}
}

// checkScreenshot fails the test unless shot is a PNG of at least 800x500
// that is not nearly blank.
func checkScreenshot(t *testing.T, shot string) {
	t.Helper()
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	st, _ := f.Stat()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", shot, err)
	}
	if b := img.Bounds(); st.Size() < 20_000 || b.Dx() < 800 || b.Dy() < 500 {
		t.Fatalf("screenshot %s is too small: %d bytes, %dx%d", shot, st.Size(), b.Dx(), b.Dy())
	}
	if n := distinctColors(img, 8); n < 20 {
		t.Fatalf("screenshot %s is nearly uniform: %d distinct colors", shot, n)
	}
}

// distinctColors counts the colors of a sample of img's pixels (every
// step-th pixel in both directions), up to 1000.
func distinctColors(img image.Image, step int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}
