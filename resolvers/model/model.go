// Package model holds the Go types that GraphQL types bind to where the domain package
// graph has none of its own: one wrapper per node kind, and the views of an edge from
// one of its ends. gqlgen binds to them by name (autobind in gqlgen.yml); whatever graph
// already has a type for (Amount, ExternalID, Total and the enums) binds to graph
// directly, so there is one model, not two.
//
// Why wrappers: graph.Node is one flat struct for every kind of node, and gqlgen
// resolves an interface (Entity) to its GraphQL object type by the Go type of the value.
// A bare *graph.Node could not say whether it is a State or an Incident. So each kind
// gets a thin wrapper around the same *graph.Node (no copy, no second model), and
// NewEntity picks the wrapper from Node.Kind. The same goes for edges: a *graph.Edge
// becomes a Collaboration, a Sponsorship or a plain Relation depending on where it is
// seen from.
//
// The types here only read the node or edge they wrap. Anything that needs the store
// (an edge's ends, a claim's source) is a resolver in package resolvers.
package model

import (
	"cmp"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Node is anything with a stable ID: every Entity, and *Source.
type Node interface {
	ID() string
}

// Entity is any node the graph relates: a *State, *ThreatActor, *Incident,
// *Organization or *Sector. Sources and amounts are evidence, not entities.
type Entity interface {
	Node
	// Node returns the graph node the entity wraps.
	Node() *graph.Node
}

// NewEntity wraps n in the type of its kind, or returns nil for nil and for nodes that
// are not entities (sources, amounts).
func NewEntity(n *graph.Node) Entity {
	if n == nil {
		return nil
	}
	b := base{n}
	switch n.Kind {
	case graph.KindState:
		return &State{b}
	case graph.KindActor:
		return &ThreatActor{b}
	case graph.KindIncident:
		return &Incident{b}
	case graph.KindOrganization:
		return &Organization{b}
	case graph.KindSector:
		return &Sector{b}
	}
	return nil
}

// AsState returns n as a State, or nil when n is not one.
func AsState(n *graph.Node) *State { e, _ := NewEntity(n).(*State); return e }

// AsThreatActor returns n as a ThreatActor, or nil when n is not one.
func AsThreatActor(n *graph.Node) *ThreatActor { e, _ := NewEntity(n).(*ThreatActor); return e }

// AsIncident returns n as an Incident, or nil when n is not one.
func AsIncident(n *graph.Node) *Incident { e, _ := NewEntity(n).(*Incident); return e }

// AsOrganization returns n as an Organization, or nil when n is not one.
func AsOrganization(n *graph.Node) *Organization { e, _ := NewEntity(n).(*Organization); return e }

// AsSector returns n as a Sector, or nil when n is not one.
func AsSector(n *graph.Node) *Sector { e, _ := NewEntity(n).(*Sector); return e }

// base is what every entity has. Its methods use value receivers so that both the
// wrappers and pointers to them satisfy Entity.
type base struct{ n *graph.Node }

func (b base) Node() *graph.Node     { return b.n }
func (b base) ID() string            { return b.n.ID }
func (b base) Name() string          { return b.n.Name }
func (b base) Aliases() []string     { return nonNil(b.n.Aliases) }
func (b base) Kind() graph.NodeKind  { return b.n.Kind }
func (b base) Description() *string  { return optional(b.n.Description) }
func (b base) Confidence() float64   { return b.n.Confidence }
func (b base) Evidence() []*Evidence { return NewEvidence(b.n.Claims) }

// State is a node of kind graph.KindState.
type State struct{ base }

// Code returns the ISO 3166-1 alpha-2 code in upper case, however it was written.
func (s State) Code() string { return strings.ToUpper(s.n.Code) }

// ThreatActor is a node of kind graph.KindActor.
type ThreatActor struct{ base }

// ActorKind returns nil when no source said, or said something outside the enum.
func (a ThreatActor) ActorKind() *graph.ActorKind {
	switch k := a.n.ActorKind; k {
	case graph.ActorGroup, graph.ActorUnit, graph.ActorAgency, graph.ActorIndividual:
		return &k
	}
	return nil
}

func (a ThreatActor) ExternalIDs() []graph.ExternalID { return nonNil(a.n.ExternalIDs) }

// Incident is a node of kind graph.KindIncident.
type Incident struct{ base }

// IncidentKind returns nil when no source said, or said something outside the enum.
func (i Incident) IncidentKind() *graph.IncidentKind {
	switch k := i.n.IncidentKind; k {
	case graph.IncidentTheft, graph.IncidentRansomware, graph.IncidentEspionage,
		graph.IncidentSabotage, graph.IncidentDDoS, graph.IncidentOther:
		return &k
	}
	return nil
}

func (i Incident) Date() *string { return optional(string(i.n.Date)) }

func (i Incident) DatePrecision() *graph.DatePrecision {
	if p := i.n.Date.Precision(); p != "" {
		return &p
	}
	return nil
}

// Organization is a node of kind graph.KindOrganization.
type Organization struct{ base }

// Sector is a node of kind graph.KindSector.
type Sector struct{ base }

// Source is a node of kind graph.KindSource: where evidence was read.
type Source struct{ n *graph.Node }

// NewSource wraps n, or returns nil when n is not a source.
func NewSource(n *graph.Node) *Source {
	if n == nil || n.Kind != graph.KindSource {
		return nil
	}
	return &Source{n}
}

func (s Source) ID() string             { return s.n.ID }
func (s Source) URL() string            { return s.n.URL }
func (s Source) Title() string          { return cmp.Or(s.n.Title, s.n.Name) }
func (s Source) Publisher() *string     { return optional(s.n.Publisher) }
func (s Source) PublishedAt() time.Time { return s.n.Published }
func (s Source) FetchedAt() time.Time   { return s.n.Fetched }

// Evidence is one claim: a source's statement of a node or an edge.
type Evidence struct{ c graph.Claim }

// NewEvidence returns the claims as evidence, in their order.
func NewEvidence(claims []graph.Claim) []*Evidence {
	out := make([]*Evidence, len(claims))
	for i, c := range claims {
		out[i] = &Evidence{c}
	}
	return out
}

// SourceID returns the ID of the source that made the claim.
func (e Evidence) SourceID() string           { return e.c.SourceID }
func (e Evidence) Quote() string              { return e.c.Quote }
func (e Evidence) Claimant() *string          { return optional(e.c.Claimant) }
func (e Evidence) Certainty() graph.Certainty { return e.c.Certainty }
func (e Evidence) Confidence() float64        { return e.c.Confidence }
func (e Evidence) Reported() time.Time        { return e.c.Reported }

// fact is what every view of an edge has: its ID and its evidence.
type fact struct{ e *graph.Edge }

// Edge returns the graph edge the view wraps.
func (f fact) Edge() *graph.Edge          { return f.e }
func (f fact) ID() string                 { return f.e.ID }
func (f fact) Confidence() float64        { return f.e.Confidence }
func (f fact) Certainty() graph.Certainty { return f.e.Certainty() }
func (f fact) FirstReported() time.Time   { return f.e.FirstReported() }
func (f fact) LastReported() time.Time    { return f.e.LastReported() }
func (f fact) Evidence() []*Evidence      { return NewEvidence(f.e.Claims) }

// Relation is an edge of any type, seen from neither end.
type Relation struct{ fact }

func (r Relation) Type() graph.EdgeType { return r.e.Type }

// Collaboration is a COLLABORATES_WITH edge seen from one side.
type Collaboration struct {
	fact
	self string
}

// PartnerID returns the ID of the end that is not the side it is seen from.
func (c Collaboration) PartnerID() string {
	if c.e.From == c.self {
		return c.e.To
	}
	return c.e.From
}

// Sponsorship is a SPONSORED_BY edge: From is the actor, To the state.
type Sponsorship struct{ fact }

// Membership is a PART_OF edge: From is the member, To the group.
type Membership struct{ fact }

// Attribution is an ATTRIBUTED_TO edge: From is the incident, To the actor or state.
type Attribution struct{ fact }

// Target is a TARGETED edge: From is the incident, To what it targeted.
type Target struct{ fact }

// StolenAmount is a STOLE edge: From is the incident, To the amount node.
type StolenAmount struct{ fact }

// NewRelation and the functions below wrap an edge in its view.
func NewRelation(e *graph.Edge) *Relation         { return &Relation{fact{e}} }
func NewSponsorship(e *graph.Edge) *Sponsorship   { return &Sponsorship{fact{e}} }
func NewMembership(e *graph.Edge) *Membership     { return &Membership{fact{e}} }
func NewAttribution(e *graph.Edge) *Attribution   { return &Attribution{fact{e}} }
func NewTarget(e *graph.Edge) *Target             { return &Target{fact{e}} }
func NewStolenAmount(e *graph.Edge) *StolenAmount { return &StolenAmount{fact{e}} }

// NewCollaboration wraps a COLLABORATES_WITH edge as seen from the node self.
func NewCollaboration(e *graph.Edge, self string) *Collaboration {
	return &Collaboration{fact{e}, self}
}

// Location is a LOCATED_IN edge: From is the organization or actor, To the state.
type Location struct{ fact }

// Classification is an IN_SECTOR edge: From is the organization, To the sector.
type Classification struct{ fact }

func NewLocation(e *graph.Edge) *Location             { return &Location{fact{e}} }
func NewClassification(e *graph.Edge) *Classification { return &Classification{fact{e}} }

// Relations wraps edges as plain relations.
func Relations(es []*graph.Edge) []*Relation {
	out := make([]*Relation, len(es))
	for i, e := range es {
		out[i] = NewRelation(e)
	}
	return out
}

// Subgraph is entities and the relations among them.
type Subgraph struct {
	Nodes []Entity
	Edges []*Relation
}

// Path is a chain of relations between two entities.
type Path struct {
	Nodes []Entity
	Edges []*Relation
}

func (p Path) Length() int { return len(p.Edges) }

// OrderDirection is the direction of a list's order.
type OrderDirection string

const (
	Asc  OrderDirection = "ASC"
	Desc OrderDirection = "DESC"
)

// IncidentOrder is the GraphQL input for the order of incidents.
type IncidentOrder struct {
	Field     graph.IncidentSort
	Direction OrderDirection
}

// Graph returns the order as graph has it.
func (o *IncidentOrder) Graph() graph.IncidentOrder {
	if o == nil {
		return graph.IncidentOrder{By: graph.SortDate, Desc: true}
	}
	return graph.IncidentOrder{By: o.Field, Desc: o.Direction != Asc}
}

// IncidentFilter is the GraphQL input that selects incidents; the resolvers turn it
// into a graph.IncidentFilter (state codes and actor names resolved to IDs).
type IncidentFilter struct {
	Kind      []graph.IncidentKind
	State     *string
	Actor     *string
	Sector    *string
	Target    *string
	From      *string
	To        *string
	MinUSD    *float64
	Certainty *graph.Certainty
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
