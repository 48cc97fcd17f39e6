package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/export"
	"github.com/phakhi/phakhi/graph/model"
	"github.com/phakhi/phakhi/store"
)

// exportHandler serves GET /export/{format}: the subgraph named by the
// query parameters (labels, types, around, depth, pathFrom, pathTo, k,
// maxLength) as a file with its content type and filename.
func exportHandler(s *store.Store, cap int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("format") == "bundle" {
			// the whole graph, every property and all evidence: what
			// importBundle takes back, within the export cap
			b, err := s.DumpWithin(r.Context(), cap)
			if err != nil {
				writeError(w, err)
				return
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="phakhi-graph.bundle.json"`)
			enc := json.NewEncoder(w)
			enc.SetIndent("", " ")
			_ = enc.Encode(b)
			return
		}
		f, err := export.ParseFormat(r.PathValue("format"))
		if err != nil {
			writeError(w, err)
			return
		}
		q := r.URL.Query()
		list := func(k string) []string {
			var out []string
			for _, v := range q[k] {
				for _, p := range strings.Split(v, ",") {
					if p = strings.TrimSpace(p); p != "" {
						out = append(out, p)
					}
				}
			}
			return out
		}
		sc := model.Scope{Labels: list("labels"), Types: list("types"), Around: q.Get("around"), PathFrom: q.Get("pathFrom"), PathTo: q.Get("pathTo")}
		for _, p := range []struct {
			name string
			dst  *int
		}{{"depth", &sc.Depth}, {"k", &sc.K}, {"maxLength", &sc.MaxLength}} {
			if v := q.Get(p.name); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					writeError(w, model.Invalid(p.name, "%q is not a whole number", v))
					return
				}
				*p.dst = n
			}
		}
		g, err := s.Subgraph(r.Context(), sc, cap)
		if err != nil {
			writeError(w, err)
			return
		}
		b, err := export.Bytes(f, export.FromSubgraph(g))
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="`+export.Filename(sc, f)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
}

// writeError answers a plain-HTTP request with the status and JSON body
// that fit the error.
func writeError(w http.ResponseWriter, err error) {
	var me *model.Error
	if !errors.As(err, &me) {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "internal error"})
		return
	}
	status := map[string]int{
		model.EINVALID: http.StatusBadRequest, model.ENOTFOUND: http.StatusNotFound,
		model.ETOOLARGE: http.StatusRequestEntityTooLarge, model.EUNAVAILABLE: http.StatusServiceUnavailable,
		model.ETIMEOUT: http.StatusGatewayTimeout,
	}[me.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	body := map[string]any{"error": me.Message, "code": me.Code}
	if me.Field != "" {
		body["field"] = me.Field
		body["error"] = me.Field + ": " + me.Message
	}
	writeJSON(w, status, body)
}
