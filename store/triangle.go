package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
)

// DefaultLinkTypes are the relationship types that link actors for
// bridges, paths and metrics when none are asked for: every type but
// AUTHORED and MENTIONS, which tie things to the documents about them
// rather than to each other.
func DefaultLinkTypes() []string {
	var out []string
	for _, t := range domain.RelTypes {
		if t != domain.RelAuthored && t != domain.RelMentions {
			out = append(out, t)
		}
	}
	return out
}

// Triangle returns each strategy side with the actors that advance it,
// directly or through the programs they run, lead or fund, in one round
// trip.
func (s *Store) Triangle(ctx context.Context, side, actor, program *domain.Selection, status []domain.AssertionStatus) ([]*domain.TriangleSide, error) {
	c := newCompiler()
	// A status filter keeps the relationships walked (ADVANCES, RUNS…)
	// and the actors and programs reached.
	adv, runs, viaAdv, viaRuns := "", "", "", ""
	if len(status) > 0 {
		adv = " WHERE " + c.statusCond("r1", status) + " AND " + c.statusCond("a", status)
		runs = " WHERE " + c.statusCond("r2", status) + " AND " + c.statusCond("r3", status) + " AND " + c.statusCond("a", status) + " AND " + c.statusCond("p0", status)
		viaAdv = " WHERE " + c.statusCond("r1", status)
		viaRuns = " WHERE " + c.statusCond("r2", status) + " AND " + c.statusCond("r3", status) + " AND " + c.statusCond("p", status)
	}
	// Each side walks back to its advancers: testing every actor for the
	// two patterns ran past the time limit at a million nodes.
	cypher := fmt.Sprintf(`MATCH (s:StrategySide)
CALL (s) {
  CALL (s) {
    MATCH (s)<-[r1:ADVANCES]-(a:Actor)%[4]s RETURN a
    UNION
    MATCH (s)<-[r3:ADVANCES]-(p0:Program)<-[r2:RUNS|LEADS|FUNDS]-(a:Actor)%[5]s RETURN a
  }
  WITH a ORDER BY a.nameKey, a.id
  RETURN collect({actor: %[1]s, direct: EXISTS { MATCH (a)-[r1:ADVANCES]->(s)%[6]s },
    via: COLLECT { MATCH (a)-[r2:RUNS|LEADS|FUNDS]->(p:Program)-[r3:ADVANCES]->(s)%[7]s WITH DISTINCT p ORDER BY p.nameKey, p.id RETURN %[2]s }}) AS advancers
}
WITH s, advancers ORDER BY s.id
RETURN %[3]s AS side, advancers`, c.node("a", actor), c.node("p", program), c.node("s", side), adv, runs, viaAdv, viaRuns)
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Triangle", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("triangle: %w", err)
	}
	var out []*domain.TriangleSide
	for _, rec := range recs {
		ts, err := readTriangleSide(rec, side, actor, program)
		if err != nil {
			return nil, fmt.Errorf("triangle: %w", err)
		}
		out = append(out, ts)
	}
	return out, nil
}

// decodeAs decodes the node map v (named what in errors) as a T: a
// *domain.StrategySide, a domain.Actor…
func decodeAs[T any](v any, sel *domain.Selection, what string) (T, error) {
	m, err := as[map[string]any](v, what)
	if err != nil {
		var zero T
		return zero, err
	}
	return as[T](decodeNode(m, sel), what)
}

// readTriangleSide reads one record of Triangle: a side and the actors
// that advance it, each with the programs it does so through.
func readTriangleSide(rec *neo4j.Record, side, actor, program *domain.Selection) (*domain.TriangleSide, error) {
	rs, err := value[map[string]any](rec, "side")
	if err != nil {
		return nil, err
	}
	s, err := decodeAs[*domain.StrategySide](rs, side, "side")
	if err != nil {
		return nil, err
	}
	ts := &domain.TriangleSide{Side: s}
	advancers, err := column[map[string]any](rec, "advancers")
	if err != nil {
		return nil, err
	}
	for i, m := range advancers {
		what := fmt.Sprintf("advancers[%d]", i)
		a, err := decodeAs[domain.Actor](m["actor"], actor, what+".actor")
		if err != nil {
			return nil, err
		}
		adv := &domain.Advancer{Actor: a, Direct: m["direct"] == true}
		via, err := listOf[any](m["via"], what+".via")
		if err != nil {
			return nil, err
		}
		for j, p := range via {
			prog, err := decodeAs[*domain.Program](p, program, fmt.Sprintf("%s.via[%d]", what, j))
			if err != nil {
				return nil, err
			}
			adv.Via = append(adv.Via, prog)
		}
		ts.Advancers = append(ts.Advancers, adv)
	}
	return ts, nil
}

