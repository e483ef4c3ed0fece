package resolvers

import (
	"fmt"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// manyThefts is a world of n thefts, each attributed to one of five groups that North
// Korea sponsors, each against its own victim organization, which is in one of three
// sectors; every other theft also targeted its sector directly.
func manyThefts(n int) []*graph.Batch {
	wire := src("https://wire.example.com/", "Theft wire", "Example Wire", published)
	c := func(quote string) []graph.Claim { return []graph.Claim{claim(wire, quote, "", graph.Asserted)} }
	kp := &graph.Node{ID: "state:kp", Kind: graph.KindState, Code: "KP", Name: "North Korea", Claims: c("North Korea is a state.")}
	b := &graph.Batch{Nodes: []*graph.Node{wire, kp}}
	var groups, sectors []string
	for i := range 5 {
		g := &graph.Node{Kind: graph.KindActor, Name: fmt.Sprintf("Group %d", i), Claims: c(fmt.Sprintf("Group %d is a group.", i))}
		g.ID = g.DefaultID()
		b.Nodes = append(b.Nodes, g)
		b.Edges = append(b.Edges, &graph.Edge{Type: graph.SponsoredBy, From: g.ID, To: kp.ID, Claims: c(fmt.Sprintf("North Korea runs Group %d.", i))})
		groups = append(groups, g.ID)
	}
	for i := range 3 {
		s := &graph.Node{Kind: graph.KindSector, Name: fmt.Sprintf("Sector %d", i), Claims: c(fmt.Sprintf("Sector %d is a sector.", i))}
		s.ID = s.DefaultID()
		b.Nodes = append(b.Nodes, s)
		sectors = append(sectors, s.ID)
	}
	for i := range n {
		inc := &graph.Node{Kind: graph.KindIncident, Name: fmt.Sprintf("Theft %03d", i), IncidentKind: graph.IncidentTheft,
			Date: graph.Date(fmt.Sprintf("20%02d-%02d", 10+i%15, 1+i%12)), Claims: c(fmt.Sprintf("Theft %03d happened.", i))}
		org := &graph.Node{Kind: graph.KindOrganization, Name: fmt.Sprintf("Victim %03d", i), Claims: c(fmt.Sprintf("Victim %03d was robbed.", i))}
		inc.ID, org.ID = inc.DefaultID(), org.DefaultID()
		amt := graph.Amount{Value: float64(1+i) * 1e6, Currency: "USD", ValueUSD: usd(float64(1+i) * 1e6), Surface: "some millions"}
		money := &graph.Node{ID: graph.AmountID(inc.ID, amt), Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: c("Some millions went.")}
		b.Nodes = append(b.Nodes, inc, org, money)
		b.Edges = append(b.Edges,
			&graph.Edge{Type: graph.AttributedTo, From: inc.ID, To: groups[i%len(groups)], Claims: c(fmt.Sprintf("Theft %03d was the group's.", i))},
			&graph.Edge{Type: graph.Targeted, From: inc.ID, To: org.ID, Claims: c(fmt.Sprintf("Theft %03d hit its victim.", i))},
			&graph.Edge{Type: graph.InSector, From: org.ID, To: sectors[i%len(sectors)], Claims: c(fmt.Sprintf("Victim %03d is in a sector.", i))},
			&graph.Edge{Type: graph.Stole, From: inc.ID, To: money.ID, Claims: c("Some millions went.")},
		)
		if i%2 == 0 {
			b.Edges = append(b.Edges, &graph.Edge{Type: graph.Targeted, From: inc.ID, To: sectors[i%len(sectors)], Claims: c(fmt.Sprintf("Theft %03d hit a sector.", i))})
		}
	}
	return []*graph.Batch{b}
}

// The N+1 test: a three-level query (incidents, their victims, the victims' sectors,
// with the incidents' own sectors and the evidence's sources beside) costs the same
// number of store calls for 100 incidents as for 10, on every store: one per level
// (the entities at the far ends of relations come with them, and the incidents'
// targets with the page of incidents), and for a state's incidents one for the state,
// and, when the paths are asked for, one for the actors it answers for and one for
// the paths (without them, the page's query walks the hierarchy itself).
func TestStoreCallsDoNotGrowWithTheResult(t *testing.T) {
	queries := map[string]struct {
		query string
		calls int // at most
	}{
		"incidents": {`query($n: Int) { incidents(first: $n) { totalCount edges { node {
			name date stolenUSD
			victims { name sectors { sector { name } evidence { quote source { url } } } }
			sectors { name }
		} } } }`, 4},
		"a state's incidents": {`query($n: Int) { state(code: "KP") { attributedIncidents(first: $n) { edges {
			node { name victims { name sectors { sector { name } } } sectors { name } }
			path { type from { name } to { name } evidence { source { url } } }
		} } } }`, 7},
		"a state's incidents, without paths": {`query($n: Int) { state(code: "KP") { attributedIncidents(first: $n) { totalCount edges {
			node { name victims { name sectors { sector { name } } } sectors { name } }
		} } } }`, 3},
	}
	eachStore(t, setup{world: manyThefts(100)}, func(t *testing.T, e *env) {
		for name, q := range queries {
			t.Run(name, func(t *testing.T) {
				calls := map[int]int{}
				for _, n := range []int{10, 100} {
					e.store.reset()
					r := e.post(t, q.query, map[string]any{"n": n})
					if len(r.Errors) > 0 || r.status != 200 {
						t.Fatalf("%d incidents: %s", n, r.body)
					}
					if got := countIncidents(t, r); got != n {
						t.Fatalf("asked for %d incidents, got %d", n, got)
					}
					total, by := e.store.total()
					calls[n] = total
					t.Logf("%d incidents: %d store calls %v", n, total, by)
					if total > q.calls {
						t.Errorf("%d incidents cost %d store calls %v: want at most %d", n, total, by, q.calls)
					}
				}
				if calls[100] > calls[10] {
					t.Errorf("store calls grew with the result: %d for 10 incidents, %d for 100", calls[10], calls[100])
				}
			})
		}
	})
}

// countIncidents counts the edges of the first connection in a response.
func countIncidents(t *testing.T, r *response) int {
	t.Helper()
	var v struct {
		Incidents *struct{ Edges []any }
		State     *struct{ AttributedIncidents struct{ Edges []any } }
	}
	r.data(t, &v)
	if v.Incidents != nil {
		return len(v.Incidents.Edges)
	}
	return len(v.State.AttributedIncidents.Edges)
}
