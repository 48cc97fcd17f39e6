package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/graph/model"
)

// A dated node also carries its span: a 2-D cartesian point whose x is the
// first day of its start and whose y is the last day of its end (or of its
// start when it has no end), in days since 1970-01-01. A node overlaps the
// range [from, to] exactly when x <= last day of to and y >= first day of
// from: a bounding box that a POINT index answers directly, where the
// partial-date strings could only bound the start from one side and read
// every earlier event.
//
// The coordinates are clamped to [spanMin, spanMax] (the years 1696 to
// 2243), the extent the indexes are built for. Clamping keeps the order, so
// the box still finds every node that overlaps; the exact partial-date test
// then runs on those few (see compiler.dateRange).
const (
	spanMin   = -100000
	spanMax   = 100000
	cartesian = 7203 // the SRID of 2-D cartesian points
)

func clampDay(d int) float64 { return float64(max(spanMin, min(spanMax, d))) }

func spanPoint(first, last int) neo4j.Point2D {
	return neo4j.Point2D{X: clampDay(first), Y: clampDay(last), SpatialRefId: cartesian}
}

// spanOf is the span of a node dated start to end, if it has a valid start.
func spanOf(start, end *model.PartialDate) (neo4j.Point2D, bool) {
	if start == nil {
		return neo4j.Point2D{}, false
	}
	first, last, err := model.DayRange("start", start.Date)
	if err != nil {
		return neo4j.Point2D{}, false
	}
	if end != nil {
		if _, l, err := model.DayRange("end", end.Date); err == nil {
			last = l
		}
	}
	return spanPoint(first, last), true
}

// spanIndexes are the POINT indexes on span, one per label like the name
// indexes, with the extent the clamped coordinates live in.
func spanIndexes() []string {
	var out []string
	for _, l := range model.NodeLabels {
		out = append(out, fmt.Sprintf("CREATE POINT INDEX %s_span IF NOT EXISTS FOR (n:%s) ON (n.span) "+
			"OPTIONS {indexConfig: {`spatial.cartesian.min`: [%d.0, %d.0], `spatial.cartesian.max`: [%d.0, %d.0]}}",
			strings.ToLower(l), l, spanMin, spanMin, spanMax, spanMax))
	}
	return out
}

// backfillSpans gives a span to every dated node written before spans
// existed (a database from an older Phakhi): one read, then batched writes.
func (s *Store) backfillSpans(ctx context.Context) (int, error) {
	recs, err := s.read(ctx, "MATCH (n:Node) WHERE n.startDate IS NOT NULL AND n.span IS NULL RETURN n.id AS id, n.startDate AS start, n.endDate AS end", nil)
	if err != nil {
		return 0, fmt.Errorf("find nodes without span: %w", err)
	}
	var rows []map[string]any
	for _, rec := range recs {
		id, _ := rec.Get("id")
		start, _ := rec.Get("start")
		end, _ := rec.Get("end")
		st, _ := start.(string)
		var e *model.PartialDate
		if es, ok := end.(string); ok {
			e = &model.PartialDate{Date: es}
		}
		if p, ok := spanOf(&model.PartialDate{Date: st}, e); ok {
			rows = append(rows, map[string]any{"id": id, "span": p})
		}
	}
	for i := 0; i < len(rows); i += batchSize * 10 {
		batch := rows[i:min(len(rows), i+batchSize*10)]
		if _, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return run(ctx, tx, "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n.span = row.span", map[string]any{"rows": batch})
		}); err != nil {
			return 0, fmt.Errorf("backfill spans: %w", err)
		}
	}
	return len(rows), nil
}
