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

// TestSnippetOfALongText cuts snippets of a long text (the seed's
// descriptions joined, about 30,000 characters) around words all along
// it: each is the snippet the whole text's segmentation gives, though only
// a window around the match is segmented.
func TestSnippetOfALongText(t *testing.T) {
	raw, err := os.ReadFile("../seed/graph.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, m := range regexp.MustCompile(`(?m)^\s*description: (".*")$`).FindAllStringSubmatch(string(raw), -1) {
		if text, err := strconv.Unquote(m[1]); err == nil {
			parts = append(parts, text)
		}
	}
	text := strings.Join(parts, " ")
	for utf8.RuneCountInString(text) < 30000 {
		text += " " + text
	}
	runes := []rune(text)
	starts := analyze.WordStarts(text)
	words := analyze.Words(strings.ToLower(text))
	tried := 0
	for i := 0; i < len(words); i += max(1, len(words)/300) {
		w := words[i]
		want := snippetOfWhole(text, runes, starts, w)
		if got := snippet(text, w); got != want {
			t.Fatalf("around %q: %q, the whole text's segmentation cuts %q", w, got, want)
		}
		tried++
	}
	if tried < 200 {
		t.Fatalf("only %d snippets tried", tried)
	}
	t.Run("Ensure a text with no match is cut at its start", func(t *testing.T) {
		s := snippet(text, "ไม่มีในข้อความนี้เลย")
		if !strings.HasSuffix(s, "…") || !strings.HasPrefix(text, strings.TrimSuffix(s, "…")) {
			t.Fatalf("%q", s)
		}
	})
}

// snippetOfWhole is snippet's cut from the whole text's word starts: the
// reference the windowed segmentation must agree with.
func snippetOfWhole(text string, runes []rune, starts []bool, lowerQuery string) string {
	b := strings.Index(strings.ToLower(text), lowerQuery)
	at := utf8.RuneCountInString(strings.ToLower(text)[:b])
	end := at + utf8.RuneCountInString(lowerQuery)
	for at > 0 && !clusterStart(runes, at) {
		at--
	}
	for end < len(runes) && !clusterStart(runes, end) {
		end++
	}
	from, to := max(0, at-60), min(len(runes), end+60)
	for from < at && !starts[from] {
		from++
	}
	for to > end && !starts[to] {
		to--
	}
	out := strings.TrimSpace(string(runes[from:to]))
	if from > 0 {
		out = "…" + out
	}
	if to < len(runes) {
		out += "…"
	}
	return out
}

// BenchmarkSnippet cuts one snippet from a description of 600 characters
// and from one of 30,000: windowed (what search does) and from the whole
// text's segmentation (what it did).
func BenchmarkSnippet(b *testing.B) {
	raw, err := os.ReadFile("../seed/graph.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var parts []string
	for _, m := range regexp.MustCompile(`(?m)^\s*description: (".*")$`).FindAllStringSubmatch(string(raw), -1) {
		if text, err := strconv.Unquote(m[1]); err == nil {
			parts = append(parts, text)
		}
	}
	long := strings.Join(parts, " ")
	for utf8.RuneCountInString(long) < 30000 {
		long += " " + long
	}
	short := string([]rune(long)[:600])
	for _, c := range []struct {
		name, text string
	}{{"600", short}, {"30000", long}} {
		words := analyze.Words(strings.ToLower(c.text))
		q := words[len(words)/2]
		b.Run("window/"+c.name, func(b *testing.B) {
			for range b.N {
				snippet(c.text, q)
			}
		})
		b.Run("whole/"+c.name, func(b *testing.B) {
			for range b.N {
				snippetOfWhole(c.text, []rune(c.text), analyze.WordStarts(c.text), q)
			}
		})
	}
}
