// Package gqlhttp is the small GraphQL-over-HTTP client that the load
// tools (cmd/soak, cmd/loadtest) and the HTTP tests share: a request, the
// answer's errors and their codes, a tally of codes. It is a few lines of
// net/http and encoding/json, not a GraphQL client library: the tools
// need nothing but the errors, and a dependency for that would weigh more
// than these lines.
package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Request is a GraphQL POST of query (and vars, and the operation's name
// when given) to url, as JSON.
func Request(ctx context.Context, url, query string, vars map[string]any, operation string) *http.Request {
	payload := map[string]any{"query": query}
	if vars != nil {
		payload["variables"] = vars
	}
	if operation != "" {
		payload["operationName"] = operation
	}
	body, _ := json.Marshal(payload) // a map of strings and JSON values marshals
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// Error is one GraphQL error of an answer.
type Error struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code ("" when it has none).
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// Answer is what came back: the HTTP status and the answer's errors, or
// Failure when there is no GraphQL answer to read ("TRANSPORT: …" when the
// request failed, "HTTP <status>" when the body is not JSON).
type Answer struct {
	Status  int
	Errors  []Error
	Failure string
}

// Codes are the codes of the answer's errors, or its Failure's first word.
func (a Answer) Codes() []string {
	if a.Failure != "" {
		word, _, _ := strings.Cut(a.Failure, ":")
		return []string{word}
	}
	out := make([]string, len(a.Errors))
	for i, e := range a.Errors {
		out[i] = e.Code()
	}
	return out
}

// Do sends req with client and reads the answer.
func Do(client *http.Client, req *http.Request) Answer {
	resp, err := client.Do(req)
	if err != nil {
		return Answer{Failure: "TRANSPORT: " + err.Error()}
	}
	defer resp.Body.Close()
	var out struct {
		Errors []Error `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return Answer{Status: resp.StatusCode, Failure: fmt.Sprintf("HTTP %d", resp.StatusCode)}
	}
	return Answer{Status: resp.StatusCode, Errors: out.Errors}
}

// Tally is "A 1, B 2": a count per code, by code ("none" when empty).
func Tally(counts map[string]int) string {
	if len(counts) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(out, ", ")
}
