package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

func testNeighborhoodOrder(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	kinds := func(ks ...graph.NodeKind) []graph.NodeKind { return ks }
	for _, tc := range []struct {
		name  string
		start string
		opt   graph.NeighborhoodOptions
		want  []string // in order; "amount:" stands for the one amount expected there
		edges int
	}{
		{"by distance, then ID, up to the limit", northKoreaID, graph.NeighborhoodOptions{Depth: 3, Limit: 5},
			[]string{northKoreaID, apt38ID, lazarusID, russiaID, traderID}, 4},
		{"a kind left out is not walked through", northKoreaID, graph.NeighborhoodOptions{Depth: 3, NodeKinds: kinds(graph.KindState, graph.KindIncident)},
			[]string{northKoreaID, russiaID}, 1},
		{"the start may be of a kind left out", lazarusID, graph.NeighborhoodOptions{Depth: 2, NodeKinds: kinds(graph.KindIncident)},
			[]string{lazarusID, roninIncID}, 1},
		{"amounts, when asked for", lazarusID, graph.NeighborhoodOptions{Depth: 2, NodeKinds: kinds(graph.KindIncident, graph.KindAmount)},
			[]string{lazarusID, roninIncID, "amount:"}, 2},
		{"edge types that join no two kinds asked for lead nowhere", lazarusID,
			graph.NeighborhoodOptions{Depth: 2, EdgeTypes: []graph.EdgeType{graph.Stole}, NodeKinds: kinds(graph.KindIncident)},
			[]string{lazarusID}, 0},
	} {
		g, err := s.Neighborhood(ctx, tc.start, tc.opt)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := ids(g.Nodes)
		ok := len(got) == len(tc.want)
		for i := 0; ok && i < len(got); i++ {
			ok = got[i] == tc.want[i] || (tc.want[i] == "amount:" && strings.HasPrefix(got[i], "amount:"))
		}
		if !ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for _, e := range g.Edges {
			if !slices.Contains(got, e.From) || !slices.Contains(got, e.To) {
				t.Errorf("%s: edge %s leaves the subgraph", tc.name, e.ID)
			}
		}
		if len(g.Edges) != tc.edges {
			t.Errorf("%s: %d edges %v, want %d", tc.name, len(g.Edges), ids(g.Edges), tc.edges)
		}
	}
}
