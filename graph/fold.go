package graph

import (
	"slices"

	"github.com/phakhi/phakhi/domain"
)

// sameAsArg is the sameAs argument, APART when absent.
func sameAsArg(s *domain.SameAs) domain.SameAs {
	if s == nil {
		return domain.SameAsApart
	}
	return *s
}

// foldsOf is folds as the schema's non-null list.
func foldsOf(folds []*domain.Fold) []*domain.Fold {
	if folds == nil {
		return []*domain.Fold{}
	}
	return folds
}

// foldSel is sel reading also the names and statuses a fold merges (sel
// is left as it is; nil reads every property already).
func foldSel(sel *domain.Selection) *domain.Selection {
	if sel == nil || !sel.Narrow {
		return sel
	}
	c := *sel
	c.Props = slices.Clone(sel.Props)
	for _, f := range []string{"name", "nameEn", "aliases", "status", "basis"} {
		c.NeedScalar(f)
	}
	return &c
}

// foldedMembers are the ids folded into the nodes ids, in order.
func foldedMembers(folds []*domain.Fold, ids []string) []string {
	var out []string
	for _, id := range ids {
		for _, f := range folds {
			if f.Into == id {
				out = append(out, f.IDs...)
			}
		}
	}
	return out
}

// mergeFolded merges the nodes read for folded ids into the nodes standing
// for them (nodes as FindNodesByIDs returns them, nil where deleted).
func mergeFolded(folds []*domain.Fold, nodes []domain.Entitied) {
	byID := map[string]domain.Entitied{}
	for _, n := range nodes {
		if n != nil {
			byID[n.E().ID] = n
		}
	}
	for _, f := range folds {
		into := byID[f.Into]
		if into == nil {
			continue
		}
		var others []*domain.Entity
		for _, id := range f.IDs {
			if o := byID[id]; o != nil {
				others = append(others, o.E())
			}
		}
		domain.MergeInto(into.E(), others...)
	}
}
