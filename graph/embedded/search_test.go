package embedded_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// Search ranks in SQL and reads only the first Limit rows, so its SQL must order hits
// exactly as graph.RankSearch orders all of them, take % and _ literally, and find
// typos as graph.KeyMatch does.
func TestSearchRanksLikeRankSearch(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "kg.db"))
	defer s.Close()
	names := [][]string{
		{"Alpha"}, {"Charlie", "Alpha"}, {"Alpha Bravo", "Charlie Two"}, {"Bravo Alpha"}, {"Alphabet", "Bravo"}, {"alpha_1"},
		{"100% Alpha", "Alpha One"}, {"Delta", "Alphanumeric", "alpha-ish"},
		{"Echo_Alpha"}, {"Foxtrot", "The Alpha Team"}, {"Golf 50%"}, {"Hotel", "AB"},
	}
	b := &graph.Batch{Nodes: []*graph.Node{wire}}
	for i, n := range names {
		kind := graph.KindActor
		if i%3 == 0 {
			kind = graph.KindOrganization
		}
		node := &graph.Node{Kind: kind, Name: n[0], Aliases: n[1:]}
		node.ID = fmt.Sprintf("%s%d", graph.KindPrefix(kind), i)
		for c := range i % 4 { // confidence varies with the number of sources
			node.Claims = append(node.Claims, graph.Claim{SourceID: fmt.Sprintf("source:%d", c), Quote: n[0], Certainty: graph.Hedged, Confidence: 0.35})
		}
		b.Nodes = append(b.Nodes, node)
	}
	b.Nodes = append(b.Nodes, &graph.Node{ID: "state:al", Kind: graph.KindState, Code: "AL", Name: "Albania"})
	if _, err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range b.Nodes {
		ids = append(ids, n.ID)
	}
	stored, err := s.Nodes(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"alpha", "a", "al", "%", "_", "1_", "50%", "bravo", "Alpha B", "charlie", "ab", "zulu",
		"alpah", "charlei", "alpha bravo", "bravo alpha", "teh alpha", "alphanumerci", "albania", "AL"} {
		for _, limit := range []int{1, 3, 20} {
			for _, kinds := range [][]graph.NodeKind{nil, {graph.KindActor}} {
				var hits []*graph.Node
				for _, n := range stored {
					searchable := n.Kind != graph.KindSource && n.Kind != graph.KindAmount
					if len(kinds) == 0 && searchable || slices.Contains(kinds, n.Kind) {
						hits = append(hits, n)
					}
				}
				want := nodeIDs(graph.RankSearch(hits, q, limit))
				got, err := s.Search(ctx, graph.SearchQuery{Text: q, Kinds: kinds, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(nodeIDs(got), want) {
					t.Errorf("search %q %v limit %d: %v, want %v", q, kinds, limit, nodeIDs(got), want)
				}
			}
		}
	}
}

func nodeIDs(nodes []*graph.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.ID)
	}
	return out
}
