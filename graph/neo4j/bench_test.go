package neo4j

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph/storetest"
)

// The two write benchmarks write the same kind of facts, batched by a thousand and one
// per transaction, and report facts/s so that they can be compared directly.

func BenchmarkWrite100kFactsBatched(b *testing.B) { benchmarkWrite(b, 100_000, 1000) }

// One fact per transaction is slow enough that a smaller count measures it as well.
func BenchmarkWriteFactsPerFactTx(b *testing.B) { benchmarkWrite(b, 5_000, 1) }

func benchmarkWrite(b *testing.B, facts, batchSize int) {
	cfg := testConfig(b)
	ctx := context.Background()
	batches := storetest.SyntheticFacts(facts, batchSize)
	s := openEmpty(ctx, b, cfg)
	defer s.Close()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	input := m.HeapInuse // the prepared batches, held throughout
	peak := watchHeap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.StopTimer()
			if err := s.empty(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		sum, err := storetest.WriteAll(ctx, s, batches)
		if err != nil {
			b.Fatal(err)
		}
		if sum.EdgesCreated != facts || sum.NodesCreated != facts+41 {
			b.Fatalf("summary %+v: want %d facts", sum, facts)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(facts*b.N)/b.Elapsed().Seconds(), "facts/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(input)/(1<<20), "input-heap-MB")
}

// watchHeap samples the Go heap until the returned function is called, and returns
// the largest sample: the client's share of the cost (the server's is its own JVM).
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		wg.Wait()
		return peak.Load()
	}
}
