package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/telemetry"
	"github.com/phakhi/phakhi/web"
)

// otlpReceiver is an OTLP/HTTP trace receiver on 127.0.0.1: it decodes
// what the server's exporter posts to /v1/traces with the OTLP protobuf
// definitions and keeps every span with its resource.
type otlpReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	posts int
	spans []receivedSpan
}

type receivedSpan struct {
	*tracepb.Span
	resource []*commonpb.KeyValue
	scope    string
}

func newOTLPReceiver(tb testing.TB) *otlpReceiver {
	tb.Helper()
	rcv := &otlpReceiver{}
	rcv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
			http.NotFound(w, r)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		var req coltracepb.ExportTraceServiceRequest
		if err == nil {
			err = proto.Unmarshal(b, &req)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rcv.mu.Lock()
		rcv.posts++
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					rcv.spans = append(rcv.spans, receivedSpan{Span: sp, resource: rs.GetResource().GetAttributes(), scope: ss.GetScope().GetName()})
				}
			}
		}
		rcv.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	tb.Cleanup(rcv.Close)
	return rcv
}

// trace returns the spans received of one trace.
func (rcv *otlpReceiver) trace(traceID string) []receivedSpan {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var out []receivedSpan
	for _, sp := range rcv.spans {
		if hex.EncodeToString(sp.TraceId) == traceID {
			out = append(out, sp)
		}
	}
	return out
}

func (rcv *otlpReceiver) received() (posts, spans int) {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	return rcv.posts, len(rcv.spans)
}

func attr(kvs []*commonpb.KeyValue, key string) *commonpb.AnyValue {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

func attrString(kvs []*commonpb.KeyValue, key string) string {
	return attr(kvs, key).GetStringValue()
}

// newTraceparent makes a sampled W3C traceparent, as a front-end sends.
func newTraceparent() (header, traceID, parentID string) {
	var t [16]byte
	var p [8]byte
	_, _ = rand.Read(t[:])
	_, _ = rand.Read(p[:])
	traceID, parentID = hex.EncodeToString(t[:]), hex.EncodeToString(p[:])
	return "00-" + traceID + "-" + parentID + "-01", traceID, parentID
}

// tracedPost posts a GraphQL request with a traceparent and a request id.
func tracedPost(tb testing.TB, base, traceparent, requestID, query string, vars map[string]any) map[string]any {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", traceparent)
	req.Header.Set("X-Request-Id", requestID)
	return doJSON(tb, req)
}

func doJSON(tb testing.TB, req *http.Request) map[string]any {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		tb.Fatalf("decode response (status %d): %v", resp.StatusCode, err)
	}
	return out
}

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines returns the JSON log records whose key has value.
func logLines(log, key, value string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec[key] == value {
			out = append(out, rec)
		}
	}
	return out
}

