package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// The ledger world is made up for the totals rules: five thefts, each built to exercise
// one of them (which of several reported amounts counts, what an undated or dollarless
// theft counts for, a chain of sponsors, hedged links, sectors reached directly and
// through a victim).
var (
	ledgerDesk  = source("https://ledger.example/desk", "Ledger desk", "Ledger", t0)
	ledgerWire  = source("https://wire.example/ledger", "Ledger wire", "Wire", t0)
	ledgerBlogs = source("https://blog.example/ledger", "Ledger blog", "Blog", t0)
)

const (
	alphaID = "incident:alpha-theft"
	betaID  = "incident:beta-theft"
	gammaID = "incident:gamma-theft"
	deltaID = "incident:delta-theft"
	epsID   = "incident:epsilon-theft"
	vaultID = "sector:vaults"
	mintID  = "sector:mints"
	forgeID = "sector:forges"
)

func ledger() *graph.Batch {
	say := func(src *graph.Node, quote string, c graph.Certainty, confidence float64) graph.Claim {
		cl := claim(src, quote, "", c)
		cl.Confidence = confidence
		return cl
	}
	sure := func(quote string) graph.Claim { return say(ledgerDesk, quote, graph.Asserted, 0.7) }
	maybe := func(quote string) graph.Claim { return say(ledgerDesk, quote, graph.Hedged, 0.35) }
	b := &graph.Batch{Nodes: []*graph.Node{ledgerDesk, ledgerWire, ledgerBlogs}}
	incident := func(id, name string, date graph.Date) {
		b.Nodes = append(b.Nodes, &graph.Node{ID: id, Kind: graph.KindIncident, Name: name, Date: date, IncidentKind: graph.IncidentTheft,
			Claims: []graph.Claim{sure(name + " took place.")}})
	}
	entity := func(kind graph.NodeKind, name string) string {
		n := &graph.Node{Kind: kind, Name: name, Claims: []graph.Claim{sure(name + " exists.")}}
		n.ID = n.DefaultID()
		b.Nodes = append(b.Nodes, n)
		return n.ID
	}
	stole := func(inc string, dollars float64, currency string, claims ...graph.Claim) {
		amt := graph.Amount{Value: dollars, Currency: currency, Surface: "some money"}
		if currency == "USD" {
			amt.ValueUSD = usd(dollars)
		}
		id := graph.AmountID(inc, amt)
		b.Nodes = append(b.Nodes, &graph.Node{ID: id, Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: claims})
		b.Edges = append(b.Edges, edge(graph.Stole, inc, id, claims...))
	}
	link := func(t graph.EdgeType, from, to string, c graph.Claim) {
		b.Edges = append(b.Edges, edge(t, from, to, c))
	}

	vaults, mints, forges := entity(graph.KindSector, "Vaults"), entity(graph.KindSector, "Mints"), entity(graph.KindSector, "Forges")
	keep, press, smithy := entity(graph.KindOrganization, "Keep"), entity(graph.KindOrganization, "Press"), entity(graph.KindOrganization, "Smithy")
	link(graph.InSector, keep, vaults, maybe("Keep may be a vault."))
	link(graph.InSector, press, mints, sure("Press is a mint."))
	link(graph.InSector, smithy, forges, maybe("Smithy may be a forge."))

	// Alpha: the confident $10M counts, not the doubted $90M; its sector is reached
	// both directly and through its victim, and counts it once.
	incident(alphaID, "Alpha theft", "2023-05")
	stole(alphaID, 10e6, "USD", say(ledgerDesk, "Alpha took $10M.", graph.Asserted, 0.9))
	stole(alphaID, 90e6, "USD", say(ledgerBlogs, "Alpha may have taken $90M.", graph.Hedged, 0.5))
	link(graph.AttributedTo, alphaID, traderID, sure("TraderTraitor did Alpha."))
	link(graph.Targeted, alphaID, keep, sure("Alpha hit Keep."))
	link(graph.Targeted, alphaID, vaults, sure("Alpha hit the vaults."))
	// Beta: no dollar value, so it counts nowhere.
	incident(betaID, "Beta theft", "2021")
	stole(betaID, 500, "ETH", sure("Beta took 500 ETH."))
	link(graph.AttributedTo, betaID, lazarusID, sure("Lazarus did Beta."))
	// Gamma: undated and only suspected of APT38.
	incident(gammaID, "Gamma theft", "")
	stole(gammaID, 5e6, "USD", sure("Gamma took $5M."))
	link(graph.AttributedTo, gammaID, apt38ID, maybe("APT38 may have done Gamma."))
	// Delta: two amounts equally confident; the one more sources report counts. It is
	// attributed to North Korea directly and through Lazarus, and counts there once.
	incident(deltaID, "Delta theft", "2024-01-02")
	stole(deltaID, 7e6, "USD", say(ledgerDesk, "Delta took $7M.", graph.Asserted, 0.9), say(ledgerWire, "Delta: $7M.", graph.Asserted, 0.9))
	stole(deltaID, 8e6, "USD", say(ledgerBlogs, "Delta took $8M.", graph.Asserted, 0.99))
	link(graph.AttributedTo, deltaID, northKoreaID, sure("North Korea did Delta."))
	link(graph.AttributedTo, deltaID, lazarusID, sure("Lazarus did Delta."))
	link(graph.Targeted, deltaID, press, sure("Delta hit Press."))
	// Epsilon: two amounts alike in all but size; the larger counts. TraderTraitor is
	// only suspected, Lazarus named.
	incident(epsID, "Epsilon theft", "2024")
	stole(epsID, 3e6, "USD", sure("Epsilon took $3M."))
	stole(epsID, 4e6, "USD", sure("Epsilon took $4M."))
	link(graph.AttributedTo, epsID, traderID, maybe("TraderTraitor may have done Epsilon."))
	link(graph.AttributedTo, epsID, lazarusID, sure("Lazarus did Epsilon."))
	link(graph.Targeted, epsID, smithy, sure("Epsilon hit Smithy."))
	link(graph.Targeted, epsID, "state:us", sure("Epsilon hit the United States."))
	return b
}

