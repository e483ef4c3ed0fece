package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDepth bounds neighbourhood and path searches.
const MaxDepth = 6

// Batch is a set of facts written together: usually everything one source said.
// Edges refer to nodes by ID; Ingest assigns those IDs.
type Batch struct {
	Nodes []*Node
	Edges []*Edge
	// Audit, when set, is recorded with the write, in the same transaction: the
	// curator's reason for it. Writes from scrapers carry none.
	Audit *AuditEntry
}

// Summary counts what a write changed.
type Summary struct {
	NodesCreated int `json:"nodesCreated"`
	NodesUpdated int `json:"nodesUpdated"`
	NodesRemoved int `json:"nodesRemoved"`
	EdgesCreated int `json:"edgesCreated"`
	EdgesUpdated int `json:"edgesUpdated"`
	EdgesRemoved int `json:"edgesRemoved"`
}

// Changed reports whether the write changed anything.
func (s Summary) Changed() bool { return s != Summary{} }

// Add returns the sum of two summaries.
func (s Summary) Add(o Summary) Summary {
	return Summary{
		s.NodesCreated + o.NodesCreated, s.NodesUpdated + o.NodesUpdated, s.NodesRemoved + o.NodesRemoved,
		s.EdgesCreated + o.EdgesCreated, s.EdgesUpdated + o.EdgesUpdated, s.EdgesRemoved + o.EdgesRemoved,
	}
}

func (s Summary) String() string {
	return fmt.Sprintf("nodes: %d new, %d updated; edges: %d new, %d updated", s.NodesCreated, s.NodesUpdated, s.EdgesCreated, s.EdgesUpdated)
}

// Counts is the size of the graph.
type Counts struct {
	Nodes map[NodeKind]int `json:"nodes"`
	Edges map[EdgeType]int `json:"edges"`
}

// TotalNodes returns the number of nodes of every kind.
func (c Counts) TotalNodes() (n int) {
	for _, v := range c.Nodes {
		n += v
	}
	return n
}

// TotalEdges returns the number of edges of every type.
func (c Counts) TotalEdges() (n int) {
	for _, v := range c.Edges {
		n += v
	}
	return n
}

// EdgeFilter selects edges. Within a field the values are alternatives; across fields all
// must hold. Empty fields do not filter.
type EdgeFilter struct {
	Types []EdgeType
	From  []string // edge starts at one of these nodes
	To    []string // edge ends at one of these nodes
	Ends  []string // edge starts or ends at one of these nodes
}

// SearchQuery asks for the nodes whose names match Text as KeyMatch defines.
type SearchQuery struct {
	Text  string
	Kinds []NodeKind // empty: SearchKinds(nil), every kind but Source and Amount
	Limit int        // <= 0: DefaultSearchLimit
	After *Cursor    // a position from SearchCursor: only the hits after it
	Count bool       // SearchPage also counts every hit (Results.Total)
}

// DefaultSearchLimit is the number of search results when none is asked for.
const DefaultSearchLimit = 20

// NeighborhoodOptions limit a neighbourhood walk.
type NeighborhoodOptions struct {
	Depth     int        // 1..MaxDepth
	EdgeTypes []EdgeType // empty: all
	NodeKinds []NodeKind // empty: all; the start node is always included
	Limit     int        // maximum nodes; <= 0: DefaultNeighborhoodLimit
	// Brief lets a store leave out of the answer what a caller that shows only IDs,
	// kinds, names and confidences does not need: a node may then carry only its ID,
	// Kind, Name and Confidence, an edge only its ID, Type, From, To and Confidence.
	// The nodes and edges themselves, and their order, are the same.
	Brief bool
}

// DefaultNeighborhoodLimit caps neighbourhoods when no limit is given.
const DefaultNeighborhoodLimit = 500

