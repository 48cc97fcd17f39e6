package analyze

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/phakhi/phakhi/data"
)

// GeoPlace is a province, district or subdistrict of the shipped datasets
// (data/thai-geography: kongvut/thai-province-data, MIT).
type GeoPlace struct {
	Level  string // Province, District or Subdistrict (the graph's labels)
	Code   string // ISO 3166-2:TH for a province ("TH-71"), else the DOPA code
	Name   string
	NameEn string
	Postal string
	Parent string // the node id of the district or province it is part of
	Region string // the node id of its region
}

// NodeID is the id the graph gives the place (seed/SOURCES.md).
func (g *GeoPlace) NodeID() string {
	switch g.Level {
	case "Province":
		return "province-" + g.Code
	case "District":
		return "district-" + g.Code
	}
	return "subdistrict-" + g.Code
}

// geography is the datasets' places by id and by normalised name, a
// lexicon for each level.
type geography struct {
	byID   map[string]*GeoPlace
	byName map[string]map[string][]*GeoPlace // level -> key -> places
	lex    map[string]*lexicon
}

// The datasets' region ids (kongvut geographies.json) as graph ids.
var regionOfGeography = map[int]string{1: "region-north", 2: "region-central", 3: "region-northeast", 4: "region-west", 5: "region-east", 6: "region-south"}

var (
	geoOnce sync.Once
	geo     *geography
)

func loadGeography() *geography {
	geoOnce.Do(func() {
		g, err := parseGeography()
		if err != nil {
			panic(fmt.Sprintf("analyze: the shipped geography does not read: %v", err))
		}
		geo = g
	})
	return geo
}

func parseGeography() (*geography, error) {
	var provs []struct {
		ID     int    `json:"id"`
		Name   string `json:"name_th"`
		NameEn string `json:"name_en"`
		Geo    int    `json:"geography_id"`
	}
	var dists []struct {
		ID       int    `json:"id"`
		Name     string `json:"name_th"`
		NameEn   string `json:"name_en"`
		Province int    `json:"province_id"`
	}
	var subs []struct {
		ID       int    `json:"id"`
		Zip      int    `json:"zip_code"`
		Name     string `json:"name_th"`
		NameEn   string `json:"name_en"`
		District int    `json:"district_id"`
	}
	for _, f := range []struct {
		b []byte
		v any
	}{{data.KongvutProvinces, &provs}, {data.KongvutDistricts, &dists}, {data.KongvutSubdistricts, &subs}} {
		if err := json.Unmarshal(f.b, f.v); err != nil {
			return nil, err
		}
	}
	g := &geography{byID: map[string]*GeoPlace{}, byName: map[string]map[string][]*GeoPlace{}, lex: map[string]*lexicon{}}
	provByID := map[int]*GeoPlace{}
	for _, p := range provs {
		provByID[p.ID] = &GeoPlace{Level: "Province", Name: p.Name, NameEn: p.NameEn, Region: regionOfGeography[p.Geo], Parent: regionOfGeography[p.Geo]}
	}
	distByID := map[int]*GeoPlace{}
	for _, d := range dists {
		p := provByID[d.Province]
		if p == nil {
			continue
		}
		if p.Code == "" { // a district's first two digits are its province's DOPA (= ISO) number
			p.Code = fmt.Sprintf("TH-%02d", d.ID/100)
		}
		distByID[d.ID] = &GeoPlace{Level: "District", Code: fmt.Sprint(d.ID), Name: d.Name, NameEn: d.NameEn, Region: p.Region}
	}
	for _, d := range dists {
		if dp := distByID[d.ID]; dp != nil {
			dp.Parent = provByID[d.Province].NodeID()
		}
	}
	for _, s := range subs {
		d := distByID[s.District]
		if d == nil {
			continue
		}
		g.add(&GeoPlace{Level: "Subdistrict", Code: fmt.Sprint(s.ID), Name: s.Name, NameEn: s.NameEn, Postal: fmt.Sprint(s.Zip), Parent: d.NodeID(), Region: d.Region}, s.Name)
	}
	for _, d := range distByID {
		g.add(d, d.Name)
		if n, ok := strings.CutPrefix(d.Name, "เขต"); ok { // Bangkok's: เขตพญาไท is written พญาไท too
			g.add(d, n)
		}
	}
	for _, p := range provByID {
		if p.Code != "" {
			g.add(p, p.Name)
		}
	}
	for level, m := range g.byName {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		g.lex[level] = newLexicon(keys)
	}
	return g, nil
}

func (g *geography) add(p *GeoPlace, name string) {
	g.byID[p.NodeID()] = p
	m := g.byName[p.Level]
	if m == nil {
		m = map[string][]*GeoPlace{}
		g.byName[p.Level] = m
	}
	k := normKey(name)
	m[k] = append(m[k], p)
}
