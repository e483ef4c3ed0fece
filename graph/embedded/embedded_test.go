package embedded_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

type harness struct{}

func (harness) MakeStore(ctx context.Context, t *testing.T) (graph.Store, error) {
	return embedded.Open(ctx, filepath.Join(t.TempDir(), "kg.db"))
}

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, func(context.Context, *testing.T) (storetest.Harness, error) {
		return harness{}, nil
	})
}

func open(t *testing.T, path string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReopenKeepsEverything(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "deeper", "still", "kg.db") // parents are created
	batches := storetest.SyntheticFacts(1000, 250)
	s := open(t, path)
	if _, err := storetest.WriteAll(ctx, s, batches); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.Counts(ctx)
	edges, _ := s.Edges(ctx, graph.EdgeFilter{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	if got, _ := s.Counts(ctx); !reflect.DeepEqual(got, counts) {
		t.Errorf("counts after reopening %+v, want %+v", got, counts)
	}
	if got, _ := s.Edges(ctx, graph.EdgeFilter{}); !reflect.DeepEqual(got, edges) {
		t.Errorf("edges differ after reopening: %d, want %d", len(got), len(edges))
	}
	if hits, err := s.Search(ctx, graph.SearchQuery{Text: "SG-7"}); err != nil || len(hits) == 0 || hits[0].Name != "Synthetic Group 7" {
		t.Errorf("search after reopening: %v, %v", hits, err)
	}
	// What came back from disk merges with the same facts as unchanged.
	if sum, err := storetest.WriteAll(ctx, s, batches); err != nil || sum.Changed() {
		t.Errorf("rewriting after reopening: %+v, %v; want nothing changed", sum, err)
	}
}

// Names and citations have no foreign keys (see the schema), so RemoveSource must
// clean them up itself.
func TestRemoveSourceLeavesNoStrayRows(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kg.db")
	s := open(t, path)
	defer s.Close()
	blog := &graph.Node{ID: graph.NodeID(graph.KindSource, "https://blog.example/"), Kind: graph.KindSource,
		Name: "A blog", URL: "https://blog.example/", Claims: []graph.Claim{wireClaim("A blog covers attacks.")}}
	said := graph.Claim{SourceID: blog.ID, Quote: "Test Group 1, also called Blue Heron, hit Victim Co.", Certainty: graph.Hedged, Confidence: 0.35}
	victim := &graph.Node{ID: "org:victim-co", Kind: graph.KindOrganization, Name: "Victim Co"} // no claim of its own
	inc := &graph.Node{ID: "incident:victim-co-breach", Kind: graph.KindIncident, Name: "Victim Co breach", Aliases: []string{"The Heron breach"}, Claims: []graph.Claim{said}}
	heron := *groups[1]
	heron.Aliases, heron.Claims = []string{"Blue Heron"}, []graph.Claim{said}
	for _, b := range []*graph.Batch{background(), {
		Nodes: []*graph.Node{blog, victim, inc, &heron},
		Edges: []*graph.Edge{
			{Type: graph.Targeted, From: inc.ID, To: victim.ID, Claims: []graph.Claim{said}},
			{Type: graph.AttributedTo, From: inc.ID, To: heron.ID, Claims: []graph.Claim{said}},
		},
	}} {
		if _, err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := s.RemoveSource(ctx, blog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (graph.Summary{NodesRemoved: 3, NodesUpdated: 1, EdgesRemoved: 2}); sum != want {
		t.Errorf("summary %+v, want %+v (blog, incident and victim gone; the group stripped)", sum, want)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stray := range []struct {
		what, query string
		args        []any
	}{
		{"names of deleted nodes", `SELECT count(*) FROM aliases WHERE node_id NOT IN (SELECT id FROM nodes)`, nil},
		{"citations of deleted nodes", `SELECT count(*) FROM node_sources WHERE node_id NOT IN (SELECT id FROM nodes)`, nil},
		{"citations of deleted edges", `SELECT count(*) FROM edge_sources WHERE edge_id NOT IN (SELECT id FROM edges)`, nil},
		{"citations by the source", `SELECT (SELECT count(*) FROM node_sources WHERE source_id = ?1)
			+ (SELECT count(*) FROM edge_sources WHERE source_id = ?1)`, []any{blog.ID}},
	} {
		var n int
		if err := db.QueryRow(stray.query, stray.args...).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows, %v", stray.what, n, err)
		}
	}
	if got, _ := s.Resolve(ctx, graph.KindIncident, []string{"Heron breach"}); len(got) != 0 {
		t.Errorf("a deleted incident still resolves: %v", got)
	}
}

func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "notes.txt")
	writeFile(t, notSQLite, bytes.Repeat([]byte("not a database\n"), 300))
	truncated := filepath.Join(dir, "truncated.db")
	writeFile(t, truncated, []byte("SQLite form"))
	foreign := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE mine (x); INSERT INTO mine VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newer := filepath.Join(dir, "newer.db")
	s := open(t, newer)
	s.Close()
	db, _ = sql.Open("sqlite", newer)
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tc := range []struct {
		name, path string
	}{
		{"a directory", dir},
		{"a text file", notSQLite},
		{"a file cut short", truncated},
		{"another program's database", foreign},
		{"a store from a newer cyberkg", newer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			s, err := embedded.Open(t.Context(), tc.path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if graph.ErrorCode(err) != graph.EINVALID || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q: want %s naming %s", err, graph.EINVALID, tc.path)
			}
			if after, _ := os.ReadFile(tc.path); !bytes.Equal(before, after) {
				t.Errorf("the file was modified")
			}
		})
	}
	if _, err := embedded.Open(t.Context(), " "); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("empty path: %v, want %s", err, graph.EINVALID)
	}
}

func TestOpenAcceptsAnEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kg.db")
	writeFile(t, path, nil) // as a shell's `touch` leaves it
	s := open(t, path)
	defer s.Close()
	if _, err := storetest.WriteAll(t.Context(), s, storetest.SyntheticFacts(10, 10)); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ID lists travel as one JSON parameter, so they need no chunking under SQLite's limit
// on bound variables (32766).
func TestLongIDListsNeedNoChunking(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "kg.db"))
	defer s.Close()
	b, known := incidents("long list", 50)
	if _, err := s.Write(ctx, background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, 40_000)
	for i := range 40_000 {
		ids = append(ids, fmt.Sprintf("incident:unknown-%d", i))
		if i%800 == 0 {
			ids = append(ids, known[i/800])
		}
	}
	nodes, err := s.Nodes(ctx, ids)
	if err != nil || len(nodes) != len(known) || nodes[0].ID != known[0] {
		t.Fatalf("Nodes of %d IDs: %d found, %v; want %d", len(ids), len(nodes), err, len(known))
	}
	edges, err := s.Edges(ctx, graph.EdgeFilter{Ends: ids})
	if err != nil || len(edges) != len(known) {
		t.Fatalf("Edges at %d IDs: %d, %v; want %d", len(ids), len(edges), err, len(known))
	}
}

func TestCancelledWriteWritesNothing(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "kg.db"))
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b, _ := incidents("cancelled", 10)
	b.Nodes = append(b.Nodes, background().Nodes...)
	if _, err := s.Write(ctx, b); !errors.Is(err, context.Canceled) {
		t.Errorf("write with a cancelled context: %v", err)
	}
	if c, _ := s.Counts(t.Context()); c.TotalNodes() != 0 {
		t.Errorf("counts %+v after a cancelled write", c)
	}
}
