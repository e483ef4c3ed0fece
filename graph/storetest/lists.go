package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// upbit adds a third theft, of unknown attribution, whose victim is in a sector only
// through the organization: "Cryptocurrency exchange" is the sector Bybit's theft
// targeted directly.
func upbit() *graph.Batch {
	src := source("https://news.example/upbit", "Upbit loses $50 million", "Example News", time.Date(2019, 11, 28, 0, 0, 0, 0, time.UTC))
	c := claim(src, "Upbit lost about $50 million in ether.", "", graph.Asserted)
	amt := graph.Amount{Value: 50e6, Currency: "USD", ValueUSD: usd(50e6), Approximate: true, Surface: "about $50 million"}
	inc := &graph.Node{Kind: graph.KindIncident, Name: "Upbit hack", IncidentKind: graph.IncidentTheft, Date: "2019-11-27", Claims: []graph.Claim{c}}
	org := &graph.Node{Kind: graph.KindOrganization, Name: "Upbit", Claims: []graph.Claim{c}}
	sector := &graph.Node{Kind: graph.KindSector, Name: "Cryptocurrency exchange", Claims: []graph.Claim{c}}
	for _, n := range []*graph.Node{inc, org, sector} {
		n.ID = n.DefaultID()
	}
	money := &graph.Node{ID: graph.AmountID(inc.ID, amt), Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: []graph.Claim{c}}
	return &graph.Batch{
		Nodes: []*graph.Node{src, inc, org, sector, money},
		Edges: []*graph.Edge{
			edge(graph.Targeted, inc.ID, org.ID, c),
			edge(graph.InSector, org.ID, sector.ID, c),
			edge(graph.Stole, inc.ID, money.ID, c),
		},
	}
}

const (
	upbitIncID = "incident:upbit-hack"
	cryptoID   = "sector:cryptocurrency-exchange"
)

// pages reads a whole list page by page and checks the pages fit together.
func pages[T any](t *testing.T, size int, read func(graph.Page) (*graph.Results[T], error), id func(T) string) []string {
	t.Helper()
	var out []string
	page := graph.Page{First: size, Count: true}
	total := -1
	for range 100 {
		r, err := read(page)
		if err != nil {
			t.Fatalf("page after %v: %v", page.After, err)
		}
		if total == -1 {
			total = r.Total
		} else if r.Total != total {
			t.Errorf("total %d on a later page, %d on the first", r.Total, total)
		}
		if len(r.Items) > size || len(r.Items) != len(r.Cursors) {
			t.Fatalf("page of %d: %d items, %d cursors", size, len(r.Items), len(r.Cursors))
		}
		for i, it := range r.Items {
			out = append(out, id(it))
			if r.Cursors[i].ID != id(it) {
				t.Errorf("cursor %+v for %s", r.Cursors[i], id(it))
			}
		}
		if !r.HasNext {
			if len(out) != total {
				t.Errorf("%d items in all pages, total says %d", len(out), total)
			}
			return out
		}
		if len(r.Items) == 0 {
			t.Fatalf("an empty page says more follow")
		}
		c := r.Cursors[len(r.Cursors)-1]
		page.After = &c
	}
	t.Fatalf("more than 100 pages")
	return nil
}

func nodeID(n *graph.Node) string { return n.ID }

