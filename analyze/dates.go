package analyze

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/phakhi/phakhi/domain"
)

// A DateMention is a date or range of dates the text writes.
type DateMention struct {
	Span
	Text      string
	Quote     string
	QuoteSpan Span
	Source    string
	Start     *domain.PartialDate
	End       *domain.PartialDate // nil for one date
	// Inferred is true when the year is not written and was taken from
	// the document's own date.
	Inferred bool
}

// The months as written: full names, and abbreviations with their dots,
// with spaces for dots ("เม ย"), or run together ("มค"). Without its dots
// an abbreviation counts only after a day.
var monthForms = func() []struct {
	re    string
	month int
	bare  bool
} {
	full := []string{"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}
	abbr := [][2]string{{"ม", "ค"}, {"ก", "พ"}, {"มี", "ค"}, {"เม", "ย"}, {"พ", "ค"}, {"มิ", "ย"}, {"ก", "ค"}, {"ส", "ค"}, {"ก", "ย"}, {"ต", "ค"}, {"พ", "ย"}, {"ธ", "ค"}}
	var out []struct {
		re    string
		month int
		bare  bool
	}
	for i, f := range full {
		out = append(out, struct {
			re    string
			month int
			bare  bool
		}{f, i + 1, false})
	}
	for i, a := range abbr {
		out = append(out, struct {
			re    string
			month int
			bare  bool
		}{a[0] + `\.\s?` + a[1] + `\.`, i + 1, false}, struct {
			re    string
			month int
			bare  bool
		}{a[0] + `(?:\.|\s)?` + a[1] + `\.?`, i + 1, true})
	}
	return out
}()

var (
	monthAlt = func() string {
		var parts []string
		for _, m := range monthForms {
			parts = append(parts, m.re)
		}
		return "(?:" + strings.Join(parts, "|") + ")"
	}()
	// day[-day] month [year] | month year; then the year may be BE or CE,
	// with its era.
	yearRe    = `(?:\s*(?:พ\.\s?ศ\.|ค\.\s?ศ\.|พ\.ศ|ค\.ศ)?\s*([12][0-9]{3}|[๑๒][๐-๙]{3}))?`
	dayRe     = `([0-9๐-๙]{1,2})`
	dateRe    = regexp.MustCompile(dayRe + `(?:\s*[-–]\s*` + dayRe + `)?\s*(` + monthAlt + `)(?:\s*[-–]\s*` + dayRe + `\s*(` + monthAlt + `))?` + yearRe + `|(` + monthAlt + `)\s*(?:พ\.\s?ศ\.|ค\.\s?ศ\.)?\s*([12][0-9]{3}|[๑๒][๐-๙]{3})`)
	monthOnly = func() []*regexp.Regexp {
		var out []*regexp.Regexp
		for _, m := range monthForms {
			out = append(out, regexp.MustCompile(`^(?:`+m.re+`)$`))
		}
		return out
	}()
)

func monthOf(s string) (int, bool) {
	for i, re := range monthOnly {
		if re.MatchString(s) {
			return monthForms[i].month, monthForms[i].bare
		}
	}
	return 0, false
}

var fullMonth = []string{"", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}

// findDates reads the dates of the text. A date without a year takes the
// year of docDate (the document's own date, CE), or the next or the one
// before when that puts it nearer, and is marked inferred; without a
// docDate it is left out.
func findDates(d *document, docDate *domain.PartialDate) ([]*DateMention, []string) {
	var out []*DateMention
	var notes []string
	docYear := 0
	var docTime time.Time
	if docDate != nil && len(docDate.Date) >= 4 {
		docYear, _ = strconv.Atoi(docDate.Date[:4])
		docTime, _ = time.Parse("2006-01-02", (docDate.Date + "-01-01")[:10])
	}
	for _, m := range dateRe.FindAllStringSubmatchIndex(d.text, -1) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return d.text[m[2*i]:m[2*i+1]]
		}
		var canon string
		if g(1) != "" {
			month, bare := monthOf(g(3))
			if month == 0 {
				continue
			}
			_ = bare
			canon = g(1)
			if g(2) != "" {
				canon += "-" + g(2)
			}
			canon += " " + fullMonth[month]
			if g(4) != "" {
				m2, _ := monthOf(g(5))
				canon += " - " + g(4) + " " + fullMonth[m2]
			}
			if g(6) != "" {
				canon += " " + g(6)
			}
		} else {
			month, bare := monthOf(g(7))
			if month == 0 || bare && !strings.Contains(g(7), ".") {
				continue
			}
			canon = fullMonth[month] + " " + g(8)
		}
		text := d.text[m[0]:m[1]]
		hasYear := g(6) != "" || g(8) != ""
		year := 0
		if !hasYear {
			if docYear == 0 {
				notes = append(notes, fmt.Sprintf("the date %q has no year and the document has no date to take one from", text))
				continue
			}
			year = docYear
		}
		start, end, err := domain.ParseDateRange("date", canon, year)
		if err != nil {
			continue
		}
		dm := &DateMention{Span: Span{d.runeOf(m[0]), d.runeOf(m[1])}, Text: text, Start: start, End: end, Inferred: !hasYear}
		if dm.Inferred {
			// the nearest year to the document's date
			if t, err := time.Parse("2006-01-02", (start.Date + "-01-01")[:10]); err == nil && !docTime.IsZero() {
				shift := 0
				if t.Sub(docTime) > 183*24*time.Hour {
					shift = -1
				} else if docTime.Sub(t) > 183*24*time.Hour {
					shift = 1
				}
				if shift != 0 {
					if s2, e2, err := domain.ParseDateRange("date", canon, year+shift); err == nil {
						start, end = s2, e2
						dm.Start, dm.End = s2, e2
					}
				}
			}
			note := fmt.Sprintf("the year is inferred: the text gives none, and the document is dated %s", docDate.Date)
			for _, p := range []*domain.PartialDate{dm.Start, dm.End} {
				if p != nil {
					p.Inferred, p.Note = true, note
				}
			}
		}
		for _, p := range []*domain.PartialDate{dm.Start, dm.End} {
			if p != nil {
				p.Text = text
			}
		}
		dm.QuoteSpan = quoteOf(d, dm.Span)
		dm.Quote = d.slice(dm.QuoteSpan)
		out = append(out, dm)
	}
	return out, notes
}
