package gen

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func geoDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "data", "thai-geography")
}

type collect struct {
	b domain.Bundle
}

func (c *collect) Node(n *domain.NodeRecord, shared bool) { c.b.Nodes = append(c.b.Nodes, *n) }
func (c *collect) Rel(r *domain.RelRecord, shared bool) {
	c.b.Relationships = append(c.b.Relationships, *r)
}

func TestGeography(t *testing.T) {
	g, err := LoadGeography(geoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Provinces) != 77 || len(g.Districts) != 927 || len(g.Subs) != 7451 {
		t.Fatalf("got %d provinces, %d districts, %d subdistricts", len(g.Provinces), len(g.Districts), len(g.Subs))
	}
	// the seed's ids: district-7109 พนมทวน in province-TH-71, subdistrict-710911 หนองสาหร่าย
	for _, s := range g.Subs {
		if s.Code == 710911 {
			if s.NameTh != "หนองสาหร่าย" || s.District.ID() != "district-7109" || s.District.Province.ID() != "province-TH-71" {
				t.Fatalf("710911: %s in %s, %s", s.NameTh, s.District.ID(), s.District.Province.ID())
			}
			return
		}
	}
	t.Fatal("no subdistrict 710911")
}

// Ensure the generated graph is valid by Phakhi's own rules, every
// relationship end and cited source exists, and two runs give the same graph.
func TestGenerateValidAndDeterministic(t *testing.T) {
	g, err := LoadGeography(geoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	run := func() (*collect, Counts) {
		c := &collect{}
		cnt := New(g, DefaultParams(0.01)).Run(c, true, true)
		return c, cnt
	}
	a, ca := run()
	b, _ := run()
	if len(a.b.Nodes) != ca.Nodes || len(a.b.Relationships) != ca.Rels {
		t.Fatalf("counts %d/%d, records %d/%d", ca.Nodes, ca.Rels, len(a.b.Nodes), len(a.b.Relationships))
	}
	if len(a.b.Nodes) != len(b.b.Nodes) || len(a.b.Relationships) != len(b.b.Relationships) {
		t.Fatal("two runs differ in size")
	}
	for i := range a.b.Relationships {
		if a.b.Relationships[i].RelID() != b.b.Relationships[i].RelID() {
			t.Fatalf("relationship %d differs: %s / %s", i, a.b.Relationships[i].RelID(), b.b.Relationships[i].RelID())
		}
	}
	if err := a.b.Validate(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range a.b.Nodes {
		ids[n.ID] = true
	}
	// ends outside the generated graph must be the seed's
	seedIDs := map[string]bool{"cdd": true, "msdhs": true, "baac": true, "codi": true, "codi-south": true,
		"community-finance-welfare-movement": true, "sajja-savings-network": true, "credit-unions": true,
		"side-social-process": true, "side-knowledge": true, "side-politics": true, GeoSourceID: true}
	for _, p := range g.Provinces {
		seedIDs[p.ID()] = true
	}
	for _, r := range a.b.Relationships {
		for _, end := range []string{r.From, r.To} {
			if !ids[end] && !seedIDs[end] {
				t.Fatalf("%s: end %s is nowhere", r.RelID(), end)
			}
		}
		if len(r.Evidence) == 0 {
			t.Fatalf("%s has no evidence", r.RelID())
		}
	}
	t.Logf("scale 0.01: %s", ca.Summary())
}

// TestSizes checks the sizes at scales 0.1 and 1 (go test -v ./bench/gen
// prints them).
func TestSizes(t *testing.T) {
	g, err := LoadGeography(geoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []float64{0.1, 1} {
		c := New(g, DefaultParams(s)).Run(nil, false, false)
		t.Logf("scale %g: %d nodes, %d relationships; people %d, events %d, village funds %d, savings groups %d, welfare funds %d, credit unions %d, programs %d",
			s, c.Nodes, c.Rels, c.People, c.Events, c.VillageFunds, c.SavingsGroups, c.WelfareFunds, c.CreditUnions, c.Programs)
		// the issue asks for up to about 1M nodes and 5M relationships
		if wantNodes := int(s * 900_000); c.Nodes < wantNodes || c.Nodes > int(s*1_200_000) {
			t.Errorf("scale %g: %d nodes, want about %d", s, c.Nodes, int(s*1_000_000))
		}
		if c.Rels < int(s*3_500_000) {
			t.Errorf("scale %g: %d relationships, want about 4-5 per node", s, c.Rels)
		}
	}
}
