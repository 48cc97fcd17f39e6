package analyze

import (
	"fmt"
	"testing"
)

func TestDebugSeed(t *testing.T) {
	ix, _ := seedIndex(t)
	a, err := ix.Analyze(Input{Text: seedText(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Sources {
		fmt.Printf("SRC %s %s %v %q\n", s.ID, s.Kind, s.Span, []rune(seedText(t))[s.Start:min(s.Start+30, s.End)])
	}
	for _, m := range a.Mentions {
		fmt.Printf("M %s %q -> %q (%d cands) %s\n", m.Source, m.Text, m.Chosen, len(m.Candidates), m.Reason)
	}
	for _, d := range a.Dates {
		fmt.Printf("D %s %q %s %v\n", d.Source, d.Text, d.Start.Date, d.Inferred)
	}
	for _, p := range a.Proposals {
		fmt.Printf("P %s %s %s %q %v\n", p.Source, p.Label, p.Kind, p.Name, p.Similar)
	}
	fmt.Println(a.Notes)
}
