package embedded_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cyberkg/cyberkg/graph/embedded"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

// BenchmarkWrite100kFacts writes 100,000 facts in batches of 1,000 into a new store, as
// a bulk import would.
func BenchmarkWrite100kFacts(b *testing.B) { benchmarkWrite(b, 100_000, 1000) }

// BenchmarkWritePerFact writes each fact in its own transaction, as a scraper feeding
// one article at a time would.
func BenchmarkWritePerFact(b *testing.B) { benchmarkWrite(b, 10_000, 1) }

func benchmarkWrite(b *testing.B, facts, batchSize int) {
	ctx := b.Context()
	batches := storetest.SyntheticFacts(facts, batchSize)
	inputRSS := procStatus("VmRSS:") // the facts themselves, before any store exists
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		s, err := embedded.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("kg-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := storetest.WriteAll(ctx, s, batches)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if sum.NodesCreated != facts+41 || sum.EdgesCreated != facts { // 41: the source and the actors
			b.Fatalf("summary %+v for %d facts", sum, facts)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(facts*b.N)/b.Elapsed().Seconds(), "facts/s")
	if peak := procStatus("VmHWM:"); peak > 0 {
		b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		b.ReportMetric(float64(inputRSS)/1024, "input-RSS-MiB")
	}
}

// procStatus returns a memory figure of this process in KiB on Linux (VmHWM: the peak
// resident set; VmRSS: the current one), 0 elsewhere. The SQLite port allocates outside
// the Go heap, so runtime.MemStats would miss much of the store's memory.
func procStatus(field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), field); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	return 0
}
