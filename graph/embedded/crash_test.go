package embedded_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/embedded"
)

const (
	crashStoreEnv = "CYBERKG_CRASH_STORE"       // set: this process is the writer to kill
	crashFirstEnv = "CYBERKG_CRASH_FIRST_BATCH" // the number of the writer's first batch
	crashBatch    = 150                         // incidents (and edges) per batch
)

func crashLabel(n int) string { return fmt.Sprintf("crash batch %d", n) }

// TestCrashHelper is the writer that TestKilledWriterLeavesWholeBatches kills: it writes
// numbered batches until it dies, printing the number of each one committed.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashStoreEnv)
	if path == "" {
		t.Skip("the writer run and killed by TestKilledWriterLeavesWholeBatches")
	}
	first, err := strconv.Atoi(os.Getenv(crashFirstEnv))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	s, err := embedded.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, background()); err != nil {
		t.Fatal(err)
	}
	for n := first; ; n++ {
		b, _ := incidents(crashLabel(n), crashBatch)
		if _, err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("committed %d\n", n)
	}
}

func TestKilledWriterLeavesWholeBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("kills writer processes")
	}
	path := filepath.Join(t.TempDir(), "kg.db")
	next := 0
	for round := range 5 {
		printed := killWriter(t, path, next, 3+rand.IntN(15))
		next = checkWholeBatches(t, path, printed)
		t.Logf("round %d: killed after batch %d was reported; %d batches stored", round, printed, next)
	}
}

// killWriter runs the writer on path from batch first, and kills it a moment after it
// has reported the given number of commits. It returns the last batch reported.
func killWriter(t *testing.T, path string, first, commits int) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashStoreEnv+"="+path, crashFirstEnv+"="+strconv.Itoa(first))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reported := make(chan int)
	go func() {
		defer close(reported)
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if n, ok := strings.CutPrefix(lines.Text(), "committed "); ok {
				v, _ := strconv.Atoi(n)
				reported <- v
			}
		}
	}()
	last, seen := -1, 0
	timeout := time.After(time.Minute)
	for seen < commits {
		select {
		case n, ok := <-reported:
			if !ok {
				cmd.Wait()
				t.Fatalf("writer stopped by itself: %s", stderr.String())
			}
			last, seen = n, seen+1
		case <-timeout:
			cmd.Process.Kill()
			t.Fatalf("writer reported %d commits in a minute: %s", seen, stderr.String())
		}
	}
	// Land the kill anywhere in the next write, not just between writes.
	time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for n := range reported { // the lines already in the pipe
		last = n
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("writer exited cleanly; want it killed")
	}
	return last
}

// checkWholeBatches reopens the store after a kill and checks it is sound, that every
// batch reported committed is there whole, and that no batch is there in part. It
// returns the number of batches stored.
func checkWholeBatches(t *testing.T, path string, printed int) int {
	t.Helper()
	ctx := t.Context()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var verdict string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&verdict); err != nil || verdict != "ok" {
		t.Fatalf("integrity check: %q, %v", verdict, err)
	}
	var dangling bool
	if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pragma_foreign_key_check)").Scan(&dangling); err != nil || dangling {
		t.Fatalf("foreign key check: dangling rows %v, %v", dangling, err)
	}
	db.Close()

	s := open(t, path)
	defer s.Close()
	batchSize := func(n int) int {
		_, ids := incidents(crashLabel(n), crashBatch)
		nodes, err := s.Nodes(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		edges, err := s.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{graph.AttributedTo}, From: ids})
		if err != nil {
			t.Fatal(err)
		}
		if len(nodes) != len(edges) || (len(nodes) != 0 && len(nodes) != crashBatch) {
			t.Fatalf("batch %d: %d incidents and %d attributions stored, want none or %d of each", n, len(nodes), len(edges), crashBatch)
		}
		return len(nodes)
	}
	stored := 0
	for batchSize(stored) > 0 {
		stored++
	}
	for n := stored; n < stored+3; n++ {
		if batchSize(n) != 0 {
			t.Fatalf("batch %d stored after missing batch %d", n, stored)
		}
	}
	// The writer may die between committing a batch and reporting it, not before.
	if stored-1 != printed && stored-1 != printed+1 {
		t.Fatalf("batches 0..%d stored, but the writer reported %d committed", stored-1, printed)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Nodes[graph.KindIncident] != stored*crashBatch || c.Edges[graph.AttributedTo] != stored*crashBatch {
		t.Fatalf("counts %+v: want %d incidents and attributions", c, stored*crashBatch)
	}
	return stored
}
