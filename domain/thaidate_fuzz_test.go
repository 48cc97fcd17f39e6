package domain_test

// FuzzParseDate feeds ParseDate (the reader of dates as Thai sources write
// them, used by CSV imports) anything. Its seed corpus runs with `go test`.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/phakhi/phakhi/domain"
)

var (
	toThaiDigits   = strings.NewReplacer("0", "๐", "1", "๑", "2", "๒", "3", "๓", "4", "๔", "5", "๕", "6", "๖", "7", "๗", "8", "๘", "9", "๙")
	toArabicDigits = strings.NewReplacer("๐", "0", "๑", "1", "๒", "2", "๓", "3", "๔", "4", "๕", "5", "๖", "6", "๗", "7", "๘", "8", "๙", "9")
	// the full and abbreviated Thai month names, January first
	thaiMonthNames = [][2]string{
		{"มกราคม", "ม.ค."}, {"กุมภาพันธ์", "ก.พ."}, {"มีนาคม", "มี.ค."}, {"เมษายน", "เม.ย."},
		{"พฤษภาคม", "พ.ค."}, {"มิถุนายน", "มิ.ย."}, {"กรกฎาคม", "ก.ค."}, {"สิงหาคม", "ส.ค."},
		{"กันยายน", "ก.ย."}, {"ตุลาคม", "ต.ค."}, {"พฤศจิกายน", "พ.ย."}, {"ธันวาคม", "ธ.ค."},
	}
)

