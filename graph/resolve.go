package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// MaxIDs caps Query.nodes.
const MaxIDs = 100

// related returns what the root query prefetched for the field being
// resolved on e, a connection of N: the plan the planner made under the
// field's response path.
func related[N any](ctx context.Context, e *domain.Entity) (*model.Connection[N], error) {
	p, err := relatedPage(ctx, e)
	if err != nil {
		return nil, err
	}
	return model.NewConnection[N](p), nil
}

// relatedPage is the page the root query prefetched for the field being
// resolved on e.
func relatedPage(ctx context.Context, e *domain.Entity) (*domain.Page, error) {
	fc := graphql.GetFieldContext(ctx)
	if p, ok := e.Related[responsePath(fc)]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("internal: %s.%s was not planned (at %s)", e.Label, fc.Field.Name, responsePath(fc))
}

// responsePath is the response path of the field of fc from the root
// field: response keys joined by dots, list indexes left out. It is the
// key the planner gives the field's plan (FieldPlan.Key).
func responsePath(fc *graphql.FieldContext) string {
	var keys []string
	for c := fc; c != nil; c = c.Parent {
		if c.Index == nil && c.Field.Field != nil {
			keys = append(keys, c.Field.Alias)
		}
	}
	slices.Reverse(keys)
	return strings.Join(keys, ".")
}

// relatedList is related as a plain list of T.
func relatedList[T any](ctx context.Context, e *domain.Entity) ([]T, error) {
	p, err := relatedPage(ctx, e)
	if err != nil || p == nil {
		return []T{}, err
	}
	out := make([]T, 0, len(p.Items))
	for _, it := range p.Items {
		if v, ok := any(it.Node).(T); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// relatedOne is related as one T or nil.
func relatedOne[T any](ctx context.Context, e *domain.Entity) (T, error) {
	var zero T
	list, err := relatedList[T](ctx, e)
	if err != nil || len(list) == 0 {
		return zero, err
	}
	return list[0], nil
}

// readDate checks a date argument, written ISO (2007, 2007-04,
// 2007-04-11) or as Thai sources write it (11 เมษายน 2550, พ.ศ. 2550,
// Thai digits), and rewrites it to ISO in place. nil is no date.
func readDate(field string, v *string) error {
	if v == nil {
		return nil
	}
	d, err := domain.ParseDate(field, *v)
	if err != nil {
		return err
	}
	*v = d.Date
	return nil
}

func validateRelFilter(rf *domain.RelationshipFilter, path string) error {
	for _, d := range []struct {
		name string
		v    *string
	}{{"from", rf.From}, {"to", rf.To}} {
		if err := readDate(path+"."+d.name, d.v); err != nil {
			return err
		}
	}
	if rf.Direction != nil && !rf.Direction.IsValid() {
		return domain.Invalid(path+".direction", "%q is not OUT, IN or BOTH", *rf.Direction)
	}
	for i, t := range rf.Types {
		if !domain.IsRelType(string(t)) {
			return domain.Invalid(fmt.Sprintf("%s.types[%d]", path, i), "%q is not a relationship type", t)
		}
	}
	return validateLabels(rf.OtherLabels, path+".otherLabels")
}

func validateLabels(labels []string, path string) error {
	for i, l := range labels {
		if !domain.IsNodeLabel(l) && l != domain.LabelActor && l != domain.LabelPlace {
			return domain.Invalid(fmt.Sprintf("%s[%d]", path, i), "%q is not a node label", l)
		}
	}
	return nil
}

const maxFilterDepth = 8

// validateFilter checks a NodeFilter before it reaches the store.
func validateFilter(f *domain.NodeFilter, path string) error {
	return validateFilterDepth(f, path, 0)
}

func validateFilterDepth(f *domain.NodeFilter, path string, depth int) error {
	if f == nil {
		return nil
	}
	if depth > maxFilterDepth {
		return domain.Invalid(path, "filters nest more than %d deep", maxFilterDepth)
	}
	for _, d := range []struct {
		name string
		v    *string
	}{{"dateFrom", f.DateFrom}, {"dateTo", f.DateTo}} {
		if err := readDate(path+"."+d.name, d.v); err != nil {
			return err
		}
	}
	if f.Role != nil {
		if _, ok := domain.ParticipationRoles[*f.Role]; !ok {
			return domain.Invalid(path+".role", "%q is not a participation role (known: %s)", *f.Role, strings.Join(domain.SortedRoleNames(), ", "))
		}
	}
	for i, k := range f.Kinds {
		if !domain.IsKind(k) {
			return domain.Invalid(fmt.Sprintf("%s.kinds[%d]", path, i), "%q is not a kind of any label (AgencyKind, NetworkKind, EventKind, ProgramKind, VenueKind, SourceKind or StrategySideKind values, such as UNIVERSITY or MEETING)", k)
		}
	}
	if f.NameContains != nil && utf8.RuneCountInString(*f.NameContains) > 200 {
		return domain.Invalid(path+".nameContains", "is longer than 200 characters")
	}
	if len(f.Ids) > MaxIDs {
		return domain.Invalid(path+".ids", "has %d ids; the limit is %d", len(f.Ids), MaxIDs)
	}
	if err := validateLabels(f.Labels, path+".labels"); err != nil {
		return err
	}
	for i, sub := range f.And {
		if err := validateFilterDepth(sub, fmt.Sprintf("%s.and[%d]", path, i), depth+1); err != nil {
			return err
		}
	}
	for i, sub := range f.Or {
		if err := validateFilterDepth(sub, fmt.Sprintf("%s.or[%d]", path, i), depth+1); err != nil {
			return err
		}
	}
	return validateFilterDepth(f.Not, path+".not", depth+1)
}

// connection is the Relay connection of nodes of type N of a page.
func connection[N any](p *domain.Page, err error) (*model.Connection[N], error) {
	if err != nil {
		return nil, err
	}
	return model.NewConnection[N](p), nil
}

// list runs a root list field.
func (r *Resolver) list(ctx context.Context, labels []string, filter *domain.NodeFilter, orderBy *domain.NodeOrder, first *int, after *string) (*domain.Page, error) {
	f := rootField(ctx)
	n, offset, key, err := listPageOf(first, after, f.Alias)
	if err != nil {
		return nil, err
	}
	if err := validateFilter(filter, f.Alias+".filter"); err != nil {
		return nil, err
	}
	sel, count, err := newPlanner(ctx).connectionSelection(f)
	if err != nil {
		return nil, err
	}
	page, err := r.Store.FindNodes(ctx, domain.ListQuery{Labels: labels, Filter: filter, OrderBy: orderBy, First: n, Offset: offset, After: key, Count: count, Select: sel})
	var me *domain.Error
	if errors.As(err, &me) && (strings.HasPrefix(me.Field, "filter.") || me.Field == "after") {
		me.Field = f.Alias + "." + me.Field // the filter naming an unknown id, a cursor of another order
	}
	if err != nil {
		return nil, err
	}
	return page, nil
}

// Limits of the exploration fields (documented in the schema and README).
const (
	MaxSearchLen     = 200
	MaxBridgeHops    = 4
	MaxMetricsNodes  = 200_000
	MaxMetricSamples = 5000
)

func intArg(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func inRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return domain.Invalid(field, "is %d; it must be between %d and %d", v, lo, hi)
	}
	return nil
}

func relTypes(field string, ts []domain.RelType) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		if !domain.IsRelType(string(t)) {
			return nil, domain.Invalid(fmt.Sprintf("%s[%d]", field, i), "%q is not a relationship type", t)
		}
		out[i] = string(t)
	}
	return out, nil
}