func testStolenTotalsRules(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference(), ledger())
	type row struct {
		key, label string
		usd        float64
		incidents  []string
	}
	for _, tc := range []struct {
		name string
		q    graph.TotalsQuery
		want []row
	}{
		{"by year", graph.TotalsQuery{GroupBy: graph.ByYear}, []row{
			{"2024", "2024", 11e6, []string{deltaID, epsID}}, {"2023", "2023", 10e6, []string{alphaID}}}},
		{"from a year", graph.TotalsQuery{GroupBy: graph.ByYear, From: 2024}, []row{{"2024", "2024", 11e6, []string{deltaID, epsID}}}},
		{"to a year", graph.TotalsQuery{GroupBy: graph.ByYear, To: 2023}, []row{{"2023", "2023", 10e6, []string{alphaID}}}},
		{"undated thefts count for states", graph.TotalsQuery{GroupBy: graph.ByState}, []row{
			{northKoreaID, "North Korea", 26e6, []string{alphaID, deltaID, epsID, gammaID}}}},
		{"but not within a period", graph.TotalsQuery{GroupBy: graph.ByState, From: 2020, To: 2030}, []row{
			{northKoreaID, "North Korea", 21e6, []string{alphaID, deltaID, epsID}}}},
		{"asserted links to states", graph.TotalsQuery{GroupBy: graph.ByState, Minimum: graph.Asserted}, []row{
			{northKoreaID, "North Korea", 21e6, []string{alphaID, deltaID, epsID}}}},
		{"by actor, up the parent chain", graph.TotalsQuery{GroupBy: graph.ByActor}, []row{
			{lazarusID, "Lazarus Group", 21e6, []string{alphaID, deltaID, epsID}},
			{traderID, "TraderTraitor", 14e6, []string{alphaID, epsID}},
			{apt38ID, "APT38", 5e6, []string{gammaID}}}},
		{"asserted links to actors", graph.TotalsQuery{GroupBy: graph.ByActor, Minimum: graph.Asserted}, []row{
			{lazarusID, "Lazarus Group", 21e6, []string{alphaID, deltaID, epsID}},
			{traderID, "TraderTraitor", 10e6, []string{alphaID}}}},
		{"by sector, directly and through victims", graph.TotalsQuery{GroupBy: graph.BySector}, []row{
			{vaultID, "Vaults", 10e6, []string{alphaID}}, {mintID, "Mints", 7e6, []string{deltaID}}, {forgeID, "Forges", 4e6, []string{epsID}}}},
		{"asserted links to sectors", graph.TotalsQuery{GroupBy: graph.BySector, Minimum: graph.Asserted}, []row{
			{vaultID, "Vaults", 10e6, []string{alphaID}}, {mintID, "Mints", 7e6, []string{deltaID}}}},
	} {
		got, err := s.StolenTotals(ctx, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var rows []row
		for _, r := range got {
			rows = append(rows, row{r.Key, r.Label, r.USD, r.Incidents})
		}
		if !reflect.DeepEqual(rows, tc.want) {
			t.Errorf("%s: %+v\nwant %+v", tc.name, rows, tc.want)
		}
		// The same figures without the incidents' IDs, only their number.
		q := tc.q
		q.WithoutIncidents = true
		bare, err := s.StolenTotals(ctx, q)
		if err != nil {
			t.Fatalf("%s, without incidents: %v", tc.name, err)
		}
		if len(bare) != len(got) {
			t.Fatalf("%s, without incidents: %d totals, want %d", tc.name, len(bare), len(got))
		}
		for i, b := range bare {
			if w := tc.want[i]; b.Key != w.key || b.Label != w.label || b.USD != w.usd || b.Count != len(w.incidents) || len(b.Incidents) != 0 {
				t.Errorf("%s, without incidents: %+v, want %s %s %v counting %d, no IDs", tc.name, *b, w.key, w.label, w.usd, len(w.incidents))
			}
		}
		for i, g := range got {
			if g.Count != len(g.Incidents) {
				t.Errorf("%s: total %d counts %d incidents but lists %d", tc.name, i, g.Count, len(g.Incidents))
			}
		}
	}
}
