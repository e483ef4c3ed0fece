package export_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/synthetic"
)

// benchIncidents is the size of the synthetic graph the benchmarks export from: enough
// for a subgraph of 100,000 entities with their relations.
const benchIncidents = 100_000

// benchStore opens the synthetic graph in an embedded store kept in the temporary
// directory between runs (loading it takes minutes), with the IDs of its entities:
// states, actors, organisations and sectors first, then incidents.
func benchStore(b *testing.B) (graph.Store, []string) {
	b.Helper()
	ctx := context.Background()
	opt := synthetic.Options{Incidents: benchIncidents, Seed: 1}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("cyberkg-export-bench-%d.db", benchIncidents))
	st, err := embedded.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var others, incidents []string
	loaded, err := synthetic.Loaded(ctx, st, opt)
	if err != nil {
		b.Fatal(err)
	}
	for batch := range synthetic.Batches(opt) {
		if !loaded {
			if _, err := st.Write(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		for _, n := range batch.Nodes {
			switch n.Kind {
			case graph.KindIncident:
				incidents = append(incidents, n.ID)
			case graph.KindState, graph.KindActor, graph.KindOrganization, graph.KindSector:
				others = append(others, n.ID)
			}
		}
	}
	slices.Sort(others)
	return st, slices.Compact(append(others, incidents...))
}

// peakHeap samples the heap while fn runs and returns the highest values above what
// was there before: of the heap's objects (garbage not yet collected included, so it
// also follows the collector's pacing, which lets the heap grow with what is live) and
// of the live heap as each collection finds it (what the export holds on to).
func peakHeap(fn func()) (objects, live uint64) {
	const objectsMetric, liveMetric = "/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes"
	runtime.GC()
	sample := []metrics.Sample{{Name: objectsMetric}, {Name: liveMetric}}
	metrics.Read(sample)
	baseObjects, baseLive := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	var maxObjects, maxLive atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: objectsMetric}, {Name: liveMetric}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > maxObjects.Load() {
					maxObjects.Store(v)
				}
				if v := s[1].Value.Uint64(); v > maxLive.Load() {
					maxLive.Store(v)
				}
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	above := func(v, base uint64) uint64 {
		if v > base {
			return v - base
		}
		return 0
	}
	return above(maxObjects.Load(), baseObjects), above(maxLive.Load(), baseLive)
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkExport exports subgraphs of 10,000 and 100,000 entities (an explicit ID
// list: states, actors, victims and sectors, then incidents, with every relation among
// them) in each format, and reports the peak heap and live heap above what was there
// before (the selection's IDs were), the bytes written and nodes a second. Run with
//
//	go test -run '^$' -bench Export -benchtime 1x ./export/
func BenchmarkExport(b *testing.B) {
	st, all := benchStore(b)
	ctx := context.Background()
	for _, size := range []int{10_000, 100_000} {
		if size > len(all) {
			b.Fatalf("the synthetic graph has %d entities, fewer than %d", len(all), size)
		}
		sel := export.Selection{IDs: all[:size]}
		for _, f := range export.Formats {
			b.Run(fmt.Sprintf("%s/%dk", f, size/1000), func(b *testing.B) {
				var res export.Result
				var w countingWriter
				var peak, live uint64
				start := time.Now()
				for range b.N {
					w = countingWriter{}
					p, l := peakHeap(func() {
						var err error
						if res, err = export.Write(ctx, st, sel, f, &w); err != nil {
							b.Fatal(err)
						}
					})
					peak, live = max(peak, p), max(live, l)
				}
				elapsed := time.Since(start) / time.Duration(b.N)
				if res.Nodes != size {
					b.Fatalf("exported %d nodes, want %d", res.Nodes, size)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
				b.ReportMetric(float64(res.Edges), "edges")
				b.ReportMetric(float64(w.n)/(1<<20), "output-MiB")
				b.ReportMetric(float64(size)/elapsed.Seconds(), "nodes/s")
			})
		}
	}
}

// BenchmarkResolveWalk times the walk from a seed over the whole synthetic graph: the
// state with the most attributed incidents, three hops out.
func BenchmarkResolveWalk(b *testing.B) {
	st, _ := benchStore(b)
	ctx := context.Background()
	sel := export.Selection{Seeds: []string{"state:kp"}, Depth: 3, Kinds: []graph.NodeKind{graph.KindState, graph.KindActor, graph.KindIncident}}
	var n int
	for range b.N {
		g, err := export.Resolve(ctx, st, sel)
		if err != nil {
			b.Fatal(err)
		}
		n = g.Len()
	}
	b.ReportMetric(float64(n), "nodes")
}
