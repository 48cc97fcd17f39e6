package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// nodeRoutes are the fields of types other than nodes that hold nodes or
// relationships, each planned by what leads to it (the connection, the
// relationship, the evidence, or the root field's own store call through
// nodeSel/relSel). A new one must be planned and listed here.
var nodeRoutes = map[string]string{
	"Evidence.source":        "evidence (planner.evidence)",
	"Relationship.from":      "planner.rels",
	"Relationship.to":        "planner.rels",
	"RelationshipEdge.node":  "relationshipsField: edges.node",
	"RelationshipEdge.other": "relationshipsField: edges.other",
	"SearchEdge.node":        "search: nodeSel edges.node",
	"Subgraph.nodes":         "neighborhood: nodeSel nodes",
	"Subgraph.edges":         "neighborhood: relSel edges",
	"Path.nodes":             "paths: nodeSel nodes",
	"Path.edges":             "paths: relSel edges",
	"TriangleSide.side":      "triangle: nodeSel side",
	"Advancer.actor":         "triangle: nodeSel advancers.actor",
	"Advancer.via":           "triangle: nodeSel advancers.via",
	"Bridge.actor":           "bridges: nodeSel actor",
	"SideReach.side":         "bridges: nodeSel sides.side",
	"NodeMetrics.node":       "networkMetrics: nodeSel nodes.node",
}

// Typed edges (AgencyEdge.node, .relationship, …) are planned by their
// connection (planner.typedEdges).

// isNodeType says whether t is a node type (implements Node).
func isNodeType(t *ast.Definition) bool {
	return t.Name == "Node" || slices.Contains(t.Interfaces, "Node")
}

// TestEveryFieldIsPlanned walks the schema from Query and shows that every
// field of every type reachable, under every type condition that can
// select it, has a plan (a related-nodes spec, evidence, a scalar property)
// or is served by what leads to it: no "not planned" at run time.
func TestEveryFieldIsPlanned(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	reach := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		def := schema.Types[name]
		if def == nil || reach[name] || strings.HasPrefix(name, "__") {
			return
		}
		reach[name] = true
		for _, f := range def.Fields {
			visit(f.Type.Name())
		}
		if def.Kind == ast.Interface {
			for _, p := range schema.GetPossibleTypes(def) {
				visit(p.Name)
			}
		}
	}
	visit("Query")
	var gaps []string
	checked := 0
	names := make([]string, 0, len(reach))
	for n := range reach {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		def := schema.Types[name]
		if def.Kind != ast.Object || name == "Query" {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			ft := schema.Types[f.Type.Name()]
			composite := ft.Kind == ast.Object || ft.Kind == ast.Interface
			if !isNodeType(def) {
				typedEdge := strings.HasSuffix(name, "Edge") && (f.Name == "node" || f.Name == "relationship")
				if composite && (isNodeType(ft) || ft.Name == "Relationship") && nodeRoutes[name+"."+f.Name] == "" && !typedEdge {
					gaps = append(gaps, fmt.Sprintf("%s.%s holds %s but no plan leads to it (nodeRoutes)", name, f.Name, ft.Name))
				}
				continue
			}
			// every type condition that can select f on a node of type def
			conds := []string{def.Name}
			for _, i := range def.Interfaces {
				if schema.Types[i].Fields.ForName(f.Name) != nil {
					conds = append(conds, i)
				}
			}
			for _, a := range f.Arguments {
				if _, ok := argReader(a); !ok && composite {
					gaps = append(gaps, fmt.Sprintf("%s.%s: the planner reads no argument %s: %s", name, f.Name, a.Name, a.Type))
				}
			}
			for _, c := range conds {
				checked++
				if gap := planGap(def, f, ft, c); gap != "" {
					gaps = append(gaps, fmt.Sprintf("%s.%s under ... on %s: %s", name, f.Name, c, gap))
				}
			}
		}
	}
	t.Logf("%d fields under their type conditions checked, %d types reachable", checked, len(reach))
	if len(gaps) > 0 {
		t.Fatalf("%d fields are not planned:\n%s", len(gaps), strings.Join(gaps, "\n"))
	}
}

// planGap plans `node { ... on cond { f } }` and says what is missing for
// a node of type def ("" when nothing is).
func planGap(def *ast.Definition, f *ast.FieldDefinition, ft *ast.Definition, cond string) string {
	sub := ""
	if ft.Kind == ast.Object || ft.Kind == ast.Interface {
		sub = " { __typename }"
	}
	q := fmt.Sprintf(`{ node(id: "x") { ... on %s { %s%s } } }`, cond, f.Name, sub)
	sel, err := PlanNode(q, nil)
	if err != nil {
		return err.Error()
	}
	switch {
	case f.Name == "evidence":
		if sel.EvidenceFor(def.Name) == nil {
			return "no evidence plan"
		}
	case isNodeType(ft) || strings.HasSuffix(ft.Name, "Connection"):
		for _, fp := range sel.Fields {
			if fp.Key == "node."+f.Name && (fp.OnLabels == nil || slices.Contains(fp.OnLabels, def.Name)) {
				return ""
			}
		}
		return "no plan of related nodes"
	default:
		if !sel.Narrow {
			return "no stored property known (domain scalarProps): the projection widens to every property"
		}
	}
	return ""
}
