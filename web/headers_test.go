package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

// lockedBuffer is a log sink tests read.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// allCoded fails unless every error of an answer has extensions.code.
func allCoded(tb testing.TB, resp map[string]any) {
	tb.Helper()
	errs, _ := resp["errors"].([]any)
	if len(errs) == 0 {
		tb.Fatalf("no errors in %v", resp)
	}
	for _, e := range errs {
		if c, _ := testkit.Dig(e, "extensions", "code").(string); c == "" {
			tb.Fatalf("an error without extensions.code: %v", e)
		}
	}
}

func TestIntrospectionOff(t *testing.T) {
	st := testkit.OpenStore(t)
	logs := &lockedBuffer{}
	srv := httptest.NewServer(web.NewHandler(st, web.Config{
		DisableIntrospection: true,
		Keys:                 testkit.Keyring(t),
		Logger:               slog.New(slog.NewTextHandler(logs, nil)),
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/query"

	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ __type(name: "Agency") { name } }`,
		`{ ...F } fragment F on Query { __schema { queryType { name } } }`,
	} {
		t.Run("Ensure introspection is a clean error: "+q, func(t *testing.T) {
			_, resp := testkit.Post(t, url, "", q, nil)
			if code := testkit.ErrorCode(resp); code != web.CodeIntrospectionDisabled {
				t.Fatalf("code %q: %v", code, resp)
			}
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Fatalf("logged as an error: %s", logs.String())
			}
		})
	}

	t.Run("Ensure __typename still answers", func(t *testing.T) {
		_, resp := testkit.Post(t, url, "", `{ __typename }`, nil)
		if testkit.Dig(resp, "data", "__typename") != "Query" {
			t.Fatalf("%v", resp)
		}
	})

	for _, q := range []string{
		`{ nod(id: "codi") { id } }`,                                 // a field
		`{ node(idd: "codi") { id } }`,                               // an argument
		`{ neighborhood(id: "codi", direction: BOT) { truncated } }`, // an enum value
		`{ actors(filter: {nameContain: "x"}) { totalCount } }`,      // an input field
		`query($d: Direction) { neighborhood(id: "codi", direction: $d) { truncated } }`,
	} {
		t.Run("Ensure no suggestion: "+q, func(t *testing.T) {
			vars := map[string]any{"d": "BOT"}
			_, resp := testkit.Post(t, url, "", q, vars)
			b, _ := json.Marshal(resp)
			if strings.Contains(string(b), "Did you mean") || strings.Contains(string(b), "did you mean") {
				t.Fatalf("a suggestion: %s", b)
			}
			allCoded(t, resp)
		})
	}
}

func TestPrivateReadsBeforeValidation(t *testing.T) {
	st := testkit.OpenStore(t)
	srv := httptest.NewServer(web.NewHandler(st, web.Config{
		PrivateReads: true,
		Keys:         testkit.Keyring(t),
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(srv.Close)
	t.Run("Ensure an anonymous invalid query is told to bring a key, not what the schema holds", func(t *testing.T) {
		status, resp := testkit.Post(t, srv.URL+"/query", "", `{ nod(id: "codi") { id } }`, nil)
		b, _ := json.Marshal(resp)
		if status != http.StatusUnauthorized || testkit.ErrorCode(resp) != "UNAUTHENTICATED" || strings.Contains(string(b), "nod") {
			t.Fatalf("%d %s", status, b)
		}
	})
}

func TestEveryErrorHasACode(t *testing.T) {
	st := testkit.OpenStore(t)
	srv := httptest.NewServer(web.NewHandler(st, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	for _, c := range []struct{ name, method, ctype, body string }{
		{"a POST of text/plain (transport not supported)", http.MethodPost, "text/plain", `{"query":"{ __typename }"}`},
		{"a PUT", http.MethodPut, "application/json", `{"query":"{ __typename }"}`},
		{"a POST of form data", http.MethodPost, "application/x-www-form-urlencoded", `query=x`},
		{"a GET with bad variables", http.MethodGet, "", ""},
	} {
		t.Run("Ensure an error has extensions.code: "+c.name, func(t *testing.T) {
			u := srv.URL + "/query"
			if c.method == http.MethodGet {
				u += "?query=%7B__typename%7D&variables=%7Bnot-json"
			}
			req, _ := http.NewRequest(c.method, u, strings.NewReader(c.body))
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				t.Fatalf("status %d, not JSON: %v", resp.StatusCode, err)
			}
			if resp.StatusCode < 400 {
				t.Fatalf("status %d: %v", resp.StatusCode, out)
			}
			allCoded(t, out)
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	st := testkit.OpenStore(t)
	srv := httptest.NewServer(web.NewHandler(st, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/", "/explore", "/explore/"} {
		t.Run("Ensure the HTML page "+path+" has a CSP, nosniff, no framing and a referrer policy", func(t *testing.T) {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			if resp.StatusCode != 200 || !strings.Contains(h.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s", resp.StatusCode, h.Get("Content-Type"))
			}
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Fatalf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "'unsafe-eval'") || strings.Contains(strings.SplitN(csp, "script-src", 2)[1], "'unsafe-inline'") {
				t.Fatalf("CSP %q lets scripts run inline or from eval", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
				t.Fatalf("headers %v", h)
			}
			// every inline script of the page is allowed by its hash
			for _, m := range regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllSubmatch(body, -1) {
				sum := sha256.Sum256(m[1])
				if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
					t.Fatalf("an inline script the CSP does not allow: %.80s", m[1])
				}
			}
		})
	}
	t.Run("Ensure API answers are nosniff too", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%v", resp.Header)
		}
	})
}
