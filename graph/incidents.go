package graph

import (
	"cmp"
	"context"
	"maps"
	"math"
	"slices"
)

// IncidentSort is what incidents are ordered by.
type IncidentSort string

const (
	// SortDate orders by the incident's date as known ("2024" before "2024-03");
	// cursors hold it in Text, "" when unknown, which is the smallest value.
	SortDate IncidentSort = "DATE"
	// SortUSD orders by StolenUSD; cursors hold it in Num, -1 when no dollar value was
	// reported.
	SortUSD IncidentSort = "USD"
	// SortName orders by name as Normalize folds it (case and a leading "the" aside);
	// cursors hold the folded name in Text.
	SortName IncidentSort = "NAME"
)

// IncidentOrder is the order of a list of incidents. Ties are broken by ID in the same
// direction, so every order is total, cursors are exact, and a store can read a
// descending order backwards from an ascending index.
type IncidentOrder struct {
	By   IncidentSort // "": SortDate
	Desc bool
}

// IncidentQuery asks a store for one page of incidents. Within a field the values are
// alternatives; across fields all must hold; empty fields do not filter.
type IncidentQuery struct {
	Kinds []IncidentKind
	// AttributedTo keeps the incidents with an ATTRIBUTED_TO edge to one of these
	// nodes. FindIncidents fills it with a state's or an actor's hierarchy when it
	// needs the hierarchy's chains itself.
	AttributedTo []string
	// Under (an ID; not with AttributedTo) keeps the incidents attributed to this node
	// or to a node of its hierarchy, as AttributedTo would with the nodes Hierarchy
	// returns for it (following, with Asserted, only asserted SPONSORED_BY and PART_OF
	// edges): the store walks the hierarchy itself, in the same round trip when it can.
	// An unknown node has no incidents.
	Under string
	// Asserted keeps only attributions that some source asserts: with AttributedTo or
	// Under, the edges to those nodes (and with Under, the hierarchy's edges too);
	// without, the incident needs one asserted attribution.
	Asserted bool
	// Sector keeps the incidents that targeted the sector, or an organization in it.
	Sector string
	// Target keeps the incidents that targeted this node (organization, sector, state).
	Target string
	// From and To keep the incidents whose date, at the precision it is known, can lie
	// in the period: "2024" is within From "2024-06", "2024-07-03" within To "2024-07".
	// Incidents of unknown date are left out when either is set.
	From, To Date
	// Dated keeps only incidents of known date.
	Dated bool
	// MinUSD keeps the incidents whose StolenUSD is at least this.
	MinUSD *float64
	Order  IncidentOrder
	Page   Page
	// Targets asks for the page's TARGETED edges and the nodes they target along with
	// it, in Results.Edges and Results.Ends, for a caller that will show the
	// incidents' victims: what Edges and Nodes would return for the page's incidents,
	// without the round trips.
	Targets bool
}

// Validate checks the query: EINVALID for an unknown kind or order, a malformed date, a
// period that ends before it starts, both Under and AttributedTo, a negative or
// non-finite MinUSD, or a bad page.
func (q *IncidentQuery) Validate() error {
	for _, k := range q.Kinds {
		if !k.Valid() {
			return Errorf(EINVALID, "unknown incident kind %q", k)
		}
	}
	switch q.Order.By {
	case "", SortDate, SortUSD, SortName:
	default:
		return Errorf(EINVALID, "order by %q: want DATE, USD or NAME", q.Order.By)
	}
	for _, d := range []Date{q.From, q.To} {
		if d != "" {
			if _, err := ParseDate(string(d)); err != nil {
				return err
			}
		}
	}
	if q.From != "" && q.To != "" && !DateInRange(q.From, q.From, q.To) {
		return Errorf(EINVALID, "period %s to %s ends before it starts", q.From, q.To)
	}
	if q.Under != "" && len(q.AttributedTo) > 0 {
		return Errorf(EINVALID, "incidents attributed to a hierarchy or to a list of nodes, not both")
	}
	if q.MinUSD != nil && (*q.MinUSD < 0 || math.IsNaN(*q.MinUSD) || math.IsInf(*q.MinUSD, 0)) {
		return Errorf(EINVALID, "minimum USD %v: want a number >= 0", *q.MinUSD)
	}
	return q.Page.Validate()
}

