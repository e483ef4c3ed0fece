package export_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
)

func TestBadSelectionsAreRefusedClearly(t *testing.T) {
	st := openWorld(t)
	for _, tc := range []struct {
		name string
		sel  export.Selection
		code string
		says string
	}{
		{"nothing selected", export.Selection{}, graph.EINVALID, "nothing selected"},
		{"depth too large", export.Selection{Seeds: []string{"Lazarus Group"}, Depth: 7}, graph.EINVALID, "the maximum is 6"},
		{"negative depth", export.Selection{Seeds: []string{"Lazarus Group"}, Depth: -1}, graph.EINVALID, "want 0 to 6"},
		{"depth without a seed", export.Selection{IDs: []string{"state:kp"}, Depth: 2}, graph.EINVALID, "needs a seed"},
		{"unknown seed name", export.Selection{Seeds: []string{"Fancy Panda"}, Depth: 1}, graph.ENOTFOUND, `"Fancy Panda"`},
		{"unknown ID", export.Selection{IDs: []string{"state:kp", "actor:nobody"}}, graph.ENOTFOUND, `"actor:nobody"`},
		{"ambiguous name", export.Selection{Seeds: []string{"Ronin"}}, graph.EINVALID, "ambiguous"},
		{"unknown kind", export.Selection{Seeds: []string{"DPRK"}, Kinds: []graph.NodeKind{"Planet"}}, graph.EINVALID, `"Planet"`},
		{"malformed date", export.Selection{Seeds: []string{"DPRK"}, From: "2024-13"}, graph.EINVALID, "2024-13"},
		{"period backwards", export.Selection{Seeds: []string{"DPRK"}, From: "2024", To: "2023"}, graph.EINVALID, "ends before it starts"},
		{"confidence above 1", export.Selection{Seeds: []string{"DPRK"}, MinConfidence: 1.5}, graph.EINVALID, "want 0 to 1"},
		{"bad certainty", export.Selection{Seeds: []string{"DPRK"}, MinCertainty: "rumoured"}, graph.EINVALID, "rumoured"},
		{"too many nodes", export.Selection{Seeds: []string{"Lazarus Group"}, Depth: 4, Limit: 5}, graph.EINVALID, "more than 5 nodes"},
		{"empty result", export.Selection{IDs: []string{"state:kp", "state:ru"}, Kinds: []graph.NodeKind{graph.KindIncident}}, graph.ENOTFOUND, "passes its filters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range export.Formats {
				var out strings.Builder
				_, err := export.Write(context.Background(), st, tc.sel, f, &out)
				if graph.ErrorCode(err) != tc.code || !strings.Contains(graph.ErrorMessage(err), tc.says) {
					t.Fatalf("%s: got %v (%s), want %s saying %q", f, err, graph.ErrorCode(err), tc.code, tc.says)
				}
				if out.Len() > 0 {
					t.Fatalf("%s: a refused selection wrote %d bytes", f, out.Len())
				}
			}
		})
	}
}

func ids(t *testing.T, st graph.Store, sel export.Selection) []string {
	t.Helper()
	g, err := export.Resolve(context.Background(), st, sel)
	if err != nil {
		t.Fatal(err)
	}
	return g.IDs
}

func TestSelectionsPickWhatTheySay(t *testing.T) {
	st := openWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		sel       export.Selection
		want      []string
		edgeCount int
	}{
		{"a seed by alias, depth 0", export.Selection{Seeds: []string{"hidden cobra"}}, []string{"actor:lazarus-group"}, 0},
		{"a seed by ID, one hop", export.Selection{Seeds: []string{"state:kp"}, Depth: 1},
			[]string{"actor:apt38", "actor:lazarus-group", "state:kp", "state:ru"}, 3},
		{"explicit IDs, as they are", export.Selection{IDs: []string{"incident:bybit-theft", "actor:tradertraitor", "state:kp"}},
			[]string{"actor:tradertraitor", "incident:bybit-theft", "state:kp"}, 1},
		{"only incidents and actors", export.Selection{Seeds: []string{"Lazarus Group"}, Depth: 4, Kinds: []graph.NodeKind{graph.KindIncident, graph.KindActor}},
			[]string{"actor:apt38", "actor:lazarus-group", "actor:tradertraitor", "incident:bybit-theft", "incident:ronin-bridge-theft", "incident:" + graph.Slug(hostileIncident)}, 5},
		{"incidents of 2022 only", export.Selection{Seeds: []string{"Lazarus Group"}, Depth: 1, From: "2022", To: "2022-12"},
			[]string{"actor:lazarus-group", "actor:tradertraitor", "incident:ronin-bridge-theft", "state:kp"}, 3},
		// Hedged attributions dropped: APT38 is reached only through its sponsor.
		{"asserted only", export.Selection{Seeds: []string{"Ronin bridge theft"}, Depth: 1, MinCertainty: graph.Asserted},
			[]string{"actor:lazarus-group", "amount:ronin-bridge-theft:625000000-usd", "incident:ronin-bridge-theft", "org:ronin-network"}, 3},
		{"confidence at least 0.5", export.Selection{Seeds: []string{"Ronin bridge theft"}, Depth: 1, MinConfidence: 0.5},
			[]string{"actor:lazarus-group", "amount:ronin-bridge-theft:625000000-usd", "incident:ronin-bridge-theft", "org:ronin-network"}, 3},
		{"only attributions", export.Selection{Seeds: []string{"Ronin bridge theft"}, Depth: 2, EdgeTypes: []graph.EdgeType{graph.AttributedTo}},
			[]string{"actor:apt38", "actor:lazarus-group", "incident:" + graph.Slug(hostileIncident), "incident:ronin-bridge-theft"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := export.Resolve(ctx, st, tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(tc.want)
			if !slices.Equal(g.IDs, tc.want) {
				t.Fatalf("nodes:\n got %q\nwant %q", g.IDs, tc.want)
			}
			n, err := g.CountEdges(ctx, st)
			if err != nil || n != tc.edgeCount {
				t.Fatalf("edges: got %d (%v), want %d", n, err, tc.edgeCount)
			}
		})
	}
	if got := ids(t, st, export.Selection{Seeds: []string{"Lazarus Group"}, Depth: worldDepth}); len(got) != worldNodes {
		t.Fatalf("the whole world: %d nodes, want %d", len(got), worldNodes)
	}
}

