package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/phakhi/phakhi/auth"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/store"
)

// hardenGraphQL adds the query limits, the metrics and the suggestion
// switch to the gqlgen server (called by NewGraphQLServer).
func hardenGraphQL(srv *handler.Server, s *store.Store, cfg Config) {
	l := cfg.Limits.withDefaults()
	// "Did you mean …?" in validation errors tells the schema as much as
	// introspection does: both follow -introspection.
	srv.SetDisableSuggestion(cfg.DisableIntrospection)
	if l.MaxTokens > 0 {
		// A backstop: QueryLimits refuses first, with a clearer error.
		srv.SetParserTokenLimit(l.MaxTokens + 1)
	}
	srv.Use(NewQueryLimits(l))
	if cfg.Metrics != nil {
		cfg.Metrics.watch(s)
		srv.Use(graphqlMetrics{m: cfg.Metrics})
	}
}

// guardGraphQL stands before the GraphQL transports: it bounds the body of
// a POST, refuses batched operations (a JSON array) and bodies that are not
// JSON, with a GraphQL error that echoes nothing of the body.
func guardGraphQL(next http.Handler, cfg Config) http.Handler {
	l := cfg.Limits.withDefaults()
	refuse := func(w http.ResponseWriter, r *http.Request, status int, code, message string, ext map[string]any) {
		if cfg.Metrics != nil {
			cfg.Metrics.errors.WithLabelValues(code).Inc()
		}
		refuseRequest(w, r, status, code, message, ext)
	}
	// the turns of large bodies (imports): their memory is the process's
	large := &turns{sem: make(chan struct{}, max(1, l.LargeBodies))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" { // websockets
			next.ServeHTTP(w, r)
			return
		}
		if cfg.PrivateReads && auth.FromContext(r.Context()) == nil && r.Method != http.MethodOptions {
			// before parsing and validation, whose errors tell the schema
			// (anonymous mutations would be refused field by field anyway)
			w.Header().Set("WWW-Authenticate", `Bearer realm="phakhi"`)
			refuse(w, r, http.StatusUnauthorized, "UNAUTHENTICATED", "reads need an API key on this server: send Authorization: Bearer <key>", nil)
			return
		}
		if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			r = r.WithContext(context.WithValue(r.Context(), oneShotKey{}, true))
		}
		sw := &specWriter{ResponseWriter: w}
		defer sw.finish()
		w = sw
		if r.Method == http.MethodGet {
			q := r.URL.Query()
			if q.Get("query") == "" && q.Get("extensions") == "" {
				refuse(w, r, http.StatusBadRequest, CodeBadRequest, "the request has no query: pass ?query=…", nil)
				return
			}
		}
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		maxBody := l.MaxBodyBytes
		p := auth.FromContext(r.Context())
		editor := p != nil && p.Role >= auth.RoleEditor
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType != "application/json" {
			if maxBody > 0 {
				r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			}
			next.ServeHTTP(w, r) // gqlgen refuses other types: 4xx
			return
		}
		tooLarge := func(limit int64, why string) {
			refuse(w, r, http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
				fmt.Sprintf("the request body is larger than %d bytes%s", limit, why),
				map[string]any{"limit": limit})
		}
		// A small body is read whole; a larger one only for an editor's
		// import, after taking one of the few turns for large bodies, and
		// streamed against the larger limit.
		head, err := readUpTo(r.Body, maxBody)
		if err != nil {
			refuse(w, r, http.StatusBadRequest, CodeBadRequest, "the request body could not be read", nil)
			return
		}
		body := head
		if maxBody > 0 && int64(len(head)) > maxBody {
			if !editor || l.MaxKeyedBodyBytes <= maxBody {
				tooLarge(maxBody, ": only the imports (importBundle, importCSV) may send more, with an editor's API key")
				return
			}
			release, ok := large.acquire(r.Context())
			if !ok {
				w.Header().Set("Retry-After", "1")
				refuse(w, r, http.StatusTooManyRequests, CodeBusy,
					fmt.Sprintf("busy: %d large imports are being received; retry in a moment", l.LargeBodies),
					map[string]any{"limit": l.LargeBodies, "retryAfterSeconds": 1})
				return
			}
			defer release() // held while the import runs: its body is in memory until then
			body, err = readRest(head, r.Body, r.ContentLength, l.MaxKeyedBodyBytes)
			if err != nil {
				refuse(w, r, http.StatusBadRequest, CodeBadRequest, "the request body could not be read", nil)
				return
			}
			if int64(len(body)) > l.MaxKeyedBodyBytes {
				tooLarge(l.MaxKeyedBodyBytes, "")
				return
			}
			if !importsOnly(body) {
				tooLarge(maxBody, ": only the imports (importBundle, importCSV) may send more")
				return
			}
		}
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if len(trimmed) > 0 && trimmed[0] == '[' {
			refuse(w, r, http.StatusBadRequest, CodeBatching,
				"batched operations (a JSON array) are not supported: send one operation per request", nil)
			return
		}
		if msg := checkParams(body); msg != "" {
			refuse(w, r, http.StatusBadRequest, CodeBadRequest, msg, nil)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if editor && cfg.ImportTimeout > cfg.RequestTimeout && importsOnly(body) {
			ctx, cancel := importDeadline(r.Context(), cfg.ImportTimeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// importDeadline gives an import request its longer deadline: a context
// with the request's values, ended by its own timeout or when the client
// goes away, but not by the request's shorter deadline (which a context
// cannot extend, hence the detachment).
func importDeadline(parent context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), timeout)
	stop := context.AfterFunc(parent, func() {
		if !errors.Is(parent.Err(), context.DeadlineExceeded) {
			cancel() // the client went away
		}
	})
	return ctx, func() { stop(); cancel() }
}

// readUpTo reads r up to limit+1 bytes (all of it when limit <= 0).
func readUpTo(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		return io.ReadAll(r)
	}
	return io.ReadAll(io.LimitReader(r, limit+1))
}