// Valid reports whether k is a known incident kind.
func (k IncidentKind) Valid() bool {
	switch k {
	case IncidentTheft, IncidentRansomware, IncidentEspionage, IncidentSabotage, IncidentDDoS, IncidentOther:
		return true
	}
	return false
}

// DateInRange reports whether an incident dated d can lie between from and to (either
// may be ""), comparing each at the precision both know: the rule IncidentQuery's From
// and To follow.
func DateInRange(d, from, to Date) bool {
	if d == "" {
		return from == "" && to == ""
	}
	if from != "" && d < from[:min(len(from), len(d))] {
		return false
	}
	if to != "" && d[:min(len(d), len(to))] > to {
		return false
	}
	return true
}

// IncidentCursor returns an incident's position in the given order; usd is its
// StolenUSD, or -1 when unknown.
func IncidentCursor(n *Node, by IncidentSort, usd float64) Cursor {
	switch by {
	case SortUSD:
		return Cursor{Num: usd, ID: n.ID}
	case SortName:
		return Cursor{Text: Normalize(n.Name), ID: n.ID}
	}
	return Cursor{Text: string(n.Date), ID: n.ID}
}

// CompareIncidents compares two positions in the given order.
func CompareIncidents(o IncidentOrder, a, b Cursor) int {
	c := cmp.Compare(a.Text, b.Text)
	if o.By == SortUSD {
		c = cmp.Compare(a.Num, b.Num)
	}
	c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
	if o.Desc {
		return -c
	}
	return c
}

// IncidentFilter is what a researcher asks of incidents; FindIncidents turns it into
// an IncidentQuery.
type IncidentFilter struct {
	Kinds []IncidentKind
	// State and Actor (IDs; at most one) keep the incidents attributed to it directly
	// or through the actors it sponsors and their subgroups, as AttributedIncidents.
	State, Actor   string
	Sector, Target string
	From, To       Date
	Dated          bool
	MinUSD         *float64
	// Minimum Asserted follows only relations some source asserts.
	Minimum Certainty
	// WithoutPaths leaves IncidentResults.Paths empty, for a caller that will not
	// show them: the store then walks the hierarchy itself (IncidentQuery.Under), so
	// the page costs one round trip, not three.
	WithoutPaths bool
	// Targets reads the page's TARGETED edges and their far ends with it
	// (IncidentQuery.Targets).
	Targets bool
}

// IncidentResults is a page of incidents; when the filter named a state or an actor,
// Paths holds, for each incident of the page, the shortest chain of edges from it to
// that state or actor (see Attribution).
type IncidentResults struct {
	*Results[*Node]
	Paths map[string][]*Edge
}

// IncidentFinder is what FindIncidents needs of a store.
type IncidentFinder interface {
	Reader
	Incidents(ctx context.Context, q IncidentQuery) (*Results[*Node], error)
}

