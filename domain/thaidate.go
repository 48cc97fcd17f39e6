package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Thai month names, full and abbreviated, to month numbers.
var thaiMonths = map[string]int{
	"มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
	"กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
	"ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
	"ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
	// the same without dots or spaces, as people type them
	"มค": 1, "กพ": 2, "มีค": 3, "เมย": 4, "พค": 5, "มิย": 6, "กค": 7, "สค": 8, "กย": 9, "ตค": 10, "พย": 11, "ธค": 12,
}

var (
	thaiDigits = strings.NewReplacer("๐", "0", "๑", "1", "๒", "2", "๓", "3", "๔", "4", "๕", "5", "๖", "6", "๗", "7", "๘", "8", "๙", "9")
	eraPattern = regexp.MustCompile(`(พ\.\s*ศ\.|พ\.ศ|พศ\.?|ค\.\s*ศ\.|ค\.ศ|คศ\.?|B\.?E\.?|C\.?E\.?|A\.?D\.?)`)
	// datePartsRun is [day] month year (11 เมษายน 2550, มี.ค. 50) or a year.
	datePartsRun = regexp.MustCompile(`^(?:(?:(\d{1,2})\s*)?([^\d\s]+?)\s*)?(\d{4}|\d{2})$`)
	// numericDate is day/month/year, or month/year with a four-digit year,
	// with / . or - between: 11/04/2550, 11/4/50, 04/2550, 11-04-2007.
	// (11/04 is not a date: day and month, or month and a two-digit year?)
	numericDate = regexp.MustCompile(`^(?:(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})|()(\d{1,2})[/.\-](\d{4}))$`)
)

// dayPrefix is "on the day" ("วันที่ 11 …", "วันพุธที่ 11 …") before a date.
var dayPrefix = regexp.MustCompile(`^วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?ที่\s*`)

// ParseDate reads a date as people write it in Thai sources and returns it
// as a PartialDate with the text kept: ISO ("2007-04-11", "2007-04",
// "2007"), Buddhist Era ("11 เมษายน 2550", "มี.ค. 2550", "พ.ศ. 2550"),
// numeric ("11/04/2550", "11/4/50", "04/2550", "11/04/2007"), two-digit
// Buddhist Era years ("11 เม.ย. 50"), Thai digits ("๑๑ เมษายน ๒๕๕๐"), or
// explicit Common Era ("ค.ศ. 2007").
//
// Which era a year is in: a year of 2400 or more with no era is BE (BE =
// CE + 543), a lower four-digit year is CE; a two-digit year is BE, as Thai
// writers abbreviate (50 = 2550 = 2007), unless the text says ค.ศ./CE. A
// bare number of two digits is not a date.
func ParseDate(field, text string) (*PartialDate, error) {
	raw := strings.TrimSpace(text)
	if raw == "" {
		return nil, Invalid(field, "is empty")
	}
	s := thaiDigits.Replace(raw)
	s = strings.TrimSpace(dayPrefix.ReplaceAllString(s, ""))
	if datePattern.MatchString(s) {
		return parseISO(field, raw, s)
	}
	era, s := readEra(s)
	s = strings.Join(strings.Fields(s), " ")
	var day, month int
	var yearText string
	if m := numericDate.FindStringSubmatch(s); m != nil {
		if m[3] == "" { // month/year
			m = m[3:]
		}
		day, _ = strconv.Atoi(m[1])
		month, _ = strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return nil, Invalid(field, "%q: %d is not a month", raw, month)
		}
		yearText = m[3]
	} else {
		m := datePartsRun.FindStringSubmatch(s)
		if m == nil || len(m[3]) == 2 && m[2] == "" && era == "" {
			return nil, Invalid(field, "%q is not a date: write ISO (2007-04-11) or Thai (11 เมษายน 2550, 11/04/2550, มี.ค. 2550, พ.ศ. 2550)", raw)
		}
		if name := strings.TrimSpace(m[2]); name != "" {
			var ok bool
			if month, ok = thaiMonth(name); !ok {
				return nil, Invalid(field, "%q: %q is not a Thai month name", raw, name)
			}
		}
		if m[1] != "" && month == 0 {
			return nil, Invalid(field, "%q has a day but no month", raw)
		}
		day, _ = strconv.Atoi(m[1])
		yearText = m[3]
	}
	year := ceYear(yearText, era)
	if year < 1 || year > 9999 {
		return nil, Invalid(field, "%q has a year out of range", raw)
	}
	d := &PartialDate{Text: raw, Date: isoOf(year, month, day)}
	p, err := ValidateISODate(field, d.Date)
	if err != nil {
		return nil, Invalid(field, "%q is not a real date (%s)", raw, d.Date)
	}
	d.Precision = p
	return d, nil
}

// parseISO reads an ISO date, whose year may be Buddhist Era (2551-02-29).
func parseISO(field, raw, s string) (*PartialDate, error) {
	if y, _ := strconv.Atoi(s[:4]); y >= 2400 {
		s = fmt.Sprintf("%04d", y-543) + s[4:]
	}
	if _, err := ValidateISODate(field, s); err != nil {
		return nil, err
	}
	d := &PartialDate{Date: s}
	d.Precision = d.PrecisionOrDerived()
	if s != raw {
		d.Text = raw
	}
	return d, nil
}

