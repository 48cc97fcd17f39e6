package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/internal/testkit"
	"github.com/phakhi/phakhi/web"
)

const importMutation = `mutation($b: String!) { importBundle(bundle: $b, dryRun: true) { ok nodes } }`

// padded is a GraphQL POST body of at least size bytes: the request and
// then JSON whitespace.
func padded(tb testing.TB, query string, vars map[string]any, size int) []byte {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	if n := size - len(b); n > 0 {
		b = append(b[:len(b)-1], append(bytes.Repeat([]byte(" "), n), '}')...)
	}
	return b
}

// bundle is an import bundle of about size bytes: foundations citing the
// seed's source.
func bundle(size int) string {
	var b domain.Bundle
	for i := 0; ; i++ {
		id := fmt.Sprintf("body-test-%d", i)
		b.Nodes = append(b.Nodes, domain.NodeRecord{ID: id, Label: "Agency", Kind: "FOUNDATION", Name: "มูลนิธิ " + id,
			Evidence: []domain.Evidence{{Source: "gotoknow-85545", Quote: "มูลนิธิ"}}})
		if i%200 == 199 && i*150 >= size {
			if out, _ := json.Marshal(b); len(out) >= size {
				return string(out)
			}
		}
	}
}

func vmKB(field string) int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			var kb int
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field+":")), "%d", &kb)
			return kb
		}
	}
	return 0
}

func TestLargeBodies(t *testing.T) {
	testkit.ResetToSeed(t)
	st := testkit.OpenStore(t)
	srv := httptest.NewServer(web.NewHandler(st, web.Config{
		Keys:   testkit.Keyring(t),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/query"
	small := bundle(10 << 10)
	twoMiB := 2 << 20

	for _, c := range []struct{ name, key, query string }{
		{"Ensure a body over 1 MiB without a key is refused", "", `{ node(id: "codi") { id } }`},
		{"Ensure a reader's body over 1 MiB is refused", testkit.ReaderKey, `{ node(id: "codi") { id } }`},
		{"Ensure an editor's body over 1 MiB that is not an import is refused", testkit.EditorKey, `{ node(id: "codi") { id } }`},
		{"Ensure an editor's import beside another mutation over 1 MiB is refused", testkit.EditorKey, `mutation($b: String!) { importBundle(bundle: $b, dryRun: true) { ok } deleteNode(id: "codi") { id } }`},
		{"Ensure a reader's import over 1 MiB is refused before it is read", testkit.ReaderKey, importMutation},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, resp := testkit.PostBody(t, url, c.key, padded(t, c.query, map[string]any{"b": small}, twoMiB))
			if status != http.StatusRequestEntityTooLarge || testkit.ErrorCode(resp) != web.CodeBodyTooLarge {
				t.Fatalf("status %d, %v", status, resp)
			}
		})
	}

	t.Run("Ensure an editor's import over 1 MiB is received", func(t *testing.T) {
		status, resp := testkit.PostBody(t, url, testkit.EditorKey, padded(t, importMutation, map[string]any{"b": small}, twoMiB))
		if status != http.StatusOK || testkit.Dig(resp, "data", "importBundle", "ok") != true {
			t.Fatalf("status %d, %v", status, resp)
		}
	})

	t.Run("Ensure an editor's body over the large limit is refused", func(t *testing.T) {
		status, resp := testkit.PostBody(t, url, testkit.EditorKey, padded(t, importMutation, map[string]any{"b": small}, web.DefaultMaxKeyedBodyBytes+1))
		if status != http.StatusRequestEntityTooLarge || testkit.ErrorCode(resp) != web.CodeBodyTooLarge {
			t.Fatalf("status %d, %v", status, resp)
		}
	})

	t.Run("Ensure 8 maximum imports at once are received a few at a time and memory stays bounded", func(t *testing.T) {
		// 46 MiB bodies (the body limit is 48 MiB): a 1 MiB bundle padded
		// with whitespace, so the import itself is quick and the memory
		// measured is the bodies'
		big := bundle(1 << 20)
		body := padded(t, importMutation, map[string]any{"b": big}, 46<<20)
		before := vmKB("VmRSS")
		var wg sync.WaitGroup
		var mu sync.Mutex
		outcomes := map[string]int{}
		began := time.Now()
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+testkit.EditorKey)
				resp, err := http.DefaultClient.Do(req)
				key := "TRANSPORT"
				if err == nil {
					var out map[string]any
					_ = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					key = fmt.Sprintf("%d %s", resp.StatusCode, testkit.ErrorCode(out))
					if testkit.Dig(out, "data", "importBundle", "ok") == true {
						key = fmt.Sprintf("%d ok", resp.StatusCode)
					}
				}
				mu.Lock()
				outcomes[key]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		t.Logf("8 imports of %d MiB bodies (a %d MiB bundle): %v in %s; RSS %d MiB before, %d MiB after, peak (VmHWM) %d MiB",
			len(body)>>20, len(big)>>20, outcomes, time.Since(began).Round(time.Second), before>>10, vmKB("VmRSS")>>10, vmKB("VmHWM")>>10)
		if outcomes["200 ok"] == 0 {
			t.Fatalf("no import got through: %v", outcomes)
		}
		for k, n := range outcomes {
			if k != "200 ok" && k != "429 BUSY" {
				t.Fatalf("%d answers %q: %v", n, k, outcomes)
			}
		}
	})
}
