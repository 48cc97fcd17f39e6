package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// Raw is an HTTP response read whole, its body decoded as JSON when it is.
type Raw struct {
	Status int
	Header http.Header
	Body   string
	JSON   map[string]any
}

// Send makes one HTTP request (contentType and header when not empty) and
// reads the answer whole.
func Send(tb testing.TB, method, url, contentType string, body io.Reader, header map[string]string) Raw {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := Raw{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	_ = json.Unmarshal(b, &out.JSON)
	return out
}

// PostJSON posts payload (any JSON: a request, a batch, garbage) to url as
// application/json.
func PostJSON(tb testing.TB, url string, payload any) Raw {
	tb.Helper()
	b, _ := json.Marshal(payload)
	return Send(tb, http.MethodPost, url, "application/json", bytes.NewReader(b), nil)
}

// Get fetches url (with key as a bearer token unless empty) and returns
// the status and the body.
func Get(tb testing.TB, url, key string) (int, string) {
	tb.Helper()
	var h map[string]string
	if key != "" {
		h = map[string]string{"Authorization": "Bearer " + key}
	}
	r := Send(tb, http.MethodGet, url, "", nil, h)
	return r.Status, r.Body
}
