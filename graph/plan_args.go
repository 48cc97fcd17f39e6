package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/graph/model"
)

// fieldArgs are the arguments of a related-nodes field, typed: read by
// gqlgen's own unmarshalers, as the field's resolver receives them.
type fieldArgs struct {
	First     *int
	After     *string
	Role      *string
	Filter    *domain.NodeFilter
	RelFilter *domain.RelationshipFilter
}

// argReaders read each argument the planned fields take, by name and
// type; a field with an argument not listed here is refused (and the
// schema test names it).
var argReaders = map[string]func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) error{
	"first:Int": func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) (err error) {
		a.First, err = ec.unmarshalOInt2ᚖint(ctx, v)
		return err
	},
	"after:String": func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) (err error) {
		a.After, err = ec.unmarshalOString2ᚖstring(ctx, v)
		return err
	},
	"role:String": func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) (err error) {
		a.Role, err = ec.unmarshalOString2ᚖstring(ctx, v)
		return err
	},
	"filter:NodeFilter": func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) (err error) {
		a.Filter, err = ec.unmarshalONodeFilter2ᚖgithubᚗcomᚋphakhiᚋphakhiᚋdomainᚐNodeFilter(ctx, v)
		return err
	},
	"filter:RelationshipFilter": func(ec *executionContext, ctx context.Context, v any, a *fieldArgs) (err error) {
		a.RelFilter, err = ec.unmarshalORelationshipFilter2ᚖgithubᚗcomᚋphakhiᚋphakhiᚋdomainᚐRelationshipFilter(ctx, v)
		return err
	},
}

// argReader is the reader of argument def ("" and false when there is none).
func argReader(def *ast.ArgumentDefinition) (func(*executionContext, context.Context, any, *fieldArgs) error, bool) {
	r, ok := argReaders[def.Name+":"+def.Type.Name()]
	return r, ok
}

// args reads the arguments of related-nodes field f (defaults and
// variables applied).
func (p *planner) args(f graphql.CollectedField, at part) (fieldArgs, error) {
	var a fieldArgs
	values := f.ArgumentMap(p.op.Variables)
	ctx := graphql.WithOperationContext(context.Background(), p.op)
	for _, def := range f.Definition.Arguments {
		v, ok := values[def.Name]
		if !ok {
			continue
		}
		read, known := argReader(def)
		if !known {
			return a, domain.Errorf(domain.EINTERNAL, "the planner reads no argument %s of %s", def.Name, f.Name)
		}
		if err := read(p.ec, ctx, v, &a); err != nil {
			return a, domain.Invalid(at.field+"."+def.Name, "%v", err)
		}
	}
	return a, nil
}

// pageOf reads first (default 20) and after of a connection.
func pageOf(first *int, after *string, path string) (n, offset int, err error) {
	n = 20
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxPageSize {
		return 0, 0, domain.Invalid(path+".first", "is %d; it must be between 0 and %d", n, MaxPageSize)
	}
	if after != nil && *after != "" {
		offset, err = model.DecodeCursor(*after)
		if err != nil {
			return 0, 0, domain.Invalid(path+".after", "%q is not a cursor this API gave out", *after)
		}
	}
	return n, offset, nil
}
