package export_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
)

// The test world, written for these tests. It follows public reporting in outline (the
// FBI named TraderTraitor for the February 2025 Bybit theft; the Ronin bridge theft of
// March 2022 was laid at Lazarus Group's door, and an analytics blog only suspected
// APT38), and adds a victim whose names are hostile text, as a scraped page could hold.

const (
	hostileIncident = `Heist "<script>alert('pwned')</script>" & co \ back\slash` + "\nsecond line\ttab 'single' — 龍 🐉"
	hostileVictim   = `=1+2 <img src=x onerror=alert(1)> Exchange`
	hostileQuote    = `\u0041 is not A; they wrote "<script>document.cookie</script>" and '); DROP ALL; //` + "\r\n" + `=cmd|' /C calc'!A0`
)

var (
	tA = time.Date(2025, 2, 27, 9, 30, 0, 0, time.UTC)
	tB = time.Date(2022, 4, 14, 16, 0, 0, 0, time.UTC)
	tC = time.Date(2022, 4, 20, 8, 15, 0, 0, time.UTC)
)

func usd(v float64) *float64 { return &v }

func src(url, title, publisher string, at time.Time) *graph.Node {
	return &graph.Node{ID: graph.NodeID(graph.KindSource, url), Kind: graph.KindSource, Name: title, Title: title,
		URL: url, Publisher: publisher, Published: at, Fetched: at.Add(time.Hour)}
}

func said(s *graph.Node, quote, claimant string, c graph.Certainty) graph.Claim {
	return graph.Claim{SourceID: s.ID, Quote: quote, Claimant: claimant, Certainty: c,
		Confidence: graph.ClaimConfidence(c, claimant), Reported: s.Published}
}

func node(kind graph.NodeKind, name string, c graph.Claim, aliases ...string) *graph.Node {
	n := &graph.Node{Kind: kind, Name: name, Aliases: aliases, Claims: []graph.Claim{c}}
	n.ID = n.DefaultID()
	return n
}

func link(t graph.EdgeType, from, to *graph.Node, claims ...graph.Claim) *graph.Edge {
	return &graph.Edge{Type: t, From: from.ID, To: to.ID, Claims: claims}
}

