package resolvers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

// exportSubgraph runs at most cap(exportSlots) exports at once, whether they come in
// separate requests or as many aliases of one operation; the others wait their turn
// and then answer in full.
func TestExportSubgraphBoundsConcurrentExports(t *testing.T) {
	gate := storetest.NewGated(nil)
	e := newEnv(t, func(s graph.Store) graph.Store { gate.Store = s; return gate })
	bound := int32(cap(exportSlots))
	release := gate.Release
	defer release() // a failing test lets the held exports go
	field := `exportSubgraph(selection: {seeds: ["Hidden Cobra"], depth: 1}, format: CYPHER) { nodeCount content }`

	type answer struct {
		status int
		body   []byte
		err    error
	}
	answers := make(chan answer, 8)
	send := func(query string) {
		body, _ := json.Marshal(map[string]any{"query": query})
		resp, err := http.Post(e.url, "application/json", bytes.NewReader(body))
		if err != nil {
			answers <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answers <- answer{resp.StatusCode, b, err}
	}
	// Four requests of one export each, and one operation asking for four at once.
	for range 4 {
		go send("{ " + field + " }")
	}
	var aliased strings.Builder
	for i := range 4 {
		fmt.Fprintf(&aliased, "e%d: %s ", i, field)
	}
	go send("{ " + aliased.String() + "}")

	for deadline := time.Now().Add(10 * time.Second); gate.Waiting.Load() < bound; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d exports reached the store, want %d", gate.Waiting.Load(), bound)
		}
	}
	// Time for any export past the bound to reach the store, were it let through.
	time.Sleep(300 * time.Millisecond)
	if n := gate.Waiting.Load(); n != bound {
		t.Fatalf("%d exports in progress at once, want %d", n, bound)
	}
	release()

	type result struct {
		NodeCount int
		Content   *string
	}
	for range 5 {
		a := <-answers
		if a.err != nil || a.status != http.StatusOK {
			t.Fatalf("an export that waited ended %d (%v): %s", a.status, a.err, a.body)
		}
		var r struct {
			Data   map[string]result
			Errors []gqlError
		}
		if err := json.Unmarshal(a.body, &r); err != nil || len(r.Errors) > 0 || len(r.Data) == 0 {
			t.Fatalf("an export that waited answered %s (%v)", a.body, err)
		}
		for name, x := range r.Data {
			if x.NodeCount < 2 || x.Content == nil || !strings.Contains(*x.Content, "MERGE (n:Entity {id: 'actor:lazarus-group'})") {
				t.Errorf("%s: %d nodes, content %v: want Lazarus Group and its neighbours in Cypher", name, x.NodeCount, x.Content)
			}
		}
	}
	if m := gate.Most.Load(); m != bound {
		t.Errorf("at most %d exports ran at once, want %d", m, bound)
	}
}
