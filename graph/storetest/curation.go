package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

func audit(action graph.AuditAction, why string) *graph.AuditEntry {
	return graph.NewAuditEntry(time.Now(), "alice", "editor", action, why)
}

// gop is a second node for Lazarus Group, as a careless import might make it: its own
// name and alias, an incident, a sponsor shared with Lazarus, and a tie to Lazarus.
func gop() *graph.Batch {
	src := source("https://news.example/sony", "Sony Pictures hacked", "Example News", time.Date(2014, 12, 19, 0, 0, 0, 0, time.UTC))
	c := claim(src, "The FBI said Guardians of Peace, also called WhoIsHackingTeam, hacked Sony Pictures.", "FBI", graph.Asserted)
	actor := &graph.Node{ID: "actor:guardians-of-peace", Kind: graph.KindActor, Name: "Guardians of Peace", Aliases: []string{"WhoIsHackingTeam"},
		Description: "Claimed the Sony Pictures hack.", Claims: []graph.Claim{c}}
	inc := &graph.Node{ID: "incident:sony-pictures-hack", Kind: graph.KindIncident, Name: "Sony Pictures hack", IncidentKind: graph.IncidentSabotage, Date: "2014-11", Claims: []graph.Claim{c}}
	return &graph.Batch{
		Nodes: []*graph.Node{src, actor, inc},
		Edges: []*graph.Edge{
			edge(graph.AttributedTo, inc.ID, actor.ID, c),
			edge(graph.SponsoredBy, actor.ID, northKoreaID, c),
			edge(graph.PartOf, actor.ID, lazarusID, c),
		},
	}
}

const gopID = "actor:guardians-of-peace"

func testMerge(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	ingest(ctx, t, s, gop())
	before := counts(ctx, t, s)
	a := audit(graph.AuditMerge, "Guardians of Peace is a Lazarus Group persona.")
	a.Subjects = []string{lazarusID, gopID}
	sum, err := s.Merge(ctx, graph.MergeRequest{Keep: lazarusID, Drop: gopID, Audit: a})
	if err != nil {
		t.Fatal(err)
	}
	// Three edges left Guardians of Peace: the attribution moved, the sponsorship
	// joined Lazarus's own, and the tie to Lazarus went.
	if want := (graph.Summary{NodesUpdated: 1, NodesRemoved: 1, EdgesRemoved: 3, EdgesCreated: 1, EdgesUpdated: 1}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if _, err := s.Node(ctx, gopID); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("the dropped node is still there: %v", err)
	}
	lz := node(ctx, t, s, lazarusID)
	for _, name := range []string{"Guardians of Peace", "WhoIsHackingTeam", "Hidden Cobra"} {
		if !slices.Contains(lz.Aliases, name) {
			t.Errorf("aliases %v: %q missing", lz.Aliases, name)
		}
	}
	if lz.Name != "Lazarus Group" || lz.Description != "Claimed the Sony Pictures hack." || !slices.Contains(lz.Sources(), gop().Nodes[0].ID) {
		t.Errorf("merged node %+v", lz)
	}
	if got, _ := s.Resolve(ctx, graph.KindActor, []string{"Guardians of Peace", "WhoIsHackingTeam"}); got["guardians of peace"] != lazarusID || got["whoishackingteam"] != lazarusID {
		t.Errorf("the dropped names resolve to %v", got)
	}
	if got, _ := s.Search(ctx, graph.SearchQuery{Text: "guardians of peace"}); len(got) == 0 || got[0].ID != lazarusID {
		t.Errorf("search for a dropped name: %v", ids(got))
	}
	edges, _ := s.Edges(ctx, graph.EdgeFilter{Ends: []string{lazarusID}})
	want := []string{
		graph.EdgeID(graph.AttributedTo, roninIncID, lazarusID),
		graph.EdgeID(graph.AttributedTo, "incident:sony-pictures-hack", lazarusID),
		graph.EdgeID(graph.PartOf, traderID, lazarusID),
		graph.EdgeID(graph.SponsoredBy, lazarusID, northKoreaID),
	}
	if got := ids(edges); !slices.Equal(got, want) {
		t.Errorf("edges of Lazarus %v, want %v", got, want)
	}
	for _, e := range edges {
		if e.Type == graph.SponsoredBy && len(e.Sources()) != 2 {
			t.Errorf("sponsorship sources %v: want the reference's and the Sony article's", e.Sources())
		}
	}
	after := counts(ctx, t, s)
	if after.Nodes[graph.KindActor] != before.Nodes[graph.KindActor]-1 || after.TotalEdges() != before.TotalEdges()-2 {
		t.Errorf("counts %+v -> %+v", before, after)
	}
	log, err := s.AuditLog(ctx, graph.AuditQuery{Subject: gopID, Page: graph.Page{First: 5}})
	if err != nil || len(log.Items) != 1 {
		t.Fatalf("audit of the merge: %v, %v", log, err)
	}
	if e := log.Items[0]; e.ID != a.ID || e.Who != "alice" || e.Why != a.Why || e.Changes != sum || !strings.Contains(e.Detail, "WhoIsHackingTeam") {
		t.Errorf("audit entry %+v", e)
	}

	for name, tc := range map[string]struct {
		keep, drop, code string
	}{
		"into itself":     {lazarusID, lazarusID, graph.EINVALID},
		"an unknown node": {lazarusID, "actor:nobody", graph.ENOTFOUND},
		"into nothing":    {"actor:nobody", apt38ID, graph.ENOTFOUND},
		"across kinds":    {lazarusID, northKoreaID, graph.ECONFLICT},
		"sources":         {fbiSource.ID, roninNews.ID, graph.EINVALID},
	} {
		_, err := s.Merge(ctx, graph.MergeRequest{Keep: tc.keep, Drop: tc.drop, Audit: audit(graph.AuditMerge, "test")})
		if graph.ErrorCode(err) != tc.code {
			t.Errorf("merge %s: %v, want %s", name, err, tc.code)
		}
	}
	if log, _ := s.AuditLog(ctx, graph.AuditQuery{Page: graph.Page{First: 10, Count: true}}); log.Total != 1 {
		t.Errorf("failed merges were audited: %d entries", log.Total)
	}
}

