package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/metrics"
	"github.com/phakhi/phakhi/store"
)

// An op is one typical operation, done three ways: through Phakhi's HTTP
// API, as hand-written Cypher through the Go driver (the floor), and
// through @neo4j/graphql where it can express it.
type op struct {
	name string
	what string
	// phakhi is the GraphQL document sent to Phakhi (POST /query).
	phakhi string
	// vars turns a parameter into the variables of the GraphQL documents.
	vars func(p param) map[string]any
	// phakhiFP reads the fingerprint of Phakhi's answer (the "data" object).
	phakhiFP func(data map[string]any) fingerprint
	// cypher is the floor: the same work in hand-written Cypher.
	cypher func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error)
	// ngql is the @neo4j/graphql document; empty when it cannot express
	// the operation, with the reason in ngqlNote.
	ngql     string
	ngqlFP   func(data map[string]any) fingerprint
	ngqlNote string
}

// param is one value of an operation's parameter set.
type param map[string]any

// fingerprint is what the three ways must agree on: a total and the ids
// of the first page, in order (sorted when the order is not defined).
type fingerprint struct {
	Total int
	IDs   []string
}

func (f fingerprint) String() string {
	ids := f.IDs
	if len(ids) > 5 {
		ids = append(append([]string{}, ids[:5]...), fmt.Sprintf("…(%d)", len(f.IDs)))
	}
	return fmt.Sprintf("total=%d ids=%v", f.Total, ids)
}

