package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/phakhi/phakhi/domain"
)

// Codes maps model error codes to GraphQL extensions.code.
var Codes = map[string]string{
	domain.EINVALID:         "BAD_USER_INPUT",
	domain.ENOTFOUND:        "NOT_FOUND",
	domain.EUNAVAILABLE:     "UNAVAILABLE",
	domain.ETIMEOUT:         "TIMEOUT",
	domain.ECONFLICT:        "CONFLICT",
	domain.ETOOLARGE:        "BAD_USER_INPUT",
	domain.EUNAUTHENTICATED: "UNAUTHENTICATED",
	domain.EFORBIDDEN:       "FORBIDDEN",
	domain.ESTALE:           "STALE_VERSION",
	domain.EMEMORY:          "MEMORY_LIMIT",
	domain.EBUSY:            "BUSY",
	domain.EINTERNAL:        "INTERNAL_SERVER_ERROR",
}

type requestIDKey struct{}

// WithRequestID puts the request id where the error presenter finds it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id WithRequestID stored, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// ErrorPresenter decides what a client sees of an error: a message for
// people and extensions.code; never a stack trace or a driver's message.
// Unknown errors become "internal error", with the detail in the log.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		if gerr.Extensions == nil {
			gerr.Extensions = map[string]any{}
		}
		if id := RequestID(ctx); id != "" {
			gerr.Extensions["requestId"] = id
		}
		var me *domain.Error
		switch {
		case errors.As(err, &me):
			gerr.Extensions["code"] = Codes[me.Code]
			if me.Field != "" {
				gerr.Extensions["field"] = me.Field
			}
			for k, v := range me.Extra {
				gerr.Extensions[k] = v
			}
			gerr.Message = me.Message
			if me.Field != "" {
				gerr.Message = me.Field + ": " + me.Message
			}
			if me.Code == domain.EUNAVAILABLE || me.Code == domain.EINTERNAL || me.Code == domain.EMEMORY {
				logger.WarnContext(ctx, "request failed", "code", me.Code, "err", err, "requestId", RequestID(ctx))
			}
		case errors.Is(err, context.DeadlineExceeded):
			gerr.Message = "the request ran past its time limit"
			gerr.Extensions["code"] = "TIMEOUT"
		case errors.Is(err, context.Canceled):
			gerr.Message = "the request was cancelled"
			gerr.Extensions["code"] = "CANCELLED"
		default:
			if _, ok := gerr.Extensions["code"]; ok {
				return gerr // gqlgen's own: parse and validation errors
			}
			var ge *gqlerror.Error
			if errors.As(err, &ge) && ge.Rule != "" {
				return gerr
			}
			logger.ErrorContext(ctx, "internal error", "err", err, "requestId", RequestID(ctx), "path", gerr.Path.String())
			gerr.Message = "internal error"
			gerr.Extensions["code"] = "INTERNAL_SERVER_ERROR"
		}
		return gerr
	}
}

// Recover turns a panic in a resolver into an internal error, logged.
func Recover(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", p, "requestId", RequestID(ctx))
		return domain.Errorf(domain.EINTERNAL, "internal error")
	}
}

func asModelError(err error, target **domain.Error) bool { return errors.As(err, target) }
