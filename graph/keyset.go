package graph

import (
	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// listPageOf reads a keyset-paged connection's first and after (a root
// list, a nested connection, search): the page size, and where the page
// starts, a keyset (the cursors these give out) or an offset (an offset
// cursor of before).
func listPageOf(first *int, after *string, path string) (n, offset int, key *domain.Keyset, err error) {
	n, _, err = pageOf(first, nil, path)
	if err != nil {
		return 0, 0, nil, err
	}
	if after != nil && *after != "" {
		offset, key, err = model.DecodeListCursor(*after)
		if err != nil {
			return 0, 0, nil, domain.Invalid(path+".after", "%q is not a cursor this API gave out", *after)
		}
	}
	return n, offset, key, nil
}
