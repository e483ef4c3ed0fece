package export_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/cyberkg/cyberkg/export"
	"github.com/cyberkg/cyberkg/graph/storetest"
)

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// The Handler serves at most Concurrent exports at once (DefaultConcurrent when it is
// 0); the others wait, and each still gets its whole file once a slot frees. A client
// that gives up while it waits leaves without ever taking a slot.
func TestHandlerBoundsConcurrentExports(t *testing.T) {
	base := openWorld(t)
	want := exportWorld(t, base, export.Cypher)
	query := url.Values{"format": {"cypher"}, "seed": {"Lazarus Group"}, "depth": {"4"}}.Encode()
	for _, c := range []struct{ concurrent, bound int }{{1, 1}, {2, 2}, {0, export.DefaultConcurrent}} {
		st := storetest.NewGated(base)
		release := st.Release
		defer release() // a failing test lets the held exports go
		srv := httptest.NewServer(&export.Handler{Store: st, Concurrent: c.concurrent})
		clients := c.bound + 3
		type answer struct {
			status int
			body   []byte
			err    error
		}
		answers := make(chan answer, clients)
		for range clients {
			go func() {
				resp, err := http.Get(srv.URL + "/export?" + query)
				if err != nil {
					answers <- answer{err: err}
					return
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				answers <- answer{resp.StatusCode, body, err}
			}()
		}
		waitFor(t, "exports to reach the store", func() bool { return st.Waiting.Load() >= int32(c.bound) })

		// One more client waits for a slot, then gives up.
		ctx, cancel := context.WithCancel(context.Background())
		quitter := make(chan error, 1)
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/export?"+query, nil)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			quitter <- err
		}()
		// Time for any export past the bound to reach the store, were it let through.
		time.Sleep(300 * time.Millisecond)
		if n := st.Waiting.Load(); n != int32(c.bound) {
			t.Fatalf("Concurrent %d: %d exports in progress, want %d", c.concurrent, n, c.bound)
		}
		select {
		case a := <-answers:
			t.Fatalf("Concurrent %d: an export ended (%d, %v) while every one was held", c.concurrent, a.status, a.err)
		default:
		}
		cancel()
		if err := <-quitter; err == nil {
			t.Fatalf("Concurrent %d: the client that gave up got an answer", c.concurrent)
		}

		release()
		for range clients {
			a := <-answers
			if a.err != nil || a.status != http.StatusOK || !bytes.Equal(a.body, want) {
				t.Errorf("Concurrent %d: an export that waited ended %d (%v) with %d bytes, want 200 with the %d of the file",
					c.concurrent, a.status, a.err, len(a.body), len(want))
			}
		}
		if m := st.Most.Load(); m != int32(c.bound) {
			t.Errorf("Concurrent %d: at most %d exports ran at once, want %d", c.concurrent, m, c.bound)
		}
		srv.Close()
	}
}
