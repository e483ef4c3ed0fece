package storetest

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Harness hands out stores for the suite.
type Harness interface {
	// MakeStore returns an empty store. The suite closes it.
	MakeStore(ctx context.Context, t *testing.T) (graph.Store, error)
}

// HarnessMaker creates a harness for one test run.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests runs every promise of graph.Store against the stores the harness
// makes. Subtests run one after the other: a store backed by one shared database (Neo4j)
// may reuse it between subtests.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	tests := []struct {
		name string
		run  func(context.Context, *testing.T, graph.Store)
	}{
		{"UpsertMergesIntoOneNode", testUpsertMerge},
		{"AliasesResolveToOneActor", testAliasResolution},
		{"ReingestChangesNothing", testIdempotentReingest},
		{"ProvenanceRoundTrips", testProvenanceRoundTrip},
		{"ConflictingClaimsAreBothKept", testConflictingClaims},
		{"CollaborationIsSymmetric", testSymmetricCollaboration},
		{"EdgesFilter", testEdgesFilter},
		{"EdgesWithTheirEnds", testEdgesWithEnds},
		{"NeighborhoodFollowsDepthAndFilters", testNeighborhood},
		{"NeighborhoodByDistanceThenID", testNeighborhoodOrder},
		{"NeighborhoodBriefIsTheSameAnswer", testNeighborhoodBrief},
		{"ShortestPathsBetweenEntities", testShortestPaths},
		{"SearchByNameAndAlias", testSearch},
		{"StolenTotalsByStateActorYear", testStolenTotals},
		{"StolenTotalsFollowTheRules", testStolenTotalsRules},
		{"AttributedIncidentsThroughSponsoredActors", testAttributedIncidents},
		{"RemovingASourceRemovesWhatOnlyItSaid", testRemoveSource},
		{"SourcesAndAmountsMayShareNames", testSharedNames},
		{"MissingInputIsNotFound", testNotFound},
		{"ConflictingInputIsRejectedWhole", testConflicts},
		{"InvalidInputIsRejectedWhole", testInvalid},
		{"ListNodesPagesByName", testListNodes},
		{"IncidentsFilterOrderAndPage", testIncidents},
		{"FindIncidentsThroughTheHierarchyWithPaths", testFindIncidents},
		{"IncidentsWithTheirTargetsAndHierarchy", testIncidentTargets},
		{"SearchToleratesTyposAndPages", testSearchTypos},
		{"SourcesNewestFirst", testSources},
		{"MergeMovesEdgesClaimsAndNames", testMerge},
		{"RetractClaimRemovesOnlyThatClaim", testRetractClaim},
		{"AuditTrailIsKeptAndQueryable", testAuditTrail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatal(err)
			}
			s, err := h.MakeStore(ctx, t)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			tc.run(ctx, t, s)
		})
	}
}

func ingest(ctx context.Context, t *testing.T, s graph.Store, batches ...*graph.Batch) graph.Summary {
	t.Helper()
	var sum graph.Summary
	for _, b := range batches {
		got, err := graph.Ingest(ctx, s, b)
		if err != nil {
			t.Fatalf("ingest: %v", err)
		}
		sum = sum.Add(got)
	}
	return sum
}

func world(ctx context.Context, t *testing.T, s graph.Store) {
	t.Helper()
	ingest(ctx, t, s, reference(), bybit())
	ingest(ctx, t, s, ronin()...)
}

func counts(ctx context.Context, t *testing.T, s graph.Store) graph.Counts {
	t.Helper()
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func node(ctx context.Context, t *testing.T, s graph.Store, id string) *graph.Node {
	t.Helper()
	n, err := s.Node(ctx, id)
	if err != nil {
		t.Fatalf("node %s: %v", id, err)
	}
	return n
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := graph.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func ids[T interface{ *graph.Node | *graph.Edge }](items []T) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch v := any(it).(type) {
		case *graph.Node:
			out = append(out, v.ID)
		case *graph.Edge:
			out = append(out, v.ID)
		}
	}
	return out
}