func testListNodes(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	list := func(kinds ...graph.NodeKind) func(graph.Page) (*graph.Results[*graph.Node], error) {
		return func(p graph.Page) (*graph.Results[*graph.Node], error) {
			return s.ListNodes(ctx, graph.NodeQuery{Kinds: kinds, Page: p})
		}
	}
	// By normalised name, then ID, whatever the page size.
	want := []string{apt38ID, lazarusID, northKoreaID, russiaID, traderID, "state:us"}
	for _, size := range []int{1, 2, 4, 100} {
		if got := pages(t, size, list(graph.KindState, graph.KindActor), nodeID); !slices.Equal(got, want) {
			t.Errorf("states and actors by %d: %v, want %v", size, got, want)
		}
	}
	r, err := s.ListNodes(ctx, graph.NodeQuery{Kinds: []graph.NodeKind{graph.KindState}, Page: graph.Page{First: 0, Count: true}})
	if err != nil || r.Total != 3 || len(r.Items) != 0 || !r.HasNext {
		t.Errorf("count only: %+v, %v; want total 3, no items, more to come", r, err)
	}
	// A cursor is a position, not an offset: it still works once its node is gone.
	r, _ = s.ListNodes(ctx, graph.NodeQuery{Kinds: []graph.NodeKind{graph.KindState}, Page: graph.Page{First: 1, After: &graph.Cursor{Text: "norway", ID: "state:no"}}})
	if got := ids(r.Items); !slices.Equal(got, []string{russiaID}) {
		t.Errorf("states after Norway: %v, want Russia", got)
	}
	if r, _ := s.ListNodes(ctx, graph.NodeQuery{Kinds: []graph.NodeKind{graph.KindState}, Page: graph.Page{First: 5, After: &graph.Cursor{Text: "zzz", ID: "state:zz"}}}); len(r.Items) != 0 || r.HasNext {
		t.Errorf("past the end: %v", ids(r.Items))
	}
	for name, q := range map[string]graph.NodeQuery{
		"an unknown kind":     {Kinds: []graph.NodeKind{"Planet"}, Page: graph.Page{First: 1}},
		"a page too large":    {Page: graph.Page{First: graph.MaxPageSize + 1}},
		"a negative page":     {Page: graph.Page{First: -1}},
		"a cursor with no ID": {Page: graph.Page{First: 1, After: &graph.Cursor{Text: "x"}}},
	} {
		_, err := s.ListNodes(ctx, q)
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: %v, want %s", name, err, graph.EINVALID)
		}
	}
}

