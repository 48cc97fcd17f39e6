package domain

import (
	"fmt"
	"io"
	"strconv"
)

// The domain's enums are plain string types. gqlgen binds the schema's
// enums to them (autobind) through these two methods each, so a value is
// spelled once, here, for every layer.

func marshalEnum(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

// unmarshalEnum reads a GraphQL enum value and checks it with valid.
func unmarshalEnum(v any, typeName string, valid func(string) bool) (string, error) {
	s, ok := v.(string)
	if !ok || !valid(s) {
		return "", fmt.Errorf("%v is not a valid %s", v, typeName)
	}
	return s, nil
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (f *NodeOrderField) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, "NodeOrderField", func(s string) bool { return NodeOrderField(s).IsValid() })
	*f = NodeOrderField(s)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (f NodeOrderField) MarshalGQL(w io.Writer) { marshalEnum(w, string(f)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (d *OrderDirection) UnmarshalGQL(v any) error {
	s, err := unmarshalEnum(v, "OrderDirection", func(s string) bool { return OrderDirection(s).IsValid() })
	*d = OrderDirection(s)
	return err
}

// MarshalGQL implements graphql.Marshaler.
func (d OrderDirection) MarshalGQL(w io.Writer) { marshalEnum(w, string(d)) }
