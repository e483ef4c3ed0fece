package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// exportEnv is an embedded store holding the reference knowledge and what the FBI page
// in testdata says. (The export layer's Neo4j round trip is export's own test.)
func exportEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{"CYBERKG_STORE": filepath.Join(t.TempDir(), "graph.db")}
	if r := runMain(t, env, "", "ingest", "testdata/bybit-fbi.html"); r.err != nil {
		t.Fatalf("ingest: %v\n%s", r.err, r.stderr)
	}
	return env
}

func TestExportCommandWritesEveryFormat(t *testing.T) {
	env := exportEnv(t)
	dir := t.TempDir()
	for _, f := range []string{"graphml", "gexf", "cytoscape", "csv", "stix", "cypher", "markdown", "html"} {
		out := filepath.Join(dir, "lazarus."+f)
		r := runMain(t, env, "", "export", "--format", f, "--seed", "Lazarus Group", "--seed", "state:kp", "--depth", "2", "-o", out)
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", f, r.err, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: no file (%v)", f, err)
		}
		if !strings.Contains(r.stderr, "exported ") || !strings.Contains(r.stderr, " as "+f+" to "+out) {
			t.Errorf("%s: stderr %q", f, r.stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 8 {
		t.Errorf("%d files in the output directory, want the 8 exports and no leftovers", len(entries))
	}

	// No -o: stdout.
	r := runMain(t, env, "", "export", "--format", "markdown", "--seed", "Hidden Cobra", "--kind", "incident,threat-actor", "--asserted")
	if r.err != nil || !strings.HasPrefix(r.stdout, "# cyberkg report: Lazarus Group\n") {
		t.Fatalf("stdout export: %v\n%s\n%s", r.err, r.stdout, r.stderr)
	}
}

func TestExportCommandRefusesBadSelectionsAndLeavesNoFile(t *testing.T) {
	env := exportEnv(t)
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.graphml")
	if err := os.WriteFile(keep, []byte("an earlier export"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code string
		says string
	}{
		{[]string{"--seed", "Lazarus Group", "--depth", "9"}, graph.EINVALID, "depth 9 is too large: the maximum is 6"},
		{[]string{"--seed", "Nobody At All"}, graph.ENOTFOUND, `seed "Nobody At All"`},
		{[]string{"--id", "actor:nobody"}, graph.ENOTFOUND, `"actor:nobody"`},
		{[]string{}, graph.EINVALID, "nothing selected"},
		{[]string{"--seed", "Lazarus Group", "--format", "pdf"}, graph.EINVALID, `unknown format "pdf"`},
		{[]string{"--seed", "Lazarus Group", "--kind", "planet"}, graph.EINVALID, `unknown kind "planet"`},
		{[]string{"--seed", "Lazarus Group", "--from", "2024-02-30"}, graph.EINVALID, "2024-02-30"},
		{[]string{"--seed", "Lazarus Group", "--min-confidence", "2"}, graph.EINVALID, "want 0 to 1"},
	} {
		for _, out := range []string{filepath.Join(dir, "new.graphml"), keep} {
			r := runMain(t, env, "", append([]string{"export", "-o", out}, tc.args...)...)
			if graph.ErrorCode(r.err) != tc.code || !strings.Contains(r.err.Error(), tc.says) || exitCode(r.err) != 1 {
				t.Errorf("%v: got %v (%s), want %s saying %q", tc.args, r.err, graph.ErrorCode(r.err), tc.code, tc.says)
			}
		}
	}
	if b, _ := os.ReadFile(keep); string(b) != "an earlier export" {
		t.Errorf("a refused export changed an existing file: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("refused exports left files: %v", entries)
	}
}

func get(t *testing.T, u, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestExportEndpoint(t *testing.T) {
	env := exportEnv(t)
	base := serve(t, env)

	res, body := get(t, base+"/export?format=graphml&seed=Lazarus+Group&seed=state:kp&depth=2", "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/graphml+xml" ||
		res.Header.Get("Content-Disposition") != `attachment; filename=cyberkg-actor-lazarus-group.graphml` ||
		!strings.Contains(string(body), "<graphml") {
		t.Fatalf("export: %d %v\n%.300s", res.StatusCode, res.Header, body)
	}
	// The explorer's view: node IDs.
	res, body = get(t, base+"/export?format=cytoscape&id=actor:lazarus-group&id=state:kp", "")
	var cy struct{ Elements struct{ Nodes, Edges []any } }
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &cy) != nil || len(cy.Elements.Nodes) != 2 || len(cy.Elements.Edges) != 1 {
		t.Fatalf("export by IDs: %d %s", res.StatusCode, body)
	}

	for _, tc := range []struct {
		query  string
		status int
		code   string
		says   string
	}{
		{"format=gexf&seed=Lazarus+Group&depth=7", 400, "EINVALID", "the maximum is 6"},
		{"format=gexf&seed=Nobody+At+All", 404, "ENOTFOUND", "Nobody At All"},
		{"format=gexf&id=actor:nobody", 404, "ENOTFOUND", "actor:nobody"},
		{"format=gexf", 400, "EINVALID", "nothing selected"},
		{"format=pdf&seed=Lazarus+Group", 400, "EINVALID", "unknown format"},
		{"seed=Lazarus+Group&minConfidence=lots", 400, "EINVALID", "minConfidence"},
	} {
		res, body := get(t, base+"/export?"+tc.query, "")
		var e struct{ Error, Code string }
		if res.StatusCode != tc.status || json.Unmarshal(body, &e) != nil || e.Code != tc.code || !strings.Contains(e.Error, tc.says) ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s", tc.query, res.StatusCode, body)
		}
	}
}

func TestExportEndpointNeedsWhatGraphQLNeeds(t *testing.T) {
	env := exportEnv(t)
	env["CYBERKG_PUBLIC_READ"] = "false"
	env["CYBERKG_TOKENS"] = "reader:rita:reader-secret-0123456789"
	base := serve(t, env)
	u := base + "/export?format=stix&seed=Lazarus+Group"
	for token, want := range map[string]int{"": 401, "wrong-token-0123456789": 401, "reader-secret-0123456789": 200} {
		res, body := get(t, u, token)
		if res.StatusCode != want {
			t.Errorf("token %q: %d %s", token, res.StatusCode, body)
		}
		if want == 401 && !strings.Contains(string(body), `"code":"UNAUTHENTICATED"`) {
			t.Errorf("token %q: %s", token, body)
		}
	}
}

func TestExportSubgraphQuery(t *testing.T) {
	env := exportEnv(t)
	base := serve(t, env)
	status, out := post(t, base, "", `{ exportSubgraph(selection: {seeds: ["Hidden Cobra"], depth: 1, minCertainty: ASSERTED}, format: MARKDOWN) {
		format nodeCount relationCount filename mediaType url content } }`)
	if status != http.StatusOK || errorCode(out) != "" {
		t.Fatalf("%d %v", status, out)
	}
	ex := out["data"].(map[string]any)["exportSubgraph"].(map[string]any)
	if ex["filename"] != "cyberkg-actor-lazarus-group.md" || ex["mediaType"] != "text/markdown; charset=utf-8" || ex["nodeCount"].(float64) < 2 ||
		!strings.HasPrefix(ex["content"].(string), "# cyberkg report: Lazarus Group") {
		t.Fatalf("export: %v", ex)
	}
	// The URL downloads the same file.
	u, err := url.Parse(ex["url"].(string))
	if err != nil || u.Path != "/export" {
		t.Fatalf("url %v", ex["url"])
	}
	res, body := get(t, base+ex["url"].(string), "")
	if res.StatusCode != http.StatusOK || string(body) != ex["content"] {
		t.Errorf("the URL gives %d, and not the inline content:\n%s\n---\n%s", res.StatusCode, body, ex["content"])
	}
	// Binary formats are not inlined; relation counts agree with the file.
	_, out = post(t, base, "", `{ exportSubgraph(selection: {seeds: ["Lazarus Group"], depth: 2}, format: CSV) { relationCount content } }`)
	if ex := out["data"].(map[string]any)["exportSubgraph"].(map[string]any); ex["content"] != nil || ex["relationCount"].(float64) < 1 {
		t.Errorf("csv: %v", ex)
	}
	status, out = post(t, base, "", `{ exportSubgraph(selection: {seeds: ["Lazarus Group"], depth: 9}, format: GEXF) { nodeCount } }`)
	if errorCode(out) != "INVALID" || !strings.Contains(out["errors"].([]any)[0].(map[string]any)["message"].(string), "the maximum is 6") {
		t.Errorf("depth 9: %d %v", status, out)
	}
	_, out = post(t, base, "", `{ exportSubgraph(selection: {seeds: ["Nobody At All"]}, format: GEXF) { nodeCount } }`)
	if errorCode(out) != "NOT_FOUND" {
		t.Errorf("unknown seed: %v", out)
	}
}
