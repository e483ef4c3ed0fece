package neo4j

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph/storetest"
)

func TestZZTiming(t *testing.T) {
	cfg := testConfig(t)
	ctx := context.Background()
	s := openEmpty(ctx, t, cfg)
	defer s.Close()
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	bs, _ := strconv.Atoi(os.Getenv("ZZB"))
	batches := storetest.SyntheticFacts(n, bs)
	debugTiming = os.Getenv("ZZDEBUG") != ""
	t0 := time.Now()
	for i, b := range batches {
		start := time.Now()
		if _, err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 || i == len(batches)-1 {
			t.Logf("batch %d: %v", i, time.Since(start))
		}
	}
	t.Logf("total %v: %.0f facts/s", time.Since(t0), float64(n)/time.Since(t0).Seconds())
}