// tracedServer serves the handler with tracing set up as the program sets
// it up from env (telemetry.ConfigFromEnv), and its JSON log at info
// written to w; stop shuts the server down and flushes the spans still
// batched, as a graceful shutdown does.
func tracedServer(tb testing.TB, env map[string]string, w io.Writer) (ts *httptest.Server, stop, flush func()) {
	tb.Helper()
	base := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	tracing, err := telemetry.Start(context.Background(), telemetry.ConfigFromEnv(func(k string) string { return env[k] }), base)
	if err != nil {
		tb.Fatal(err)
	}
	ts = newServer(tb, web.Config{Logger: tracing.Logger(base), TracerProvider: tracing.TracerProvider()})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ts.Close()
			if err := tracing.Shutdown(context.Background()); err != nil {
				tb.Errorf("shutdown tracing: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	flush = func() {
		if f, ok := tracing.TracerProvider().(interface{ ForceFlush(context.Context) error }); ok {
			_ = f.ForceFlush(context.Background())
		}
	}
	return ts, stop, flush
}

func TestTracing(t *testing.T) {
	rcv := newOTLPReceiver(t)
	var logs syncBuffer
	env := map[string]string{
		// the base URL, as a collector's is given: spans go to /v1/traces
		"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL,
		"OTEL_SERVICE_NAME":           "phakhi-tracing-test",
	}
	testkit.EnsureSeed(t)
	ts, stop, flush := tracedServer(t, env, &logs)

	// Values the request carries that no span may hold: an id and a Thai
	// search text as variables, another id written in the document.
	const nodeID, searchText, literalID = "km-meeting-2007-04-11", "เครดิตยูเนี่ยน", "walailak-university"
	private := []string{nodeID, searchText, literalID, url.QueryEscape(literalID)}

	okParent, okTrace, okParentSpan := newTraceparent()
	resp := tracedPost(t, ts.URL, okParent, "trace-test-ok", `query NodeAndSearch($id: ID!, $q: String!) {
		node(id: $id) { id name }
		search(query: $q, first: 3) { edges { node { id } } }
		other: node(id: "walailak-university") { id }
	}`, map[string]any{"id": nodeID, "q": searchText})
	if resp["errors"] != nil {
		t.Fatalf("errors: %v", resp["errors"])
	}
	trips, _ := testkit.Dig(resp, "extensions", "roundTrips").(float64)
	if trips < 1 {
		t.Fatalf("roundTrips = %v", testkit.Dig(resp, "extensions", "roundTrips"))
	}

	badParent, badTrace, _ := newTraceparent()
	bad := tracedPost(t, ts.URL, badParent, "trace-test-bad",
		`query TooDeep { neighborhood(id: "codi", depth: 9) { truncated } }`, nil)
	if testkit.ErrorCode(bad) != "BAD_USER_INPUT" {
		t.Fatalf("depth 9: %v, want BAD_USER_INPUT", bad)
	}

	parseParent, parseTrace, _ := newTraceparent()
	if r := tracedPost(t, ts.URL, parseParent, "trace-test-parse", `{ node(`, nil); testkit.ErrorCode(r) != "GRAPHQL_PARSE_FAILED" {
		t.Fatalf("a broken document: %v", r)
	}

	// A GET puts the document in the URL: the span keeps only the path.
	getParent, getTrace, _ := newTraceparent()
	get, _ := http.NewRequest(http.MethodGet, ts.URL+"/query?query="+url.QueryEscape(`query ByGet { node(id: "walailak-university") { id } }`), nil)
	get.Header.Set("traceparent", getParent)
	if r := doJSON(t, get); r["errors"] != nil {
		t.Fatalf("GET: %v", r["errors"])
	}

	// A websocket upgrade passes through the HTTP instrumentation.
	func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		conn, _, err := websocket.Dial(ctx, strings.Replace(ts.URL, "http://", "ws://", 1)+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatalf("websocket with tracing on: %v", err)
		}
		defer conn.CloseNow()
		for _, msg := range []string{`{"type":"connection_init"}`, `{"id":"1","type":"subscribe","payload":{"query":"query OverWebsocket { node(id: \"codi\") { id } }"}}`} {
			if err := conn.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				t.Fatal(err)
			}
		}
		for want := []string{"connection_ack", "next"}; len(want) > 0; {
			_, b, err := conn.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var m struct{ Type string }
			_ = json.Unmarshal(b, &m)
			if m.Type == "ping" || m.Type == "ka" {
				continue
			}
			if m.Type != want[0] {
				t.Fatalf("websocket message %s, want %s", b, want[0])
			}
			want = want[1:]
		}
		conn.Close(websocket.StatusNormalClosure, "")
		waitIdle(t, ts) // the websocket's server span ends when its handler does
		// ... just after it: otelhttp wraps the metrics waitIdle reads, and
		// a hijacked connection is not waited for by the server's Close;
		// so flush until the upgrade's span is exported
		for deadline := time.Now().Add(10 * time.Second); !rcv.hasWebsocketUpgrade() && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			flush()
		}
	}()

	stop() // a graceful shutdown flushes the spans still batched

	t.Run("Ensure a request continues the caller's trace in a server span", func(t *testing.T) {
		spans := rcv.trace(okTrace)
		server := findSpans(spans, func(s receivedSpan) bool { return s.Kind == tracepb.Span_SPAN_KIND_SERVER })
		if len(server) != 1 {
			t.Fatalf("%d server spans in the trace, want 1 (%s)", len(server), spanNames(spans))
		}
		s := server[0]
		if hex.EncodeToString(s.ParentSpanId) != okParentSpan {
			t.Fatalf("server span's parent = %x, want the traceparent's %s", s.ParentSpanId, okParentSpan)
		}
		if s.Name != "POST /query" || attrString(s.Attributes, "http.route") != "/query" {
			t.Fatalf("server span %q, route %q; want POST /query", s.Name, attrString(s.Attributes, "http.route"))
		}
		if id := attrString(s.Attributes, "phakhi.request.id"); id != "trace-test-ok" {
			t.Fatalf("server span's request id = %q, want trace-test-ok", id)
		}
		if code := attr(s.Attributes, "http.response.status_code").GetIntValue(); code != 200 {
			t.Fatalf("status code attribute = %d", code)
		}
		if name := attrString(s.resource, "service.name"); name != "phakhi-tracing-test" {
			t.Fatalf("service.name = %q", name)
		}
	})

	t.Run("Ensure the GraphQL operation has a span named by the operation", func(t *testing.T) {
		spans := rcv.trace(okTrace)
		server := findSpans(spans, func(s receivedSpan) bool { return s.Kind == tracepb.Span_SPAN_KIND_SERVER })
		ops := findSpans(spans, func(s receivedSpan) bool { return s.Name == "query NodeAndSearch" })
		if len(ops) != 1 || len(server) != 1 {
			t.Fatalf("spans: %s", spanNames(spans))
		}
		op := ops[0]
		if !bytes.Equal(op.ParentSpanId, server[0].SpanId) {
			t.Fatal("the operation span is not a child of the server span")
		}
		if attrString(op.Attributes, "graphql.operation.name") != "NodeAndSearch" || attrString(op.Attributes, "graphql.operation.type") != "query" {
			t.Fatalf("operation attributes: %v", op.Attributes)
		}
		if attrString(op.Attributes, "phakhi.request.id") != "trace-test-ok" {
			t.Fatalf("operation span's request id: %v", op.Attributes)
		}
		if op.Status.GetCode() == tracepb.Status_STATUS_CODE_ERROR {
			t.Fatal("a successful operation has an error status")
		}
	})

	t.Run("Ensure each Neo4j round trip is one child span, as many as extensions.roundTrips", func(t *testing.T) {
		spans := rcv.trace(okTrace)
		ops := findSpans(spans, func(s receivedSpan) bool { return s.Name == "query NodeAndSearch" })
		db := findSpans(spans, func(s receivedSpan) bool { return attrString(s.Attributes, "db.system.name") == "neo4j" })
		if len(ops) != 1 || len(db) == 0 {
			t.Fatalf("spans: %s", spanNames(spans))
		}
		if len(db) != int(trips) {
			t.Fatalf("%d Neo4j spans, extensions.roundTrips = %v (%s)", len(db), trips, spanNames(spans))
		}
		var methods []string
		for _, s := range db {
			if !bytes.Equal(s.ParentSpanId, ops[0].SpanId) {
				t.Errorf("Neo4j span %q is not a child of the operation span", s.Name)
			}
			if s.Kind != tracepb.Span_SPAN_KIND_CLIENT || attrString(s.Attributes, "db.system") != "neo4j" ||
				attrString(s.Attributes, "db.namespace") != "neo4j" || attrString(s.Attributes, "db.operation.name") != s.Name {
				t.Errorf("Neo4j span %q: kind %v, attributes %v", s.Name, s.Kind, s.Attributes)
			}
			if attr(s.Attributes, "db.query.text") != nil {
				t.Errorf("Neo4j span %q carries the Cypher text", s.Name)
			}
			methods = append(methods, s.Name)
		}
		slices.Sort(methods)
		if want := []string{"FindNodeByID", "FindNodeByID", "Search"}; !slices.Equal(methods, want) {
			t.Fatalf("Neo4j spans %v, want %v (the store methods)", methods, want)
		}
	})

	t.Run("Ensure no span holds a value the client sent", func(t *testing.T) {
		for _, tr := range []string{okTrace, badTrace, parseTrace, getTrace} {
			spans := rcv.trace(tr)
			if len(spans) == 0 {
				t.Fatalf("no spans of trace %s", tr)
			}
			for _, s := range spans {
				var all []*commonpb.KeyValue
				all = append(all, s.Attributes...)
				all = append(all, s.resource...)
				for _, e := range s.Events {
					all = append(all, e.Attributes...)
				}
				text := s.Name + " " + s.Status.GetMessage()
				for _, kv := range all {
					text += " " + kv.Key + "=" + kv.Value.String()
				}
				for _, p := range private {
					if strings.Contains(text, p) {
						t.Errorf("span %q holds %q: %s", s.Name, p, text)
					}
				}
			}
		}
		get := findSpans(rcv.trace(getTrace), func(s receivedSpan) bool { return s.Kind == tracepb.Span_SPAN_KIND_SERVER })
		if len(get) != 1 || get[0].Name != "GET /query" || attrString(get[0].Attributes, "url.path") != "/query" {
			t.Fatalf("GET server span: %v", get)
		}
	})

	t.Run("Ensure a failed operation records its error code", func(t *testing.T) {
		spans := rcv.trace(badTrace)
		ops := findSpans(spans, func(s receivedSpan) bool { return s.Name == "query TooDeep" })
		if len(ops) != 1 {
			t.Fatalf("spans: %s", spanNames(spans))
		}
		op := ops[0]
		if op.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR || attrString(op.Attributes, "error.type") != "BAD_USER_INPUT" {
			t.Fatalf("status %v, attributes %v", op.Status, op.Attributes)
		}
		var codes []string
		for _, e := range op.Events {
			if e.Name == "graphql.error" {
				codes = append(codes, attrString(e.Attributes, "graphql.error.code")+" at "+attrString(e.Attributes, "graphql.error.path"))
			}
		}
		if !slices.Equal(codes, []string{"BAD_USER_INPUT at neighborhood"}) {
			t.Fatalf("error events: %v", codes)
		}

		// Refused before it ran: a span all the same, with the code.
		spans = rcv.trace(parseTrace)
		ops = findSpans(spans, func(s receivedSpan) bool { return s.Name == "GraphQL Operation" })
		if len(ops) != 1 || attrString(ops[0].Attributes, "error.type") != "GRAPHQL_PARSE_FAILED" ||
			attrString(ops[0].Attributes, "phakhi.request.id") != "trace-test-parse" {
			t.Fatalf("spans of a broken document: %s; %v", spanNames(spans), ops)
		}
	})

	t.Run("Ensure an operation over a websocket has its span under the upgrade's", func(t *testing.T) {
		rcv.mu.Lock()
		var ops []receivedSpan
		for _, s := range rcv.spans {
			if s.Name == "query OverWebsocket" {
				ops = append(ops, s)
			}
		}
		rcv.mu.Unlock()
		if len(ops) != 1 {
			t.Fatalf("%d spans of the operation sent over the websocket, want 1", len(ops))
		}
		op := ops[0]
		spans := rcv.trace(hex.EncodeToString(op.TraceId))
		server := findSpans(spans, func(s receivedSpan) bool { return s.Kind == tracepb.Span_SPAN_KIND_SERVER })
		if len(server) != 1 || server[0].Name != "GET /query" || !bytes.Equal(op.ParentSpanId, server[0].SpanId) {
			t.Fatalf("websocket trace: %s", spanNames(spans))
		}
	})

	t.Run("Ensure the log lines of a traced request carry its trace id", func(t *testing.T) {
		lines := logLines(logs.String(), "requestId", "trace-test-ok")
		if len(lines) == 0 {
			t.Fatalf("no log line with the request id:\n%s", logs.String())
		}
		for _, l := range lines {
			if l["traceId"] != okTrace || l["spanId"] == "" {
				t.Fatalf("log line %v: traceId want %s", l, okTrace)
			}
		}
	})
}