func testUpsertMerge(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	more := actor("Lazarus Group", "Guardians of Peace")
	more.ID = lazarusID
	more.Description = "A North Korean state-sponsored group."
	more.ExternalIDs = []graph.ExternalID{{System: "misp-galaxy", ID: "68391641-859f-4a9a-9a1e-3e5cf71ec376"}}
	sum := ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{more}})
	if sum.NodesCreated != 0 || sum.NodesUpdated != 1 {
		t.Errorf("summary %+v: want 0 new, 1 updated node", sum)
	}
	n := node(ctx, t, s, lazarusID)
	if n.Name != "Lazarus Group" || n.ActorKind != graph.ActorGroup || n.Description != more.Description {
		t.Errorf("merged node %+v lost a field", n)
	}
	for _, a := range []string{"Hidden Cobra", "ZINC", "Diamond Sleet", "Guardians of Peace"} {
		if !slices.Contains(n.Aliases, a) {
			t.Errorf("aliases %v: missing %q", n.Aliases, a)
		}
	}
	if len(n.ExternalIDs) != 2 {
		t.Errorf("external IDs %v: want ATT&CK and MISP", n.ExternalIDs)
	}
	// A more precise date that agrees replaces a vaguer one; a contradicting one does not.
	ingest(ctx, t, s, bybit())
	inc := &graph.Node{ID: bybitIncID, Kind: graph.KindIncident, Name: "Bybit hack", Date: "2025-02-21",
		Claims: []graph.Claim{claim(fbiSource, bybitQuote, "FBI", graph.Asserted)}}
	ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{inc}})
	inc.Date = "2024-01-01"
	ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{inc}})
	if got := node(ctx, t, s, bybitIncID).Date; got != "2025-02-21" {
		t.Errorf("incident date %q, want 2025-02-21", got)
	}
}

func testAliasResolution(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	got, err := s.Resolve(ctx, graph.KindActor, []string{"HIDDEN COBRA", "lazarus group", "Jade Sleet", "Nobody"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"hidden cobra": lazarusID, "lazarus group": lazarusID, "jade sleet": traderID}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %v, want %v", got, want)
	}
	if got, _ := s.Resolve(ctx, graph.KindState, []string{"Pyongyang", "DPRK"}); got["pyongyang"] != northKoreaID || got["dprk"] != northKoreaID {
		t.Errorf("states resolve to %v, want %s", got, northKoreaID)
	}
	// An article that only says "Hidden Cobra" and "Jade Sleet" adds to the known actors.
	c := claim(fbiSource, "Hidden Cobra and Jade Sleet worked together.", "", graph.Hedged)
	b := &graph.Batch{
		Nodes: []*graph.Node{fbiSource,
			{Kind: graph.KindActor, Name: "Hidden Cobra", Claims: []graph.Claim{c}},
			{Kind: graph.KindActor, Name: "Jade Sleet", Aliases: []string{"Slow Pisces"}, Claims: []graph.Claim{c}}},
		Edges: []*graph.Edge{edge(graph.CollaboratesWith, graph.NodeID(graph.KindActor, "Hidden Cobra"), graph.NodeID(graph.KindActor, "Jade Sleet"), c)},
	}
	before := counts(ctx, t, s)
	ingest(ctx, t, s, b)
	after := counts(ctx, t, s)
	if after.Nodes[graph.KindActor] != before.Nodes[graph.KindActor] {
		t.Errorf("actors %d -> %d: aliases made new actors", before.Nodes[graph.KindActor], after.Nodes[graph.KindActor])
	}
	edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.CollaboratesWith}})
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 1 || edges[0].ID != graph.EdgeID(graph.CollaboratesWith, lazarusID, traderID) {
		t.Errorf("collaboration edges %v, want Lazarus Group - TraderTraitor", ids(edges))
	}
	if n := node(ctx, t, s, traderID); !slices.Contains(n.Aliases, "Slow Pisces") || n.Name != "TraderTraitor" {
		t.Errorf("TraderTraitor = %q %v: want the canonical name kept and the new alias added", n.Name, n.Aliases)
	}
}