// Store keeps the graph. Implementations: graph/neo4j and graph/embedded. Both pass the
// conformance suite in graph/storetest, which asserts the error codes documented here.
type Store interface {
	// Write upserts nodes and edges in one transaction: all or nothing, together with
	// b.Audit when it is set (with its Changes filled in from the write's Summary; a
	// batch holding only an audit entry records just that). Nodes merge
	// with MergeNode and edges with MergeEdge. It fails with EINVALID for a malformed
	// batch (see Batch.Validate), ENOTFOUND when an edge's end is neither stored nor in
	// the batch, ECONFLICT when a node ID is stored with another kind, when an edge's
	// ends have the wrong kinds, or when a name or alias already belongs to another node
	// of the same kind (for kinds that are ResolvedByName).
	Write(ctx context.Context, b *Batch) (Summary, error)

	// Resolve maps names of the given kind to stored node IDs by name or alias, compared
	// with Normalize. The result is keyed by Normalize(name); unknown names are absent,
	// and so is every name of a kind that is not ResolvedByName.
	Resolve(ctx context.Context, kind NodeKind, names []string) (map[string]string, error)

	// Node returns the node with the given ID, or ENOTFOUND.
	Node(ctx context.Context, id string) (*Node, error)

	// Nodes returns the stored nodes among ids, in the order of ids; unknown IDs are
	// skipped without error.
	Nodes(ctx context.Context, ids []string) ([]*Node, error)

	// Edges returns the edges that pass the filter, ordered by ID. A filter with no
	// field set returns every edge.
	Edges(ctx context.Context, f EdgeFilter) ([]*Edge, error)

	// Search returns the nodes whose name, an alias or (a state's) code matches the
	// query as KeyMatch defines (exactly, by prefix, contained, or word by word with
	// typos), in SearchOrder: the first q.Limit after q.After. An empty query, an
	// unknown kind or a cursor without an ID is EINVALID.
	Search(ctx context.Context, q SearchQuery) ([]*Node, error)

	// SearchPage is Search with each hit's position (SearchCursor), whether more hits
	// follow, and, when q.Count is set, how many hits there are in all. A store that
	// finds typo candidates through an index may cap them (neo4j: the best
	// MaxFuzzyCandidates full-text hits); exact, prefix and contained hits are never
	// capped. Errors as Search.
	SearchPage(ctx context.Context, q SearchQuery) (*Results[*Node], error)

	// ListNodes returns a page of the entities of the given kinds (see ListKinds),
	// ordered by name as Normalize folds it (so "the Lazarus Group" sorts under L), then
	// ID (cursors: Text is the normalised name). EINVALID for a kind that is not an
	// entity kind, or a bad page (Page.Validate).
	ListNodes(ctx context.Context, q NodeQuery) (*Results[*Node], error)

	// Incidents returns a page of the incidents that pass q's filters, in q's order;
	// see IncidentQuery for both. EINVALID when q.Validate fails.
	Incidents(ctx context.Context, q IncidentQuery) (*Results[*Node], error)

	// Sources returns a page of sources, most recently published first (unknown dates
	// last), ties by ID, descending (cursors: Num is the publication time in Unix
	// milliseconds, -1 when unknown). EINVALID for a bad page.
	Sources(ctx context.Context, q SourceQuery) (*Results[*Node], error)

	// Neighborhood returns the nodes within opt.Depth hops of id, following edges in
	// either direction, and the edges among them: the start node first, then by
	// distance, then by ID, up to the limit. ENOTFOUND for an unknown id; EINVALID for a
	// depth outside 1..MaxDepth.
	Neighborhood(ctx context.Context, id string, opt NeighborhoodOptions) (*Subgraph, error)

	// ShortestPaths returns the shortest paths between two nodes, following edges in
	// either direction and not passing through Source or Amount nodes, at most maxHops
	// long (1..MaxDepth), at most MaxPaths of them, ordered by the IDs of the nodes
	// along them, then (paths through parallel edges) of the edges. No
	// path is an empty result, not an error. ENOTFOUND for an unknown end.
	ShortestPaths(ctx context.Context, from, to string, maxHops int) ([]*Path, error)

	// StolenTotals sums the USD stolen in incidents, grouped as asked; see StolenTotals.
	StolenTotals(ctx context.Context, q TotalsQuery) ([]*Total, error)

	// RemoveSource retracts everything the source asserted: its claims are removed from
	// every node and edge; edges left with no claim, and nodes that had a claim from the
	// source and are left with no claim and no edge, are deleted; then the source itself.
	// Names the source added stay. ENOTFOUND for an unknown source.
	RemoveSource(ctx context.Context, sourceID string) (Summary, error)

	// Merge folds the node m.Drop into m.Keep in one transaction, as PlanMerge
	// computes: Drop's edges move to Keep (merged with Keep's own where they meet, and
	// dropped where they joined the two), its claims, aliases and other names join
	// Keep's, and Drop is deleted, with m.Audit recorded. ENOTFOUND when either is
	// missing; EINVALID when they are the same node or of a kind that is not
	// ResolvedByName (sources, amounts); ECONFLICT when their kinds differ.
	Merge(ctx context.Context, m MergeRequest) (Summary, error)

	// RetractClaim removes claims from one edge or node in one transaction, with
	// r.Audit recorded: the claims of r.Source there (only the one with r.Quote when it
	// is set). An edge left without a claim is deleted; so is a node left without a
	// claim and without an edge. With neither r.Edge nor r.Node it retracts everything
	// the source said, as RemoveSource does. EINVALID when both are set, without
	// r.Source, or for a bad audit entry; ENOTFOUND when the edge, node or source is
	// missing or holds no such claim.
	RetractClaim(ctx context.Context, r ClaimRetraction) (Summary, error)

	// AuditLog returns a page of the audit trail, newest first, filtered as q asks
	// (cursors: ID is the entry's ID). EINVALID for a bad page.
	AuditLog(ctx context.Context, q AuditQuery) (*Results[*AuditEntry], error)

	// Counts returns the number of nodes per kind and edges per type.
	Counts(ctx context.Context) (Counts, error)

	Close() error
}

