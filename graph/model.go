package graph

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// NodeKind is the kind of a node, and its label in Neo4j.
type NodeKind string

const (
	KindState        NodeKind = "State"
	KindActor        NodeKind = "ThreatActor"
	KindIncident     NodeKind = "Incident"
	KindOrganization NodeKind = "Organization"
	KindSector       NodeKind = "Sector"
	KindSource       NodeKind = "Source"
	KindAmount       NodeKind = "Amount"
)

// NodeKinds lists every node kind.
var NodeKinds = []NodeKind{KindState, KindActor, KindIncident, KindOrganization, KindSector, KindSource, KindAmount}

// Valid reports whether k is a known kind.
func (k NodeKind) Valid() bool { return slices.Contains(NodeKinds, k) }

// ResolvedByName reports whether nodes of this kind are found by name and alias, so that
// a name may belong to one node of the kind only. Sources are known by URL and amounts by
// incident: two articles may share a title, two thefts a figure.
func (k NodeKind) ResolvedByName() bool { return k != KindSource && k != KindAmount }

// EdgeType is the type of an edge, and its relationship type in Neo4j.
type EdgeType string

const (
	AttributedTo     EdgeType = "ATTRIBUTED_TO"     // Incident -> ThreatActor | State
	SponsoredBy      EdgeType = "SPONSORED_BY"      // ThreatActor -> State
	PartOf           EdgeType = "PART_OF"           // ThreatActor -> ThreatActor
	CollaboratesWith EdgeType = "COLLABORATES_WITH" // State <-> State, ThreatActor <-> ThreatActor
	Targeted         EdgeType = "TARGETED"          // Incident -> Organization | Sector | State
	Stole            EdgeType = "STOLE"             // Incident -> Amount
	LocatedIn        EdgeType = "LOCATED_IN"        // Organization -> State
	InSector         EdgeType = "IN_SECTOR"         // Organization -> Sector
)

// EdgeTypes lists every edge type.
var EdgeTypes = []EdgeType{AttributedTo, SponsoredBy, PartOf, CollaboratesWith, Targeted, Stole, LocatedIn, InSector}

// edgeEnds says which node kinds each edge type may connect.
var edgeEnds = map[EdgeType]struct{ from, to []NodeKind }{
	AttributedTo:     {[]NodeKind{KindIncident}, []NodeKind{KindActor, KindState}},
	SponsoredBy:      {[]NodeKind{KindActor}, []NodeKind{KindState}},
	PartOf:           {[]NodeKind{KindActor}, []NodeKind{KindActor}},
	CollaboratesWith: {[]NodeKind{KindState, KindActor}, []NodeKind{KindState, KindActor}},
	Targeted:         {[]NodeKind{KindIncident}, []NodeKind{KindOrganization, KindSector, KindState}},
	Stole:            {[]NodeKind{KindIncident}, []NodeKind{KindAmount}},
	LocatedIn:        {[]NodeKind{KindOrganization, KindActor}, []NodeKind{KindState}},
	InSector:         {[]NodeKind{KindOrganization}, []NodeKind{KindSector}},
}

// Valid reports whether t is a known edge type.
func (t EdgeType) Valid() bool { _, ok := edgeEnds[t]; return ok }

// Symmetric reports whether the edge has no direction (its ends are stored in ID order).
func (t EdgeType) Symmetric() bool { return t == CollaboratesWith }

// Connects reports whether an edge of type t may go from a node of kind from to one of kind to.
func (t EdgeType) Connects(from, to NodeKind) bool {
	e, ok := edgeEnds[t]
	if !ok || !slices.Contains(e.from, from) || !slices.Contains(e.to, to) {
		return false
	}
	// Collaboration is between peers: states with states, actors with actors.
	return t != CollaboratesWith || from == to
}

// ActorKind says what sort of threat actor a ThreatActor is.
type ActorKind string

const (
	ActorGroup      ActorKind = "group"
	ActorUnit       ActorKind = "unit"
	ActorAgency     ActorKind = "agency"
	ActorIndividual ActorKind = "individual"
)

// IncidentKind says what sort of incident an Incident is.
type IncidentKind string

const (
	IncidentTheft      IncidentKind = "theft"
	IncidentRansomware IncidentKind = "ransomware"
	IncidentEspionage  IncidentKind = "espionage"
	IncidentSabotage   IncidentKind = "sabotage"
	IncidentDDoS       IncidentKind = "ddos"
	IncidentOther      IncidentKind = "other"
)

// Certainty is how firmly a claim was made.
type Certainty string

const (
	Asserted Certainty = "asserted" // confirmed, formally attributed, plainly stated
	Hedged   Certainty = "hedged"   // suspected, believed, likely, may
)

// Date is a calendar date known to year, month or day precision, held as an ISO 8601
// prefix: "2024", "2024-06" or "2024-06-24". The zero Date is unknown.
type Date string

// DatePrecision is how much of a Date is known.
type DatePrecision string

const (
	PrecisionYear  DatePrecision = "year"
	PrecisionMonth DatePrecision = "month"
	PrecisionDay   DatePrecision = "day"
)

