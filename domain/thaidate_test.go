package domain_test

import (
	"testing"

	"github.com/phakhi/phakhi/domain"
)

func TestParseDate(t *testing.T) {
	ok := []struct {
		in, iso string
		p       domain.DatePrecision
	}{
		{"11 เมษายน 2550", "2007-04-11", domain.DatePrecisionDay},
		{"๑๑ เมษายน ๒๕๕๐", "2007-04-11", domain.DatePrecisionDay},
		{"พ.ศ. 2550", "2007", domain.DatePrecisionYear},
		{"พ.ศ.2550", "2007", domain.DatePrecisionYear},
		{"มี.ค. 2550", "2007-03", domain.DatePrecisionMonth},
		{"4 ก.พ. 2550", "2007-02-04", domain.DatePrecisionDay},
		{"22 มีนาคม 2007", "2007-03-22", domain.DatePrecisionDay},
		{"ค.ศ. 2007", "2007", domain.DatePrecisionYear},
		{"2550", "2007", domain.DatePrecisionYear},
		{"2007-04-11", "2007-04-11", domain.DatePrecisionDay},
		{"2007-04", "2007-04", domain.DatePrecisionMonth},
		{"๒๐๐๗", "2007", domain.DatePrecisionYear},
		{"29 กุมภาพันธ์ 2551", "2008-02-29", domain.DatePrecisionDay},
		{"2551-02-29", "2008-02-29", domain.DatePrecisionDay},
		{"วันที่ 11 เมษายน 2550", "2007-04-11", domain.DatePrecisionDay},
		{"วันพุธที่ 11 เมษายน 2550", "2007-04-11", domain.DatePrecisionDay},
		{"วันที่๑๑ เม.ย. ๒๕๕๐", "2007-04-11", domain.DatePrecisionDay},
	}
	for _, c := range ok {
		d, err := domain.ParseDate("start", c.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", c.in, err)
			continue
		}
		if d.Date != c.iso || d.Precision != c.p {
			t.Errorf("ParseDate(%q) = %s %s, want %s %s", c.in, d.Date, d.Precision, c.iso, c.p)
		}
		if c.in != c.iso && d.Text != c.in {
			t.Errorf("ParseDate(%q) lost the text: %q", c.in, d.Text)
		}
	}
	bad := []string{"", "เมื่อวานนี้", "32 เมษายน 2550", "29 กุมภาพันธ์ 2550", "11 Foo 2550", "2007-13", "11 2550"}
	for _, in := range bad {
		if _, err := domain.ParseDate("start", in); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseDate(%q) = %v, want a bad-input error", in, err)
		}
	}
}

func TestParseDateThaiForms(t *testing.T) {
	cases := []struct{ in, iso string }{
		{"11/04/2550", "2007-04-11"},
		{"11/4/50", "2007-04-11"},
		{"๑๑/๐๔/๒๕๕๐", "2007-04-11"},
		{"11-04-2550", "2007-04-11"},
		{"11.04.2550", "2007-04-11"},
		{"11/04/2007", "2007-04-11"},
		{"04/2550", "2007-04"},
		{"11 เม.ย. 50", "2007-04-11"},
		{"11 เมย 50", "2007-04-11"},
		{"เม.ย. 50", "2007-04"},
		{"พ.ศ. 50", "2007"},
		{"11 เม.ย. ค.ศ. 07", "2007-04-11"},
	}
	for _, c := range cases {
		d, err := domain.ParseDate("start", c.in)
		if err != nil || d.Date != c.iso || d.Text != c.in {
			t.Errorf("ParseDate(%q) = %+v, %v; want %s with the text kept", c.in, d, err, c.iso)
		}
	}
	for _, in := range []string{"50", "13/13/2550", "31/04/2550", "11/04"} {
		if _, err := domain.ParseDate("start", in); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseDate(%q) = %v, want a bad-input error", in, err)
		}
	}
}

func TestParseDateRange(t *testing.T) {
	cases := []struct {
		in         string
		year       int
		start, end string
		inferred   bool
	}{
		{"4-5 กุมภาพันธ์ 2550", 0, "2007-02-04", "2007-02-05", false},
		{"30 เม.ย. - 2 พ.ค. 2550", 0, "2007-04-30", "2007-05-02", false},
		{"21-22 มี.ค. 50", 0, "2007-03-21", "2007-03-22", false},
		{"21-22 มี.ค.", 2007, "2007-03-21", "2007-03-22", true},
		{"30-31 มค", 2007, "2007-01-30", "2007-01-31", true},
		{"มี.ค.-เม.ย. 2550", 0, "2007-03", "2007-04", false},
		{"2550-2552", 0, "2007", "2009", false},
		{"11/04/2550 ถึง 12/04/2550", 0, "2007-04-11", "2007-04-12", false},
		{"11 เมษายน 2550", 0, "2007-04-11", "", false},
		{"12 เม.ย.", 2007, "2007-04-12", "", true},
	}
	for _, c := range cases {
		s, e, err := domain.ParseDateRange("when", c.in, c.year)
		if err != nil {
			t.Errorf("ParseDateRange(%q): %v", c.in, err)
			continue
		}
		gotEnd := ""
		if e != nil {
			gotEnd = e.Date
		}
		if s.Date != c.start || gotEnd != c.end || s.Inferred != c.inferred || s.Text != c.in {
			t.Errorf("ParseDateRange(%q, %d) = %s..%s inferred %v text %q; want %s..%s inferred %v", c.in, c.year, s.Date, gotEnd, s.Inferred, s.Text, c.start, c.end, c.inferred)
		}
	}
	for _, in := range []string{"5-4 กุมภาพันธ์ 2550", "21-22 มี.ค.", "ต้นปี"} {
		if _, _, err := domain.ParseDateRange("when", in, 0); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseDateRange(%q) = %v, want a bad-input error", in, err)
		}
	}
}
