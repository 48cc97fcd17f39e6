package domain

// Change is one write in the audit trail.
type Change struct {
	ID       string
	At       string
	Actor    string
	Action   string
	TargetID string
	IDs      []string
	Before   any
	After    any
	Reason   *string
}

// Audit actions.
const (
	ActionCreateNode         = "CREATE_NODE"
	ActionUpdateNode         = "UPDATE_NODE"
	ActionDeleteNode         = "DELETE_NODE"
	ActionCreateRelationship = "CREATE_RELATIONSHIP"
	ActionUpdateRelationship = "UPDATE_RELATIONSHIP"
	ActionDeleteRelationship = "DELETE_RELATIONSHIP"
	ActionAddEvidence        = "ADD_EVIDENCE"
	ActionMergeNodes         = "MERGE_NODES"
	ActionImport             = "IMPORT"
)

// HistoryQuery filters the audit trail.
type HistoryQuery struct {
	NodeID   string
	Actor    string
	From, To string
	First    int
	Offset   int
	// States: read before and after too (an import's hold up to 1000
	// records each); only when the query selects them.
	States bool
}
