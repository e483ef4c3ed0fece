// Package resolve matches the incidents of a new report to the incidents the graph
// already holds, so that a theft reported by ten articles is one incident with ten
// sources, not ten incidents. Names alone are not enough: one outlet writes "the Bybit
// hack", another "the $1.5 billion Bybit heist". Two reports are the same incident when
// they name the same victim and their dates and amounts agree.
//
// It only renames incidents in a batch; it never writes, and it never merges incidents
// whose dates or amounts disagree.
package resolve

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// DateWindow is how far apart two reports' dates of one incident may be: reporting
// dates a theft by its discovery or its announcement, days apart.
const DateWindow = 10 * 24 * time.Hour

// AmountTolerance is how far apart two reports' stolen dollar figures may be, as a
// fraction: "$1.4 billion" and "$1.46 billion" are one theft; "$100 million" and "$600
// million" are not.
const AmountTolerance = 0.15

// Incidents rewrites the IDs of the batch's incidents that are already stored under
// another name. The stored name stays canonical; the report's name becomes an alias.
// Incidents it cannot match to exactly one stored incident are left alone.
func Incidents(ctx context.Context, s graph.Store, b *graph.Batch) error {
	byID := map[string]*graph.Node{}
	var victimNames []string
	for _, n := range b.Nodes {
		byID[n.ID] = n
		if n.Kind == graph.KindOrganization {
			victimNames = append(victimNames, n.Name)
		}
	}
	orgs, err := s.Resolve(ctx, graph.KindOrganization, victimNames)
	if err != nil {
		return err
	}
	rename := map[string]string{}
	for _, inc := range b.Nodes {
		if inc.Kind != graph.KindIncident {
			continue
		}
		if stored, err := s.Node(ctx, inc.ID); err == nil && stored.Kind == graph.KindIncident {
			continue // already known by this name
		} else if err != nil && graph.ErrorCode(err) != graph.ENOTFOUND {
			return err
		}
		var victims []string
		for _, e := range b.Edges {
			if e.Type == graph.Targeted && e.From == inc.ID {
				if v := byID[e.To]; v != nil && v.Kind == graph.KindOrganization {
					if id := orgs[graph.Normalize(v.Name)]; id != "" {
						victims = append(victims, id)
					}
				}
			}
		}
		usd := batchStolenUSD(b, inc.ID, byID)
		match, err := find(ctx, s, inc, victims, usd)
		if err != nil {
			return err
		}
		if match != "" {
			rename[inc.ID] = match
		}
	}
	if len(rename) == 0 {
		return nil
	}
	for _, n := range b.Nodes {
		if id, ok := rename[n.ID]; ok {
			n.ID = id
		}
	}
	for _, e := range b.Edges {
		if id, ok := rename[e.From]; ok {
			e.From = id
		}
		if id, ok := rename[e.To]; ok {
			e.To = id
		}
	}
	// Amount IDs are scoped to their incident; graph.Ingest recomputes them.
	return nil
}

// find returns the one stored incident that the report's incident is, or "".
func find(ctx context.Context, s graph.Store, inc *graph.Node, victims []string, usd float64) (string, error) {
	var candidates []string
	if len(victims) > 0 {
		edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Targeted}, To: victims})
		if err != nil {
			return "", err
		}
		for _, e := range edges {
			if !slices.Contains(candidates, e.From) {
				candidates = append(candidates, e.From)
			}
		}
	} else if usd > 0 && inc.Date != "" {
		// No victim named: only a stolen figure and a date can tell; both must agree.
		edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Stole}})
		if err != nil {
			return "", err
		}
		for _, e := range edges {
			if !slices.Contains(candidates, e.From) {
				candidates = append(candidates, e.From)
			}
		}
	}
	if len(candidates) == 0 {
		return "", nil
	}
	nodes, err := s.Nodes(ctx, candidates)
	if err != nil {
		return "", err
	}
	var matches []string
	for _, c := range nodes {
		if c.Kind != graph.KindIncident || !datesAgree(c.Date, inc.Date) {
			continue
		}
		if usd > 0 {
			stored, ok, err := storedUSD(ctx, s, c.ID)
			if err != nil {
				return "", err
			}
			if ok && !amountsAgree(stored, usd) {
				continue
			}
			if !ok && len(victims) == 0 {
				continue
			}
		}
		if len(victims) == 0 && (inc.Date == "" || c.Date == "") {
			continue
		}
		matches = append(matches, c.ID)
	}
	if len(matches) != 1 {
		return "", nil // none, or ambiguous: better two nodes than one wrong merge
	}
	return matches[0], nil
}

func storedUSD(ctx context.Context, s graph.Store, incident string) (float64, bool, error) {
	stole, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Stole}, From: []string{incident}})
	if err != nil || len(stole) == 0 {
		return 0, false, err
	}
	ids := make([]string, len(stole))
	for i, e := range stole {
		ids[i] = e.To
	}
	nodes, err := s.Nodes(ctx, ids)
	if err != nil {
		return 0, false, err
	}
	amounts := map[string]*graph.Node{}
	for _, n := range nodes {
		amounts[n.ID] = n
	}
	usd, ok := graph.StolenUSD(stole, amounts)
	return usd, ok, nil
}

func batchStolenUSD(b *graph.Batch, incident string, byID map[string]*graph.Node) float64 {
	best := 0.0
	for _, e := range b.Edges {
		if e.Type != graph.Stole || e.From != incident {
			continue
		}
		if a := byID[e.To]; a != nil && a.Amount != nil && a.Amount.ValueUSD != nil {
			best = max(best, *a.Amount.ValueUSD)
		}
	}
	return best
}

// datesAgree: an unknown date agrees with anything; known dates agree when one is a
// prefix of the other ("2025" and "2025-02-21") or they are within DateWindow.
func datesAgree(a, b graph.Date) bool {
	if a == "" || b == "" {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if string(b[:len(a)]) == string(a) {
		return true
	}
	ta, ea := parse(a)
	tb, eb := parse(b)
	if ea != nil || eb != nil {
		return false
	}
	d := ta.Sub(tb)
	return math.Abs(float64(d)) <= float64(DateWindow)
}

func parse(d graph.Date) (time.Time, error) {
	layout := map[graph.DatePrecision]string{graph.PrecisionYear: "2006", graph.PrecisionMonth: "2006-01", graph.PrecisionDay: "2006-01-02"}[d.Precision()]
	return time.Parse(layout, string(d))
}

func amountsAgree(a, b float64) bool {
	return math.Abs(a-b) <= AmountTolerance*max(a, b)
}
