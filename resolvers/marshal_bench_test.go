package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/synthetic"
)

// heldNeighborhoods answers each neighbourhood the store was asked for once from then
// on, so that a benchmark over it times the API's own work (parsing, resolving,
// building the response), not the store's.
type heldNeighborhoods struct {
	graph.Store
	mu   sync.Mutex
	held map[string]*graph.Subgraph
}

func (s *heldNeighborhoods) Neighborhood(ctx context.Context, id string, opt graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	key, _ := json.Marshal(struct {
		ID  string
		Opt graph.NeighborhoodOptions
	}{id, opt})
	s.mu.Lock()
	g, ok := s.held[string(key)]
	s.mu.Unlock()
	if ok {
		return g, nil
	}
	g, err := s.Store.Neighborhood(ctx, id, opt)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.held[string(key)] = g
	s.mu.Unlock()
	return g, nil
}

// BenchmarkNeighborhood times cyberkg bench's query (b), a 500-entity neighbourhood
// two hops deep, through the handler on the embedded store holding a synthetic graph:
// "store" reads the store each time, "api" holds the store's answer so that only the
// API's work is timed. "ends" also asks for the ends of the relations, resolver fields
// that load through the dataloaders.
//
//	go test -run '^$' -bench Neighborhood -cpuprofile cpu.out ./resolvers/
func BenchmarkNeighborhood(b *testing.B) {
	ctx := context.Background()
	s := openEmbedded(b)
	if _, err := synthetic.Load(ctx, s, synthetic.Options{Incidents: 5000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ids, err := s.Resolve(ctx, graph.KindActor, []string{"Lazarus Group"})
	if err != nil {
		b.Fatal(err)
	}
	id := ids[graph.Normalize("Lazarus Group")]
	queries := map[string]string{
		"ids":  `query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { nodes { id } edges { id } } }`,
		"ends": `query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { nodes { id } edges { id from { id } to { id } } } }`,
	}
	stores := map[string]graph.Store{"store": s, "api": &heldNeighborhoods{Store: s, held: map[string]*graph.Subgraph{}}}
	for _, storeName := range []string{"store", "api"} {
		h := NewHandler(stores[storeName], slog.New(slog.DiscardHandler))
		b.Cleanup(func() { h.Close() })
		for _, queryName := range []string{"ids", "ends"} {
			body, _ := json.Marshal(map[string]any{"query": queries[queryName], "variables": map[string]any{"id": id}})
			b.Run(storeName+"/"+queryName, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
						res, _ := io.ReadAll(w.Result().Body)
						b.Fatalf("status %d: %.500s", w.Code, res)
					}
				}
			})
		}
	}
}
