package analyze

import (
	"os"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

// seedIndex is an index of the seed graph's nodes with none of its
// MENTIONS or participations: what the figures are measured against.
func seedIndex(tb testing.TB) (*Index, *domain.Bundle) {
	tb.Helper()
	b, err := seedBundle(tb)
	if err != nil {
		tb.Fatal(err)
	}
	lean := &domain.Bundle{Nodes: b.Nodes}
	for _, r := range b.Relationships {
		if r.Type != domain.RelMentions && r.Type != domain.RelParticipatesIn {
			lean.Relationships = append(lean.Relationships, r)
		}
	}
	return NewIndex(lean), b
}

func seedText(tb testing.TB) string {
	tb.Helper()
	raw, err := os.ReadFile("../seed/source/000_f20a06c6ef58db93.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return string(raw)
}

func asError(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	if ok {
		*target = e
	}
	return ok
}