// readEra finds the era the text names ("BE", "CE" or "") and removes it.
func readEra(s string) (era, rest string) {
	m := eraPattern.FindString(s)
	if m == "" {
		return "", s
	}
	era = "CE"
	if strings.HasPrefix(m, "พ") || strings.HasPrefix(strings.ToUpper(m), "B") {
		era = "BE"
	}
	return era, strings.TrimSpace(eraPattern.ReplaceAllString(s, " "))
}

// ceYear is the Common Era year of a written year (see ParseDate).
func ceYear(text, era string) int {
	year, _ := strconv.Atoi(text)
	if len(text) == 2 {
		if era == "CE" {
			return 2000 + year
		}
		year += 2500
	}
	if era == "BE" || era == "" && year >= 2400 {
		year -= 543
	}
	return year
}

// thaiMonth reads a Thai month name, full or abbreviated, with or without
// its dots and spaces.
func thaiMonth(name string) (int, bool) {
	if m, ok := thaiMonths[name]; ok {
		return m, true
	}
	m, ok := thaiMonths[strings.ReplaceAll(strings.ReplaceAll(name, ".", ""), " ", "")]
	return m, ok
}

// isoOf is the ISO text of a year, a month (0: none) and a day (0: none).
func isoOf(year, month, day int) string {
	switch {
	case month == 0:
		return fmt.Sprintf("%04d", year)
	case day == 0:
		return fmt.Sprintf("%04d-%02d", year, month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
}

// rangeSeparator is between the two ends of a range: a hyphen or dash, or
// ถึง ("to"), with or without spaces.
var rangeSeparator = regexp.MustCompile(`\s*(?:-|–|—|ถึง)\s*`)

// ParseDateRange reads a date or a range of dates as Thai writers write
// them: "4-5 กุมภาพันธ์ 2550", "30 เม.ย. - 2 พ.ค. 2550", "21-22 มี.ค. 50",
// "มี.ค.-เม.ย. 2550", "2550-2552", "11/04/2550 ถึง 12/04/2550". The first
// end takes the month and year it leaves out from the second. When the
// text names no year and defaultYear (CE) is not 0, both ends take
// defaultYear and are marked inferred, with a note saying so (a document's
// own date, say). end is nil when the text is one date.
func ParseDateRange(field, text string, defaultYear int) (start, end *PartialDate, err error) {
	raw := strings.TrimSpace(text)
	if d, err := parseDateOrInfer(field, raw, defaultYear); err == nil {
		return d, nil, nil
	}
	s := strings.Join(strings.Fields(thaiDigits.Replace(raw)), " ")
	for _, loc := range rangeSeparator.FindAllStringIndex(s, -1) {
		left, right := s[:loc[0]], s[loc[1]:]
		if left == "" || right == "" {
			continue
		}
		e, err := parseDateOrInfer(field, right, defaultYear)
		if err != nil {
			continue
		}
		b, err := completeStart(field, left, e, defaultYear)
		if err != nil || b.Date > e.Date[:min(len(e.Date), len(b.Date))] {
			continue
		}
		b.Text, e.Text = raw, raw
		return b, e, nil
	}
	_, err = ParseDate(field, raw)
	return nil, nil, err
}

// parseDateOrInfer is ParseDate, with defaultYear added (and the date
// marked inferred) when the text has no year of its own.
func parseDateOrInfer(field, s string, defaultYear int) (*PartialDate, error) {
	d, err := ParseDate(field, s)
	if err == nil || defaultYear == 0 {
		return d, err
	}
	d, err2 := ParseDate(field, s+" "+strconv.Itoa(defaultYear+543))
	if err2 != nil {
		return nil, err
	}
	d.Text, d.Inferred, d.Note = s, true, "the year is inferred: the text gives none"
	return d, nil
}

// completeStart reads the first end of a range, taking what it leaves out
// (the month and year, or the year) from the second end e.
func completeStart(field, left string, e *PartialDate, defaultYear int) (*PartialDate, error) {
	if day, err := strconv.Atoi(left); err == nil && len(e.Date) == 10 {
		d := &PartialDate{Date: e.Date[:8] + fmt.Sprintf("%02d", day), Inferred: e.Inferred, Note: e.Note}
		p, err := ValidateISODate(field, d.Date)
		d.Precision = p
		return d, err
	}
	if !strings.ContainsAny(left, "0123456789") || len(strings.Fields(left)) == 2 && !strings.ContainsAny(strings.Fields(left)[1], "0123456789") {
		// a month, or a day and a month: the year is the second end's
		d, err := ParseDate(field, left+" "+strconv.Itoa(mustYear(e)+543))
		if err != nil {
			return nil, err
		}
		d.Inferred, d.Note = e.Inferred, e.Note
		return d, nil
	}
	return parseDateOrInfer(field, left, defaultYear)
}

func mustYear(d *PartialDate) int { y, _ := strconv.Atoi(d.Date[:4]); return y }
