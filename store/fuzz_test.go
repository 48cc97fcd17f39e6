package store_test

// Fuzz tests of every user string that reaches Cypher or Lucene. The seed
// corpora run with `go test`; `go test -fuzz=FuzzXxx ./store` explores.

import (
	"context"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/store"
)

// textSeeds are inputs that try to break out of a parameter, a Lucene
// query or a phrase.
var textSeeds = []string{
	"องค์กรชุมชน", "พอช.", "credit union", "CODI", "สกว.",
	`"`, `\`, `\"`, `"\`, `a\`, `\\`, `""`, `"a" OR "b"`,
	"AND", "OR NOT", "a AND b", "TO", "[a TO z]", "{a TO z}",
	"*", "?", "a*", "*a", "te?t", "~", "a~2", "a^10", "^", "!", "-a", "+a",
	"&&", "||", "a && b || c", "(", ")", "((a)", "/regex/", "/", "a/b",
	":", "name:codi", "field:*", "_exists_:name", "\x00", "a\x00b",
	"' OR 1=1 //", "}) RETURN n //", "\" }) MATCH (n) DETACH DELETE n //",
	"$param", "`backtick`", "\u202e", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "İstanbul", "ǅ",
	strings.Repeat("a ", 100), strings.Repeat("(", 200), strings.Repeat(`\`, 200),
	strings.Repeat("ก", 200), strings.Repeat("OR ", 66),
}

// FuzzLuceneQuery checks that any text becomes a Lucene query of plain
// words: every special character escaped, no operator left, and the
// phrase closed.
func FuzzLuceneQuery(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q := store.LuceneQuery(text)
		words := strings.Fields(text)
		if len(words) == 0 {
			if q != "" {
				t.Fatalf("LuceneQuery(%q) = %q, want empty", text, q)
			}
			return
		}
		// "phrase"^4 term term …
		if !strings.HasPrefix(q, `"`) {
			t.Fatalf("LuceneQuery(%q) = %q: no phrase first", text, q)
		}
		end := -1
		for i := 1; i < len(q); i++ {
			if q[i] == '\\' {
				i++
				continue
			}
			if q[i] == '"' {
				end = i
				break
			}
		}
		if end < 0 || !strings.HasPrefix(q[end:], `"^4 `) {
			t.Fatalf("LuceneQuery(%q) = %q: the phrase is not closed by \"^4", text, q)
		}
		phrase := strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(q[1:end])
		if phrase != strings.Join(words, " ") {
			t.Fatalf("LuceneQuery(%q): phrase %q, want %q", text, phrase, strings.Join(words, " "))
		}
		terms := strings.Split(q[end+len(`"^4 `):], " ")
		if len(terms) != len(words) {
			t.Fatalf("LuceneQuery(%q) = %q: %d terms for %d words", text, q, len(terms), len(words))
		}
		for i, term := range terms {
			switch term {
			case "AND", "OR", "NOT", "TO":
				t.Fatalf("LuceneQuery(%q) = %q: operator %s left", text, q, term)
			}
			var unescaped strings.Builder
			for j := 0; j < len(term); j++ {
				c := term[j]
				if c == '\\' {
					if j+1 >= len(term) {
						t.Fatalf("LuceneQuery(%q): term %q ends in a lone backslash", text, term)
					}
					j++
					unescaped.WriteByte(term[j])
					continue
				}
				if strings.IndexByte(`\+-!():^[]"{}~*?|&/`, c) >= 0 {
					t.Fatalf("LuceneQuery(%q): term %q has %q unescaped", text, term, c)
				}
				unescaped.WriteByte(c)
			}
			if !strings.EqualFold(unescaped.String(), words[i]) {
				t.Fatalf("LuceneQuery(%q): term %q means %q, want %q", text, term, unescaped.String(), words[i])
			}
		}
	})
}

