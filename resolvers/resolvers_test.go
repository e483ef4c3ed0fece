package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
)

// The world below is written for these tests; its facts follow public reporting (the
// FBI named TraderTraitor for the February 2025 Bybit theft; the US Treasury tied the
// 2022 Ronin bridge theft to Lazarus Group), in the tests' own words.

func TestMain(m *testing.M) {
	// A loader collects the keys of one level for batchWait. A loaded CI machine can be
	// slow to start the goroutines of a level; a longer wait keeps the N+1 test honest.
	batchWait = 20 * time.Millisecond
	os.Exit(m.Run())
}

var (
	published = time.Date(2025, 2, 26, 18, 0, 0, 0, time.UTC)
	reference = src("https://example.org/cyberkg/reference", "cyberkg reference knowledge", "cyberkg", published.AddDate(-1, 0, 0))
	fbi       = src("https://advisories.example.gov/bybit-tradertraitor", "North Korea behind $1.5 billion Bybit theft", "FBI", published)
	cooperate = src("https://news.example.com/pyongyang-moscow-cyber", "Pyongyang and Moscow widen their cooperation", "Example Wire", published.AddDate(0, 3, 0))
	treasury  = src("https://press.example.gov/ronin-lazarus", "Treasury ties Ronin theft to Lazarus Group", "US Treasury", time.Date(2022, 4, 14, 0, 0, 0, 0, time.UTC))
	blog      = src("https://blog.example.net/wazirx", "Was it Lazarus again?", "Chain Sleuth", time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC))
)

const (
	bybitQuote     = "The FBI attributes the theft of roughly $1.5 billion in virtual assets from Bybit to TraderTraitor."
	cooperateQuote = "Pyongyang and Moscow have widened their cooperation, cyberspace included, officials said."
	roninQuote     = "Treasury said Lazarus Group took about $620 million from the Ronin bridge."
	wazirxQuote    = "Analysts suspect Lazarus Group was behind the $230 million WazirX theft."
)

func src(u, title, publisher string, at time.Time) *graph.Node {
	return &graph.Node{ID: graph.NodeID(graph.KindSource, u), Kind: graph.KindSource, Name: title, URL: u,
		Title: title, Publisher: publisher, Published: at, Fetched: at.Add(time.Hour)}
}

func claim(s *graph.Node, quote, claimant string, c graph.Certainty) graph.Claim {
	return graph.Claim{SourceID: s.ID, Quote: quote, Claimant: claimant, Certainty: c,
		Confidence: graph.ClaimConfidence(c, claimant), Reported: s.Published}
}

func ref(quote string) graph.Claim { return claim(reference, quote, "", graph.Asserted) }

func usd(v float64) *float64 { return &v }

// theft is one source's report of a theft attributed to an actor.
func theft(s *graph.Node, name string, date graph.Date, victim string, amount graph.Amount, actor string, c graph.Claim) *graph.Batch {
	inc := &graph.Node{Kind: graph.KindIncident, Name: name, IncidentKind: graph.IncidentTheft, Date: date, Claims: []graph.Claim{c}}
	who := &graph.Node{Kind: graph.KindActor, Name: actor, Claims: []graph.Claim{c}}
	org := &graph.Node{Kind: graph.KindOrganization, Name: victim, Claims: []graph.Claim{c}}
	for _, n := range []*graph.Node{inc, who, org} {
		n.ID = n.DefaultID()
	}
	money := &graph.Node{ID: graph.AmountID(inc.ID, amount), Kind: graph.KindAmount, Name: amount.Surface, Amount: &amount, Claims: []graph.Claim{c}}
	return &graph.Batch{
		Nodes: []*graph.Node{s, inc, who, org, money},
		Edges: []*graph.Edge{
			{Type: graph.AttributedTo, From: inc.ID, To: who.ID, Claims: []graph.Claim{c}},
			{Type: graph.Targeted, From: inc.ID, To: org.ID, Claims: []graph.Claim{c}},
			{Type: graph.Stole, From: inc.ID, To: money.ID, Claims: []graph.Claim{c}},
		},
	}
}

