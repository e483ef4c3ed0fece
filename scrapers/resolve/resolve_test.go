package resolve_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/resolve"
)

var extractor = extract.New(reference.MustLoad())

// ingest reads a text as a report from url, resolves its incidents and writes it.
func ingest(ctx context.Context, t *testing.T, s graph.Store, url, text string) {
	t.Helper()
	doc := extract.Document{URL: url, Text: text, Published: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	b := extract.Facts(extract.SourceNode(doc, doc.Published, ""), extractor.Extract(doc))
	if err := resolve.Incidents(ctx, s, b); err != nil {
		t.Fatal(err)
	}
	if _, err := graph.Ingest(ctx, s, b); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T) graph.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func incidents(ctx context.Context, t *testing.T, s graph.Store) int {
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.Nodes[graph.KindIncident]
}

// The facts below follow public reporting of the February 2025 Bybit theft (FBI PSA
// I-022625-PSA); the sentences are written for this test.
const (
	first  = "The FBI said TraderTraitor carried out the theft of about $1.5 billion from Bybit on February 21, 2025."
	second = "Analysts say the $1.46 billion theft of February 2025 was attributed to North Korea."
	other  = "Separately, thieves took $35 million from Bybit in July 2021."
)

func TestOneIncidentManyReports(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ingest(ctx, t, s, "https://a.example/1", first)
	ingest(ctx, t, s, "https://b.example/2", second)
	if n := incidents(ctx, t, s); n != 1 {
		t.Fatalf("%d incidents, want one Bybit hack reported twice", n)
	}
	inc, err := s.Node(ctx, "incident:bybit-hack")
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Sources()) != 2 || inc.Name != "Bybit hack" {
		t.Errorf("incident %q with sources %v", inc.Name, inc.Sources())
	}
	att, _ := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.AttributedTo}, From: []string{inc.ID}})
	if len(att) != 2 {
		t.Errorf("attributions of the one incident: %d, want TraderTraitor and North Korea", len(att))
	}
}

func TestDifferentTheftsStayApart(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ingest(ctx, t, s, "https://a.example/1", first)
	// Same victim, years apart: the names are equal, so the IDs would collide were it not
	// for the dates; resolve must not merge a 2021 theft into the 2025 one by victim.
	ingest(ctx, t, s, "https://c.example/3", "Analysts say the $600 million theft of February 2025 was attributed to North Korea.")
	if n := incidents(ctx, t, s); n != 2 {
		t.Errorf("%d incidents, want the $1.5 billion and the $600 million thefts apart", n)
	}
}
