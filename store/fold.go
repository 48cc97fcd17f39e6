package store

import (
	"fmt"
	"strings"

	"github.com/phakhi/phakhi/domain"
)

// Folding nodes that may be one body (POSSIBLY_SAME_AS) into one: the
// Cypher fragments the reads add to their one statement when asked to
// fold (SameAs FOLD), and the decoding of what they return. The statement
// finds each node's group; domain.Folding and domain.FoldSubgraph merge
// the group into one node in Go, after the one round trip.

// sameAsPath is the pattern from a node to the others of its group. The
// type is the vocabulary's; the bound is a constant of the domain.
var sameAsPath = fmt.Sprintf("-[:%s*1..%d]-", domain.RelPossiblySameAs, domain.MaxFoldChain)

// foldProps are what a fold reads of every member: the names and the
// statuses it merges (domain.MergeInto).
var foldProps = []string{"name", "nameEn", "aliases", "status", "basis"}

// matesOf is a list expression: the other nodes of x's group, by id.
func matesOf(x string) string {
	m := x + "_mate"
	return fmt.Sprintf("COLLECT { MATCH (%[1]s)%[2]s(%[3]s) WHERE %[3]s <> %[1]s WITH DISTINCT %[3]s ORDER BY %[3]s.id RETURN %[3]s }", x, sameAsPath, m)
}

// matesProjected is matesOf with each node projected as sel asks.
func (c *compiler) matesProjected(x string, sel *domain.Selection) string {
	m := x + "_mate"
	return fmt.Sprintf("COLLECT { MATCH (%[1]s)%[2]s(%[3]s) WHERE %[3]s <> %[1]s WITH DISTINCT %[3]s ORDER BY %[3]s.id RETURN %[4]s AS mate }", x, sameAsPath, m, c.node(m, sel))
}

// sameAsPairs is a subquery over the list keep: the POSSIBLY_SAME_AS
// pairs among its nodes, as [from id, to id], in the column same.
func sameAsPairs(keep string) string {
	return fmt.Sprintf("CALL (%[1]s) { UNWIND %[1]s AS a MATCH (a)-[:%[2]s]->(b) WHERE b IN %[1]s RETURN collect([a.id, b.id]) AS same }", keep, domain.RelPossiblySameAs)
}

// foldSearchHits is the search's fold: the ranked hits (found, {n, score}
// in order) become one hit per group, the node standing for it (the
// group's first id, as domain.NewFolding chooses) with the best score of
// its members, ranked again.
func foldSearchHits() string {
	return fmt.Sprintf(`CALL (found) {
  UNWIND found AS hit
  WITH hit.n AS n, hit.score AS score
  WITH score, reduce(k = n.id, x IN COLLECT { MATCH (n)%[1]s(o) RETURN o.id } | CASE WHEN x < k THEN x ELSE k END) AS key
  WITH key, max(score) AS score
  MATCH (rep:Node {id: key})
  WITH rep, score ORDER BY score DESC, rep.nameKey, rep.id
  RETURN collect({n: rep, score: score}) AS grouped
}
WITH grouped AS found, completes
`, sameAsPath)
}

// readPairs reads a column of [from id, to id] pairs.
func readPairs(raw any, what string) ([][2]string, error) {
	list, err := listOf[[]any](raw, what)
	if err != nil {
		return nil, err
	}
	out := make([][2]string, 0, len(list))
	for _, t := range list {
		a, err := at[string](t, 0, what)
		if err != nil {
			return nil, err
		}
		b, err := at[string](t, 1, what)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{a, b})
	}
	return out, nil
}

// foldHit merges the others of a hit's group (mates, as the statement
// projected them) into the hit's node (domain.MergeInto: names, evidence,
// statuses, related lists), and returns their ids. When the query matched
// another member only, the hit says where: a name of the other (now an
// alias of the folded node), or its description (the snippet of it).
func foldHit(hit *domain.SearchHit, mates any, sel *domain.Selection, lowerQuery, what string) ([]string, error) {
	list, err := listOf[map[string]any](mates, what+".mates")
	if err != nil {
		return nil, err
	}
	e := hit.Node.E()
	var others []*domain.Entity
	var ids []string
	for _, m := range list {
		o := decodeNode(m, sel).E()
		others = append(others, o)
		ids = append(ids, o.ID)
	}
	domain.MergeInto(e, others...)
	if hit.MatchedField == "words" && !strings.Contains(strings.ToLower(e.Name), lowerQuery) {
		matchedMate(hit, e, others, lowerQuery)
	}
	return ids, nil
}

// matchedMate says where the query matched in a folded hit whose own
// node's names and descriptions do not hold it: an alias of the folded
// node e (the others' names among them), else the description of the
// first other that holds it.
func matchedMate(hit *domain.SearchHit, e *domain.Entity, others []*domain.Entity, lowerQuery string) {
	for _, a := range e.Aliases {
		if strings.Contains(strings.ToLower(a), lowerQuery) {
			hit.MatchedField, hit.MatchedText = "alias", a
			return
		}
	}
	for _, o := range others {
		for _, d := range []struct {
			field string
			text  *string
		}{{"description", o.Description}, {"descriptionEn", o.DescriptionEn}} {
			if d.text != nil && strings.Contains(strings.ToLower(*d.text), lowerQuery) {
				hit.MatchedField, hit.MatchedText = d.field, snippet(*d.text, lowerQuery)
				return
			}
		}
	}
}
