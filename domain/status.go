package domain

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// AssertionStatus says how a fact stands in its sources: STATED (a quote
// says it), INFERRED (read from the sources by reasoning that Basis gives)
// or DISPUTED (sources or readings disagree; Basis says how). It is stored
// as the property `status` of every node and relationship, with `basis`
// beside it, and bound to the GraphQL enum AssertionStatus.
type AssertionStatus string

const (
	StatusStated   AssertionStatus = "STATED"
	StatusInferred AssertionStatus = "INFERRED"
	StatusDisputed AssertionStatus = "DISPUTED"
)

// AssertionStatuses lists the statuses, in the schema's order.
var AssertionStatuses = []AssertionStatus{StatusStated, StatusInferred, StatusDisputed}

// IsValid reports whether s is one of AssertionStatuses.
func (s AssertionStatus) IsValid() bool {
	return s == StatusStated || s == StatusInferred || s == StatusDisputed
}

// NeedsBasis reports whether a fact of status s must say its reasoning.
func (s AssertionStatus) NeedsBasis() bool { return s == StatusInferred || s == StatusDisputed }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *AssertionStatus) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || !AssertionStatus(str).IsValid() {
		return fmt.Errorf("%v is not an AssertionStatus (STATED, INFERRED or DISPUTED)", v)
	}
	*s = AssertionStatus(str)
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (s AssertionStatus) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(s))) }

// StoredStatus is the status of a stored fact: a record written before
// statuses existed has none and reads as STATED, the default its write
// would have had (every fact written through the API carried evidence).
func StoredStatus(s string) AssertionStatus {
	if s == "" {
		return StatusStated
	}
	return AssertionStatus(s)
}

// StatusStrings is statuses as strings, for query parameters.
func StatusStrings(statuses []AssertionStatus) []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}

// ValidateStatuses checks a status filter (field names it).
func ValidateStatuses(field string, statuses []AssertionStatus) error {
	for i, s := range statuses {
		if !s.IsValid() {
			return Invalid(fmt.Sprintf("%s[%d]", field, i), "%q is not an assertion status (known: STATED, INFERRED, DISPUTED)", string(s))
		}
	}
	return nil
}

// effectiveStatus is the status a record is written with: its own, or
// when it gives none STATED if it cites evidence (a quote says it).
func effectiveStatus(s AssertionStatus, evs []Evidence) AssertionStatus {
	if s == "" && len(evs) > 0 {
		return StatusStated
	}
	return s
}

// validateStatus checks a record's status and basis: a known status (or
// none, when evidence makes it STATED), a basis for INFERRED and DISPUTED
// and none for STATED, and a quote for STATED.
func validateStatus(field string, s AssertionStatus, basis string, evs []Evidence) error {
	if s != "" && !s.IsValid() {
		return Invalid(field+".status", "%q is not an assertion status: write STATED (a quote says it), INFERRED or DISPUTED (each with a basis)", string(s))
	}
	s = effectiveStatus(s, evs)
	if err := checkText(field+".basis", basis, MaxTextLen); err != nil {
		return err
	}
	switch {
	case s == "":
		// no evidence: every write path refuses the record for that
		// (Bundle.Problems, CreateNode…), with the clearer reason
		return nil
	case s.NeedsBasis() && strings.TrimSpace(basis) == "":
		return Invalid(field+".basis", "is empty: a %s fact needs its basis, the reasoning in a sentence", s)
	case s == StatusStated && len(evs) == 0:
		return Invalid(field+".status", "is STATED but the record cites no evidence: STATED needs the quote that says it")
	case s == StatusStated && basis != "":
		return Invalid(field+".basis", "is given for a STATED fact: a basis is the reasoning of an INFERRED or DISPUTED one (say it in an evidence note instead)")
	}
	return nil
}

// AssertionStatus is the status the node is written with (see
// validateStatus).
func (n NodeRecord) AssertionStatus() AssertionStatus { return effectiveStatus(n.Status, n.Evidence) }

// AssertionStatus is the status the relationship is written with.
func (r RelRecord) AssertionStatus() AssertionStatus { return effectiveStatus(r.Status, r.Evidence) }

// MergedStatus is the status and basis of one fact made of several (a
// node merged from its duplicates, or two relationships merged into one
// by mergeNodes), given each one's status and basis:
//
//   - DISPUTED if any is DISPUTED: a disagreement the sources record is
//     not settled by finding that two records are one;
//   - else STATED if any is STATED: the merged fact carries the quote that
//     states it (a STATED record always cites one), and STATED takes no
//     basis, so the others' bases are dropped (the audit trail keeps them);
//   - else INFERRED.
//
// The basis of a DISPUTED or INFERRED result joins the bases of the
// records not STATED, each once, in order, with "; ". A record with no
// status is STATED (StoredStatus).
func MergedStatus(statuses []AssertionStatus, bases []string) (AssertionStatus, string) {
	out := StatusInferred
	for _, s := range statuses {
		switch StoredStatus(string(s)) {
		case StatusDisputed:
			out = StatusDisputed
		case StatusStated:
			if out != StatusDisputed {
				out = StatusStated
			}
		}
	}
	if out == StatusStated {
		return out, ""
	}
	var kept []string
	for i, b := range bases {
		b = strings.TrimSpace(b)
		if b == "" || slices.Contains(kept, b) || (i < len(statuses) && StoredStatus(string(statuses[i])) == StatusStated) {
			continue
		}
		kept = append(kept, b)
	}
	return out, strings.Join(kept, "; ")
}

// ValidateStatus checks the record's status and basis alone (see
// validateStatus): what a merge must check of the status it computes.
func (n *NodeRecord) ValidateStatus(field string) error {
	return validateStatus(field, n.Status, n.Basis, n.Evidence)
}
