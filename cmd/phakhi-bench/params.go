package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/phakhi/phakhi/bench/gen"
)

// paramSets chooses, for the graph in the database, the parameters each
// operation cycles through: typical entities taken at even steps through
// the id order, so every run and every system sees the same sequence.
// gn is the generator of the loaded synthetic layer (nil for the seed).
func paramSets(ctx context.Context, d neo4j.DriverWithContext, gn *gen.Generator, n int) (map[string][]param, error) {
	out := map[string][]param{}
	ids := func(cypher string) ([]string, error) {
		recs, err := readQuery(ctx, d, cypher, nil)
		if err != nil {
			return nil, fmt.Errorf("choose parameters: %w", err)
		}
		var all []string
		for _, r := range recs {
			all = append(all, get(r, "id").(string))
		}
		return spread(all, n), nil
	}
	one := func(key string, vals []string) []param {
		var ps []param
		for _, v := range vals {
			ps = append(ps, param{key: v})
		}
		return ps
	}
	events, err := ids(`MATCH (e:Event) WHERE COUNT { (e)<-[:PARTICIPATES_IN|ORGANIZES]-(:Actor) } >= 3 RETURN e.id AS id ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out["detail"] = one("id", events)
	provinces, err := ids(`MATCH (p:Province) RETURN p.id AS id ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out["list-province"] = one("province", provinces)
	months, err := ids(`MATCH (e:Event) WHERE e.startDate IS NOT NULL AND size(e.startDate) >= 7 RETURN DISTINCT left(e.startDate, 7) AS id ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for _, m := range months {
		out["list-dates"] = append(out["list-dates"], param{"month": m, "year": m[:4]})
	}
	for _, q := range []string{"หนองสาหร่าย", "เครดิตยูเนี่ยน", "พอช.", "สวัสดิการชุมชน", "บ้านนา", "ท่าช้าง", "เชียงราย", "สัจจะ", "nong bua", "วลัยลักษณ์"} {
		out["search"] = append(out["search"], param{"q": q})
	}
	actors, err := ids(`MATCH (n:Actor) WHERE (n:Agency OR n:Network) AND COUNT { (n)--() } >= 5 RETURN n.id AS id ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out["neighborhood"] = one("id", actors)
	out["centrality"] = one("id", actors)
	agencies, err := ids(`MATCH (a:Agency) WHERE NOT EXISTS { (a)-[:ORGANIZES]->(:Event) } AND COUNT { (a)-[:PARTICIPATES_IN]->(:Event) } >= 1 RETURN a.id AS id ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out["timeline"] = one("id", agencies)
	// paths: two people of different subdistricts of one district (4 hops
	// through the geography at most), or the seed's people and agencies
	var pairs []param
	if gn != nil {
		for _, dist := range spreadDistricts(gn, n) {
			var a, b string
			for _, s := range dist.Subs {
				if gn.People(s) == 0 {
					continue
				}
				if a == "" {
					a = gen.PersonID(s.Code, 1)
				} else {
					b = gen.PersonID(s.Code, 1)
					break
				}
			}
			if a != "" && b != "" {
				pairs = append(pairs, param{"a": a, "b": b})
			}
		}
	} else {
		for _, pr := range [][2]string{{"thipawan", "walailak-university"}, {"peem", "codi"}, {"jamnong", "msdhs"}, {"mib", "trf"}, {"patch", "cdd"}, {"wiroj", "baac"}, {"yuttapan", "codi-south"}, {"peem", "msdhs-minister"}} {
			pairs = append(pairs, param{"a": pr[0], "b": pr[1]})
		}
	}
	out["paths"] = pairs
	for k, v := range out {
		if len(v) == 0 {
			return nil, fmt.Errorf("choose parameters: none for %s", k)
		}
	}
	return out, nil
}

// spread takes up to n items at even steps.
func spread(all []string, n int) []string {
	if len(all) <= n {
		return all
	}
	out := make([]string, n)
	for i := range out {
		out[i] = all[i*len(all)/n]
	}
	return out
}

func spreadDistricts(gn *gen.Generator, n int) []*gen.District {
	all := gn.G.Districts
	if len(all) <= n {
		return all
	}
	out := make([]*gen.District, n)
	for i := range out {
		out[i] = all[i*len(all)/n]
	}
	return out
}

func describe(ps []param) string {
	var parts []string
	for i, p := range ps {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(ps)))
			break
		}
		parts = append(parts, fmt.Sprint(map[string]any(p)))
	}
	return strings.Join(parts, ", ")
}
