package graph

import (
	"context"
	"encoding/base64"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/export"
	"github.com/phakhi/phakhi/graph/model"
)

func scopeOf(in *model.SubgraphInput) domain.Scope {
	var sc domain.Scope
	if in == nil {
		return sc
	}
	sc.Labels = in.Labels
	for _, t := range in.Types {
		sc.Types = append(sc.Types, string(t))
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	sc.Around, sc.PathFrom, sc.PathTo = str(in.Around), str(in.PathFrom), str(in.PathTo)
	sc.Status = in.Status
	sc.Depth, sc.K, sc.MaxLength = intArg(in.Depth, 1), intArg(in.K, domain.DefaultPathsK), intArg(in.MaxLength, domain.DefaultPathLen)
	return sc
}

// exportGraph fetches the subgraph of a scope, flattened for export.
func (r *Resolver) exportGraph(ctx context.Context, in *model.SubgraphInput, field string) (*export.Graph, domain.Scope, error) {
	sc := scopeOf(in)
	if err := sc.Validate(field + ".subgraph."); err != nil {
		return nil, sc, err
	}
	g, err := r.Store.Subgraph(ctx, sc, r.ExportCap)
	if err != nil {
		return nil, sc, err
	}
	return export.FromSubgraph(g), sc, nil
}

// exportJSON is the subgraph in a JSON format, as the JSON fields
// (cytoscape, graphology, d3) return it.
func (r *Resolver) exportJSON(ctx context.Context, in *model.SubgraphInput, f export.Format) (any, error) {
	g, _, err := r.exportGraph(ctx, in, rootField(ctx).Alias)
	if err != nil {
		return nil, err
	}
	return export.JSON(f, g)
}

// exportFile is the subgraph as a file in any format: text, or base64 for
// a binary one.
func (r *Resolver) exportFile(ctx context.Context, f export.Format, in *model.SubgraphInput) (*model.GraphExport, error) {
	g, sc, err := r.exportGraph(ctx, in, "exportGraph")
	if err != nil {
		return nil, err
	}
	b, err := export.Bytes(f, g)
	if err != nil {
		return nil, err
	}
	out := &model.GraphExport{Format: f, ContentType: f.ContentType(), Filename: export.Filename(sc, f),
		NodeCount: len(g.Nodes), EdgeCount: len(g.Edges), Encoding: "utf-8", Content: string(b)}
	if f.Binary() {
		out.Encoding, out.Content = "base64", base64.StdEncoding.EncodeToString(b)
	}
	return out, nil
}
