package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

func TestPrivateReads(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t), PrivateReads: true})
	t.Run("Ensure an anonymous GraphQL read is UNAUTHENTICATED and a reader's key reads", func(t *testing.T) {
		if _, resp := testkit.Post(t, ts.URL+"/query", "", `{ node(id: "codi") { id } }`, nil); testkit.ErrorCode(resp) != "UNAUTHENTICATED" || resp["data"] != nil {
			t.Fatalf("anonymous read: %v", resp)
		}
		_, resp := testkit.Post(t, ts.URL+"/query", testkit.ReaderKey, `{ node(id: "codi") { id } }`, nil)
		if testkit.Dig(testkit.MustData(t, resp), "node", "id") != "codi" {
			t.Fatalf("reader: %v", resp)
		}
	})
	t.Run("Ensure the file exports need a key too", func(t *testing.T) {
		status, body := testkit.Get(t, ts.URL+"/export/csv?around=codi&depth=1", "")
		if status != http.StatusUnauthorized || !strings.Contains(string(body), "UNAUTHENTICATED") {
			t.Fatalf("anonymous export: %d %s", status, body)
		}
		if status, body := testkit.Get(t, ts.URL+"/export/csv?around=codi&depth=1", "phk_wrong"); status != http.StatusUnauthorized {
			t.Fatalf("export with an unknown key: %d %s", status, body)
		}
		status, body = testkit.Get(t, ts.URL+"/export/graphml?around=codi&depth=1", testkit.ReaderKey)
		if status != http.StatusOK || !strings.Contains(string(body), "สถาบันพัฒนาองค์กรชุมชน") {
			t.Fatalf("reader's export: %d %.200s", status, body)
		}
	})
	t.Run("Ensure health, GraphiQL and the explorer page stay open", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/", "/explore"} {
			if status, _ := testkit.Get(t, ts.URL+p, ""); status != http.StatusOK {
				t.Fatalf("%s: %d", p, status)
			}
		}
	})
}

// TestUnknownKey: a key the keyring does not know is refused before any
// GraphQL runs, with 401 and UNAUTHENTICATED, and writes nothing.
func TestUnknownKey(t *testing.T) {
	testkit.EnsureSeed(t)
	ts := newServer(t, web.Config{Keys: testkit.Keyring(t)})
	t.Run("Ensure a write with a key the server does not know is refused with 401 UNAUTHENTICATED", func(t *testing.T) {
		vars := map[string]any{"in": testkit.Person("unknown-key-test")}
		if status, resp := testkit.Post(t, ts.URL+"/query", "phk_wrong", testkit.CreatePerson, vars); status != 401 || testkit.ErrorCode(resp) != "UNAUTHENTICATED" {
			t.Fatalf("wrong key: %d %v", status, resp)
		}
		if resp := testkit.Query(t, ts.URL+"/query", `{ node(id: "unknown-key-test") { id } }`, nil); testkit.ErrorCode(resp) != "NOT_FOUND" {
			t.Fatalf("the refused write created a node: %v", resp)
		}
	})
}
