package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/neo4j"
	"github.com/cyberkg/cyberkg/graph/neo4j/neo4jtest"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

const fixture = "testdata/dprk-2024-thefts.txt"

// storeEnv is the environment that selects one store for a test.
type storeEnv struct {
	name string
	env  map[string]string
}

// stores returns the stores every end-to-end test runs on: the embedded default, and a
// real Neo4j when NEO4J_URI is set (emptied first; tests using it run one at a time).
func stores(t *testing.T) []storeEnv {
	t.Helper()
	out := []storeEnv{{name: "embedded", env: map[string]string{"CYBERKG_STORE": filepath.Join(t.TempDir(), "graph.db")}}}
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CYBERKG_REQUIRE_NEO4J") == "1" {
			t.Fatal("CYBERKG_REQUIRE_NEO4J=1 but NEO4J_URI is not set")
		}
		t.Log("NEO4J_URI is not set: running on the embedded store only (start Neo4j with: eval \"$(.ci/neo4j-start)\")")
		return out
	}
	storetest.Exclusive(t, "neo4j") // other packages' tests empty the same server
	env := map[string]string{"NEO4J_URI": uri}
	for _, k := range []string{"NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"} {
		env[k] = os.Getenv(k)
	}
	emptyNeo4j(t, env)
	return append(out, storeEnv{name: "neo4j", env: env})
}

// emptyNeo4j deletes everything in the test database.
func emptyNeo4j(t *testing.T, env map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := neo4j.Config{URI: env["NEO4J_URI"], Username: env["NEO4J_USERNAME"], Password: env["NEO4J_PASSWORD"], Database: env["NEO4J_DATABASE"]}
	if err := neo4jtest.Empty(ctx, cfg); err != nil {
		t.Fatalf("empty Neo4j: %v", err)
	}
}

type run struct {
	stdout, stderr string
	err            error
}

// clock moves a day forward each time a command reads a source, so that re-reading
// happens visibly later.
var clock = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func tick() time.Time {
	clock = clock.Add(24 * time.Hour)
	return clock
}

// runMain runs one cyberkg command in-process with the given environment.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) run {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: tick,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := m.Run(ctx, args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return run{stdout.String(), stderr.String(), err}
}

