package graph

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
)

// Reader is the part of a Store that the questions below are answered from, so every
// store answers them the same way.
type Reader interface {
	Node(ctx context.Context, id string) (*Node, error)
	Nodes(ctx context.Context, ids []string) ([]*Node, error)
	Edges(ctx context.Context, f EdgeFilter) ([]*Edge, error)
}

// GroupBy says how stolen totals are grouped.
type GroupBy string

const (
	ByState  GroupBy = "STATE"
	ByActor  GroupBy = "ACTOR"
	ByYear   GroupBy = "YEAR"
	BySector GroupBy = "SECTOR"
)

// TotalsQuery asks for stolen totals.
type TotalsQuery struct {
	GroupBy GroupBy
	From    int // first year counted; 0: no bound
	To      int // last year counted; 0: no bound
	// Minimum Asserted counts only the links some source asserts: attributions,
	// sponsorships and memberships for STATE and ACTOR, targets and organizations'
	// sectors for SECTOR.
	Minimum Certainty
	// WithoutIncidents leaves each Total's Incidents empty (its Count still says how
	// many), for a caller that shows only the figures: a store need not send the ID
	// of every incident behind them.
	WithoutIncidents bool
}

// Total is the USD stolen in one group, with the incidents behind the figure so that a
// reader can check it.
type Total struct {
	Key       string   `json:"key"` // node ID, or the year
	Label     string   `json:"label"`
	USD       float64  `json:"usd"`
	Count     int      `json:"count"`     // how many incidents the sum counts
	Incidents []string `json:"incidents"` // incident IDs, sorted; none with TotalsQuery.WithoutIncidents
}

// Attribution links an incident to the state or actor asked about, through the chain of
// edges that connects them: ATTRIBUTED_TO, then SPONSORED_BY or PART_OF steps.
type Attribution struct {
	Incident *Node
	Path     []*Edge
}

// AttributedIncidents returns the incidents attributed to a state or an actor directly,
// or through the actors it sponsors and their subgroups, each once with the shortest
// chain of edges, most recent first: all of them, where FindIncidents pages. It costs
// one store round trip per level of the actor hierarchy, and ENOTFOUND for an unknown
// id.
func AttributedIncidents(ctx context.Context, r Reader, id string, minimum Certainty) ([]*Attribution, error) {
	if _, err := r.Node(ctx, id); err != nil {
		return nil, err
	}
	chain, err := Hierarchy(ctx, r, id, minimum)
	if err != nil {
		return nil, err
	}
	responsible := make([]string, 0, len(chain))
	for k := range chain {
		responsible = append(responsible, k)
	}
	slices.Sort(responsible)
	edges, err := r.Edges(ctx, EdgeFilter{Types: []EdgeType{AttributedTo}, To: responsible})
	if err != nil {
		return nil, err
	}
	best := shortestChains(edges, chain, minimum)
	ids := make([]string, 0, len(best))
	for k := range best {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	nodes, err := r.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Attribution, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, &Attribution{Incident: n, Path: best[n.ID]})
	}
	slices.SortStableFunc(out, func(a, b *Attribution) int { return cmp.Compare(b.Incident.Date, a.Incident.Date) })
	return out, nil
}

func strong(e *Edge, minimum Certainty) bool {
	return minimum != Asserted || e.Certainty() == Asserted
}

// StolenUSD returns what an incident's STOLE edges say was taken, in dollars as the
// reporting stated them: the amount most confidently reported (ties: more sources, then
// the larger figure). ok is false when no source gave a dollar value.
func StolenUSD(stole []*Edge, amounts map[string]*Node) (usd float64, ok bool) {
	var best *Edge
	var bestUSD float64
	for _, e := range stole {
		a := amounts[e.To]
		if a == nil || a.Amount == nil || a.Amount.ValueUSD == nil {
			continue
		}
		v := *a.Amount.ValueUSD
		if best == nil || e.Confidence > best.Confidence ||
			(e.Confidence == best.Confidence && (len(e.Sources()) > len(best.Sources()) ||
				(len(e.Sources()) == len(best.Sources()) && v > bestUSD))) {
			best, bestUSD = e, v
		}
	}
	return bestUSD, best != nil
}

// ComputeStolenTotals answers StolenTotals from a Reader. Each incident counts once per
// group; an incident attributed to an actor also counts for the actor's parents and for
// the state that sponsors it or them; an incident counts for the sectors it targeted
// and for those of the organizations it targeted.
func ComputeStolenTotals(ctx context.Context, r Reader, q TotalsQuery) ([]*Total, error) {
	totals, err := computeStolenTotals(ctx, r, q)
	for _, t := range totals {
		t.Count = len(t.Incidents)
		if q.WithoutIncidents {
			t.Incidents = nil
		}
	}
	return totals, err
}