func world() []*graph.Batch {
	kp := &graph.Node{Kind: graph.KindState, Code: "KP", Name: "North Korea", Aliases: []string{"DPRK", "Pyongyang"}, Claims: []graph.Claim{ref("North Korea is a state.")}}
	ru := &graph.Node{Kind: graph.KindState, Code: "RU", Name: "Russia", Aliases: []string{"Moscow"}, Claims: []graph.Claim{ref("Russia is a state.")}}
	lazarus := &graph.Node{Kind: graph.KindActor, ActorKind: graph.ActorGroup, Name: "Lazarus Group", Aliases: []string{"Hidden Cobra", "Diamond Sleet"},
		ExternalIDs: []graph.ExternalID{{System: "mitre-attack", ID: "G0032", URL: "https://attack.mitre.org/groups/G0032/"}},
		Claims:      []graph.Claim{ref("Lazarus Group is a North Korean hacking group.")}}
	trader := &graph.Node{Kind: graph.KindActor, ActorKind: graph.ActorGroup, Name: "TraderTraitor", Aliases: []string{"Jade Sleet"}, Claims: []graph.Claim{ref("TraderTraitor is a hacking group.")}}
	for _, n := range []*graph.Node{kp, ru, lazarus, trader} {
		n.ID = n.DefaultID()
	}
	return []*graph.Batch{
		{
			Nodes: []*graph.Node{reference, kp, ru, lazarus, trader},
			Edges: []*graph.Edge{
				{Type: graph.SponsoredBy, From: lazarus.ID, To: kp.ID, Claims: []graph.Claim{ref("Lazarus Group works for North Korea's government.")}},
				{Type: graph.PartOf, From: trader.ID, To: lazarus.ID, Claims: []graph.Claim{ref("TraderTraitor is a subgroup of Lazarus Group.")}},
			},
		},
		{
			Nodes: []*graph.Node{cooperate,
				{ID: kp.ID, Kind: graph.KindState, Code: "KP", Name: "North Korea", Claims: []graph.Claim{claim(cooperate, cooperateQuote, "officials", graph.Asserted)}},
				{ID: ru.ID, Kind: graph.KindState, Code: "RU", Name: "Russia", Claims: []graph.Claim{claim(cooperate, cooperateQuote, "officials", graph.Asserted)}}},
			Edges: []*graph.Edge{{Type: graph.CollaboratesWith, From: kp.ID, To: ru.ID, Claims: []graph.Claim{claim(cooperate, cooperateQuote, "officials", graph.Asserted)}}},
		},
		theft(fbi, "Bybit hack", "2025-02", "Bybit",
			graph.Amount{Value: 1.5e9, Currency: "USD", ValueUSD: usd(1.5e9), Approximate: true, Surface: "roughly $1.5 billion"},
			"Jade Sleet", claim(fbi, bybitQuote, "FBI", graph.Asserted)),
		theft(treasury, "Ronin bridge hack", "2022-03-23", "Sky Mavis",
			graph.Amount{Value: 620e6, Currency: "USD", ValueUSD: usd(620e6), Approximate: true, Surface: "about $620 million"},
			"Lazarus Group", claim(treasury, roninQuote, "US Treasury", graph.Asserted)),
		theft(blog, "WazirX hack", "2024-07", "WazirX",
			graph.Amount{Value: 230e6, Currency: "USD", ValueUSD: usd(230e6), Surface: "$230 million"},
			"Hidden Cobra", claim(blog, wazirxQuote, "analysts", graph.Hedged)),
	}
}

// countingStore is the real store, counting the reads the N+1 test cares about.
type countingStore struct {
	graph.Store
	nodes, edges atomic.Int64
}

func (s *countingStore) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	s.nodes.Add(1)
	return s.Store.Nodes(ctx, ids)
}

func (s *countingStore) Edges(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, error) {
	s.edges.Add(1)
	return s.Store.Edges(ctx, f)
}

type env struct {
	url   string
	store *countingStore
	log   *syncBuffer
}