// EndsReader is a Store that reads edges together with the nodes at their far ends in
// one round trip, for a caller (the API) that will show both.
type EndsReader interface {
	// EdgesWithEnds returns what Edges(f) returns and, in no particular order, each
	// once, the nodes at the far ends of those edges: the To of each edge when f
	// names From, the From when it names To, and both ends otherwise.
	EdgesWithEnds(ctx context.Context, f EdgeFilter) ([]*Edge, []*Node, error)
}

// FarEnds returns the IDs EdgesWithEnds returns nodes for, each once, in edge order.
func FarEnds(f EdgeFilter, edges []*Edge) []string {
	var ids []string
	seen := map[string]bool{}
	for _, e := range edges {
		for _, end := range []struct {
			id   string
			want bool
		}{{e.From, len(f.From) == 0 || len(f.To) > 0}, {e.To, len(f.To) == 0 || len(f.From) > 0}} {
			if end.want && !seen[end.id] {
				seen[end.id] = true
				ids = append(ids, end.id)
			}
		}
	}
	return ids
}

// MaxPaths caps the number of shortest paths returned.
const MaxPaths = 25

// Validate checks the batch is well formed on its own: kinds and types known, names
// present, claims complete, edges between nodes of the right kinds when both ends are in
// the batch. Every problem is EINVALID.
func (b *Batch) Validate() error {
	if b.Audit != nil {
		if err := b.Audit.Validate(); err != nil {
			return err
		}
	}
	kinds := map[string]NodeKind{}
	for i, n := range b.Nodes {
		switch {
		case n == nil:
			return Errorf(EINVALID, "node %d is empty", i)
		case !n.Kind.Valid():
			return Errorf(EINVALID, "node %q: unknown kind %q", n.Name, n.Kind)
		case strings.TrimSpace(n.Name) == "":
			return Errorf(EINVALID, "node %d (%s): no name", i, n.Kind)
		case n.ID == "":
			return Errorf(EINVALID, "node %q: no ID", n.Name)
		case !strings.HasPrefix(n.ID, KindPrefix(n.Kind)):
			return Errorf(EINVALID, "node %q: ID %q of a %s must start with %q", n.Name, n.ID, n.Kind, KindPrefix(n.Kind))
		case !utf8.ValidString(n.ID) || !utf8.ValidString(n.Name):
			return Errorf(EINVALID, "node %q: ID or name is not valid UTF-8", n.Name)
		case n.Kind == KindState && len(n.Code) != 2:
			return Errorf(EINVALID, "state %q: code %q is not ISO 3166-1 alpha-2", n.Name, n.Code)
		case n.Kind == KindSource && n.URL == "":
			return Errorf(EINVALID, "source %q: no URL", n.Name)
		case n.Kind == KindAmount && n.Amount == nil:
			return Errorf(EINVALID, "amount %q: no value", n.Name)
		}
		if n.Date != "" {
			if _, err := ParseDate(string(n.Date)); err != nil {
				return err
			}
		}
		if err := validateClaims(n.Claims); err != nil {
			return fmt.Errorf("node %q: %w", n.Name, err)
		}
		if k, ok := kinds[n.ID]; ok && k != n.Kind {
			return Errorf(EINVALID, "node %s is given as both %s and %s", n.ID, k, n.Kind)
		}
		kinds[n.ID] = n.Kind
	}
	for _, e := range b.Edges {
		switch {
		case e == nil:
			return Errorf(EINVALID, "edge is empty")
		case !e.Type.Valid():
			return Errorf(EINVALID, "edge %s: unknown type %q", e.ID, e.Type)
		case e.From == "" || e.To == "":
			return Errorf(EINVALID, "edge %s: missing end", e.Type)
		case e.From == e.To:
			return Errorf(EINVALID, "edge %s: from and to are the same node %s", e.Type, e.From)
		case len(e.Claims) == 0:
			return Errorf(EINVALID, "edge %s %s-%s: no claim says so", e.Type, e.From, e.To)
		}
		if err := validateClaims(e.Claims); err != nil {
			return fmt.Errorf("edge %s: %w", e.ID, err)
		}
		fk, fok := kinds[e.From]
		tk, tok := kinds[e.To]
		if fok && tok && !e.Type.Connects(fk, tk) {
			return Errorf(EINVALID, "edge %s cannot go from a %s to a %s", e.Type, fk, tk)
		}
	}
	return nil
}