// Bridges ranks actors by how many sides of the triangle they reach within
// q.MaxHops (the last hop an ADVANCES; no path runs through another side or
// a source), then by the total distance, in one round trip. Each side
// searches back to the actors near it, one breadth-first search per side;
// a search from every actor ran past the time limit at a million nodes.
func (s *Store) Bridges(ctx context.Context, q domain.BridgeQuery) ([]*domain.Bridge, error) {
	c := newCompiler()
	types := q.Types
	if len(types) == 0 {
		types = DefaultLinkTypes()
	}
	// MaxHops is a validated integer: quantifiers want a literal, and one
	// of {0,0} is refused, so one hop is the ADVANCES alone.
	// A status filter keeps the relationships walked and the nodes
	// reached (the ADVANCES, its actor, every hop and node beyond).
	advW, zW, aW, hop := "", "", "", ""
	if len(q.Status) > 0 {
		advW = " WHERE " + c.statusCond("adv", q.Status)
		zW = " WHERE " + c.statusCond("z", q.Status)
		aW = " AND " + c.statusCond("a", q.Status)
		hop = " AND " + c.statusCond("r", q.Status) + " AND " + c.statusCond("y", q.Status)
	}
	reach := "MATCH (s)<-[adv:ADVANCES]-(a:Actor)" + advW + aW + " RETURN a, 1 AS d"
	if q.MaxHops > 1 {
		reach = fmt.Sprintf("MATCH p = ANY SHORTEST (s)<-[adv:ADVANCES%s]-(z%s) ((x)-[r%s]-(y) WHERE NOT y:StrategySide AND NOT y:Source%s){0,%d} (a:Actor)\n  RETURN a, length(p) AS d",
			advW, zW, c.typeExpr(types), hop, q.MaxHops-1)
	}
	cypher := fmt.Sprintf(`MATCH (s:StrategySide)
CALL (s) {
  %s
}
WITH a, s.id AS side, %s AS sideNode, d ORDER BY side
WITH a, collect(sideNode) AS sides, collect(d) AS ds
WHERE size(sides) >= %s
WITH a, sides, ds, reduce(t = 0, x IN ds | t + x) AS total
ORDER BY size(sides) DESC, total ASC, a.nameKey, a.id
LIMIT %s
RETURN %s AS actor, sides, ds`, reach, c.node("s", q.SideSelect), c.param(int64(q.MinSides)), c.param(int64(q.First)), c.node("a", q.Select))
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Bridges", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("bridges: %w", err)
	}
	var out []*domain.Bridge
	for _, rec := range recs {
		b, err := readBridge(rec, q)
		if err != nil {
			return nil, fmt.Errorf("bridges: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// readBridge reads one record of Bridges: an actor, the sides it reaches
// and the distance to each.
func readBridge(rec *neo4j.Record, q domain.BridgeQuery) (*domain.Bridge, error) {
	ra, err := value[map[string]any](rec, "actor")
	if err != nil {
		return nil, err
	}
	a, err := decodeAs[domain.Actor](ra, q.Select, "actor")
	if err != nil {
		return nil, err
	}
	sides, err := column[map[string]any](rec, "sides")
	if err != nil {
		return nil, err
	}
	ds, err := column[int64](rec, "ds")
	if err != nil {
		return nil, err
	}
	if len(ds) != len(sides) {
		return nil, fmt.Errorf("%d sides and %d distances", len(sides), len(ds))
	}
	b := &domain.Bridge{Actor: a}
	for i, sn := range sides {
		side, _ := decodeNode(sn, q.SideSelect).(*domain.StrategySide)
		b.Sides = append(b.Sides, &domain.SideReach{Side: side, Distance: int(ds[i])})
	}
	return b, nil
}
