package domain

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	datePattern = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)
	timePattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
)

// Limits on the length of text fields.
const (
	MaxNameLen = 500
	MaxTextLen = 20000
)

// ValidateID checks a node id: a readable slug of letters, digits, '.', '_'
// and '-', at most 128 characters.
func ValidateID(field, id string) error {
	if !idPattern.MatchString(id) {
		return Invalid(field, "%q is not a valid id: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit", id)
	}
	return nil
}

// ValidateISODate checks an ISO date of year, month or day precision and
// returns its precision.
func ValidateISODate(field, s string) (DatePrecision, error) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return "", Invalid(field, "%q is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD in the Common Era", s)
	}
	if m[2] == "" {
		return DatePrecisionYear, nil
	}
	month, _ := strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return "", Invalid(field, "%q has month %d, which is not 1-12", s, month)
	}
	if m[3] == "" {
		return DatePrecisionMonth, nil
	}
	day, _ := strconv.Atoi(m[3])
	year, _ := strconv.Atoi(m[1])
	if day < 1 || day > daysIn(year, month) {
		return "", Invalid(field, "%q has day %d, which month %d of %d does not have", s, day, month, year)
	}
	return DatePrecisionDay, nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// PrecisionOrDerived is the stated precision, or the one the date's length
// implies.
func (d *PartialDate) PrecisionOrDerived() DatePrecision {
	if d.Precision != "" {
		return d.Precision
	}
	switch strings.Count(d.Date, "-") {
	case 0:
		return DatePrecisionYear
	case 1:
		return DatePrecisionMonth
	}
	return DatePrecisionDay
}

func (d *PartialDate) validate(field string) error {
	p, err := ValidateISODate(field+".date", d.Date)
	if err != nil {
		return err
	}
	if d.Precision != "" && d.Precision != p {
		return Invalid(field+".precision", "%s does not match the date %q (which has %s precision)", d.Precision, d.Date, p)
	}
	return nil
}

// RelID is the relationship's id, derived from its ends, type and role when
// not given.
func (r *RelRecord) RelID() string {
	if r.ID != "" {
		return r.ID
	}
	id := r.From + ">" + r.Type + ">" + r.To
	if r.Role != "" {
		id += ">" + r.Role
	}
	return id
}

// checkText checks a name (max MaxNameLen: one line) or a text (longer
// limits: lines, tabs): valid UTF-8 within max characters, with no control
// characters (NUL among them; a text may hold newlines and tabs), no
// bidirectional overrides or isolates (U+202A-202E, U+2066-2069: they
// make text read otherwise than it is stored, "Trojan Source"), and not
// only invisible characters (zero-width and other format characters,
// spaces) when not empty.
func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalid(field, "is %d characters long; the limit is %d", n, max)
	}
	multiline := max > MaxNameLen
	visible := false
	for i, r := range s {
		switch {
		case r == 0:
			return Invalid(field, "holds a NUL character (at byte %d)", i)
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return Invalid(field, "holds the control character U+%04X (at byte %d)", r, i)
		case (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
			return Invalid(field, "holds the bidirectional control U+%04X (at byte %d), which makes text display otherwise than it reads", r, i)
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == 0x3164 || r == 0x115F || r == 0x1160 || r == 0xFFA0:
			// invisible: spaces, zero-width and format characters, Hangul fillers
		default:
			visible = true
		}
	}
	if s != "" && !visible {
		return Invalid(field, "holds only invisible characters")
	}
	return nil
}

// checkURL checks a node's url: empty, or an absolute http or https URL
// with a host (no javascript:, data: or file: links for the pages that
// show it).
func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	if err := checkText(field, s, MaxNameLen); err != nil {
		return err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Invalid(field, "%q is not an http or https URL: write it as https://host/path", s)
	}
	return nil
}

func validateEvidence(field string, evs []Evidence) error {
	for i, e := range evs {
		f := fmt.Sprintf("%s.evidence[%d]", field, i)
		if err := ValidateID(f+".source", e.Source); err != nil {
			return err
		}
		if strings.TrimSpace(e.Quote) == "" {
			return Invalid(f+".quote", "is empty: evidence needs the quote it rests on")
		}
		for _, t := range []struct{ name, v string }{{"quote", e.Quote}, {"locator", e.Locator}, {"note", e.Note}} {
			if err := checkText(f+"."+t.name, t.v, MaxTextLen); err != nil {
				return err
			}
		}
	}
	return nil
}

