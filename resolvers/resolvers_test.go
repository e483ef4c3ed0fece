package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/neo4j/neo4jtest"
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
		{
			Nodes: []*graph.Node{reference, exchanges},
			Edges: []*graph.Edge{
				{Type: graph.InSector, From: "org:bybit", To: exchanges.ID, Claims: []graph.Claim{ref("Bybit is a cryptocurrency exchange.")}},
				{Type: graph.InSector, From: "org:wazirx", To: exchanges.ID, Claims: []graph.Claim{ref("WazirX is a cryptocurrency exchange.")}},
				{Type: graph.LocatedIn, From: lazarus.ID, To: kp.ID, Claims: []graph.Claim{ref("Lazarus Group operates from North Korea.")}},
			},
		},
	}
}

var exchanges = &graph.Node{ID: "sector:cryptocurrency-exchange", Kind: graph.KindSector, Name: "Cryptocurrency exchange",
	Claims: []graph.Claim{ref("Cryptocurrency exchanges are a sector.")}}

// countingStore is the real store, counting every call the API makes of it: the
// instrumentation of the N+1 test, not a mock.
type countingStore struct {
	graph.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *countingStore) count(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[method]++
}

// reset forgets the calls so far.
func (s *countingStore) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// total returns every call since the last reset, and the calls by method.
func (s *countingStore) total() (int, map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n, maps.Clone(s.calls)
}

func (s *countingStore) Node(ctx context.Context, id string) (*graph.Node, error) {
	s.count("Node")
	return s.Store.Node(ctx, id)
}

func (s *countingStore) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	s.count("Nodes")
	return s.Store.Nodes(ctx, ids)
}

func (s *countingStore) Edges(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, error) {
	s.count("Edges")
	return s.Store.Edges(ctx, f)
}

func (s *countingStore) EdgesWithEnds(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, []*graph.Node, error) {
	s.count("EdgesWithEnds")
	return s.Store.(graph.EndsReader).EdgesWithEnds(ctx, f)
}

// HierarchyEdges reads a hierarchy in one call, as the store does when it can; a
// store that cannot gives every sponsor and parent edge, which is as good an answer.
func (s *countingStore) HierarchyEdges(ctx context.Context, id string, minimum graph.Certainty) ([]*graph.Edge, error) {
	s.count("HierarchyEdges")
	if h, ok := s.Store.(graph.HierarchyReader); ok {
		return h.HierarchyEdges(ctx, id, minimum)
	}
	return s.Store.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.SponsoredBy, graph.PartOf}})
}

func (s *countingStore) Resolve(ctx context.Context, k graph.NodeKind, names []string) (map[string]string, error) {
	s.count("Resolve")
	return s.Store.Resolve(ctx, k, names)
}

func (s *countingStore) Search(ctx context.Context, q graph.SearchQuery) ([]*graph.Node, error) {
	s.count("Search")
	return s.Store.Search(ctx, q)
}

func (s *countingStore) SearchPage(ctx context.Context, q graph.SearchQuery) (*graph.Results[*graph.Node], error) {
	s.count("SearchPage")
	return s.Store.SearchPage(ctx, q)
}

func (s *countingStore) ListNodes(ctx context.Context, q graph.NodeQuery) (*graph.Results[*graph.Node], error) {
	s.count("ListNodes")
	return s.Store.ListNodes(ctx, q)
}

func (s *countingStore) Incidents(ctx context.Context, q graph.IncidentQuery) (*graph.Results[*graph.Node], error) {
	s.count("Incidents")
	return s.Store.Incidents(ctx, q)
}

func (s *countingStore) Sources(ctx context.Context, q graph.SourceQuery) (*graph.Results[*graph.Node], error) {
	s.count("Sources")
	return s.Store.Sources(ctx, q)
}

func (s *countingStore) Neighborhood(ctx context.Context, id string, o graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	s.count("Neighborhood")
	return s.Store.Neighborhood(ctx, id, o)
}

func (s *countingStore) ShortestPaths(ctx context.Context, from, to string, hops int) ([]*graph.Path, error) {
	s.count("ShortestPaths")
	return s.Store.ShortestPaths(ctx, from, to, hops)
}

