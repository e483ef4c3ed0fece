package embedded_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cyberkg/cyberkg/graph"
)

// Writers queue on the one write connection and readers run beside them: nobody sees
// SQLITE_BUSY, and every write lands.
func TestConcurrentReadersAndWriters(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "kg.db"))
	defer s.Close()
	if _, err := s.Write(ctx, background()); err != nil {
		t.Fatal(err)
	}
	const writers, batches, perBatch, readers = 4, 10, 10, 6
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	var writing atomic.Int32
	writing.Store(writers)
	for w := range writers {
		wg.Go(func() {
			defer writing.Add(-1)
			for n := range batches {
				b, _ := incidents(fmt.Sprintf("writer %d batch %d", w, n), perBatch)
				// Every writer also adds a name to the same group, so they contend for
				// one row as well as for the write lock.
				g := *groups[0]
				g.Aliases = []string{fmt.Sprintf("TG-0/%d/%d", w, n)}
				b.Nodes = append(b.Nodes, &g)
				if _, err := s.Write(ctx, b); err != nil {
					errs <- fmt.Errorf("writer %d batch %d: %w", w, n, err)
					return
				}
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			for i := 0; writing.Load() > 0; i++ {
				if err := read(ctx, s, groups[(r+i)%len(groups)].ID); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := writers * batches * perBatch; c.Nodes[graph.KindIncident] != want || c.Edges[graph.AttributedTo] != want {
		t.Errorf("counts %+v: want %d incidents and attributions", c, want)
	}
	g, err := s.Node(ctx, groups[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + writers*batches; len(g.Aliases) != want {
		t.Errorf("%s has %d aliases, want %d", g.Name, len(g.Aliases), want)
	}
}

// read asks what the API asks of a store while it is being written.
func read(ctx context.Context, s graph.Store, id string) error {
	if _, err := s.Node(ctx, id); err != nil {
		return err
	}
	if _, err := s.Edges(ctx, graph.EdgeFilter{Ends: []string{id}}); err != nil {
		return err
	}
	if _, err := s.Neighborhood(ctx, id, graph.NeighborhoodOptions{Depth: 2, Limit: 50}); err != nil {
		return err
	}
	if _, err := s.Search(ctx, graph.SearchQuery{Text: "incident 1"}); err != nil {
		return err
	}
	if _, err := s.Resolve(ctx, graph.KindActor, []string{"TG-1", "Test Group 2"}); err != nil {
		return err
	}
	_, err := s.Counts(ctx)
	return err
}
