package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Names are ordered as a Thai dictionary orders them (the Royal
// Institute's order: leading vowels เ แ โ ใ ไ are read after the
// consonant they precede, tone marks weigh less than letters), not by
// code point, where every name that starts with เ or แ sorts after all
// the others. Neo4j compares strings by code point, so each node carries
// nameKey: the hex of its name's collation key under Unicode's Thai
// tailoring. Hex keeps the byte order of the key, so Neo4j's order of the
// keys is the collator's order of the names. Every ORDER BY on a name
// orders by nameKey (then id, for a total order).
//
// nameKeyVersion is stored beside the key (and nameWords, see search.go);
// when the collation or the word cutting changes (another
// golang.org/x/text tailoring, another word list), raise it and the
// start-up backfill rewrites them on every node.
const nameKeyVersion = 2

var collators = sync.Pool{New: func() any { return collate.New(language.Thai) }}

// NameKey is the sort key of a name: strings compare as the names do
// under the Thai collation.
func NameKey(name string) string {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	return hex.EncodeToString(c.KeyFromString(&buf, name))
}

// CompareNames compares two names under the Thai collation, as NameKey
// orders them.
func CompareNames(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(a, b)
}

// putNameKey sets the name's sort key, the words of its names (see
// NameWords) and their version on p.
func putNameKey(p map[string]any, name, nameEn string, aliases []string) {
	p["nameKey"] = NameKey(name)
	p["nameWords"] = NameWords(append([]string{name, nameEn}, aliases...))
	p["nameKeyVersion"] = int64(nameKeyVersion)
}

// backfillNameKeys gives a current nameKey to every node written before
// there was one, or with a key of an older version: one read, then batched
// writes.
func (s *Store) backfillNameKeys(ctx context.Context) (int, error) {
	recs, err := s.read(ctx, "backfillNameKeys", "MATCH (n:Node) WHERE n.nameKey IS NULL OR n.nameKeyVersion IS NULL OR n.nameKeyVersion <> $v "+
		"RETURN n.id AS id, coalesce(n.name, '') AS name, coalesce(n.nameEn, '') AS nameEn, coalesce(n.aliases, []) AS aliases", map[string]any{"v": int64(nameKeyVersion)})
	if err != nil {
		return 0, fmt.Errorf("find nodes without name key: %w", err)
	}
	rows := make([]map[string]any, 0, len(recs))
	for _, rec := range recs {
		id, err := value[string](rec, "id")
		if err != nil {
			return 0, fmt.Errorf("find nodes without name key: %w", err)
		}
		name, _ := rec.Get("name")
		ns, _ := name.(string)
		nameEn, _ := rec.Get("nameEn")
		en, _ := nameEn.(string)
		raw, _ := rec.Get("aliases")
		var aliases []string
		if list, ok := raw.([]any); ok {
			for _, a := range list {
				if as, ok := a.(string); ok {
					aliases = append(aliases, as)
				}
			}
		}
		row := map[string]any{"id": id}
		putNameKey(row, ns, en, aliases)
		rows = append(rows, row)
	}
	for i := 0; i < len(rows); i += batchSize * 10 {
		batch := rows[i:min(len(rows), i+batchSize*10)]
		if _, err := s.write(ctx, "backfillNameKeys", func(tx neo4j.ManagedTransaction) (any, error) {
			return run(ctx, tx, "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n.nameKey = row.nameKey, n.nameWords = row.nameWords, n.nameKeyVersion = row.nameKeyVersion", map[string]any{"rows": batch})
		}); err != nil {
			return 0, fmt.Errorf("backfill name keys: %w", err)
		}
	}
	return len(rows), nil
}
