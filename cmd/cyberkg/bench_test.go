package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
)

var (
	benchLoadLine = regexp.MustCompile(`(?m)^load: \d+ nodes and \d+ edges \(\d+ facts\) in \S+, batches of \d+ incidents: \d+ facts/s`)
	benchStore    = regexp.MustCompile(`(?m)^cyberkg bench: embedded store (\S+) \(temporary`)
	// A table row: the query, then API p50, p99 and req/s, then the same for Cypher
	// and the ratio of the p50s, or dashes where there is no Cypher.
	benchNumbers = `\s+\d+\.\d\dms\s+\d+\.\d\dms\s+\d+\.\d\s+`
	benchCypher  = `\d+\.\d\dms\s+\d+\.\d\dms\s+\d+\.\d\s+\d+\.\d\d \((ok|over 1\.2)\)$`
	benchNone    = `-\s+-\s+-\s+-$`
)

// TestBench runs the whole benchmark at a tiny scale on every store: it loads, checks
// the answers agree, and prints a row of numbers for each of the four queries.
func TestBench(t *testing.T) {
	for _, st := range stores(t) {
		t.Run(st.name, func(t *testing.T) {
			r := runBench(t, st.env, "--incidents", "300", "--clients", "1", "--duration", "1s")
			if r.err != nil {
				t.Fatalf("bench: %v\n%s\n%s", r.err, r.stdout, r.stderr)
			}
			t.Log(r.stdout)
			if !benchLoadLine.MatchString(r.stdout) {
				t.Error("no load time and facts/s")
			}
			rest := benchNone
			if st.name == "neo4j" {
				rest = benchCypher
			}
			for _, q := range []string{"a", "b", "c", "d"} {
				row := regexp.MustCompile(`(?m)^\(` + q + `\) .*?` + benchNumbers + rest)
				if !row.MatchString(r.stdout) {
					t.Errorf("no row of numbers for query (%s)", q)
				}
				if !regexp.MustCompile(`(?m)^  \(` + q + `\) .*: same$`).MatchString(r.stdout) {
					t.Errorf("answers to (%s) not checked", q)
				}
			}

			if st.name == "embedded" {
				// A temporary store, gone afterwards; the user's store untouched.
				m := benchStore.FindStringSubmatch(r.stdout)
				if m == nil {
					t.Fatal("no temporary store named")
				}
				if _, err := os.Stat(filepath.Dir(m[1])); !os.IsNotExist(err) {
					t.Errorf("temporary store %s left behind (%v)", m[1], err)
				}
				if _, err := os.Stat(st.env["CYBERKG_STORE"]); !os.IsNotExist(err) {
					t.Errorf("bench touched $CYBERKG_STORE (%v)", err)
				}
				return
			}
			// Neo4j now holds the synthetic graph: bench refuses it, unless --reuse,
			// which finds the graph there and does not load it again.
			again := runMain(t, st.env, "", "bench", "--incidents", "300", "--clients", "1", "--duration", "100ms", "--queries", "c")
			if again.err == nil || !strings.Contains(again.err.Error(), "--reuse") {
				t.Errorf("bench on a store holding data: %v", again.err)
			}
			reuse := runMain(t, st.env, "", "bench", "--incidents", "300", "--clients", "1", "--duration", "100ms", "--queries", "c", "--reuse")
			if reuse.err != nil || !strings.Contains(reuse.stdout, "load: skipped") {
				t.Errorf("bench --reuse: %v\n%s", reuse.err, reuse.stdout)
			}
		})
	}
}

// TestBenchRefusesAStoreWithData: the synthetic facts must never mix with real ones.
func TestBenchRefusesAStoreWithData(t *testing.T) {
	env := stores(t)[0].env
	path := env["CYBERKG_STORE"]
	if r := runMain(t, env, "", "ingest", fixture); r.err != nil {
		t.Fatal(r.err)
	}
	before := counts(t, env)
	r := runMain(t, env, "", "bench", "--store", path, "--incidents", "50", "--duration", "100ms")
	if r.err == nil || graph.ErrorCode(r.err) != graph.ECONFLICT || !strings.Contains(r.err.Error(), "--reuse") {
		t.Fatalf("bench on a store with data: %v, want a conflict that names --reuse", r.err)
	}
	if after := counts(t, env); after.TotalNodes() != before.TotalNodes() || after.TotalEdges() != before.TotalEdges() {
		t.Errorf("refused bench changed the store: %+v, was %+v", after, before)
	}
	r = runMain(t, env, "", "bench", "--store", path, "--incidents", "50", "--duration", "100ms", "--clients", "1", "--queries", "c", "--reuse")
	if r.err != nil {
		t.Fatalf("bench --reuse: %v\n%s", r.err, r.stdout)
	}
	if after := counts(t, env); after.Nodes[graph.KindIncident] != before.Nodes[graph.KindIncident]+50 {
		t.Errorf("bench --reuse: %d incidents, want %d", after.Nodes[graph.KindIncident], before.Nodes[graph.KindIncident]+50)
	}
}

// runBench runs bench like main does, and fails the test if it leaves its server
// running: main would then wait for a signal instead of exiting.
func runBench(t *testing.T, env map[string]string, args ...string) run {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: tick,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := m.Run(ctx, append([]string{"bench"}, args...))
	if m.server != nil || m.store != nil {
		t.Error("bench returned with its server or store open")
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return run{stdout.String(), stderr.String(), err}
}

func TestBenchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--clients", "0"},
		{"--duration", "0s"},
		{"--queries", "ax"},
		{"extra"},
	} {
		r := runMain(t, nil, "", append([]string{"bench"}, args...)...)
		if graph.ErrorCode(r.err) != graph.EINVALID {
			t.Errorf("bench %v: %v, want invalid", args, r.err)
		}
	}
}