func (s *countingStore) StolenTotals(ctx context.Context, q graph.TotalsQuery) ([]*graph.Total, error) {
	s.count("StolenTotals")
	return s.Store.StolenTotals(ctx, q)
}

func (s *countingStore) AuditLog(ctx context.Context, q graph.AuditQuery) (*graph.Results[*graph.AuditEntry], error) {
	s.count("AuditLog")
	return s.Store.AuditLog(ctx, q)
}

type env struct {
	url   string
	store *countingStore
	log   *syncBuffer
}

// setup says how an env is built: the world it holds (nil: world()), a wrapper
// between the handler and the store, and the handler's options.
type setup struct {
	world []*graph.Batch
	wrap  func(graph.Store) graph.Store
	opts  Options
}

// eachStore runs a test against an env on every store: the embedded one always,
// Neo4j when NEO4J_URI is set (failing instead of skipping without it under
// CYBERKG_REQUIRE_NEO4J=1).
func eachStore(t *testing.T, su setup, test func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) { test(t, newEnvOn(t, openEmbedded(t), su)) })
	t.Run("neo4j", func(t *testing.T) { test(t, newEnvOn(t, neo4jtest.Open(t), su)) })
}

func openEmbedded(t testing.TB) graph.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "cyberkg.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newEnv serves the handler over an embedded store holding the world, with wrap
// (when given) between the handler and the store.
func newEnv(t testing.TB, wrap func(graph.Store) graph.Store) *env {
	t.Helper()
	return newEnvOn(t, openEmbedded(t), setup{wrap: wrap})
}

func newEnvOn(t testing.TB, s graph.Store, su setup) *env {
	t.Helper()
	ctx := context.Background()
	batches := su.world
	if batches == nil {
		batches = world()
	}
	for _, b := range batches {
		if _, err := graph.Ingest(ctx, s, b); err != nil {
			t.Fatalf("ingest: %v", err)
		}
	}
	e := &env{store: &countingStore{Store: s}, log: &syncBuffer{}}
	var store graph.Store = e.store
	if su.wrap != nil {
		store = su.wrap(store)
	}
	h := NewHandler(store, slog.New(slog.NewTextHandler(e.log, nil)), su.opts)
	t.Cleanup(func() { h.Close() })
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/graphql"
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
	return e.postAs(t, "", query, vars)
}

// postAs posts with a bearer token ("" for none).
func (e *env) postAs(t testing.TB, token, query string, vars map[string]any) *response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
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
	eachStore(t, setup{}, func(t *testing.T, e *env) {
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
	})
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

type attributedPage struct {
	TotalCount int
	Edges      []attributed
}

const attributedQuery = `query Attributed($code: String!, $certainty: Certainty) {
	state(code: $code) {
		attributedIncidents(certainty: $certainty) {
			totalCount
			edges {
				certainty
				incident {
					id name date datePrecision incidentKind stolenUSD
					stolen { amount { value currency valueUSD approximate surface } evidence { quote source { url } } }
					targets { entity { __typename name } }
				}
				path { type from { id name } to { id name } evidence { quote claimant source { url } } }
			}
		}
	}
}`

func TestStateAttributedIncidentsComeWithPathAmountsAndSources(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		var got struct {
			State struct{ AttributedIncidents attributedPage }
		}
		// Over GET, to show the GET transport answers the same as POST.
		e.get(t, attributedQuery, map[string]any{"code": "KP"}).data(t, &got)

		var names []string
		for _, a := range got.State.AttributedIncidents.Edges {
			names = append(names, a.Incident.Name)
		}
		// Most recent first.
		if want := []string{"Bybit hack", "WazirX hack", "Ronin bridge hack"}; !slices.Equal(names, want) || got.State.AttributedIncidents.TotalCount != 3 {
			t.Fatalf("attributed incidents = %q of %d, want %q", names, got.State.AttributedIncidents.TotalCount, want)
		}
		bybit := got.State.AttributedIncidents.Edges[0]
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
		if c := got.State.AttributedIncidents.Edges[1].Certainty; c != "HEDGED" {
			t.Errorf("WazirX certainty = %s, want HEDGED", c)
		}

		// The same over POST, asking only for what some source asserts: WazirX drops out.
		var asserted struct {
			State struct{ AttributedIncidents attributedPage }
		}
		e.post(t, attributedQuery, map[string]any{"code": "kp", "certainty": "ASSERTED"}).data(t, &asserted)
		names = nil
		for _, a := range asserted.State.AttributedIncidents.Edges {
			names = append(names, a.Incident.Name)
		}
		if want := []string{"Bybit hack", "Ronin bridge hack"}; !slices.Equal(names, want) {
			t.Errorf("asserted attributed incidents = %q, want %q", names, want)
		}
	})
}