// TestTracingOff: a server whose tracing is off exports nothing (the
// configuration's side is the root package's TestTracingConfig).
func TestTracingOff(t *testing.T) {
	t.Run("Ensure a server with OTEL_SDK_DISABLED exports nothing and logs no trace ids", func(t *testing.T) {
		rcv := newOTLPReceiver(t)
		var logs syncBuffer
		env := map[string]string{
			"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL,
			"OTEL_SDK_DISABLED":           "true",
		}
		testkit.EnsureSeed(t)
		ts, stop, _ := tracedServer(t, env, &logs)
		header, _, _ := newTraceparent()
		resp := tracedPost(t, ts.URL, header, "trace-test-off", `{ node(id: "codi") { id } }`, nil)
		if resp["errors"] != nil {
			t.Fatalf("errors: %v", resp["errors"])
		}
		stop()
		if posts, spans := rcv.received(); posts != 0 || spans != 0 {
			t.Fatalf("the receiver got %d posts, %d spans", posts, spans)
		}
		lines := logLines(logs.String(), "requestId", "trace-test-off")
		if len(lines) == 0 {
			t.Fatal("no log line of the request")
		}
		for _, l := range lines {
			if _, ok := l["traceId"]; ok {
				t.Fatalf("a trace id in the log with tracing off: %v", l)
			}
		}
	})
}

