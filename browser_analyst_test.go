package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
)

// browserQueryTimeout is the analyst tests' Neo4j transaction timeout: the
// page's first searches on a fresh Neo4j are planned cold, and on a 2-core
// machine shared with other test runs (load 17) an empty search took past
// the default 15 s and the page (truthfully) said TIMEOUT. What is tested
// here is the page, not Neo4j's speed (bench/ measures that).
const browserQueryTimeout = "60s"

// TestBrowserExplorerAnalyst opens the explorer in a real headless Chromium
// on the seed graph under the default rate limit and checks, from the
// rendered page, what issue 15 asks of it for analysts
// (web/e2e/explore-analyst.mjs): CODI at one and two hops with labels of at
// least 10 px that never overlap (fitted, zoomed in and out), edge labels in
// Thai for the selection and on hover, size and colour by measure with a
// legend (degrees as networkMetrics has them), the time slider, a shared
// URL that reopens the same view, PNG/SVG downloads and the subgraph in
// every export format, a status line that tells the truth (nothing found,
// results, errors with their code), the keyboard through the search
// results and the panel with a visible focus, and WCAG AA contrast. It
// keeps explore-analyst-1hop.png and explore-analyst-2hop.png.
func TestBrowserExplorerAnalyst(t *testing.T) {
	e2e := browserPrerequisites(t)
	ts := MustStartServer(t, map[string]string{"PHAKHI_RATE_LIMIT": "", "PHAKHI_QUERY_TIMEOUT": browserQueryTimeout})
	dir := screenshotDir(t)
	runBrowserScript(t, filepath.Join(e2e, "explore-analyst.mjs"), nil, ts.URL, dir)
	checkNotRateLimited(t, ts)
	checkScreenshot(t, filepath.Join(dir, "explore-analyst-1hop.png"))
	checkScreenshot(t, filepath.Join(dir, "explore-analyst-2hop.png"))
}

// TestBrowserExplorerAtTheCap draws CODI at two hops at the explorer's
// node cap of 1,000 (web/e2e/explore-cap.mjs): an editor imports 992 nodes
// around CODI (32 savings networks CODI supports, of 30 groups each, with
// dated memberships), and the page, opened from a shared URL with the cap
// at 1,000, must draw 1,000 nodes, say the cap cut it, keep its labels at
// least 10 px and apart, fitted and zoomed, lay the networks out apart, and
// export a PNG, under the default rate limit. The seed graph is restored
// afterwards for the tests that follow.
func TestBrowserExplorerAtTheCap(t *testing.T) {
	e2e := browserPrerequisites(t)
	t.Cleanup(func() { testkit.ResetToSeed(t) }) // runs after the server stops
	ts := MustStartServer(t, map[string]string{
		"PHAKHI_API_KEYS":      testkit.KeyringSpec(),
		"PHAKHI_RATE_LIMIT":    "",
		"PHAKHI_QUERY_TIMEOUT": browserQueryTimeout,
	})
	bundle := capBundle(32, 30)
	_, resp := ts.QueryAs(t, testkit.EditorKey, `mutation($b: String!) { importBundle(bundle: $b) { ok nodesCreated problems { line reason } } }`, map[string]any{"b": bundle})
	if ok, _ := testkit.Dig(resp, "data", "importBundle", "ok").(bool); !ok {
		t.Fatalf("importing the bundle: %v", resp)
	}
	if _, resp := ts.QueryAs(t, "", `{ neighborhood(id: "codi", depth: 2, cap: 1000) { nodeCount truncated edges { id evidence { quote } } } }`, nil); testkit.Dig(resp, "data", "neighborhood", "truncated") != true {
		t.Fatalf("the premise: CODI at two hops must pass the cap of 1000: %v", resp)
	}
	dir := screenshotDir(t)
	runBrowserScript(t, filepath.Join(e2e, "explore-cap.mjs"), nil, ts.URL, dir)
	checkNotRateLimited(t, ts)
	checkScreenshot(t, filepath.Join(dir, "explore-analyst-1000.png"))
}

// capBundle is an import bundle of `hubs` savings-group networks that CODI
// supports, each with `per` member groups (memberships dated 2001-2009),
// and some groups supporting a group of the next network: with CODI's own
// two-hop neighbourhood it passes 1,000 nodes.
func capBundle(hubs, per int) string {
	ev := []domain.Evidence{{Source: "gotoknow-85545", Quote: "เครือข่าย"}}
	date := func(iso string, p domain.DatePrecision) *domain.PartialDate {
		return &domain.PartialDate{Date: iso, Precision: p}
	}
	var b domain.Bundle
	for h := 0; h < hubs; h++ {
		hub := fmt.Sprintf("cap-net-%d", h)
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: hub, Label: "Network", Kind: "SAVINGS_GROUPS",
			Name: fmt.Sprintf("เครือข่ายออมทรัพย์ทดสอบ %d", h+1), NameEn: fmt.Sprintf("Test savings network %d", h+1), Evidence: ev})
		b.Relationships = append(b.Relationships, domain.RelRecord{Type: "SUPPORTS", From: "codi", To: hub,
			Start: date(fmt.Sprintf("%d", 2000+h%8), "YEAR"), Evidence: ev})
		for m := 0; m < per; m++ {
			id := fmt.Sprintf("cap-group-%d-%d", h, m)
			b.Nodes = append(b.Nodes, domain.NodeRecord{ID: id, Label: "Agency", Kind: "FOUNDATION",
				Name: fmt.Sprintf("กลุ่มออมทรัพย์ทดสอบ %d-%d", h+1, m+1), Evidence: ev})
			b.Relationships = append(b.Relationships, domain.RelRecord{Type: "MEMBER_OF", From: id, To: hub,
				Start: date(fmt.Sprintf("%d-%02d", 2001+m%9, 1+m%9), "MONTH"), Evidence: ev})
			if m%10 == 0 {
				b.Relationships = append(b.Relationships, domain.RelRecord{Type: "SUPPORTS", From: id,
					To: fmt.Sprintf("cap-group-%d-%d", (h+1)%hubs, m+1), Evidence: ev})
			}
		}
	}
	out, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return string(out)
}
