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
