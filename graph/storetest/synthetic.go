package storetest

import (
	"context"
	"fmt"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// SyntheticFacts returns n facts in batches of batchSize, for write benchmarks. A fact
// is one reported attribution: an incident, its ATTRIBUTED_TO edge to one of a few dozen
// actors, and the claim behind both. The first batch also holds the source and actors.
// IDs are final, so the batches can go to Store.Write directly.
func SyntheticFacts(n, batchSize int) []*graph.Batch {
	src := source("https://bench.example/feed", "Synthetic feed", "cyberkg bench", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	var actors []*graph.Node
	for i := range 40 {
		a := &graph.Node{Kind: graph.KindActor, ActorKind: graph.ActorGroup, Name: fmt.Sprintf("Synthetic Group %d", i),
			Aliases: []string{fmt.Sprintf("SG-%d", i)}}
		a.ID = a.DefaultID()
		actors = append(actors, a)
	}
	var out []*graph.Batch
	b := &graph.Batch{Nodes: append([]*graph.Node{src}, actors...)}
	for i := range n {
		c := graph.Claim{
			SourceID: src.ID, Quote: fmt.Sprintf("Synthetic incident %d was carried out by group %d.", i, i%len(actors)),
			Certainty: graph.Asserted, Confidence: 0.7, Reported: src.Published,
		}
		inc := &graph.Node{
			Kind: graph.KindIncident, Name: fmt.Sprintf("Synthetic incident %d", i), IncidentKind: graph.IncidentTheft,
			Date: graph.Date(fmt.Sprintf("%04d-%02d", 2015+i%10, 1+i%12)), Claims: []graph.Claim{c},
		}
		inc.ID = inc.DefaultID()
		b.Nodes = append(b.Nodes, inc)
		b.Edges = append(b.Edges, &graph.Edge{Type: graph.AttributedTo, From: inc.ID, To: actors[i%len(actors)].ID, Claims: []graph.Claim{c}})
		if len(b.Edges) == batchSize {
			out = append(out, b.Normalized())
			b = &graph.Batch{}
		}
	}
	if len(b.Nodes) > 0 || len(b.Edges) > 0 {
		out = append(out, b.Normalized())
	}
	return out
}

// WriteAll writes batches in order and returns the total summary.
func WriteAll(ctx context.Context, s graph.Store, batches []*graph.Batch) (graph.Summary, error) {
	var sum graph.Summary
	for _, b := range batches {
		got, err := s.Write(ctx, b)
		if err != nil {
			return sum, err
		}
		sum = sum.Add(got)
	}
	return sum, nil
}
