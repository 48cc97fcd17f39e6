package analyze

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
)

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:5])
}

// sourceAt is the source holding rune offset at, or nil (the page's
// footer and the site's links are in none).
func sourceAt(srcs []*Source, at int) *Source {
	for _, s := range srcs {
		if at >= s.Start && at < s.End {
			return s
		}
	}
	return nil
}

// ancestorsOf are the places and bodies a candidate is part of: the
// graph's, and for a place of the datasets its district, province and
// region.
func ancestorsOf(c *Candidate, snap *snapshot, g *geography) []string {
	out := snap.ancestors(c.ID)
	p := c.Place
	if p == nil {
		p = g.byID[c.ID]
	}
	for p != nil && p.Parent != "" {
		if !slices.Contains(out, p.Parent) {
			out = append(out, p.Parent)
		}
		next := g.byID[p.Parent]
		if next == nil && strings.HasPrefix(p.Parent, "region-") {
			break
		}
		p = next
	}
	return out
}

// resolve picks each mention's candidate. One candidate is chosen. Of
// several, context scores each: a region or province written near it, or
// lying above an actor or place resolved there (in
// the same source: +0.3 within 200 characters, +0.2 further; elsewhere in
// the document +0.1) that the candidate lies in, and a node already
// resolved in the same source that the candidate is tied to (+0.2). The
// best is chosen when it leads the next by 0.1 or more; otherwise none is,
// and the candidates stay for an editor.
func resolve(ms []*Mention, nested []rawHit, srcs []*Source, snap *snapshot, g *geography) {
	type ctx struct {
		id  string
		at  int
		src *Source
	}
	var places []ctx
	addPlace := func(id string, at int) {
		if n := snap.node(id); n != nil && (n.Label == "Region" || n.Label == "Province") {
			places = append(places, ctx{id, at, sourceAt(srcs, at)})
		}
	}
	for _, h := range nested {
		for _, r := range h.refs {
			addPlace(r.node, h.Start)
		}
	}
	resolved := map[string][]string{} // source -> ids chosen
	for _, m := range ms {
		if len(m.Candidates) == 1 {
			c := m.Candidates[0]
			m.Chosen = c.ID
			m.Reason = "the only node of this name: " + c.Reason
			resolved[m.Source] = append(resolved[m.Source], c.ID)
			addPlace(c.ID, m.Start)
			// and the region or province an actor named here lies in
			// (ขบวนภาคตะวันตก, the western movement, is LOCATED_IN the west)
			for _, a := range snap.ancestors(c.ID) {
				addPlace(a, m.Start)
			}
		}
	}
	for _, m := range ms {
		if len(m.Candidates) < 2 {
			continue
		}
		src := sourceAt(srcs, m.Start)
		for _, c := range m.Candidates {
			anc := ancestorsOf(c, snap, g)
			best, why := 0.0, ""
			for _, p := range places {
				if p.id == c.ID || !slices.Contains(anc, p.id) {
					continue
				}
				w, where := 0.1, "elsewhere in the document"
				if p.src == src {
					w, where = 0.2, "in the same part of the document"
					if abs(p.at-m.Start) <= 200 {
						w, where = 0.3, "nearby"
					}
				}
				if w > best {
					name := p.id
					if n := snap.node(p.id); n != nil {
						name = n.Name
					}
					best, why = w, fmt.Sprintf("%s, which it lies in, is written %s", name, where)
				}
			}
			if best > 0 {
				c.Score += best
				c.Reason += "; " + why
			}
			n := snap.node(c.ID)
			if n == nil {
				continue
			}
			for _, id := range resolved[m.Source] {
				if id != c.ID && (slices.Contains(n.Neighbors, id) || slices.Contains(anc, id)) {
					c.Score += 0.2
					name := id
					if o := snap.node(id); o != nil {
						name = o.Name
					}
					c.Reason += fmt.Sprintf("; it is tied in the graph to %s, named in the same part", name)
					break
				}
			}
		}
		sort.SliceStable(m.Candidates, func(i, j int) bool { return m.Candidates[i].Score > m.Candidates[j].Score })
		top, next := m.Candidates[0], m.Candidates[1]
		if top.Score-next.Score >= 0.1-1e-9 {
			m.Chosen = top.ID
			m.Reason = fmt.Sprintf("%d nodes have this name; chosen from context: %s", len(m.Candidates), top.Reason)
			resolved[m.Source] = append(resolved[m.Source], top.ID)
		} else {
			m.Reason = fmt.Sprintf("%d nodes have this name and the context does not tell them apart: left for an editor", len(m.Candidates))
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
