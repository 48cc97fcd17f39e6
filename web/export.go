package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/export"
	"github.com/phakhi/phakhi/graph"
	"github.com/phakhi/phakhi/store"
)

// exportHandler serves GET /export/{format}: the subgraph named by the
// query parameters (labels, types, around, depth, pathFrom, pathTo, k,
// maxLength) as a file with its content type and filename.
func exportHandler(s *store.Store, cap int, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("format") == "bundle" {
			// the whole graph, every property and all evidence: what
			// importBundle takes back, within the export cap
			b, err := s.DumpWithin(r.Context(), cap)
			if err != nil {
				writeError(w, r, logger, err)
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
			writeError(w, r, logger, err)
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
		sc := domain.Scope{Labels: list("labels"), Types: list("types"), Around: q.Get("around"), PathFrom: q.Get("pathFrom"), PathTo: q.Get("pathTo")}
		for _, st := range list("status") { // checked by Subgraph (Scope.Validate)
			sc.Status = append(sc.Status, domain.AssertionStatus(st))
		}
		for _, p := range []struct {
			name string
			dst  *int
		}{{"depth", &sc.Depth}, {"k", &sc.K}, {"maxLength", &sc.MaxLength}} {
			if v := q.Get(p.name); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					writeError(w, r, logger, domain.Invalid(p.name, "%q is not a whole number", v))
					return
				}
				*p.dst = n
			}
		}
		g, err := s.Subgraph(r.Context(), sc, cap)
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		b, err := export.Bytes(f, export.FromSubgraph(g))
		if err != nil {
			writeError(w, r, logger, err)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="`+export.Filename(sc, f)+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
}

// writeError answers a plain-HTTP request with the status that fits the
// error and the body a GraphQL error has: the message, extensions.code as
// GraphQL names it, the field and the request id. An unexpected error is
// logged and told as "internal error".
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	var me *domain.Error
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// the client went away: nothing failed on our side
		refuseRequest(w, r, 499, "CANCELLED", "the request was cancelled", nil)
		return
	}
	if !errors.As(err, &me) {
		logger.ErrorContext(r.Context(), "export failed", "err", err, "requestId", graph.RequestID(r.Context()))
		refuseRequest(w, r, http.StatusInternalServerError, graph.Codes[domain.EINTERNAL], "internal error", nil)
		return
	}
	status := map[string]int{
		domain.EINVALID: http.StatusBadRequest, domain.ENOTFOUND: http.StatusNotFound,
		domain.ETOOLARGE: http.StatusRequestEntityTooLarge, domain.EUNAVAILABLE: http.StatusServiceUnavailable,
		domain.ETIMEOUT: http.StatusGatewayTimeout, domain.EMEMORY: http.StatusServiceUnavailable,
	}[me.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	msg, ext := me.Message, map[string]any{}
	if me.Field != "" {
		msg, ext["field"] = me.Field+": "+me.Message, me.Field
	}
	refuseRequest(w, r, status, graph.Codes[me.Code], msg, ext)
}