// readRest reads the rest of a large body after head, up to limit+1 bytes
// in all, into one buffer sized by the Content-Length when it is within
// the limit (no doubling copies).
func readRest(head []byte, r io.Reader, contentLength, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if contentLength > 0 && contentLength <= limit {
		buf.Grow(int(contentLength) + 1)
	}
	buf.Write(head)
	_, err := io.Copy(&buf, io.LimitReader(r, limit+1-int64(len(head))))
	return buf.Bytes(), err
}

// importsOnly says whether a body's operation is a mutation of imports
// alone (importBundle, importCSV): the only requests that may be large.
func importsOnly(body []byte) bool {
	var p struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if json.Unmarshal(body, &p) != nil {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: p.Query})
	if err != nil {
		return false
	}
	var op *ast.OperationDefinition
	for _, o := range doc.Operations {
		if p.OperationName == "" || o.Name == p.OperationName {
			if op != nil {
				return false
			}
			op = o
		}
	}
	if op == nil || op.Operation != ast.Mutation || len(op.SelectionSet) == 0 {
		return false
	}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || (f.Name != "importBundle" && f.Name != "importCSV") {
			return false
		}
	}
	return true
}

// turns bounds something done by a few at once (large bodies).
type turns struct{ sem chan struct{} }

// acquire waits for a turn (at most 10 s and within ctx).
func (t *turns) acquire(ctx context.Context) (func(), bool) {
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case t.sem <- struct{}{}:
		return func() { <-t.sem }, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}

// checkParams checks the shape of a POST body: a JSON object with a string
// query (or a persisted query's hash), an object of variables and of
// extensions. It says what is wrong, or "".
func checkParams(body []byte) string {
	var p struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		if !json.Valid(body) {
			return "the request body is not valid JSON"
		}
		return "the request body must be a JSON object: {\"query\": \"…\", \"variables\": {…}}"
	}
	kind := func(raw json.RawMessage) byte {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			return 0
		}
		return raw[0]
	}
	switch {
	case kind(p.Query) != 0 && kind(p.Query) != '"':
		return "query must be a string"
	case kind(p.OperationName) != 0 && kind(p.OperationName) != '"':
		return "operationName must be a string"
	case kind(p.Variables) != 0 && kind(p.Variables) != '{':
		return "variables must be an object"
	case kind(p.Extensions) != 0 && kind(p.Extensions) != '{':
		return "extensions must be an object"
	case (kind(p.Query) == 0 || string(p.Query) == `""`) && kind(p.Extensions) == 0:
		return "the request has no query"
	}
	return ""
}

// refuseRequest answers a request the transports never saw, as a GraphQL
// response with one error.
func refuseRequest(w http.ResponseWriter, r *http.Request, status int, code, message string, ext map[string]any) {
	e := map[string]any{"code": code}
	for k, v := range ext {
		e[k] = v
	}
	if id := graph.RequestID(r.Context()); id != "" {
		e["requestId"] = id
	}
	ct := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		ct = "application/graphql-response+json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": e}},
	})
}

// specWriter brings gqlgen's status codes in line with the
// GraphQL-over-HTTP spec: a request error (parse, validation, a refused
// limit) is 200 for application/json (gqlgen says 422) and, for
// application/graphql-response+json, 400 without a data entry.
//
// It also holds back every error response (4xx, 5xx) to give each of its
// errors an extensions.code: gqlgen's transports answer some refusals
// ("transport not supported", a body they cannot decode) without one.
type specWriter struct {
	http.ResponseWriter
	strip  bool // drop "data": null
	hold   bool // buffer the body, to finish it
	status int
	buf    bytes.Buffer
}

func (s *specWriter) WriteHeader(code int) {
	mt, _, _ := mime.ParseMediaType(s.Header().Get("Content-Type"))
	switch {
	case code == http.StatusUnprocessableEntity && mt == "application/json":
		code = http.StatusOK
	case code == http.StatusBadRequest && mt == "application/graphql-response+json":
		s.strip = true
	}
	s.status = code
	s.hold = s.strip || code >= 400
	if s.hold {
		s.Header().Del("Content-Length")
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *specWriter) Write(b []byte) (int, error) {
	if s.hold {
		return s.buf.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

// codeForStatus is the extensions.code an uncoded error of an HTTP status
// gets.
func codeForStatus(status int) string {
	switch {
	case status == http.StatusRequestEntityTooLarge:
		return CodeBodyTooLarge
	case status == http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case status == http.StatusForbidden:
		return "FORBIDDEN"
	case status >= 500:
		return "INTERNAL_SERVER_ERROR"
	}
	return CodeBadRequest
}

// finish writes a held error response: every error with a code, and
// without "data": null when stripping.
func (s *specWriter) finish() {
	if !s.hold {
		return
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(s.buf.Bytes(), &resp); err != nil {
		_, _ = s.ResponseWriter.Write(s.buf.Bytes())
		return
	}
	if s.strip && string(resp["data"]) == "null" {
		delete(resp, "data")
	}
	var errs []map[string]any
	if raw, ok := resp["errors"]; ok && json.Unmarshal(raw, &errs) == nil {
		for _, e := range errs {
			ext, _ := e["extensions"].(map[string]any)
			if ext == nil {
				ext = map[string]any{}
				e["extensions"] = ext
			}
			if _, ok := ext["code"]; !ok {
				ext["code"] = codeForStatus(s.status)
			}
		}
		resp["errors"], _ = json.Marshal(errs)
	}
	b, _ := json.Marshal(resp)
	_, _ = s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *specWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
