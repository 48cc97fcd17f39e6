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

	"github.com/99designs/gqlgen/graphql/handler"

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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" { // websockets
			next.ServeHTTP(w, r)
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
		if auth.FromContext(r.Context()) != nil && l.MaxKeyedBodyBytes > maxBody {
			maxBody = l.MaxKeyedBodyBytes // a valid API key: imports
		}
		if maxBody > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType != "application/json" {
			next.ServeHTTP(w, r) // gqlgen refuses other types: 4xx
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				refuse(w, r, http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
					fmt.Sprintf("the request body is larger than %d bytes", maxBody),
					map[string]any{"limit": maxBody})
				return
			}
			refuse(w, r, http.StatusBadRequest, CodeBadRequest, "the request body could not be read", nil)
			return
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
		next.ServeHTTP(w, r)
	})
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
type specWriter struct {
	http.ResponseWriter
	strip bool
	buf   bytes.Buffer
}

func (s *specWriter) WriteHeader(code int) {
	mt, _, _ := mime.ParseMediaType(s.Header().Get("Content-Type"))
	switch {
	case code == http.StatusUnprocessableEntity && mt == "application/json":
		code = http.StatusOK
	case code == http.StatusBadRequest && mt == "application/graphql-response+json":
		s.strip = true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *specWriter) Write(b []byte) (int, error) {
	if s.strip {
		return s.buf.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

// finish writes a buffered request error without its "data": null.
func (s *specWriter) finish() {
	if !s.strip {
		return
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(s.buf.Bytes(), &resp); err != nil {
		_, _ = s.ResponseWriter.Write(s.buf.Bytes())
		return
	}
	if string(resp["data"]) == "null" {
		delete(resp, "data")
	}
	b, _ := json.Marshal(resp)
	_, _ = s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *specWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
