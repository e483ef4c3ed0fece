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

func testEdgesWithEnds(ctx context.Context, t *testing.T, s graph.Store) {
	r, ok := s.(graph.EndsReader)
	if !ok {
		t.Skip("the store does not read edges with their ends")
	}
	world(ctx, t, s)
	for _, tc := range []struct {
		name string
		f    graph.EdgeFilter
		ends []string
	}{
		{"from: the To ends", graph.EdgeFilter{Types: []graph.EdgeType{graph.Targeted, graph.AttributedTo}, From: []string{bybitIncID}},
			[]string{"org:bybit", "sector:cryptocurrency-exchange", traderID}},
		{"to: the From ends", graph.EdgeFilter{Types: []graph.EdgeType{graph.SponsoredBy}, To: []string{northKoreaID}},
			[]string{apt38ID, lazarusID}},
		{"either: both ends", graph.EdgeFilter{Types: []graph.EdgeType{graph.CollaboratesWith}, Ends: []string{russiaID}},
			[]string{northKoreaID, russiaID}},
		{"nothing", graph.EdgeFilter{From: []string{"actor:nobody"}}, nil},
	} {
		want, err := s.Edges(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		got, nodes, err := r.EdgesWithEnds(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(ids(got), ids(want)) {
			t.Errorf("%s: edges %v, want %v as Edges gives", tc.name, ids(got), ids(want))
		}
		if !sameSet(ids(nodes), tc.ends) {
			t.Errorf("%s: ends %v, want %v", tc.name, ids(nodes), tc.ends)
		}
		for _, n := range nodes {
			if n.Name == "" || len(n.Claims) == 0 {
				t.Errorf("%s: end %s comes without its name or claims", tc.name, n.ID)
			}
		}
	}
}

// testNeighborhoodBrief asks for the same neighbourhoods in full and brief: the same
// nodes and edges in the same order, with the same IDs, kinds, names, types, ends and
// confidences.
func testNeighborhoodBrief(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	compared := 0
	for _, opt := range []graph.NeighborhoodOptions{
		{Depth: 3},
		{Depth: 3, Limit: 5},
		{Depth: 2, NodeKinds: []graph.NodeKind{graph.KindIncident, graph.KindAmount}},
		{Depth: 2, EdgeTypes: []graph.EdgeType{graph.AttributedTo, graph.SponsoredBy}},
	} {
		for _, start := range []string{northKoreaID, lazarusID} {
			full, err := s.Neighborhood(ctx, start, opt)
			if err != nil {
				t.Fatalf("%s %+v: %v", start, opt, err)
			}
			brief := opt
			brief.Brief = true
			got, err := s.Neighborhood(ctx, start, brief)
			if err != nil {
				t.Fatalf("%s %+v: %v", start, brief, err)
			}
			compared += len(full.Edges)
			if len(got.Nodes) != len(full.Nodes) || len(got.Edges) != len(full.Edges) {
				t.Fatalf("%s %+v: brief %v %v, full %v %v", start, opt, ids(got.Nodes), ids(got.Edges), ids(full.Nodes), ids(full.Edges))
			}
			for i, n := range got.Nodes {
				w := full.Nodes[i]
				if n.ID != w.ID || n.Kind != w.Kind || n.Name != w.Name || n.Confidence != w.Confidence {
					t.Errorf("%s %+v: node %d is %s %s %q %v, want %s %s %q %v", start, opt, i,
						n.ID, n.Kind, n.Name, n.Confidence, w.ID, w.Kind, w.Name, w.Confidence)
				}
			}
			for i, e := range got.Edges {
				w := full.Edges[i]
				if e.ID != w.ID || e.Type != w.Type || e.From != w.From || e.To != w.To || e.Confidence != w.Confidence {
					t.Errorf("%s %+v: edge %d is %+v, want %s %s %s→%s %v", start, opt, i, *e, w.ID, w.Type, w.From, w.To, w.Confidence)
				}
			}
		}
	}
	if compared < 10 {
		t.Errorf("compared %d edges, want neighbourhoods big enough to compare", compared)
	}
}