// newEnv opens an embedded store in a temporary file, writes the world, and serves the
// handler over it. wrap, when given, sits between the handler and the store.
func newEnv(t testing.TB, wrap func(graph.Store) graph.Store) *env {
	t.Helper()
	ctx := context.Background()
	s, err := embedded.Open(ctx, filepath.Join(t.TempDir(), "cyberkg.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	for _, b := range world() {
		if _, err := graph.Ingest(ctx, s, b); err != nil {
			t.Fatalf("ingest: %v", err)
		}
	}
	e := &env{store: &countingStore{Store: s}, log: &syncBuffer{}}
	var store graph.Store = e.store
	if wrap != nil {
		store = wrap(store)
	}
	srv := httptest.NewServer(NewHandler(store, slog.New(slog.NewTextHandler(e.log, nil))))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	status int
	body   string
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (e *env) do(t testing.TB, req *http.Request) *response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := &response{status: res.StatusCode, body: string(body)}
	if err := json.Unmarshal(body, r); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, body)
	}
	return r
}

func (e *env) post(t testing.TB, query string, vars map[string]any) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return e.do(t, req)
}

func (e *env) get(t testing.TB, query string, vars map[string]any) *response {
	t.Helper()
	q := url.Values{"query": {query}}
	if vars != nil {
		v, _ := json.Marshal(vars)
		q.Set("variables", string(v))
	}
	req, _ := http.NewRequest(http.MethodGet, e.url+"?"+q.Encode(), nil)
	return e.do(t, req)
}

// data decodes a successful response's data into v, failing on any error.
func (r *response) data(t testing.TB, v any) {
	t.Helper()
	if r.status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("status %d, errors: %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v: %s", err, r.Data)
	}
}

type evidence struct {
	Quote     string
	Claimant  *string
	Certainty string
	Source    struct{ URL, Title string }
}

func sourceURLs(ev []evidence) []string {
	var out []string
	for _, e := range ev {
		out = append(out, e.Source.URL)
	}
	return out
}

func TestStateCollaboratorsComeWithEvidence(t *testing.T) {
	e := newEnv(t, nil)
	var got struct {
		State struct {
			Code          string
			Name          string
			Collaborators []struct {
				Partner struct {
					Typename string `json:"__typename"`
					Name     string
					Code     string
				}
				Certainty     string
				Confidence    float64
				FirstReported string
				Evidence      []evidence
			}
		}
	}
	e.post(t, `query Collaborators($code: String!) {
		state(code: $code) {
			code name
			collaborators {
				partner { __typename name ... on State { code } }
				certainty confidence firstReported
				evidence { quote claimant certainty source { url title } }
			}
		}
	}`, map[string]any{"code": "kp"}).data(t, &got)

	if got.State.Code != "KP" || got.State.Name != "North Korea" {
		t.Fatalf("state(code: kp) = %s %q, want KP North Korea", got.State.Code, got.State.Name)
	}
	if len(got.State.Collaborators) != 1 {
		t.Fatalf("collaborators = %+v, want Russia only", got.State.Collaborators)
	}
	c := got.State.Collaborators[0]
	if c.Partner.Typename != "State" || c.Partner.Name != "Russia" || c.Partner.Code != "RU" {
		t.Errorf("partner = %+v, want the State Russia (RU)", c.Partner)
	}
	if c.Certainty != "ASSERTED" || c.Confidence <= 0 || c.FirstReported == "" {
		t.Errorf("certainty %s, confidence %v, first reported %q: want ASSERTED, > 0, a time", c.Certainty, c.Confidence, c.FirstReported)
	}
	if len(c.Evidence) != 1 {
		t.Fatalf("evidence = %+v, want one claim", c.Evidence)
	}
	ev := c.Evidence[0]
	if ev.Quote != cooperateQuote || ev.Source.URL != cooperate.URL || ev.Source.Title != cooperate.Title {
		t.Errorf("evidence = %+v, want %q from %s", ev, cooperateQuote, cooperate.URL)
	}
	if ev.Claimant == nil || *ev.Claimant != "officials" {
		t.Errorf("claimant = %v, want officials", ev.Claimant)
	}
}

type relation struct {
	Type     string
	From, To struct{ ID, Name string }
	Evidence []evidence
}