func testIdempotentReingest(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	before := counts(ctx, t, s)
	if before.TotalNodes() == 0 || before.TotalEdges() == 0 {
		t.Fatalf("counts %+v after ingesting the world", before)
	}
	edgesBefore, _ := s.Edges(ctx, graph.EdgeFilter{})
	again := ingest(ctx, t, s, reference(), bybit())
	again = again.Add(ingest(ctx, t, s, ronin()...))
	if again.Changed() {
		t.Errorf("re-ingest summary %+v, want nothing changed", again)
	}
	if after := counts(ctx, t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("counts %+v -> %+v after re-ingest", before, after)
	}
	edgesAfter, _ := s.Edges(ctx, graph.EdgeFilter{})
	if len(edgesAfter) != len(edgesBefore) {
		t.Fatalf("%d edges -> %d after re-ingest", len(edgesBefore), len(edgesAfter))
	}
	for i := range edgesAfter {
		if len(edgesAfter[i].Claims) != len(edgesBefore[i].Claims) {
			t.Errorf("edge %s: %d claims -> %d", edgesAfter[i].ID, len(edgesBefore[i].Claims), len(edgesAfter[i].Claims))
		}
	}
}

func testProvenanceRoundTrip(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference(), bybit())
	src := node(ctx, t, s, fbiSource.ID)
	want := *fbiSource
	if src.URL != want.URL || src.Title != want.Title || src.Publisher != want.Publisher ||
		!src.Published.Equal(want.Published) || !src.Fetched.Equal(want.Fetched) || src.ContentHash != want.ContentHash {
		t.Errorf("source = %+v, want %+v", src, want)
	}
	edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.AttributedTo}, From: []string{bybitIncID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 1 || edges[0].To != traderID {
		t.Fatalf("Bybit attributions %v, want one to %s", ids(edges), traderID)
	}
	e := edges[0]
	wantClaim := claim(fbiSource, bybitQuote, "FBI", graph.Asserted)
	if len(e.Claims) != 1 || !sameClaim(e.Claims[0], wantClaim) {
		t.Errorf("claims %+v, want [%+v]", e.Claims, wantClaim)
	}
	if e.Confidence <= 0 || e.Confidence > 1 || math.Abs(e.Confidence-graph.AggregateConfidence(e.Claims)) > 1e-9 {
		t.Errorf("confidence %v, want the aggregate of its claims", e.Confidence)
	}
	if !e.FirstReported().Equal(t0) || e.Certainty() != graph.Asserted {
		t.Errorf("first reported %v certainty %s", e.FirstReported(), e.Certainty())
	}
	amounts, _ := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.Stole}, From: []string{bybitIncID}})
	if len(amounts) != 1 {
		t.Fatalf("Bybit STOLE edges: %v", ids(amounts))
	}
	a := node(ctx, t, s, amounts[0].To).Amount
	if a == nil || a.Value != 1.5e9 || a.Currency != "USD" || a.ValueUSD == nil || *a.ValueUSD != 1.5e9 || !a.Approximate || a.Surface != "about $1.5 billion" {
		t.Errorf("amount = %+v", a)
	}
	inc := node(ctx, t, s, bybitIncID)
	if inc.Date != "2025-02" || inc.Date.Precision() != graph.PrecisionMonth || inc.IncidentKind != graph.IncidentTheft {
		t.Errorf("incident = %+v", inc)
	}
	if len(inc.Claims) != 1 || !sameClaim(inc.Claims[0], wantClaim) {
		t.Errorf("incident claims %+v", inc.Claims)
	}
	lazarus := node(ctx, t, s, lazarusID)
	if len(lazarus.ExternalIDs) != 1 || lazarus.ExternalIDs[0] != (graph.ExternalID{System: "mitre-attack", ID: "G0032", URL: "https://attack.mitre.org/groups/G0032/"}) {
		t.Errorf("external IDs %+v", lazarus.ExternalIDs)
	}
}

func sameClaim(a, b graph.Claim) bool {
	return a.SourceID == b.SourceID && a.Quote == b.Quote && a.Claimant == b.Claimant &&
		a.Certainty == b.Certainty && math.Abs(a.Confidence-b.Confidence) < 1e-9 && a.Reported.Equal(b.Reported)
}

