package domain

// SearchHit is one search result.
type SearchHit struct {
	Node         Entitied
	Score        float64
	MatchedField string
	MatchedText  string
	// Key is the hit's keyset position (its cursor).
	Key *Keyset
}

// SearchQuery asks the store to search names, aliases and descriptions.
type SearchQuery struct {
	Text   string
	Labels []string
	First  int
	Offset int
	// After, when set, starts the page just after that hit (keyset
	// paging, in the order SearchOrderName names) instead of at Offset.
	After *Keyset
	// MinScore, when set, drops the hits that score below it (before
	// the total and the page).
	MinScore *float64
	// Status keeps the nodes of these assertion statuses (all when empty).
	Status []AssertionStatus
	Select *Selection
	// SameAs FOLD ranks the nodes joined by POSSIBLY_SAME_AS as one hit.
	SameAs SameAs
	// OmitMatchedText, when set, leaves the hits' MatchedText empty: the
	// descriptions it is cut from are neither fetched nor segmented (the
	// caller did not ask for the text, only for the ranking).
	OmitMatchedText bool
}

// SearchResult is a page of search hits.
type SearchResult struct {
	Hits  []*SearchHit
	Total int
	// Start is the position of the page's first hit in the ranking.
	Start int
	// Complete is false when a search branch reached its candidate bound.
	Complete bool
	// Folded lists the groups of the page's hits read as one (SameAs FOLD).
	Folded []*Fold
}
