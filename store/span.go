package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/domain"
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
//
// A box open to the far corners is slow to answer: the index covers it
// with coarse cells, and every node on the diagonal near its corner is
// read. Most spans are short (a day, a month, a year), so a node whose span
// is at most longSpanDays lies in a small box around the range: x no
// earlier than longSpanDays before it, y no later than longSpanDays after
// it. The few longer spans (programs running for years) also carry the
// same point as longSpan, with indexes of their own, and are looked up
// with the open box. Both are derived in nodeProps, so every write keeps
// them true.
const (
	spanMin      = -100000
	spanMax      = 100000
	longSpanDays = 400  // above a year at any precision (366 days)
	cartesian    = 7203 // the SRID of 2-D cartesian points
)

func clampDay(d int) float64 { return float64(max(spanMin, min(spanMax, d))) }

func spanPoint(first, last int) neo4j.Point2D {
	return neo4j.Point2D{X: clampDay(first), Y: clampDay(last), SpatialRefId: cartesian}
}

// spanOf is the span of a node dated start to end, if it has a valid start.
func spanOf(start, end *domain.PartialDate) (neo4j.Point2D, bool) {
	if start == nil {
		return neo4j.Point2D{}, false
	}
	first, last, err := domain.DayRange("start", start.Date)
	if err != nil {
		return neo4j.Point2D{}, false
	}
	if end != nil {
		if _, l, err := domain.DayRange("end", end.Date); err == nil {
			last = l
		}
	}
	return spanPoint(first, last), true
}

// isLong tells whether a span also goes into longSpan.
func isLong(p neo4j.Point2D) bool { return p.Y-p.X > longSpanDays }

// putSpan sets span, and longSpan for a long one, on the properties of a
// node dated start to end.
func putSpan(props map[string]any, start, end *domain.PartialDate) {
	if span, ok := spanOf(start, end); ok {
		props["span"] = span
		if isLong(span) {
			props["longSpan"] = span
		}
	}
}

// spanIndexes are the POINT indexes on span and longSpan, one per label
// like the name indexes, with the extent the clamped coordinates live in.
func spanIndexes() []string {
	var out []string
	for _, l := range domain.NodeLabels {
		for _, prop := range []struct{ index, name string }{{"span", "span"}, {"long_span", "longSpan"}} {
			out = append(out, fmt.Sprintf("CREATE POINT INDEX %s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s) "+
				"OPTIONS {indexConfig: {`spatial.cartesian.min`: [%d.0, %d.0], `spatial.cartesian.max`: [%d.0, %d.0]}}",
				strings.ToLower(l), prop.index, l, prop.name, spanMin, spanMin, spanMax, spanMax))
		}
	}
	return out
}

// backfillSpans gives a span (and a longSpan) to every dated node written
// before they existed (a database from an older Phakhi): one read, then
// batched writes.
func (s *Store) backfillSpans(ctx context.Context) (int, error) {
	recs, err := s.read(ctx, "backfillSpans", "MATCH (n:Node) WHERE n.startDate IS NOT NULL AND (n.span IS NULL OR n.longSpan IS NULL AND n.span.y - n.span.x > $long) "+
		"RETURN n.id AS id, n.startDate AS start, n.endDate AS end", map[string]any{"long": longSpanDays})
	if err != nil {
		return 0, fmt.Errorf("find nodes without span: %w", err)
	}
	var rows []map[string]any
	for _, rec := range recs {
		id, err := value[string](rec, "id")
		if err != nil {
			return 0, fmt.Errorf("find nodes without span: %w", err)
		}
		// lenient: a date of another type is no date
		start, _ := rec.Get("start")
		end, _ := rec.Get("end")
		st, _ := start.(string)
		var e *domain.PartialDate
		if es, ok := end.(string); ok {
			e = &domain.PartialDate{Date: es}
		}
		row := map[string]any{"id": id}
		putSpan(row, &domain.PartialDate{Date: st}, e)
		if row["span"] != nil {
			rows = append(rows, row)
		}
	}
	for i := 0; i < len(rows); i += batchSize * 10 {
		batch := rows[i:min(len(rows), i+batchSize*10)]
		if _, err := s.write(ctx, "backfillSpans", func(tx neo4j.ManagedTransaction) (any, error) {
			return run(ctx, tx, "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n.span = row.span, n.longSpan = row.longSpan", map[string]any{"rows": batch})
		}); err != nil {
			return 0, fmt.Errorf("backfill spans: %w", err)
		}
	}
	return len(rows), nil
}