// ParseDate checks s is an ISO prefix of a real date.
func ParseDate(s string) (Date, error) {
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	if layout == "" {
		return "", Errorf(EINVALID, "date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if _, err := time.Parse(layout, s); err != nil {
		return "", Errorf(EINVALID, "date %q: %v", s, err)
	}
	return Date(s), nil
}

// Precision returns how much of the date is known, or "" for the zero Date.
func (d Date) Precision() DatePrecision {
	switch len(d) {
	case 4:
		return PrecisionYear
	case 7:
		return PrecisionMonth
	case 10:
		return PrecisionDay
	}
	return ""
}

// Year returns the date's year, or 0 when unknown.
func (d Date) Year() int {
	if len(d) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(string(d[:4]))
	return y
}

// Amount is a sum of money or crypto as reported.
type Amount struct {
	Value       float64  `json:"value"`
	Currency    string   `json:"currency"`           // ISO 4217 ("USD", "JPY") or a crypto ticker ("ETH", "BTC")
	ValueUSD    *float64 `json:"valueUSD,omitempty"` // only when the reporting states a dollar value; never converted
	Approximate bool     `json:"approximate,omitempty"`
	Surface     string   `json:"surface"` // the text as written: "more than $1.3 billion"
}

// ExternalID names a node in another catalogue, such as MITRE ATT&CK ("G0032").
type ExternalID struct {
	System string `json:"system"` // "mitre-attack", "misp-galaxy"
	ID     string `json:"id"`
	URL    string `json:"url,omitempty"`
}

// Claim is one source's statement of a fact: the provenance of a node or an edge.
type Claim struct {
	SourceID  string    `json:"sourceId"`
	Quote     string    `json:"quote"`              // the exact evidence sentence
	Claimant  string    `json:"claimant,omitempty"` // who said it ("FBI"); empty: the source's publisher
	Certainty Certainty `json:"certainty"`
	// Confidence is this claim's own weight in [0,1]; see ClaimConfidence.
	Confidence float64 `json:"confidence"`
	// Reported is when the source published (or, failing that, was fetched).
	Reported time.Time `json:"reported"`
}

func (c Claim) key() string { return c.SourceID + "\x00" + c.Quote + "\x00" + c.Claimant }

// Node is any node of the graph. Which fields are used depends on Kind; the others stay
// zero. One flat type keeps both stores and the API on a single model.
type Node struct {
	ID          string   `json:"id"`
	Kind        NodeKind `json:"kind"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`

	Code string `json:"code,omitempty"` // State: ISO 3166-1 alpha-2

	ActorKind   ActorKind    `json:"actorKind,omitempty"` // ThreatActor
	ExternalIDs []ExternalID `json:"externalIds,omitempty"`

	IncidentKind IncidentKind `json:"incidentKind,omitempty"` // Incident
	Date         Date         `json:"date,omitempty"`         // Incident: when it happened

	URL         string    `json:"url,omitempty"` // Source
	Title       string    `json:"title,omitempty"`
	Publisher   string    `json:"publisher,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	Fetched     time.Time `json:"fetched,omitzero"`
	ContentHash string    `json:"contentHash,omitempty"`

	Amount *Amount `json:"amount,omitempty"` // Amount

	// Claims are the statements that reported this node; Confidence aggregates them.
	// Reference knowledge is a source like any other.
	Claims     []Claim `json:"claims,omitempty"`
	Confidence float64 `json:"confidence"`
}

// Edge is a directed (or, for symmetric types, undirected) relation between two nodes.
// There is one edge per (type, from, to); each source that asserts it adds a Claim.
type Edge struct {
	ID         string   `json:"id"`
	Type       EdgeType `json:"type"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Claims     []Claim  `json:"claims"`
	Confidence float64  `json:"confidence"`
}

// FirstReported returns the earliest report of the edge.
func (e *Edge) FirstReported() time.Time { return reported(e.Claims, true) }

// LastReported returns the latest report of the edge.
func (e *Edge) LastReported() time.Time { return reported(e.Claims, false) }

func reported(claims []Claim, first bool) time.Time {
	var t time.Time
	for _, c := range claims {
		if t.IsZero() || (first && c.Reported.Before(t)) || (!first && c.Reported.After(t)) {
			t = c.Reported
		}
	}
	return t
}

// Certainty returns Asserted when any claim asserts the edge, else Hedged.
func (e *Edge) Certainty() Certainty { return strongest(e.Claims) }

func strongest(claims []Claim) Certainty {
	c := Hedged
	for _, cl := range claims {
		if cl.Certainty == Asserted {
			return Asserted
		}
	}
	return c
}

// Sources returns the IDs of the sources that assert the edge, in order, without repeats.
func (e *Edge) Sources() []string { return claimSources(e.Claims) }

func claimSources(claims []Claim) []string {
	var ids []string
	for _, c := range claims {
		if !slices.Contains(ids, c.SourceID) {
			ids = append(ids, c.SourceID)
		}
	}
	return ids
}

// Names returns the node's name followed by its aliases.
func (n *Node) Names() []string { return append([]string{n.Name}, n.Aliases...) }

// Sources returns the IDs of the sources that report the node.
func (n *Node) Sources() []string { return claimSources(n.Claims) }

// Normalize folds a name for matching: lower case, dashes as spaces, single spaces, no
// surrounding punctuation, typographic quotes made plain, and no leading "the ".
func Normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u2019', '\u2018':
			return '\''
		case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014':
			return ' ' // "APT-38" and "APT 38" are one name, as they are one slug
		case '\u00a0':
			return ' '
		}
		return r
	}, s)
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = strings.Trim(s, " .,;:!?\"'()[]")
	s = strings.TrimPrefix(s, "the ")
	return s
}

// Subgraph is a set of nodes and the edges among them.
type Subgraph struct {
	Nodes []*Node
	Edges []*Edge
}

// Path is a walk from one node to another: Nodes has one more element than Edges.
type Path struct {
	Nodes []*Node
	Edges []*Edge
}