func TestStolenTotals(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		type total struct {
			Key, Label string
			USD        float64
			Count      int
			Incidents  struct{ Nodes []struct{ Name string } }
		}
		query := `query Totals($by: TotalsGroup!, $from: Int, $to: Int, $certainty: Certainty) {
			stolenTotals(groupBy: $by, from: $from, to: $to, certainty: $certainty) { key label usd count incidents { nodes { name } } }
		}`
		for _, tc := range []struct {
			name  string
			vars  map[string]any
			want  []total
			count []int
		}{
			{"by state, every attribution", map[string]any{"by": "STATE"}, []total{
				{Key: "state:kp", Label: "North Korea", USD: 1.5e9 + 620e6 + 230e6},
			}, []int{3}},
			{"by state, asserted only", map[string]any{"by": "STATE", "certainty": "ASSERTED"}, []total{
				{Key: "state:kp", Label: "North Korea", USD: 1.5e9 + 620e6},
			}, []int{2}},
			{"by actor", map[string]any{"by": "ACTOR"}, []total{
				{Key: "actor:lazarus-group", Label: "Lazarus Group", USD: 1.5e9 + 620e6 + 230e6},
				{Key: "actor:tradertraitor", Label: "TraderTraitor", USD: 1.5e9},
			}, []int{3, 1}},
			{"by year, 2024 on", map[string]any{"by": "YEAR", "from": 2024}, []total{
				{Key: "2025", Label: "2025", USD: 1.5e9},
				{Key: "2024", Label: "2024", USD: 230e6},
			}, []int{1, 1}},
			{"by sector", map[string]any{"by": "SECTOR"}, []total{
				{Key: "sector:cryptocurrency-exchange", Label: "Cryptocurrency exchange", USD: 1.5e9 + 230e6},
			}, []int{2}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var got struct{ StolenTotals []total }
				e.post(t, query, tc.vars).data(t, &got)
				if len(got.StolenTotals) != len(tc.want) {
					t.Fatalf("totals = %+v, want %+v", got.StolenTotals, tc.want)
				}
				for i, w := range tc.want {
					g := got.StolenTotals[i]
					if g.Key != w.Key || g.Label != w.Label || g.USD != w.USD || g.Count != tc.count[i] || len(g.Incidents.Nodes) != tc.count[i] {
						t.Errorf("total %d = %s %q %v, %d incidents %v; want %s %q %v, %d", i, g.Key, g.Label, g.USD, g.Count, g.Incidents.Nodes, w.Key, w.Label, w.USD, tc.count[i])
					}
				}
			})
		}
	})
}

func TestUnknownThingsAreNullNotErrors(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		var got map[string]any
		e.post(t, `{
			state(code: "ZZ") { name }
			actor(name: "Nobody Group") { name }
			byID: actor(id: "actor:nobody") { name }
			notAnActor: actor(id: "state:kp") { name }
			incident(id: "incident:nothing") { name }
			node(id: "org:nobody") { id }
			source(url: "https://nowhere.example/") { id }
			neighborhood(id: "actor:nobody") { nodes { id } }
		}`, nil).data(t, &got)
		for k, v := range got {
			if v != nil {
				t.Errorf("%s = %v, want null", k, v)
			}
		}
		if len(got) != 8 {
			t.Errorf("data = %v, want eight null fields", got)
		}
	})
}