func validateClaims(claims []Claim) error {
	for _, c := range claims {
		switch {
		case c.SourceID == "":
			return Errorf(EINVALID, "claim %q has no source", c.Quote)
		case c.Certainty != Asserted && c.Certainty != Hedged:
			return Errorf(EINVALID, "claim %q: certainty %q is neither asserted nor hedged", c.Quote, c.Certainty)
		case c.Confidence < 0 || c.Confidence > 1:
			return Errorf(EINVALID, "claim %q: confidence %v outside [0,1]", c.Quote, c.Confidence)
		}
	}
	return nil
}

// Normalized fills in what a store derives: edge IDs (ends ordered for symmetric
// types), edges' and nodes' aggregate confidence, and times in UTC without a monotonic
// reading, so that a re-read fact compares equal to the stored one. Write normalizes
// the batch it is given; callers need not.
func (b *Batch) Normalized() *Batch {
	out := &Batch{Nodes: make([]*Node, len(b.Nodes)), Edges: make([]*Edge, 0, len(b.Edges)), Audit: b.Audit}
	for i, n := range b.Nodes {
		c := *n
		c.Published, c.Fetched = utc(c.Published), utc(c.Fetched)
		c.Claims = utcClaims(c.Claims)
		c.Confidence = AggregateConfidence(c.Claims)
		out.Nodes[i] = &c
	}
	byID := map[string]int{}
	for _, e := range b.Edges {
		c := *e
		if c.Type.Symmetric() && c.To < c.From {
			c.From, c.To = c.To, c.From
		}
		c.ID = EdgeID(c.Type, c.From, c.To)
		if i, ok := byID[c.ID]; ok { // the same edge twice in one batch: one edge, both claims
			out.Edges[i].Claims = MergeClaims(out.Edges[i].Claims, utcClaims(c.Claims))
			out.Edges[i].Confidence = AggregateConfidence(out.Edges[i].Claims)
			continue
		}
		c.Claims = MergeClaims(nil, utcClaims(c.Claims))
		c.Confidence = AggregateConfidence(c.Claims)
		byID[c.ID] = len(out.Edges)
		out.Edges = append(out.Edges, &c)
	}
	return out
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Round(0).UTC()
}

