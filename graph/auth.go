package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/graph/model"
)

var roles = map[model.Role]auth.Role{
	model.RoleReader: auth.RoleReader,
	model.RoleEditor: auth.RoleEditor,
	model.RoleAdmin:  auth.RoleAdmin,
}

// hasRole is the @hasRole directive: the field runs only for keys with the
// role or a higher one.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role model.Role) (any, error) {
	if err := auth.Require(ctx, roles[role]); err != nil {
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
