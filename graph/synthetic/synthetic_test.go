package synthetic_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/graph/synthetic"
)

// facts returns every node and edge the options generate, by ID, as JSON, with the
// number of batches they came in.
func facts(t *testing.T, opt synthetic.Options) (map[string]string, int) {
	t.Helper()
	out := map[string]string{}
	batches := 0
	for b := range synthetic.Batches(opt) {
		batches++
		for _, n := range b.Nodes {
			js, _ := json.Marshal(n)
			if old, ok := out[n.ID]; ok && n.Kind != graph.KindSource {
				t.Fatalf("node %s twice:\n%s\n%s", n.ID, old, js)
			}
			out[n.ID] = string(js)
		}
		for _, e := range b.Edges {
			js, _ := json.Marshal(e)
			out[e.ID] = string(js)
		}
	}
	return out, batches
}

func TestSameSeedSameGraph(t *testing.T) {
	opt := synthetic.Options{Incidents: 500, Seed: 7, BatchSize: 100}
	a, na := facts(t, opt)
	b, _ := facts(t, opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	opt.BatchSize = 37
	c, nc := facts(t, opt)
	if nc <= na {
		t.Errorf("batch size 37 gave %d batches, 100 gave %d", nc, na)
	}
	// Sources are repeated in each batch of organisations; the rest is the same graph.
	if !reflect.DeepEqual(a, c) {
		t.Error("the batch size changed the facts")
	}
	opt.Seed = 8
	d, _ := facts(t, opt)
	if reflect.DeepEqual(a, d) {
		t.Error("another seed gave the same graph")
	}
}

func TestBatchesAreValid(t *testing.T) {
	for b := range synthetic.Batches(synthetic.Options{Incidents: 400, Seed: 1, BatchSize: 50}) {
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, n := range b.Nodes {
			if want := n.DefaultID(); n.Kind != graph.KindAmount && n.ID != want {
				t.Errorf("node %q has ID %s, Ingest would give %s", n.Name, n.ID, want)
			}
		}
	}
}

// TestShape checks the graph looks like reporting: every incident dated in range, more
// of them recent, with a victim and a claim, and the proportions of attributions,
// thefts and reports within reason.
func TestShape(t *testing.T) {
	const n = 3000
	nodes := map[string]*graph.Node{}
	var edges []*graph.Edge
	for b := range synthetic.Batches(synthetic.Options{Incidents: n, Seed: 3}) {
		for _, x := range b.Nodes {
			nodes[x.ID] = x
		}
		edges = append(edges, b.Edges...)
	}
	kinds := map[graph.NodeKind]int{}
	for _, x := range nodes {
		kinds[x.Kind]++
	}
	if kinds[graph.KindIncident] != n {
		t.Fatalf("%d incidents, want %d", kinds[graph.KindIncident], n)
	}
	k := reference.MustLoad()
	if kinds[graph.KindState] != len(k.States) || kinds[graph.KindSector] != len(k.Sectors) {
		t.Errorf("%d states and %d sectors, want the reference's %d and %d", kinds[graph.KindState], kinds[graph.KindSector], len(k.States), len(k.Sectors))
	}
	if got, min := kinds[graph.KindActor], len(k.Actors)+40; got < min {
		t.Errorf("%d actors, want at least %d (the reference's and 40 generated)", got, min)
	}
	if got := kinds[graph.KindOrganization]; got < 100+len(k.Organizations) {
		t.Errorf("%d organisations, want a pool of at least 100 victims", got)
	}
	out := map[string]map[graph.EdgeType][]*graph.Edge{}
	for _, e := range edges {
		if out[e.From] == nil {
			out[e.From] = map[graph.EdgeType][]*graph.Edge{}
		}
		out[e.From][e.Type] = append(out[e.From][e.Type], e)
	}
	var early, late, attributed, conflicting, hedged, thefts, withUSD int
	reports := map[string]int{}
	for id, x := range nodes {
		if x.Kind != graph.KindIncident {
			continue
		}
		y := x.Date.Year()
		if y < synthetic.FirstYear || y > synthetic.LastYear {
			t.Errorf("%s dated %s", id, x.Date)
		}
		if y <= 2015 {
			early++
		}
		if y >= 2020 {
			late++
		}
		if len(x.Claims) == 0 {
			t.Errorf("%s: no claim", id)
		}
		for _, c := range x.Claims {
			if !strings.HasPrefix(c.Quote, "Synthetic report ") || nodes[c.SourceID] == nil {
				t.Errorf("%s: claim %+v", id, c)
			}
			reports[c.SourceID]++
		}
		victims := 0
		for _, e := range out[id][graph.Targeted] {
			if nodes[e.To].Kind == graph.KindOrganization {
				victims++
			}
		}
		if victims < 1 || victims > 3 {
			t.Errorf("%s: %d victims", id, victims)
		}
		if a := out[id][graph.AttributedTo]; len(a) > 0 {
			attributed++
			if len(a) > 1 {
				conflicting++
			}
			if a[0].Certainty() == graph.Hedged {
				hedged++
			}
		}
		if x.IncidentKind == graph.IncidentTheft {
			thefts++
			if _, ok := graph.StolenUSD(out[id][graph.Stole], nodes); ok {
				withUSD++
			}
		}
	}
	if late <= 2*early {
		t.Errorf("%d incidents in 2020-2025, %d in 2010-2015: want recent years to dominate", late, early)
	}
	within := func(what string, got, lo, hi int) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s: %d, want %d to %d", what, got, lo, hi)
		}
	}
	within("attributed", attributed, n*75/100, n*95/100)
	within("with conflicting attributions", conflicting, n*2/100, n*15/100)
	within("hedged", hedged, attributed*10/100, attributed*45/100)
	within("thefts", thefts, n*20/100, n*40/100)
	within("thefts with a dollar figure", withUSD, thefts*80/100, thefts*95/100)
	several := 0
	for _, c := range reports {
		if c >= 3 {
			several++
		}
	}
	within("reports covering three incidents or more", several, len(reports)/2, len(reports))
}

