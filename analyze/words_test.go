package analyze_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/analyze"
)

// TestWordStartsNear segments windows of a long text (the seed's YAML,
// Thai and Latin, spaces and none) and finds the whole text's word
// starts in each.
func TestWordStartsNear(t *testing.T) {
	raw, err := os.ReadFile("../seed/graph.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	if len(text) > 60000 {
		text = text[:strings.LastIndexByte(text[:60000], '\n')]
	}
	runes := []rune(text)
	whole := analyze.WordStarts(text)
	tried := 0
	for from := 0; from < len(runes); from += 331 {
		for _, width := range []int{0, 1, 130, 400} {
			lo, starts := analyze.WordStartsNear(runes, from, from+width)
			hi := lo + len(starts) - 1
			if lo > from || hi < min(len(runes), from+width) {
				t.Fatalf("window [%d, %d) around [%d, %d) does not hold it", lo, hi, from, from+width)
			}
			if !slices.Equal(starts, whole[lo:hi+1]) {
				t.Fatalf("window [%d, %d): its word starts differ from the whole text's", lo, hi)
			}
			tried++
		}
	}
	if tried < 100 {
		t.Fatalf("only %d windows tried", tried)
	}
	t.Run("Ensure a window past either end is clamped", func(t *testing.T) {
		r := []rune("ขอมีส่วนร่วม ขับเคลื่อน")
		lo, starts := analyze.WordStartsNear(r, -5, 100)
		if lo != 0 || !slices.Equal(starts, analyze.WordStarts(string(r))) {
			t.Fatalf("lo %d, starts %v", lo, starts)
		}
	})
	t.Run("Ensure a window before a text's trailing spaces agrees with the whole", func(t *testing.T) {
		s := "  ภาคีปฏิบัติการ CODI.  ขับเคลื่อน \n "
		r := []rune(s)
		whole := analyze.WordStarts(s)
		for from := range len(r) {
			for to := from; to <= len(r); to++ {
				lo, starts := analyze.WordStartsNear(r, from, to)
				if !slices.Equal(starts, whole[lo:lo+len(starts)]) {
					t.Fatalf("[%d, %d) from %d: %v, the whole's %v", from, to, lo, starts, whole[lo:lo+len(starts)])
				}
			}
		}
	})
}