type attributed struct {
	Certainty string
	Incident  struct {
		ID            string
		Name          string
		Date          string
		DatePrecision string
		IncidentKind  string
		StolenUSD     *float64
		Stolen        []struct {
			Amount struct {
				Value       float64
				Currency    string
				ValueUSD    *float64
				Approximate bool
				Surface     string
			}
			Evidence []evidence
		}
		Targets []struct {
			Entity struct {
				Typename string `json:"__typename"`
				Name     string
			}
		}
	}
	Path []relation
}

const attributedQuery = `query Attributed($code: String!, $certainty: Certainty) {
	state(code: $code) {
		attributedIncidents(certainty: $certainty) {
			certainty
			incident {
				id name date datePrecision incidentKind stolenUSD
				stolen { amount { value currency valueUSD approximate surface } evidence { quote source { url } } }
				targets { entity { __typename name } }
			}
			path { type from { id name } to { id name } evidence { quote claimant source { url } } }
		}
	}
}`

func TestStateAttributedIncidentsComeWithPathAmountsAndSources(t *testing.T) {
	e := newEnv(t, nil)
	var got struct {
		State struct{ AttributedIncidents []attributed }
	}
	// Over GET, to show the GET transport answers the same as POST.
	e.get(t, attributedQuery, map[string]any{"code": "KP"}).data(t, &got)

	var names []string
	for _, a := range got.State.AttributedIncidents {
		names = append(names, a.Incident.Name)
	}
	// Most recent first.
	if want := []string{"Bybit hack", "WazirX hack", "Ronin bridge hack"}; !slices.Equal(names, want) {
		t.Fatalf("attributed incidents = %q, want %q", names, want)
	}
	bybit := got.State.AttributedIncidents[0]
	inc := bybit.Incident
	if inc.ID != "incident:bybit-hack" || inc.Date != "2025-02" || inc.DatePrecision != "MONTH" || inc.IncidentKind != "THEFT" {
		t.Errorf("incident = %+v", inc)
	}
	if inc.StolenUSD == nil || *inc.StolenUSD != 1.5e9 {
		t.Errorf("stolenUSD = %v, want 1.5e9", inc.StolenUSD)
	}
	if len(inc.Stolen) != 1 {
		t.Fatalf("stolen = %+v, want one amount", inc.Stolen)
	}
	amt := inc.Stolen[0].Amount
	if amt.Value != 1.5e9 || amt.Currency != "USD" || amt.ValueUSD == nil || *amt.ValueUSD != 1.5e9 || !amt.Approximate || amt.Surface != "roughly $1.5 billion" {
		t.Errorf("amount = %+v", amt)
	}
	if urls := sourceURLs(inc.Stolen[0].Evidence); !slices.Equal(urls, []string{fbi.URL}) {
		t.Errorf("amount sources = %q, want the FBI's", urls)
	}
	if len(inc.Targets) != 1 || inc.Targets[0].Entity.Typename != "Organization" || inc.Targets[0].Entity.Name != "Bybit" {
		t.Errorf("targets = %+v, want the Organization Bybit", inc.Targets)
	}

	// The path: Bybit hack -ATTRIBUTED_TO-> TraderTraitor -PART_OF-> Lazarus Group -SPONSORED_BY-> North Korea.
	type step struct{ typ, from, to string }
	var steps []step
	for _, r := range bybit.Path {
		steps = append(steps, step{r.Type, r.From.Name, r.To.Name})
	}
	want := []step{
		{"ATTRIBUTED_TO", "Bybit hack", "TraderTraitor"},
		{"PART_OF", "TraderTraitor", "Lazarus Group"},
		{"SPONSORED_BY", "Lazarus Group", "North Korea"},
	}
	if !slices.Equal(steps, want) {
		t.Fatalf("path = %v, want %v", steps, want)
	}
	first := bybit.Path[0].Evidence
	if len(first) != 1 || first[0].Quote != bybitQuote || first[0].Source.URL != fbi.URL || first[0].Claimant == nil || *first[0].Claimant != "FBI" {
		t.Errorf("attribution evidence = %+v, want the FBI's statement", first)
	}
	for _, r := range bybit.Path[1:] {
		if urls := sourceURLs(r.Evidence); !slices.Equal(urls, []string{reference.URL}) {
			t.Errorf("%s evidence sources = %q, want the reference", r.Type, urls)
		}
	}
	if bybit.Certainty != "ASSERTED" {
		t.Errorf("certainty = %s, want ASSERTED", bybit.Certainty)
	}
	// WazirX is linked by a hedged claim: the chain is only as firm as that.
	if c := got.State.AttributedIncidents[1].Certainty; c != "HEDGED" {
		t.Errorf("WazirX certainty = %s, want HEDGED", c)
	}

	// The same over POST, asking only for what some source asserts: WazirX drops out.
	var asserted struct {
		State struct{ AttributedIncidents []attributed }
	}
	e.post(t, attributedQuery, map[string]any{"code": "kp", "certainty": "ASSERTED"}).data(t, &asserted)
	names = nil
	for _, a := range asserted.State.AttributedIncidents {
		names = append(names, a.Incident.Name)
	}
	if want := []string{"Bybit hack", "Ronin bridge hack"}; !slices.Equal(names, want) {
		t.Errorf("asserted attributed incidents = %q, want %q", names, want)
	}
}

