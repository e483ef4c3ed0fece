// Package storetest is the conformance suite every graph.Store passes. A store's test
// calls RunConformanceTests with a Harness that hands out empty stores; each subtest
// starts from nothing, so the suite reads like a list of promises the Store makes.
package storetest

import (
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// The test world below is written for these tests. Its facts follow public reporting:
// the FBI attributed the February 2025 Bybit theft (about $1.5 billion) to TraderTraitor
// (https://www.ic3.gov/PSA/2025/PSA250226), and the US Treasury linked the March 2022
// Ronin bridge theft (about $625 million) to Lazarus Group
// (https://home.treasury.gov/news/press-releases/jy0768).

var (
	t0 = time.Date(2025, 2, 27, 9, 30, 0, 0, time.UTC)
	t1 = time.Date(2022, 4, 15, 12, 0, 0, 0, time.UTC)
	t2 = time.Date(2022, 4, 20, 8, 0, 0, 0, time.UTC)
)

func usd(v float64) *float64 { return &v }

func source(url, title, publisher string, published time.Time) *graph.Node {
	return &graph.Node{
		ID: graph.NodeID(graph.KindSource, url), Kind: graph.KindSource, Name: title, URL: url,
		Title: title, Publisher: publisher, Published: published, Fetched: published.Add(time.Hour),
		ContentHash: "sha256:" + graph.Slug(title),
	}
}

var (
	refSource  = source("https://cyberkg.example/reference", "cyberkg reference knowledge", "cyberkg", t1.Add(-24*time.Hour))
	fbiSource  = source("https://news.example/bybit-fbi", "FBI names TraderTraitor for Bybit theft", "Example News", t0)
	roninNews  = source("https://news.example/ronin", "Ronin bridge drained", "Other Outlet", t1)
	roninOther = source("https://blog.example/ronin-apt38", "Ronin: an APT38 job?", "Chain Blog", t2)
)

func claim(src *graph.Node, quote, claimant string, c graph.Certainty) graph.Claim {
	return graph.Claim{
		SourceID: src.ID, Quote: quote, Claimant: claimant, Certainty: c,
		Confidence: graph.ClaimConfidence(c, claimant), Reported: src.Published,
	}
}

func refClaim(quote string) graph.Claim { return claim(refSource, quote, "cyberkg", graph.Asserted) }

func state(code, name string, aliases ...string) *graph.Node {
	return &graph.Node{Kind: graph.KindState, Code: code, Name: name, Aliases: aliases,
		Claims: []graph.Claim{refClaim(name + " is a state.")}}
}

func actor(name string, aliases ...string) *graph.Node {
	return &graph.Node{Kind: graph.KindActor, ActorKind: graph.ActorGroup, Name: name, Aliases: aliases,
		Claims: []graph.Claim{refClaim(name + " is a threat actor.")}}
}

func edge(t graph.EdgeType, from, to string, claims ...graph.Claim) *graph.Edge {
	return &graph.Edge{Type: t, From: from, To: to, Claims: claims}
}

// reference is the background knowledge: states, actors and their ties.
func reference() *graph.Batch {
	kp := state("KP", "North Korea", "DPRK", "North Korean", "Pyongyang")
	ru := state("RU", "Russia", "Russian", "Moscow")
	us := state("US", "United States", "American")
	lazarus := actor("Lazarus Group", "Hidden Cobra", "ZINC", "Diamond Sleet")
	lazarus.ExternalIDs = []graph.ExternalID{{System: "mitre-attack", ID: "G0032", URL: "https://attack.mitre.org/groups/G0032/"}}
	apt38 := actor("APT38", "BlueNoroff", "Stardust Chollima")
	trader := actor("TraderTraitor", "Jade Sleet", "UNC4899")
	nodes := []*graph.Node{refSource, kp, ru, us, lazarus, apt38, trader}
	for _, n := range nodes {
		n.ID = n.DefaultID()
	}
	return &graph.Batch{
		Nodes: nodes,
		Edges: []*graph.Edge{
			edge(graph.SponsoredBy, lazarus.ID, kp.ID, refClaim("Lazarus Group is sponsored by North Korea.")),
			edge(graph.SponsoredBy, apt38.ID, kp.ID, refClaim("APT38 is sponsored by North Korea.")),
			edge(graph.PartOf, trader.ID, lazarus.ID, refClaim("TraderTraitor is part of Lazarus Group.")),
		},
	}
}

const (
	bybitQuote   = "The FBI said TraderTraitor carried out the theft of about $1.5 billion from Bybit in February 2025."
	collabQuote  = "Officials described growing cooperation between North Korea and Russia."
	roninQuote   = "Lazarus Group drained about $625 million from the Ronin bridge in March 2022."
	apt38Quote   = "Analysts suspect APT38 was behind the Ronin theft."
	bybitIncID   = "incident:bybit-hack"
	roninIncID   = "incident:ronin-bridge-hack"
	lazarusID    = "actor:lazarus-group"
	apt38ID      = "actor:apt38"
	traderID     = "actor:tradertraitor"
	northKoreaID = "state:kp"
	russiaID     = "state:ru"
)

// bybit is what one article said about the Bybit theft, with names as the article
// wrote them: the store must resolve "Jade Sleet" to TraderTraitor.
func bybit() *graph.Batch {
	c := claim(fbiSource, bybitQuote, "FBI", graph.Asserted)
	amt := graph.Amount{Value: 1.5e9, Currency: "USD", ValueUSD: usd(1.5e9), Approximate: true, Surface: "about $1.5 billion"}
	inc := &graph.Node{Kind: graph.KindIncident, Name: "Bybit hack", IncidentKind: graph.IncidentTheft, Date: "2025-02", Claims: []graph.Claim{c}}
	trader := &graph.Node{Kind: graph.KindActor, Name: "TraderTraitor", Claims: []graph.Claim{c}}
	victim := &graph.Node{Kind: graph.KindOrganization, Name: "Bybit", Claims: []graph.Claim{c}}
	sector := &graph.Node{Kind: graph.KindSector, Name: "Cryptocurrency exchange", Claims: []graph.Claim{c}}
	kp := &graph.Node{Kind: graph.KindState, Code: "KP", Name: "North Korea", Claims: []graph.Claim{claim(fbiSource, collabQuote, "", graph.Asserted)}}
	ru := &graph.Node{Kind: graph.KindState, Code: "RU", Name: "Russia", Claims: []graph.Claim{claim(fbiSource, collabQuote, "", graph.Asserted)}}
	for _, n := range []*graph.Node{inc, trader, victim, sector, kp, ru} {
		n.ID = n.DefaultID()
	}
	money := &graph.Node{ID: graph.AmountID(inc.ID, amt), Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: []graph.Claim{c}}
	return &graph.Batch{
		Nodes: []*graph.Node{fbiSource, inc, trader, victim, sector, money, kp, ru},
		Edges: []*graph.Edge{
			edge(graph.AttributedTo, inc.ID, trader.ID, c),
			edge(graph.Targeted, inc.ID, victim.ID, c),
			edge(graph.Targeted, inc.ID, sector.ID, c),
			edge(graph.Stole, inc.ID, money.ID, c),
			edge(graph.CollaboratesWith, ru.ID, kp.ID, claim(fbiSource, collabQuote, "", graph.Asserted)),
		},
	}
}

// ronin is two outlets on the Ronin theft: one blames Lazarus Group (plainly), the other
// suspects APT38. Both claims must be kept.
func ronin() []*graph.Batch {
	c := claim(roninNews, roninQuote, "", graph.Asserted)
	amt := graph.Amount{Value: 625e6, Currency: "USD", ValueUSD: usd(625e6), Approximate: true, Surface: "about $625 million"}
	inc := &graph.Node{ID: roninIncID, Kind: graph.KindIncident, Name: "Ronin bridge hack", IncidentKind: graph.IncidentTheft, Date: "2022-03", Claims: []graph.Claim{c}}
	money := &graph.Node{ID: graph.AmountID(roninIncID, amt), Kind: graph.KindAmount, Name: amt.Surface, Amount: &amt, Claims: []graph.Claim{c}}
	lazarus := &graph.Node{ID: lazarusID, Kind: graph.KindActor, Name: "Lazarus Group", Claims: []graph.Claim{c}}
	h := claim(roninOther, apt38Quote, "analysts", graph.Hedged)
	inc2 := &graph.Node{ID: roninIncID, Kind: graph.KindIncident, Name: "Ronin bridge hack", IncidentKind: graph.IncidentTheft, Date: "2022-03-23", Claims: []graph.Claim{h}}
	apt38 := &graph.Node{ID: apt38ID, Kind: graph.KindActor, Name: "APT38", Claims: []graph.Claim{h}}
	return []*graph.Batch{
		{
			Nodes: []*graph.Node{roninNews, inc, money, lazarus},
			Edges: []*graph.Edge{edge(graph.AttributedTo, roninIncID, lazarusID, c), edge(graph.Stole, roninIncID, money.ID, c)},
		},
		{
			Nodes: []*graph.Node{roninOther, inc2, apt38},
			Edges: []*graph.Edge{edge(graph.AttributedTo, roninIncID, apt38ID, h)},
		},
	}
}
