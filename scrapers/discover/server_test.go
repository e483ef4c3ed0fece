package discover

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureServer serves testdata/ over real HTTP, writing its own address where a
// fixture says {{BASE}}, and counts the requests for each path so tests can prove
// what was fetched, and how often.
type fixtureServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newFixtureServer(t *testing.T) *fixtureServer {
	t.Helper()
	s := &fixtureServer{hits: make(map[string]int)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *fixtureServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	switch r.URL.Path {
	case "/sitemap-posts.xml.gz":
		// A gzipped file served as such: the client gets the gzip bytes.
		w.Header().Set("Content-Type", "application/x-gzip")
		w.Write(gzipBytes(s.fixture("sitemap-posts.xml")))
	case "/encoded/sitemap-posts.xml.gz":
		// The same file sent with Content-Encoding: net/http's client undoes the
		// gzip, so the body that arrives is plain despite the name.
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBytes(s.fixture("sitemap-posts.xml")))
	case "/bomb.xml.gz":
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gzipBomb())
	case "/site/redirect/go":
		http.Redirect(w, r, "/site/admin/secret.html", http.StatusFound)
	case "/site/redirect/old-kept":
		http.Redirect(w, r, "/site/redirect/kept.html", http.StatusMovedPermanently)
	default:
		name := path.Clean(r.URL.Path)
		body := s.fixture(strings.TrimPrefix(name, "/"))
		if body == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentTypes[path.Ext(name)])
		w.Write(body)
	}
}

var contentTypes = map[string]string{
	".rss":  "application/rss+xml; charset=utf-8",
	".atom": "application/atom+xml",
	".json": "application/feed+json",
	".xml":  "text/xml; charset=utf-8",
	".html": "text/html; charset=utf-8",
}

// fixture reads testdata/name with {{BASE}} replaced, or returns nil.
func (s *fixtureServer) fixture(name string) []byte {
	if strings.Contains(name, "..") {
		return nil
	}
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		return nil
	}
	return bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(s.URL))
}

// host is the server's host:port, as allow entries name it.
func (s *fixtureServer) host() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

// count returns how many times each path was requested.
func (s *fixtureServer) count(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

// fetched lists the paths requested at least once, sorted.
func (s *fixtureServer) fetched() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		out[k] = v
	}
	return out
}

// httpGetter is the tests' Getter: a real net/http client, following redirects, with
// a cap on the body read, as scrapers/fetch has.
type httpGetter struct{ client *http.Client }

func (g httpGetter) Get(ctx context.Context, u string) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", u, err)
	}
	return &Page{URL: resp.Request.URL.String(), ContentType: resp.Header.Get("Content-Type"), Body: body}, nil
}

func (s *fixtureServer) getter() Getter {
	return httpGetter{client: &http.Client{Timeout: 30 * time.Second}}
}

func gzipBytes(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

// gzipBomb is a valid gzipped sitemap that inflates to 1 GiB, twenty times the cap,
// from about 1 MiB: 1024 gzip members of 1 MiB of spaces each, which gzip readers
// inflate as one stream.
var gzipBomb = sync.OnceValue(func() []byte {
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	member := func(prefix string) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write([]byte(prefix))
		zw.Write(spaces)
		zw.Close()
		return buf.Bytes()
	}
	out := member(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	rest := member("")
	for range 1023 {
		out = append(out, rest...)
	}
	return out
})

// lines renders items one per line for exact comparison with readable failures.
func lines(items []Item) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		date := ""
		if !it.Published.IsZero() {
			date = it.Published.Format(time.RFC3339)
			if it.Published.Location() != time.UTC {
				date += " (not UTC)"
			}
		}
		out = append(out, strings.Join([]string{it.URL, it.Title, date, it.Author, it.Source, it.Publisher}, " | "))
	}
	return out
}

// expand replaces {{BASE}} in wanted lines.
func (s *fixtureServer) expand(want []string) []string {
	out := make([]string, len(want))
	for i, w := range want {
		out[i] = strings.ReplaceAll(w, "{{BASE}}", s.URL)
	}
	return out
}

func assertItems(t *testing.T, s *fixtureServer, got []Item, want []string) {
	t.Helper()
	g, w := lines(got), s.expand(want)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("items:\n got:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(w, "\n  "))
	}
}