func TestStolenTotals(t *testing.T) {
	e := newEnv(t, nil)
	type total struct {
		Key, Label string
		USD        float64
		Incidents  []struct{ Name string }
	}
	query := `query Totals($by: TotalsGroup!, $from: Int, $to: Int, $certainty: Certainty) {
		stolenTotals(groupBy: $by, from: $from, to: $to, certainty: $certainty) { key label usd incidents { name } }
	}`
	for _, tc := range []struct {
		name string
		vars map[string]any
		want []total
	}{
		{"by state, every attribution", map[string]any{"by": "STATE"}, []total{
			{"state:kp", "North Korea", 1.5e9 + 620e6 + 230e6, nil},
		}},
		{"by state, asserted only", map[string]any{"by": "STATE", "certainty": "ASSERTED"}, []total{
			{"state:kp", "North Korea", 1.5e9 + 620e6, nil},
		}},
		{"by actor", map[string]any{"by": "ACTOR"}, []total{
			{"actor:lazarus-group", "Lazarus Group", 1.5e9 + 620e6 + 230e6, nil},
			{"actor:tradertraitor", "TraderTraitor", 1.5e9, nil},
		}},
		{"by year, 2024 on", map[string]any{"by": "YEAR", "from": 2024}, []total{
			{"2025", "2025", 1.5e9, nil},
			{"2024", "2024", 230e6, nil},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got struct{ StolenTotals []total }
			e.post(t, query, tc.vars).data(t, &got)
			if len(got.StolenTotals) != len(tc.want) {
				t.Fatalf("totals = %+v, want %+v", got.StolenTotals, tc.want)
			}
			for i, w := range tc.want {
				g := got.StolenTotals[i]
				if g.Key != w.Key || g.Label != w.Label || g.USD != w.USD {
					t.Errorf("total %d = %s %q %v, want %s %q %v", i, g.Key, g.Label, g.USD, w.Key, w.Label, w.USD)
				}
				if len(g.Incidents) == 0 {
					t.Errorf("total %s lists no incidents", g.Key)
				}
			}
		})
	}
}

func TestUnknownThingsAreNullNotErrors(t *testing.T) {
	e := newEnv(t, nil)
	var got map[string]any
	e.post(t, `{
		state(code: "ZZ") { name }
		actor(name: "Nobody Group") { name }
		byID: actor(id: "actor:nobody") { name }
		notAnActor: actor(id: "state:kp") { name }
		incident(id: "incident:nothing") { name }
	}`, nil).data(t, &got)
	for k, v := range got {
		if v != nil {
			t.Errorf("%s = %v, want null", k, v)
		}
	}
	if len(got) != 5 {
		t.Errorf("data = %v, want five null fields", got)
	}
}

