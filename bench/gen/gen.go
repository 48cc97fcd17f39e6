// Package gen generates a national-scale graph shaped like Phakhi's domain:
// Thailand's real provinces, districts and subdistricts (from the shipped
// datasets, cited as dataset-thai-geography) and, at a chosen scale,
// synthetic community welfare funds, village funds, savings groups, credit
// unions, provincial and district offices of the national agencies,
// people, events and programs, every node and relationship cited to the
// Source node synthetic-generator and dated. The output is deterministic
// for a given seed and parameters. cmd/phakhi-gen loads it into Neo4j;
// cmd/phakhi-bench uses it for the national-scale benchmark.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/phakhi/phakhi/domain"
)

// SourceID is the Source node every synthetic fact cites.
const SourceID = "synthetic-generator"

// GeoSourceID is the seed's Source node of the geography datasets.
const GeoSourceID = "dataset-thai-geography"

// Seed-graph ids the synthetic data links to (seed/graph.yaml).
const (
	seedCDD       = "cdd"
	seedMSDHS     = "msdhs"
	seedBAAC      = "baac"
	seedCODI      = "codi"
	seedCODISouth = "codi-south"
	seedMovement  = "community-finance-welfare-movement"
	seedSajja     = "sajja-savings-network"
	seedCU        = "credit-unions"
)

// Params are the sizes of the synthetic layer. Rates "per subdistrict" are
// averages over Thailand's 7,451 subdistricts (each subdistrict gets a
// population weight between 0.5 and 1.5); fractions are drawn by
// stochastic rounding, so small rates still give some units.
type Params struct {
	Scale float64 // what the defaults were scaled by (reported only)
	Seed  uint64

	WelfareFundShare    float64 // subdistricts with a community welfare fund (not scaled)
	PeoplePerSub        float64
	VillageFundsPerSub  float64
	SavingsGroupsPerSub float64
	CreditUnionsPerSub  float64
	EventsPerSub        float64
	PeoplePerEvent      int // people taking part in a local event (at most the subdistrict's people)
	ForumsPerProvince   float64
	ProgramsPerProvince float64

	// Offices of the national agencies and their staff (not scaled).
	StaffPerDistrictOffice   int
	StaffPerProvincialOffice int
}

// DefaultParams are the parameters for scale (1 ≈ 1M nodes, 4.5M
// relationships; 0.1 ≈ 110k nodes).
func DefaultParams(scale float64) Params {
	return Params{
		Scale:                    scale,
		Seed:                     1,
		WelfareFundShare:         0.85,
		PeoplePerSub:             110 * scale,
		VillageFundsPerSub:       10 * scale,
		SavingsGroupsPerSub:      3 * scale,
		CreditUnionsPerSub:       0.1 * scale,
		EventsPerSub:             6 * scale,
		PeoplePerEvent:           25,
		ForumsPerProvince:        40 * scale,
		ProgramsPerProvince:      48 * scale,
		StaffPerDistrictOffice:   3,
		StaffPerProvincialOffice: 6,
	}
}

// Sink receives what the generator makes. Shared records may already be
// in the graph (the seed holds some districts and subdistricts): they are
// merged without overwriting; the rest are new.
type Sink interface {
	Node(n *domain.NodeRecord, shared bool)
	Rel(r *domain.RelRecord, shared bool)
}

// Counts are what one generation made, by label and type.
type Counts struct {
	Nodes, Rels   int
	ByLabel       map[string]int
	ByType        map[string]int
	Provinces     int
	Districts     int
	Subdistricts  int
	WelfareFunds  int
	VillageFunds  int
	SavingsGroups int
	CreditUnions  int
	People        int
	Events        int
	Programs      int
}

type subCounts struct {
	weight   float64
	welfare  bool
	cu       bool
	villages int
	savings  int
	people   int
	events   int
}

// Generator walks the graph for one geography and parameter set.
type Generator struct {
	G    *Geography
	P    Params
	subs []subCounts
	// provinces' subdistricts that have a welfare fund, for forums and programs
	funds map[*Province][]*Subdistrict
}

