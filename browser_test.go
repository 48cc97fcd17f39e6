package main

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// chromiumPath is Debian's Chromium, which the browser test drives.
const chromiumPath = "/usr/bin/chromium"

// TestBrowserExplorer opens the graph explorer (/explore) in a real
// headless Chromium against the seed graph and checks what it draws: the
// Thai search, CODI's neighborhood on the canvas, expanding, the evidence
// panel, the filters and the highlighted path (web/e2e/explore.mjs).
func TestBrowserExplorer(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s is missing: install Debian's chromium (apt-get install chromium); .ci/run does this", chromiumPath)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: the browser test runs web/e2e/explore.mjs with Node.js (20+)", tool)
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

	// The explorer runs under the server's default rate limit (the tests
	// turn it off otherwise): what it sends must stay within it.
	ts := MustStartServer(t, map[string]string{"PHAKHI_RATE_LIMIT": ""})
	shot := filepath.Join(t.TempDir(), "explore.png")

	// the embedded assets, with their content types
	for path, want := range map[string]string{
		"/explore":                         "text/html; charset=utf-8",
		"/explore/app.js":                  "text/javascript; charset=utf-8",
		"/explore/explorer.css":            "text/css; charset=utf-8",
		"/explore/vendor/cytoscape.min.js": "text/javascript; charset=utf-8",
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

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(e2e, "explore.mjs"), ts.URL, shot)
	// node and the Chromium it starts share a process group: a timeout
	// ends them all
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("the browser test did not finish within 4 minutes:\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("the browser test failed (%v):\n%s", err, out.String())
	}
	t.Logf("browser test passed in %s:\n%s", time.Since(began).Round(time.Millisecond), out.String())
	if m := ts.send(t, http.MethodGet, "/metrics", "", nil, nil); m.Status == 200 {
		refused, _ := metricValue(m.Body, "phakhi_graphql_errors_total", `code="RATE_LIMITED"`)
		queries, _ := metricValue(m.Body, "phakhi_http_requests_total", `route="/query"`)
		t.Logf("%v GraphQL requests, %v refused by the rate limit", queries, refused)
		if refused > 0 {
			t.Fatalf("the explorer was rate limited %v times under the default limit", refused)
		}
	}

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
		t.Fatalf("screenshot is too small: %d bytes, %dx%d", st.Size(), b.Dx(), b.Dy())
	}
	if n := distinctColors(img, 8); n < 20 {
		t.Fatalf("screenshot is nearly uniform: %d distinct colors", n)
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