func TestActorByNameOrAlias(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		type actor struct {
			ID, Name, ActorKind string
			Kind                string
			ExternalIds         []struct{ System, ID, URL string }
			Sponsors            []struct{ State struct{ Code string } }
			Sponsor             struct{ Code string }
			Subgroups           []struct{ Member struct{ Name string } }
			Locations           []struct{ State struct{ Code string } }
			AttributedIncidents struct{ TotalCount int }
		}
		query := `query Actor($id: ID, $name: String) {
			actor(id: $id, name: $name) {
				id name kind actorKind externalIds { system id url }
				sponsors { state { code } }
				sponsor { code }
				subgroups { member { name } }
				locations { state { code } }
				attributedIncidents { totalCount }
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
			if len(a.Sponsors) != 1 || a.Sponsors[0].State.Code != "KP" || a.Sponsor.Code != "KP" {
				t.Errorf("sponsors = %+v, sponsor %+v: want KP", a.Sponsors, a.Sponsor)
			}
			if len(a.Subgroups) != 1 || a.Subgroups[0].Member.Name != "TraderTraitor" {
				t.Errorf("subgroups = %+v, want TraderTraitor", a.Subgroups)
			}
			if len(a.Locations) != 1 || a.Locations[0].State.Code != "KP" {
				t.Errorf("locations = %+v, want KP", a.Locations)
			}
			if a.AttributedIncidents.TotalCount != 3 {
				t.Errorf("attributed incidents = %+v, want three (one through TraderTraitor)", a.AttributedIncidents)
			}
		}
		var trader struct {
			Actor struct {
				Parent  struct{ Name string }
				Sponsor *struct{ Code string }
			}
		}
		e.post(t, `{ actor(name: "Jade Sleet") { parent { name } sponsor { code } } }`, nil).data(t, &trader)
		if trader.Actor.Parent.Name != "Lazarus Group" || trader.Actor.Sponsor != nil {
			t.Errorf("TraderTraitor parent %+v, sponsor %+v: want Lazarus Group and none of its own", trader.Actor.Parent, trader.Actor.Sponsor)
		}
	})
}

func TestIncidentAttributions(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
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
				Victims []struct{ Name string }
				Sectors []struct{ Name string }
			}
		}
		e.post(t, `{ incident(id: "incident:wazirx-hack") {
			name
			attributions { attributedTo { __typename name } certainty evidence { quote claimant certainty source { url } } }
			victims { name }
			sectors { name }
		} }`, nil).data(t, &got)
		a := got.Incident.Attributions
		if len(a) != 1 || a[0].AttributedTo.Typename != "ThreatActor" || a[0].AttributedTo.Name != "Lazarus Group" || a[0].Certainty != "HEDGED" {
			t.Fatalf("attributions = %+v, want a hedged one to Lazarus Group", a)
		}
		if ev := a[0].Evidence; len(ev) != 1 || ev[0].Quote != wazirxQuote || ev[0].Source.URL != blog.URL || ev[0].Certainty != "HEDGED" {
			t.Errorf("evidence = %+v", ev)
		}
		if len(got.Incident.Victims) != 1 || got.Incident.Victims[0].Name != "WazirX" {
			t.Errorf("victims = %+v", got.Incident.Victims)
		}
		// The sector comes through the victim.
		if len(got.Incident.Sectors) != 1 || got.Incident.Sectors[0].Name != "Cryptocurrency exchange" {
			t.Errorf("sectors = %+v", got.Incident.Sectors)
		}
	})
}

func TestSearch(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		type hit struct {
			Match string
			Node  struct {
				Typename string `json:"__typename"`
				ID, Name string
				Kind     string
				Code     string
			}
		}
		var got struct {
			Search struct {
				TotalCount int
				Edges      []hit
			}
		}
		query := `query Search($q: String!, $types: [EntityKind!], $first: Int) {
			search(query: $q, types: $types, first: $first) {
				totalCount edges { match node { __typename id name kind ... on State { code } } }
			}
		}`
		for _, tc := range []struct {
			q, first, match, typename string
			types                     []string
		}{
			{"korea", "state:kp", "NAME_CONTAINS", "State", nil},
			{"KP", "state:kp", "ALIAS", "State", nil},
			{"hiden cobra", "actor:lazarus-group", "WORDS", "ThreatActor", nil},
			{"lazarsu", "actor:lazarus-group", "WORDS", "ThreatActor", nil},
			{"tradertrator", "actor:tradertraitor", "WORDS", "ThreatActor", nil},
			{"bybit", "org:bybit", "NAME", "Organization", []string{"ORGANIZATION"}},
		} {
			e.post(t, query, map[string]any{"q": tc.q, "types": tc.types}).data(t, &got)
			if len(got.Search.Edges) == 0 || got.Search.Edges[0].Node.ID != tc.first || got.Search.Edges[0].Match != tc.match ||
				got.Search.Edges[0].Node.Typename != tc.typename || got.Search.TotalCount < 1 {
				t.Errorf("search(%q) = %+v, want %s first (%s)", tc.q, got.Search, tc.first, tc.match)
			}
		}
		e.post(t, query, map[string]any{"q": "hack", "types": []string{"INCIDENT"}, "first": 2}).data(t, &got)
		if len(got.Search.Edges) != 2 || got.Search.TotalCount != 3 {
			t.Fatalf("search(hack, first 2) = %+v, want two of three incidents", got.Search)
		}
		for _, r := range got.Search.Edges {
			if r.Node.Typename != "Incident" || r.Node.Kind != "INCIDENT" {
				t.Errorf("result %+v is not an Incident", r)
			}
		}
		// The deprecated kinds argument still works.
		var old struct {
			Search struct{ Nodes []struct{ ID string } }
		}
		e.post(t, `{ search(query: "lazarus", kinds: [THREAT_ACTOR]) { nodes { id } } }`, nil).data(t, &old)
		if len(old.Search.Nodes) != 1 || old.Search.Nodes[0].ID != "actor:lazarus-group" {
			t.Errorf("search with kinds = %+v", old.Search)
		}
	})
}

func TestGraphQuestions(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		var got struct {
			Neighborhood struct {
				Nodes []struct{ ID string }
				Edges []struct{ ID, Type string }
			}
			Paths []struct {
				Length int
				Nodes  []struct{ ID string }
				Edges  []struct {
					Type     string
					Evidence []evidence
				}
			}
			Timeline struct {
				TotalCount int
				Edges      []struct {
					Node struct{ Name, Date string }
					Path []struct{ Type string }
				}
			}
			Node struct {
				Typename string `json:"__typename"`
				URL      string
			}
			Sources struct {
				TotalCount int
				Nodes      []struct{ URL, PublishedAt string }
			}
			States   struct{ Nodes []struct{ Code string } }
			Entities struct {
				Nodes []struct {
					Typename string `json:"__typename"`
					Name     string
				}
			}
		}
		e.post(t, `query($src: ID!) {
			neighborhood(id: "actor:lazarus-group", depth: 1, edgeTypes: [SPONSORED_BY, PART_OF]) { nodes { id } edges { id type } }
			paths(from: "incident:bybit-hack", to: "state:ru", maxHops: 6) { length nodes { id } edges { type evidence { quote } } }
			timeline(state: "KP", from: "2022", to: "2024") { totalCount edges { node { name date } path { type } } }
			node(id: $src) { __typename ... on Source { url } }
			sources(first: 2) { totalCount nodes { url publishedAt } }
			states { nodes { code } }
			entities(types: [SECTOR, ORGANIZATION]) { nodes { __typename name } }
		}`, map[string]any{"src": fbi.ID}).data(t, &got)

		if ids := func() (out []string) {
			for _, n := range got.Neighborhood.Nodes {
				out = append(out, n.ID)
			}
			return
		}(); len(ids) != 3 || ids[0] != "actor:lazarus-group" || len(got.Neighborhood.Edges) != 2 {
			t.Errorf("neighborhood = %+v, want Lazarus, North Korea and TraderTraitor joined by two relations", got.Neighborhood)
		}
		// Two paths: Lazarus is both sponsored by and located in North Korea. Parallel
		// relations order by their IDs.
		if len(got.Paths) != 2 || got.Paths[0].Length != 4 || len(got.Paths[0].Nodes) != 5 || got.Paths[0].Nodes[4].ID != "state:ru" ||
			len(got.Paths[0].Edges[0].Evidence) == 0 || got.Paths[0].Edges[2].Type != "LOCATED_IN" || got.Paths[1].Edges[2].Type != "SPONSORED_BY" {
			t.Errorf("paths Bybit -> Russia = %+v", got.Paths)
		}
		var timeline []string
		for _, e := range got.Timeline.Edges {
			timeline = append(timeline, e.Node.Date+" "+e.Node.Name)
			if len(e.Path) == 0 {
				t.Errorf("timeline entry %s has no path", e.Node.Name)
			}
		}
		if want := []string{"2022-03-23 Ronin bridge hack", "2024-07 WazirX hack"}; !slices.Equal(timeline, want) || got.Timeline.TotalCount != 2 {
			t.Errorf("timeline = %v, want %v, oldest first", timeline, want)
		}
		if got.Node.Typename != "Source" || got.Node.URL != fbi.URL {
			t.Errorf("node(fbi) = %+v", got.Node)
		}
		if got.Sources.TotalCount != 5 || len(got.Sources.Nodes) != 2 || got.Sources.Nodes[0].URL != cooperate.URL || got.Sources.Nodes[1].URL != fbi.URL {
			t.Errorf("sources, newest first = %+v", got.Sources)
		}
		var codes []string
		for _, s := range got.States.Nodes {
			codes = append(codes, s.Code)
		}
		if !slices.Equal(codes, []string{"KP", "RU"}) {
			t.Errorf("states = %v", codes)
		}
		if len(got.Entities.Nodes) != 4 || got.Entities.Nodes[0].Name != "Bybit" || got.Entities.Nodes[1].Typename != "Sector" {
			t.Errorf("sectors and organizations by name = %+v", got.Entities.Nodes)
		}
	})
}

func TestIncidentsFilterAndOrder(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		query := `query($f: IncidentFilter, $o: IncidentOrder) {
			incidents(filter: $f, orderBy: $o) { totalCount edges { node { name } path { type } certainty } }
		}`
		type page struct {
			Incidents struct {
				TotalCount int
				Edges      []struct {
					Node      struct{ Name string }
					Path      []struct{ Type string }
					Certainty *string
				}
			}
		}
		names := func(p page) (out []string) {
			for _, e := range p.Incidents.Edges {
				out = append(out, e.Node.Name)
			}
			return
		}
		for _, tc := range []struct {
			name   string
			filter map[string]any
			order  map[string]any
			want   []string
		}{
			{"most recent first", nil, nil, []string{"Bybit hack", "WazirX hack", "Ronin bridge hack"}},
			{"largest first", nil, map[string]any{"field": "USD"}, []string{"Bybit hack", "Ronin bridge hack", "WazirX hack"}},
			{"by name", nil, map[string]any{"field": "NAME", "direction": "ASC"}, []string{"Bybit hack", "Ronin bridge hack", "WazirX hack"}},
			{"of Lazarus, by a name of it", map[string]any{"actor": "Hidden Cobra", "certainty": "ASSERTED"}, nil, []string{"Bybit hack", "Ronin bridge hack"}},
			{"of an actor nobody knows", map[string]any{"actor": "Nobody"}, nil, nil},
			{"against exchanges", map[string]any{"sector": "sector:cryptocurrency-exchange"}, nil, []string{"Bybit hack", "WazirX hack"}},
			{"against Sky Mavis", map[string]any{"target": "org:sky-mavis"}, nil, []string{"Ronin bridge hack"}},
			{"in 2024 or later, over $200 million", map[string]any{"from": "2024", "minUSD": 200e6}, nil, []string{"Bybit hack", "WazirX hack"}},
			{"thefts until March 2022", map[string]any{"kind": "THEFT", "to": "2022-03"}, nil, []string{"Ronin bridge hack"}},
		} {
			var got page
			e.post(t, query, map[string]any{"f": tc.filter, "o": tc.order}).data(t, &got)
			if !slices.Equal(names(got), tc.want) || got.Incidents.TotalCount != len(tc.want) {
				t.Errorf("%s: %v (total %d), want %v", tc.name, names(got), got.Incidents.TotalCount, tc.want)
			}
		}
		var got page
		e.post(t, query, map[string]any{"f": map[string]any{"state": "kp"}}).data(t, &got)
		if e := got.Incidents.Edges; len(e) != 3 || len(e[0].Path) != 3 || e[0].Certainty == nil || *e[0].Certainty != "ASSERTED" {
			t.Errorf("incidents of KP = %+v, want paths", got)
		}
		e.post(t, query, nil).data(t, &got)
		if e := got.Incidents.Edges; len(e[0].Path) != 0 || e[0].Certainty != nil {
			t.Errorf("unfiltered incidents carry a path: %+v", e[0])
		}
		for name, f := range map[string]map[string]any{
			"a bad date":         {"from": "2024-13"},
			"a bad state":        {"state": "North Korea"},
			"state and actor":    {"state": "KP", "actor": "Lazarus Group"},
			"a negative minimum": {"minUSD": -1},
			"a period backwards": {"from": "2025", "to": "2020"},
		} {
			r := e.post(t, query, map[string]any{"f": f})
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
				t.Errorf("%s: %s, want INVALID", name, r.body)
			}
		}
	})
}

// A variable is data: text that looks like Cypher is searched for as text, and the
// graph is unchanged, on every store.
func TestVariablesAreNeverQueries(t *testing.T) {
	eachStore(t, setup{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		before, err := e.store.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, cypher := range []string{
			`"}) MATCH (n) DETACH DELETE n //`,
			`x' OR 1=1; DROP TABLE nodes; --`,
			"lazarus` }) DETACH DELETE n WITH 1 AS x MATCH (m) RETURN m //",
			`+lazarus~2 OR *:*`,
		} {
			var got struct {
				Search    struct{ Nodes []struct{ ID string } }
				Actor     *struct{ ID string }
				Incidents struct{ TotalCount int }
			}
			e.post(t, `query($q: String!, $id: ID!) {
				search(query: $q) { nodes { id } }
				actor(name: $q) { id }
				incidents(filter: {actor: $q, sector: $id, target: $id}) { totalCount }
			}`, map[string]any{"q": cypher, "id": cypher}).data(t, &got)
			if got.Actor != nil || got.Incidents.TotalCount != 0 {
				t.Errorf("variables %q found %+v", cypher, got)
			}
			for _, n := range got.Search.Nodes {
				if n.ID != "actor:lazarus-group" {
					t.Errorf("search for %q found %s", cypher, n.ID)
				}
			}
		}
		after, err := e.store.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) || after.TotalNodes() == 0 {
			t.Errorf("counts changed from %+v to %+v", before, after)
		}
	})
}