func TestActorByNameOrAlias(t *testing.T) {
	e := newEnv(t, nil)
	type actor struct {
		ID, Name, ActorKind string
		Kind                string
		ExternalIds         []struct{ System, ID, URL string }
		Sponsors            []struct{ State struct{ Code string } }
		Subgroups           []struct{ Member struct{ Name string } }
		AttributedIncidents []struct{ Incident struct{ Name string } }
	}
	query := `query Actor($id: ID, $name: String) {
		actor(id: $id, name: $name) {
			id name kind actorKind externalIds { system id url }
			sponsors { state { code } }
			subgroups { member { name } }
			attributedIncidents { incident { name } }
		}
	}`
	for _, vars := range []map[string]any{{"name": "hidden cobra"}, {"name": "Lazarus  Group"}, {"id": "actor:lazarus-group"}} {
		var got struct{ Actor *actor }
		e.post(t, query, vars).data(t, &got)
		a := got.Actor
		if a == nil {
			t.Fatalf("actor(%v) = null, want Lazarus Group", vars)
		}
		if a.ID != "actor:lazarus-group" || a.Kind != "THREAT_ACTOR" || a.ActorKind != "GROUP" {
			t.Errorf("actor(%v) = %s %s %s", vars, a.ID, a.Kind, a.ActorKind)
		}
		if len(a.ExternalIds) != 1 || a.ExternalIds[0].ID != "G0032" || a.ExternalIds[0].System != "mitre-attack" {
			t.Errorf("externalIds = %+v, want MITRE G0032", a.ExternalIds)
		}
		if len(a.Sponsors) != 1 || a.Sponsors[0].State.Code != "KP" {
			t.Errorf("sponsors = %+v, want KP", a.Sponsors)
		}
		if len(a.Subgroups) != 1 || a.Subgroups[0].Member.Name != "TraderTraitor" {
			t.Errorf("subgroups = %+v, want TraderTraitor", a.Subgroups)
		}
		if len(a.AttributedIncidents) != 3 {
			t.Errorf("attributed incidents = %+v, want three (one through TraderTraitor)", a.AttributedIncidents)
		}
	}
}

func TestIncidentAttributions(t *testing.T) {
	e := newEnv(t, nil)
	var got struct {
		Incident struct {
			Name         string
			Attributions []struct {
				AttributedTo struct {
					Typename string `json:"__typename"`
					Name     string
				}
				Certainty string
				Evidence  []evidence
			}
		}
	}
	e.post(t, `{ incident(id: "incident:wazirx-hack") {
		name
		attributions { attributedTo { __typename name } certainty evidence { quote claimant certainty source { url } } }
	} }`, nil).data(t, &got)
	a := got.Incident.Attributions
	if len(a) != 1 || a[0].AttributedTo.Typename != "ThreatActor" || a[0].AttributedTo.Name != "Lazarus Group" || a[0].Certainty != "HEDGED" {
		t.Fatalf("attributions = %+v, want a hedged one to Lazarus Group", a)
	}
	if ev := a[0].Evidence; len(ev) != 1 || ev[0].Quote != wazirxQuote || ev[0].Source.URL != blog.URL || ev[0].Certainty != "HEDGED" {
		t.Errorf("evidence = %+v", ev)
	}
}

func TestSearchResolvesKinds(t *testing.T) {
	e := newEnv(t, nil)
	var got struct {
		Search []struct {
			Typename string `json:"__typename"`
			ID, Name string
			Kind     string
			Code     string
		}
	}
	e.post(t, `{ search(query: "korea") { __typename id name kind ... on State { code } } }`, nil).data(t, &got)
	if len(got.Search) != 1 || got.Search[0].Typename != "State" || got.Search[0].Kind != "STATE" || got.Search[0].Code != "KP" {
		t.Errorf("search(korea) = %+v, want the State KP", got.Search)
	}
	e.post(t, `{ search(query: "hack", kinds: [INCIDENT], first: 2) { __typename id name kind } }`, nil).data(t, &got)
	if len(got.Search) != 2 {
		t.Fatalf("search(hack, first 2) = %+v, want two incidents", got.Search)
	}
	for _, r := range got.Search {
		if r.Typename != "Incident" || r.Kind != "INCIDENT" {
			t.Errorf("result %+v is not an Incident", r)
		}
	}
}

