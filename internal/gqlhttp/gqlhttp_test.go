package gqlhttp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

func TestDo(t *testing.T) {
	var got map[string]any
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &got)
		switch r.URL.Path {
		case "/text":
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			_, _ = io.WriteString(w, `{"errors": [{"message": "a", "extensions": {"code": "TIMEOUT"}}, {"message": "b"}]}`)
		}
	}))
	defer ts.Close()
	t.Run("Ensure the request carries the query, its variables and the operation", func(t *testing.T) {
		a := Do(ts.Client(), Request(context.Background(), ts.URL, "query Q($x: Int) { a }", map[string]any{"x": 1}, "Q"))
		want := map[string]any{"query": "query Q($x: Int) { a }", "variables": map[string]any{"x": float64(1)}, "operationName": "Q"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("sent %v, want %v", got, want)
		}
		if c := a.Codes(); !reflect.DeepEqual(c, []string{"TIMEOUT", ""}) || a.Status != http.StatusOK {
			t.Errorf("codes %v, status %d", c, a.Status)
		}
	})
	t.Run("Ensure an answer that is not JSON, and no answer, say so", func(t *testing.T) {
		if c := Do(ts.Client(), Request(context.Background(), ts.URL+"/text", "{ a }", nil, "")).Codes(); !reflect.DeepEqual(c, []string{"HTTP 503"}) {
			t.Errorf("codes %v", c)
		}
		if c := Do(ts.Client(), Request(context.Background(), "http://127.0.0.1:1/", "{ a }", nil, "")).Codes(); !reflect.DeepEqual(c, []string{"TRANSPORT"}) {
			t.Errorf("codes %v", c)
		}
	})
	t.Run("Ensure a tally is sorted by code", func(t *testing.T) {
		if s := Tally(map[string]int{"TIMEOUT": 2, "BUSY": 1}); s != "BUSY 1, TIMEOUT 2" {
			t.Errorf("tally %q", s)
		}
		if s := Tally(nil); s != "none" {
			t.Errorf("tally %q", s)
		}
	})
}
