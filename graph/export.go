package graph

import (
	"context"
	"encoding/base64"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/export"
	"github.com/phakhi/phakhi/graph/model"
)

var exportFormats = map[model.ExportFormat]export.Format{
	model.ExportFormatCytoscape:  export.Cytoscape,
	model.ExportFormatGraphology: export.Graphology,
	model.ExportFormatD3:         export.D3,
	model.ExportFormatGexf:       export.GEXF,
	model.ExportFormatGraphml:    export.GraphML,
	model.ExportFormatCSVNodes:   export.CSVNodes,
	model.ExportFormatCSVEdges:   export.CSVEdges,
	model.ExportFormatCSVZip:     export.CSVZip,
}

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

func (r *Resolver) exportJSON(ctx context.Context, in *model.SubgraphInput, f export.Format) (any, error) {
	g, _, err := r.exportGraph(ctx, in, rootField(ctx).Alias)
	if err != nil {
		return nil, err
	}
	switch f {
	case export.Cytoscape:
		return export.CytoscapeJSON(g), nil
	case export.Graphology:
		return export.GraphologyJSON(g), nil
	}
	return export.D3JSON(g), nil
}

func (r *Resolver) exportFile(ctx context.Context, format model.ExportFormat, in *model.SubgraphInput) (*model.GraphExport, error) {
	f, ok := exportFormats[format]
	if !ok {
		return nil, domain.Invalid("exportGraph.format", "%q is not an export format", format)
	}
	g, sc, err := r.exportGraph(ctx, in, "exportGraph")
	if err != nil {
		return nil, err
	}
	b, err := export.Bytes(f, g)
	if err != nil {
		return nil, err
	}
	out := &model.GraphExport{Format: format, ContentType: f.ContentType(), Filename: export.Filename(sc, f),
		NodeCount: len(g.Nodes), EdgeCount: len(g.Edges), Encoding: "utf-8", Content: string(b)}
	if f == export.CSVZip {
		out.Encoding, out.Content = "base64", base64.StdEncoding.EncodeToString(b)
	}
	return out, nil
}