func TestErrorsCarryACode(t *testing.T) {
	e := newEnv(t, nil)
	deep := "{ state(code: \"KP\") { attributedIncidents { path { from { ... on ThreatActor { attributedIncidents { path { from { ... on ThreatActor { attributedIncidents { path { from { ... on ThreatActor { attributedIncidents { incident { name } } } } } } } } } } } } } } } }"
	var many strings.Builder
	many.WriteString("{")
	for i := range 300 {
		fmt.Fprintf(&many, ` s%d: state(code: "KP") { name code }`, i)
	}
	many.WriteString(" }")
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		code        string
		reason      string
		status      int
	}{
		{"bad enum in a variable", `query($by: TotalsGroup!) { stolenTotals(groupBy: $by) { key } }`, map[string]any{"by": "COUNTRY"}, "INVALID", "GRAPHQL_VALIDATION_FAILED", 422},
		{"actor with neither id nor name", `{ actor { name } }`, nil, "INVALID", "", 200},
		{"actor with both id and name", `{ actor(id: "actor:lazarus-group", name: "Lazarus") { name } }`, nil, "INVALID", "", 200},
		{"state code that is not a code", `{ state(code: "North Korea") { name } }`, nil, "INVALID", "", 200},
		{"search for nothing", `{ search(query: "  ") { id } }`, nil, "INVALID", "", 200},
		{"search asking for too many", `{ search(query: "a", first: 1000) { id } }`, nil, "INVALID", "", 200},
		{"years backwards", `{ stolenTotals(groupBy: YEAR, from: 2025, to: 2020) { key } }`, nil, "INVALID", "", 200},
		{"syntax error", `{ state(code: "KP") { name }`, nil, "INVALID", "GRAPHQL_PARSE_FAILED", 422},
		{"unknown field", `{ state(code: "KP") { password } }`, nil, "INVALID", "GRAPHQL_VALIDATION_FAILED", 422},
		{"too deep", deep, nil, "INVALID", "DEPTH_LIMIT_EXCEEDED", 422},
		{"too complex", many.String(), nil, "INVALID", "COMPLEXITY_LIMIT_EXCEEDED", 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(t, tc.query, tc.vars)
			if r.status != tc.status {
				t.Errorf("status = %d, want %d: %s", r.status, tc.status, r.body)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error: %s", r.body)
			}
			got := r.Errors[0].Extensions
			if got["code"] != tc.code {
				t.Errorf("extensions = %v, want code %s", got, tc.code)
			}
			if tc.reason != "" && got["reason"] != tc.reason {
				t.Errorf("extensions = %v, want reason %s", got, tc.reason)
			}
		})
	}
}

// A variable is data: text that looks like Cypher is searched for as text, and the
// graph is unchanged.
func TestVariablesAreNeverQueries(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	before, err := e.store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const cypher = `"}) MATCH (n) DETACH DELETE n //`
	var got struct {
		Search []struct{ ID string }
		Actor  *struct{ ID string }
	}
	e.post(t, `query($q: String!) { search(query: $q) { id } actor(name: $q) { id } }`, map[string]any{"q": cypher}).data(t, &got)
	if len(got.Search) != 0 || got.Actor != nil {
		t.Errorf("search and actor for %q = %+v, want nothing", cypher, got)
	}
	after, err := e.store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) || after.TotalNodes() == 0 {
		t.Errorf("counts changed from %+v to %+v", before, after)
	}
}

// panicky is the real store, except that Search panics with a message that must not
// reach the client.
type panicky struct{ graph.Store }

const secret = "connection string bolt://admin:hunter2@10.0.0.7"

func (panicky) Search(context.Context, graph.SearchQuery) ([]*graph.Node, error) {
	panic(secret)
}

// broken is the real store, except that Node fails with internal detail.
type broken struct{ graph.Store }

func (broken) Node(context.Context, string) (*graph.Node, error) {
	return nil, io.ErrUnexpectedEOF
}

