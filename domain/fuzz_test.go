package domain_test

// Fuzz tests of the validators every id and date from a client passes
// before it reaches Cypher. Seed corpora run with `go test`.

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/phakhi/phakhi/domain"
)

// FuzzValidateID checks ValidateID against its specification, written out
// by hand: 1-128 characters of [A-Za-z0-9._-], the first a letter or digit.
func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"codi", "province-TH-57", "km-meeting-2007-04-11", "a", "", "-a", ".a", "_a", "a b", "a\n", "a\x00",
		"ก", "é", "a'", `a"`, "a}) MATCH (n) DETACH DELETE n //", "a`", "a\\", strings.Repeat("a", 128), strings.Repeat("a", 129), "a\u200b"} {
		f.Add(s)
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	f.Fuzz(func(t *testing.T, id string) {
		want := len(id) >= 1 && len(id) <= 128 && alnum(id[0])
		for i := 0; want && i < len(id); i++ {
			c := id[i]
			want = alnum(c) || c == '.' || c == '_' || c == '-'
		}
		err := domain.ValidateID("id", id)
		if (err == nil) != want {
			t.Fatalf("ValidateID(%q) = %v, want valid=%v", id, err, want)
		}
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("ValidateID(%q): code %q", id, domain.ErrorCode(err))
		}
	})
}

var isoShape = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// FuzzValidateISODate checks ValidateISODate against the calendar of Go's
// time package: a day is valid iff time.Parse takes it, a month iff it is
// 01-12, and the precision follows the length.
func FuzzValidateISODate(f *testing.F) {
	for _, s := range []string{"2007", "2007-04", "2007-04-11", "2007-02-29", "2008-02-29", "1900-02-29", "2000-02-29", "2007-13", "2007-00",
		"2007-04-31", "2007-04-00", "0000-01-01", "9999-12-31", "07-04-11", "2007-4-11", "2007/04/11", "2550", "๒๕๕๐", "2007-04-11T00:00",
		"", " 2007", "2007\n", "2007-04-11\x00", "-2007", "+2007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := domain.ValidateISODate("date", s)
		var want domain.DatePrecision
		switch {
		case !isoShape.MatchString(s) || strings.ContainsAny(s, "\n"):
		case len(s) == 4:
			want = domain.DatePrecisionYear
		case len(s) == 7:
			if _, e := time.Parse("2006-01", s); e == nil {
				want = domain.DatePrecisionMonth
			}
		default:
			if _, e := time.Parse("2006-01-02", s); e == nil {
				want = domain.DatePrecisionDay
			}
		}
		if want == "" {
			if err == nil {
				t.Fatalf("ValidateISODate(%q) = %v, want an error", s, p)
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("ValidateISODate(%q): code %q", s, domain.ErrorCode(err))
			}
			return
		}
		if err != nil || p != want {
			t.Fatalf("ValidateISODate(%q) = %v, %v; want %v", s, p, err, want)
		}
	})
}
