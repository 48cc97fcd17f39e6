package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/analyze"
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

// NameWords is the words of a node's names (name, English name,
// aliases), lower-cased, as the analysis' segmenter cuts them: each name
// as "|word|word|", one per line. A query is a whole-word match of a name
// when its own words, written the same way, are a substring of this
// (วลัยลักษณ์ is the last words of มหาวิทยาลัยวลัยลักษณ์, ประชุม is no
// whole word of ห้องประชุม).
func NameWords(names []string) string {
	var out []string
	for _, n := range names {
		if w := wordsKey(n); w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, "\n")
}

// wordsKey is "|word|word|" of text, lower-cased ("" when it has none).
func wordsKey(text string) string {
	ws := analyze.Words(strings.ToLower(strings.TrimSpace(text)))
	if len(ws) == 0 {
		return ""
	}
	return "|" + strings.Join(ws, "|") + "|"
}

// Search scores. A hit's score is its tier, by how its best name matches,
// and up to ftWeight more by the full-text index's score (relative to the
// best full-text hit). Each tier's lowest score is above the one below's
// highest, so the full-text score orders hits within a tier and never
// lifts a hit over a better name match:
//
//	exact name, English name or alias       200
//	whole words of a name                   100 + 40 × the share of that name the query is
//	the start of a name (within a word)      60
//	inside a word of a name                  30 + 20 × the share
//	only the id                              26
//	only the full-text index (descriptions)   0
const ftWeight = 25.0

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
	if cond := c.statusCond("r.n", q.Status); cond != "" {
		rowLabels += " AND " + cond // like the labels: after the branches' bounds
	}
	limit := c.param(int64(searchCandidates))
	minScore := -1.0
	if q.MinScore != nil {
		minScore = *q.MinScore
	}
	fold := q.SameAs == domain.SameAsFold
	sel := widen(q.Select, "name", "nameEn") // the matched text comes from these
	if !q.OmitMatchedText || fold {
		sel = widen(sel, "description", "descriptionEn") // and from these, cut (snippet)
	}
	foldHits, mates := "", ""
	if fold {
		sel = widen(sel, foldProps...)
		foldHits, mates = foldSearchHits(), ", mates: "+c.matesProjected("n", sel)
	}
	cypher := fmt.Sprintf(`
CALL () {
  MATCH (n:Node) WHERE n.searchKey CONTAINS %[1]s%[4]s
  WITH n, [x IN [n.name, n.nameEn] + coalesce(n.aliases, []) WHERE x IS NOT NULL | toLower(x)] AS names
  WITH n, names, reduce(best = 0.0, x IN [y IN names WHERE y CONTAINS %[1]s] | CASE WHEN 1.0 * size(%[1]s) / size(x) > best THEN 1.0 * size(%[1]s) / size(x) ELSE best END) AS share
  RETURN n, CASE WHEN %[1]s IN names THEN 200.0
                 WHEN %[9]s <> '' AND coalesce(n.nameWords, '') CONTAINS %[9]s THEN 100.0 + 40.0 * share
                 WHEN any(x IN names WHERE x STARTS WITH %[1]s) THEN 60.0
                 WHEN share > 0 THEN 30.0 + 20.0 * share
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
WITH complete, row.n AS n, row.tier + CASE WHEN top > 0 THEN %[11]s * row.ft / top ELSE 0.0 END AS score
ORDER BY score DESC, n.nameKey, n.id
WHERE n IS NULL OR score >= %[10]s
WITH collect(CASE WHEN n IS NULL THEN null ELSE {n: n, score: score} END) AS found, collect(DISTINCT complete) AS completes
%[12]sWITH found, completes, %[5]s AS start
CALL (found, start) {
  UNWIND found[start..start + %[6]s] AS hit
  WITH hit.n AS n, hit.score AS score
  RETURN collect({score: score, key: [score, coalesce(n.nameKey, '')], id: n.id, node: %[7]s,
    field: CASE WHEN toLower(n.name) CONTAINS %[1]s THEN 'name'
                WHEN toLower(coalesce(n.nameEn, '')) CONTAINS %[1]s THEN 'nameEn'
                WHEN any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS %[1]s) THEN 'alias'
                WHEN toLower(coalesce(n.description, '')) CONTAINS %[1]s THEN 'description'
                WHEN toLower(coalesce(n.descriptionEn, '')) CONTAINS %[1]s THEN 'descriptionEn'
                ELSE 'words' END,
    aliasHit: head([a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS %[1]s])%[13]s}) AS hits
}
RETURN size(found) AS total, start, NOT false IN completes AS complete, hits`,
		pq, pl, limit, labels, c.searchStart(q), c.param(int64(q.First)), c.node("n", sel), rowLabels,
		c.param(wordsKey(text)), c.param(minScore), c.param(ftWeight), foldHits, mates)
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
	start, err := value[int64](rec, "start")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res := &domain.SearchResult{Total: int(total), Start: int(start), Complete: true}
	order := domain.SearchOrderName(text, q.SameAs)
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
		if vals, ok := m["key"].([]any); ok {
			hit.Key = &domain.Keyset{Order: order, Values: vals, ID: e.ID, Offset: res.Start + i}
		}
		switch {
		case q.OmitMatchedText:
		case hit.MatchedField == "name", hit.MatchedField == "words":
			hit.MatchedText = e.Name
		case hit.MatchedField == "nameEn":
			hit.MatchedText = *e.NameEn
		case hit.MatchedField == "alias":
			hit.MatchedText, _ = m["aliasHit"].(string)
		case hit.MatchedField == "description":
			hit.MatchedText = snippet(*e.Description, lower)
		case hit.MatchedField == "descriptionEn":
			hit.MatchedText = snippet(*e.DescriptionEn, lower)
		}
		if fold {
			ids, err := foldHit(hit, m["mates"], sel, lower, what)
			if err != nil {
				return nil, err
			}
			if len(ids) > 0 {
				res.Folded = append(res.Folded, &domain.Fold{Into: e.ID, IDs: ids})
			}
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// searchStart writes where a search's page starts in its ranking
// (found: {n, score} in order): at the offset, or just after the cursor's
// hit. The hit is found by id, where it ranks now, so that hits inserted
// or deleted before it move nothing (their full-text score may rescale
// the others' scores, never their order within a tier); when it is gone,
// after the first hit its sort values (score descending, name key, id)
// do not reach. The statement is one either way.
func (c *compiler) searchStart(q domain.SearchQuery) string {
	if q.After == nil {
		return c.param(int64(q.Offset))
	}
	if q.After.Order != domain.SearchOrderName(strings.TrimSpace(q.Text), q.SameAs) || len(q.After.Values) != 2 {
		c.fail(domain.Invalid("after", "the cursor belongs to another search (another query or sameAs)"))
		return "0"
	}
	id, score, key := c.param(q.After.ID), c.param(q.After.Values[0]), c.param(q.After.Values[1])
	return fmt.Sprintf("coalesce(head([i IN range(0, size(found) - 1) WHERE found[i].n.id = %[1]s]) + 1, "+
		"size([h IN found WHERE h.score > %[2]s OR (h.score = %[2]s AND (coalesce(h.n.nameKey, '') < %[3]s OR (coalesce(h.n.nameKey, '') = %[3]s AND h.n.id <= %[1]s)))]))",
		id, score, key)
}
