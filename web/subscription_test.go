package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

func TestGraphChangedSubscription(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, strings.Replace(ts.URL, "http://", "ws://", 1)+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() map[string]any {
		_, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + testkit.ReaderKey}})
	if m := recv(); m["type"] != "connection_ack" {
		t.Fatalf("init: %v", m)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": `subscription { graphChanged(ids: ["live-node"]) { action actor ids changeId } }`}})
	time.Sleep(500 * time.Millisecond) // let the feed start

	t.Run("Ensure a mutation's change reaches an open subscription", func(t *testing.T) {
		_, resp := testkit.Post(t, ts.URL+"/query", testkit.EditorKey, testkit.CreatePerson, map[string]any{"in": testkit.Person("live-node")})
		testkit.MustData(t, resp)
		for {
			m := recv()
			if m["type"] == "ka" || m["type"] == "ping" {
				continue
			}
			if m["type"] != "next" || testkit.Dig(m, "payload", "data", "graphChanged", "action") != "CREATE_NODE" || testkit.Dig(m, "payload", "data", "graphChanged", "actor") != "eddie" {
				t.Fatalf("message = %v", m)
			}
			break
		}
	})
}
