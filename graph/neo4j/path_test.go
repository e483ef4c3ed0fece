package neo4j

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// randomGraph writes a small graph with hubs, parallel edges of different types,
// sources and amounts, deterministic for a seed.
func randomGraph(ctx context.Context, t *testing.T, s *Store, seed uint64) []*graph.Node {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	src := &graph.Node{Kind: graph.KindSource, Name: "Random feed", URL: "https://random.example/"}
	src.ID = src.DefaultID()
	c := graph.Claim{SourceID: src.ID, Quote: "random", Certainty: graph.Asserted, Confidence: 0.7}
	b := &graph.Batch{Nodes: []*graph.Node{src}}
	byKind := map[graph.NodeKind][]*graph.Node{}
	add := func(kind graph.NodeKind, n int) {
		for i := range n {
			nd := &graph.Node{Kind: kind, Name: fmt.Sprintf("%s %d", kind, i), Claims: []graph.Claim{c}}
			switch kind {
			case graph.KindState:
				nd.Code = fmt.Sprintf("%c%c", 'A'+i/26, 'A'+i%26)
			case graph.KindAmount:
				nd.Amount = &graph.Amount{Value: float64(i), Currency: "USD"}
			}
			nd.ID = nd.DefaultID()
			byKind[kind] = append(byKind[kind], nd)
			b.Nodes = append(b.Nodes, nd)
		}
	}
	add(graph.KindState, 4)
	add(graph.KindActor, 8)
	add(graph.KindIncident, 14)
	add(graph.KindOrganization, 6)
	add(graph.KindSector, 3)
	add(graph.KindAmount, 6)
	for range 70 {
		typ := graph.EdgeTypes[r.IntN(len(graph.EdgeTypes))]
		var from, to *graph.Node
		for _, fk := range graph.NodeKinds {
			for _, tk := range graph.NodeKinds {
				if typ.Connects(fk, tk) && len(byKind[fk]) > 0 && len(byKind[tk]) > 0 && (from == nil || r.IntN(2) == 0) {
					from = byKind[fk][r.IntN(len(byKind[fk]))]
					to = byKind[tk][r.IntN(len(byKind[tk]))]
				}
			}
		}
		if from == nil || from.ID == to.ID {
			continue
		}
		b.Edges = append(b.Edges, &graph.Edge{Type: typ, From: from.ID, To: to.ID, Claims: []graph.Claim{c}})
	}
	if _, err := s.Write(ctx, b.Normalized()); err != nil {
		t.Fatal(err)
	}
	return b.Nodes
}

// The Cypher traversals must answer exactly as the generic walks in package graph,
// which define the semantics every store shares.
func TestTraversalsMatchTheGenericWalks(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	s := openEmpty(ctx, t, cfg)
	defer s.Close()
	nodes := randomGraph(ctx, t, s, 7)
	options := []graph.NeighborhoodOptions{
		{Depth: 1}, {Depth: 2}, {Depth: 3, Limit: 7}, {Depth: graph.MaxDepth},
		{Depth: 3, NodeKinds: []graph.NodeKind{graph.KindActor, graph.KindState, graph.KindIncident}},
		{Depth: 4, EdgeTypes: []graph.EdgeType{graph.SponsoredBy, graph.PartOf, graph.AttributedTo}, Limit: 5},
		{Depth: 2, EdgeTypes: []graph.EdgeType{graph.Targeted}, NodeKinds: []graph.NodeKind{graph.KindSector}},
	}
	for _, n := range nodes {
		for _, opt := range options {
			want, err := graph.WalkNeighborhood(ctx, s, n.ID, opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Neighborhood(ctx, n.ID, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(nodeIDs(got.Nodes), nodeIDs(want.Nodes)) || !slices.Equal(edgeIDs(got.Edges), edgeIDs(want.Edges)) {
				t.Errorf("neighborhood of %s %+v:\n got %v %v\nwant %v %v", n.ID, opt,
					nodeIDs(got.Nodes), edgeIDs(got.Edges), nodeIDs(want.Nodes), edgeIDs(want.Edges))
			}
		}
	}
	found := 0
	for i, from := range nodes {
		for _, to := range nodes[i:] {
			for _, hops := range []int{2, graph.MaxDepth} {
				want, err := graph.WalkShortestPaths(ctx, s, from.ID, to.ID, hops)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.ShortestPaths(ctx, from.ID, to.ID, hops)
				if err != nil {
					t.Fatal(err)
				}
				found += min(len(got), 1)
				if g, w := pathIDs(got), pathIDs(want); !slices.Equal(g, w) {
					t.Errorf("paths %s -> %s in %d:\n got %v\nwant %v", from.ID, to.ID, hops, g, w)
				}
			}
		}
	}
	if found < len(nodes) {
		t.Errorf("only %d pairs are connected: the random graph is too sparse to test anything", found)
	}
	t.Logf("%d connected pairs", found)
}

func nodeIDs(ns []*graph.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func edgeIDs(es []*graph.Edge) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// pathIDs spells each path as its node and edge IDs, sorted: the walk orders paths by
// node IDs only, so parallel edges may come in either order.
func pathIDs(ps []*graph.Path) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprint(nodeIDs(p.Nodes), edgeIDs(p.Edges)))
	}
	slices.Sort(out)
	return out
}