// panicky is the real store, except that SearchPage panics with a message that must
// not reach the client.
type panicky struct{ graph.Store }

const secret = "connection string bolt://admin:hunter2@10.0.0.7"

func (panicky) SearchPage(context.Context, graph.SearchQuery) (*graph.Results[*graph.Node], error) {
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
		{"panic", func(s graph.Store) graph.Store { return panicky{s} }, `query Find { search(query: "lazarus") { nodes { id } } }`, secret},
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
			QueryType    struct{ Name string }
			MutationType struct{ Name string }
			Types        []struct{ Name, Description string }
		} `json:"__schema"`
	}
	e.post(t, introspectionQuery, nil).data(t, &got)
	if got.Schema.QueryType.Name != "Query" || got.Schema.MutationType.Name != "Mutation" {
		t.Errorf("root types = %+v", got.Schema)
	}
	for _, ty := range got.Schema.Types {
		if ty.Name == "State" && ty.Description == "" {
			t.Errorf("State has no description")
		}
	}
}

// FuzzVariables sends arbitrary text as the variables of every query that takes text:
// nothing may panic or fail internally.
func FuzzVariables(f *testing.F) {
	for _, s := range []string{"kp", "Lazarus", `"}) MATCH (n) DETACH DELETE n //`, "", "\x00", "ZZ", "actor:lazarus-group", "🇰🇵", strings.Repeat("a", 300), "lazarsu", "+a~2"} {
		f.Add(s)
	}
	e := newEnv(f, nil)
	f.Fuzz(func(t *testing.T, s string) {
		r := e.post(t, `query($s: String!, $id: ID!) {
			state(code: $s) { id }
			actor(name: $s) { id }
			byID: actor(id: $id) { id }
			incident(id: $id) { id }
			search(query: $s, first: 5) { nodes { id } }
			incidents(filter: {actor: $s, from: $s}, after: $s) { totalCount }
			node(id: $id) { id }
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
