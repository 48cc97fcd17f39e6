package domain

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Kinds allowed for each label that has kinds.
var Kinds = map[string][]string{
	LabelAgency: {
		"MINISTRY", "DEPARTMENT", "GOVERNMENT_OFFICE", "PUBLIC_ORGANIZATION",
		"UNIVERSITY", "RESEARCH_FUNDER", "STATE_BANK", "FUND_OFFICE",
		"FOUNDATION", "ASSOCIATION", "COOPERATIVE_FEDERATION", "UNIT", "OTHER",
	},
	LabelNetwork:      {"NETWORK", "MOVEMENT", "SAVINGS_GROUPS", "FUNDS", "ACADEMIC_NETWORK", "RELIGIOUS_NETWORK", "OTHER"},
	LabelEvent:        {"MEETING", "FORUM", "SEMINAR", "WORKING_GROUP", "FORUM_SERIES", "TRAVEL", "HOLIDAY", "OTHER"},
	LabelProgram:      {"PLAN", "PROGRAM", "PROJECT", "FUND", "RESEARCH_PLATFORM", "RESEARCH_PROPOSAL", "LEARNING_CIRCLE", "OTHER"},
	LabelVenue:        {"BUILDING", "ROOM", "OFFICE", "CAMPUS", "OTHER"},
	LabelSource:       {"POST", "COMMENT", "DOCUMENT", "DATASET", "OTHER"},
	LabelStrategySide: {"SOCIAL_PROCESS", "KNOWLEDGE", "POLITICS"},
}

// IsKind reports whether k is a kind of some label.
func IsKind(k string) bool {
	for _, ks := range Kinds {
		if slices.Contains(ks, k) {
			return true
		}
	}
	return false
}

// The relationship types. Cypher only ever takes types from this list.
const (
	RelPartOf         = "PART_OF"         // unit -> parent body; district -> province; session -> event; comment -> post
	RelLocatedIn      = "LOCATED_IN"      // actor, venue or event -> place
	RelMemberOf       = "MEMBER_OF"       // actor -> network
	RelWorksFor       = "WORKS_FOR"       // person -> agency (role)
	RelHoldsPosition  = "HOLDS_POSITION"  // person -> agency (role: the position)
	RelLeads          = "LEADS"           // person -> agency, network, program or event
	RelRepresents     = "REPRESENTS"      // person -> agency or network (at an event, say)
	RelFounded        = "FOUNDED"         // person or agency -> agency, network or program
	RelOrganizes      = "ORGANIZES"       // actor -> event
	RelParticipatesIn = "PARTICIPATES_IN" // actor -> event, session or program (role)
	RelFunds          = "FUNDS"           // agency -> program or event
	RelSupports       = "SUPPORTS"        // actor -> actor, program or event
	RelRuns           = "RUNS"            // agency -> program
	RelAdvances       = "ADVANCES"        // actor or program -> strategy side
	RelSecretariatOf  = "SECRETARIAT_OF"  // agency -> network
	RelHeldAt         = "HELD_AT"         // event -> venue, place or agency
	RelFollowsFrom    = "FOLLOWS_FROM"    // event -> earlier event it continues
	RelAuthored       = "AUTHORED"        // person -> source
	RelMentions       = "MENTIONS"        // source -> any node

	// Ties between people and bodies, and between sources (seed/ties.yaml).
	RelInvited        = "INVITED"          // actor -> actor: the inviter invites the invitee (event: the occasion; role: the capacity)
	RelSends          = "SENDS"            // actor -> person: sends someone (event: where to)
	RelStandsInFor    = "STANDS_IN_FOR"    // person -> person: goes in the other's place (event: where)
	RelAddresses      = "ADDRESSES"        // person -> person: speaks to the other in a source (the evidence cites it)
	RelRepliesTo      = "REPLIES_TO"       // source -> source: a comment answers an earlier one
	RelPossiblySameAs = "POSSIBLY_SAME_AS" // actor -> actor: may be one body; symmetric in meaning, stored one way
)

// RelTypes lists the relationship types, in a stable order.
var RelTypes = []string{
	RelPartOf, RelLocatedIn, RelMemberOf, RelWorksFor, RelHoldsPosition,
	RelLeads, RelRepresents, RelFounded, RelOrganizes, RelParticipatesIn,
	RelFunds, RelSupports, RelRuns, RelAdvances, RelSecretariatOf,
	RelHeldAt, RelFollowsFrom, RelAuthored, RelMentions,
	RelInvited, RelSends, RelStandsInFor, RelAddresses, RelRepliesTo, RelPossiblySameAs,
}

// IsRelType reports whether t is one of RelTypes.
func IsRelType(t string) bool {
	for _, r := range RelTypes {
		if r == t {
			return true
		}
	}
	return false
}

// RoleOrganizer is the participation role of who organizes an event; an
// ORGANIZES relationship says the same.
const RoleOrganizer = "ORGANIZER"

// Participation roles (PARTICIPATES_IN.role) with their Thai terms.
var ParticipationRoles = map[string]string{
	"SUPPORT_PARTNER":        "ภาคีสนับสนุน",
	"POLICY_SUPPORT_PARTNER": "ภาคีสนับสนุนระดับนโยบาย",
	"ACADEMIC_PARTNER":       "ภาคีวิชาการ",
	"OPERATIONAL_PARTNER":    "ภาคีปฏิบัติการ",
	"SPEAKER":                "วิทยากร",
	"INVITED":                "ผู้ได้รับเชิญ",
	"PARTICIPANT":            "ผู้เข้าร่วม",
	"ORGANIZER":              "ผู้จัด",
}

// DatePrecision says how much of a PartialDate is known.
type DatePrecision string

const (
	DatePrecisionYear  DatePrecision = "YEAR"
	DatePrecisionMonth DatePrecision = "MONTH"
	DatePrecisionDay   DatePrecision = "DAY"
)

// IsValid reports whether p is a known precision.
func (p DatePrecision) IsValid() bool {
	return p == DatePrecisionYear || p == DatePrecisionMonth || p == DatePrecisionDay
}

func (p DatePrecision) String() string { return string(p) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *DatePrecision) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("DatePrecision must be a string")
	}
	*p = DatePrecision(s)
	if !p.IsValid() {
		return fmt.Errorf("%s is not a valid DatePrecision", s)
	}
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (p DatePrecision) MarshalGQL(w io.Writer) { fmt.Fprint(w, strconv.Quote(string(p))) }
