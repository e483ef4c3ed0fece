package graph

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// AuditAction names what a curator did.
type AuditAction string

const (
	AuditIngestURL    AuditAction = "ingest_url"
	AuditIngestText   AuditAction = "ingest_text"
	AuditMerge        AuditAction = "merge"
	AuditAddClaim     AuditAction = "add_claim"
	AuditRetractClaim AuditAction = "retract_claim"
	AuditRemoveSource AuditAction = "remove_source"
)

// AuditActions lists every action.
var AuditActions = []AuditAction{AuditIngestURL, AuditIngestText, AuditMerge, AuditAddClaim, AuditRetractClaim, AuditRemoveSource}

// AuditEntry records one change a curator made: who, when, why and what. Stores keep
// entries for good, written in the same transaction as the change they describe.
type AuditEntry struct {
	// ID orders entries by time: a later entry has a greater ID (see NewAuditEntry).
	ID     string      `json:"id"`
	At     time.Time   `json:"at"`
	Who    string      `json:"who"`            // the name of the API token used
	Role   string      `json:"role,omitempty"` // its role then
	Action AuditAction `json:"action"`
	Why    string      `json:"why"` // the curator's reason, in their words
	What   string      `json:"what"`
	// Subjects are the IDs of the nodes, edges and sources the change concerned.
	Subjects []string `json:"subjects,omitempty"`
	// Changes is what the change did to the graph; the store fills it in.
	Changes Summary `json:"changes"`
	// Detail is JSON of what the change removed or replaced (a retracted claim, a
	// merged node), so that a mistake can be undone by hand.
	Detail string `json:"detail,omitempty"`
}

// NewAuditEntry returns an entry with a fresh, time-ordered ID.
func NewAuditEntry(at time.Time, who, role string, action AuditAction, why string) *AuditEntry {
	at = at.Round(0).UTC()
	var b [6]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return &AuditEntry{
		ID: "audit:" + at.Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(b[:]),
		At: at, Who: who, Role: role, Action: action, Why: strings.TrimSpace(why),
	}
}

// Validate checks an entry can be recorded: EINVALID without an ID, a time, a name, a
// known action or a reason.
func (a *AuditEntry) Validate() error {
	switch {
	case !strings.HasPrefix(a.ID, "audit:"):
		return Errorf(EINVALID, "audit entry %q: ID must start with audit:", a.ID)
	case a.At.IsZero():
		return Errorf(EINVALID, "audit entry %s: no time", a.ID)
	case strings.TrimSpace(a.Who) == "":
		return Errorf(EINVALID, "audit entry %s: nobody did it", a.ID)
	case !slices.Contains(AuditActions, a.Action):
		return Errorf(EINVALID, "audit entry %s: unknown action %q", a.ID, a.Action)
	case strings.TrimSpace(a.Why) == "":
		return Errorf(EINVALID, "say why: every change to the graph needs a reason")
	}
	return nil
}

// AuditQuery asks for a page of the audit trail. Empty fields do not filter.
type AuditQuery struct {
	Who     string
	Action  AuditAction
	Subject string // entries whose Subjects include this ID
	Page    Page   // cursors: ID
}

// NodeQuery asks for a page of the nodes of some kinds, ordered by name.
type NodeQuery struct {
	Kinds []NodeKind
	Page  Page
}

// SourceQuery asks for a page of sources, most recently published first.
type SourceQuery struct {
	Publisher string // exactly this publisher, as stored
	Page      Page
}

// ListKinds returns the kinds ListNodes lists: those asked for, or every entity kind
// (ResolvedByName: sources are listed by Sources, amounts with their incidents).
// EINVALID for any other kind.
func ListKinds(kinds []NodeKind) ([]NodeKind, error) {
	out, err := SearchKinds(kinds)
	if err != nil {
		return nil, err
	}
	for _, k := range out {
		if !k.ResolvedByName() {
			return nil, Errorf(EINVALID, "%s nodes are not listed by name", k)
		}
	}
	return out, nil
}

// MergeRequest asks to fold the node Drop into the node Keep.
type MergeRequest struct {
	Keep, Drop string
	Audit      *AuditEntry
}

// CheckMerge checks two stored nodes can merge: ENOTFOUND when either is nil (name
// the missing IDs in keepID and dropID), EINVALID when they are one node or of a kind
// not ResolvedByName, ECONFLICT when their kinds differ.
func CheckMerge(keepID, dropID string, keep, drop *Node) error {
	switch {
	case keepID == dropID:
		return Errorf(EINVALID, "merge %s into itself", keepID)
	case keep == nil:
		return Errorf(ENOTFOUND, "no node %s", keepID)
	case drop == nil:
		return Errorf(ENOTFOUND, "no node %s", dropID)
	case keep.Kind != drop.Kind:
		return Errorf(ECONFLICT, "cannot merge %s, a %s, into %s, a %s", dropID, drop.Kind, keepID, keep.Kind)
	case !keep.Kind.ResolvedByName():
		return Errorf(EINVALID, "%s nodes are not merged: they are not one entity under two names", keep.Kind)
	}
	return nil
}