// FuzzSearch runs store.Search with any text (as the resolver lets it
// through: trimmed, 1-200 characters, valid UTF-8) against Neo4j: it must
// never fail.
func FuzzSearch(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	s := MustOpenStore(f)
	mustLoad(f, s, smallBundle())
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
		if text == "" || utf8.RuneCountInString(text) > 200 {
			return // the resolver refuses these before the store
		}
		res, err := s.Search(ctx, domain.SearchQuery{Text: text, First: 10, Select: &domain.Selection{}})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		if res.Total < len(res.Hits) {
			t.Fatalf("Search(%q): total %d < %d hits", text, res.Total, len(res.Hits))
		}
		for _, h := range res.Hits {
			if h.Node == nil || h.Node.E().ID == "" {
				t.Fatalf("Search(%q): a hit without a node: %+v", text, h)
			}
		}
	})
}

// plainText says whether a needle is ASCII or Thai, where Go's and Cypher's
// toLower agree.
func plainText(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && !unicode.Is(unicode.Thai, r) {
			return false
		}
	}
	return true
}

// FuzzFindNodes compiles NodeFilters of fuzzed strings (nameContains, role,
// ids, kinds, dates, under and/or/not) and runs them on Neo4j: a bad value
// may be BAD_USER_INPUT, an id that names no node NOT_FOUND, nothing else
// may fail, and nameContains finds what it says.
func FuzzFindNodes(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, "SUPPORT_PARTNER", "codi", "2007", "2007-04-11")
	}
	f.Add("", "", "", "", "")
	f.Add("พอช", "ORGANIZER", "ev-1", "2007-02-30", "9999-99-99")
	f.Add("e", "x' OR 1=1", "a b", "2007-04", "")
	s := MustOpenStore(f)
	b := smallBundle()
	mustLoad(f, s, b)
	ctx := context.Background()
	labels := []string{"Agency", "Network", "Person", "Event", "Program", "Province", "Region", "Venue", "Source"}
	known := map[string]bool{}
	for _, n := range b.Nodes {
		known[n.ID] = true
	}
	f.Fuzz(func(t *testing.T, name, role, id, dateFrom, dateTo string) {
		name = strings.ToValidUTF8(name, "\uFFFD")
		if utf8.RuneCountInString(name) > 200 {
			return // the resolver refuses longer text
		}
		filter := &domain.NodeFilter{
			NameContains: &name,
			Or:           []*domain.NodeFilter{{Role: &role}, {Ids: []string{id}}, {Kinds: []string{role, id}}},
			Not:          &domain.NodeFilter{DateFrom: &dateFrom},
			And:          []*domain.NodeFilter{{DateTo: &dateTo}, {Participant: &id}, {Place: &id}},
		}
		c, err := s.FindNodes(ctx, domain.ListQuery{Labels: labels, Filter: filter, First: 10, Count: true})
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			if known[id] {
				t.Fatalf("FindNodes naming %q, a node of the graph: %v", id, err)
			}
			return // participant and place name a node that does not exist
		}
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("FindNodes(%q, %q, %q, %q, %q): %v", name, role, id, dateFrom, dateTo, err)
		}
		if err == nil && c.Total < len(c.Items) {
			t.Fatalf("total %d < %d items", c.Total, len(c.Items))
		}
		if !plainText(name) {
			return
		}
		c, err = s.FindNodes(ctx, domain.ListQuery{Labels: labels, Filter: &domain.NodeFilter{NameContains: &name}, First: 100, Count: true})
		if err != nil {
			t.Fatalf("FindNodes(nameContains %q): %v", name, err)
		}
		var want []string
		needle := strings.ToLower(name)
		for _, n := range b.Nodes {
			hay := append([]string{n.Name, n.NameEn}, n.Aliases...)
			for _, h := range hay {
				if (h != "" || needle == "") && strings.Contains(strings.ToLower(h), needle) {
					if contains(labels, string(n.Label)) {
						want = append(want, n.ID)
					}
					break
				}
			}
		}
		got := ids(c)
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("nameContains %q found %v, want %v", name, got, want)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
