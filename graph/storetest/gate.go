package storetest

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/cyberkg/cyberkg/graph"
)

// Gated is a real store with a gate before Nodes, so that a test can hold readers in
// progress and count them (an export reads its nodes one chunk at a time: at most one
// of its calls waits at once). The instrumentation of a store, not a mock of one.
type Gated struct {
	graph.Store
	Waiting atomic.Int32 // calls at the gate now
	Most    atomic.Int32 // the most that ever were

	open    chan struct{} // closed: every call goes through
	release func()
}

// NewGated puts a closed gate in front of s's Nodes (s may be set later, through the
// embedded Store, before the first call).
func NewGated(s graph.Store) *Gated {
	g := &Gated{Store: s, open: make(chan struct{})}
	g.release = sync.OnceFunc(func() { close(g.open) })
	return g
}

// Release opens the gate for good; calling it again does nothing.
func (g *Gated) Release() { g.release() }

// Nodes waits at the gate until Release, or until ctx ends, then reads from the store.
func (g *Gated) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	n := g.Waiting.Add(1)
	for m := g.Most.Load(); n > m && !g.Most.CompareAndSwap(m, n); m = g.Most.Load() {
	}
	defer g.Waiting.Add(-1)
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Store.Nodes(ctx, ids)
}
