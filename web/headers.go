package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
)

// Security headers. Every response is nosniff and sends no referrer to
// other sites; the HTML pages (GraphiQL at /, the explorer at /explore)
// have a Content-Security-Policy that lets them run scripts only from
// this server (GraphiQL's one inline script by its hash), connect only
// here, and be framed by no one (clickjacking).
const (
	referrerPolicy = "strict-origin-when-cross-origin"
	// cspBase is what both pages share. Styles may be inline: GraphiQL and
	// Cytoscape set them as they draw, and a style cannot run code.
	cspBase = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; " +
		"img-src 'self' data: blob:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self' blob:"
	explorerCSP = cspBase + "; script-src 'self'"
)

// withSecurityHeaders sets the headers every response has.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", referrerPolicy)
		next.ServeHTTP(w, r)
	})
}

// htmlPage sets the headers of an HTML page: its CSP, and no framing for
// browsers that predate frame-ancestors.
func htmlPage(next http.Handler, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// staticGraphiQL renders gqlgen's GraphiQL page once and serves it with a
// CSP that allows its inline script by hash (it is the same bytes every
// time).
func staticGraphiQL(page http.Handler) http.Handler {
	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	body := rec.Body.Bytes()
	var hashes []string
	for _, m := range inlineScript.FindAllSubmatch(body, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	csp := cspBase + "; script-src 'self' " + strings.Join(hashes, " ")
	ctype := rec.Header().Get("Content-Type")
	if ctype == "" {
		ctype = "text/html; charset=utf-8"
	}
	return htmlPage(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	}), csp)
}