func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wrap  func(graph.Store) graph.Store
		query string
		log   string
	}{
		{"panic", func(s graph.Store) graph.Store { return panicky{s} }, `query Find { search(query: "lazarus") { id } }`, secret},
		{"error", func(s graph.Store) graph.Store { return broken{s} }, `query Incident { incident(id: "incident:bybit-hack") { id } }`, io.ErrUnexpectedEOF.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.wrap)
			r := e.post(t, tc.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INTERNAL" || r.Errors[0].Message != "internal error" {
				t.Fatalf("errors = %+v, want one INTERNAL \"internal error\"", r.Errors)
			}
			if strings.Contains(r.body, tc.log) {
				t.Errorf("response shows internal detail: %s", r.body)
			}
			logged := e.log.String()
			if !strings.Contains(logged, tc.log) || !strings.Contains(logged, "operation=") {
				t.Errorf("log = %q, want the detail and the operation", logged)
			}
		})
	}
}

func TestIntrospection(t *testing.T) {
	e := newEnv(t, nil)
	var got struct {
		Schema struct {
			QueryType struct{ Name string }
			Types     []struct{ Name, Description string }
		} `json:"__schema"`
	}
	e.post(t, introspectionQuery, nil).data(t, &got)
	if got.Schema.QueryType.Name != "Query" {
		t.Errorf("query type = %q", got.Schema.QueryType.Name)
	}
	for _, ty := range got.Schema.Types {
		if ty.Name == "State" && ty.Description == "" {
			t.Errorf("State has no description")
		}
	}
}

// The N+1 test: evidence, path ends and amounts for every attributed incident cost a
// handful of store reads, however many incidents there are.
func TestListsCostOneReadPerLevel(t *testing.T) {
	e := newEnv(t, nil)
	e.store.nodes.Store(0)
	e.store.edges.Store(0)
	var got struct {
		State struct{ AttributedIncidents []attributed }
	}
	e.post(t, attributedQuery, map[string]any{"code": "KP"}).data(t, &got)
	evidence := 0
	for _, a := range got.State.AttributedIncidents {
		for _, r := range a.Path {
			evidence += len(r.Evidence)
		}
		for _, s := range a.Incident.Stolen {
			evidence += len(s.Evidence)
		}
	}
	if evidence < 10 {
		t.Fatalf("only %d pieces of evidence; the test needs a larger world", evidence)
	}
	// graph.AttributedIncidents: one Node, one Nodes, an Edges per hierarchy level.
	// Then per level of the query: path ends and the incidents' edges, then sources and
	// amounts: a few Nodes and Edges calls, not one per item.
	if n, m := e.store.nodes.Load(), e.store.edges.Load(); n > 6 || m > 8 {
		t.Errorf("store.Nodes called %d times and store.Edges %d times for %d pieces of evidence; want at most 6 and 8", n, m, evidence)
	}
}

// FuzzVariables sends arbitrary text as the variables of every query that takes text:
// nothing may panic or fail internally.
func FuzzVariables(f *testing.F) {
	for _, s := range []string{"kp", "Lazarus", `"}) MATCH (n) DETACH DELETE n //`, "", "\x00", "ZZ", "actor:lazarus-group", "🇰🇵", strings.Repeat("a", 300)} {
		f.Add(s)
	}
	e := newEnv(f, nil)
	f.Fuzz(func(t *testing.T, s string) {
		r := e.post(t, `query($s: String!, $id: ID!) {
			state(code: $s) { id }
			actor(name: $s) { id }
			byID: actor(id: $id) { id }
			incident(id: $id) { id }
			search(query: $s, first: 5) { id }
		}`, map[string]any{"s": s, "id": s})
		for _, err := range r.Errors {
			if code := err.Extensions["code"]; code != "INVALID" {
				t.Errorf("variables %q: error %+v, want only INVALID ones", s, err)
			}
		}
	})
}

// syncBuffer is a bytes.Buffer that the handler's goroutines may log to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// introspectionQuery is the query GraphiQL and most clients send first.
const introspectionQuery = `query IntrospectionQuery {
	__schema {
		queryType { name }
		mutationType { name }
		subscriptionType { name }
		types { ...FullType }
		directives { name description locations args { ...InputValue } }
	}
}
fragment FullType on __Type {
	kind name description
	fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
	inputFields { ...InputValue }
	interfaces { ...TypeRef }
	enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
	possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
	kind name
	ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
