package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
)

// TestBrowserAnalyze opens the document analysis page
// (/explore/analyze.html) in a real headless Chromium against the seed
// graph (web/e2e/analyze.mjs): a Thai text naming พอช., ธ.ก.ส. and bodies
// the graph does not know is analysed; its mentions are highlighted as
// analyzeDocument found them, by label, with a legend; one is rejected,
// one re-pointed through the search, a proposal dropped; a reader's key
// gets FORBIDDEN in the status line; an editor's dry run lists what would
// be written, the import writes exactly the accepted nodes and MENTIONS
// with their quotes (read back over GraphQL), and a second import
// changes nothing. The browser helpers are browser_test.go's.
func TestBrowserAnalyze(t *testing.T) {
	e2e := browserPrerequisites(t)
	ts := MustStartServer(t, map[string]string{
		"PHAKHI_API_KEYS":   testkit.KeyringSpec(),
		"PHAKHI_RATE_LIMIT": "", // the default limit, as in TestBrowserExplorer
	})

	// the page and its assets, and the explorer's one link to it
	for path, want := range map[string]string{
		"/explore/analyze.html": "text/html; charset=utf-8",
		"/explore/analyze.js":   "text/javascript; charset=utf-8",
		"/explore/analyze.css":  "text/css; charset=utf-8",
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, got, want)
		}
		if path == "/explore/analyze.html" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("GET %s has no script-src 'self' policy: %q", path, resp.Header.Get("Content-Security-Policy"))
		}
	}
	resp, err := http.Get(ts.URL + "/explore")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := strings.Count(string(page), `href="/explore/analyze.html"`); n != 1 {
		t.Errorf("the explorer links to the analysis page %d times, want once", n)
	}

	shot := filepath.Join(screenshotDir(t), "analyze.png")
	runBrowserScript(t, filepath.Join(e2e, "analyze.mjs"),
		[]string{"PHAKHI_E2E_READER_KEY=" + testkit.ReaderKey, "PHAKHI_E2E_EDITOR_KEY=" + testkit.EditorKey}, ts.URL, shot)
	checkNotRateLimited(t, ts)
	checkScreenshot(t, shot)
}
