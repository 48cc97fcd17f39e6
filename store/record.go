package store

import (
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Records are read with these helpers: a record of another shape than the
// statement promises (no record, a missing column, a value of another type)
// is an error, never a panic. Decoding a node's or relationship's map
// (decodeNode, recordFromProps) stays lenient on purpose: a property that
// is absent or of another type is left empty.

// readOne is the one record a statement returns (an aggregation, a RETURN
// without MATCH).
func readOne(recs []*neo4j.Record, what string) (*neo4j.Record, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: the statement returned no record", what)
	}
	return recs[0], nil
}

// value is the record's column key as a T; null is T's zero value.
func value[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, _, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, fmt.Errorf("record column %q: %w", key, err)
	}
	return v, nil
}

// as is v as a T; what names v in the error.
func as[T any](v any, what string) (T, error) {
	t, ok := v.(T)
	if !ok {
		return t, fmt.Errorf("%s: expected a %T, found a %T", what, t, v)
	}
	return t, nil
}

// listOf is every item of the list v as a T; null is an empty list.
func listOf[T any](v any, what string) ([]T, error) {
	if v == nil {
		return nil, nil
	}
	items, err := as[[]any](v, what)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(items))
	for i, it := range items {
		if out[i], err = as[T](it, fmt.Sprintf("%s[%d]", what, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// column is the record's column key as a list of T.
func column[T any](rec *neo4j.Record, key string) ([]T, error) {
	v, err := value[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	return listOf[T](v, key)
}

// at is item i of the tuple t (a list a statement builds, such as
// [id, labels]) as a T.
func at[T any](t []any, i int, what string) (T, error) {
	if i >= len(t) {
		var zero T
		return zero, fmt.Errorf("%s: expected at least %d items, found %d", what, i+1, len(t))
	}
	return as[T](t[i], fmt.Sprintf("%s[%d]", what, i))
}

// tuples reads the record's column key, a list of tuples, with read for
// each tuple.
func tuples(rec *neo4j.Record, key string, read func(t []any) error) error {
	list, err := column[[]any](rec, key)
	if err != nil {
		return err
	}
	for _, t := range list {
		if err := read(t); err != nil {
			return fmt.Errorf("record column %q: %w", key, err)
		}
	}
	return nil
}
