package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/domain"
)

func TestHistoryTimes(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoad(t, s, smallBundle())
	for i := 0; i < 3; i++ {
		if i > 0 {
			time.Sleep(20 * time.Millisecond)
		}
		if err := s.CreateNode(ctx, "clock", domain.NodeRecord{ID: fmt.Sprintf("tick-%d", i), Label: domain.LabelPerson, Name: "ติก", Evidence: ev("ติก")}); err != nil {
			t.Fatal(err)
		}
	}
	history := func(t *testing.T, from, to string) ([]string, error) {
		t.Helper()
		changes, _, err := s.History(ctx, domain.HistoryQuery{Actor: "clock", From: from, To: to, First: 10})
		var out []string
		for _, c := range changes {
			out = append(out, c.TargetID)
		}
		return out, err
	}
	all, err := history(t, "", "")
	if err != nil || len(all) != 3 {
		t.Fatalf("history = %v, %v", all, err)
	}
	changes, _, _ := s.History(ctx, domain.HistoryQuery{NodeID: "tick-1", First: 1})
	mid, err := time.Parse(time.RFC3339Nano, changes[0].At)
	if err != nil {
		t.Fatal(err)
	}
	bangkok := time.FixedZone("ICT", 7*3600)

	t.Run("Ensure a time with an offset means the same instant as in UTC", func(t *testing.T) {
		for _, c := range []struct {
			from, to time.Time
			want     string
		}{
			{from: mid, want: "tick-2 tick-1"},
			{to: mid, want: "tick-1 tick-0"},
			{from: mid, to: mid, want: "tick-1"},
		} {
			var got [2]string
			for i, zone := range []*time.Location{time.UTC, bangkok} {
				f := func(tm time.Time) string {
					if tm.IsZero() {
						return ""
					}
					return tm.In(zone).Format(time.RFC3339Nano)
				}
				ids, err := history(t, f(c.from), f(c.to))
				if err != nil {
					t.Fatal(err)
				}
				got[i] = strings.Join(ids, " ")
			}
			if got[0] != c.want || got[1] != c.want {
				t.Errorf("from %v to %v: UTC %q, +07:00 %q, want %q", c.from, c.to, got[0], got[1], c.want)
			}
		}
	})

	t.Run("Ensure dates name whole days, months and years", func(t *testing.T) {
		day := mid.UTC().Format("2006-01-02")
		for _, c := range []struct{ from, to, want string }{
			{day, day, "tick-2 tick-1 tick-0"},
			{day[:7], day[:4], "tick-2 tick-1 tick-0"},
			{"", mid.UTC().AddDate(0, 0, -1).Format("2006-01-02"), ""},
			{"2999", "", ""},
		} {
			ids, err := history(t, c.from, c.to)
			if err != nil || strings.Join(ids, " ") != c.want {
				t.Errorf("from %q to %q: %v, %v; want %q", c.from, c.to, ids, err, c.want)
			}
		}
	})

	t.Run("Ensure a bad time is BAD_USER_INPUT naming the argument", func(t *testing.T) {
		for _, c := range []struct{ from, to, field, says string }{
			{"yesterday", "", "from", "not a date-time"},
			{"2007-04-11T09:30:00", "", "from", "time zone"},
			{"", "2007-13-01", "to", "not a date-time"},
			{"2007-04-12", "2007-04-11", "to", "before"},
		} {
			_, err := history(t, c.from, c.to)
			var me *domain.Error
			if !errors.As(err, &me) || me.Code != domain.EINVALID || me.Field != c.field || !strings.Contains(me.Message, c.says) {
				t.Errorf("from %q to %q: err = %v, want bad input on %s saying %q", c.from, c.to, err, c.field, c.says)
			}
		}
	})
}
