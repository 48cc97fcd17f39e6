package store

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/phakhi/phakhi/analyze"
)

// TestSnippetBoundaries cuts a snippet of every seed description around
// every word of it: none starts or ends inside a character cluster or a
// word.
func TestSnippetBoundaries(t *testing.T) {
	// the seed's descriptions (the store cannot import seed, which imports it)
	raw, err := os.ReadFile("../seed/graph.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range regexp.MustCompile(`(?m)^\s*description: (".*")$`).FindAllStringSubmatch(string(raw), -1) {
		text, err := strconv.Unquote(m[1])
		if err != nil {
			continue
		}
		id := text[:min(len(text), 30)]
		if utf8.RuneCountInString(text) < 150 {
			continue
		}
		runes := []rune(text)
		starts := analyze.WordStarts(text)
		for _, w := range analyze.Words(strings.ToLower(text)) {
			s := snippet(text, strings.ToLower(w))
			body := strings.TrimSuffix(strings.TrimPrefix(s, "…"), "…")
			first, _ := utf8.DecodeRuneInString(body)
			if unicode.Is(unicode.Mn, first) || strings.ContainsRune("ะาำ", first) {
				t.Fatalf("%s, around %q: %q starts inside a character", id, w, s)
			}
			// where it was cut, a word begins
			at := strings.Index(text, body)
			if at < 0 {
				t.Fatalf("%s: %q is not in the text", id, body)
			}
			from := utf8.RuneCountInString(text[:at])
			to := from + utf8.RuneCountInString(body)
			if strings.HasPrefix(s, "…") && !starts[from] || strings.HasSuffix(s, "…") && to < len(runes) && !starts[to] && !unicode.IsSpace(runes[to]) {
				t.Fatalf("%s, around %q: %q is cut inside a word", id, w, s)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d snippets tried", n)
	}
	t.Run("Ensure the cut of the brief's example falls before ผู้, not inside it", func(t *testing.T) {
		text := "หน่วยงานของมหาวิทยาลัยวลัยลักษณ์ ผู้จัดประชุมวันที่ 11 เมษายน 2550 และผู้ดำเนินงานชุดประสานงานวิจัย องค์กรการเงินและสวัสดิการชุมชน ขอมีส่วนร่วมขับเคลื่อนเหลี่ยมจัดการความรู้"
		for _, q := range []string{"ขอมีส่วนร่วม", "ดำเนินงาน", "ประชุม"} {
			s := snippet(text, q)
			if strings.HasPrefix(s, "…ู") || strings.HasPrefix(s, "…้") || strings.Contains(s, "…ู้") {
				t.Fatalf("%q: %q", q, s)
			}
		}
	})
}
