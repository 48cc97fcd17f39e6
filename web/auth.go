package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/phakhi/phakhi/auth"
)

// withAuth reads the API key of a request (Authorization: Bearer <key>). A
// key the keyring does not know is refused at once with 401; a known key
// puts its principal in the context; no key leaves the request anonymous.
func withAuth(next http.Handler, keys *auth.Keyring) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		key, ok := auth.BearerToken(h)
		p, known := keys.Authenticate(key)
		if !ok || !known {
			w.Header().Set("WWW-Authenticate", `Bearer realm="phakhi"`)
			refuseRequest(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "the API key is not valid: send Authorization: Bearer <key> with a key the server knows", nil)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// wsInit authenticates a websocket connection from its connection_init
// payload: {"Authorization": "Bearer <key>"} (or "authorization").
// With private reads a socket without a key (in the payload or the
// upgrade's header) is refused at its init.
func wsInit(keys *auth.Keyring, private bool) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		h := payload.Authorization()
		if h == "" {
			if v, ok := payload["authorization"].(string); ok {
				h = v
			}
		}
		// The ack carries no payload: echoing the init payload would send
		// the key back (to whatever logs or proxies see the frames).
		if h == "" {
			if private && auth.FromContext(ctx) == nil {
				return ctx, nil, errors.New("reads need an API key on this server: send {\"Authorization\": \"Bearer <key>\"} in connection_init")
			}
			return ctx, nil, nil
		}
		key, _ := auth.BearerToken(h)
		p, ok := keys.Authenticate(key)
		if !ok {
			return ctx, nil, errors.New("the API key is not valid")
		}
		return auth.WithPrincipal(ctx, p), nil, nil
	}
}

// requireReader refuses anonymous reads when reads are not public.
func requireReader(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if auth.FromContext(ctx) != nil || (op.Operation != nil && op.Operation.Operation == ast.Mutation) {
		return next(ctx) // mutations are checked field by field (@hasRole)
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    "reads need an API key on this server: send Authorization: Bearer <key>",
		Extensions: map[string]any{"code": "UNAUTHENTICATED"},
	}}})
}

// readersOnly refuses anonymous requests to a plain HTTP route (the file
// exports) when reads are not public; GraphQL is checked per operation
// (requireReader). It runs inside withAuth, which has placed the key.
func readersOnly(next http.Handler, private bool) http.Handler {
	if !private {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="phakhi"`)
			refuseRequest(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "reads need an API key on this server: send Authorization: Bearer <key>", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireToken guards a handler with one bearer token (the /metrics
// token); an empty token leaves it open. The token is compared by its
// SHA-256, in constant time.
func requireToken(next http.Handler, token string) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := auth.BearerToken(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="phakhi-metrics"`)
			refuseRequest(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "the metrics need a token: send Authorization: Bearer <PHAKHI_METRICS_TOKEN>", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}