// FindIncidents answers a filter with one page of incidents. With f.WithoutPaths, or
// when the filter names no state or actor, that is one store call (Incidents, which
// walks a hierarchy itself: see IncidentQuery.Under); otherwise one store round trip
// per level of the actor hierarchy (one in all from a HierarchyReader), one for the
// page and one for the paths that link its incidents to the state or actor. An
// unknown state or actor has no incidents. EINVALID for a filter naming both a state
// and an actor, or as IncidentQuery.Validate.
func FindIncidents(ctx context.Context, s IncidentFinder, f IncidentFilter, order IncidentOrder, page Page) (*IncidentResults, error) {
	q := IncidentQuery{
		Kinds: f.Kinds, Sector: f.Sector, Target: f.Target, From: f.From, To: f.To, Dated: f.Dated,
		MinUSD: f.MinUSD, Asserted: f.Minimum == Asserted, Order: order, Page: page, Targets: f.Targets,
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	root := cmp.Or(f.State, f.Actor)
	if f.State != "" && f.Actor != "" {
		return nil, Errorf(EINVALID, "filter by a state or by an actor, not both")
	}
	var chains map[string][]*Edge
	if root != "" && f.WithoutPaths {
		q.Under = root
	} else if root != "" {
		var err error
		if chains, err = Hierarchy(ctx, s, root, f.Minimum); err != nil {
			return nil, err
		}
		for id := range chains {
			q.AttributedTo = append(q.AttributedTo, id)
		}
		slices.Sort(q.AttributedTo)
	}
	res, err := s.Incidents(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &IncidentResults{Results: res}
	if chains == nil || len(res.Items) == 0 {
		return out, nil
	}
	ids := make([]string, len(res.Items))
	for i, n := range res.Items {
		ids[i] = n.ID
	}
	edges, err := s.Edges(ctx, EdgeFilter{Types: []EdgeType{AttributedTo}, From: ids, To: q.AttributedTo})
	if err != nil {
		return nil, err
	}
	out.Paths = shortestChains(edges, chains, f.Minimum)
	return out, nil
}

// Hierarchy returns the nodes whose incidents count for id: id itself, the actors that
// id sponsors or that are part of it, and so on down (up to MaxDepth levels), each with
// its chain of SPONSORED_BY and PART_OF edges up to id (none for id itself): the
// shortest, ties by the ID of its first edge. With Minimum Asserted it follows only
// edges some source asserts. One store round trip per level, or one in all when the
// store is a HierarchyReader.
func Hierarchy(ctx context.Context, r Reader, id string, minimum Certainty) (map[string][]*Edge, error) {
	level := func(frontier []string) ([]*Edge, error) {
		return r.Edges(ctx, EdgeFilter{Types: []EdgeType{SponsoredBy, PartOf}, To: frontier})
	}
	if h, ok := r.(HierarchyReader); ok {
		all, err := h.HierarchyEdges(ctx, id, minimum)
		if err != nil {
			return nil, err
		}
		level = func(frontier []string) ([]*Edge, error) {
			var out []*Edge
			for _, e := range all {
				if slices.Contains(frontier, e.To) {
					out = append(out, e)
				}
			}
			return out, nil
		}
	}
	chain := map[string][]*Edge{id: nil}
	frontier := []string{id}
	for depth := 0; len(frontier) > 0 && depth < MaxDepth; depth++ {
		edges, err := level(frontier)
		if err != nil {
			return nil, err
		}
		frontier = nil
		for _, e := range edges {
			if _, seen := chain[e.From]; seen || !strong(e, minimum) {
				continue
			}
			chain[e.From] = append([]*Edge{e}, chain[e.To]...)
			frontier = append(frontier, e.From)
		}
	}
	return chain, nil
}

// HierarchyReader is a Reader that reads a whole hierarchy in one round trip.
type HierarchyReader interface {
	// HierarchyEdges returns, ordered by ID, at least every edge Hierarchy follows:
	// the SPONSORED_BY and PART_OF edges (with Minimum Asserted, those some source
	// asserts) between the nodes that reach id in at most MaxDepth such steps. More
	// such edges do no harm: Hierarchy takes only those it would have read.
	HierarchyEdges(ctx context.Context, id string, minimum Certainty) ([]*Edge, error)
}

// shortestChains picks, for each incident, the shortest chain from its attributions
// (ties: the first by edge IDs).
func shortestChains(attributions []*Edge, chains map[string][]*Edge, minimum Certainty) map[string][]*Edge {
	best := map[string][]*Edge{}
	for _, e := range attributions {
		up, ok := chains[e.To]
		if !ok || !strong(e, minimum) {
			continue
		}
		p := append([]*Edge{e}, up...)
		if old, ok := best[e.From]; !ok || len(p) < len(old) {
			best[e.From] = p
		}
	}
	return best
}

// ChainCertainty is the weakest link's: Asserted only when some source asserts every
// edge of the chain.
func ChainCertainty(path []*Edge) Certainty {
	if len(path) == 0 {
		return Hedged
	}
	for _, e := range path {
		if e.Certainty() != Asserted {
			return Hedged
		}
	}
	return Asserted
}

// HierarchyQuery turns a query with Under into the same query with AttributedTo: the
// nodes Hierarchy returns for Under, in ID order. A store that cannot walk the
// hierarchy in the query itself answers Under with it.
func HierarchyQuery(ctx context.Context, r Reader, q IncidentQuery) (IncidentQuery, error) {
	if q.Under == "" {
		return q, nil
	}
	minimum := Certainty("")
	if q.Asserted {
		minimum = Asserted
	}
	chains, err := Hierarchy(ctx, r, q.Under, minimum)
	if err != nil {
		return q, err
	}
	q.Under, q.AttributedTo = "", slices.Sorted(maps.Keys(chains))
	return q, nil
}