func (f fingerprint) equal(g fingerprint) bool {
	if f.Total != g.Total || len(f.IDs) != len(g.IDs) {
		return false
	}
	for i := range f.IDs {
		if f.IDs[i] != g.IDs[i] {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- JSON helpers

func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func num(v any) int {
	switch n := v.(type) {
	case float64:
		return int(n)
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	case int64:
		return int(n)
	case int:
		return n
	}
	return 0
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// idsAt collects key "id" of the objects at keys... within each item.
func idsAt(items []any, keys ...string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, str(path(it, keys...)))
	}
	return out
}

func sorted(ids []string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------- Cypher helpers

func readQuery(ctx context.Context, d neo4j.DriverWithContext, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase("neo4j"), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

func get(r *neo4j.Record, k string) any {
	v, _ := r.Get(k)
	return v
}

// ---------------------------------------------------------------- the operations

var linkTypes = strings.Join(store.DefaultLinkTypes(), "|")

func ops() []*op {
	return []*op{
		{
			name: "detail",
			what: "an event by id with its heldAt places and first 20 participants (role on the edge), totalCount",
			phakhi: `query($id: ID!) { node(id: $id) { id name ... on Event { kind start { iso precision }
  heldAt { id name }
  participants(first: 20) { totalCount edges { node { id name label } relationship { type role roleTh } } } } } }`,
			vars: func(p param) map[string]any { return map[string]any{"id": p["id"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				c := path(d, "node", "participants")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, `MATCH (e:Node {id: $id}) WHERE e:Event
RETURN e{.id, .name, .kind, .startDate, .startPrecision} AS e,
  COLLECT { MATCH (e)-[:HELD_AT]->(h) RETURN h{.id, .name} ORDER BY h.name, h.id LIMIT 200 } AS heldAt,
  COUNT { (e)<-[:PARTICIPATES_IN|ORGANIZES]-(:Actor) } AS total,
  COLLECT { MATCH (e)<-[r:PARTICIPATES_IN|ORGANIZES]-(a:Actor) WITH a, r ORDER BY a.name, a.id LIMIT 20
            RETURN {id: a.id, name: a.name, labels: labels(a), type: type(r), role: r.role, roleTh: r.roleTh} } AS participants`, map[string]any{"id": p["id"]})
				if err != nil || len(recs) == 0 {
					return fingerprint{}, err
				}
				var ids []string
				for _, x := range get(recs[0], "participants").([]any) {
					ids = append(ids, x.(map[string]any)["id"].(string))
				}
				return fingerprint{Total: int(get(recs[0], "total").(int64)), IDs: ids}, nil
			},
			// @neo4j/graphql has one relationship field per type: the
			// participants are PARTICIPATES_IN and ORGANIZES, merged here.
			ngql: `query($id: ID!) { events(where: {id: {eq: $id}}) { id name kind startDate startPrecision
  heldAt { ... on Region { id name } ... on Province { id name } ... on District { id name } ... on Subdistrict { id name } ... on Venue { id name } ... on Agency { id name } }
  participantsConnection(first: 20, sort: [{node: {name: ASC}}, {node: {id: ASC}}]) { totalCount edges { properties { role roleTh } node { __typename id name } } }
  organizersConnection(first: 20, sort: [{node: {name: ASC}}, {node: {id: ASC}}]) { totalCount edges { node { __typename id name } } } } }`,
			ngqlFP: func(d map[string]any) fingerprint {
				ev := list(path(d, "events"))
				if len(ev) == 0 {
					return fingerprint{}
				}
				type pn struct{ name, id string }
				var all []pn
				total := 0
				for _, f := range []string{"participantsConnection", "organizersConnection"} {
					c := path(ev[0], f)
					total += num(path(c, "totalCount"))
					for _, e := range list(path(c, "edges")) {
						all = append(all, pn{str(path(e, "node", "name")), str(path(e, "node", "id"))})
					}
				}
				sort.Slice(all, func(i, j int) bool {
					if all[i].name != all[j].name {
						return all[i].name < all[j].name
					}
					return all[i].id < all[j].id
				})
				var ids []string
				for i, x := range all {
					if i == 20 {
						break
					}
					ids = append(ids, x.id)
				}
				return fingerprint{Total: total, IDs: ids}
			},
			ngqlNote: "participants = participantsConnection + organizersConnection (one field per relationship type), merged by the client",
		},
		{
			name: "list-province",
			what: "community funds (Network kind FUNDS) located in a province, by name, first 20, totalCount",
			phakhi: `query($p: ID!) { networks(filter: {province: $p, kinds: ["FUNDS"]}, first: 20) {
  totalCount edges { node { id name nameEn kind } } } }`,
			vars: func(p param) map[string]any { return map[string]any{"p": p["province"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				c := path(d, "networks")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, `MATCH (p:Node {id: $p}) WHERE p:Place
CALL (p) { MATCH (pl:Place)((:Place)-[:PART_OF|LOCATED_IN]->(:Place)){0,5}(p) RETURN DISTINCT pl }
MATCH (n:Network)-[:LOCATED_IN|HELD_AT|PART_OF]->(pl)
WHERE n.kind IN ['FUNDS']
WITH DISTINCT n ORDER BY n.name, n.id
WITH collect(n) AS ns
RETURN size(ns) AS total, [x IN ns[0..20] | x{.id, .name, .nameEn, .kind}] AS page`, map[string]any{"p": p["province"]})
				if err != nil {
					return fingerprint{}, err
				}
				return pageFP(recs)
			},
			ngql: `query($p: ID!) { networksConnection(first: 20, sort: [{name: ASC}, {id: ASC}],
  where: {kind: {in: ["FUNDS"]}, locatedInSubdistrict: {some: {district: {some: {province: {some: {id: {eq: $p}}}}}}}}) {
  totalCount edges { node { id name nameEn kind } } } }`,
			ngqlFP: func(d map[string]any) fingerprint {
				c := path(d, "networksConnection")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			ngqlNote: "the place hierarchy is spelled out with concrete types (Network -LOCATED_IN-> Subdistrict -PART_OF-> District -PART_OF-> Province); Phakhi and the floor follow PART_OF|LOCATED_IN to any depth up to 5. Through the Place interface (locatedIn / partOf, as in Phakhi's schema) the filter expands to 5³ = 125 label branches, and at 100k nodes it ran Neo4j out of its 2 GiB heap",
		},
		{
			name: "list-dates",
			what: "events in a month (dateFrom = dateTo = YYYY-MM), in date order, first 20, totalCount",
			phakhi: `query($m: String!) { events(filter: {dateFrom: $m, dateTo: $m}, orderBy: {field: DATE}, first: 20) {
  totalCount edges { node { id name kind start { iso precision } } } } }`,
			vars: func(p param) map[string]any { return map[string]any{"m": p["month"], "y": p["year"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				c := path(d, "events")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				// a month overlaps events dated in it and events dated to its year only
				recs, err := readQuery(ctx, d, `MATCH (e:Event) WHERE e.startDate STARTS WITH $m OR e.startDate = $y
WITH e ORDER BY e.startDate, e.id
WITH collect(e) AS es
RETURN size(es) AS total, [x IN es[0..20] | x{.id, .name, .kind, .startDate, .startPrecision}] AS page`, map[string]any{"m": p["month"], "y": p["year"]})
				if err != nil {
					return fingerprint{}, err
				}
				return pageFP(recs)
			},
			ngql: `query($m: String!, $y: String!) { eventsConnection(first: 20, sort: [{startDate: ASC}, {id: ASC}],
  where: {OR: [{startDate: {startsWith: $m}}, {startDate: {eq: $y}}]}) {
  totalCount edges { node { id name kind startDate startPrecision } } } }`,
			ngqlFP: func(d map[string]any) fingerprint {
				c := path(d, "eventsConnection")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
		},
		{
			name:   "search",
			what:   "search names, aliases and descriptions (Thai substring + full-text, ranked), first 20",
			phakhi: `query($q: String!) { search(query: $q, first: 20) { totalCount edges { score matchedField node { id name label } } } }`,
			vars:   func(p param) map[string]any { return map[string]any{"q": p["q"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				c := path(d, "search")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: sorted(idsAt(list(path(c, "edges")), "node", "id"))}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				q := str(p["q"])
				recs, err := readQuery(ctx, d, searchCypher, map[string]any{"q": strings.ToLower(q), "lucene": store.LuceneQuery(q), "limit": int64(500), "words": store.NameWords([]string{q})})
				if err != nil {
					return fingerprint{}, err
				}
				var ids []string
				for _, x := range get(recs[0], "hits").([]any) {
					ids = append(ids, x.(map[string]any)["id"].(string))
				}
				return fingerprint{Total: int(get(recs[0], "total").(int64)), IDs: sorted(ids)}, nil
			},
			ngql: `query($q: String!) { anyNodesConnection(first: 20, sort: [{name: ASC}, {id: ASC}], where: {searchKey: {contains: $q}}) {
  totalCount edges { node { id name } } } }`,
			ngqlFP: func(d map[string]any) fingerprint {
				c := path(d, "anyNodesConnection")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: sorted(idsAt(list(path(c, "edges")), "node", "id"))}
			},
			ngqlNote: "a CONTAINS filter on Phakhi's lower-cased searchKey (text index), by name: no ranking, no full-text words, no 500-candidate bound, so its totalCount and page differ",
		},
		{
			name:   "neighborhood",
			what:   "the depth-2 neighborhood of an actor, cap 200 nodes, with the relationships among them",
			phakhi: `query($id: ID!) { neighborhood(id: $id, depth: 2, cap: 200) { nodeCount edgeCount truncated nodes { id label name } edges { type role from { id } to { id } } } }`,
			vars:   func(p param) map[string]any { return map[string]any{"id": p["id"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				g := path(d, "neighborhood")
				return fingerprint{Total: num(path(g, "edgeCount")), IDs: sorted(idsAt(list(path(g, "nodes")), "id"))}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, neighborhoodCypher(false), map[string]any{"id": p["id"], "cap": int64(200), "capPlus": int64(201)})
				if err != nil || len(recs) == 0 {
					return fingerprint{}, err
				}
				var ids []string
				for _, x := range get(recs[0], "nodes").([]any) {
					ids = append(ids, x.(map[string]any)["id"].(string))
				}
				return fingerprint{Total: len(get(recs[0], "edges").([]any)), IDs: sorted(ids)}, nil
			},
			ngqlNote: "cannot: no traversal over any relationship type with de-duplication and a node cap (only fixed nested fields, or hand-written @cypher)",
		},
		{
			name:   "paths",
			what:   "a shortest path (k=1, maxLength 4, every type but AUTHORED/MENTIONS) between two actors",
			phakhi: `query($a: ID!, $b: ID!) { paths(from: $a, to: $b, k: 1, maxLength: 4) { length nodes { id name } edges { type role } } }`,
			vars:   func(p param) map[string]any { return map[string]any{"a": p["a"], "b": p["b"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				ps := list(path(d, "paths"))
				if len(ps) == 0 {
					return fingerprint{Total: -1}
				}
				return fingerprint{Total: num(path(ps[0], "length"))}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, `MATCH (a:Node {id: $a}), (b:Node {id: $b})
MATCH p = SHORTEST 1 (a)-[:`+linkTypes+`]-{1,4}(b)
RETURN length(p) AS length, [n IN nodes(p) | n{.id, .name}] AS nodes, [r IN relationships(p) | {type: type(r), role: r.role}] AS edges`, map[string]any{"a": p["a"], "b": p["b"]})
				if err != nil {
					return fingerprint{}, err
				}
				if len(recs) == 0 {
					return fingerprint{Total: -1}, nil
				}
				return fingerprint{Total: int(get(recs[0], "length").(int64))}, nil
			},
			ngqlNote: "cannot: no path queries (only hand-written @cypher)",
		},
		{
			name:   "timeline",
			what:   "the events an agency takes part in, in date order, first 20, totalCount",
			phakhi: `query($id: ID!) { timeline(actor: $id, first: 20) { totalCount edges { node { id name kind start { iso precision } } } } }`,
			vars:   func(p param) map[string]any { return map[string]any{"id": p["id"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				c := path(d, "timeline")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, `MATCH (a:Node {id: $id})
CALL (a) { MATCH (a)-[:PARTICIPATES_IN|ORGANIZES]-(e:Event) WITH DISTINCT e ORDER BY e.startDate IS NULL, e.startDate, e.id RETURN collect(e) AS es }
RETURN size(es) AS total, [x IN es[0..20] | x{.id, .name, .kind, .startDate, .startPrecision}] AS page`, map[string]any{"id": p["id"]})
				if err != nil {
					return fingerprint{}, err
				}
				return pageFP(recs)
			},
			ngql: `query($id: ID!) { agencies(where: {id: {eq: $id}}) { participatesInConnection(first: 20, sort: [{node: {startDate: ASC}}, {node: {id: ASC}}]) {
  totalCount edges { node { id name kind startDate startPrecision } } } } }`,
			ngqlFP: func(d map[string]any) fingerprint {
				a := list(path(d, "agencies"))
				if len(a) == 0 {
					return fingerprint{}
				}
				c := path(a[0], "participatesInConnection")
				return fingerprint{Total: num(path(c, "totalCount")), IDs: idsAt(list(path(c, "edges")), "node", "id")}
			},
			ngqlNote: "PARTICIPATES_IN only (the agencies chosen organize nothing, so the answers match)",
		},
		{
			name:   "centrality",
			what:   "networkMetrics around an actor, depth 2 (cap 1000 nodes): top 10 by betweenness",
			phakhi: `query($id: ID!) { networkMetrics(around: $id, depth: 2, first: 10) { nodeCount edgeCount exact nodes { node { id name } degree betweenness closeness } } }`,
			vars:   func(p param) map[string]any { return map[string]any{"id": p["id"]} },
			phakhiFP: func(d map[string]any) fingerprint {
				m := path(d, "networkMetrics")
				return fingerprint{Total: num(path(m, "nodeCount"))*1000000 + num(path(m, "edgeCount")), IDs: idsAt(list(path(m, "nodes")), "node", "id")}
			},
			cypher: func(ctx context.Context, d neo4j.DriverWithContext, p param) (fingerprint, error) {
				recs, err := readQuery(ctx, d, neighborhoodCypher(true), map[string]any{"id": p["id"], "cap": int64(1000), "capPlus": int64(1001)})
				if err != nil || len(recs) == 0 {
					return fingerprint{}, err
				}
				nodes := get(recs[0], "nodes").([]any)
				index := make(map[string]int, len(nodes))
				ids := make([]string, len(nodes))
				for i, x := range nodes {
					ids[i] = x.(map[string]any)["id"].(string)
					index[ids[i]] = i
				}
				var edges []metrics.Edge
				for _, x := range get(recs[0], "edges").([]any) {
					pr := x.([]any)
					a, okA := index[pr[0].(string)]
					b, okB := index[pr[1].(string)]
					if okA && okB {
						edges = append(edges, metrics.Edge{A: a, B: b})
					}
				}
				res := metrics.Compute(len(ids), edges, metrics.Options{Samples: min(256, max(len(ids), 1))})
				rank := make([]int, len(ids))
				for i := range rank {
					rank[i] = i
				}
				sort.SliceStable(rank, func(x, y int) bool {
					a, b := rank[x], rank[y]
					if res.Betweenness[a] != res.Betweenness[b] {
						return res.Betweenness[a] > res.Betweenness[b]
					}
					return ids[a] < ids[b]
				})
				var top []string
				for _, i := range rank[:min(10, len(rank))] {
					top = append(top, ids[i])
				}
				return fingerprint{Total: len(ids)*1000000 + res.EdgeCount, IDs: top}, nil
			},
			ngqlNote: "cannot: no graph algorithms (and no neighborhood, see above)",
		},
	}
}

func pageFP(recs []*neo4j.Record) (fingerprint, error) {
	if len(recs) == 0 {
		return fingerprint{}, nil
	}
	var ids []string
	for _, x := range get(recs[0], "page").([]any) {
		ids = append(ids, x.(map[string]any)["id"].(string))
	}
	return fingerprint{Total: int(get(recs[0], "total").(int64)), IDs: ids}, nil
}

// searchCypher is Phakhi's search ranking (store/search.go: the tiers,
// whole words of a name by nameWords, the share of the matched name, the
// Thai name order by nameKey), hand-written with only the fields the
// operation shows.
const searchCypher = `
CALL () {
  MATCH (n:Node) WHERE n.searchKey CONTAINS $q
  WITH n, [x IN [n.name, n.nameEn] + coalesce(n.aliases, []) WHERE x IS NOT NULL | toLower(x)] AS names
  WITH n, names, reduce(best = 0.0, x IN [y IN names WHERE y CONTAINS $q] | CASE WHEN 1.0 * size($q) / size(x) > best THEN 1.0 * size($q) / size(x) ELSE best END) AS share
  RETURN n, CASE WHEN $q IN names THEN 200.0
                 WHEN $words <> '' AND coalesce(n.nameWords, '') CONTAINS $words THEN 100.0 + 40.0 * share
                 WHEN any(x IN names WHERE x STARTS WITH $q) THEN 60.0
                 WHEN share > 0 THEN 30.0 + 20.0 * share
                 ELSE 26.0 END AS tier, 0.0 AS ft
  LIMIT $limit
  UNION
  CALL db.index.fulltext.queryNodes('node_search', $lucene, {limit: $limit}) YIELD node AS n, score
  RETURN n, 0.0 AS tier, score AS ft
}
WITH n, max(tier) AS tier, max(ft) AS ft
WITH collect({n: n, tier: tier, ft: ft}) AS rows, max(ft) AS top
UNWIND rows AS row
WITH row.n AS n, row.tier + CASE WHEN top > 0 THEN 25.0 * row.ft / top ELSE 0.0 END AS score
ORDER BY score DESC, n.nameKey, n.id
WITH collect({n: n, score: score}) AS found
RETURN size(found) AS total, [h IN found[0..20] | {id: h.n.id, name: h.n.name, labels: labels(h.n), score: h.score,
  field: CASE WHEN toLower(h.n.name) CONTAINS $q THEN 'name'
              WHEN toLower(coalesce(h.n.nameEn, '')) CONTAINS $q THEN 'nameEn'
              WHEN any(a IN coalesce(h.n.aliases, []) WHERE toLower(a) CONTAINS $q) THEN 'alias'
              WHEN toLower(coalesce(h.n.description, '')) CONTAINS $q THEN 'description'
              WHEN toLower(coalesce(h.n.descriptionEn, '')) CONTAINS $q THEN 'descriptionEn'
              ELSE 'words' END}] AS hits`

// neighborhoodCypher is the level-by-level expansion of Phakhi's
// neighborhood (nearest first, by name, at most $cap nodes), returning only
// what the operation shows; pairs returns [from, to] id pairs for metrics.
func neighborhoodCypher(pairs bool) string {
	edges := `CALL (keep) { UNWIND keep AS a MATCH (a)-[r]->(b) WHERE b IN keep WITH DISTINCT r, a, b ORDER BY r.id RETURN collect({type: type(r), role: r.role, from: a.id, to: b.id}) AS edges }`
	if pairs {
		edges = `CALL (keep) { UNWIND keep AS a MATCH (a)-[r]->(b) WHERE b IN keep RETURN collect([a.id, b.id]) AS edges }`
	}
	return `MATCH (s:Node {id: $id}) WITH s, [s] AS seen, [s] AS frontier
CALL (seen, frontier) { UNWIND frontier AS x MATCH (x)-[]-(y) WHERE NOT y IN seen WITH DISTINCT y ORDER BY y.name, y.id LIMIT $capPlus WITH collect(y) AS ys RETURN ys[0..($capPlus - size(seen))] AS next }
WITH seen + next AS seen, next AS frontier
CALL (seen, frontier) { UNWIND frontier AS x MATCH (x)-[]-(y) WHERE NOT y IN seen WITH DISTINCT y ORDER BY y.name, y.id LIMIT $capPlus WITH collect(y) AS ys RETURN ys[0..($capPlus - size(seen))] AS next }
WITH seen + next AS seen
WITH size(seen) > $cap AS truncated, seen[0..$cap] AS keep
CALL (keep) { UNWIND keep AS n RETURN collect(n{.id, .name, labels: labels(n)}) AS nodes }
` + edges + `
RETURN truncated, nodes, edges`
}
