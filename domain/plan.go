package domain

// A read plan: what a GraphQL selection asks of the graph, in terms of
// labels, relationship types and filters, with no GraphQL in it. The graph
// package builds plans from selection sets; the store compiles each plan into
// one Cypher query.

import "slices"

// Pattern says how a field reaches its nodes from the node it is on.
type Pattern struct {
	// Types are relationship types (from RelTypes); empty means any.
	Types []string
	// Direction is OUT for (n)-[r]->(m), IN for (n)<-[r]-(m), BOTH for either.
	Direction Direction
	// Targets are labels of m (from NodeLabels or Actor/Place); empty = any.
	Targets []string
	// Role keeps only relationships with this role.
	Role string
	// OrderBy is "name" (default), "order" (agenda sessions) or "date".
	OrderBy string
}

// Selection is what to fetch for each node of a result.
type Selection struct {
	// Evidence asks for the evidence of nodes, and says what to fetch of
	// each evidence source: at most one plan applies to each label.
	Evidence []*EvidencePlan
	Fields   []*FieldPlan
	// Narrow says only Props (and the id and labels, always) are needed of
	// the node's stored properties; otherwise all of them are fetched.
	Narrow bool
	Props  []string
}

// scalarProps are the stored properties each scalar field of a node reads;
// a field not listed here (and not a related-nodes field) makes a selection
// fetch every property.
var scalarProps = map[string][]string{
	"id": nil, "label": nil, "__typename": nil,
	"name": {"name"}, "nameEn": {"nameEn"}, "aliases": {"aliases"},
	"description": {"description"}, "descriptionEn": {"descriptionEn"},
	"version": {"version"}, "kind": {"kind"}, "code": {"code"}, "isoCode": {"code"},
	"postalCode": {"postalCode"}, "address": {"address"}, "url": {"url"},
	"order": {"order"}, "startsAt": {"startsAt"}, "endsAt": {"endsAt"},
	"start": startProps, "published": startProps, "end": endProps,
	"status": {"status"}, "basis": {"basis"},
}

// NeedScalar records that the selection asks for scalar field name.
func (s *Selection) NeedScalar(name string) {
	s.Narrow, s.Props = needScalar(scalarProps, s.Narrow, s.Props, name)
}

func needScalar(table map[string][]string, narrow bool, props []string, name string) (bool, []string) {
	need, ok := table[name]
	if !ok {
		return false, props
	}
	for _, p := range need {
		if !slices.Contains(props, p) {
			props = append(props, p)
		}
	}
	return narrow, props
}

// EvidencePlan asks for the evidence of nodes with one of OnLabels (nil:
// every node), and Source says what to fetch of each cited source.
type EvidencePlan struct {
	OnLabels []string
	Source   *Selection
}

// EvidenceFor is the evidence plan that applies to nodes of label, or nil.
func (s *Selection) EvidenceFor(label string) *EvidencePlan {
	if s == nil {
		return nil
	}
	for _, ev := range s.Evidence {
		if ev.OnLabels == nil || slices.Contains(ev.OnLabels, label) {
			return ev
		}
	}
	return nil
}

// AllEvidence asks for the evidence of every node, fetching src of each
// source.
func AllEvidence(src *Selection) []*EvidencePlan {
	return []*EvidencePlan{{Source: src}}
}

// FieldKind says how a related-nodes field reaches its nodes; the store
// compiles each kind its own way.
type FieldKind int

const (
	// FieldRelated follows Pattern.Types in Pattern.Direction to nodes with
	// Pattern.Targets.
	FieldRelated FieldKind = iota
	// FieldWithin reaches nodes located in or held at a place inside the
	// node (Pattern.Targets, Pattern.OrderBy).
	FieldWithin
	// FieldRelationships is Node.relationships: every relationship of the
	// node that passes RelFilter.
	FieldRelationships
)

// FieldPlan is one related-nodes field of a selection.
type FieldPlan struct {
	// Key names the field's result: Entity.Related[Key]. It is the
	// field's response path from the root field, response keys joined by
	// dots (list indexes left out), so two fields with one response name
	// at different places never share an entry.
	Key string
	// OnLabels limits the field to nodes with one of these labels (nil:
	// all). Several plans may share a Key when their OnLabels are disjoint:
	// each concrete type (or group of types) asked something different.
	OnLabels []string
	Kind     FieldKind
	Pattern  Pattern
	// RelFilter filters a FieldRelationships field.
	RelFilter  *RelationshipFilter
	NodeFilter *NodeFilter
	// First and Offset page the result; Count asks for the total.
	First  int
	Offset int
	// After, when set, starts the page just after that row (keyset
	// paging, in the order FieldOrderName names) instead of at Offset.
	After *Keyset
	Count bool
	// Node is the selection on the related nodes; Rel on the relationships.
	Node *Selection
	Rel  *RelSelection
}

// RelSelection is what to fetch of the relationships of a field.
type RelSelection struct {
	Evidence *Selection
	From     *Selection
	To       *Selection
	// Narrow and Props work as in Selection.
	Narrow bool
	Props  []string
}

var (
	startProps = []string{"startDate", "startPrecision", "startText", "startInferred", "startNote"}
	endProps   = []string{"endDate", "endPrecision", "endText", "endInferred", "endNote"}
)

// relScalarProps are the stored properties each scalar field of a
// relationship reads (from and to are planned apart).
var relScalarProps = map[string][]string{
	"id": nil, "type": nil, "__typename": nil,
	"role": {"role"}, "roleTh": {"roleTh"}, "description": {"description"}, "event": {"event"}, "version": {"version"},
	"start": startProps, "end": endProps, "current": append(append([]string{}, startProps...), endProps...),
	"status": {"status"}, "basis": {"basis"},
}

// NeedScalar records that the selection asks for scalar field name.
func (s *RelSelection) NeedScalar(name string) {
	s.Narrow, s.Props = needScalar(relScalarProps, s.Narrow, s.Props, name)
}

// ListQuery asks for a page of nodes of some labels.
type ListQuery struct {
	Labels  []string
	Filter  *NodeFilter
	OrderBy *NodeOrder
	First   int
	Offset  int
	// After, when set, starts the page just after that row (keyset
	// paging) instead of at Offset.
	After  *Keyset
	Count  bool
	Select *Selection
}