// world is the test graph; its counts are what every export of "Lazarus Group" at depth
// 3 must hold.
func world() *graph.Batch {
	fbi := src("https://press.example/fbi-bybit", "FBI names TraderTraitor in exchange theft", "Press Example", tA)
	news := src("https://news.example/ronin-drained", "Bridge drained of $625 million", "News Example", tB)
	blog := src("https://chain.example/ronin-who", "Who emptied Ronin? Maybe APT38", "Chain Example", tC)
	hostile := src("https://odd.example/heist?a=1&b=<2>", `Odd "outlet" <b>report</b>`, `<i>Odd</i> & Co`, tC)

	ref := said(news, "North Korea's Lazarus Group is a state-run hacking group.", "", graph.Asserted)
	kp := node(graph.KindState, "North Korea", ref, "DPRK")
	kp.Code, kp.ID = "KP", "state:kp"
	ru := node(graph.KindState, "Russia", said(fbi, "Officials noted closer cyber cooperation between Pyongyang and Moscow.", "", graph.Asserted))
	ru.Code, ru.ID = "RU", "state:ru"
	lazarus := node(graph.KindActor, "Lazarus Group", ref, "Hidden Cobra")
	lazarus.ActorKind = graph.ActorGroup
	lazarus.ExternalIDs = []graph.ExternalID{{System: "mitre-attack", ID: "G0032", URL: "https://attack.mitre.org/groups/G0032/"}}
	apt38 := node(graph.KindActor, "APT38", ref, "BlueNoroff")
	apt38.ActorKind = graph.ActorGroup
	trader := node(graph.KindActor, "TraderTraitor", said(fbi, "The FBI said TraderTraitor took about $1.5 billion.", "FBI", graph.Asserted))
	trader.ActorKind = graph.ActorUnit

	fbiSaid := said(fbi, "The FBI said TraderTraitor took about $1.5 billion from Bybit in February 2025.", "FBI", graph.Asserted)
	bybit := node(graph.KindIncident, "Bybit theft", fbiSaid)
	bybit.Date, bybit.IncidentKind = "2025-02-21", graph.IncidentTheft
	bybitOrg := node(graph.KindOrganization, "Bybit", fbiSaid)
	exchanges := node(graph.KindSector, "Cryptocurrency exchanges", fbiSaid)

	newsSaid := said(news, "Lazarus Group drained about $625 million from the Ronin bridge in March 2022.", "", graph.Asserted)
	blogSaid := said(blog, "Analysts suspect APT38 was behind the Ronin theft.", "analysts", graph.Hedged)
	ronin := node(graph.KindIncident, "Ronin bridge theft", newsSaid, "Ronin")
	ronin.Date, ronin.IncidentKind = "2022-03", graph.IncidentTheft
	roninOrg := node(graph.KindOrganization, "Ronin Network", newsSaid, "Ronin")

	oddSaid := said(hostile, hostileQuote, `"Anonymous" <researcher>`, graph.Hedged)
	odd := node(graph.KindIncident, hostileIncident, oddSaid)
	odd.Date, odd.IncidentKind = "2023", graph.IncidentOther
	odd.Description = "Line one\nline two with a backslash \\ and a quote '"
	oddOrg := node(graph.KindOrganization, hostileVictim, oddSaid)

	amount := func(inc *graph.Node, v float64, surface string, c graph.Claim) *graph.Node {
		a := graph.Amount{Value: v, Currency: "USD", ValueUSD: usd(v), Approximate: true, Surface: surface}
		return &graph.Node{ID: graph.AmountID(inc.ID, a), Kind: graph.KindAmount, Name: surface, Amount: &a, Claims: []graph.Claim{c}}
	}
	bybitUSD := amount(bybit, 1.5e9, "about $1.5 billion", fbiSaid)
	roninUSD := amount(ronin, 625e6, "about $625 million", newsSaid)

	return (&graph.Batch{
		Nodes: []*graph.Node{fbi, news, blog, hostile, kp, ru, lazarus, apt38, trader, bybit, bybitOrg, exchanges,
			ronin, roninOrg, odd, oddOrg, bybitUSD, roninUSD},
		Edges: []*graph.Edge{
			link(graph.SponsoredBy, lazarus, kp, ref),
			link(graph.SponsoredBy, apt38, kp, ref),
			link(graph.PartOf, trader, lazarus, fbiSaid),
			link(graph.CollaboratesWith, kp, ru, said(fbi, "Officials noted closer cyber cooperation between Pyongyang and Moscow.", "", graph.Asserted)),
			link(graph.AttributedTo, bybit, trader, fbiSaid),
			link(graph.Targeted, bybit, bybitOrg, fbiSaid),
			link(graph.InSector, bybitOrg, exchanges, fbiSaid),
			link(graph.Stole, bybit, bybitUSD, fbiSaid),
			link(graph.AttributedTo, ronin, lazarus, newsSaid),
			link(graph.AttributedTo, ronin, apt38, blogSaid),
			link(graph.Targeted, ronin, roninOrg, newsSaid),
			link(graph.Stole, ronin, roninUSD, newsSaid),
			link(graph.AttributedTo, odd, lazarus, oddSaid),
			link(graph.Targeted, odd, oddOrg, oddSaid),
		},
	}).Normalized()
}

// The selection "Lazarus Group" at depth 4 reaches every entity of the world: 14 nodes
// (4 sources aside) and all 14 relations.
const worldNodes, worldEdges, worldDepth = 14, 14, 4

func openWorld(t testing.TB) graph.Store {
	t.Helper()
	ctx := context.Background()
	st, err := embedded.Open(ctx, filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Write(ctx, world()); err != nil {
		t.Fatal(err)
	}
	return st
}
