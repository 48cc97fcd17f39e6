package graph

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/phakhi/phakhi/analyze"
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
)

func TestNameIndex(t *testing.T) {
	testkit.EnsureSeed(t)
	ctx := context.Background()
	st := testkit.OpenStore(t)
	t.Cleanup(func() { forgetNameIndex(st) })

	t.Run("Ensure the index built at start holds the graph before any analysis asks, replaces one built earlier, and analyses read it", func(t *testing.T) {
		early, err := (&Resolver{Store: st}).Analyzer(ctx) // as an analysis while the seed loads
		if err != nil {
			t.Fatal(err)
		}
		if err := BuildNameIndex(ctx, st, nil); err != nil {
			t.Fatal(err)
		}
		v, ok := nameIndexes.Load(st)
		if !ok || v.(*nameIndex).ix == nil {
			t.Fatal("BuildNameIndex left no index")
		}
		built := v.(*nameIndex).ix
		if built == early {
			t.Fatal("BuildNameIndex kept the index built before it")
		}
		if nodes, names := built.Len(); nodes < 100 || names < nodes || built.Node("codi") == nil {
			t.Fatalf("the index holds %d nodes, %d names, codi %v", nodes, names, built.Node("codi"))
		}
		ix, err := (&Resolver{Store: st}).Analyzer(ctx)
		if err != nil || ix != built {
			t.Fatalf("the resolver's index is %p (%v), not the one built at start %p", ix, err, built)
		}
	})

	t.Run("Ensure a burst of writes, one change each, all reach the index", func(t *testing.T) {
		ix, err := (&Resolver{Store: st}).Analyzer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { testkit.ResetToSeed(t) })
		var ids []string
		for i := range 100 { // more than the feed's channel holds (64), though they reach it over several polls
			id := fmt.Sprintf("index-burst-%d", i)
			ids = append(ids, id)
			err := st.CreateNode(ctx, "test", domain.NodeRecord{ID: id, Label: "Agency", Kind: "OTHER", Name: fmt.Sprintf("กลุ่มออมทรัพย์ทดสอบที่ %d", i),
				Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "กลุ่ม"}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		missing := func() []string {
			return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return ix.Node(id) != nil })
		}
		for deadline := time.Now().Add(30 * time.Second); len(missing()) > 0; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d of the %d new nodes never reached the index: %v", len(missing()), len(ids), missing())
			}
		}
		a, err := ix.Analyze(analyze.Input{Text: "วันนี้กลุ่มออมทรัพย์ทดสอบที่ 42 ประชุม"})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Mentions) == 0 || a.Mentions[0].Chosen != "index-burst-42" {
			t.Fatalf("the analysis after the burst: %+v", a.Mentions)
		}
	})
}

func TestPendingIDs(t *testing.T) {
	t.Run("Ensure changes pile up as one set of node ids, a relationship's by its two ends, and taking empties it", func(t *testing.T) {
		p := newPendingIDs()
		p.add([]string{"codi", "baac>FUNDS>codi"})
		p.add([]string{"walailak-university"})
		select {
		case <-p.ready:
		default:
			t.Fatal("no token after adds")
		}
		got := p.take()
		slices.Sort(got)
		if want := []string{"baac", "codi", "walailak-university"}; !slices.Equal(got, want) {
			t.Fatalf("took %v, want %v", got, want)
		}
		if again := p.take(); len(again) != 0 {
			t.Fatalf("a second take %v", again)
		}
	})
}