func testConflictingClaims(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.AttributedTo}, From: []string{roninIncID}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(edges); !reflect.DeepEqual(got, []string{
		graph.EdgeID(graph.AttributedTo, roninIncID, apt38ID), graph.EdgeID(graph.AttributedTo, roninIncID, lazarusID),
	}) {
		t.Fatalf("Ronin attributions %v, want APT38 and Lazarus Group", got)
	}
	apt38, lazarus := edges[0], edges[1]
	if apt38.Certainty() != graph.Hedged || apt38.Claims[0].Quote != apt38Quote || apt38.Claims[0].Claimant != "analysts" {
		t.Errorf("APT38 claim %+v: want the hedged analysts' claim", apt38.Claims)
	}
	if lazarus.Certainty() != graph.Asserted || lazarus.Claims[0].Quote != roninQuote {
		t.Errorf("Lazarus claim %+v", lazarus.Claims)
	}
	if apt38.Confidence >= lazarus.Confidence {
		t.Errorf("hedged confidence %v >= asserted %v", apt38.Confidence, lazarus.Confidence)
	}
	// The incident node carries both reports, and the more precise date.
	inc := node(ctx, t, s, roninIncID)
	if len(inc.Sources()) != 2 || inc.Date != "2022-03-23" {
		t.Errorf("Ronin incident sources %v date %q", inc.Sources(), inc.Date)
	}
}

func testSymmetricCollaboration(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference(), bybit())
	c := claim(roninNews, "Moscow and Pyongyang signed a pact.", "", graph.Asserted)
	ingest(ctx, t, s, &graph.Batch{
		Nodes: []*graph.Node{roninNews},
		Edges: []*graph.Edge{edge(graph.CollaboratesWith, northKoreaID, russiaID, c)},
	})
	edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.CollaboratesWith}, Ends: []string{northKoreaID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 1 || len(edges[0].Claims) != 2 || len(edges[0].Sources()) != 2 {
		t.Fatalf("collaboration edges %+v: want one edge with two sources", edges)
	}
	// Two independent sources are more convincing than either.
	if one := graph.AggregateConfidence(edges[0].Claims[:1]); edges[0].Confidence <= one {
		t.Errorf("confidence %v with two sources <= %v with one", edges[0].Confidence, one)
	}
}

