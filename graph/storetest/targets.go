package storetest

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// intrusion adds a fourth incident, suspected of TraderTraitor through a hedged
// subgroup link, that targeted Bybit and the exchange sector as the Bybit theft did:
// two incidents of one page then share their targets.
func intrusion() *graph.Batch {
	src := source("https://blog.example/exchange-intrusion", "Another exchange intrusion?", "Example Blog", time.Date(2023, 6, 2, 0, 0, 0, 0, time.UTC))
	c := claim(src, "Researchers suspect a TraderTraitor cell broke into Bybit's systems in May 2023.", "researchers", graph.Hedged)
	inc := &graph.Node{Kind: graph.KindIncident, Name: "Exchange intrusion", IncidentKind: graph.IncidentEspionage, Date: "2023-05", Claims: []graph.Claim{c}}
	cell := &graph.Node{Kind: graph.KindActor, Name: "Exchange Cell", Claims: []graph.Claim{c}}
	victim := &graph.Node{Kind: graph.KindOrganization, Name: "Bybit", Claims: []graph.Claim{c}}
	sector := &graph.Node{Kind: graph.KindSector, Name: "Cryptocurrency exchange", Claims: []graph.Claim{c}}
	for _, n := range []*graph.Node{inc, cell, victim, sector} {
		n.ID = n.DefaultID()
	}
	return &graph.Batch{
		Nodes: []*graph.Node{src, inc, cell, victim, sector},
		Edges: []*graph.Edge{
			edge(graph.PartOf, cell.ID, traderID, c),
			edge(graph.AttributedTo, inc.ID, cell.ID, claim(src, "The intrusion is attributed to the cell.", "researchers", graph.Asserted)),
			edge(graph.Targeted, inc.ID, victim.ID, c),
			edge(graph.Targeted, inc.ID, sector.ID, c),
		},
	}
}

const intrusionIncID = "incident:exchange-intrusion"

