package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/synthetic"
)

// chromium is Debian's browser, which the explorer's end-to-end test drives.
const chromium = "/usr/bin/chromium"

// The explorer, end to end in a real browser: the real server on a store loaded with
// the test reports, the reference knowledge, a synthetic graph large enough to pan
// 5,000 entities, and entities whose names and quotes carry scripts. The walk itself
// (search → entity page → graph → expand → path → timeline → charts → export → XSS →
// keyboard → phone width → GraphiQL → big graphs → a cut view) is web/e2e/explorer.mjs, on playwright-core; it
// saves screenshots to $CYBERKG_ARTIFACTS (or a temporary directory) and prints the
// measured figures, which this test logs.
func TestExplorerInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("a browser walk: not with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "web", "e2e", "explorer.mjs")
	// Read, so that go test's cache knows the result depends on the walk.
	if _, err := os.ReadFile(script); err != nil {
		t.Fatal(err)
	}
	var missing []string
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, chromium+" (apt-get install chromium)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node")
	}
	if _, err := os.Stat(filepath.Join(root, "web", "ui", "node_modules", "playwright-core")); err != nil {
		missing = append(missing, "web/ui/node_modules/playwright-core (npm ci in web/ui)")
	}
	if len(missing) > 0 {
		msg := "the browser test needs " + strings.Join(missing, ", ") + ": run .ci/install-browser"
		if os.Getenv("CYBERKG_BROWSER_REQUIRED") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	env := map[string]string{"CYBERKG_STORE": filepath.Join(t.TempDir(), "graph.db")}
	for _, f := range []string{"testdata/dprk-2024-thefts.txt", "testdata/bybit-fbi.html"} {
		if r := runMain(t, env, "", "ingest", f); r.err != nil {
			t.Fatalf("ingest %s: %v\n%s", f, r.err, r.stderr)
		}
	}
	loadForExplorer(t, env)
	url := serve(t, env)

	artifacts := os.Getenv("CYBERKG_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots and downloads go to %s", artifacts)

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, url, artifacts)
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "METRIC ") {
			t.Log(line)
		}
	}
	if err != nil {
		t.Fatalf("the browser walk failed (%v):\n%s", err, out)
	}
	if testing.Verbose() {
		t.Logf("the browser walk:\n%s", out)
	}
}

// loadForExplorer adds a synthetic graph (5,000 incidents: enough for a 5,000-entity
// view) and the script-laden entities of xssBatch to the store.
func loadForExplorer(t *testing.T, env map[string]string) {
	t.Helper()
	ctx := context.Background()
	m := &Main{Getenv: func(k string) string { return env[k] }}
	defer m.Close()
	s, err := m.openStore(ctx, env["CYBERKG_STORE"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synthetic.Load(ctx, s, synthetic.Options{Incidents: 5000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, xssBatch()); err != nil {
		t.Fatalf("write the XSS entities: %v", err)
	}
}

// The payloads the XSS check plants in names, aliases, quotes, claimants and titles:
// any that ran would set window.__xss.
const (
	xssScript = `<script>window.__xss=1</script>`
	xssImg    = `<img src=x onerror="window.__xss=1">`
)

// xssBatch is a threat actor, an incident and an organization whose names, aliases,
// quotes, claimant, source title and source URL are all attacks on a page that would
// insert them as HTML; the explorer must show them as text.
func xssBatch() *graph.Batch {
	published := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	src := &graph.Node{ID: graph.NodeID(graph.KindSource, "javascript:window.__xss=1"), Kind: graph.KindSource,
		Name: "Report " + xssImg, URL: "javascript:window.__xss=1", Title: "Report " + xssImg,
		Publisher: "Publisher " + xssScript, Published: published, Fetched: published}
	claim := func(quote, claimant string, c graph.Certainty) graph.Claim {
		return graph.Claim{SourceID: src.ID, Quote: quote, Claimant: claimant, Certainty: c,
			Confidence: graph.ClaimConfidence(c, claimant), Reported: published}
	}
	actorName := "Group " + xssScript
	actor := &graph.Node{ID: graph.NodeID(graph.KindActor, actorName), Kind: graph.KindActor, Name: actorName,
		Aliases: []string{"Alias " + xssImg}, ActorKind: graph.ActorGroup,
		Description: "Described as " + xssImg}
	incName := "Heist " + xssImg
	date, _ := graph.ParseDate("2025-05")
	inc := &graph.Node{ID: graph.NodeID(graph.KindIncident, incName), Kind: graph.KindIncident, Name: incName,
		IncidentKind: graph.IncidentTheft, Date: date}
	orgName := "Victim " + xssScript
	org := &graph.Node{ID: graph.NodeID(graph.KindOrganization, orgName), Kind: graph.KindOrganization, Name: orgName}
	said := claim("They said "+xssScript+" and "+xssImg+" did it.", "Claimant "+xssImg, graph.Hedged)
	for _, n := range []*graph.Node{actor, inc, org} {
		n.Claims = []graph.Claim{said}
	}
	edge := func(t graph.EdgeType, from, to string) *graph.Edge {
		return &graph.Edge{ID: graph.EdgeID(t, from, to), Type: t, From: from, To: to, Claims: []graph.Claim{said}}
	}
	return (&graph.Batch{
		Nodes: []*graph.Node{src, actor, inc, org},
		Edges: []*graph.Edge{edge(graph.AttributedTo, inc.ID, actor.ID), edge(graph.Targeted, inc.ID, org.ID)},
	}).Normalized()
}
