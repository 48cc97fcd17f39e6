package web

import (
	"context"
	"regexp"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeIntrospectionDisabled is the extensions.code of a query for
// __schema or __type on a server run with -introspection=false.
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

func init() { errcode.RegisterErrorType(CodeIntrospectionDisabled, errcode.KindProtocol) }

// noIntrospection refuses, once validated, an operation that selects
// __schema or __type (anywhere, through fragments too) with one clean
// request error; without it gqlgen's resolvers fail with an uncoded
// "introspection disabled", reported as an internal error. __typename is
// data, and stays.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name == "__schema" || s.Name == "__type" || walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if !seen[s.Name] && s.Definition != nil {
					seen[s.Name] = true
					if walk(s.Definition.SelectionSet) {
						return true
					}
				}
			}
		}
		return false
	}
	if !walk(oc.Operation.SelectionSet) {
		return nil
	}
	return &gqlerror.Error{
		Message:    "introspection is turned off on this server",
		Extensions: map[string]any{"code": CodeIntrospectionDisabled},
	}
}

// suggestion is gqlparser's "Did you mean …?" of a validation error: the
// names it offers (fields, arguments, enum values, input fields) tell the
// schema as introspection does. SetDisableSuggestion covers fields only.
var suggestion = regexp.MustCompile(`\s*Did you mean [^?]*\?`)

// withoutSuggestions wraps an error presenter to drop the suggestions.
func withoutSuggestions(present graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		e := present(ctx, err)
		if e != nil {
			e.Message = suggestion.ReplaceAllString(e.Message, "")
		}
		return e
	}
}