// testIncidentTargets checks IncidentQuery.Targets and IncidentQuery.Under: a page read
// with its targets is the page read without them, and its targets are what Edges and
// Nodes return for it; a hierarchy walked by the store is the one graph.Hierarchy
// walks.
func testIncidentTargets(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	ingest(ctx, t, s, upbit(), intrusion())
	read := func(q graph.IncidentQuery) *graph.Results[*graph.Node] {
		t.Helper()
		r, err := s.Incidents(ctx, q)
		if err != nil {
			t.Fatalf("incidents %+v: %v", q, err)
		}
		return r
	}
	newest := graph.IncidentOrder{Desc: true}
	queries := map[string]graph.IncidentQuery{
		"every incident, newest first, counted": {Order: newest, Page: graph.Page{First: 10, Count: true}},
		"the first two, oldest first":           {Page: graph.Page{First: 2}},
		"largest first":                         {Order: graph.IncidentOrder{By: graph.SortUSD, Desc: true}, Page: graph.Page{First: 10}},
		"against the exchange sector, by name":  {Sector: cryptoID, Order: graph.IncidentOrder{By: graph.SortName}, Page: graph.Page{First: 10}},
		"North Korea's, counted":                {Under: northKoreaID, Order: newest, Page: graph.Page{First: 10, Count: true}},
		"North Korea's, asserted, counted":      {Under: northKoreaID, Asserted: true, Order: newest, Page: graph.Page{First: 10, Count: true}},
		"Lazarus Group's, one of them":          {Under: lazarusID, Order: newest, Page: graph.Page{First: 1}},
		"TraderTraitor's, in 2023":              {Under: traderID, From: "2023", To: "2023", Page: graph.Page{First: 10, Count: true}},
		"an unknown actor's":                    {Under: "actor:nobody", Page: graph.Page{First: 10, Count: true}},
		"a count alone":                         {Under: northKoreaID, Page: graph.Page{Count: true}},
	}
	for name, q := range queries {
		plain := read(q)
		if plain.Edges != nil || plain.Ends != nil {
			t.Errorf("%s: targets %v and ends %v that nobody asked for", name, ids(plain.Edges), ids(plain.Ends))
		}
		q.Targets = true
		got := read(q)
		if !slices.Equal(ids(got.Items), ids(plain.Items)) || !reflect.DeepEqual(got.Cursors, plain.Cursors) ||
			got.Total != plain.Total || got.HasNext != plain.HasNext {
			t.Errorf("%s: with targets %v (%d, more: %v), without %v (%d, more: %v)", name,
				ids(got.Items), got.Total, got.HasNext, ids(plain.Items), plain.Total, plain.HasNext)
		}
		var want []*graph.Edge
		var ends []*graph.Node
		if len(plain.Items) > 0 {
			f := graph.EdgeFilter{Types: []graph.EdgeType{graph.Targeted}, From: ids(plain.Items)}
			var err error
			if want, err = s.Edges(ctx, f); err != nil {
				t.Fatal(err)
			}
			if ends, err = s.Nodes(ctx, graph.FarEnds(f, want)); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(got.Edges, want) {
			t.Errorf("%s: targets %v, want %v", name, ids(got.Edges), ids(want))
		}
		byID := func(a, b *graph.Node) int { return cmp.Compare(a.ID, b.ID) }
		slices.SortFunc(got.Ends, byID)
		slices.SortFunc(ends, byID)
		if !reflect.DeepEqual(got.Ends, ends) {
			t.Errorf("%s: targeted nodes %v, want %v", name, ids(got.Ends), ids(ends))
		}
	}

	// Under is the hierarchy graph.Hierarchy walks, whatever the store does with it.
	for name, q := range queries {
		if q.Under == "" {
			continue
		}
		want, err := graph.HierarchyQuery(ctx, s, q)
		if err != nil {
			t.Fatal(err)
		}
		got, walked := read(q), read(want)
		if !slices.Equal(ids(got.Items), ids(walked.Items)) || got.Total != walked.Total || got.HasNext != walked.HasNext {
			t.Errorf("%s: %v (%d), but attributed to %v: %v (%d)", name, ids(got.Items), got.Total, want.AttributedTo, ids(walked.Items), walked.Total)
		}
	}
	for _, tc := range []struct {
		name  string
		q     graph.IncidentQuery
		want  []string
		total int
	}{
		// The intrusion is attributed, asserted, to a cell that is only suspected of
		// being part of TraderTraitor: it counts for North Korea only when hedged
		// links count.
		{"North Korea's", queries["North Korea's, counted"], []string{bybitIncID, intrusionIncID, roninIncID}, 3},
		{"North Korea's, asserted", queries["North Korea's, asserted, counted"], []string{bybitIncID, roninIncID}, 2},
		{"TraderTraitor's in 2023", queries["TraderTraitor's, in 2023"], []string{intrusionIncID}, 1},
		{"an unknown actor's", queries["an unknown actor's"], nil, 0},
	} {
		r := read(tc.q)
		if got := ids(r.Items); !slices.Equal(got, tc.want) || r.Total != tc.total {
			t.Errorf("%s: %v of %d, want %v of %d", tc.name, got, r.Total, tc.want, tc.total)
		}
	}
	// Two incidents of one page that targeted the same nodes bring each node once.
	r := read(graph.IncidentQuery{Under: traderID, Order: newest, Page: graph.Page{First: 10}, Targets: true})
	if got := ids(r.Items); !slices.Equal(got, []string{bybitIncID, intrusionIncID}) || len(r.Edges) != 4 || len(r.Ends) != 2 {
		t.Errorf("TraderTraitor's page %v: targets %v, targeted %v; want 4 targets of 2 nodes", got, ids(r.Edges), ids(r.Ends))
	}

	_, err := s.Incidents(ctx, graph.IncidentQuery{Under: northKoreaID, AttributedTo: []string{lazarusID}, Page: graph.Page{First: 1}})
	wantCode(t, err, graph.EINVALID)
}
