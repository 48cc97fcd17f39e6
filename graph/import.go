package graph

import (
	"context"
	"strings"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/store"
)

// DefaultMaxImportBytes caps an import's text unless the server says
// otherwise (-max-import-bytes, PHAKHI_MAX_IMPORT_BYTES; WithMaxImportBytes):
// 32 MiB holds 100,000 generated records as a bundle (27.9 MiB) or as CSV
// (22.4 MiB), each citing its source with a quote and a locator.
const DefaultMaxImportBytes = 32 << 20

// importLimitHint names the setting in a refusal, so the editor knows
// whom to ask and the operator what to change.
const importLimitHint = "split the import, or raise -max-import-bytes (PHAKHI_MAX_IMPORT_BYTES)"

// maxImportBytes is the resolver's cap on an import's text.
func (r *Resolver) maxImportBytes() int {
	if r.MaxImportBytes > 0 {
		return r.MaxImportBytes
	}
	return DefaultMaxImportBytes
}

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
	if limit := r.maxImportBytes(); len(text) > limit {
		return nil, domain.Invalid("bundle", "is %d bytes; the import limit is %d bytes: %s", len(text), limit, importLimitHint)
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
	if n, limit := len(opt(nodes))+len(opt(edges)), r.maxImportBytes(); n > limit {
		return nil, domain.Invalid("nodes", "the files are %d bytes together; the import limit is %d bytes: %s", n, limit, importLimitHint)
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
