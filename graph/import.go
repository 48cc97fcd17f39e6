package graph

import (
	"context"
	"strings"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/store"
)

// MaxImportBytes caps an import's text.
const MaxImportBytes = 20 << 20

func report(res *store.ImportResult, nodes, rels int) *model.ImportReport {
	out := &model.ImportReport{
		Ok: res.OK(), DryRun: res.DryRun, Nodes: nodes, Relationships: rels,
		NodesCreated: res.NodesCreated, NodesUpdated: res.NodesUpdated, NodesUnchanged: res.NodesUnchanged,
		RelationshipsCreated: res.RelationshipsCreated, RelationshipsUpdated: res.RelationshipsUpdated, RelationshipsUnchanged: res.RelsSame,
		Problems: []*model.ImportProblem{},
	}
	for _, p := range res.Problems {
		ip := &model.ImportProblem{Record: p.Record, Reason: p.Reason}
		if p.Line > 0 {
			l := p.Line
			ip.Line = &l
		}
		if p.Field != "" {
			f := p.Field
			ip.Field = &f
		}
		out.Problems = append(out.Problems, ip)
	}
	return out
}

func (r *Resolver) importBundle(ctx context.Context, text string, dryRun bool) (*model.ImportReport, error) {
	if len(text) > MaxImportBytes {
		return nil, domain.Invalid("bundle", "is %d bytes; the limit is %d", len(text), MaxImportBytes)
	}
	b, lines, problems := domain.ParseBundleJSON([]byte(text))
	if len(problems) > 0 {
		return report(&store.ImportResult{Problems: problems, DryRun: dryRun}, 0, 0), nil
	}
	res, err := r.Store.Import(ctx, actor(ctx), b, lines, dryRun)
	if err != nil {
		return nil, err
	}
	return report(res, len(b.Nodes), len(b.Relationships)), nil
}

func (r *Resolver) importCSV(ctx context.Context, nodes, edges *string, dryRun bool) (*model.ImportReport, error) {
	if len(opt(nodes))+len(opt(edges)) > MaxImportBytes {
		return nil, domain.Invalid("nodes", "the files are larger than %d bytes", MaxImportBytes)
	}
	if strings.TrimSpace(opt(nodes)) == "" && strings.TrimSpace(opt(edges)) == "" {
		return nil, domain.Invalid("nodes", "give nodes, edges or both")
	}
	b, lines, problems := domain.ParseCSV(opt(nodes), opt(edges))
	if len(problems) > 0 {
		return report(&store.ImportResult{Problems: problems, DryRun: dryRun}, len(b.Nodes), len(b.Relationships)), nil
	}
	res, err := r.Store.Import(ctx, actor(ctx), b, lines, dryRun)
	if err != nil {
		return nil, err
	}
	return report(res, len(b.Nodes), len(b.Relationships)), nil
}
