package extract

import (
	"cmp"
	"slices"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Facts turns what a document says into a batch for graph.Ingest: a Source node for
// the document, a node for each actor, state, incident, victim and sector with the
// sentence that first named it, and an edge for each relation with its evidence,
// claimant and certainty. Stolen amounts become Amount nodes of their incident.
func Facts(src *graph.Node, res *Result) *graph.Batch {
	reported := cmp.Or(src.Published, src.Fetched)
	b := &graph.Batch{Nodes: []*graph.Node{src}}
	claim := func(quote, claimant string, c graph.Certainty) graph.Claim {
		return graph.Claim{SourceID: src.ID, Quote: quote, Claimant: claimant, Certainty: c,
			Confidence: graph.ClaimConfidence(c, claimant), Reported: reported}
	}
	ids := map[*Entity]string{}
	for _, e := range res.Entities {
		n := &graph.Node{Name: e.Name, Claims: []graph.Claim{claim(e.Evidence, "", graph.Asserted)}}
		switch e.Type {
		case "state":
			n.Kind, n.Code = graph.KindState, e.Code
		case "actor":
			n.Kind, n.ActorKind = graph.KindActor, cmp.Or(e.ActorKind, graph.ActorGroup)
		case "incident":
			n.Kind, n.IncidentKind = graph.KindIncident, cmp.Or(e.IncidentKind, graph.IncidentOther)
			if d, err := graph.ParseDate(e.Date); err == nil {
				n.Date = d
			}
		case "organization":
			if e.Role != "victim" {
				continue // attributors are claimants, not nodes of the story
			}
			n.Kind = graph.KindOrganization
		case "sector":
			n.Kind = graph.KindSector
		default:
			continue
		}
		if n.Kind == graph.KindState && len(n.Code) != 2 {
			continue
		}
		n.ID = n.DefaultID()
		ids[e] = n.ID
		b.Nodes = append(b.Nodes, n)
	}
	for _, r := range append(slices.Clone(res.Relations), res.SectorTargets...) {
		from, to := ids[r.fromEnt], ids[r.toEnt]
		if from == "" {
			continue
		}
		var claims []graph.Claim
		for _, sup := range r.support {
			claims = append(claims, claim(sup.quote, sup.claimant, sup.certainty))
		}
		var t graph.EdgeType
		switch r.Type {
		case "ATTRIBUTED_TO":
			t = graph.AttributedTo
		case "AFFILIATED_WITH":
			t = graph.SponsoredBy
			if r.toEnt.Type == "actor" {
				t = graph.PartOf
			}
		case "COLLABORATES_WITH":
			t = graph.CollaboratesWith
		case "TARGETED":
			t = graph.Targeted
		case "STOLE":
			a := graph.Amount{Value: r.amount.Value, Currency: r.amount.Currency, ValueUSD: r.amount.ValueUSD,
				Approximate: r.amount.Approximate, Surface: r.amount.Surface}
			n := &graph.Node{ID: graph.AmountID(from, a), Kind: graph.KindAmount, Name: a.Surface, Amount: &a, Claims: claims}
			b.Nodes = append(b.Nodes, n)
			t, to = graph.Stole, n.ID
		}
		if to == "" || t == "" {
			continue
		}
		b.Edges = append(b.Edges, &graph.Edge{Type: t, From: from, To: to, Claims: claims})
	}
	return b
}

// SourceNode describes a document as a Source node.
func SourceNode(doc Document, fetched time.Time, contentHash string) *graph.Node {
	n := &graph.Node{Kind: graph.KindSource, URL: doc.URL, Name: cmp.Or(doc.Title, doc.URL), Title: doc.Title,
		Publisher: doc.Publisher, Published: doc.Published, Fetched: fetched, ContentHash: contentHash}
	n.ID = n.DefaultID()
	return n
}
