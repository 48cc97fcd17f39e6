// Package graph is the GraphQL face of Phakhi: gqlgen's generated executor,
// the resolvers (thin: arguments in, one store call, result out), and the
// planner that turns a selection set into one read plan per root field.
package graph

//go:generate go run github.com/99designs/gqlgen generate --config ../gqlgen.yml

import (
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/phakhi/phakhi/store"
)

// Resolver is the root resolver: the dependencies the resolvers share.
type Resolver struct {
	Store   *store.Store
	Changes *Changes
	// ExportCap is the most nodes an export may hold.
	ExportCap int
	// MaxImportBytes caps the text of importBundle and importCSV
	// (default DefaultMaxImportBytes).
	MaxImportBytes int
}

// SchemaOption changes a setting of the resolvers NewSchema builds.
type SchemaOption func(*Resolver)

// WithMaxImportBytes caps the text of an import (0: the default).
func WithMaxImportBytes(n int) SchemaOption { return func(r *Resolver) { r.MaxImportBytes = n } }

// schemaForPlanning is used by the planner to look up types.
var schemaForPlanning = NewExecutableSchema(Config{Resolvers: &Resolver{}})

// NewSchema builds the executable schema over a store.
func NewSchema(s *store.Store, exportCap int, log *slog.Logger, opts ...SchemaOption) graphql.ExecutableSchema {
	r := &Resolver{Store: s, ExportCap: exportCap, Changes: NewChanges(s, log)}
	for _, o := range opts {
		o(r)
	}
	return NewExecutableSchema(Config{
		Resolvers:  r,
		Directives: DirectiveRoot{HasRole: hasRole},
	})
}