func utcClaims(claims []Claim) []Claim {
	out := make([]Claim, len(claims))
	for i, c := range claims {
		c.Reported = utc(c.Reported)
		out[i] = c
	}
	return out
}

// Ingest resolves a batch against the store and writes it. Nodes without an ID, or with
// the ID NodeID gives their name, are matched to stored nodes by name and aliases
// ("Hidden Cobra" finds Lazarus Group); edges follow their ends to the resolved IDs. A
// node whose names point at two different stored nodes is ECONFLICT, and nothing is
// written.
func Ingest(ctx context.Context, s Store, b *Batch) (Summary, error) {
	for _, n := range b.Nodes {
		if n != nil && n.ID == "" {
			n.ID = n.DefaultID()
		}
	}
	if err := b.Validate(); err != nil {
		return Summary{}, err
	}
	byKind := map[NodeKind][]string{}
	for _, n := range b.Nodes {
		if resolvable(n) {
			byKind[n.Kind] = append(byKind[n.Kind], n.Names()...)
		}
	}
	found := map[NodeKind]map[string]string{}
	for kind, names := range byKind {
		m, err := s.Resolve(ctx, kind, names)
		if err != nil {
			return Summary{}, fmt.Errorf("resolve %s names: %w", kind, err)
		}
		found[kind] = m
	}
	rename := map[string]string{}
	out := &Batch{Audit: b.Audit}
	for _, n := range b.Nodes {
		c := *n
		if resolvable(n) {
			id, err := resolveOne(n, found[n.Kind])
			if err != nil {
				return Summary{}, err
			}
			if id != "" && id != n.ID {
				rename[n.ID] = id
				c.ID = id
			}
		}
		out.Nodes = append(out.Nodes, &c)
	}
	for _, e := range b.Edges {
		c := *e
		c.From = cmpOr(rename[c.From], c.From)
		c.To = cmpOr(rename[c.To], c.To)
		if c.From == c.To {
			continue // two names of one entity ("Lazarus, also called Hidden Cobra") are not a relation
		}
		out.Edges = append(out.Edges, &c)
	}
	// Incident-scoped amount IDs follow their incident.
	for _, n := range out.Nodes {
		if n.Kind == KindAmount && n.Amount != nil {
			for _, e := range out.Edges {
				if e.Type == Stole && e.To == n.ID {
					old := n.ID
					n.ID = AmountID(e.From, *n.Amount)
					for _, e2 := range out.Edges {
						if e2.To == old {
							e2.To = n.ID
						}
					}
					break
				}
			}
		}
	}
	return s.Write(ctx, out.Normalized())
}

func cmpOr(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// DefaultID returns the ID NodeID gives the node: by code for states, URL for sources,
// name for the rest.
func (n *Node) DefaultID() string {
	switch n.Kind {
	case KindState:
		return NodeID(KindState, n.Code)
	case KindSource:
		return NodeID(KindSource, n.URL)
	}
	return NodeID(n.Kind, n.Name)
}

// resolvable reports whether a node is matched by name: sources are keyed by URL and
// amounts by incident, and a node given an explicit ID of its own keeps it.
func resolvable(n *Node) bool {
	return n.Kind != KindSource && n.Kind != KindAmount && n.ID == n.DefaultID()
}

func resolveOne(n *Node, found map[string]string) (string, error) {
	if id := found[Normalize(n.Name)]; id != "" {
		return id, nil
	}
	var ids []string
	for _, a := range n.Aliases {
		if id := found[Normalize(a)]; id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 0:
		return "", nil
	case 1:
		return ids[0], nil
	}
	return "", Errorf(ECONFLICT, "%s %q: its aliases name different entities (%s)", n.Kind, n.Name, strings.Join(ids, ", "))
}