// waitIdle waits until the server serves no request but the /metrics one
// that asks.
// hasWebsocketUpgrade reports whether the server span of the websocket's
// upgrade, the parent of its operation's span, has come in.
func (r *otlpReceiver) hasWebsocketUpgrade() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, op := range r.spans {
		if op.Name != "query OverWebsocket" {
			continue
		}
		for _, s := range r.spans {
			if s.Kind == tracepb.Span_SPAN_KIND_SERVER && s.Name == "GET /query" && bytes.Equal(op.ParentSpanId, s.SpanId) {
				return true
			}
		}
	}
	return false
}

func waitIdle(tb testing.TB, ts *httptest.Server) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(ts.URL + "/metrics")
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "\nphakhi_http_requests_in_flight 1\n") {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("requests still in flight after 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func findSpans(spans []receivedSpan, keep func(receivedSpan) bool) []receivedSpan {
	var out []receivedSpan
	for _, s := range spans {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

func spanNames(spans []receivedSpan) string {
	var names []string
	for _, s := range spans {
		names = append(names, fmt.Sprintf("%s(%s)", s.Name, s.scope))
	}
	return strings.Join(names, ", ")
}

// BenchmarkTracing measures a typical read (a node with its participants
// and relationships: one round trip) with tracing off and on, exporting to
// an in-process OTLP receiver. Run it with
// go test -run '^$' -bench Tracing -benchtime 4000x -benchmem ./web/
func BenchmarkTracing(b *testing.B) {
	const query = `query Detail { node(id: "km-meeting-2007-04-11") { id name
		... on Event { start { iso } participants(first: 20) { totalCount edges { node { id name } relationship { role } } } }
		relationships(first: 10) { edges { other { id name } } } } }`
	rcv := newOTLPReceiver(b)
	testkit.EnsureSeed(b)
	on, _, _ := tracedServer(b, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL}, io.Discard)
	servers := map[string]*httptest.Server{"off": newServer(b, web.Config{}), "on": on}
	body, _ := json.Marshal(map[string]any{"query": query})
	post := func(tb testing.TB, ts *httptest.Server) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			tb.Fatalf("status %d", resp.StatusCode)
		}
	}
	for range 500 { // warm both up (Neo4j's query cache, connections) before timing
		post(b, servers["off"])
		post(b, servers["on"])
	}
	for _, mode := range []string{"off", "on", "off", "on"} { // interleaved: the machine is shared
		ts := servers[mode]
		b.Run(mode, func(b *testing.B) {
			for b.Loop() {
				post(b, ts)
			}
		})
	}
	if _, spans := rcv.received(); spans == 0 {
		b.Log("the receiver got no spans yet (they are batched every 5 s)")
	}
}
