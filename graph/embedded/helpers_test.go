package embedded_test

import (
	"fmt"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// A small world of its own for the durability and concurrency tests: one wire service
// reporting incidents by a handful of groups.
var (
	wire = &graph.Node{ID: graph.NodeID(graph.KindSource, "https://wire.example/"), Kind: graph.KindSource,
		Name: "Test wire", URL: "https://wire.example/", Title: "Test wire", Publisher: "Test wire",
		Published: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	groups = func() []*graph.Node {
		var out []*graph.Node
		for i := range 8 {
			name := fmt.Sprintf("Test Group %d", i)
			out = append(out, &graph.Node{ID: graph.NodeID(graph.KindActor, name), Kind: graph.KindActor, Name: name,
				Aliases: []string{fmt.Sprintf("TG-%d", i)}, Claims: []graph.Claim{wireClaim(name + " is a threat actor.")}})
		}
		return out
	}()
)

func wireClaim(quote string) graph.Claim {
	return graph.Claim{SourceID: wire.ID, Quote: quote, Certainty: graph.Asserted, Confidence: 0.7, Reported: wire.Published}
}

// background is what every other batch refers to: the wire and the groups.
func background() *graph.Batch {
	return &graph.Batch{Nodes: append([]*graph.Node{wire}, groups...)}
}

// incidents returns a batch of n incidents named after label, each attributed to one of
// the groups, and the IDs of those incidents.
func incidents(label string, n int) (*graph.Batch, []string) {
	b := &graph.Batch{}
	var ids []string
	for i := range n {
		name := fmt.Sprintf("%s incident %d", label, i)
		c := wireClaim(name + " was carried out by a test group.")
		inc := &graph.Node{ID: graph.NodeID(graph.KindIncident, name), Kind: graph.KindIncident, Name: name,
			IncidentKind: graph.IncidentEspionage, Date: "2025-03", Claims: []graph.Claim{c}}
		b.Nodes = append(b.Nodes, inc)
		b.Edges = append(b.Edges, &graph.Edge{Type: graph.AttributedTo, From: inc.ID, To: groups[i%len(groups)].ID, Claims: []graph.Claim{c}})
		ids = append(ids, inc.ID)
	}
	return b.Normalized(), ids
}
