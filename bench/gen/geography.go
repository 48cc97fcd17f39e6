package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Geography is Thailand's administrative layer as the shipped datasets
// give it (data/thai-geography): provinces with their ISO 3166-2:TH code,
// districts and subdistricts with their DOPA codes, Thai and English names.
type Geography struct {
	Provinces []*Province
	Districts []*District
	Subs      []*Subdistrict
}

// Province is one of the 77 provinces.
type Province struct {
	Code      int // ISO 3166-2:TH number (10 = Bangkok)
	KongvutID int
	NameTh    string
	NameEn    string
	Region    int // kongvut geography_id (1 north … 6 south)
	Districts []*District
}

// ID is the seed's id of the province (seed/geography.yaml).
func (p *Province) ID() string { return fmt.Sprintf("province-TH-%02d", p.Code) }

// District is an อำเภอ (a เขต in Bangkok).
type District struct {
	Code     int // DOPA, 4 digits
	NameTh   string
	NameEn   string
	AltTh    string // thailand-geography-json's name where it differs
	AltEn    string
	Province *Province
	Subs     []*Subdistrict
	Index    int // position in Geography.Districts
}

// ID is the id of the district (the seed's scheme: district-1014).
func (d *District) ID() string { return "district-" + strconv.Itoa(d.Code) }

// Subdistrict is a ตำบล (a แขวง in Bangkok).
type Subdistrict struct {
	Code     int // DOPA, 6 digits
	NameTh   string
	NameEn   string
	AltEn    string
	Postal   string
	District *District
	Index    int // position in Geography.Subs
}

// ID is the id of the subdistrict (the seed's scheme: subdistrict-710911).
func (s *Subdistrict) ID() string { return "subdistrict-" + strconv.Itoa(s.Code) }

// Prefix is ตำบล, or แขวง in Bangkok.
func (s *Subdistrict) Prefix() string {
	if s.District.Province.Code == 10 {
		return "แขวง"
	}
	return "ตำบล"
}

// DistrictPrefix is อำเภอ, or เขต in Bangkok (whose names carry it already).
func (d *District) Short() string { return strings.TrimPrefix(d.NameTh, "เขต") }

// LoadGeography reads the two datasets under dir (data/thai-geography).
// kongvut/thai-province-data gives districts, subdistricts, postal codes and
// regions; thailand-geography-json gives the ISO province codes (joined on
// the Thai province name, as seed/geography.yaml does) and alternative
// names. kongvut's two "ท้องถิ่นเทศบาลตำบล…" entries, which are
// municipalities listed as districts and hold no subdistrict, are left out.
func LoadGeography(dir string) (*Geography, error) {
	read := func(rel string, v any) error {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return fmt.Errorf("geography: %w (run from the repository root or pass -geo-dir)", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("geography: %s: %w", rel, err)
		}
		return nil
	}
	var kp []struct {
		ID     int    `json:"id"`
		NameTh string `json:"name_th"`
		NameEn string `json:"name_en"`
		Geo    int    `json:"geography_id"`
	}
	var kd []struct {
		ID     int    `json:"id"`
		NameTh string `json:"name_th"`
		NameEn string `json:"name_en"`
		Prov   int    `json:"province_id"`
	}
	var ks []struct {
		ID     int    `json:"id"`
		Zip    int    `json:"zip_code"`
		NameTh string `json:"name_th"`
		NameEn string `json:"name_en"`
		Dist   int    `json:"district_id"`
	}
	var tp []struct {
		Code   int    `json:"provinceCode"`
		NameTh string `json:"provinceNameTh"`
		NameEn string `json:"provinceNameEn"`
	}
	var td []struct {
		Code   int    `json:"districtCode"`
		NameTh string `json:"districtNameTh"`
		NameEn string `json:"districtNameEn"`
	}
	var ts []struct {
		Code   int    `json:"subdistrictCode"`
		NameEn string `json:"subdistrictNameEn"`
	}
	for _, f := range []struct {
		rel string
		v   any
	}{
		{"kongvut-thai-province-data/provinces.json", &kp},
		{"kongvut-thai-province-data/districts.json", &kd},
		{"kongvut-thai-province-data/sub_districts.json", &ks},
		{"thailand-geography-json/provinces.json", &tp},
		{"thailand-geography-json/districts.json", &td},
		{"thailand-geography-json/subdistricts.json", &ts},
	} {
		if err := read(f.rel, f.v); err != nil {
			return nil, err
		}
	}
	codeByName := map[string]int{}
	for _, p := range tp {
		codeByName[p.NameTh] = p.Code
	}
	g := &Geography{}
	byKongvut := map[int]*Province{}
	for _, p := range kp {
		code, ok := codeByName[p.NameTh]
		if !ok {
			return nil, fmt.Errorf("geography: province %s has no code in thailand-geography-json", p.NameTh)
		}
		pr := &Province{Code: code, KongvutID: p.ID, NameTh: p.NameTh, NameEn: p.NameEn, Region: p.Geo}
		byKongvut[p.ID] = pr
		g.Provinces = append(g.Provinces, pr)
	}
	sort.Slice(g.Provinces, func(i, j int) bool { return g.Provinces[i].Code < g.Provinces[j].Code })
	tdByCode := map[int]int{}
	for i, d := range td {
		tdByCode[d.Code] = i
	}
	tsByCode := map[int]string{}
	for _, s := range ts {
		tsByCode[s.Code] = s.NameEn
	}
	sort.Slice(kd, func(i, j int) bool { return kd[i].ID < kd[j].ID })
	dByCode := map[int]*District{}
	for _, d := range kd {
		if strings.HasPrefix(d.NameTh, "ท้องถิ่น") {
			continue
		}
		pr := byKongvut[d.Prov]
		if pr == nil {
			return nil, fmt.Errorf("geography: district %d has unknown province_id %d", d.ID, d.Prov)
		}
		di := &District{Code: d.ID, NameTh: d.NameTh, NameEn: d.NameEn, Province: pr, Index: len(g.Districts)}
		if i, ok := tdByCode[d.ID]; ok {
			if td[i].NameTh != d.NameTh {
				di.AltTh = td[i].NameTh
			}
			if td[i].NameEn != d.NameEn {
				di.AltEn = td[i].NameEn
			}
		}
		pr.Districts = append(pr.Districts, di)
		g.Districts = append(g.Districts, di)
		dByCode[d.ID] = di
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].ID < ks[j].ID })
	for _, s := range ks {
		di := dByCode[s.Dist]
		if di == nil {
			return nil, fmt.Errorf("geography: subdistrict %d has unknown district_id %d", s.ID, s.Dist)
		}
		su := &Subdistrict{Code: s.ID, NameTh: s.NameTh, NameEn: s.NameEn, District: di, Index: len(g.Subs)}
		if s.Zip > 0 {
			su.Postal = strconv.Itoa(s.Zip)
		}
		if en, ok := tsByCode[s.ID]; ok && en != s.NameEn {
			su.AltEn = en
		}
		di.Subs = append(di.Subs, su)
		g.Subs = append(g.Subs, su)
	}
	for _, d := range g.Districts {
		if len(d.Subs) == 0 {
			return nil, fmt.Errorf("geography: district %d has no subdistrict", d.Code)
		}
	}
	return g, nil
}

// regionIDs maps kongvut geography_id to the seed's region ids.
var regionIDs = map[int]string{1: "region-north", 2: "region-central", 3: "region-northeast", 4: "region-west", 5: "region-east", 6: "region-south"}