func testRetractClaim(ctx context.Context, t *testing.T, s graph.Store) {
	world(ctx, t, s)
	// A second claim on the Lazarus attribution, so that retracting one leaves the edge.
	second := claim(roninOther, "Lazarus Group also took part, the blog said.", "", graph.Hedged)
	ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{roninOther}, Edges: []*graph.Edge{edge(graph.AttributedTo, roninIncID, lazarusID, second)}})
	lazarusEdge := graph.EdgeID(graph.AttributedTo, roninIncID, lazarusID)
	apt38Edge := graph.EdgeID(graph.AttributedTo, roninIncID, apt38ID)

	a := audit(graph.AuditRetractClaim, "The blog withdrew the post.")
	sum, err := s.RetractClaim(ctx, graph.ClaimRetraction{Edge: lazarusEdge, Source: roninOther.ID, Audit: a})
	if err != nil {
		t.Fatal(err)
	}
	if sum != (graph.Summary{EdgesUpdated: 1}) {
		t.Errorf("summary %+v, want one edge updated", sum)
	}
	edges, _ := s.Edges(ctx, graph.EdgeFilter{From: []string{roninIncID}, Types: []graph.EdgeType{graph.AttributedTo}})
	for _, e := range edges {
		if e.ID == lazarusEdge && (len(e.Claims) != 1 || e.Claims[0].Quote != roninQuote || e.Confidence != graph.AggregateConfidence(e.Claims)) {
			t.Errorf("Lazarus attribution after retraction: %+v", e)
		}
	}
	if !strings.Contains(a.Detail, "also took part") || a.Changes != sum {
		t.Errorf("audit detail %q changes %+v", a.Detail, a.Changes)
	}

	// The APT38 attribution had one claim: retracting it (by quote) deletes the edge.
	sum, err = s.RetractClaim(ctx, graph.ClaimRetraction{Edge: apt38Edge, Source: roninOther.ID, Quote: apt38Quote, Audit: audit(graph.AuditRetractClaim, "Unfounded.")})
	if err != nil || sum != (graph.Summary{EdgesRemoved: 1}) {
		t.Errorf("retract the only claim: %+v, %v", sum, err)
	}
	if edges, _ := s.Edges(ctx, graph.EdgeFilter{From: []string{roninIncID}, To: []string{apt38ID}}); len(edges) != 0 {
		t.Errorf("an edge without a claim survived: %v", ids(edges))
	}
	// A node's claim: the incident keeps its edges, so it stays, with one source fewer.
	sum, err = s.RetractClaim(ctx, graph.ClaimRetraction{Node: roninIncID, Source: roninOther.ID, Audit: audit(graph.AuditRetractClaim, "Unfounded.")})
	if err != nil || sum != (graph.Summary{NodesUpdated: 1}) {
		t.Errorf("retract a node's claim: %+v, %v", sum, err)
	}
	if inc := node(ctx, t, s, roninIncID); !slices.Equal(inc.Sources(), []string{roninNews.ID}) {
		t.Errorf("Ronin sources %v", inc.Sources())
	}
	// A node left with no claim and no edge goes.
	ingest(ctx, t, s, &graph.Batch{Nodes: []*graph.Node{roninOther, {ID: "org:lonely", Kind: graph.KindOrganization, Name: "Lonely Org",
		Claims: []graph.Claim{claim(roninOther, "Lonely Org was mentioned.", "", graph.Hedged)}}}})
	sum, err = s.RetractClaim(ctx, graph.ClaimRetraction{Node: "org:lonely", Source: roninOther.ID, Audit: audit(graph.AuditRetractClaim, "Noise.")})
	if err != nil || sum != (graph.Summary{NodesRemoved: 1}) {
		t.Errorf("retract a lone node's only claim: %+v, %v", sum, err)
	}
	if _, err := s.Node(ctx, "org:lonely"); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("lone node survived: %v", err)
	}
	if got, _ := s.Resolve(ctx, graph.KindOrganization, []string{"Lonely Org"}); len(got) != 0 {
		t.Errorf("its name survived: %v", got)
	}

	before := counts(ctx, t, s)
	for name, tc := range map[string]struct {
		r    graph.ClaimRetraction
		code string
	}{
		"an unknown edge":          {graph.ClaimRetraction{Edge: graph.EdgeID(graph.PartOf, apt38ID, traderID), Source: refSource.ID}, graph.ENOTFOUND},
		"a malformed edge ID":      {graph.ClaimRetraction{Edge: "not an edge", Source: refSource.ID}, graph.ENOTFOUND},
		"an unknown node":          {graph.ClaimRetraction{Node: "actor:nobody", Source: refSource.ID}, graph.ENOTFOUND},
		"a claim it does not hold": {graph.ClaimRetraction{Edge: lazarusEdge, Source: fbiSource.ID}, graph.ENOTFOUND},
		"another quote":            {graph.ClaimRetraction{Edge: lazarusEdge, Source: roninNews.ID, Quote: "not said"}, graph.ENOTFOUND},
		"both edge and node":       {graph.ClaimRetraction{Edge: lazarusEdge, Node: roninIncID, Source: roninNews.ID}, graph.EINVALID},
		"no source":                {graph.ClaimRetraction{Edge: lazarusEdge}, graph.EINVALID},
		"no reason":                {graph.ClaimRetraction{Edge: lazarusEdge, Source: roninNews.ID, Audit: audit(graph.AuditRetractClaim, " ")}, graph.EINVALID},
		"an unknown source":        {graph.ClaimRetraction{Source: "source:0000"}, graph.ENOTFOUND},
		"a quote on nothing":       {graph.ClaimRetraction{Source: roninNews.ID, Quote: roninQuote}, graph.EINVALID},
	} {
		tc.r.Audit = cmpOrAudit(tc.r.Audit)
		if _, err := s.RetractClaim(ctx, tc.r); graph.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if after := counts(ctx, t, s); after.TotalEdges() != before.TotalEdges() || after.TotalNodes() != before.TotalNodes() {
		t.Errorf("failed retractions changed counts %+v -> %+v", before, after)
	}
	if log, _ := s.AuditLog(ctx, graph.AuditQuery{Action: graph.AuditRetractClaim, Page: graph.Page{First: 10, Count: true}}); log.Total != 4 {
		t.Errorf("%d retractions audited, want the 4 that happened", log.Total)
	}
	// Everything a source said, as RemoveSource, audited: the Ronin theft had no other
	// report left.
	whole := audit(graph.AuditRemoveSource, "The outlet retracted the story.")
	sum, err = s.RetractClaim(ctx, graph.ClaimRetraction{Source: roninNews.ID, Audit: whole})
	if err != nil || sum.NodesRemoved < 2 || whole.Changes != sum {
		t.Errorf("retract a whole source: %+v, %v", sum, err)
	}
	for _, id := range []string{roninNews.ID, roninIncID} {
		if _, err := s.Node(ctx, id); graph.ErrorCode(err) != graph.ENOTFOUND {
			t.Errorf("%s survived the retraction of its source: %v", id, err)
		}
	}
}