// Validate checks a node record.
func (n *NodeRecord) Validate(field string) error {
	if err := ValidateID(field+".id", n.ID); err != nil {
		return err
	}
	if !IsNodeLabel(n.Label) {
		return Invalid(field+".label", "%q is not a node label (known: %s)", n.Label, strings.Join(NodeLabels, ", "))
	}
	if kinds, ok := Kinds[n.Label]; ok {
		if !contains(kinds, n.Kind) {
			return Invalid(field+".kind", "%q is not a kind of %s (known: %s)", n.Kind, n.Label, strings.Join(kinds, ", "))
		}
	} else if n.Kind != "" {
		return Invalid(field+".kind", "%s has no kinds", n.Label)
	}
	if strings.TrimSpace(n.Name) == "" {
		return Invalid(field+".name", "is empty")
	}
	for _, t := range []struct{ name, v string }{{"name", n.Name}, {"nameEn", n.NameEn}, {"code", n.Code}, {"postalCode", n.PostalCode}} {
		if err := checkText(field+"."+t.name, t.v, MaxNameLen); err != nil {
			return err
		}
	}
	if err := checkURL(field+".url", n.URL); err != nil {
		return err
	}
	for i, a := range n.Aliases {
		if strings.TrimSpace(a) == "" {
			return Invalid(fmt.Sprintf("%s.aliases[%d]", field, i), "is empty")
		}
		if err := checkText(fmt.Sprintf("%s.aliases[%d]", field, i), a, MaxNameLen); err != nil {
			return err
		}
	}
	for _, t := range []struct{ name, v string }{{"description", n.Description}, {"descriptionEn", n.DescriptionEn}, {"address", n.Address}} {
		if err := checkText(field+"."+t.name, t.v, MaxTextLen); err != nil {
			return err
		}
	}
	for _, t := range []struct{ name, v string }{{"startsAt", n.StartsAt}, {"endsAt", n.EndsAt}} {
		if t.v != "" && !timePattern.MatchString(t.v) {
			return Invalid(field+"."+t.name, "%q is not a time: write HH:MM (24-hour)", t.v)
		}
	}
	if n.Start != nil {
		if err := n.Start.validate(field + ".start"); err != nil {
			return err
		}
	}
	if n.End != nil {
		if err := n.End.validate(field + ".end"); err != nil {
			return err
		}
		if n.Start != nil && n.End.Date < n.Start.Date[:min(len(n.Start.Date), len(n.End.Date))] {
			return Invalid(field+".end", "%s is before the start %s", n.End.Date, n.Start.Date)
		}
	}
	if err := validateEvidence(field, n.Evidence); err != nil {
		return err
	}
	return validateStatus(field, n.Status, n.Basis, n.Evidence)
}

// Validate checks a relationship record.
func (r *RelRecord) Validate(field string) error {
	if !IsRelType(r.Type) {
		return Invalid(field+".type", "%q is not a relationship type (known: %s)", r.Type, strings.Join(RelTypes, ", "))
	}
	if err := ValidateID(field+".from", r.From); err != nil {
		return err
	}
	if err := ValidateID(field+".to", r.To); err != nil {
		return err
	}
	if r.ID != "" {
		if err := checkText(field+".id", r.ID, MaxNameLen); err != nil {
			return err
		}
	}
	if r.Type == RelParticipatesIn && r.Role != "" {
		if _, ok := ParticipationRoles[r.Role]; !ok {
			return Invalid(field+".role", "%q is not a participation role (known: %s)", r.Role, strings.Join(SortedRoleNames(), ", "))
		}
	}
	for _, t := range []struct{ name, v string }{{"role", r.Role}, {"roleTh", r.RoleTh}} {
		if err := checkText(field+"."+t.name, t.v, MaxNameLen); err != nil {
			return err
		}
	}
	if err := checkText(field+".description", r.Description, MaxTextLen); err != nil {
		return err
	}
	if r.Event != "" {
		if err := ValidateID(field+".event", r.Event); err != nil {
			return err
		}
	}
	if r.Start != nil {
		if err := r.Start.validate(field + ".start"); err != nil {
			return err
		}
	}
	if r.End != nil {
		if err := r.End.validate(field + ".end"); err != nil {
			return err
		}
	}
	if err := validateEvidence(field, r.Evidence); err != nil {
		return err
	}
	return validateStatus(field, r.Status, r.Basis, r.Evidence)
}

// Validate checks every record of the bundle, that ids are unique, and that
// relationship ids are unique.
func (b *Bundle) Validate() error {
	seen := make(map[string]bool, len(b.Nodes))
	for i := range b.Nodes {
		f := fmt.Sprintf("nodes[%d]", i)
		if err := b.Nodes[i].Validate(f); err != nil {
			return err
		}
		if seen[b.Nodes[i].ID] {
			return Invalid(f+".id", "%q appears twice", b.Nodes[i].ID)
		}
		seen[b.Nodes[i].ID] = true
	}
	rels := make(map[string]bool, len(b.Relationships))
	for i := range b.Relationships {
		f := fmt.Sprintf("relationships[%d]", i)
		if err := b.Relationships[i].Validate(f); err != nil {
			return err
		}
		id := b.Relationships[i].RelID()
		if rels[id] {
			return Invalid(f, "relationship %q appears twice", id)
		}
		rels[id] = true
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SortedRoleNames is the participation roles in order, for messages.
func SortedRoleNames() []string { return slices.Sorted(maps.Keys(ParticipationRoles)) }

// DayRange is the span of the ISO date s (YYYY, YYYY-MM or YYYY-MM-DD) as
// days since 1970-01-01: its first and its last day. A year runs from
// 1 January to 31 December and a month through its last day, so two
// partial dates overlap exactly when their day ranges do.
func DayRange(field, s string) (first, last int, err error) {
	p, err := ValidateISODate(field, s)
	if err != nil {
		return 0, 0, err
	}
	m := datePattern.FindStringSubmatch(s)
	year, _ := strconv.Atoi(m[1])
	month, day := 1, 1
	if p != DatePrecisionYear {
		month, _ = strconv.Atoi(m[2])
	}
	if p == DatePrecisionDay {
		day, _ = strconv.Atoi(m[3])
	}
	start := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	var end time.Time
	switch p {
	case DatePrecisionYear:
		end = start.AddDate(1, 0, -1)
	case DatePrecisionMonth:
		end = start.AddDate(0, 1, -1)
	default:
		end = start
	}
	return epochDays(start), epochDays(end), nil
}

func epochDays(t time.Time) int { return int(t.Unix() / 86400) }
