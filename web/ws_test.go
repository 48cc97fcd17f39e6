package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func wsDial(tb testing.TB, ctx context.Context, url string) (*websocket.Conn, *http.Response, error) {
	tb.Helper()
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
}

func wsSend(tb testing.TB, ctx context.Context, c *websocket.Conn, m any) {
	tb.Helper()
	b, _ := json.Marshal(m)
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		tb.Fatalf("write: %v", err)
	}
}

// wsNext reads the next message that is not a keep-alive ping or pong.
func wsNext(tb testing.TB, ctx context.Context, c *websocket.Conn) wsMsg {
	tb.Helper()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			tb.Fatalf("read: %v", err)
		}
		var m wsMsg
		if err := json.Unmarshal(b, &m); err != nil {
			tb.Fatalf("decode %q: %v", b, err)
		}
		if m.Type != "ping" && m.Type != "pong" && m.Type != "ka" {
			return m
		}
	}
}

func TestWebsocket(t *testing.T) {
	testkit.ResetToSeed(t)
	st := testkit.OpenStore(t)
	// a socket that never sends connection_init is closed after
	// initTimeout (the default is 10 s; the others send theirs at once)
	const initTimeout = 3 * time.Second
	srv := httptest.NewServer(web.NewHandler(st, web.Config{
		Keys:                 testkit.Keyring(t),
		Logger:               slog.New(slog.NewTextHandler(io.Discard, nil)),
		WebsocketInitTimeout: initTimeout,
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("Ensure connection_ack echoes nothing of the init payload and a query is answered", func(t *testing.T) {
		c, _, err := wsDial(t, ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		wsSend(t, ctx, c, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + testkit.ReaderKey}})
		ack := wsNext(t, ctx, c)
		if ack.Type != "connection_ack" {
			t.Fatalf("got %+v", ack)
		}
		if len(ack.Payload) > 0 && string(ack.Payload) != "null" && string(ack.Payload) != "{}" {
			t.Fatalf("the ack echoes %s", ack.Payload)
		}
		if strings.Contains(string(ack.Payload), testkit.ReaderKey) {
			t.Fatal("the ack echoes the key")
		}
		wsSend(t, ctx, c, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `{ node(id: "codi") { id } }`}})
		m := wsNext(t, ctx, c)
		if m.Type != "next" || !strings.Contains(string(m.Payload), `"codi"`) {
			t.Fatalf("got %+v %s", m, m.Payload)
		}
	})

	t.Run("Ensure a websocket that never sends connection_init is closed", func(t *testing.T) {
		c, _, err := wsDial(t, ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		began := time.Now()
		rctx, rcancel := context.WithTimeout(ctx, initTimeout+20*time.Second)
		defer rcancel()
		var readErr error
		for readErr == nil {
			_, _, readErr = c.Read(rctx)
		}
		if rctx.Err() != nil {
			t.Fatalf("still open after %s", time.Since(began))
		}
		if took := time.Since(began); took < initTimeout-time.Second {
			t.Fatalf("closed after %s, before its %s to send connection_init", took, initTimeout)
		}
		if websocket.CloseStatus(readErr) != 4400 && websocket.CloseStatus(readErr) != websocket.StatusProtocolError {
			t.Logf("closed with %v", readErr)
		}
	})

	t.Run("Ensure a client holds at most 8 websockets while another client opens one", func(t *testing.T) {
		var open []*websocket.Conn
		defer func() {
			for _, c := range open {
				c.CloseNow()
			}
		}()
		for i := range 8 {
			c, _, err := wsDial(t, ctx, srv.URL)
			if err != nil {
				t.Fatalf("websocket %d: %v", i+1, err)
			}
			open = append(open, c)
			wsSend(t, ctx, c, map[string]any{"type": "connection_init"})
			if m := wsNext(t, ctx, c); m.Type != "connection_ack" {
				t.Fatalf("websocket %d: %+v", i+1, m)
			}
		}
		_, resp, err := wsDial(t, ctx, srv.URL)
		if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("a 9th websocket of one address: err %v, resp %v", err, resp)
		}
		// a key is another client
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/query", &websocket.DialOptions{
			Subprotocols: []string{"graphql-transport-ws"},
			HTTPHeader:   http.Header{"Authorization": {"Bearer " + testkit.ReaderKey}},
		})
		if err != nil {
			t.Fatalf("another client: %v", err)
		}
		c.CloseNow()
	})
}