func computeStolenTotals(ctx context.Context, r Reader, q TotalsQuery) ([]*Total, error) {
	switch q.GroupBy {
	case ByState, ByActor, ByYear, BySector:
	default:
		return nil, Errorf(EINVALID, "group by %q: want STATE, ACTOR, YEAR or SECTOR", q.GroupBy)
	}
	stole, err := r.Edges(ctx, EdgeFilter{Types: []EdgeType{Stole}})
	if err != nil {
		return nil, err
	}
	byIncident := map[string][]*Edge{}
	var amountIDs, incidentIDs []string
	for _, e := range stole {
		if _, ok := byIncident[e.From]; !ok {
			incidentIDs = append(incidentIDs, e.From)
		}
		byIncident[e.From] = append(byIncident[e.From], e)
		amountIDs = append(amountIDs, e.To)
	}
	nodes, err := r.Nodes(ctx, append(amountIDs, incidentIDs...))
	if err != nil {
		return nil, err
	}
	byID := map[string]*Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	usd := map[string]float64{}
	for inc, edges := range byIncident {
		n := byID[inc]
		if n == nil {
			continue
		}
		if y := n.Date.Year(); (q.From != 0 && (y == 0 || y < q.From)) || (q.To != 0 && (y == 0 || y > q.To)) {
			continue
		}
		if v, ok := StolenUSD(edges, byID); ok {
			usd[inc] = v
		}
	}
	groups := map[string]*Total{}
	add := func(key, label, incident string) {
		t := groups[key]
		if t == nil {
			t = &Total{Key: key, Label: label}
			groups[key] = t
		}
		if !slices.Contains(t.Incidents, incident) {
			t.Incidents = append(t.Incidents, incident)
			t.USD += usd[incident]
		}
	}
	if q.GroupBy == ByYear {
		for inc := range usd {
			if y := byID[inc].Date.Year(); y != 0 {
				add(strconv.Itoa(y), strconv.Itoa(y), inc)
			}
		}
		return sortedTotals(groups), nil
	}
	if q.GroupBy == BySector {
		return sectorTotals(ctx, r, q, usd, add, groups)
	}
	// Who is responsible for what: attributions, then up the sponsor and parent chains.
	all, err := r.Edges(ctx, EdgeFilter{Types: []EdgeType{AttributedTo, SponsoredBy, PartOf}})
	if err != nil {
		return nil, err
	}
	up := map[string][]string{}
	var attributions []*Edge
	for _, e := range all {
		if !strong(e, q.Minimum) {
			continue
		}
		if e.Type == AttributedTo {
			attributions = append(attributions, e)
		} else {
			up[e.From] = append(up[e.From], e.To)
		}
	}
	var ends []string
	for _, e := range attributions {
		if _, ok := usd[e.From]; !ok {
			continue
		}
		seen := map[string]bool{}
		stack := []string{e.To}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[id] {
				continue
			}
			seen[id] = true
			isState := strings.HasPrefix(id, "state:")
			if (q.GroupBy == ByState) == isState {
				add(id, "", e.From)
				ends = append(ends, id)
			}
			stack = append(stack, up[id]...)
		}
	}
	return labelTotals(ctx, r, groups, ends)
}

// sectorTotals groups the incidents in usd by the sectors they targeted, directly or
// through an organization in the sector.
func sectorTotals(ctx context.Context, r Reader, q TotalsQuery, usd map[string]float64, add func(key, label, incident string), groups map[string]*Total) ([]*Total, error) {
	all, err := r.Edges(ctx, EdgeFilter{Types: []EdgeType{Targeted, InSector}})
	if err != nil {
		return nil, err
	}
	sectors := map[string][]string{} // organization -> its sectors
	for _, e := range all {
		if e.Type == InSector && strong(e, q.Minimum) {
			sectors[e.From] = append(sectors[e.From], e.To)
		}
	}
	var ends []string
	for _, e := range all {
		if _, ok := usd[e.From]; !ok || e.Type != Targeted || !strong(e, q.Minimum) {
			continue
		}
		in := sectors[e.To]
		if strings.HasPrefix(e.To, KindPrefix(KindSector)) {
			in = []string{e.To}
		}
		for _, s := range in {
			add(s, "", e.From)
			ends = append(ends, s)
		}
	}
	return labelTotals(ctx, r, groups, ends)
}

// labelTotals names the groups after their nodes and sorts them.
func labelTotals(ctx context.Context, r Reader, groups map[string]*Total, ends []string) ([]*Total, error) {
	slices.Sort(ends)
	named, err := r.Nodes(ctx, slices.Compact(ends))
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, n := range named {
		labels[n.ID] = n.Name
	}
	for k, t := range groups {
		t.Label = cmp.Or(labels[k], k)
	}
	return sortedTotals(groups), nil
}

func sortedTotals(groups map[string]*Total) []*Total {
	out := make([]*Total, 0, len(groups))
	for _, t := range groups {
		out = append(out, t)
	}
	SortTotals(out)
	return out
}

// SortTotals puts totals in the order StolenTotals returns them: the largest sum
// first, ties by key; each one's incidents by ID.
func SortTotals(totals []*Total) {
	for _, t := range totals {
		slices.Sort(t.Incidents)
	}
	slices.SortFunc(totals, func(a, b *Total) int {
		return cmp.Or(cmp.Compare(b.USD, a.USD), cmp.Compare(a.Key, b.Key))
	})
}