// MergePlan is what merging one node into another writes.
type MergePlan struct {
	Node   *Node   // the kept node, with the dropped one folded in
	Delete []*Edge // every edge at the dropped node
	// Write are the edges those become at the kept node, merged with the kept node's
	// edges of the same ID; Created says which of them are new.
	Write   []*Edge
	Created map[string]bool
	Summary Summary
}

// MovedEdgeIDs returns the IDs that drop's edges take when they move to keep, so that
// a store can load the edges of those IDs it already holds.
func MovedEdgeIDs(keep, drop string, dropEdges []*Edge) []string {
	var ids []string
	for _, e := range dropEdges {
		if m := moved(e, keep, drop); m != nil && !slices.Contains(ids, m.ID) {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// moved returns e with drop replaced by keep at its ends, or nil when e joined the two.
func moved(e *Edge, keep, drop string) *Edge {
	c := *e
	if c.From == drop {
		c.From = keep
	}
	if c.To == drop {
		c.To = keep
	}
	if c.From == c.To {
		return nil
	}
	if c.Type.Symmetric() && c.To < c.From {
		c.From, c.To = c.To, c.From
	}
	c.ID = EdgeID(c.Type, c.From, c.To)
	return &c
}

// PlanMerge folds drop into keep (checked with CheckMerge): drop's name and aliases
// become aliases of keep, its claims and other fields join keep's as MergeNode merges
// them, and its edges move to keep. dropEdges are all the edges at drop; existing are
// the stored edges with the IDs MovedEdgeIDs gives. An edge between the two is dropped:
// a node is not related to itself.
func PlanMerge(keep, drop *Node, dropEdges []*Edge, existing map[string]*Edge) (*MergePlan, error) {
	if err := CheckMerge(keep.ID, drop.ID, keep, drop); err != nil {
		return nil, err
	}
	in := *drop
	in.ID = keep.ID
	merged, _, err := MergeNode(keep, &in)
	if err != nil {
		return nil, err
	}
	p := &MergePlan{Node: merged, Created: map[string]bool{}}
	byID := map[string]*Edge{}
	var order []string
	for _, e := range dropEdges {
		p.Delete = append(p.Delete, e)
		m := moved(e, keep.ID, drop.ID)
		if m == nil {
			continue
		}
		base, ok := byID[m.ID]
		if !ok {
			base = existing[m.ID]
			p.Created[m.ID] = base == nil
			order = append(order, m.ID)
		}
		byID[m.ID], _ = MergeEdge(base, m)
	}
	for _, id := range order {
		p.Write = append(p.Write, byID[id])
		if p.Created[id] {
			p.Summary.EdgesCreated++
		} else {
			p.Summary.EdgesUpdated++
		}
	}
	p.Summary.EdgesRemoved = len(p.Delete)
	p.Summary.NodesUpdated = 1
	p.Summary.NodesRemoved = 1
	return p, nil
}

// ClaimRetraction asks to remove a source's claims from one edge or node, or, with
// neither, everything the source said (as Store.RemoveSource, audited).
type ClaimRetraction struct {
	Edge   string // the edge's ID, or
	Node   string // the node's ID (at most one of the two)
	Source string // the ID of the source whose claims go
	Quote  string // only the claim with this quote; "": every claim of the source there
	Audit  *AuditEntry
}

// Validate checks the request is complete: EINVALID otherwise.
func (r ClaimRetraction) Validate() error {
	switch {
	case r.Edge != "" && r.Node != "":
		return Errorf(EINVALID, "retract a claim on one edge or one node, not both")
	case r.Source == "":
		return Errorf(EINVALID, "retract whose claim? give its source")
	case r.Edge == "" && r.Node == "" && r.Quote != "":
		return Errorf(EINVALID, "a quote names a claim on one edge or node: give it")
	}
	return nil
}

// Retract splits claims into those kept and those the request retracts.
func (r ClaimRetraction) Retract(claims []Claim) (kept, removed []Claim) {
	for _, c := range claims {
		if c.SourceID == r.Source && (r.Quote == "" || c.Quote == r.Quote) {
			removed = append(removed, c)
		} else {
			kept = append(kept, c)
		}
	}
	return kept, removed
}

// Target names what the request retracts from, for messages.
func (r ClaimRetraction) Target() string {
	return cmpOr(r.Edge, r.Node, r.Source)
}
