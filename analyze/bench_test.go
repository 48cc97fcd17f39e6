package analyze

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/data"
	"github.com/phakhi/phakhi/domain"
)

// bigBundle is the seed graph and enough made-up organisations (a pattern
// word, two dictionary words and a subdistrict's name, with an
// abbreviation-like alias) to hold about names names.
func bigBundle(tb testing.TB, names int) *domain.Bundle {
	b, err := seedBundle(tb)
	if err != nil {
		tb.Fatal(err)
	}
	words := strings.Split(thaiWordList(), "\n")
	g := loadGeography()
	var places []string
	for _, p := range g.byID {
		places = append(places, p.Name)
	}
	slices.Sort(places)
	r := rand.New(rand.NewPCG(1, 2))
	prefixes := []string{"กลุ่ม", "สหกรณ์", "มูลนิธิ", "เครือข่าย", "กองทุน", "สำนักงาน", "สถาบัน", "ชมรม"}
	for i := 0; len(b.Nodes)*2 < names; i++ {
		name := prefixes[r.IntN(len(prefixes))] + words[r.IntN(len(words))] + words[r.IntN(len(words))] + places[r.IntN(len(places))]
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: fmt.Sprintf("bench-%d", i), Label: "Agency", Kind: "OTHER", Name: name,
			Aliases: []string{fmt.Sprintf("กข%dค.", i)}})
	}
	return b
}

func thaiWordList() string { return data.ThaiWords }

// BenchmarkAnalyze20KB prints the p50 and p99 of one analysis of a 20 KB
// Thai text against an index of 100,000 names, and the index's memory.
func BenchmarkAnalyze20KB(b *testing.B) {
	bundle := bigBundle(b, 100_000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	ix := NewIndex(bundle)
	build := time.Since(t0)
	runtime.GC()
	runtime.ReadMemStats(&after)
	nodes, names := ix.Len()
	runtime.KeepAlive(bundle)

	t1 := time.Now()
	ix.Apply(&domain.Bundle{Nodes: []domain.NodeRecord{{ID: "bench-new", Label: "Agency", Kind: "OTHER", Name: "สหกรณ์ทดสอบใหม่"}}}, nil)
	apply := time.Since(t1) // BenchmarkIndexApply has the figures of many
	seedDoc := seedText(b)
	var sb strings.Builder
	for sb.Len() < 20*1024 {
		sb.WriteString(seedDoc)
	}
	text := string([]rune(sb.String())[:len([]rune(sb.String()))*20*1024/sb.Len()])
	loadGeography()
	dictionary()
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t := time.Now()
		if _, err := ix.Analyze(Input{Text: text}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t))
	}
	b.StopTimer()
	for len(times) < 200 { // enough runs for a p99
		t := time.Now()
		ix.Analyze(Input{Text: text})
		times = append(times, time.Since(t))
	}
	slices.Sort(times)
	p50, p99 := times[len(times)/2], times[len(times)*99/100]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("analyze %d bytes (%d characters) against %d nodes, %d names: p50 %v, p99 %v over %d runs; index built in %v, one change applied in %v, index heap %.1f MiB (load %s)\n",
		len(text), len([]rune(text)), nodes, names, p50.Round(time.Millisecond/10), p99.Round(time.Millisecond/10), len(times), build.Round(time.Millisecond), apply.Round(time.Microsecond),
		float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), strings.TrimSpace(string(load)))
}

// BenchmarkIndexApply prints what applying one change costs the index of
// 100,000 names: the p50, p99 and largest of 3,000 changes in a row (new
// nodes, renames, removals; more than the overlay holds, so the base is
// rebuilt on the way), their mean (the rebuilds amortised), and what a
// rebuild of the whole index, which every change cost before, takes.
func BenchmarkIndexApply(b *testing.B) {
	bundle := bigBundle(b, 100_000)
	ix := NewIndex(bundle)
	t0 := time.Now()
	NewIndex(bundle)
	whole := time.Since(t0)
	r := rand.New(rand.NewPCG(5, 6))
	var times []time.Duration
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < 3000 || b.Loop(); i++ {
		var ch domain.Bundle
		var gone []string
		switch i % 3 {
		case 0:
			ch.Nodes = []domain.NodeRecord{{ID: fmt.Sprintf("apply-%d", i), Label: "Agency", Kind: "OTHER", Name: fmt.Sprintf("สหกรณ์ทดสอบที่%d", i), Aliases: []string{"พอช."}}}
		case 1:
			n := bundle.Nodes[r.IntN(len(bundle.Nodes))]
			n.Name += "ใหม่"
			ch.Nodes = []domain.NodeRecord{n}
		case 2:
			gone = []string{fmt.Sprintf("bench-%d", r.IntN(len(bundle.Nodes)/2))}
		}
		t := time.Now()
		ix.Apply(&ch, gone)
		d := time.Since(t)
		times = append(times, d)
		total += d
	}
	b.StopTimer()
	slices.Sort(times)
	p50, p99, top := times[len(times)/2], times[len(times)*99/100], times[len(times)-1]
	mean := total / time.Duration(len(times))
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(mean.Microseconds())/1000, "mean-ms")
	nodes, names := ix.Len()
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("apply one change to %d nodes, %d names: p50 %v, p99 %v, largest %v (a rebuild of the base), mean %v over %d changes; a whole rebuild %v (load %s)\n",
		nodes, names, p50.Round(time.Microsecond), p99.Round(time.Microsecond), top.Round(time.Millisecond), mean.Round(time.Microsecond), len(times), whole.Round(time.Millisecond), strings.TrimSpace(string(load)))
}

// BenchmarkIndexMemory1M prints the memory the name index holds at a
// million nodes (two million names, made up as bigBundle makes them): the
// live heap after the index is built and the bundle it was built from is
// let go (the names' strings are the index's then), how long the build
// took, and what applying one change costs at that size.
func BenchmarkIndexMemory1M(b *testing.B) {
	loadGeography()
	dictionary()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	bundle := bigBundle(b, 2_000_000)
	t0 := time.Now()
	ix := NewIndex(bundle)
	build := time.Since(t0)
	bundle = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	nodes, names := ix.Len()
	heap := float64(int64(after.HeapAlloc) - int64(before.HeapAlloc))
	var times []time.Duration
	for i := 0; i < 200 || b.Loop(); i++ {
		ch := &domain.Bundle{Nodes: []domain.NodeRecord{{ID: fmt.Sprintf("mem-%d", i), Label: "Agency", Kind: "OTHER", Name: fmt.Sprintf("สหกรณ์ทดสอบที่%d", i)}}}
		t := time.Now()
		ix.Apply(ch, nil)
		times = append(times, time.Since(t))
	}
	slices.Sort(times)
	runtime.KeepAlive(ix)
	b.ReportMetric(heap/(1<<20), "heap-MiB")
	b.ReportMetric(heap/float64(nodes), "B/node")
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("name index of %d nodes, %d names: heap %.0f MiB (%.0f bytes a node, %.0f a name), built in %v; one change applied: p50 %v, p99 %v (load %s)\n",
		nodes, names, heap/(1<<20), heap/float64(nodes), heap/float64(names), build.Round(time.Millisecond),
		times[len(times)/2].Round(time.Microsecond), times[len(times)*99/100].Round(time.Microsecond), strings.TrimSpace(string(load)))
}
