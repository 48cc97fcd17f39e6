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
	thaiDigits   = strings.NewReplacer("๐", "0", "๑", "1", "๒", "2", "๓", "3", "๔", "4", "๕", "5", "๖", "6", "๗", "7", "๘", "8", "๙", "9")
	eraPattern   = regexp.MustCompile(`(พ\.\s*ศ\.|พ\.ศ|พศ\.?|ค\.\s*ศ\.|ค\.ศ|คศ\.?|B\.?E\.?|C\.?E\.?|A\.?D\.?)`)
	datePartsRun = regexp.MustCompile(`^(?:(\d{1,2})\s*)?([^\d\s]+?)?\s*(\d{4})$`)
)

// dayPrefix is "on the day" ("วันที่ 11 …", "วันพุธที่ 11 …") before a date.
var dayPrefix = regexp.MustCompile(`^วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?ที่\s*`)

// ParseDate reads a date as people write it in Thai sources and returns it
// as a PartialDate with the text kept: ISO ("2007-04-11", "2007-04",
// "2007"), Buddhist Era ("11 เมษายน 2550", "มี.ค. 2550", "พ.ศ. 2550"),
// Thai digits ("๑๑ เมษายน ๒๕๕๐"), or explicit Common Era ("ค.ศ. 2007").
// A year of 2400 or more with no era is taken as BE (BE = CE + 543).
func ParseDate(field, text string) (*PartialDate, error) {
	raw := strings.TrimSpace(text)
	if raw == "" {
		return nil, Invalid(field, "is empty")
	}
	s := thaiDigits.Replace(raw)
	s = strings.TrimSpace(dayPrefix.ReplaceAllString(s, ""))
	if datePattern.MatchString(s) {
		if y, _ := strconv.Atoi(s[:4]); y >= 2400 {
			// a Buddhist Era year written the ISO way
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
	era := ""
	if m := eraPattern.FindString(s); m != "" {
		if strings.HasPrefix(m, "พ") || strings.HasPrefix(strings.ToUpper(m), "B") {
			era = "BE"
		} else {
			era = "CE"
		}
		s = strings.TrimSpace(eraPattern.ReplaceAllString(s, " "))
	}
	s = strings.Join(strings.Fields(s), " ")
	m := datePartsRun.FindStringSubmatch(s)
	if m == nil {
		return nil, Invalid(field, "%q is not a date: write ISO (2007-04-11) or Thai (11 เมษายน 2550, มี.ค. 2550, พ.ศ. 2550)", raw)
	}
	year, _ := strconv.Atoi(m[3])
	switch era {
	case "BE":
		year -= 543
	case "":
		if year >= 2400 {
			year -= 543
		}
	}
	if year < 1 || year > 9999 {
		return nil, Invalid(field, "%q has a year out of range", raw)
	}
	d := &PartialDate{Text: raw}
	month := 0
	if name := strings.TrimSpace(m[2]); name != "" {
		var ok bool
		month, ok = thaiMonths[name]
		if !ok {
			month, ok = thaiMonths[strings.ReplaceAll(strings.ReplaceAll(name, ".", ""), " ", "")]
		}
		if !ok {
			return nil, Invalid(field, "%q: %q is not a Thai month name", raw, name)
		}
	}
	switch {
	case m[1] != "" && month == 0:
		return nil, Invalid(field, "%q has a day but no month", raw)
	case m[1] != "":
		day, _ := strconv.Atoi(m[1])
		d.Date = fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	case month != 0:
		d.Date = fmt.Sprintf("%04d-%02d", year, month)
	default:
		d.Date = fmt.Sprintf("%04d", year)
	}
	p, err := ValidateISODate(field, d.Date)
	if err != nil {
		return nil, Invalid(field, "%q is not a real date (%s)", raw, d.Date)
	}
	d.Precision = p
	return d, nil
}
