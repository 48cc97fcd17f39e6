package main

import (
	"fmt"
	"strings"
)

func (r *sizeResult) stat(op, system string) *stats {
	for i := range r.Stats {
		if r.Stats[i].Op == op && r.Stats[i].System == system {
			return &r.Stats[i]
		}
	}
	return nil
}

func (r *sizeResult) opNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range r.Stats {
		if !seen[s.Op] {
			seen[s.Op] = true
			out = append(out, s.Op)
		}
	}
	return out
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func cell(s *stats) (rps, p50, p99 string) {
	if s == nil || s.Skipped {
		return "—", "—", "—"
	}
	if s.Count == 0 {
		return "error", "—", "—"
	}
	e := ""
	if s.Errors > 0 {
		e = fmt.Sprintf(" (%d errors)", s.Errors)
	}
	return fmt.Sprintf("%.1f%s", s.RPS, e), fmt.Sprintf("%.1f", s.P50), fmt.Sprintf("%.1f", s.P99)
}

type verdict struct {
	met  bool
	text string
}

func (v verdict) String() string {
	if v.text == "" {
		return "—"
	}
	if v.met {
		return "MET " + v.text
	}
	return "MISSED " + v.text
}

// targets evaluates the four targets for one operation at one size.
func (r *sizeResult) targets(op string) (twoX, floor, trips, p99 verdict) {
	a, b, c := r.stat(op, "phakhi"), r.stat(op, "cypher"), r.stat(op, "neo4j-graphql")
	if a == nil || a.Count == 0 {
		return
	}
	if c != nil && !c.Skipped && c.Count > 0 {
		ratio := a.RPS / c.RPS
		twoX = verdict{ratio >= 2, fmt.Sprintf("(%.2f×)", ratio)}
	}
	if b != nil && b.Count > 0 && b.P99 > 0 {
		ratio := a.P99 / b.P99
		floor = verdict{ratio <= 1.25, fmt.Sprintf("(%.2f×)", ratio)}
	}
	if a.TripsMax > 0 {
		t := fmt.Sprintf("(%d)", a.TripsMax)
		if a.TripsMin != a.TripsMax {
			t = fmt.Sprintf("(%d–%d)", a.TripsMin, a.TripsMax)
		}
		trips = verdict{a.TripsMax == 1, t}
	}
	if r.Scale >= 1 {
		p99 = verdict{a.P99 < 100, fmt.Sprintf("(%.0f ms)", a.P99)}
	}
	return
}

