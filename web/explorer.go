package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// explorerFS holds the graph explorer page: plain HTML, CSS and ES modules
// over the public GraphQL API, with Cytoscape.js and the Sarabun Thai
// webfont vendored under explorer/vendor (see explorer/vendor.sh).
//
//go:embed explorer
var explorerFS embed.FS

// explorerTypes are the content types of the files the explorer serves;
// files of other kinds (the vendoring script) are not served.
var explorerTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".woff2": "font/woff2",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	"":       "text/plain; charset=utf-8", // LICENSE files, VERSIONS
}

// mountExplorer mounts the explorer at /explore and its assets under
// /explore/ on mux.
func mountExplorer(mux *http.ServeMux) {
	h := htmlPage(ExplorerHandler(), explorerCSP) // headers.go
	mux.Handle("GET /explore", h)
	mux.Handle("GET /explore/", h)
}

// ExplorerHandler serves the graph explorer: /explore (and /explore/) is
// the page, /explore/NAME its embedded assets. Every response carries a
// strong ETag, so browsers revalidate cheaply.
func ExplorerHandler() http.Handler {
	sub, err := fs.Sub(explorerFS, "explorer")
	if err != nil {
		panic(err)
	}
	type asset struct {
		body  []byte
		ctype string
		etag  string
	}
	assets := map[string]asset{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := explorerTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		assets[p] = asset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/explore")
		name = strings.TrimPrefix(name, "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		w.Header().Set("ETag", a.etag)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if strings.HasPrefix(name, "vendor/") {
			w.Header().Set("Cache-Control", "public, max-age=86400")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	})
}