func cmpOrAudit(a *graph.AuditEntry) *graph.AuditEntry {
	if a != nil {
		return a
	}
	return audit(graph.AuditRetractClaim, "test")
}

func testAuditTrail(ctx context.Context, t *testing.T, s graph.Store) {
	ingest(ctx, t, s, reference())
	var want []string
	for i, who := range []string{"alice", "bob", "alice"} {
		a := graph.NewAuditEntry(time.Date(2025, 3, 1, 12, 0, i, 0, time.UTC), who, "editor", graph.AuditAddClaim, "Reported by a second outlet.")
		a.What = "added a claim"
		a.Subjects = []string{lazarusID, "source:" + string(rune('a'+i))}
		c := refClaim("Lazarus Group is sponsored by North Korea, again " + strings.Repeat("!", i+1))
		sum, err := s.Write(ctx, &graph.Batch{Edges: []*graph.Edge{edge(graph.SponsoredBy, lazarusID, northKoreaID, c)}, Audit: a})
		if err != nil {
			t.Fatal(err)
		}
		if a.Changes != sum || sum.EdgesUpdated != 1 {
			t.Errorf("entry changes %+v, write %+v", a.Changes, sum)
		}
		want = append([]string{a.ID}, want...) // newest first
	}
	// An entry alone (a change that changed nothing is still a curator's act).
	alone := graph.NewAuditEntry(time.Date(2025, 3, 1, 13, 0, 0, 0, time.UTC), "carol", "admin", graph.AuditIngestURL, "Checking a report.")
	if _, err := s.Write(ctx, &graph.Batch{Audit: alone}); err != nil {
		t.Fatal(err)
	}
	want = append([]string{alone.ID}, want...)
	got := pages(t, 2, func(p graph.Page) (*graph.Results[*graph.AuditEntry], error) {
		return s.AuditLog(ctx, graph.AuditQuery{Page: p})
	}, func(a *graph.AuditEntry) string { return a.ID })
	if !slices.Equal(got, want) {
		t.Errorf("audit log %v, want %v", got, want)
	}
	for name, tc := range map[string]struct {
		q    graph.AuditQuery
		want int
	}{
		"by alice":              {graph.AuditQuery{Who: "alice"}, 2},
		"ingests":               {graph.AuditQuery{Action: graph.AuditIngestURL}, 1},
		"about source:b":        {graph.AuditQuery{Subject: "source:b"}, 1},
		"about Lazarus, by bob": {graph.AuditQuery{Subject: lazarusID, Who: "bob"}, 1},
		"by nobody":             {graph.AuditQuery{Who: "mallory"}, 0},
	} {
		tc.q.Page = graph.Page{First: 10, Count: true}
		r, err := s.AuditLog(ctx, tc.q)
		if err != nil || r.Total != tc.want || len(r.Items) != tc.want {
			t.Errorf("%s: %d entries (total %d), %v; want %d", name, len(r.Items), r.Total, err, tc.want)
		}
	}
	r, _ := s.AuditLog(ctx, graph.AuditQuery{Who: "bob", Page: graph.Page{First: 1}})
	e := r.Items[0]
	data, _ := json.Marshal(e)
	if e.Who != "bob" || e.Role != "editor" || e.What != "added a claim" || !e.At.Equal(time.Date(2025, 3, 1, 12, 0, 1, 0, time.UTC)) || len(e.Subjects) != 2 {
		t.Errorf("entry round trip: %s", data)
	}
	// An entry without a reason is refused, and the change with it.
	before := counts(ctx, t, s)
	bad := graph.NewAuditEntry(time.Now(), "alice", "editor", graph.AuditAddClaim, "")
	nameless := actor("Nameless")
	nameless.ID = nameless.DefaultID()
	_, err := s.Write(ctx, &graph.Batch{Nodes: []*graph.Node{nameless}, Audit: bad})
	wantCode(t, err, graph.EINVALID)
	if after := counts(ctx, t, s); after.TotalNodes() != before.TotalNodes() {
		t.Errorf("an unaudited write went through")
	}
	_, err = s.AuditLog(ctx, graph.AuditQuery{Page: graph.Page{First: graph.MaxPageSize + 1}})
	wantCode(t, err, graph.EINVALID)
}
