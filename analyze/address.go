package analyze

import (
	"fmt"
	"strings"
)

// Address words and the level of place each names. An abbreviation
// (ต. อ. จ.) counts only with its dot, and อ. only before a district's
// name (อ.วิไลลักษณ์ is อาจารย์ วิไลลักษณ์, a person).
var addressMarkers = []struct {
	word  string
	level string
	dot   bool
}{
	{"ตำบล", "Subdistrict", false}, {"แขวง", "Subdistrict", false}, {"ต", "Subdistrict", true},
	{"อำเภอ", "District", false}, {"เขต", "District", false}, {"อ", "District", true},
	{"จังหวัด", "Province", false}, {"จ", "Province", true},
}

// addrPart is one named level of an address.
type addrPart struct {
	Span
	level  string
	places []*GeoPlace
}

// findAddresses reads the address words of the stream and the place names
// of the datasets after them.
func findAddresses(d *document, st *stream, seg *segmentation, g *geography) []addrPart {
	var parts []addrPart
	for i := 0; i < st.n(); i++ {
		if !seg.bound[i] || st.class[i] != classThai {
			continue
		}
		for _, m := range addressMarkers {
			if !strings.HasPrefix(st.s[st.at[i]:], m.word) {
				continue
			}
			j := i + len([]rune(m.word))
			if j >= st.n() {
				continue
			}
			if m.dot && (!st.brk[j] || !strings.Contains(d.text[d.byteAt[st.origEnd[j-1]]:d.byteAt[st.origStart[j]]], ".")) {
				continue
			}
			lex := g.lex[m.level]
			best := -1
			var bestKey string
			lex.walk(st.s, st.at[j], len(st.s), func(end, k int) {
				best, bestKey = end, lex.keys[k]
			})
			if best < 0 {
				continue
			}
			e := j
			for e < st.n() && st.at[e] < best {
				e++
			}
			parts = append(parts, addrPart{Span: Span{st.origStart[i], st.origEnd[e-1]}, level: m.level, places: g.byName[m.level][bestKey]})
			i = e - 1
			break
		}
	}
	return parts
}

// An address is parts read together: a subdistrict, its district, its
// province, each within 40 characters of the one before.
func groupAddresses(parts []addrPart) [][]addrPart {
	var out [][]addrPart
	rank := map[string]int{"Subdistrict": 0, "District": 1, "Province": 2}
	for _, p := range parts {
		if n := len(out); n > 0 {
			last := out[n-1][len(out[n-1])-1]
			if p.Start-last.End <= 40 && rank[p.level] > rank[last.level] {
				out[n-1] = append(out[n-1], p)
				continue
			}
		}
		out = append(out, []addrPart{p})
	}
	return out
}

// narrow keeps, of each part's places, those that fit the other parts: a
// subdistrict in a district named, a district in a province named.
func narrow(addr []addrPart, provinceHints map[string]bool) {
	fits := func(p *GeoPlace, parent *addrPart) bool {
		for _, q := range parent.places {
			if p.Parent == q.NodeID() || (q.Level == "Province" && strings.HasPrefix(p.Code, strings.TrimPrefix(q.Code, "TH-"))) {
				return true
			}
		}
		return false
	}
	for i := range addr {
		for j := range addr {
			if j <= i {
				continue
			}
			var kept []*GeoPlace
			for _, p := range addr[i].places {
				if fits(p, &addr[j]) {
					kept = append(kept, p)
				}
			}
			if len(kept) > 0 {
				addr[i].places = kept
			}
		}
	}
	_ = provinceHints
}

// provinceOf is the ISO code of the province a place is in.
func provinceOf(p *GeoPlace) string {
	switch p.Level {
	case "Province":
		return p.Code
	case "District":
		return "TH-" + p.Code[:2]
	}
	return "TH-" + p.Code[:2]
}

func describePlace(p *GeoPlace, g *geography) string {
	s := fmt.Sprintf("%s %s (%s)", p.Level, p.Name, p.Code)
	for id := p.Parent; id != ""; {
		q := g.byID[id]
		if q == nil {
			break
		}
		s += ", " + q.Name
		id = q.Parent
		if q.Level == "Province" {
			break
		}
	}
	return s
}