// New prepares a generator: it draws the sizes of every subdistrict.
func New(g *Geography, p Params) *Generator {
	gen := &Generator{G: g, P: p, subs: make([]subCounts, len(g.Subs)), funds: map[*Province][]*Subdistrict{}}
	for i, s := range g.Subs {
		r := gen.rng(1, uint64(s.Code))
		w := 0.5 + r.Float64()
		c := subCounts{weight: w}
		c.welfare = r.Float64() < p.WelfareFundShare
		c.cu = r.Float64() < p.CreditUnionsPerSub*w
		c.villages = sround(r, p.VillageFundsPerSub*w)
		c.savings = sround(r, p.SavingsGroupsPerSub*w)
		c.people = sround(r, p.PeoplePerSub*w)
		c.events = sround(r, p.EventsPerSub*w)
		gen.subs[i] = c
		if c.welfare {
			pr := s.District.Province
			gen.funds[pr] = append(gen.funds[pr], s)
		}
	}
	return gen
}

// rng is the random stream of one unit of the walk: the same unit gives
// the same stream in every pass and whatever else is generated.
func (g *Generator) rng(tag, unit uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.P.Seed, tag<<48^unit*0x9E3779B97F4A7C15))
}

func sround(r *rand.Rand, x float64) int {
	if x <= 0 {
		return 0
	}
	f := math.Floor(x)
	if r.Float64() < x-f {
		f++
	}
	return int(f)
}

// ------------------------------------------------------------ records

type emitter struct {
	sink   Sink
	nodes  bool
	rels   bool
	counts *Counts
	seed   uint64
}

func (e *emitter) node(n *domain.NodeRecord, shared bool) {
	e.counts.Nodes++
	e.counts.ByLabel[n.Label]++
	if e.nodes {
		e.sink.Node(n, shared)
	}
}

func (e *emitter) rel(r *domain.RelRecord, shared bool) {
	e.counts.Rels++
	e.counts.ByType[r.Type]++
	if e.rels {
		e.sink.Rel(r, shared)
	}
}

// synthetic node: cited to the generator
func (e *emitter) syn(id, label, kind, name, nameEn string, start *domain.PartialDate, aliases ...string) *domain.NodeRecord {
	return &domain.NodeRecord{ID: id, Label: label, Kind: kind, Name: name, NameEn: nameEn, Aliases: aliases, Start: start,
		Evidence: []domain.Evidence{{Source: SourceID, Quote: name, Locator: "phakhi-gen " + label + " seed=" + strconv.FormatUint(e.seed, 10)}}}
}

var relQuotes = map[string]string{
	domain.RelPartOf:         "สังกัด",
	domain.RelLocatedIn:      "ตั้งอยู่ที่",
	domain.RelMemberOf:       "เป็นสมาชิก",
	domain.RelWorksFor:       "ปฏิบัติงานที่",
	domain.RelHoldsPosition:  "ดำรงตำแหน่ง",
	domain.RelLeads:          "เป็นประธาน",
	domain.RelOrganizes:      "เป็นผู้จัด",
	domain.RelParticipatesIn: "เข้าร่วม",
	domain.RelFunds:          "สนับสนุนงบประมาณ",
	domain.RelSupports:       "ให้การสนับสนุน",
	domain.RelRuns:           "ดำเนินการ",
	domain.RelAdvances:       "ขับเคลื่อน",
	domain.RelHeldAt:         "จัดที่",
	domain.RelFollowsFrom:    "สืบเนื่องจาก",
}

func (e *emitter) link(typ, from, to, role string, start *domain.PartialDate) {
	r := &domain.RelRecord{Type: typ, From: from, To: to, Role: role, Start: start,
		Evidence: []domain.Evidence{{Source: SourceID, Quote: relQuotes[typ], Locator: "phakhi-gen " + typ}}}
	if typ == domain.RelParticipatesIn && role != "" {
		r.RoleTh = domain.ParticipationRoles[role]
	} else if role != "" {
		r.RoleTh = role
	}
	e.rel(r, false)
}

func year(y int) *domain.PartialDate {
	return &domain.PartialDate{Date: strconv.Itoa(y), Precision: domain.DatePrecisionYear}
}

func month(y, m int) *domain.PartialDate {
	return &domain.PartialDate{Date: fmt.Sprintf("%04d-%02d", y, m), Precision: domain.DatePrecisionMonth}
}

