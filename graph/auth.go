package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/phakhi/phakhi/auth"
)

// hasRole is the @hasRole directive: the field runs only for keys with the
// role or a higher one.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role auth.Role) (any, error) {
	if err := auth.Require(ctx, role); err != nil {
		return nil, err
	}
	return next(ctx)
}

func actor(ctx context.Context) string {
	if p := auth.FromContext(ctx); p != nil {
		return p.Name
	}
	return "anonymous"
}