// serve starts `cyberkg serve` on a free port and returns its URL.
func serve(t *testing.T, env map[string]string) string {
	t.Helper()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(k string) string { return env[k] }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: tick}
	if err := m.Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}); err != nil {
		t.Fatalf("serve: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m.URL()
}

func counts(t *testing.T, env map[string]string) graph.Counts {
	t.Helper()
	m := &Main{Getenv: func(k string) string { return env[k] }}
	s, err := m.openStore(context.Background(), env["CYBERKG_STORE"])
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func graphql(t *testing.T, url, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any   `json:"data"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("graphql errors: %v", out.Errors)
	}
	return out.Data
}

// TestSeedFactsEndToEnd ingests a report stating the seed article's facts and asks the
// GraphQL API the two headline questions, on every store.
func TestSeedFactsEndToEnd(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			r := runMain(t, st.env, "", "ingest", fixture)
			if r.err != nil {
				t.Fatalf("ingest: %v\n%s", r.err, r.stderr)
			}
			if !strings.Contains(r.stdout, "ATTRIBUTED_TO") || !strings.Contains(r.stdout, "nodes: ") {
				t.Errorf("ingest summary:\n%s", r.stdout)
			}
			before := counts(t, st.env)
			again := runMain(t, st.env, "", "ingest", fixture)
			if again.err != nil {
				t.Fatal(again.err)
			}
			if !strings.Contains(again.stdout, "nodes: 0 new, 0 updated; edges: 0 new, 0 updated") {
				t.Errorf("second ingest changed something:\n%s", again.stdout)
			}
			if after := counts(t, st.env); after.TotalNodes() != before.TotalNodes() || after.TotalEdges() != before.TotalEdges() {
				t.Errorf("counts changed on re-ingest: %+v -> %+v", before, after)
			}

			url := serve(t, st.env)
			resp, err := http.Get(url + "/healthz")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("healthz: %v %v", resp, err)
			}
			resp.Body.Close()
			data := graphql(t, url, `{
			  state(code: "kp") {
			    name
			    collaborators {
			      partner { name ... on State { code } }
			      certainty
			      evidence { quote certainty source { url } }
			    }
			    attributedIncidents {
			      edges {
			        incident {
			          name date stolenUSD incidentKind
			          stolen { amount { value currency valueUSD approximate } evidence { quote } }
			          targets { entity { name kind } evidence { quote source { url } } }
			        }
			        path { type evidence { quote claimant source { url } } }
			      }
			    }
			  }
			}`)
			state := data["state"].(map[string]any)
			if state["name"] != "North Korea" {
				t.Fatalf("state = %v", state)
			}
			sourceSuffix := "/cmd/cyberkg/" + fixture

			var partners []string
			for _, c := range list(state["collaborators"]) {
				p := c["partner"].(map[string]any)
				partners = append(partners, p["name"].(string))
				if p["code"] == "RU" {
					ev := list(c["evidence"])
					if len(ev) < 1 || !strings.Contains(ev[0]["quote"].(string), "cooperation with Russia") ||
						!strings.HasSuffix(ev[0]["source"].(map[string]any)["url"].(string), sourceSuffix) {
						t.Errorf("Russia collaboration evidence %v", ev)
					}
				}
			}
			if !slices.Contains(partners, "Russia") {
				t.Errorf("collaborators of North Korea: %v, want Russia", partners)
			}

			incidents := list(state["attributedIncidents"].(map[string]any)["edges"])
			if len(incidents) != 1 {
				t.Fatalf("attributed incidents: %v", incidents)
			}
			inc := incidents[0]["incident"].(map[string]any)
			if inc["date"] != "2024" || inc["stolenUSD"] != 1.3e9 || inc["incidentKind"] != "THEFT" {
				t.Errorf("incident %v: want a 2024 theft of $1.3 billion", inc)
			}
			stolen := list(inc["stolen"])
			if len(stolen) != 1 || stolen[0]["amount"].(map[string]any)["approximate"] != true {
				t.Errorf("stolen %v: want one approximate amount", stolen)
			}
			path := list(incidents[0]["path"])
			if len(path) != 1 || path[0]["type"] != "ATTRIBUTED_TO" {
				t.Fatalf("path %v: want one ATTRIBUTED_TO", path)
			}
			ev := list(path[0]["evidence"])
			if len(ev) == 0 || !strings.Contains(ev[0]["quote"].(string), "attributed to North Korea") ||
				!strings.HasSuffix(ev[0]["source"].(map[string]any)["url"].(string), sourceSuffix) {
				t.Errorf("attribution evidence %v", ev)
			}
			var sectors []string
			for _, tg := range list(inc["targets"]) {
				e := tg["entity"].(map[string]any)
				if e["kind"] == "SECTOR" {
					sectors = append(sectors, e["name"].(string))
				}
				if len(list(tg["evidence"])) == 0 {
					t.Errorf("target %v has no evidence", e["name"])
				}
			}
			slices.Sort(sectors)
			if want := []string{"Banking", "Cryptocurrency exchange", "Technology companies"}; !slices.Equal(sectors, want) {
				t.Errorf("targeted sectors %v, want %v", sectors, want)
			}
		})
	}
}

func list(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// TestBadInputChangesNothing feeds ingest what it must refuse: each gets a clear error
// and a non-zero exit, and the store is left as it was.
func TestBadInputChangesNothing(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := bytes.Repeat([]byte("North Korea stole money. "), 50<<20/25)
	cases := []struct {
		name, arg, stdin, want string
	}{
		{"empty file", write("empty.txt", nil), "", "is empty"},
		{"blank file", write("blank.txt", []byte(" \n\t\n")), "", "is empty"},
		{"binary file", write("image.png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)), "", "looks binary"},
		{"50 MB file", write("huge.txt", big), "", "larger than"},
		{"invalid UTF-8", write("latin1.txt", []byte("Pyongyang\xff\xfe hackers stole \xe9 funds")), "", "not valid UTF-8"},
		{"directory", dir, "", "is a directory"},
		{"missing file", filepath.Join(dir, "nope.txt"), "", "cannot read"},
		{"empty stdin", "-", "", "stdin is empty"},
	}
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			if r := runMain(t, st.env, "", "ingest", fixture); r.err != nil {
				t.Fatal(r.err)
			}
			before := counts(t, st.env)
			for _, tc := range cases {
				r := runMain(t, st.env, tc.stdin, "ingest", tc.arg)
				if r.err == nil || exitCode(r.err) == 0 {
					t.Errorf("%s: no error", tc.name)
					continue
				}
				if !strings.Contains(r.err.Error(), tc.want) {
					t.Errorf("%s: error %q, want it to say %q", tc.name, r.err, tc.want)
				}
			}
			if after := counts(t, st.env); after.TotalNodes() != before.TotalNodes() || after.TotalEdges() != before.TotalEdges() {
				t.Errorf("bad input changed the store: %+v -> %+v", before, after)
			}
		})
	}
	t.Run("bad input never creates a store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "graph.db")
		r := runMain(t, map[string]string{"CYBERKG_STORE": path}, "", "ingest", write("empty2.txt", nil))
		if r.err == nil {
			t.Fatal("no error")
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("store created by a refused ingest: %v", err)
		}
	})
}

// TestUnreachableNeo4j: a wrong NEO4J_URI gets an error that names it and says what to
// do, quickly, and a non-zero exit.
func TestUnreachableNeo4j(t *testing.T) {
	start := time.Now()
	r := runMain(t, map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}, "", "ingest", fixture)
	if r.err == nil || exitCode(r.err) == 0 {
		t.Fatal("no error")
	}
	if graph.ErrorCode(r.err) != graph.EUNAVAILABLE || !strings.Contains(r.err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q (code %s): want it unavailable and naming the URI", r.err, graph.ErrorCode(r.err))
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

func TestUsage(t *testing.T) {
	if r := runMain(t, nil, "", "frobnicate"); r.err == nil || !strings.Contains(r.err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", r.err)
	}
	if r := runMain(t, nil, "", "ingest"); r.err == nil || !strings.Contains(r.err.Error(), "one FILE") {
		t.Errorf("ingest without args: %v", r.err)
	}
}

// TestIngestHTMLPage reads a news page: the article's text, not its navigation or
// scripts, with the page's title and publication date on the source.
func TestIngestHTMLPage(t *testing.T) {
	env := stores(t)[0].env
	r := runMain(t, env, "", "ingest", "testdata/bybit-fbi.html")
	if r.err != nil {
		t.Fatal(r.err)
	}
	url := serve(t, env)
	data := graphql(t, url, `{ incident(id: "incident:bybit-hack") {
	  name date stolenUSD
	  attributions { attributedTo { name } certainty evidence { claimant quote source { title publisher publishedAt } } }
	  targets { entity { name } }
	} actor(name: "Lazarus Group") { subgroups { member { name } evidence { quote } } } }`)
	inc, ok := data["incident"].(map[string]any)
	if !ok {
		t.Fatalf("no Bybit hack: %v\ningest said:\n%s", data, r.stdout)
	}
	if inc["date"] != "2025-02-21" || inc["stolenUSD"] != 1.5e9 {
		t.Errorf("incident %v", inc)
	}
	atts := list(inc["attributions"])
	if len(atts) != 1 || atts[0]["attributedTo"].(map[string]any)["name"] != "TraderTraitor" || atts[0]["certainty"] != "ASSERTED" {
		t.Fatalf("attributions %v", atts)
	}
	ev := list(atts[0]["evidence"])[0]
	src := ev["source"].(map[string]any)
	if ev["claimant"] != "FBI" || !strings.HasPrefix(src["title"].(string), "FBI ties Bybit theft") ||
		src["publisher"] != "Example Security News" || !strings.HasPrefix(src["publishedAt"].(string), "2025-02-27") {
		t.Errorf("evidence %v", ev)
	}
	if subs := list(data["actor"].(map[string]any)["subgroups"]); len(subs) == 0 {
		t.Errorf("TraderTraitor is not a subgroup of Lazarus Group")
	}
	if strings.Contains(r.stdout, "footer") {
		t.Errorf("the page's script was read as text:\n%s", r.stdout)
	}
	// The bounty is not what was stolen.
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "STOLE") && strings.Contains(line, "140") {
			t.Errorf("bounty read as stolen: %s", line)
		}
	}
}

// TestImportCatalogues enriches the reference with ATT&CK then MISP, and refuses a file
// of the wrong shape without touching the store.
func TestImportCatalogues(t *testing.T) {
	env := stores(t)[0].env
	for _, c := range []struct{ format, file string }{
		{"attack", "../../scrapers/importers/testdata/enterprise-attack.json"},
		{"misp-galaxy", "../../scrapers/importers/testdata/misp-threat-actor.json"},
	} {
		r := runMain(t, env, "", "import", c.format, c.file)
		if r.err != nil || !strings.Contains(r.stdout, "imported") {
			t.Fatalf("import %s: %v\n%s", c.format, r.err, r.stdout)
		}
	}
	before := counts(t, env)
	again := runMain(t, env, "", "import", "attack", "../../scrapers/importers/testdata/enterprise-attack.json")
	if again.err != nil || !strings.Contains(again.stdout, "nodes: 0 new, 0 updated; edges: 0 new, 0 updated") {
		t.Errorf("re-import changed something: %v\n%s", again.err, again.stdout)
	}
	for _, bad := range [][]string{
		{"import", "attack", "../../scrapers/importers/testdata/misp-threat-actor.json"},
		{"import", "misp-galaxy", fixture},
		{"import", "stix", fixture},
	} {
		if r := runMain(t, env, "", bad...); r.err == nil || graph.ErrorCode(r.err) != graph.EINVALID {
			t.Errorf("%v: %v, want an invalid-input error", bad, r.err)
		}
	}
	if after := counts(t, env); after.TotalNodes() != before.TotalNodes() || after.TotalEdges() != before.TotalEdges() {
		t.Errorf("counts %+v -> %+v", before, after)
	}
}

// TestReingestChangedFileRetractsOldClaims: a file edited since it was read is a new
// version of the same source; what only the old version said goes.
func TestReingestChangedFileRetractsOldClaims(t *testing.T) {
	env := stores(t)[0].env
	path := filepath.Join(t.TempDir(), "report.txt")
	first := "The FBI said TraderTraitor carried out the theft of about $1.5 billion from Bybit.\nOfficials described cooperation between North Korea and Russia.\n"
	if err := os.WriteFile(path, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runMain(t, env, "", "ingest", path); r.err != nil || !strings.Contains(r.stdout, "COLLABORATES_WITH") {
		t.Fatalf("first ingest: %v\n%s", r.err, r.stdout)
	}
	if r := runMain(t, env, "", "ingest", path); !strings.Contains(r.stdout, "unchanged") {
		t.Errorf("re-reading the same file: %s", r.stdout)
	}
	before := counts(t, env)
	if err := os.WriteFile(path, []byte(strings.SplitAfter(first, "\n")[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runMain(t, env, "", "ingest", path); r.err != nil {
		t.Fatal(r.err)
	}
	if after := counts(t, env); after.Edges[graph.CollaboratesWith] != before.Edges[graph.CollaboratesWith]-1 {
		t.Errorf("collaborations %d -> %d: the edited file no longer says it", before.Edges[graph.CollaboratesWith], after.Edges[graph.CollaboratesWith])
	}
}
