package storetest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Exclusive keeps other test processes off a shared external database (one Neo4j
// server serves every package's tests, and `go test ./...` runs packages in parallel)
// until the test and its subtests end. Within a process the tests of one package run
// one after the other, so taking it again in the same process is the caller's
// business: call it once per top-level test.
func Exclusive(t testing.TB, name string) {
	t.Helper()
	path := filepath.Join(os.TempDir(), "cyberkg-test-"+name+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("lock %s: %v", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("lock %s: %v", path, err)
	}
	t.Cleanup(func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}