func testIncidents(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	ingest(ctx, t, s, upbit())
	find := func(q graph.IncidentQuery) []string {
		t.Helper()
		if q.Page.First == 0 {
			q.Page.First = graph.MaxPageSize
		}
		r, err := s.Incidents(ctx, q)
		if err != nil {
			t.Fatalf("incidents %+v: %v", q, err)
		}
		return ids(r.Items)
	}
	for _, tc := range []struct {
		name string
		q    graph.IncidentQuery
		want []string
	}{
		{"most recent first", graph.IncidentQuery{Order: graph.IncidentOrder{Desc: true}}, []string{bybitIncID, roninIncID, upbitIncID}},
		{"oldest first", graph.IncidentQuery{}, []string{upbitIncID, roninIncID, bybitIncID}},
		{"largest first", graph.IncidentQuery{Order: graph.IncidentOrder{By: graph.SortUSD, Desc: true}}, []string{bybitIncID, roninIncID, upbitIncID}},
		{"smallest first", graph.IncidentQuery{Order: graph.IncidentOrder{By: graph.SortUSD}}, []string{upbitIncID, roninIncID, bybitIncID}},
		{"by name", graph.IncidentQuery{Order: graph.IncidentOrder{By: graph.SortName}}, []string{bybitIncID, roninIncID, upbitIncID}},
		{"thefts", graph.IncidentQuery{Kinds: []graph.IncidentKind{graph.IncidentTheft}}, []string{upbitIncID, roninIncID, bybitIncID}},
		{"ransomware", graph.IncidentQuery{Kinds: []graph.IncidentKind{graph.IncidentRansomware}}, nil},
		{"attributed to TraderTraitor", graph.IncidentQuery{AttributedTo: []string{traderID}}, []string{bybitIncID}},
		{"attributed to APT38 or Lazarus", graph.IncidentQuery{AttributedTo: []string{apt38ID, lazarusID}}, []string{roninIncID}},
		{"asserted of APT38", graph.IncidentQuery{AttributedTo: []string{apt38ID}, Asserted: true}, nil},
		{"with an asserted attribution", graph.IncidentQuery{Asserted: true}, []string{roninIncID, bybitIncID}},
		{"against crypto exchanges, directly or through the victim", graph.IncidentQuery{Sector: cryptoID}, []string{upbitIncID, bybitIncID}},
		{"against Bybit", graph.IncidentQuery{Target: "org:bybit"}, []string{bybitIncID}},
		{"from 2023", graph.IncidentQuery{From: "2023"}, []string{bybitIncID}},
		{"until 2022", graph.IncidentQuery{To: "2022"}, []string{upbitIncID, roninIncID}},
		{"in March 2022", graph.IncidentQuery{From: "2022-03", To: "2022-03"}, []string{roninIncID}},
		{"on 23 March 2022", graph.IncidentQuery{From: "2022-03-23", To: "2022-03-23"}, []string{roninIncID}},
		{"in February 2025, known to the month", graph.IncidentQuery{From: "2025-02-10", To: "2025-02-20"}, []string{bybitIncID}},
		{"at least $600 million", graph.IncidentQuery{MinUSD: usd(600e6)}, []string{roninIncID, bybitIncID}},
		{"everything at once", graph.IncidentQuery{Kinds: []graph.IncidentKind{graph.IncidentTheft}, AttributedTo: []string{traderID, lazarusID},
			Asserted: true, Sector: cryptoID, From: "2020", MinUSD: usd(1e6), Order: graph.IncidentOrder{By: graph.SortUSD, Desc: true}}, []string{bybitIncID}},
	} {
		if got := find(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// Every order pages the same as it lists.
	for _, o := range []graph.IncidentOrder{{}, {Desc: true}, {By: graph.SortUSD}, {By: graph.SortUSD, Desc: true}, {By: graph.SortName, Desc: true}} {
		all := find(graph.IncidentQuery{Order: o})
		got := pages(t, 1, func(p graph.Page) (*graph.Results[*graph.Node], error) {
			return s.Incidents(ctx, graph.IncidentQuery{Order: o, Page: p})
		}, nodeID)
		if !slices.Equal(got, all) {
			t.Errorf("order %+v one by one: %v, want %v", o, got, all)
		}
	}
	r, _ := s.Incidents(ctx, graph.IncidentQuery{Order: graph.IncidentOrder{By: graph.SortUSD, Desc: true}, Page: graph.Page{First: 1}})
	if len(r.Cursors) != 1 || r.Cursors[0].Num != 1.5e9 || r.Cursors[0].ID != bybitIncID {
		t.Errorf("cursor of the largest theft %+v, want 1.5e9 and Bybit", r.Cursors)
	}
	for name, q := range map[string]graph.IncidentQuery{
		"an unknown order":   {Order: graph.IncidentOrder{By: "COLOUR"}},
		"an unknown kind":    {Kinds: []graph.IncidentKind{"heist"}},
		"a bad date":         {From: "2024-13"},
		"a period backwards": {From: "2025", To: "2024"},
		"a negative minimum": {MinUSD: usd(-1)},
		"a page too large":   {Page: graph.Page{First: graph.MaxPageSize + 1}},
	} {
		if _, err := s.Incidents(ctx, q); graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: %v, want %s", name, err, graph.EINVALID)
		}
	}
}

func testFindIncidents(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	ingest(ctx, t, s, upbit())
	newest := graph.IncidentOrder{Desc: true}
	r, err := graph.FindIncidents(ctx, s, graph.IncidentFilter{State: northKoreaID}, newest, graph.Page{First: 1, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(r.Items); !slices.Equal(got, []string{bybitIncID}) || r.Total != 2 || !r.HasNext {
		t.Fatalf("first page for North Korea: %v of %d", got, r.Total)
	}
	var path []string
	for _, e := range r.Paths[bybitIncID] {
		path = append(path, e.ID)
	}
	if want := []string{
		graph.EdgeID(graph.AttributedTo, bybitIncID, traderID),
		graph.EdgeID(graph.PartOf, traderID, lazarusID),
		graph.EdgeID(graph.SponsoredBy, lazarusID, northKoreaID),
	}; !slices.Equal(path, want) {
		t.Errorf("Bybit path %v, want %v", path, want)
	}
	r, _ = graph.FindIncidents(ctx, s, graph.IncidentFilter{State: northKoreaID}, newest, graph.Page{First: 5, After: &r.Cursors[0]})
	if got := ids(r.Items); !slices.Equal(got, []string{roninIncID}) || r.HasNext || len(r.Paths[roninIncID]) != 2 {
		t.Errorf("second page for North Korea: %v, path %v", got, r.Paths)
	}
	// Asserted only: the Ronin theft is reached through Lazarus, not the suspected APT38.
	r, _ = graph.FindIncidents(ctx, s, graph.IncidentFilter{State: northKoreaID, Minimum: graph.Asserted, From: "2022", To: "2022"}, newest, graph.Page{First: 5})
	if got := ids(r.Items); !slices.Equal(got, []string{roninIncID}) || r.Paths[roninIncID][0].To != lazarusID {
		t.Errorf("asserted Ronin for North Korea: %v, path %v", got, r.Paths[roninIncID])
	}
	if c := graph.ChainCertainty(r.Paths[roninIncID]); c != graph.Asserted {
		t.Errorf("asserted chain certainty %s", c)
	}
	r, _ = graph.FindIncidents(ctx, s, graph.IncidentFilter{Actor: "actor:nobody"}, newest, graph.Page{First: 5, Count: true})
	if len(r.Items) != 0 || r.Total != 0 {
		t.Errorf("an unknown actor has incidents: %v", ids(r.Items))
	}
	_, err = graph.FindIncidents(ctx, s, graph.IncidentFilter{State: northKoreaID, Actor: lazarusID}, newest, graph.Page{First: 5})
	wantCode(t, err, graph.EINVALID)
}

func testSearchTypos(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	for _, tc := range []struct {
		query string
		first string
		match graph.SearchMatch
	}{
		{"Lazarus Group", lazarusID, graph.MatchName},
		{"dprk", northKoreaID, graph.MatchAlias},
		{"KP", northKoreaID, graph.MatchAlias}, // the code, exactly
		{"lazarsu", lazarusID, graph.MatchWords},
		{"hiden cobra", lazarusID, graph.MatchWords},
		{"korea north", northKoreaID, graph.MatchWords},
		{"tradertrator", traderID, graph.MatchWords},
		{"stardust cholima", apt38ID, graph.MatchWords},
		{"stradust chollma", apt38ID, graph.MatchTypos},
	} {
		r, err := s.SearchPage(ctx, graph.SearchQuery{Text: tc.query, Count: true})
		if err != nil {
			t.Fatalf("search %q: %v", tc.query, err)
		}
		if len(r.Items) == 0 || r.Items[0].ID != tc.first || graph.SearchMatch(r.Cursors[0].Rank) != tc.match {
			t.Errorf("search %q: %v %+v, want %s first, matched %d", tc.query, ids(r.Items), r.Cursors, tc.first, tc.match)
		}
		if r.Total != len(r.Items) {
			t.Errorf("search %q: total %d for %d hits", tc.query, r.Total, len(r.Items))
		}
	}
	for _, q := range []string{"kp x", "apt", "zzzz", "lzrs"} { // short words take no typo
		if got, _ := s.Search(ctx, graph.SearchQuery{Text: q, Kinds: []graph.NodeKind{graph.KindActor}}); q != "apt" && len(got) != 0 {
			t.Errorf("search %q found %v", q, ids(got))
		}
	}
	// Pages: every hit once, in order, whatever the page size; the same as one search.
	all, err := s.Search(ctx, graph.SearchQuery{Text: "a", Limit: graph.MaxPageSize})
	if err != nil || len(all) < 5 {
		t.Fatalf("search a: %v, %v", ids(all), err)
	}
	for _, size := range []int{1, 3} {
		got := pages(t, size, func(p graph.Page) (*graph.Results[*graph.Node], error) {
			return s.SearchPage(ctx, graph.SearchQuery{Text: "a", Limit: p.First, After: p.After, Count: p.Count})
		}, nodeID)
		if !slices.Equal(got, ids(all)) {
			t.Errorf("search a by %d: %v, want %v", size, got, ids(all))
		}
	}
	// Typo hits page after the others.
	got := pages(t, 1, func(p graph.Page) (*graph.Results[*graph.Node], error) {
		return s.SearchPage(ctx, graph.SearchQuery{Text: "north korea", Limit: p.First, After: p.After, Count: p.Count})
	}, nodeID)
	if len(got) == 0 || got[0] != northKoreaID {
		t.Errorf("north korea by 1: %v", got)
	}
	_, err = s.Search(ctx, graph.SearchQuery{Text: "x", Kinds: []graph.NodeKind{"Planet"}})
	wantCode(t, err, graph.EINVALID)
}

func testSources(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	got := pages(t, 2, func(p graph.Page) (*graph.Results[*graph.Node], error) {
		return s.Sources(ctx, graph.SourceQuery{Page: p})
	}, nodeID)
	if want := []string{fbiSource.ID, roninOther.ID, roninNews.ID, refSource.ID}; !slices.Equal(got, want) {
		t.Errorf("sources, newest first: %v, want %v", got, want)
	}
	r, err := s.Sources(ctx, graph.SourceQuery{Publisher: "Example News", Page: graph.Page{First: 10}})
	if err != nil || !slices.Equal(ids(r.Items), []string{fbiSource.ID}) {
		t.Errorf("sources by Example News: %v, %v", ids(r.Items), err)
	}
	if len(r.Cursors) != 1 || r.Cursors[0].Num != float64(fbiSource.Published.UnixMilli()) {
		t.Errorf("source cursor %+v, want its publication time", r.Cursors)
	}
	_, err = s.Sources(ctx, graph.SourceQuery{Page: graph.Page{First: -1}})
	wantCode(t, err, graph.EINVALID)
}
