package store

import (
	"encoding/json"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// jsonSame is how sameProps compared before: the JSON of both, version aside.
func jsonSame(old, neu map[string]any) bool {
	strip := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if k != "version" {
				out[k] = v
			}
		}
		return out
	}
	a, _ := json.Marshal(strip(old))
	b, _ := json.Marshal(strip(neu))
	return string(a) == string(b)
}

func TestSamePropsAgreesWithJSON(t *testing.T) {
	stored := []any{"a", "b", int64(1), int64(2), float64(1), true, false, nil,
		[]any{"x", "y"}, []any{"x"}, []any{"x", int64(1)}, []any{}, neo4j.Point2D{X: 1, Y: 2, SpatialRefId: 7203}, neo4j.Point2D{X: 1, Y: 3, SpatialRefId: 7203}}
	written := []any{"a", "b", int64(1), int64(2), true, false, []string{"x", "y"}, []string{"x"}, []string{}, []string{"y", "x"},
		neo4j.Point2D{X: 1, Y: 2, SpatialRefId: 7203}, neo4j.Point2D{X: 1, Y: 3, SpatialRefId: 7203}}
	for i, s := range stored {
		for j, w := range written {
			for _, c := range []struct{ old, neu map[string]any }{
				{map[string]any{"id": "n", "p": s, "version": int64(3)}, map[string]any{"id": "n", "p": w}},
				{map[string]any{"id": "n", "p": s}, map[string]any{"id": "n", "p": w, "version": int64(1)}},
				{map[string]any{"id": "n", "p": s}, map[string]any{"id": "n", "q": w}},
				{map[string]any{"id": "n", "p": s, "q": "extra"}, map[string]any{"id": "n", "p": w}},
			} {
				if got, want := sameProps(c.old, c.neu), jsonSame(c.old, c.neu); got != want {
					t.Errorf("stored %d (%v) vs written %d (%v): sameProps(%v, %v) = %v, the JSON says %v", i, s, j, w, c.old, c.neu, got, want)
				}
			}
		}
	}
	if !sameProps(map[string]any{"aliases": []any{"พอช.", "CODI"}, "version": int64(2)}, map[string]any{"aliases": []string{"พอช.", "CODI"}}) {
		t.Error("equal aliases, stored and written, compare unequal")
	}
	if sameProps(map[string]any{"aliases": []any{"พอช.", "CODI"}}, map[string]any{"aliases": []string{"CODI", "พอช."}}) {
		t.Error("aliases in another order compare equal")
	}
}

// Ensure evidence notes that are all empty compare equal to none stored
// (what Neo4j's offline importer writes for them), and only those.
func TestSamePropsMissingEmptyNotes(t *testing.T) {
	stored := map[string]any{"id": "n", "evidenceSources": []any{"s"}}
	if !sameProps(stored, map[string]any{"id": "n", "evidenceSources": []string{"s"}, "evidenceNotes": []string{""}}) {
		t.Error("empty notes differ from none stored")
	}
	if sameProps(stored, map[string]any{"id": "n", "evidenceSources": []string{"s"}, "evidenceNotes": []string{"a note"}}) {
		t.Error("a note is the same as none stored")
	}
	if sameProps(map[string]any{"id": "n", "evidenceNotes": []any{"a note"}}, map[string]any{"id": "n", "evidenceNotes": []string{""}}) {
		t.Error("an empty note is the same as a stored one")
	}
}