func TestQueryParametersRoundTrip(t *testing.T) {
	sel := export.Selection{Seeds: []string{"Lazarus Group", "A, B & C"}, IDs: []string{"state:kp"}, Depth: 2,
		Kinds: []graph.NodeKind{graph.KindIncident}, EdgeTypes: []graph.EdgeType{graph.AttributedTo}, From: "2022", To: "2024-06-30",
		MinCertainty: graph.Asserted, MinConfidence: 0.5, Limit: 100, Cut: true}
	got, f, err := export.ParseQuery(export.Query(sel, export.STIX))
	if err != nil || f != export.STIX {
		t.Fatal(f, err)
	}
	if !slices.Equal(got.Seeds, sel.Seeds) || !slices.Equal(got.IDs, sel.IDs) || got.Depth != 2 || !slices.Equal(got.Kinds, sel.Kinds) ||
		!slices.Equal(got.EdgeTypes, sel.EdgeTypes) || got.From != sel.From || got.To != sel.To || got.MinCertainty != sel.MinCertainty ||
		got.MinConfidence != 0.5 || got.Limit != 100 || !got.Cut {
		t.Fatalf("got %+v, want %+v", got, sel)
	}
	for _, q := range []string{"format=pdf", "depth=two", "kind=planet", "type=LIKES", "minConfidence=high", "colour=red", "cut=maybe"} {
		vals, _ := url.ParseQuery(q)
		if _, _, err := export.ParseQuery(vals); graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", q, err)
		}
	}
}

// A selection past its limit is refused, unless it asks to be cut: then it keeps the
// nodes nearest the seeds, the seeds first, and says it was cut.
func TestCutKeepsTheNearestAndSaysSo(t *testing.T) {
	st := openWorld(t)
	ctx := context.Background()
	sel := export.Selection{Seeds: []string{"Lazarus Group"}, Depth: worldDepth, Limit: 4}
	if _, err := export.Resolve(ctx, st, sel); graph.ErrorCode(err) != graph.EINVALID || !strings.Contains(graph.ErrorMessage(err), "more than 4 nodes") {
		t.Fatalf("without cut: got %v, want EINVALID saying more than 4 nodes", err)
	}
	sel.Cut = true
	g, err := export.Resolve(ctx, st, sel)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 4 || !g.Cut || !g.Has("actor:lazarus-group") {
		t.Fatalf("cut: got %v (cut %v), want 4 nodes with the seed, cut", g.IDs, g.Cut)
	}
	whole, err := export.Resolve(ctx, st, export.Selection{Seeds: []string{"Lazarus Group"}, Depth: worldDepth})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing left out is nearer than something kept.
	far := 0
	for _, id := range g.IDs {
		far = max(far, g.Hops(id))
	}
	for _, id := range whole.IDs {
		if !g.Has(id) && whole.Hops(id) < far {
			t.Errorf("%s (%d hops) was left out, but a node %d hops away was kept", id, whole.Hops(id), far)
		}
	}
	// A selection within its limit is not cut.
	sel.Limit = 0
	if g, err := export.Resolve(ctx, st, sel); err != nil || g.Cut || g.Len() != worldNodes {
		t.Fatalf("within the limit: %v nodes, cut %v, err %v; want %d, not cut", g, g != nil && g.Cut, err, worldNodes)
	}
}
