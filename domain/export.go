package domain

import (
	"fmt"
)

// ExportCap is the most nodes an export may hold.
const ExportCap = 50_000

// Scope says which subgraph to export: the neighborhood Around a node, the
// paths between PathFrom and PathTo, or else the nodes with Labels and the
// relationships of Types among them (the whole graph when both are empty).
type Scope struct {
	Labels    []string
	Types     []string
	Around    string
	Depth     int
	PathFrom  string
	PathTo    string
	K         int
	MaxLength int
	// Status keeps the nodes and relationships of these assertion
	// statuses (all when empty); around and paths walk only those.
	Status []AssertionStatus
}

// Validate checks a scope; field prefixes the names in errors.
func (s *Scope) Validate(field string) error {
	if s.Depth == 0 {
		s.Depth = 1
	}
	if s.K == 0 {
		s.K = DefaultPathsK
	}
	if s.MaxLength == 0 {
		s.MaxLength = DefaultPathLen
	}
	for i, l := range s.Labels {
		if !IsNodeLabel(l) && l != LabelActor && l != LabelPlace {
			return Invalid(fmt.Sprintf("%slabels[%d]", field, i), "%q is not a node label", l)
		}
	}
	for i, t := range s.Types {
		if !IsRelType(t) {
			return Invalid(fmt.Sprintf("%stypes[%d]", field, i), "%q is not a relationship type", t)
		}
	}
	if s.Around != "" {
		if err := ValidateID(field+"around", s.Around); err != nil {
			return err
		}
		if s.Depth < 1 || s.Depth > MaxDepth {
			return Invalid(field+"depth", "is %d; it must be between 1 and %d", s.Depth, MaxDepth)
		}
	}
	if err := ValidateStatuses(field+"status", s.Status); err != nil {
		return err
	}
	if (s.PathFrom == "") != (s.PathTo == "") {
		return Invalid(field+"pathTo", "pathFrom and pathTo go together")
	}
	if s.PathFrom != "" {
		if s.Around != "" {
			return Invalid(field+"around", "give either around or pathFrom/pathTo, not both")
		}
		if err := ValidateID(field+"pathFrom", s.PathFrom); err != nil {
			return err
		}
		if err := ValidateID(field+"pathTo", s.PathTo); err != nil {
			return err
		}
		if s.K < 1 || s.K > MaxPaths {
			return Invalid(field+"k", "is %d; it must be between 1 and %d", s.K, MaxPaths)
		}
		if s.MaxLength < 1 || s.MaxLength > MaxPathLength {
			return Invalid(field+"maxLength", "is %d; it must be between 1 and %d", s.MaxLength, MaxPathLength)
		}
	}
	return nil
}
