package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/phakhi/phakhi/domain"
	"github.com/phakhi/phakhi/seed"
	"github.com/phakhi/phakhi/store"
)

func provinceNames(t *testing.T, s *store.Store, dir domain.OrderDirection) []string {
	t.Helper()
	q := domain.ListQuery{Labels: []string{domain.LabelProvince}, First: 100,
		OrderBy: &domain.NodeOrder{Field: domain.NodeOrderFieldName, Direction: dir}}
	p, err := s.FindNodes(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range p.Items {
		names = append(names, it.Node.E().Name)
	}
	return names
}

func TestThaiNameOrder(t *testing.T) {
	s := MustOpenStore(t)
	b, err := seed.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, b)
	names := provinceNames(t, s, domain.OrderDirectionAsc)

	t.Run("Ensure the 77 provinces come from Neo4j in the Thai collator's order", func(t *testing.T) {
		if len(names) != 77 {
			t.Fatalf("%d provinces, want 77", len(names))
		}
		want := slices.Clone(names)
		slices.SortStableFunc(want, store.CompareNames)
		if !slices.Equal(names, want) {
			t.Fatalf("order\n got %v\nwant %v", names, want)
		}
	})

	t.Run("Ensure names with a leading vowel sort by their consonant, as the Royal Institute orders them", func(t *testing.T) {
		pos := func(name string) int {
			i := slices.Index(names, name)
			if i < 0 {
				t.Fatalf("no province %s", name)
			}
			return i
		}
		// hand-checked: เชียงใหม่ is read from ช, แพร่ from พ, แม่ฮ่องสอน from ม
		for _, c := range [][2]string{
			{"ชุมพร", "เชียงราย"}, {"เชียงราย", "เชียงใหม่"}, {"เชียงใหม่", "ตรัง"},
			{"เพชรบูรณ์", "แพร่"}, {"แพร่", "ภูเก็ต"},
			{"มุกดาหาร", "แม่ฮ่องสอน"}, {"แม่ฮ่องสอน", "ยโสธร"},
			{"สุโขทัย", "สุพรรณบุรี"}, {"สุโขทัย", "สุรินทร์"},
		} {
			if pos(c[0])+1 != pos(c[1]) && !(c == [2]string{"สุโขทัย", "สุรินทร์"} && pos(c[0]) < pos(c[1])) {
				t.Errorf("%s at %d, %s at %d: want the first just before the second", c[0], pos(c[0]), c[1], pos(c[1]))
			}
		}
		if names[0] != "กระบี่" || names[76] != "อุบลราชธานี" {
			t.Errorf("first %s, last %s: want กระบี่ and อุบลราชธานี", names[0], names[76])
		}
	})

	t.Run("Ensure descending order is the exact reverse", func(t *testing.T) {
		desc := provinceNames(t, s, domain.OrderDirectionDesc)
		slices.Reverse(desc)
		if !slices.Equal(desc, names) {
			t.Fatalf("descending, reversed\n got %v\nwant %v", desc, names)
		}
	})
}
