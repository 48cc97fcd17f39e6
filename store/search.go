package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// searchCandidates bounds how many nodes each search branch considers.
const searchCandidates = 500

// SearchKey is the lower-cased text a node is found by with a substring
// search: names and aliases, one per line.
func SearchKey(n *domain.NodeRecord) string {
	parts := []string{n.ID, n.Name, n.NameEn}
	parts = append(parts, n.Aliases...)
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ToLower(p))
		}
	}
	return strings.Join(out, "\n")
}

// luceneSpecial are the characters Lucene's query parser gives a meaning.
const luceneSpecial = `\+-!():^[]"{}~*?|&/`

// LuceneQuery turns user text into a Lucene query that means "these words":
// every special character is escaped and the operators AND, OR and NOT are
// lower-cased into plain words, so no input is an error or changes meaning.
// The whole text also goes in as a phrase, boosted.
func LuceneQuery(text string) string {
	var terms []string
	for _, w := range strings.Fields(text) {
		var b strings.Builder
		for _, r := range w {
			if strings.ContainsRune(luceneSpecial, r) {
				b.WriteRune('\\')
			}
			b.WriteRune(r)
		}
		t := b.String()
		switch t {
		case "AND", "OR", "NOT", "TO":
			t = strings.ToLower(t)
		}
		terms = append(terms, t)
	}
	if len(terms) == 0 {
		return ""
	}
	phrase := strings.ReplaceAll(strings.ReplaceAll(strings.Join(strings.Fields(text), " "), `\`, `\\`), `"`, `\"`)
	return `"` + phrase + `"^4 ` + strings.Join(terms, " ")
}

// Search finds nodes by name, English name, alias or description, in Thai
// or English, ranked, in one round trip. Thai is written without spaces, so
// a word inside a compound name is found by substring (backed by a text
// index on searchKey) besides Neo4j's full-text index with the thai
// analyzer.
func (s *Store) Search(ctx context.Context, q domain.SearchQuery) (*domain.SearchResult, error) {
	text := strings.TrimSpace(q.Text)
	lower := strings.ToLower(text)
	c := newCompiler()
	pq, pl := c.param(lower), c.param(LuceneQuery(text))
	// The substring branch tests the labels before its bound; the
	// full-text one can only after the index's, so completeness is judged
	// on what each branch found before the labels.
	labels, rowLabels := "", "true"
	if len(q.Labels) > 0 {
		labels = " AND n" + c.labelExpr(q.Labels)
		rowLabels = "any(l IN labels(r.n) WHERE l IN " + c.param(q.Labels) + ")"
	}
	limit := c.param(int64(searchCandidates))
	sel := widen(q.Select, "name", "nameEn", "description", "descriptionEn") // the matched text comes from these
	cypher := fmt.Sprintf(`
CALL () {
  MATCH (n:Node) WHERE n.searchKey CONTAINS %[1]s%[4]s
  WITH n, [x IN [n.name, n.nameEn] + coalesce(n.aliases, []) WHERE x IS NOT NULL | toLower(x)] AS names
  RETURN n, CASE WHEN %[1]s IN names THEN 100.0
                 WHEN any(x IN names WHERE x STARTS WITH %[1]s) THEN 60.0
                 WHEN any(x IN names WHERE x CONTAINS %[1]s) THEN 30.0 + 20.0 * size(%[1]s) / (1.0 + size(toLower(n.name)))
                 ELSE 26.0 END AS tier, 0.0 AS ft
  LIMIT %[3]s
  UNION
  CALL db.index.fulltext.queryNodes('node_search', %[2]s, {limit: %[3]s}) YIELD node AS n, score
  RETURN n, 0.0 AS tier, score AS ft
}
WITH n, max(tier) AS tier, max(ft) AS ft
WITH collect({n: n, tier: tier, ft: ft}) AS candidates
WITH size([r IN candidates WHERE r.tier > 0]) < %[3]s AND size([r IN candidates WHERE r.ft > 0]) < %[3]s AS complete,
     [r IN candidates WHERE %[8]s] AS rows
WITH complete, rows, reduce(top = 0.0, r IN rows | CASE WHEN r.ft > top THEN r.ft ELSE top END) AS top
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE rows END AS row
WITH complete, row.n AS n, row.tier + CASE WHEN top > 0 THEN 25.0 * row.ft / top ELSE 0.0 END AS score
ORDER BY score DESC, n.nameKey, n.id
WITH collect(CASE WHEN n IS NULL THEN null ELSE {n: n, score: score} END) AS found, collect(DISTINCT complete) AS completes
CALL (found) {
  UNWIND found[%[5]s..%[6]s] AS hit
  WITH hit.n AS n, hit.score AS score
  RETURN collect({score: score, node: %[7]s,
    field: CASE WHEN toLower(n.name) CONTAINS %[1]s THEN 'name'
                WHEN toLower(coalesce(n.nameEn, '')) CONTAINS %[1]s THEN 'nameEn'
                WHEN any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS %[1]s) THEN 'alias'
                WHEN toLower(coalesce(n.description, '')) CONTAINS %[1]s THEN 'description'
                WHEN toLower(coalesce(n.descriptionEn, '')) CONTAINS %[1]s THEN 'descriptionEn'
                ELSE 'words' END,
    aliasHit: head([a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS %[1]s])}) AS hits
}
RETURN size(found) AS total, NOT false IN completes AS complete, hits`,
		pq, pl, limit, labels, c.param(int64(q.Offset)), c.param(int64(q.Offset+q.First)), c.node("n", sel), rowLabels)
	if c.err != nil {
		return nil, c.err
	}
	recs, err := s.read(ctx, "Search", cypher, c.params)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	rec, err := readOne(recs, "search")
	if err != nil {
		return nil, err
	}
	total, err := value[int64](rec, "total")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits, err := column[map[string]any](rec, "hits")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res := &domain.SearchResult{Total: int(total), Complete: true}
	if complete, ok := rec.Get("complete"); ok && complete == false {
		res.Complete = false
	}
	for i, m := range hits {
		what := fmt.Sprintf("search: hits[%d]", i)
		nm, err := as[map[string]any](m["node"], what+".node")
		if err != nil {
			return nil, err
		}
		score, err := as[float64](m["score"], what+".score")
		if err != nil {
			return nil, err
		}
		field, err := as[string](m["field"], what+".field")
		if err != nil {
			return nil, err
		}
		node := decodeNode(nm, sel)
		e := node.E()
		hit := &domain.SearchHit{Node: node, Score: score, MatchedField: field}
		switch hit.MatchedField {
		case "name", "words":
			hit.MatchedText = e.Name
		case "nameEn":
			hit.MatchedText = *e.NameEn
		case "alias":
			hit.MatchedText, _ = m["aliasHit"].(string)
		case "description":
			hit.MatchedText = snippet(*e.Description, lower)
		case "descriptionEn":
			hit.MatchedText = snippet(*e.DescriptionEn, lower)
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// snippet is up to 60 characters of text on each side of the first match.
func snippet(text, lowerQuery string) string {
	runes := []rune(text)
	lowerRunes := []rune(strings.ToLower(text))
	q := []rune(lowerQuery)
	at := -1
	for i := 0; i+len(q) <= len(lowerRunes); i++ {
		if string(lowerRunes[i:i+len(q)]) == lowerQuery {
			at = i
			break
		}
	}
	if at < 0 {
		at = 0
	}
	from, to := max(0, at-60), min(len(runes), at+len(q)+60)
	out := string(runes[from:to])
	if from > 0 {
		out = "…" + out
	}
	if to < len(runes) {
		out += "…"
	}
	return out
}
