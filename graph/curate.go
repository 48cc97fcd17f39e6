package graph

import (
	"context"
	"fmt"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

func opt(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateIn(field string, d *model.DateInput) (*domain.PartialDate, error) {
	if d == nil {
		return nil, nil
	}
	var out *domain.PartialDate
	switch {
	case d.Iso != nil && *d.Iso != "":
		p, err := domain.ValidateISODate(field+".iso", *d.Iso)
		if err != nil {
			return nil, err
		}
		out = &domain.PartialDate{Date: *d.Iso, Precision: p, Text: opt(d.Text)}
	case d.Text != nil && *d.Text != "":
		var err error
		if out, err = domain.ParseDate(field+".text", *d.Text); err != nil {
			return nil, err
		}
	default:
		return nil, domain.Invalid(field, "give iso or text")
	}
	if d.Inferred != nil {
		out.Inferred = *d.Inferred
	}
	out.Note = opt(d.Note)
	return out, nil
}

// datesIn reads a start and an end date input (either may be absent).
func datesIn(field string, start, end *model.DateInput) (*domain.PartialDate, *domain.PartialDate, error) {
	s, err := dateIn(field+".start", start)
	if err != nil {
		return nil, nil, err
	}
	e, err := dateIn(field+".end", end)
	if err != nil {
		return nil, nil, err
	}
	return s, e, nil
}

// setStr and setDate apply one patch field when it is given.
func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func setDate(dst **domain.PartialDate, v *domain.PartialDate) {
	if v != nil {
		*dst = v
	}
}

// setStatus applies a patch's status and basis: a new status, and a new
// basis when given; a status set to STATED without a basis drops the old
// one (a stated fact has no basis; validation refuses one given).
func setStatus(dst *domain.AssertionStatus, basis *string, status *domain.AssertionStatus, newBasis *string) {
	if status != nil {
		*dst = *status
		if *status == domain.StatusStated && newBasis == nil {
			*basis = ""
		}
	}
	setStr(basis, newBasis)
}

func evidenceIn(in []*model.EvidenceInput) []domain.Evidence {
	out := make([]domain.Evidence, 0, len(in))
	for _, e := range in {
		out = append(out, domain.Evidence{Source: e.Source, Quote: e.Quote, Locator: opt(e.Locator), Note: opt(e.Note)})
	}
	return out
}

func nodeRecordIn(in model.NodeInput) (domain.NodeRecord, error) {
	rec := domain.NodeRecord{
		ID: in.ID, Label: in.Label, Kind: opt(in.Kind), Name: in.Name, NameEn: opt(in.NameEn), Aliases: in.Aliases,
		Description: opt(in.Description), DescriptionEn: opt(in.DescriptionEn), Code: opt(in.Code),
		PostalCode: opt(in.PostalCode), Address: opt(in.Address), URL: opt(in.URL),
		StartsAt: opt(in.StartsAt), EndsAt: opt(in.EndsAt), Evidence: evidenceIn(in.Evidence),
		Basis: opt(in.Basis),
	}
	if in.Status != nil {
		rec.Status = *in.Status
	}
	if in.Order != nil {
		rec.Order = *in.Order
	}
	var err error
	rec.Start, rec.End, err = datesIn("input", in.Start, in.End)
	return rec, err
}

// returnNode reads back a written node with what the mutation's selection
// asks of it.
func (r *Resolver) returnNode(ctx context.Context, id string) (domain.Node, error) {
	sel, err := newPlanner(ctx).nodeSelection(rootField(ctx).Selections, "Node", rootField(ctx).Alias)
	if err != nil {
		return nil, err
	}
	return r.Store.FindNodeByID(ctx, id, sel)
}

func (r *Resolver) returnRel(ctx context.Context, id string) (*domain.Relationship, error) {
	sel, err := newPlanner(ctx).relSelection(rootField(ctx).Selections, rootField(ctx).Alias)
	if err != nil {
		return nil, err
	}
	return r.Store.FindRelationshipByID(ctx, id, sel)
}

func (r *Resolver) createNode(ctx context.Context, in model.NodeInput) (domain.Node, error) {
	rec, err := nodeRecordIn(in)
	if err != nil {
		return nil, err
	}
	if err := r.Store.CreateNode(ctx, actor(ctx), rec); err != nil {
		return nil, err
	}
	return r.returnNode(ctx, rec.ID)
}

func (r *Resolver) updateNode(ctx context.Context, id string, expected int, p model.NodePatch) (domain.Node, error) {
	if err := domain.ValidateID("id", id); err != nil {
		return nil, err
	}
	start, end, err := datesIn("patch", p.Start, p.End)
	if err != nil {
		return nil, err
	}
	err = r.Store.UpdateNode(ctx, actor(ctx), id, expected, func(n *domain.NodeRecord) error {
		if p.Kind != nil {
			n.Kind = *p.Kind
		}
		setStr(&n.Name, p.Name)
		setStr(&n.NameEn, p.NameEn)
		setStr(&n.Description, p.Description)
		setStr(&n.DescriptionEn, p.DescriptionEn)
		setStr(&n.Code, p.Code)
		setStr(&n.PostalCode, p.PostalCode)
		setStr(&n.Address, p.Address)
		setStr(&n.URL, p.URL)
		setStr(&n.StartsAt, p.StartsAt)
		setStr(&n.EndsAt, p.EndsAt)
		if p.Aliases != nil {
			n.Aliases = p.Aliases
		}
		if p.Order != nil {
			n.Order = *p.Order
		}
		setDate(&n.Start, start)
		setDate(&n.End, end)
		setStatus(&n.Status, &n.Basis, p.Status, p.Basis)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.returnNode(ctx, id)
}

func (r *Resolver) createRelationship(ctx context.Context, in model.RelationshipInput) (*domain.Relationship, error) {
	rec := domain.RelRecord{ID: opt(in.ID), Type: string(in.Type), From: in.From, To: in.To, Role: opt(in.Role), RoleTh: opt(in.RoleTh),
		Description: opt(in.Description), Evidence: evidenceIn(in.Evidence), Basis: opt(in.Basis)}
	if in.Status != nil {
		rec.Status = *in.Status
	}
	var err error
	if rec.Start, rec.End, err = datesIn("input", in.Start, in.End); err != nil {
		return nil, err
	}
	id, err := r.Store.CreateRelationship(ctx, actor(ctx), rec)
	if err != nil {
		return nil, err
	}
	return r.returnRel(ctx, id)
}

func (r *Resolver) updateRelationship(ctx context.Context, id string, expected int, p model.RelationshipPatch) (*domain.Relationship, error) {
	start, end, err := datesIn("patch", p.Start, p.End)
	if err != nil {
		return nil, err
	}
	err = r.Store.UpdateRelationship(ctx, actor(ctx), id, expected, func(rel *domain.RelRecord) error {
		setStr(&rel.Role, p.Role)
		setStr(&rel.RoleTh, p.RoleTh)
		setStr(&rel.Description, p.Description)
		setDate(&rel.Start, start)
		setDate(&rel.End, end)
		setStatus(&rel.Status, &rel.Basis, p.Status, p.Basis)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.returnRel(ctx, id)
}

func (r *Resolver) addEvidence(ctx context.Context, target string, in model.EvidenceInput) (*model.EvidenceResult, error) {
	count, v, err := r.Store.AddEvidence(ctx, actor(ctx), target, evidenceIn([]*model.EvidenceInput{&in})[0])
	if err != nil {
		return nil, err
	}
	return &model.EvidenceResult{TargetID: target, EvidenceCount: count, Version: v}, nil
}

func (r *Resolver) mergeNodes(ctx context.Context, keep string, dups []string, reason *string) (domain.Node, error) {
	if err := domain.ValidateID("keep", keep); err != nil {
		return nil, err
	}
	for i, d := range dups {
		if err := domain.ValidateID(fmt.Sprintf("duplicates[%d]", i), d); err != nil {
			return nil, err
		}
	}
	if err := r.Store.MergeNodes(ctx, actor(ctx), keep, dups, opt(reason)); err != nil {
		return nil, err
	}
	return r.returnNode(ctx, keep)
}