// TestLoadsIntoAStore writes a small graph into the embedded store, checks the counts
// against the batches, that loading through graph.Ingest gives the same graph, and
// that a state's incidents include some it is linked to only through sponsorship and
// membership.
func TestLoadsIntoAStore(t *testing.T) {
	ctx := context.Background()
	opt := synthetic.Options{Incidents: 2000, Seed: 1, BatchSize: 300}
	s := open(t)
	ok, err := synthetic.Loaded(ctx, s, opt)
	if err != nil || ok {
		t.Fatalf("Loaded before loading: %v, %v", ok, err)
	}
	sum, err := synthetic.Load(ctx, s, opt)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := synthetic.Loaded(ctx, s, opt); err != nil || !ok {
		t.Fatalf("Loaded after loading: %v, %v", ok, err)
	}
	if ok, _ := synthetic.Loaded(ctx, s, synthetic.Options{Incidents: 2001, Seed: 1}); ok {
		t.Error("Loaded for other options")
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Nodes[graph.KindIncident] != opt.Incidents || c.TotalNodes() != sum.NodesCreated || c.TotalEdges() != sum.EdgesCreated {
		t.Errorf("counts %+v after a load that reported %v", c, sum)
	}
	again, err := synthetic.Load(ctx, s, opt)
	if err != nil || again.Changed() {
		t.Errorf("loading again changed %v (%v)", again, err)
	}

	ingested := open(t)
	for b := range synthetic.Batches(opt) {
		if _, err := graph.Ingest(ctx, ingested, b); err != nil {
			t.Fatal(err)
		}
	}
	if c2, _ := ingested.Counts(ctx); !reflect.DeepEqual(c, c2) {
		t.Errorf("through Ingest: %+v; through Write: %+v", c2, c)
	}

	found, err := graph.AttributedIncidents(ctx, s, "state:kp", "")
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, a := range found {
		longest = max(longest, len(a.Path))
		if last := a.Path[len(a.Path)-1]; last.To != "state:kp" {
			t.Errorf("%s: path ends at %s", a.Incident.ID, last.To)
		}
	}
	if len(found) < 10 || longest < 3 {
		t.Errorf("North Korea: %d incidents, longest path %d: want thefts through sponsored actors' subgroups", len(found), longest)
	}
}

func TestNamesAreTheReferences(t *testing.T) {
	k := reference.MustLoad()
	var sectors []string
	for _, s := range k.Sectors {
		sectors = append(sectors, s.Name)
	}
	for b := range synthetic.Batches(synthetic.Options{Incidents: 50}) {
		for _, e := range b.Edges {
			if e.Type == graph.InSector && !slices.ContainsFunc(sectors, func(s string) bool { return graph.NodeID(graph.KindSector, s) == e.To }) {
				t.Errorf("%s: not a reference sector", e.To)
			}
		}
	}
}

func open(t *testing.T) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
