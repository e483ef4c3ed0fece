package resolvers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

const (
	readerToken = "reader-token-5f1c0e7d9a"
	editorToken = "editor-token-8b2d4a6c1e"
	adminToken  = "admin-token-3e9f7b5d2c"
)

// testTokens are a reader's, an editor's and an admin's; the admin's is given by its
// digest, as a tokens file should.
func testTokens(t testing.TB) *Tokens {
	t.Helper()
	digest := sha256.Sum256([]byte(adminToken))
	toks, err := ParseTokens(fmt.Sprintf("# test tokens\nreader:rita:%s\neditor:ed:%s; admin:ada:sha256:%s\n", readerToken, editorToken, hex.EncodeToString(digest[:])))
	if err != nil {
		t.Fatal(err)
	}
	return toks
}

func TestParseTokens(t *testing.T) {
	if toks := testTokens(t); toks.Len() != 3 {
		t.Errorf("%d tokens", toks.Len())
	}
	for name, text := range map[string]string{
		"no secret":    "editor:ed",
		"unknown role": "root:ed:0123456789abcdef0",
		"short secret": "editor:ed:short",
		"bad digest":   "editor:ed:sha256:abc",
		"name twice":   "editor:ed:0123456789abcdef0\nreader:ed:0123456789abcdef1",
		"token twice":  "editor:ed:0123456789abcdef0\nreader:rita:0123456789abcdef0",
		"no name":      "editor::0123456789abcdef0",
	} {
		_, err := ParseTokens(text)
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
}

func TestReadingIsPublicOrTokenOnly(t *testing.T) {
	public := newEnvOn(t, openEmbedded(t), setup{opts: Options{Tokens: testTokens(t)}})
	private := newEnvOn(t, openEmbedded(t), setup{opts: Options{Tokens: testTokens(t), TokenOnly: true}})
	query := `{ viewer { name role } state(code: "KP") { name } }`
	type viewer struct {
		Viewer struct {
			Name *string
			Role *string
		}
		State struct{ Name string }
	}
	for _, tc := range []struct {
		name   string
		e      *env
		token  string
		status int
		role   string
	}{
		{"public, anonymous", public, "", 200, ""},
		{"public, a reader", public, readerToken, 200, "READER"},
		{"public, an unknown token", public, "nobody-0123456789abcdef", 401, ""},
		{"private, anonymous", private, "", 401, ""},
		{"private, a reader", private, readerToken, 200, "READER"},
		{"private, an admin by digest", private, adminToken, 200, "ADMIN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.e.postAs(t, tc.token, query, nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status != 200 {
				if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeUnauthenticated {
					t.Errorf("errors %+v, want UNAUTHENTICATED", r.Errors)
				}
				return
			}
			var got viewer
			r.data(t, &got)
			if role := got.Viewer.Role; (role == nil) != (tc.role == "") || (role != nil && *role != tc.role) || got.State.Name != "North Korea" {
				t.Errorf("viewer %+v, state %q; want role %q", got.Viewer, got.State.Name, tc.role)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, public.url, strings.NewReader(`{"query": "{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Basic "+readerToken)
	if r := public.do(t, req); r.status != 401 {
		t.Errorf("a Basic Authorization: %d", r.status)
	}
}

const mergeMutation = `mutation($keep: ID!, $drop: ID!, $why: String!) {
	merge(keep: $keep, drop: $drop, why: $why) {
		entity { id name aliases }
		changes { nodesRemoved edgesRemoved edgesCreated edgesUpdated }
		audit { id who role action why what subjects at }
	}
}`

// Roles: a reader may not change the graph or read its audit trail, an editor may,
// and every change is recorded.
func TestCurationNeedsAnEditorAndIsAudited(t *testing.T) {
	gop := src("https://news.example.com/sony", "Sony hacked", "Example Wire", published)
	duplicate := &graph.Batch{
		Nodes: []*graph.Node{gop, {ID: "actor:guardians-of-peace", Kind: graph.KindActor, Name: "Guardians of Peace",
			Claims: []graph.Claim{claim(gop, "Guardians of Peace claimed the hack.", "", graph.Asserted)}}},
		Edges: []*graph.Edge{{Type: graph.SponsoredBy, From: "actor:guardians-of-peace", To: "state:kp",
			Claims: []graph.Claim{claim(gop, "Guardians of Peace work for North Korea, the FBI said.", "FBI", graph.Asserted)}}},
	}
	eachStore(t, setup{world: append(world(), duplicate), opts: Options{Tokens: testTokens(t)}}, func(t *testing.T, e *env) {
		vars := map[string]any{"keep": "actor:lazarus-group", "drop": "actor:guardians-of-peace", "why": "Guardians of Peace is a Lazarus persona."}
		for token, code := range map[string]string{"": CodeUnauthenticated, readerToken: CodeForbidden} {
			r := e.postAs(t, token, mergeMutation, vars)
			if want := map[string]int{CodeUnauthenticated: 401, CodeForbidden: 403}[code]; r.status != want || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != code {
				t.Errorf("merge with token %q: %d %s, want %d %s", token, r.status, r.body, want, code)
			}
		}
		if r := e.postAs(t, readerToken, `{ auditLog { totalCount } }`, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeForbidden {
			t.Errorf("a reader reads the audit trail: %s", r.body)
		}
		var merged struct {
			Merge struct {
				Entity struct {
					ID, Name string
					Aliases  []string
				}
				Changes struct{ NodesRemoved, EdgesRemoved, EdgesCreated, EdgesUpdated int }
				Audit   struct {
					ID, Who, Role, Action, Why, What, At string
					Subjects                             []string
				}
			}
		}
		e.postAs(t, editorToken, mergeMutation, vars).data(t, &merged)
		m := merged.Merge
		if m.Entity.ID != "actor:lazarus-group" || !slices.Contains(m.Entity.Aliases, "Guardians of Peace") {
			t.Errorf("merged entity %+v", m.Entity)
		}
		if m.Changes.NodesRemoved != 1 || m.Changes.EdgesRemoved != 1 || m.Changes.EdgesUpdated != 1 {
			t.Errorf("changes %+v: want the duplicate and its sponsorship gone, Lazarus's sponsorship updated", m.Changes)
		}
		if m.Audit.Who != "ed" || m.Audit.Role != "editor" || m.Audit.Action != "MERGE" || m.Audit.Why != vars["why"] || m.Audit.At == "" ||
			!slices.Contains(m.Audit.Subjects, "actor:guardians-of-peace") {
			t.Errorf("audit %+v", m.Audit)
		}
		// The audit trail holds it, for editors, by subject.
		var log struct {
			AuditLog struct {
				TotalCount int
				Nodes      []struct {
					ID, Who, Action, Detail string
					Changes                 struct{ NodesRemoved int }
				}
			}
		}
		e.postAs(t, editorToken, `{ auditLog(subject: "actor:guardians-of-peace") { totalCount nodes { id who action detail changes { nodesRemoved } } } }`, nil).data(t, &log)
		if log.AuditLog.TotalCount != 1 || log.AuditLog.Nodes[0].ID != m.Audit.ID || log.AuditLog.Nodes[0].Changes.NodesRemoved != 1 ||
			!strings.Contains(log.AuditLog.Nodes[0].Detail, "Guardians of Peace") {
			t.Errorf("audit log %+v", log.AuditLog)
		}
		// Lazarus answers to the dropped name now.
		var actor struct{ Actor struct{ ID string } }
		e.post(t, `{ actor(name: "guardians of peace") { id } }`, nil).data(t, &actor)
		if actor.Actor.ID != "actor:lazarus-group" {
			t.Errorf("actor(Guardians of Peace) = %+v", actor.Actor)
		}
		for name, tc := range map[string]struct {
			vars map[string]any
			code string
		}{
			"into itself":  {map[string]any{"keep": "actor:lazarus-group", "drop": "actor:lazarus-group", "why": "x"}, CodeInvalid},
			"across kinds": {map[string]any{"keep": "actor:lazarus-group", "drop": "state:ru", "why": "x"}, CodeConflict},
			"unknown":      {map[string]any{"keep": "actor:lazarus-group", "drop": "actor:nobody", "why": "x"}, CodeNotFound},
			"no reason":    {map[string]any{"keep": "actor:lazarus-group", "drop": "actor:tradertraitor", "why": "  "}, CodeInvalid},
		} {
			if r := e.postAs(t, editorToken, mergeMutation, tc.vars); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code {
				t.Errorf("merge %s: %s, want %s", name, r.body, tc.code)
			}
		}
	})
}

const addClaim = `mutation($in: AddClaimInput!) {
	addClaim(input: $in) {
		relation { id type from { id } to { id } certainty evidence { quote claimant certainty source { id url title publisher } } }
		changes { edgesCreated edgesUpdated edgesRemoved }
		audit { action who subjects }
	}
}`

const retractClaim = `mutation($in: RetractClaimInput!) {
	retractClaim(input: $in) { relation { id evidence { quote } } changes { edgesRemoved nodesRemoved } audit { action who } }
}`

func TestClaimsAreAddedAndRetracted(t *testing.T) {
	eachStore(t, setup{opts: Options{Tokens: testTokens(t)}}, func(t *testing.T, e *env) {
		in := map[string]any{
			"type": "SPONSORED_BY", "from": "actor:tradertraitor", "to": "state:kp",
			"source":    map[string]any{"url": "https://report.example.org/tradertraitor", "title": "TraderTraitor, a DPRK unit", "publisher": "Example Research"},
			"quote":     "TraderTraitor answers to Pyongyang.",
			"claimant":  "Example Research",
			"certainty": "ASSERTED",
			"why":       "From the 2025 report.",
		}
		var added struct {
			AddClaim struct {
				Relation struct {
					ID, Type  string
					Certainty string
					Evidence  []struct {
						Quote, Claimant, Certainty string
						Source                     struct{ ID, URL, Title, Publisher string }
					}
				}
				Changes struct{ EdgesCreated int }
				Audit   struct {
					Action, Who string
					Subjects    []string
				}
			}
		}
		e.postAs(t, editorToken, addClaim, map[string]any{"in": in}).data(t, &added)
		rel := added.AddClaim.Relation
		if rel.ID != "SPONSORED_BY:actor:tradertraitor>state:kp" || rel.Certainty != "ASSERTED" || len(rel.Evidence) != 1 ||
			rel.Evidence[0].Quote != in["quote"] || rel.Evidence[0].Source.Title != "TraderTraitor, a DPRK unit" || added.AddClaim.Changes.EdgesCreated != 1 {
			t.Fatalf("added %+v", added.AddClaim)
		}
		if a := added.AddClaim.Audit; a.Action != "ADD_CLAIM" || a.Who != "ed" || !slices.Contains(a.Subjects, rel.ID) {
			t.Errorf("audit %+v", a)
		}
		// TraderTraitor now has a sponsor of its own.
		var actor struct {
			Actor struct{ Sponsor struct{ Code string } }
		}
		e.post(t, `{ actor(id: "actor:tradertraitor") { sponsor { code } } }`, nil).data(t, &actor)
		if actor.Actor.Sponsor.Code != "KP" {
			t.Errorf("sponsor %+v", actor.Actor)
		}
		for name, tc := range map[string]struct {
			change map[string]any
			code   string
		}{
			"an unknown end":          {map[string]any{"to": "state:zz"}, CodeNotFound},
			"ends of the wrong kinds": {map[string]any{"from": "incident:bybit-hack"}, CodeConflict},
			"no quote":                {map[string]any{"quote": " "}, CodeInvalid},
			"no reason":               {map[string]any{"why": ""}, CodeInvalid},
			"an end that is a source": {map[string]any{"to": "source:1"}, CodeInvalid},
		} {
			bad := map[string]any{}
			for k, v := range in {
				bad[k] = v
			}
			for k, v := range tc.change {
				bad[k] = v
			}
			if r := e.postAs(t, editorToken, addClaim, map[string]any{"in": bad}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code {
				t.Errorf("%s: %s, want %s", name, r.body, tc.code)
			}
		}
		// Retracting the only claim deletes the relation.
		var retracted struct {
			RetractClaim struct {
				Relation *struct{ ID string }
				Changes  struct{ EdgesRemoved, NodesRemoved int }
				Audit    struct{ Action string }
			}
		}
		retract := map[string]any{"relation": rel.ID, "source": rel.Evidence[0].Source.ID, "why": "Withdrawn by its authors."}
		e.postAs(t, editorToken, retractClaim, map[string]any{"in": retract}).data(t, &retracted)
		if retracted.RetractClaim.Relation != nil || retracted.RetractClaim.Changes.EdgesRemoved != 1 || retracted.RetractClaim.Audit.Action != "RETRACT_CLAIM" {
			t.Errorf("retracted %+v", retracted.RetractClaim)
		}
		if r := e.postAs(t, editorToken, retractClaim, map[string]any{"in": retract}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeNotFound {
			t.Errorf("retract again: %s, want NOT_FOUND", r.body)
		}
		// A whole source: admins only.
		whole := map[string]any{"source": blog.ID, "why": "The blog is unreliable."}
		if r := e.postAs(t, editorToken, retractClaim, map[string]any{"in": whole}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeForbidden {
			t.Errorf("an editor retracts a whole source: %s", r.body)
		}
		e.postAs(t, adminToken, retractClaim, map[string]any{"in": whole}).data(t, &retracted)
		if retracted.RetractClaim.Changes.NodesRemoved == 0 || retracted.RetractClaim.Audit.Action != "REMOVE_SOURCE" {
			t.Errorf("retract a whole source: %+v", retracted.RetractClaim)
		}
		var inc struct{ Incident *struct{ ID string } }
		e.post(t, `{ incident(id: "incident:wazirx-hack") { id } }`, nil).data(t, &inc)
		if inc.Incident != nil {
			t.Errorf("WazirX survived the retraction of its only source")
		}
		var log struct{ AuditLog struct{ TotalCount int } }
		e.postAs(t, adminToken, `{ auditLog { totalCount } }`, nil).data(t, &log)
		if log.AuditLog.TotalCount != 3 {
			t.Errorf("%d audit entries, want the 3 changes made", log.AuditLog.TotalCount)
		}
	})
}

const ingestText = `mutation($text: String!, $url: String, $why: String!) {
	ingestText(text: $text, url: $url, why: $why) { outcome source { id url title } changes { nodesCreated edgesCreated } audit { action subjects } }
}`

const harmony = `Harmony bridge hacked

The FBI said the Lazarus Group stole about $100 million from the Harmony bridge in June 2022.
`

type ingestResult struct {
	Outcome string
	Source  *struct{ ID, URL, Title string }
	Changes struct{ NodesCreated, EdgesCreated int }
	Audit   struct {
		Action   string
		Subjects []string
	}
}

func TestIngest(t *testing.T) {
	eachStore(t, setup{opts: Options{Tokens: testTokens(t)}}, func(t *testing.T, e *env) {
		var got struct{ IngestText ingestResult }
		e.postAs(t, editorToken, ingestText, map[string]any{"text": harmony, "why": "Pasted from the FBI's statement."}).data(t, &got)
		r := got.IngestText
		if r.Outcome != "ADDED" || r.Source == nil || !strings.HasPrefix(r.Source.URL, "urn:sha256:") || r.Source.Title != "Harmony bridge hacked" ||
			r.Changes.NodesCreated == 0 || r.Audit.Action != "INGEST_TEXT" || !slices.Contains(r.Audit.Subjects, r.Source.ID) {
			t.Fatalf("ingest text: %+v", r)
		}
		var search struct {
			Search struct{ Nodes []struct{ ID string } }
		}
		e.post(t, `{ search(query: "harmony", types: [INCIDENT, ORGANIZATION]) { nodes { id } } }`, nil).data(t, &search)
		if len(search.Search.Nodes) == 0 {
			t.Errorf("nothing about Harmony was added")
		}
		e.postAs(t, editorToken, ingestText, map[string]any{"text": harmony, "why": "Again."}).data(t, &got)
		if got.IngestText.Outcome != "UNCHANGED" || got.IngestText.Changes.NodesCreated != 0 {
			t.Errorf("the same text again: %+v", got.IngestText)
		}
		if r := e.postAs(t, readerToken, ingestText, map[string]any{"text": harmony, "why": "x"}); r.status != 403 {
			t.Errorf("a reader ingests: %s", r.body)
		}

		// URLs go through the SSRF guard: this test server is on loopback.
		page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/harmony" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, harmony)
		}))
		defer page.Close()
		ingestURL := `mutation($url: String!) { ingestURL(url: $url, why: "A report.") { outcome source { url } changes { nodesCreated } audit { action } } }`
		res := e.postAs(t, editorToken, ingestURL, map[string]any{"url": page.URL + "/harmony"})
		if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != CodeInvalid || !strings.Contains(res.Errors[0].Message, "public addresses") {
			t.Errorf("a loopback URL: %s, want INVALID from the SSRF guard", res.body)
		}
		for _, u := range []string{"file:///etc/passwd", "gopher://x", "not a url"} {
			if res := e.postAs(t, editorToken, ingestURL, map[string]any{"url": u}); len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != CodeInvalid {
				t.Errorf("url %q: %s", u, res.body)
			}
		}
	})
}

// The pipeline behind ingestURL, with a fetcher that may reach this test's server.
func TestIngestURLThroughThePipeline(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/harmony":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, harmony)
		case "/private":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "Nothing to see.")
		default:
			http.NotFound(w, r)
		}
	}))
	defer page.Close()
	f, err := fetch.New(fetch.Options{AllowPrivate: true, HostRate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := newEnvOn(t, openEmbedded(t), setup{opts: Options{Tokens: testTokens(t), Fetcher: f}})
	ingestURL := `mutation($url: String!) { ingestURL(url: $url, why: "A report.") { outcome source { url } changes { nodesCreated } audit { action subjects } } }`
	var got struct{ IngestURL ingestResult }
	e.postAs(t, editorToken, ingestURL, map[string]any{"url": page.URL + "/harmony"}).data(t, &got)
	if r := got.IngestURL; r.Outcome != "ADDED" || r.Source == nil || r.Source.URL != page.URL+"/harmony" || r.Changes.NodesCreated == 0 || r.Audit.Action != "INGEST_URL" {
		t.Fatalf("ingest URL: %+v", r)
	}
	e.postAs(t, editorToken, ingestURL, map[string]any{"url": page.URL + "/harmony"}).data(t, &got)
	if got.IngestURL.Outcome != "UNCHANGED" {
		t.Errorf("the same page again: %+v", got.IngestURL)
	}
	if r := e.postAs(t, editorToken, ingestURL, map[string]any{"url": page.URL + "/missing"}); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeInvalid {
		t.Errorf("a 404: %s", r.body)
	}
	var log struct {
		AuditLog struct {
			Nodes []struct{ Action, What string }
		}
	}
	e.postAs(t, editorToken, `{ auditLog(action: INGEST_URL) { nodes { action what } } }`, nil).data(t, &log)
	if len(log.AuditLog.Nodes) != 2 || !strings.Contains(log.AuditLog.Nodes[0].What, "unchanged") {
		t.Errorf("audit of ingests %+v", log.AuditLog)
	}
}