// FuzzParseDate checks what ParseDate promises: a date it returns is a
// valid ISO date of the precision its parts say, with the source's wording
// kept; Thai and Arabic digits read alike; the result's own ISO text and
// its Thai (Buddhist Era) spelling read back to the same date; a valid ISO
// date with a Common Era year (below 2400) reads as itself; and a refusal
// is a bad-input error naming the field.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"11 เมษายน 2550", "๑๑ เมษายน ๒๕๕๐", "พ.ศ. 2550", "พ.ศ.2550", "พศ 2550", "พ.ศ 2550", "มี.ค. 2550", "มีค 2550",
		"4 ก.พ. 2550", "4ก.พ.2550", "22 มีนาคม 2007", "ค.ศ. 2007", "คศ. 2007", "2007 CE", "B.E. 2550", "2550 BE", "A.D. 2007",
		"2550", "2399", "2400", "2007-04-11", "2007-04", "2007", "๒๐๐๗", "29 กุมภาพันธ์ 2551", "29 กุมภาพันธ์ 2550",
		"2551-02-29", "2550-02-29", "31 ธ.ค. 9999", "1 ม.ค. 0544", "พ.ศ. 0543", "ค.ศ. 0000", "0000", "0001-01-01",
		"32 เมษายน 2550", "0 เมษายน 2550", "11 Foo 2550", "11 2550", "2007-13", "2007-04-31", "เมื่อวานนี้", "",
		"  11   เมษายน\t2550  ", "11 เม.ย 2550", "11 เม. ย. 2550", "พ.ศ. พ.ศ. 2550", "ค.ศ. 2550 พ.ศ.", "๑๑/๔/๒๕๕๐",
		"2007-04-11T00:00:00Z", "11 เมษายน 25500", "011 เมษายน 2550", "99999", "\u00a02550", "2550\u200b", "\x00",
		"11 เมษายน 2550\n", "ก.ค.ศ. 2550", "BCE 2000", "bE 2550", "b.e. 2550",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		const field = "start"
		d, err := domain.ParseDate(field, text)
		raw := strings.TrimSpace(text)

		// Thai and Arabic digits read alike
		for _, other := range []string{toThaiDigits.Replace(text), toArabicDigits.Replace(text)} {
			d2, err2 := domain.ParseDate(field, other)
			if (err == nil) != (err2 == nil) {
				t.Fatalf("ParseDate(%q) = %v, %v but ParseDate(%q) = %v, %v", text, d, err, other, d2, err2)
			}
			if err == nil && (d2.Date != d.Date || d2.Precision != d.Precision) {
				t.Fatalf("ParseDate(%q) = %s %s but ParseDate(%q) = %s %s", text, d.Date, d.Precision, other, d2.Date, d2.Precision)
			}
		}

		// a valid ISO date in the Common Era reads as itself
		isoCE := false
		if _, e := domain.ValidateISODate(field, raw); e == nil {
			y, _ := strconv.Atoi(raw[:4])
			isoCE = y < 2400
		}

		if err != nil {
			if d != nil {
				t.Fatalf("ParseDate(%q) returned %+v with the error %v", text, d, err)
			}
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Field != field || e.Message == "" {
				t.Fatalf("ParseDate(%q): %#v is not a bad-input error naming %q", text, err, field)
			}
			if isoCE {
				t.Fatalf("ParseDate(%q) refused a valid ISO date: %v", text, err)
			}
			return
		}
		if d == nil {
			t.Fatalf("ParseDate(%q) returned neither a date nor an error", text)
		}
		if isoCE && (d.Date != raw || d.Text != "") {
			t.Fatalf("ParseDate(%q) = %q (text %q), want the ISO date as it is", text, d.Date, d.Text)
		}

		// a valid ISO date whose precision is the number of its parts
		p, verr := domain.ValidateISODate(field, d.Date)
		if verr != nil {
			t.Fatalf("ParseDate(%q) = %q, not an ISO date: %v", text, d.Date, verr)
		}
		want := []domain.DatePrecision{domain.DatePrecisionYear, domain.DatePrecisionMonth, domain.DatePrecisionDay}[strings.Count(d.Date, "-")]
		if p != want || d.Precision != want {
			t.Fatalf("ParseDate(%q) = %q with precision %s, want %s", text, d.Date, d.Precision, want)
		}
		if d.Inferred || d.Note != "" {
			t.Fatalf("ParseDate(%q) = %+v: inferred or noted", text, d)
		}
		// the wording is kept unless it is the ISO date itself
		if d.Text != "" && d.Text != raw || d.Text == "" && d.Date != raw {
			t.Fatalf("ParseDate(%q) = %q with text %q, want the text %q", text, d.Date, d.Text, raw)
		}

		year, _ := strconv.Atoi(d.Date[:4])
		// the ISO text reads back as itself (a year of 2400 or more with no
		// era is Buddhist Era, by design)
		if year < 2400 {
			again, err := domain.ParseDate(field, d.Date)
			if err != nil || again.Date != d.Date || again.Precision != d.Precision {
				t.Fatalf("ParseDate(%q) = %q, but ParseDate(%q) = %v, %v", text, d.Date, d.Date, again, err)
			}
		}
		// so does its Thai spelling in the Buddhist Era, in every form
		if year < 1 || year+543 > 9999 {
			return // no four-digit Buddhist Era year
		}
		be := fmt.Sprintf("%04d", year+543)
		var forms []string
		switch p {
		case domain.DatePrecisionYear:
			forms = []string{"พ.ศ. " + be, "พ.ศ." + be, be + " BE"}
			if year+543 >= 2400 {
				forms = append(forms, be)
			}
		default:
			month, _ := strconv.Atoi(d.Date[5:7])
			day := ""
			if p == domain.DatePrecisionDay {
				n, _ := strconv.Atoi(d.Date[8:10])
				day = strconv.Itoa(n) + " "
			}
			full, short := thaiMonthNames[month-1][0], thaiMonthNames[month-1][1]
			for _, name := range []string{full, short, strings.ReplaceAll(short, ".", "")} {
				forms = append(forms, day+name+" พ.ศ. "+be, day+name+" พ.ศ."+be)
				if year+543 >= 2400 {
					forms = append(forms, day+name+" "+be)
				}
			}
		}
		for _, form := range forms {
			for _, s := range []string{form, toThaiDigits.Replace(form)} {
				back, err := domain.ParseDate(field, s)
				if err != nil || back.Date != d.Date || back.Precision != d.Precision || back.Text != s {
					t.Fatalf("ParseDate(%q) = %q, but its Thai spelling %q reads as %v, %v", text, d.Date, s, back, err)
				}
			}
		}
	})
}
