package neo4j

import (
	"reflect"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

// Every field of graph.Node survives the trip through properties; a field added to
// Node without a property here fails this test instead of vanishing on write.
func TestNodePropertiesKeepEveryField(t *testing.T) {
	usd := 1.5e9
	at := time.Date(2025, 2, 27, 9, 30, 0, 123, time.FixedZone("CET", 3600))
	n := &graph.Node{
		ID: "actor:x", Kind: graph.KindActor, Name: "X", Aliases: []string{"Y"}, Description: "d", Code: "XX",
		ActorKind: graph.ActorGroup, ExternalIDs: []graph.ExternalID{{System: "mitre-attack", ID: "G0001", URL: "u"}},
		IncidentKind: graph.IncidentTheft, Date: "2025-02", URL: "https://x.example", Title: "t", Publisher: "p",
		Published: at, Fetched: at.Add(time.Hour), ContentHash: "h",
		Amount:     &graph.Amount{Value: 1.5, Currency: "BTC", ValueUSD: &usd, Approximate: true, Surface: "1.5 BTC"},
		Claims:     []graph.Claim{{SourceID: "source:1", Quote: "q", Claimant: "c", Certainty: graph.Hedged, Confidence: 0.35, Reported: at}},
		Confidence: 0.35,
	}
	v := reflect.ValueOf(*n)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("set Node.%s in this test", v.Type().Field(i).Name)
		}
	}
	want := canonical(n)
	props, err := nodeProps(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeNode(props)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	// Empty fields stay nil, as graph.MergeNode's change detection needs.
	bare, err := nodeProps(&graph.Node{ID: "sector:s", Kind: graph.KindSector, Name: "S"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := decodeNode(bare); !reflect.DeepEqual(got, &graph.Node{ID: "sector:s", Kind: graph.KindSector, Name: "S"}) {
		t.Errorf("bare node came back as %+v", got)
	}
}

func TestEdgePropertiesKeepEveryField(t *testing.T) {
	e := &graph.Edge{ID: "PART_OF:actor:a>actor:b", Type: graph.PartOf, From: "actor:a", To: "actor:b", Confidence: 0.7,
		Claims: []graph.Claim{{SourceID: "source:1", Quote: "q", Certainty: graph.Asserted, Confidence: 0.7, Reported: time.Unix(1, 2).UTC()}}}
	v := reflect.ValueOf(*e)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("set Edge.%s in this test", v.Type().Field(i).Name)
		}
	}
	props, err := edgeProps(e)
	if err != nil {
		t.Fatal(err)
	}
	// The queries add these from the relationship itself (see edgeMap).
	props["type"], props["from"], props["to"] = string(e.Type), e.From, e.To
	got, err := decodeEdge(props)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}
}

// Decoded claims are cached by their JSON; what a caller does to the claims it was
// given never reaches the next caller's.
func TestDecodedClaimsAreTheCallersOwn(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	in := []graph.Claim{{SourceID: "source:a", Quote: "It was them.", Certainty: graph.Hedged, Confidence: 0.35, Reported: at}}
	props := map[string]any{}
	if err := setClaims(props, in); err != nil {
		t.Fatal(err)
	}
	first, err := decodeClaims(props["claims"])
	if err != nil {
		t.Fatal(err)
	}
	first[0].Certainty = graph.Asserted
	first[0].Quote = "changed"
	again, err := decodeClaims(props["claims"])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, in) {
		t.Errorf("second decode gave %+v, want %+v", again, in)
	}
	again[0].Claimant = "someone"
	if third, _ := decodeClaims(props["claims"]); !reflect.DeepEqual(third, in) {
		t.Errorf("third decode gave %+v, want %+v", third, in)
	}
	if _, err := decodeClaims(`[{"sourceId": 1`); err == nil {
		t.Error("broken JSON decoded without error")
	}
}