// eventDate is a day (90%) or a month, with the Thai text (Buddhist Era).
func eventDate(r *rand.Rand, from, to int) *domain.PartialDate {
	y := from + r.IntN(to-from+1)
	m := 1 + r.IntN(12)
	if r.IntN(10) == 0 {
		return &domain.PartialDate{Date: fmt.Sprintf("%04d-%02d", y, m), Precision: domain.DatePrecisionMonth,
			Text: fmt.Sprintf("%s %d", thaiMonths[m], y+543)}
	}
	d := 1 + r.IntN(27)
	return &domain.PartialDate{Date: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Precision: domain.DatePrecisionDay,
		Text: fmt.Sprintf("%d %s %d", d, thaiMonths[m], y+543)}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// ------------------------------------------------------------ ids

func provOffice(agency string, p *Province) string {
	return fmt.Sprintf("%s-office-TH-%02d", agency, p.Code)
}
func welfareNetwork(p *Province) string         { return fmt.Sprintf("welfare-network-TH-%02d", p.Code) }
func districtOffice(d *District) string         { return "cdd-office-" + strconv.Itoa(d.Code) }
func welfareFund(s *Subdistrict) string         { return "welfare-fund-" + strconv.Itoa(s.Code) }
func villageFund(s *Subdistrict, i int) string  { return fmt.Sprintf("village-fund-%d-%d", s.Code, i) }
func savingsGroup(s *Subdistrict, i int) string { return fmt.Sprintf("savings-group-%d-%d", s.Code, i) }
func creditUnion(s *Subdistrict) string         { return "credit-union-" + strconv.Itoa(s.Code) }
func person(s *Subdistrict, i int) string       { return fmt.Sprintf("person-%d-%d", s.Code, i) }

// PersonID, WelfareFundID, … name generated nodes for the benchmark.
func PersonID(subCode, i int) string { return fmt.Sprintf("person-%d-%d", subCode, i) }

// ------------------------------------------------------------ the walk

// Run walks the whole graph once, giving nodes and/or relationships to
// sink. Loading takes two passes (nodes, then relationships), which see
// the same graph.
func (g *Generator) Run(sink Sink, nodes, rels bool) Counts {
	c := Counts{ByLabel: map[string]int{}, ByType: map[string]int{}}
	e := &emitter{sink: sink, nodes: nodes, rels: rels, counts: &c, seed: g.P.Seed}
	g.source(e)
	g.geography(e)
	for _, p := range g.G.Provinces {
		g.province(e, p)
	}
	for _, d := range g.G.Districts {
		g.district(e, d)
	}
	for _, s := range g.G.Subs {
		g.subdistrict(e, s)
	}
	for _, p := range g.G.Provinces {
		g.forums(e, p)
		g.programs(e, p)
	}
	c.Provinces, c.Districts, c.Subdistricts = len(g.G.Provinces), len(g.G.Districts), len(g.G.Subs)
	return c
}

func (g *Generator) source(e *emitter) {
	p := g.P
	desc := fmt.Sprintf("ข้อมูลสังเคราะห์ระดับประเทศสำหรับทดสอบสมรรถนะ สร้างโดย phakhi-gen (seed %d, scale %g) ไม่ใช่ข้อมูลจริง", p.Seed, p.Scale)
	descEn := fmt.Sprintf("Synthetic national-scale data for performance tests, generated by cmd/phakhi-gen (seed %d, scale %g; per subdistrict: people %.3g, village funds %.3g, savings groups %.3g, credit unions %.3g, events %.3g; welfare-fund share %.2f; per province: forums %.3g, programs %.3g). Names, people, events and programs are invented; only the geography is real (dataset-thai-geography).",
		p.Seed, p.Scale, p.PeoplePerSub, p.VillageFundsPerSub, p.SavingsGroupsPerSub, p.CreditUnionsPerSub, p.EventsPerSub, p.WelfareFundShare, p.ForumsPerProvince, p.ProgramsPerProvince)
	n := &domain.NodeRecord{ID: SourceID, Label: domain.LabelSource, Kind: "DATASET",
		Name: "ข้อมูลสังเคราะห์สำหรับทดสอบสมรรถนะ (phakhi-gen)", NameEn: "Synthetic national-scale data (phakhi-gen)",
		Description: desc, DescriptionEn: descEn,
		Evidence: []domain.Evidence{{Source: SourceID, Quote: desc, Locator: "cmd/phakhi-gen", Note: "The generator's own record of what it made."}}}
	e.node(n, false)
}

func (g *Generator) geography(e *emitter) {
	for _, d := range g.G.Districts {
		n := &domain.NodeRecord{ID: d.ID(), Label: domain.LabelDistrict, Name: d.NameTh, NameEn: d.NameEn, Code: strconv.Itoa(d.Code),
			Evidence: []domain.Evidence{{Source: GeoSourceID, Quote: d.NameTh,
				Locator: fmt.Sprintf("kongvut-thai-province-data/districts.json id=%d (province_id=%d)", d.Code, d.Province.KongvutID)}}}
		if d.AltTh != "" {
			n.Aliases = append(n.Aliases, d.AltTh)
		}
		if d.AltEn != "" {
			n.Aliases = append(n.Aliases, d.AltEn)
		}
		e.node(n, true)
		e.rel(&domain.RelRecord{Type: domain.RelPartOf, From: d.ID(), To: d.Province.ID(),
			Evidence: []domain.Evidence{{Source: GeoSourceID, Quote: d.NameTh,
				Locator: fmt.Sprintf("kongvut-thai-province-data/districts.json id=%d province_id=%d (%s)", d.Code, d.Province.KongvutID, d.Province.NameTh)}}}, true)
	}
	for _, s := range g.G.Subs {
		n := &domain.NodeRecord{ID: s.ID(), Label: domain.LabelSubdistrict, Name: s.NameTh, NameEn: s.NameEn,
			Code: strconv.Itoa(s.Code), PostalCode: s.Postal, Aliases: []string{s.Prefix() + s.NameTh},
			Evidence: []domain.Evidence{{Source: GeoSourceID, Quote: s.NameTh,
				Locator: fmt.Sprintf("kongvut-thai-province-data/sub_districts.json id=%d district_id=%d zip_code=%s", s.Code, s.District.Code, s.Postal)}}}
		if s.AltEn != "" {
			n.Aliases = append(n.Aliases, s.AltEn)
		}
		e.node(n, true)
		e.rel(&domain.RelRecord{Type: domain.RelPartOf, From: s.ID(), To: s.District.ID(),
			Evidence: []domain.Evidence{{Source: GeoSourceID, Quote: s.NameTh,
				Locator: fmt.Sprintf("kongvut-thai-province-data/sub_districts.json id=%d district_id=%d", s.Code, s.District.Code)}}}, true)
	}
}

var provHeads = map[string]string{
	"cdd":   "พัฒนาการจังหวัด",
	"msdhs": "พัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด",
	"baac":  "ผู้อำนวยการสำนักงาน ธ.ก.ส. จังหวัด",
}

var staffRoles = []string{"นักวิชาการพัฒนาชุมชน", "นักพัฒนาสังคม", "เจ้าหน้าที่โครงการ", "พัฒนากร", "นักวิเคราะห์นโยบายและแผน"}

// province: the provincial offices of cdd, msdhs and baac, the provincial
// network of welfare funds, and their staff.
func (g *Generator) province(e *emitter, p *Province) {
	r := g.rng(2, uint64(p.Code))
	pn, pe := p.NameTh, p.NameEn
	offices := []struct {
		agency, parent, kind, name, nameEn, alias string
		founded                                   int
	}{
		{"cdd", seedCDD, "GOVERNMENT_OFFICE", "สำนักงานพัฒนาชุมชนจังหวัด" + pn, pe + " Provincial Community Development Office", "พช.จังหวัด" + pn, 1962},
		{"msdhs", seedMSDHS, "GOVERNMENT_OFFICE", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด" + pn, pe + " Provincial Office of Social Development and Human Security", "พมจ." + pn, 2002},
		{"baac", seedBAAC, "UNIT", "สำนักงาน ธ.ก.ส. จังหวัด" + pn, "BAAC " + pe + " Provincial Office", "ธ.ก.ส.จังหวัด" + pn, 1966},
	}
	for _, o := range offices {
		id := provOffice(o.agency, p)
		e.node(e.syn(id, domain.LabelAgency, o.kind, o.name, o.nameEn, year(o.founded), o.alias), false)
		e.link(domain.RelPartOf, id, o.parent, "", year(o.founded))
		e.link(domain.RelLocatedIn, id, p.ID(), "", year(o.founded))
		for k := 1; k <= g.P.StaffPerProvincialOffice; k++ {
			sid := fmt.Sprintf("staff-%s-TH-%02d-%d", o.agency, p.Code, k)
			name, nameEn := personName(r)
			e.node(e.syn(sid, domain.LabelPerson, "", name, nameEn, nil), false)
			since := month(2008+r.IntN(17), 1+r.IntN(12))
			if k == 1 {
				e.link(domain.RelHoldsPosition, sid, id, provHeads[o.agency], since)
			} else {
				e.link(domain.RelWorksFor, sid, id, pick(r, staffRoles), since)
			}
		}
	}
	wn := welfareNetwork(p)
	founded := 2008 + r.IntN(6)
	e.node(e.syn(wn, domain.LabelNetwork, "NETWORK", "เครือข่ายกองทุนสวัสดิการชุมชนจังหวัด"+pn, pe+" Provincial Network of Community Welfare Funds", year(founded)), false)
	e.link(domain.RelLocatedIn, wn, p.ID(), "", year(founded))
	e.link(domain.RelMemberOf, wn, seedMovement, "", year(founded))
	e.link(domain.RelSupports, seedCODI, wn, "", year(founded))
	e.link(domain.RelAdvances, wn, "side-social-process", "", year(founded))
}

func personName(r *rand.Rand) (string, string) {
	last := pick(r, surnames)
	switch r.IntN(3) {
	case 0:
		f := pick(r, maleFirst)
		return "นาย" + f.th + " " + last.th, "Mr. " + f.en + " " + last.en
	case 1:
		f := pick(r, femaleFirst)
		return "นาง" + f.th + " " + last.th, "Mrs. " + f.en + " " + last.en
	}
	f := pick(r, femaleFirst)
	return "นางสาว" + f.th + " " + last.th, "Ms. " + f.en + " " + last.en
}

// district: the district community development office and its staff.
func (g *Generator) district(e *emitter, d *District) {
	r := g.rng(3, uint64(d.Code))
	id := districtOffice(d)
	short := d.Short()
	name := "สำนักงานพัฒนาชุมชนอำเภอ" + short
	if d.Province.Code == 10 {
		name = "ฝ่ายพัฒนาชุมชนและสวัสดิการสังคม" + d.NameTh
	}
	founded := 1962 + r.IntN(40)
	e.node(e.syn(id, domain.LabelAgency, "GOVERNMENT_OFFICE", name, d.NameEn+" District Community Development Office", year(founded)), false)
	e.link(domain.RelPartOf, id, provOffice("cdd", d.Province), "", year(founded))
	e.link(domain.RelLocatedIn, id, d.ID(), "", year(founded))
	for k := 1; k <= g.P.StaffPerDistrictOffice; k++ {
		sid := fmt.Sprintf("staff-cdd-%d-%d", d.Code, k)
		pname, pen := personName(r)
		e.node(e.syn(sid, domain.LabelPerson, "", pname, pen, nil), false)
		since := month(2008+r.IntN(17), 1+r.IntN(12))
		if k == 1 {
			e.link(domain.RelHoldsPosition, sid, id, "พัฒนาการอำเภอ", since)
		} else {
			e.link(domain.RelWorksFor, sid, id, "พัฒนากร", since)
		}
	}
}

func villageName(r *rand.Rand) pair {
	a, b := pick(r, villagePrefix), pick(r, villageSuffix)
	return pair{"บ้าน" + a.th + b.th, "Ban " + a.en + " " + b.en}
}

var eventRoles = []string{"PARTICIPANT", "PARTICIPANT", "PARTICIPANT", "PARTICIPANT", "PARTICIPANT", "PARTICIPANT", "INVITED", "SPEAKER"}

// subdistrict: its funds, groups, credit union, people and local events.
func (g *Generator) subdistrict(e *emitter, s *Subdistrict) {
	c := g.subs[s.Index]
	r := g.rng(4, uint64(s.Code))
	d, p := s.District, s.District.Province
	pre := s.Prefix()
	var groups []string // local groups, for events

	if c.welfare {
		id := welfareFund(s)
		founded := 2007 + r.IntN(10)
		e.node(e.syn(id, domain.LabelNetwork, "FUNDS", "กองทุนสวัสดิการชุมชน"+pre+s.NameTh, s.NameEn+" Community Welfare Fund", year(founded)), false)
		e.counts.WelfareFunds++
		e.link(domain.RelLocatedIn, id, s.ID(), "", year(founded))
		e.link(domain.RelMemberOf, id, welfareNetwork(p), "", year(founded+r.IntN(3)))
		e.link(domain.RelSupports, provOffice("msdhs", p), id, "", year(founded))
		groups = append(groups, id)
	}
	villages := make([]pair, c.villages)
	for i := 1; i <= c.villages; i++ {
		v := villageName(r)
		villages[i-1] = v
		id := villageFund(s, i)
		founded := 2001 + r.IntN(3)
		e.node(e.syn(id, domain.LabelNetwork, "FUNDS", fmt.Sprintf("กองทุนหมู่บ้าน%s หมู่ที่ %d %s%s", v.th, i, pre, s.NameTh),
			fmt.Sprintf("%s Village Fund, Moo %d, %s", v.en, i, s.NameEn), year(founded)), false)
		e.counts.VillageFunds++
		e.link(domain.RelLocatedIn, id, s.ID(), "", year(founded))
		e.link(domain.RelSupports, districtOffice(d), id, "", year(founded))
		groups = append(groups, id)
	}
	for j := 1; j <= c.savings; j++ {
		id := savingsGroup(s, j)
		founded := 1990 + r.IntN(30)
		var name, nameEn string
		if len(villages) > 0 && r.IntN(2) == 0 {
			v := villages[r.IntN(len(villages))]
			name, nameEn = "กลุ่มสัจจะออมทรัพย์"+v.th, v.en+" Sajja Savings Group"
		} else {
			name, nameEn = fmt.Sprintf("กลุ่มออมทรัพย์เพื่อการผลิต%s%s %d", pre, s.NameTh, j), fmt.Sprintf("%s Savings Group for Production %d", s.NameEn, j)
		}
		e.node(e.syn(id, domain.LabelNetwork, "SAVINGS_GROUPS", name, nameEn, year(founded)), false)
		e.counts.SavingsGroups++
		e.link(domain.RelLocatedIn, id, s.ID(), "", year(founded))
		e.link(domain.RelSupports, districtOffice(d), id, "", year(founded))
		if r.IntN(10) == 0 {
			e.link(domain.RelMemberOf, id, seedSajja, "", year(founded+r.IntN(5)))
		}
		groups = append(groups, id)
	}
	if c.cu {
		id := creditUnion(s)
		founded := 1965 + r.IntN(50)
		e.node(e.syn(id, domain.LabelAgency, "OTHER", "สหกรณ์เครดิตยูเนี่ยน"+s.NameTh+" จำกัด", s.NameEn+" Credit Union Cooperative Ltd.", year(founded), "เครดิตยูเนี่ยน"+s.NameTh), false)
		e.counts.CreditUnions++
		e.link(domain.RelLocatedIn, id, s.ID(), "", year(founded))
		e.link(domain.RelMemberOf, id, seedCU, "", year(founded))
	}
	// people
	for k := 1; k <= c.people; k++ {
		id := person(s, k)
		name, nameEn := personName(r)
		e.node(e.syn(id, domain.LabelPerson, "", name, nameEn, nil), false)
		e.counts.People++
		e.link(domain.RelLocatedIn, id, s.ID(), "", year(2000+r.IntN(25)))
		if c.welfare && r.Float64() < 0.6 {
			e.link(domain.RelMemberOf, id, welfareFund(s), "", year(2008+r.IntN(17)))
		}
		if c.villages > 0 && r.Float64() < 0.85 {
			e.link(domain.RelMemberOf, id, villageFund(s, (k-1)%c.villages+1), "", year(2002+r.IntN(23)))
		}
		if c.savings > 0 && r.Float64() < 0.6 {
			e.link(domain.RelMemberOf, id, savingsGroup(s, 1+r.IntN(c.savings)), "", year(1995+r.IntN(30)))
		}
		if c.cu && r.Float64() < 0.3 {
			e.link(domain.RelMemberOf, id, creditUnion(s), "", year(1995+r.IntN(30)))
		}
	}
	// leaders of the local groups
	if c.people > 0 {
		for _, gid := range groups {
			e.link(domain.RelLeads, person(s, 1+r.IntN(c.people)), gid, "ประธานกรรมการ", year(2010+r.IntN(15)))
		}
	}
	// local events
	for k := 1; k <= c.events; k++ {
		id := fmt.Sprintf("event-%d-%d", s.Code, k)
		date := eventDate(r, 2005, 2024)
		by := date.Date[:4]
		yBE, _ := strconv.Atoi(by)
		yBE += 543
		organizer := ""
		orgName := "ชุมชน" + pre + s.NameTh
		if c.welfare {
			organizer, orgName = welfareFund(s), "กองทุนสวัสดิการชุมชน"+pre+s.NameTh
		} else if len(groups) > 0 {
			organizer = groups[0]
		}
		var kind, name, nameEn string
		place := s.ID()
		switch x := r.IntN(20); {
		case x < 10:
			kind = "MEETING"
			name = fmt.Sprintf("ประชุมคณะกรรมการ%s ครั้งที่ %d/%d", orgName, 1+r.IntN(12), yBE)
			nameEn = fmt.Sprintf("Committee meeting, %s, %s", s.NameEn, by)
		case x < 15:
			kind = "FORUM"
			name = fmt.Sprintf("เวทีแลกเปลี่ยนเรียนรู้สวัสดิการชุมชน%s%s ปี %d", pre, s.NameTh, yBE)
			nameEn = fmt.Sprintf("Community welfare learning forum, %s, %s", s.NameEn, by)
		case x < 17:
			kind = "SEMINAR"
			name = fmt.Sprintf("อบรมการจัดทำบัญชีกองทุนชุมชนอำเภอ%s ปี %d", d.Short(), yBE)
			nameEn = fmt.Sprintf("Bookkeeping training for community funds, %s, %s", d.NameEn, by)
			place = d.ID()
		default:
			kind = "WORKING_GROUP"
			name = fmt.Sprintf("ประชุมคณะทำงานพัฒนาระบบสวัสดิการ%s%s ปี %d", pre, s.NameTh, yBE)
			nameEn = fmt.Sprintf("Welfare system working group, %s, %s", s.NameEn, by)
		}
		e.node(e.syn(id, domain.LabelEvent, kind, name, nameEn, date), false)
		e.counts.Events++
		e.link(domain.RelHeldAt, id, place, "", date)
		if organizer != "" {
			e.link(domain.RelOrganizes, organizer, id, "", date)
		}
		e.link(domain.RelParticipatesIn, districtOffice(d), id, "SUPPORT_PARTNER", date)
		if r.IntN(5) == 0 {
			e.link(domain.RelParticipatesIn, provOffice("msdhs", p), id, "POLICY_SUPPORT_PARTNER", date)
		}
		// a few local groups take part besides the organizer
		for _, gi := range sample(r, len(groups), 3) {
			if groups[gi] != organizer {
				e.link(domain.RelParticipatesIn, groups[gi], id, "OPERATIONAL_PARTNER", date)
			}
		}
		if c.cu && r.IntN(3) == 0 {
			e.link(domain.RelParticipatesIn, creditUnion(s), id, "OPERATIONAL_PARTNER", date)
		}
		n := g.P.PeoplePerEvent/2 + r.IntN(g.P.PeoplePerEvent+1)
		for _, pi := range sample(r, c.people, n) {
			e.link(domain.RelParticipatesIn, person(s, pi+1), id, pick(r, eventRoles), date)
		}
	}
}

// sample is k distinct indices of [0, n) (all of them if k >= n).
func sample(r *rand.Rand, n, k int) []int {
	if n <= 0 || k <= 0 {
		return nil
	}
	if k >= n {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	if k*4 < n {
		seen := make(map[int]bool, k)
		out := make([]int, 0, k)
		for len(out) < k {
			x := r.IntN(n)
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
		return out
	}
	return r.Perm(n)[:k]
}

// forums: the provincial assemblies (a yearly series) and network forums.
func (g *Generator) forums(e *emitter, p *Province) {
	r := g.rng(5, uint64(p.Code))
	n := sround(r, g.P.ForumsPerProvince)
	subs := allSubs(p)
	prev := ""
	for k := 1; k <= n; k++ {
		id := fmt.Sprintf("forum-TH-%02d-%d", p.Code, k)
		var date *domain.PartialDate
		var name, nameEn string
		if k <= 17 { // the yearly assembly, 2008-2024
			y := 2007 + k
			m, dd := 1+r.IntN(12), 1+r.IntN(27)
			date = &domain.PartialDate{Date: fmt.Sprintf("%04d-%02d-%02d", y, m, dd), Precision: domain.DatePrecisionDay, Text: fmt.Sprintf("%d %s %d", dd, thaiMonths[m], y+543)}
			name = fmt.Sprintf("สมัชชาสวัสดิการชุมชนจังหวัด%s ครั้งที่ %d", p.NameTh, k)
			nameEn = fmt.Sprintf("%s Provincial Community Welfare Assembly no. %d", p.NameEn, k)
		} else {
			date = eventDate(r, 2008, 2024)
			name = fmt.Sprintf("เวทีเครือข่ายกองทุนสวัสดิการชุมชนจังหวัด%s %s", p.NameTh, date.Text)
			nameEn = fmt.Sprintf("%s welfare fund network forum, %s", p.NameEn, date.Date)
		}
		e.node(e.syn(id, domain.LabelEvent, "FORUM", name, nameEn, date), false)
		e.counts.Events++
		e.link(domain.RelHeldAt, id, p.ID(), "", date)
		e.link(domain.RelOrganizes, welfareNetwork(p), id, "", date)
		if k <= 17 && prev != "" {
			e.link(domain.RelFollowsFrom, id, prev, "", date)
		}
		if k <= 17 {
			prev = id
		}
		e.link(domain.RelParticipatesIn, provOffice("cdd", p), id, "SUPPORT_PARTNER", date)
		e.link(domain.RelParticipatesIn, provOffice("msdhs", p), id, "POLICY_SUPPORT_PARTNER", date)
		if r.IntN(2) == 0 {
			e.link(domain.RelParticipatesIn, provOffice("baac", p), id, "SUPPORT_PARTNER", date)
		}
		if p.Region == 6 && r.IntN(3) == 0 {
			e.link(domain.RelParticipatesIn, seedCODISouth, id, "SUPPORT_PARTNER", date)
		}
		funds := g.funds[p]
		for _, fi := range sample(r, len(funds), 10) {
			e.link(domain.RelParticipatesIn, welfareFund(funds[fi]), id, "OPERATIONAL_PARTNER", date)
		}
		seen := map[string]bool{}
		for tries := 0; len(seen) < 12 && tries < 40; tries++ {
			s := subs[r.IntN(len(subs))]
			np := g.subs[s.Index].people
			if np == 0 {
				continue
			}
			pid := person(s, 1+r.IntN(np))
			if seen[pid] {
				continue
			}
			seen[pid] = true
			role := "PARTICIPANT"
			if len(seen) <= 2 {
				role = "SPEAKER"
			}
			e.link(domain.RelParticipatesIn, pid, id, role, date)
		}
	}
}

func allSubs(p *Province) []*Subdistrict {
	var out []*Subdistrict
	for _, d := range p.Districts {
		out = append(out, d.Subs...)
	}
	return out
}

var programNames = []struct{ kind, th, en string }{
	{"PROJECT", "โครงการส่งเสริมการจัดสวัสดิการชุมชนจังหวัด%s ปีงบประมาณ %d", "Community welfare promotion project, %s, fiscal year %d"},
	{"PROGRAM", "แผนงานพัฒนาศักยภาพกองทุนหมู่บ้านจังหวัด%s ปี %d", "Village fund capacity programme, %s, %d"},
	{"PROJECT", "โครงการจัดการความรู้องค์กรการเงินชุมชนจังหวัด%s ปี %d", "Knowledge management for community financial organizations, %s, %d"},
	{"FUND", "กองทุนสมทบสวัสดิการชุมชนจังหวัด%s ปี %d", "Community welfare matching fund, %s, %d"},
	{"PROJECT", "โครงการสร้างนโยบายสาธารณะด้านสวัสดิการชุมชนจังหวัด%s ปี %d", "Public policy on community welfare, %s, %d"},
}

var sides = []string{"side-social-process", "side-social-process", "side-knowledge", "side-politics"}

// programs: provincial programs run and funded by the provincial offices,
// with funds taking part.
func (g *Generator) programs(e *emitter, p *Province) {
	r := g.rng(6, uint64(p.Code))
	n := sround(r, g.P.ProgramsPerProvince)
	subs := allSubs(p)
	for k := 1; k <= n; k++ {
		id := fmt.Sprintf("program-TH-%02d-%d", p.Code, k)
		pn := programNames[r.IntN(len(programNames))]
		y := 2006 + r.IntN(18)
		var start *domain.PartialDate
		if r.IntN(2) == 0 {
			start = year(y)
		} else {
			start = month(y, 1+r.IntN(12))
		}
		node := e.syn(id, domain.LabelProgram, pn.kind, fmt.Sprintf(pn.th, p.NameTh, y+543), fmt.Sprintf(pn.en, p.NameEn, y), start)
		node.End = year(y + 1 + r.IntN(3))
		e.node(node, false)
		e.counts.Programs++
		runner := provOffice("msdhs", p)
		if r.IntN(2) == 0 {
			runner = provOffice("cdd", p)
		}
		e.link(domain.RelRuns, runner, id, "", start)
		funder := provOffice("msdhs", p)
		if r.IntN(10) < 3 {
			funder = provOffice("baac", p)
		}
		e.link(domain.RelFunds, funder, id, "", start)
		e.link(domain.RelAdvances, id, pick(r, sides), "", start)
		funds := g.funds[p]
		for _, fi := range sample(r, len(funds), 8) {
			e.link(domain.RelParticipatesIn, welfareFund(funds[fi]), id, "OPERATIONAL_PARTNER", start)
		}
		seen := map[string]bool{}
		for t := 0; t < 4; t++ {
			s := subs[r.IntN(len(subs))]
			if nv := g.subs[s.Index].villages; nv > 0 {
				vf := villageFund(s, 1+r.IntN(nv))
				if !seen[vf] {
					seen[vf] = true
					e.link(domain.RelParticipatesIn, vf, id, "OPERATIONAL_PARTNER", start)
				}
			}
		}
	}
}

// People is the number of generated people of subdistrict s (their ids are
// PersonID(s.Code, 1..People(s))).
func (g *Generator) People(s *Subdistrict) int { return g.subs[s.Index].people }
