package domain

// A Bundle is a self-contained piece of the graph: nodes (sources included,
// as nodes labelled Source) and the relationships among them and the nodes
// already in the database. The seed graph is one; imports are others.
type Bundle struct {
	Nodes         []NodeRecord `yaml:"nodes" json:"nodes"`
	Relationships []RelRecord  `yaml:"relationships" json:"relationships"`
}

// NodeRecord is one node as it is written to and read from a bundle.
type NodeRecord struct {
	ID    string `yaml:"id" json:"id"`
	Label string `yaml:"label" json:"label"`
	// Kind refines the label: AgencyKind, NetworkKind, EventKind,
	// ProgramKind, VenueKind or SourceKind.
	Kind          string   `yaml:"kind,omitempty" json:"kind,omitempty"`
	Name          string   `yaml:"name" json:"name"`
	NameEn        string   `yaml:"nameEn,omitempty" json:"nameEn,omitempty"`
	Aliases       []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Description   string   `yaml:"description,omitempty" json:"description,omitempty"`
	DescriptionEn string   `yaml:"descriptionEn,omitempty" json:"descriptionEn,omitempty"`
	// Code is the official code: ISO 3166-2:TH for provinces ("TH-57"),
	// the DOPA code for districts and subdistricts.
	Code       string `yaml:"code,omitempty" json:"code,omitempty"`
	PostalCode string `yaml:"postalCode,omitempty" json:"postalCode,omitempty"`
	Address    string `yaml:"address,omitempty" json:"address,omitempty"`
	URL        string `yaml:"url,omitempty" json:"url,omitempty"`
	// Order, StartsAt and EndsAt place an agenda session in its event
	// ("09:30", local time).
	Order    int    `yaml:"order,omitempty" json:"order,omitempty"`
	StartsAt string `yaml:"startsAt,omitempty" json:"startsAt,omitempty"`
	EndsAt   string `yaml:"endsAt,omitempty" json:"endsAt,omitempty"`
	// Start and End date events, programs and sources (a source's Start is
	// its publication date).
	Start    *PartialDate `yaml:"start,omitempty" json:"start,omitempty"`
	End      *PartialDate `yaml:"end,omitempty" json:"end,omitempty"`
	Evidence []Evidence   `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	// Status is how the node stands in its sources, Basis the reasoning
	// of an INFERRED or DISPUTED one (status.go). No status is STATED
	// when the record cites evidence.
	Status AssertionStatus `yaml:"status,omitempty" json:"status,omitempty"`
	Basis  string          `yaml:"basis,omitempty" json:"basis,omitempty"`
	// MergedFrom lists the ids of duplicates merged into this node.
	MergedFrom []string `yaml:"mergedFrom,omitempty" json:"mergedFrom,omitempty"`
}

// RelRecord is one relationship as it is written to and read from a bundle.
type RelRecord struct {
	// ID is stable and readable; when empty it is derived from
	// From, Type, To and Role.
	ID          string       `yaml:"id,omitempty" json:"id,omitempty"`
	Type        string       `yaml:"type" json:"type"`
	From        string       `yaml:"from" json:"from"`
	To          string       `yaml:"to" json:"to"`
	Role        string       `yaml:"role,omitempty" json:"role,omitempty"`
	RoleTh      string       `yaml:"roleTh,omitempty" json:"roleTh,omitempty"`
	Description string       `yaml:"description,omitempty" json:"description,omitempty"`
	Start       *PartialDate `yaml:"start,omitempty" json:"start,omitempty"`
	End         *PartialDate `yaml:"end,omitempty" json:"end,omitempty"`
	Evidence    []Evidence   `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	// Status and Basis: as on NodeRecord.
	Status AssertionStatus `yaml:"status,omitempty" json:"status,omitempty"`
	Basis  string          `yaml:"basis,omitempty" json:"basis,omitempty"`
	// Event is the id of the event a tie is about, for ties that happen
	// on an occasion: an invitation (INVITED) to it, a sending or a
	// stand-in (SENDS, STANDS_IN_FOR) for it.
	Event string `yaml:"event,omitempty" json:"event,omitempty"`
}

// Evidence says why the graph holds a fact: the source, the quote in the
// source's language, and where in the source it stands.
type Evidence struct {
	Source  string `yaml:"source" json:"source"`
	Quote   string `yaml:"quote" json:"quote"`
	Locator string `yaml:"locator,omitempty" json:"locator,omitempty"`
	// Note explains an inference the quote alone does not carry.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// PartialDate is a date known to a year, a month or a day. Date is ISO 8601
// in the Common Era ("2007", "2007-04", "2007-04-11"); Text is the source's
// own wording ("11 เมษายน 2550", Buddhist Era = CE + 543).
type PartialDate struct {
	Date      string        `yaml:"date" json:"date"`
	Precision DatePrecision `yaml:"precision,omitempty" json:"precision,omitempty"`
	Text      string        `yaml:"text,omitempty" json:"text,omitempty"`
	// Inferred is true when the source omits part of the date (usually the
	// year) and it was inferred from context; Note says how.
	Inferred bool   `yaml:"inferred,omitempty" json:"inferred,omitempty"`
	Note     string `yaml:"note,omitempty" json:"note,omitempty"`
}