func testEdgesFilter(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	all, err := s.Edges(ctx, graph.EdgeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if c := counts(ctx, t, s); len(all) != c.TotalEdges() {
		t.Errorf("unfiltered edges %d, counts say %d", len(all), c.TotalEdges())
	}
	if !slices.IsSortedFunc(all, func(a, b *graph.Edge) int { return cmpString(a.ID, b.ID) }) {
		t.Errorf("edges not ordered by ID: %v", ids(all))
	}
	to, _ := s.Edges(ctx, graph.EdgeFilter{To: []string{northKoreaID}, Types: []graph.EdgeType{graph.SponsoredBy}})
	if got := ids(to); !reflect.DeepEqual(got, []string{
		graph.EdgeID(graph.SponsoredBy, apt38ID, northKoreaID), graph.EdgeID(graph.SponsoredBy, lazarusID, northKoreaID),
	}) {
		t.Errorf("sponsored by North Korea: %v", got)
	}
	ends, _ := s.Edges(ctx, graph.EdgeFilter{Ends: []string{traderID}})
	if len(ends) != 2 { // PART_OF Lazarus, and the Bybit attribution
		t.Errorf("edges at TraderTraitor: %v", ids(ends))
	}
	none, _ := s.Edges(ctx, graph.EdgeFilter{From: []string{"actor:nobody"}})
	if len(none) != 0 {
		t.Errorf("edges from an unknown node: %v", ids(none))
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testNeighborhood(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	one, err := s.Neighborhood(ctx, lazarusID, graph.NeighborhoodOptions{Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{lazarusID, roninIncID, traderID, northKoreaID}
	if got := ids(one.Nodes); !sameSet(got, want) {
		t.Errorf("depth 1 around Lazarus: %v, want %v", got, want)
	}
	if one.Nodes[0].ID != lazarusID {
		t.Errorf("the start node comes first, got %s", one.Nodes[0].ID)
	}
	for _, e := range one.Edges {
		if !slices.Contains(ids(one.Nodes), e.From) || !slices.Contains(ids(one.Nodes), e.To) {
			t.Errorf("edge %s leaves the subgraph", e.ID)
		}
	}
	two, err := s.Neighborhood(ctx, lazarusID, graph.NeighborhoodOptions{Depth: 2, NodeKinds: []graph.NodeKind{graph.KindActor, graph.KindState, graph.KindIncident}})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{lazarusID, roninIncID, traderID, northKoreaID, apt38ID, bybitIncID, russiaID}
	if got := ids(two.Nodes); !sameSet(got, want) {
		t.Errorf("depth 2 actors, states and incidents: %v, want %v", got, want)
	}
	typed, err := s.Neighborhood(ctx, northKoreaID, graph.NeighborhoodOptions{Depth: 3, EdgeTypes: []graph.EdgeType{graph.SponsoredBy, graph.PartOf}})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{northKoreaID, lazarusID, apt38ID, traderID}
	if got := ids(typed.Nodes); !sameSet(got, want) {
		t.Errorf("sponsorship tree of North Korea: %v, want %v", got, want)
	}
	for _, e := range typed.Edges {
		if e.Type != graph.SponsoredBy && e.Type != graph.PartOf {
			t.Errorf("edge %s escaped the type filter", e.ID)
		}
	}
	limited, _ := s.Neighborhood(ctx, northKoreaID, graph.NeighborhoodOptions{Depth: 3, Limit: 2})
	if len(limited.Nodes) != 2 {
		t.Errorf("limit 2 gave %d nodes", len(limited.Nodes))
	}
	_, err = s.Neighborhood(ctx, "actor:nobody", graph.NeighborhoodOptions{Depth: 1})
	wantCode(t, err, graph.ENOTFOUND)
	_, err = s.Neighborhood(ctx, lazarusID, graph.NeighborhoodOptions{Depth: graph.MaxDepth + 1})
	wantCode(t, err, graph.EINVALID)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func pathIDs(p *graph.Path) []string { return ids(p.Nodes) }

func testShortestPaths(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	paths, err := s.ShortestPaths(ctx, roninIncID, northKoreaID, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{roninIncID, apt38ID, northKoreaID}, {roninIncID, lazarusID, northKoreaID}}
	if len(paths) != 2 || !slices.Equal(pathIDs(paths[0]), want[0]) || !slices.Equal(pathIDs(paths[1]), want[1]) {
		var got [][]string
		for _, p := range paths {
			got = append(got, pathIDs(p))
		}
		t.Fatalf("Ronin -> North Korea: %v, want %v", got, want)
	}
	for _, p := range paths {
		if len(p.Edges) != len(p.Nodes)-1 {
			t.Errorf("path with %d nodes has %d edges", len(p.Nodes), len(p.Edges))
		}
		for i, e := range p.Edges {
			a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
			if !(e.From == a && e.To == b) && !(e.From == b && e.To == a) {
				t.Errorf("edge %s does not join %s and %s", e.ID, a, b)
			}
		}
	}
	paths, err = s.ShortestPaths(ctx, bybitIncID, russiaID, 6)
	if err != nil {
		t.Fatal(err)
	}
	want = [][]string{{bybitIncID, traderID, lazarusID, northKoreaID, russiaID}}
	if len(paths) != 1 || !slices.Equal(pathIDs(paths[0]), want[0]) {
		t.Errorf("Bybit -> Russia: %d paths, want %v", len(paths), want)
	}
	if paths, err = s.ShortestPaths(ctx, bybitIncID, russiaID, 3); err != nil || len(paths) != 0 {
		t.Errorf("Bybit -> Russia in 3 hops: %d paths, err %v; want none", len(paths), err)
	}
	_, err = s.ShortestPaths(ctx, bybitIncID, "state:zz", 3)
	wantCode(t, err, graph.ENOTFOUND)
	_, err = s.ShortestPaths(ctx, bybitIncID, russiaID, 0)
	wantCode(t, err, graph.EINVALID)
}

func testSearch(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	for _, tc := range []struct {
		query string
		kinds []graph.NodeKind
		first string
	}{
		{"lazarus", nil, lazarusID},
		{"Hidden Cobra", nil, lazarusID},
		{"  zinc ", nil, lazarusID},
		{"north", []graph.NodeKind{graph.KindState}, northKoreaID},
		{"Pyongyang", nil, northKoreaID},
		{"bybit", []graph.NodeKind{graph.KindIncident}, bybitIncID},
		{"bybit", []graph.NodeKind{graph.KindOrganization}, "org:bybit"},
	} {
		got, err := s.Search(ctx, graph.SearchQuery{Text: tc.query, Kinds: tc.kinds})
		if err != nil {
			t.Fatalf("search %q: %v", tc.query, err)
		}
		if len(got) == 0 || got[0].ID != tc.first {
			t.Errorf("search %q %v: %v, want %s first", tc.query, tc.kinds, ids(got), tc.first)
		}
		for _, n := range got {
			if len(tc.kinds) > 0 && !slices.Contains(tc.kinds, n.Kind) {
				t.Errorf("search %q: %s escaped the kind filter", tc.query, n.ID)
			}
		}
	}
	if got, _ := s.Search(ctx, graph.SearchQuery{Text: "a", Limit: 3}); len(got) != 3 {
		t.Errorf("limit 3 gave %d", len(got))
	}
	if got, _ := s.Search(ctx, graph.SearchQuery{Text: "no such thing"}); len(got) != 0 {
		t.Errorf("nonsense search found %v", ids(got))
	}
	_, err := s.Search(ctx, graph.SearchQuery{Text: "  "})
	wantCode(t, err, graph.EINVALID)
}

func testStolenTotals(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	type row struct {
		key       string
		usd       float64
		incidents []string
	}
	check := func(q graph.TotalsQuery, want []row) {
		t.Helper()
		got, err := s.StolenTotals(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var rows []row
		for _, r := range got {
			rows = append(rows, row{r.Key, r.USD, r.Incidents})
		}
		if !reflect.DeepEqual(rows, want) {
			t.Errorf("totals %+v = %+v, want %+v", q, rows, want)
		}
	}
	both := []string{bybitIncID, roninIncID}
	check(graph.TotalsQuery{GroupBy: graph.ByState}, []row{{northKoreaID, 2.125e9, both}})
	check(graph.TotalsQuery{GroupBy: graph.ByActor}, []row{
		{lazarusID, 2.125e9, both}, {traderID, 1.5e9, []string{bybitIncID}}, {apt38ID, 625e6, []string{roninIncID}},
	})
	check(graph.TotalsQuery{GroupBy: graph.ByActor, Minimum: graph.Asserted}, []row{
		{lazarusID, 2.125e9, both}, {traderID, 1.5e9, []string{bybitIncID}},
	})
	check(graph.TotalsQuery{GroupBy: graph.ByYear}, []row{{"2025", 1.5e9, []string{bybitIncID}}, {"2022", 625e6, []string{roninIncID}}})
	check(graph.TotalsQuery{GroupBy: graph.ByYear, From: 2023}, []row{{"2025", 1.5e9, []string{bybitIncID}}})
	check(graph.TotalsQuery{GroupBy: graph.BySector}, []row{{cryptoID, 1.5e9, []string{bybitIncID}}})
	ingest(ctx, t, s, upbit()) // a sector reached through the victim organization
	check(graph.TotalsQuery{GroupBy: graph.BySector}, []row{{cryptoID, 1.55e9, []string{bybitIncID, upbitIncID}}})
	if got, _ := s.StolenTotals(ctx, graph.TotalsQuery{GroupBy: graph.BySector}); len(got) == 1 && got[0].Label != "Cryptocurrency exchange" {
		t.Errorf("sector label %q", got[0].Label)
	}
	if got, _ := s.StolenTotals(ctx, graph.TotalsQuery{GroupBy: graph.ByState}); len(got) == 1 && got[0].Label != "North Korea" {
		t.Errorf("state label %q", got[0].Label)
	}
	_, err := s.StolenTotals(ctx, graph.TotalsQuery{GroupBy: "MOON"})
	wantCode(t, err, graph.EINVALID)
}

func testAttributedIncidents(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	got, err := graph.AttributedIncidents(ctx, s, northKoreaID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Incident.ID != bybitIncID || got[1].Incident.ID != roninIncID {
		t.Fatalf("incidents attributed to North Korea: %+v", got)
	}
	var path []string
	for _, e := range got[0].Path {
		path = append(path, e.ID)
	}
	want := []string{
		graph.EdgeID(graph.AttributedTo, bybitIncID, traderID),
		graph.EdgeID(graph.PartOf, traderID, lazarusID),
		graph.EdgeID(graph.SponsoredBy, lazarusID, northKoreaID),
	}
	if !slices.Equal(path, want) {
		t.Errorf("Bybit path %v, want %v", path, want)
	}
	if got, _ := graph.AttributedIncidents(ctx, s, apt38ID, graph.Asserted); len(got) != 0 {
		t.Errorf("asserted incidents of APT38: %d, want none (only suspected)", len(got))
	}
	_, err = graph.AttributedIncidents(ctx, s, "state:zz", "")
	wantCode(t, err, graph.ENOTFOUND)
}

func testRemoveSource(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	before := counts(ctx, t, s)
	sum, err := s.RemoveSource(ctx, roninOther.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Gone: the suspected APT38 attribution and the source node. Kept: APT38 itself (the
	// reference knows it) and the Ronin incident (another outlet reported it).
	if sum.EdgesRemoved != 1 || sum.NodesRemoved != 1 {
		t.Errorf("summary %+v: want 1 edge and 1 node (the source) removed", sum)
	}
	if _, err := s.Node(ctx, roninOther.ID); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("removed source still there: %v", err)
	}
	inc := node(ctx, t, s, roninIncID)
	if slices.Contains(inc.Sources(), roninOther.ID) {
		t.Errorf("Ronin incident still cites the removed source: %v", inc.Sources())
	}
	node(ctx, t, s, apt38ID)
	sum, err = s.RemoveSource(ctx, roninNews.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Now nothing reports the Ronin theft: the incident, its amount and edges go too.
	if _, err := s.Node(ctx, roninIncID); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("Ronin incident survived its last source: %v", err)
	}
	after := counts(ctx, t, s)
	if after.Nodes[graph.KindIncident] != before.Nodes[graph.KindIncident]-1 || after.Nodes[graph.KindAmount] != before.Nodes[graph.KindAmount]-1 ||
		after.Nodes[graph.KindActor] != before.Nodes[graph.KindActor] || after.Nodes[graph.KindSource] != before.Nodes[graph.KindSource]-2 {
		t.Errorf("counts %+v -> %+v", before, after)
	}
	if lz := node(ctx, t, s, lazarusID); slices.Contains(lz.Sources(), roninNews.ID) {
		t.Errorf("Lazarus still cites the removed source")
	}
	_, err = s.RemoveSource(ctx, roninNews.ID)
	wantCode(t, err, graph.ENOTFOUND)
	_, err = s.RemoveSource(ctx, lazarusID)
	wantCode(t, err, graph.ENOTFOUND) // not a source
}

func testNotFound(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	_, err := s.Node(ctx, "actor:nobody")
	wantCode(t, err, graph.ENOTFOUND)
	got, err := s.Nodes(ctx, []string{lazarusID, "actor:nobody", northKoreaID})
	if err != nil || !slices.Equal(ids(got), []string{lazarusID, northKoreaID}) {
		t.Errorf("Nodes with an unknown ID = %v, %v", ids(got), err)
	}
	before := counts(ctx, t, s)
	c := refClaim("Lazarus Group works with a ghost.")
	_, err = s.Write(ctx, (&graph.Batch{Edges: []*graph.Edge{edge(graph.CollaboratesWith, lazarusID, "actor:ghost", c)}}).Normalized())
	wantCode(t, err, graph.ENOTFOUND)
	if after := counts(ctx, t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("a failed write changed counts %+v -> %+v", before, after)
	}
}

func testConflicts(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	before := counts(ctx, t, s)
	c := refClaim("conflict")
	fresh := &graph.Node{ID: "actor:fresh", Kind: graph.KindActor, Name: "Fresh Group", Claims: []graph.Claim{c}}
	cases := map[string]*graph.Batch{
		"an alias owned by another node": {Nodes: []*graph.Node{fresh, {ID: "actor:impostor", Kind: graph.KindActor, Name: "Impostor", Aliases: []string{"Hidden Cobra"}, Claims: []graph.Claim{c}}}},
		"edge ends of the wrong kinds":   {Nodes: []*graph.Node{fresh}, Edges: []*graph.Edge{edge(graph.SponsoredBy, lazarusID, apt38ID, c)}},
	}
	for name, b := range cases {
		_, err := s.Write(ctx, b.Normalized())
		if graph.ErrorCode(err) != graph.ECONFLICT {
			t.Errorf("%s: error %v, want %s", name, err, graph.ECONFLICT)
		}
		if _, err := s.Node(ctx, "actor:fresh"); graph.ErrorCode(err) != graph.ENOTFOUND {
			t.Errorf("%s: the rest of the batch was written", name)
		}
	}
	// Names that point at two different actors cannot be resolved.
	_, err := graph.Ingest(ctx, s, &graph.Batch{Nodes: []*graph.Node{{Kind: graph.KindActor, Name: "Unknown Cluster", Aliases: []string{"ZINC", "BlueNoroff"}, Claims: []graph.Claim{c}}}})
	wantCode(t, err, graph.ECONFLICT)
	if after := counts(ctx, t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("failed writes changed counts %+v -> %+v", before, after)
	}
}

func testInvalid(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	before := counts(ctx, t, s)
	c := refClaim("x")
	for name, b := range map[string]*graph.Batch{
		"no name":            {Nodes: []*graph.Node{{ID: "actor:x", Kind: graph.KindActor}}},
		"unknown kind":       {Nodes: []*graph.Node{{ID: "x:x", Kind: "Planet", Name: "Mars"}}},
		"bad date":           {Nodes: []*graph.Node{{ID: "incident:x", Kind: graph.KindIncident, Name: "X", Date: "2024-13"}}},
		"unsourced edge":     {Edges: []*graph.Edge{{Type: graph.PartOf, From: apt38ID, To: lazarusID}}},
		"bad certainty":      {Edges: []*graph.Edge{edge(graph.PartOf, apt38ID, lazarusID, graph.Claim{SourceID: refSource.ID, Certainty: "sure"})}},
		"self loop":          {Edges: []*graph.Edge{edge(graph.PartOf, apt38ID, apt38ID, c)}},
		"unknown type":       {Edges: []*graph.Edge{edge("LIKES", apt38ID, lazarusID, c)}},
		"state with code":    {Nodes: []*graph.Node{{ID: "state:xx", Kind: graph.KindState, Name: "Nowhere", Code: "XXX"}}},
		"ID of another kind": {Nodes: []*graph.Node{{ID: lazarusID, Kind: graph.KindOrganization, Name: "Lazarus Group", Claims: []graph.Claim{c}}}},
	} {
		_, err := graph.Ingest(ctx, s, b)
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: error %v, want %s", name, err, graph.EINVALID)
		}
		var e *graph.Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Errorf("%s: no message for the user", name)
		}
	}
	if after := counts(ctx, t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("invalid batches changed counts %+v -> %+v", before, after)
	}
}

func testSharedNames(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	// Two articles titled alike, two thefts of the same figure: no conflict, two nodes each.
	a := source("https://one.example/a", "Ronin bridge drained", "One", t1)
	b := source("https://two.example/b", "Ronin bridge drained", "Two", t2)
	amt := graph.Amount{Value: 625e6, Currency: "USD", ValueUSD: usd(625e6), Surface: "about $625 million"}
	c := claim(a, "Another theft of about $625 million.", "", graph.Asserted)
	inc := &graph.Node{ID: "incident:another-theft", Kind: graph.KindIncident, Name: "Another theft", Claims: []graph.Claim{c}}
	money := &graph.Node{ID: graph.AmountID(inc.ID, amt), Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: []graph.Claim{c}}
	before := counts(ctx, t, s)
	ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{a, b, inc, money}, Edges: []*graph.Edge{edge(graph.Stole, inc.ID, money.ID, c)}})
	after := counts(ctx, t, s)
	if after.Nodes[graph.KindSource] != before.Nodes[graph.KindSource]+2 || after.Nodes[graph.KindAmount] != before.Nodes[graph.KindAmount]+1 {
		t.Errorf("counts %+v -> %+v: want two more sources and one more amount", before, after)
	}
}