func markdown(c *config, rs []*sizeResult) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "### %s: %d nodes, %d relationships (%.2f GiB on disk)\n\n", sizeTitle(r), r.Nodes, r.Rels, float64(r.StoreBytes)/(1<<30))
		if r.Load.ImportSecs > 0 {
			fmt.Fprintf(&b, "Loaded by Neo4j's offline importer (gen.BulkImport): %d nodes and %d relationships in %.0f s (%.0f nodes/s), Phakhi's schema and indexes online in %.0f s more, %.0f s in all.\n\n",
				r.Load.Nodes, r.Load.Rels, r.Load.ImportSecs, float64(r.Load.Nodes)/r.Load.ImportSecs, r.Load.IndexSecs, r.Load.TotalSecs)
		}
		if r.Load.NodeSecs > 0 {
			fmt.Fprintf(&b, "Loaded by phakhi-gen: %d nodes in %.0f s (%.0f nodes/s), %d relationships in %.0f s (%.0f relationships/s), %.0f s in all.\n\n",
				r.Load.Nodes, r.Load.NodeSecs, float64(r.Load.Nodes)/r.Load.NodeSecs, r.Load.Rels, r.Load.RelSecs, float64(r.Load.Rels)/r.Load.RelSecs, r.Load.TotalSecs)
		}
		fmt.Fprintf(&b, "Concurrency %d, %.0f s per run after warm-up; latencies in ms; load average at start: %s.\n\n", r.Concurrency, r.Duration, r.LoadAvg)
		b.WriteString("| operation | Phakhi ops/s | p50 | p99 | round trips | Cypher floor ops/s | p50 | p99 | @neo4j/graphql ops/s | p50 | p99 |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, op := range r.opNames() {
			a, bb, cc := r.stat(op, "phakhi"), r.stat(op, "cypher"), r.stat(op, "neo4j-graphql")
			ar, a50, a99 := cell(a)
			br, b50, b99 := cell(bb)
			cr, c50, c99 := cell(cc)
			trips := "—"
			if a != nil && a.TripsMax > 0 {
				trips = fmt.Sprint(a.TripsMax)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", op, ar, a50, a99, trips, br, b50, b99, cr, c50, c99)
		}
		b.WriteString("\nTargets:\n\n| operation | Phakhi ≥ 2× @neo4j/graphql throughput | Phakhi p99 ≤ 1.25× floor p99 | one round trip per root field | p99 < 100 ms at 1M nodes |\n|---|---|---|---|---|\n")
		for _, op := range r.opNames() {
			t1, t2, t3, t4 := r.targets(op)
			if t1.text == "" {
				if s := r.stat(op, "neo4j-graphql"); s != nil && s.Skipped {
					t1.text = "n/a (cannot express)"
					t1.met = true
				}
			}
			if t4.text == "" {
				t4 = verdict{true, ""}
				t4.text = "n/a (not 1M)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", op, naText(t1), t2, t3, naText(t4))
		}
		fmt.Fprintf(&b, "\nMemory: Phakhi RSS peak %s (VmHWM %s)", mib(r.PhakhiRSS), mib(r.PhakhiHWM))
		if r.NodeRSS > 0 {
			fmt.Fprintf(&b, ", @neo4j/graphql server RSS peak %s", mib(r.NodeRSS))
		}
		if r.Neo4jRSS > 0 {
			fmt.Fprintf(&b, ", Neo4j JVM RSS %s", mib(r.Neo4jRSS))
		}
		b.WriteString(".\n\n")
		var notes []string
		for _, op := range r.opNames() {
			if s := r.stat(op, "neo4j-graphql"); s != nil && s.Note != "" {
				notes = append(notes, fmt.Sprintf("- %s, @neo4j/graphql: %s", op, s.Note))
			}
		}
		if len(notes) > 0 {
			b.WriteString("Notes:\n\n" + strings.Join(notes, "\n") + "\n\n")
		}
		if len(r.Checks) > 0 {
			b.WriteString("<details><summary>Answers compared (first parameters of each operation)</summary>\n\n")
			for _, ch := range r.Checks {
				b.WriteString("- " + ch + "\n")
			}
			b.WriteString("\n</details>\n\n")
		}
	}
	return b.String()
}

func naText(v verdict) string {
	if strings.HasPrefix(v.text, "n/a") {
		return v.text
	}
	return v.String()
}

func sizeTitle(r *sizeResult) string {
	if r.Scale == 0 {
		return "Size seed (the seed graph only)"
	}
	return fmt.Sprintf("Size %s (phakhi-gen -scale %g + the seed)", r.Size, r.Scale)
}

func summaryTargets(rs []*sizeResult) string {
	var b strings.Builder
	b.WriteString("Targets over all sizes:\n")
	for _, r := range rs {
		for _, op := range r.opNames() {
			t1, t2, t3, t4 := r.targets(op)
			for _, t := range []struct {
				name string
				v    verdict
			}{{"≥2× @neo4j/graphql", t1}, {"p99 ≤ 1.25× floor", t2}, {"1 round trip", t3}, {"p99 < 100 ms", t4}} {
				if t.v.text != "" && !t.v.met {
					fmt.Fprintf(&b, "  MISSED %-6s %-13s %-20s %s\n", r.Size, op, t.name, t.v.text)
				}
			}
		}
	}
	return b.String()
}
