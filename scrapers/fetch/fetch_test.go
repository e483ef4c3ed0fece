package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/time/rate"
)

// ---- harness ----

// testOptions are fast defaults: no rate limit, guard off (httptest listens
// on 127.0.0.1), short timeouts.
func testOptions() Options {
	return Options{
		AllowPrivate:          true,
		HostRate:              rate.Inf,
		DialTimeout:           2 * time.Second,
		TLSHandshakeTimeout:   2 * time.Second,
		ResponseHeaderTimeout: 2 * time.Second,
		RequestTimeout:        5 * time.Second,
	}
}

// waits records the sleeps a Fetcher asked for, and takes none.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.d)
}

func newFetcher(t *testing.T, o Options) (*Fetcher, *waits) {
	t.Helper()
	f, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	f.sleep = w.sleep
	t.Cleanup(f.Close)
	return f, w
}

// hits records the paths a test server was asked for.
type hits struct {
	mu    sync.Mutex
	paths []string
}

func (h *hits) add(p string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.paths = append(h.paths, p)
}

func (h *hits) count(p string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, q := range h.paths {
		if q == p {
			n++
		}
	}
	return n
}

func (h *hits) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.paths)
}

// newSite serves routes (ServeMux patterns); unknown paths, robots.txt
// included unless routed, are 404.
func newSite(t *testing.T, routes map[string]http.HandlerFunc) (*httptest.Server, *hits) {
	t.Helper()
	mux := http.NewServeMux()
	if _, ok := routes["/robots.txt"]; !ok {
		mux.HandleFunc("/robots.txt", http.NotFound)
	}
	for p, h := range routes {
		mux.HandleFunc(p, h)
	}
	h := &hits{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, h
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func robots(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
}

func redirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
}

func port(t *testing.T, srv *httptest.Server) uint16 {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	p, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil {
		t.Fatal(err)
	}
	return uint16(p)
}

func mustGet(t *testing.T, f *Fetcher, u string) *Response {
	t.Helper()
	res, err := f.Get(context.Background(), u)
	if err != nil {
		t.Fatalf("Get(%s): %v", u, err)
	}
	return res
}

func wantErr(t *testing.T, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("error %q is not %v", err, target)
		}
	}
}

// ---- 1. Fetcher, Options, Response ----

func TestGetSendsUserAgentWithContactAndFillsResponse(t *testing.T) {
	var ua, ae string
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/page": func(w http.ResponseWriter, r *http.Request) {
			ua, ae = r.UserAgent(), r.Header.Get("Accept-Encoding")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<p>hello</p>")
		},
	})
	f, _ := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/page#frag")

	if ua != DefaultUserAgent || !strings.Contains(ua, "+https://") {
		t.Errorf("User-Agent = %q, want %q", ua, DefaultUserAgent)
	}
	if ae != acceptEncoding {
		t.Errorf("Accept-Encoding = %q, want %q", ae, acceptEncoding)
	}
	if res.Status != 200 || string(res.Body) != "<p>hello</p>" || res.ContentType != "text/html" || res.Charset != "utf-8" {
		t.Errorf("response = %d %q %q %q", res.Status, res.Body, res.ContentType, res.Charset)
	}
	if res.URL != srv.URL+"/page#frag" || res.FinalURL != srv.URL+"/page" || len(res.Redirects) != 0 {
		t.Errorf("URL %q FinalURL %q Redirects %v", res.URL, res.FinalURL, res.Redirects)
	}
	if res.FromCache || res.NotModified || res.Fetched.IsZero() {
		t.Errorf("FromCache %v NotModified %v Fetched %v", res.FromCache, res.NotModified, res.Fetched)
	}
}

func TestNewRefusesUserAgentWithoutContactURL(t *testing.T) {
	if _, err := New(Options{UserAgent: "cyberkg/0.1"}); err == nil {
		t.Fatal("New accepted a User-Agent without a contact URL")
	}
}

func TestUnsupportedSchemeRefused(t *testing.T) {
	f, _ := newFetcher(t, testOptions())
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"} {
		_, err := f.Get(context.Background(), u)
		wantErr(t, err, ErrUnsupportedScheme)
	}
}

// ---- 2. robots.txt ----

func TestRobotsDisallowedPathIsNeverRequested(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nDisallow: /private\n"),
		"/":           text("ok"),
	})
	f, _ := newFetcher(t, testOptions())

	_, err := f.Get(context.Background(), srv.URL+"/private/report")
	wantErr(t, err, ErrDisallowed)
	if h.count("/private/report") != 0 {
		t.Error("a disallowed URL was requested")
	}
	mustGet(t, f, srv.URL+"/public")
}

func TestRobotsGroupForOurAgentWins(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nAllow: /\n\nUser-agent: cyberkg\nDisallow: /\n"),
		"/":           text("ok"),
	})
	f, _ := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/page")
	wantErr(t, err, ErrDisallowed)
	if h.count("/page") != 0 {
		t.Error("a disallowed URL was requested")
	}
}

func TestRobots404AllowsAll(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{"/page": text("ok")})
	f, _ := newFetcher(t, testOptions())
	mustGet(t, f, srv.URL+"/page")
	if h.count("/robots.txt") != 1 {
		t.Errorf("robots.txt requested %d times, want 1", h.count("/robots.txt"))
	}
}

func TestRobotsServerErrorDisallowsAll(t *testing.T) {
	for _, code := range []int{500, 503, 429} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			srv, h := newSite(t, map[string]http.HandlerFunc{
				"/robots.txt": status(code),
				"/page":       text("ok"),
			})
			f, _ := newFetcher(t, testOptions())
			_, err := f.Get(context.Background(), srv.URL+"/page")
			wantErr(t, err, ErrDisallowed, ErrStatus)
			_, err = f.Get(context.Background(), srv.URL+"/page")
			wantErr(t, err, ErrDisallowed)
			if h.count("/page") != 0 {
				t.Error("page requested although robots.txt failed")
			}
			if h.count("/robots.txt") != 1 {
				t.Errorf("robots.txt requested %d times, want 1 (failure cached)", h.count("/robots.txt"))
			}
		})
	}
}

func TestRobotsUnreachableDisallowsAll(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		},
		"/page": text("ok"),
	})
	f, _ := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/page")
	wantErr(t, err, ErrDisallowed)
	if h.count("/page") != 0 {
		t.Error("page requested although robots.txt was unreachable")
	}
}

func TestRobotsCachedAtMostADay(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nDisallow: /private\n"),
		"/":           text("ok"),
	})
	f, _ := newFetcher(t, testOptions())
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return clock }

	mustGet(t, f, srv.URL+"/a")
	clock = clock.Add(23 * time.Hour)
	mustGet(t, f, srv.URL+"/b")
	if n := h.count("/robots.txt"); n != 1 {
		t.Fatalf("robots.txt fetched %d times within a day, want 1", n)
	}
	clock = clock.Add(2 * time.Hour)
	mustGet(t, f, srv.URL+"/c")
	if n := h.count("/robots.txt"); n != 2 {
		t.Fatalf("robots.txt fetched %d times after 25h, want 2", n)
	}
}

func TestRobotsTTLCappedAtADay(t *testing.T) {
	f, _ := newFetcher(t, Options{RobotsTTL: 72 * time.Hour})
	if f.opts.RobotsTTL != 24*time.Hour {
		t.Errorf("RobotsTTL = %s, want 24h", f.opts.RobotsTTL)
	}
}

func TestRobotsBadLinesAreSkippedNotFatal(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		// The first Disallow precedes any User-agent and the Crawl-delay is
		// not a number: robotstxt alone would reject the whole file.
		"/robots.txt": robots("Disallow: /orphan\nUser-agent: *\nCrawl-delay: soon\nDisallow: /private\n"),
		"/":           text("ok"),
	})
	f, _ := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/private/x")
	wantErr(t, err, ErrDisallowed)
	mustGet(t, f, srv.URL+"/orphan")
	if h.count("/private/x") != 0 {
		t.Error("a disallowed URL was requested")
	}
}

// arrivals records when each request for a path reached the server.
type arrivals struct {
	mu sync.Mutex
	at []time.Time
}

func (a *arrivals) handler(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.at = append(a.at, time.Now())
	a.mu.Unlock()
	fmt.Fprint(w, "ok")
}

func (a *arrivals) minGap() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	at := slices.Clone(a.at)
	slices.SortFunc(at, func(x, y time.Time) int { return x.Compare(y) })
	gap := time.Duration(1<<63 - 1)
	for i := 1; i < len(at); i++ {
		gap = min(gap, at[i].Sub(at[i-1]))
	}
	return gap
}

func TestCrawlDelaySpacesRequests(t *testing.T) {
	a := &arrivals{}
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.2\n"),
		"/":           a.handler,
	})
	f, _ := newFetcher(t, testOptions()) // HostRate unlimited: only Crawl-delay spaces
	for i := range 3 {
		mustGet(t, f, fmt.Sprintf("%s/p%d", srv.URL, i))
	}
	// 80%: the spacing is enforced when a request leaves; the rest is
	// slack for a new connection being slower to arrive than a reused one.
	if gap := a.minGap(); gap < 160*time.Millisecond {
		t.Errorf("requests %s apart, Crawl-delay asks 200ms", gap)
	}
}

func TestCrawlDelayCappedByMaxCrawlDelay(t *testing.T) {
	a := &arrivals{}
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nCrawl-delay: 3600\n"),
		"/":           a.handler,
	})
	o := testOptions()
	o.MaxCrawlDelay = 100 * time.Millisecond
	f, _ := newFetcher(t, o)
	start := time.Now()
	for i := range 3 {
		mustGet(t, f, fmt.Sprintf("%s/p%d", srv.URL, i))
	}
	if gap := a.minGap(); gap < 80*time.Millisecond {
		t.Errorf("requests %s apart, want the capped 100ms", gap)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s: Crawl-delay not capped", el)
	}
}

// ---- 3. per-host rate and concurrency ----

func TestHostConcurrencyAtMostTwo(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(40 * time.Millisecond)
			fmt.Fprint(w, "ok")
		},
	})
	f, _ := newFetcher(t, testOptions())
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Go(func() {
			if _, err := f.Get(context.Background(), fmt.Sprintf("%s/p%d", srv.URL, i)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak in flight = %d, want 2", p)
	}
}

func TestHostRateSpacesConcurrentRequests(t *testing.T) {
	a := &arrivals{}
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": a.handler})
	o := testOptions()
	o.HostRate = 20 // one every 50ms
	f, _ := newFetcher(t, o)
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			if _, err := f.Get(context.Background(), fmt.Sprintf("%s/p%d", srv.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if gap := a.minGap(); gap < 40*time.Millisecond {
		t.Errorf("requests %s apart, rate allows one per 50ms", gap)
	}
}

// ---- 4. timeouts ----

func TestSlowHeadersHitHeaderTimeout(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		},
	})
	o := testOptions()
	o.ResponseHeaderTimeout = 100 * time.Millisecond
	f, _ := newFetcher(t, o)
	start := time.Now()
	_, err := f.Get(context.Background(), srv.URL+"/slow")
	wantErr(t, err, ErrTimeout)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s, header timeout is 100ms", el)
	}
}

func TestSlowBodyHitsRequestTimeout(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/drip": func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			for {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		},
	})
	o := testOptions()
	o.RequestTimeout = 300 * time.Millisecond
	f, _ := newFetcher(t, o)
	start := time.Now()
	_, err := f.Get(context.Background(), srv.URL+"/drip")
	wantErr(t, err, ErrTimeout)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s, request timeout is 300ms", el)
	}
}

func TestTLSHandshakeTimeout(t *testing.T) {
	// A listener that accepts and never speaks TLS.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, silent, until cleanup
			mu.Unlock()
		}
	}()
	o := testOptions()
	o.TLSHandshakeTimeout = 100 * time.Millisecond
	f, _ := newFetcher(t, o)
	start := time.Now()
	_, err = f.Get(context.Background(), "https://"+l.Addr().String()+"/page")
	// robots.txt is asked for first; its handshake times out, which makes
	// the origin unreachable and so disallowed, with the timeout as cause.
	wantErr(t, err, ErrTimeout, ErrDisallowed)
	if el := time.Since(start); el > 900*time.Millisecond {
		t.Errorf("took %s, handshake timeout is 100ms", el)
	}
}

func TestTimeoutsReachTheTransport(t *testing.T) {
	f, _ := newFetcher(t, Options{
		DialTimeout:           1 * time.Second,
		TLSHandshakeTimeout:   2 * time.Second,
		ResponseHeaderTimeout: 3 * time.Second,
		RequestTimeout:        4 * time.Second,
	})
	if f.dialer.Timeout != time.Second || f.tr.TLSHandshakeTimeout != 2*time.Second ||
		f.tr.ResponseHeaderTimeout != 3*time.Second || f.opts.RequestTimeout != 4*time.Second {
		t.Errorf("dial %s tls %s header %s request %s", f.dialer.Timeout, f.tr.TLSHandshakeTimeout,
			f.tr.ResponseHeaderTimeout, f.opts.RequestTimeout)
	}
	if f.tr.Proxy != nil {
		t.Error("transport uses a proxy, which would bypass the address guard")
	}
	if f.client.Timeout != 0 {
		t.Error("client timeout set: RequestTimeout is applied per request by context")
	}
}

// ---- 5. decoded body cap ----

func TestGzipBombStopsAtCapWithoutBallooning(t *testing.T) {
	// One gzip member of 1 MiB of zeros is about 1 KB; sent 4096 times it
	// is a 4 MB stream that inflates to 4 GiB (concatenated members read as
	// one gzip stream).
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	if member.Len() > 4<<10 {
		t.Fatalf("bomb member is %d bytes", member.Len())
	}
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/warm-up": text("ok"),
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			for range 4096 {
				if _, err := w.Write(member.Bytes()); err != nil {
					return
				}
			}
		},
	})
	const limit = 1 << 20
	o := testOptions()
	o.MaxBodyBytes = limit
	f, _ := newFetcher(t, o)
	mustGet(t, f, srv.URL+"/warm-up") // robots.txt and a connection, outside the measure

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := f.Get(context.Background(), srv.URL+"/bomb")
	el := time.Since(start)
	runtime.ReadMemStats(&after)

	wantErr(t, err, ErrTooLarge)
	if el > 2*time.Second {
		t.Errorf("took %s to give up on a gzip bomb", el)
	}
	// The cap itself, plus the gzip reader and the HTTP plumbing.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit+limit/2 {
		t.Errorf("allocated %d bytes for a %d byte cap", alloc, limit)
	}
}

func TestEndlessBodyCutAtCap(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/endless": func(w http.ResponseWriter, r *http.Request) {
			chunk := bytes.Repeat([]byte("a"), 32<<10)
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
	})
	o := testOptions()
	o.MaxBodyBytes = 256 << 10
	f, _ := newFetcher(t, o)
	start := time.Now()
	_, err := f.Get(context.Background(), srv.URL+"/endless")
	wantErr(t, err, ErrTooLarge)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s", el)
	}
}

func TestDeclaredLengthOverCapRefusedBeforeReading(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/big": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(8<<20))
			w.Write(make([]byte, 8<<20))
		},
	})
	o := testOptions()
	o.MaxBodyBytes = 1 << 20
	f, _ := newFetcher(t, o)
	_, err := f.Get(context.Background(), srv.URL+"/big")
	wantErr(t, err, ErrTooLarge)
}

func TestBodyAtExactlyTheCapIsKept(t *testing.T) {
	body := strings.Repeat("b", 1000)
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": text(body)})
	o := testOptions()
	o.MaxBodyBytes = 1000
	f, _ := newFetcher(t, o)
	if res := mustGet(t, f, srv.URL+"/x"); string(res.Body) != body {
		t.Errorf("body of %d bytes, want 1000", len(res.Body))
	}
}

func TestReadBodyEdges(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	long := strings.Repeat("z", 200<<10) // several chunks
	for _, tc := range []struct {
		name, enc  string
		in         []byte
		limit      int64
		keepPrefix bool
		want       string
		wantErr    error
		anyErr     bool
	}{
		{name: "exactly the cap", in: []byte("12345"), limit: 5, want: "12345"},
		{name: "one byte over", in: []byte("123456"), limit: 5, wantErr: ErrTooLarge},
		{name: "prefix kept on request", in: []byte("123456"), limit: 5, keepPrefix: true, want: "12345", wantErr: ErrTooLarge},
		{name: "many chunks", in: []byte(long), limit: 1 << 20, want: long},
		{name: "many chunks, prefix", in: []byte(long), limit: 100 << 10, keepPrefix: true, want: long[:100<<10], wantErr: ErrTooLarge},
		{name: "gzip over the cap", enc: "gzip", in: gz(long), limit: 1000, wantErr: ErrTooLarge},
		{name: "empty gzip body", enc: "gzip", in: nil, limit: 10, want: ""},
		{name: "truncated gzip is an error", enc: "gzip", in: gz(long)[:100], limit: 1 << 20, anyErr: true},
		{name: "unknown coding", enc: "br", in: []byte("x"), limit: 10, anyErr: true},
		{name: "stacked codings", enc: "gzip, gzip", in: gz("x"), limit: 10, anyErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBody(bytes.NewReader(tc.in), tc.enc, tc.limit, tc.keepPrefix)
			switch {
			case tc.anyErr:
				if err == nil {
					t.Fatalf("no error, body %d bytes", len(got))
				}
				return
			case tc.wantErr != nil:
				wantErr(t, err, tc.wantErr)
			case err != nil:
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("body of %d bytes, want %d", len(got), len(tc.want))
			}
		})
	}
}

func TestContentEncodingsDecoded(t *testing.T) {
	const want = "<p>Ransomware gang claims attack</p>"
	encode := map[string]func(*bytes.Buffer){
		"gzip": func(b *bytes.Buffer) { w := gzip.NewWriter(b); w.Write([]byte(want)); w.Close() },
		"deflate": func(b *bytes.Buffer) { // RFC 9110: zlib wrapped
			w := zlib.NewWriter(b)
			w.Write([]byte(want))
			w.Close()
		},
		"raw-deflate": func(b *bytes.Buffer) { // what some servers send instead
			w, _ := flate.NewWriter(b, flate.DefaultCompression)
			w.Write([]byte(want))
			w.Close()
		},
		"identity": func(b *bytes.Buffer) { b.WriteString(want) },
	}
	for name, enc := range encode {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			enc(&b)
			header := strings.TrimPrefix(name, "raw-")
			srv, _ := newSite(t, map[string]http.HandlerFunc{
				"/page": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Header().Set("Content-Encoding", header)
					w.Write(b.Bytes())
				},
			})
			f, _ := newFetcher(t, testOptions())
			if res := mustGet(t, f, srv.URL+"/page"); string(res.Body) != want {
				t.Errorf("body = %q", res.Body)
			}
		})
	}
}

// ---- 6. redirects ----

func TestRedirectsFollowedAndRecorded(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/old": redirect("/moved"),
		"/moved": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/new#section", http.StatusMovedPermanently)
		},
		"/new": text("here"),
	})
	f, _ := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/old")
	if string(res.Body) != "here" || res.FinalURL != srv.URL+"/new" {
		t.Errorf("FinalURL %q body %q", res.FinalURL, res.Body)
	}
	if want := []string{srv.URL + "/old", srv.URL + "/moved"}; !slices.Equal(res.Redirects, want) {
		t.Errorf("Redirects = %v, want %v", res.Redirects, want)
	}
}

func TestRedirectLoopDetected(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/a":    redirect("/b"),
		"/b":    redirect("/a"),
		"/self": redirect("/self"),
	})
	f, _ := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/a")
	wantErr(t, err, ErrRedirectLoop)
	if h.count("/a") != 1 || h.count("/b") != 1 {
		t.Errorf("/a asked %d times, /b %d times; want once each", h.count("/a"), h.count("/b"))
	}
	_, err = f.Get(context.Background(), srv.URL+"/self")
	wantErr(t, err, ErrRedirectLoop)
}

func TestAtMostFiveRedirects(t *testing.T) {
	hop := func(prefix string, last int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.PathValue("n"))
			if n >= last {
				fmt.Fprint(w, "end")
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/%s/%d", prefix, n+1), http.StatusFound)
		}
	}
	srv, h := newSite(t, map[string]http.HandlerFunc{
		"/five/{n}":    hop("five", 5),
		"/endless/{n}": hop("endless", 1000),
	})
	f, _ := newFetcher(t, testOptions())

	res := mustGet(t, f, srv.URL+"/five/0")
	if len(res.Redirects) != 5 {
		t.Errorf("%d redirects recorded, want 5", len(res.Redirects))
	}
	_, err := f.Get(context.Background(), srv.URL+"/endless/0")
	wantErr(t, err, ErrTooManyRedirects)
	if h.count("/endless/6") != 0 {
		t.Error("a sixth redirect was followed")
	}
}

func TestRedirectRecheckedAgainstRobots(t *testing.T) {
	other, otherHits := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": robots("User-agent: *\nDisallow: /\n"),
		"/":           text("should not be fetched"),
	})
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/go":         redirect(other.URL + "/page"),
		"/go-private": redirect("/private/x"),
		"/robots.txt": robots("User-agent: *\nDisallow: /private\n"),
	})
	f, _ := newFetcher(t, testOptions())

	_, err := f.Get(context.Background(), srv.URL+"/go")
	wantErr(t, err, ErrDisallowed)
	if otherHits.count("/robots.txt") != 1 || otherHits.count("/page") != 0 {
		t.Errorf("other origin saw %v", otherHits.paths)
	}
	_, err = f.Get(context.Background(), srv.URL+"/go-private")
	wantErr(t, err, ErrDisallowed)
}

func TestRedirectToOtherSchemeRefused(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/file": redirect("file:///etc/passwd"),
		"/ftp":  redirect("ftp://example.com/x"),
	})
	f, _ := newFetcher(t, testOptions())
	for _, p := range []string{"/file", "/ftp"} {
		_, err := f.Get(context.Background(), srv.URL+p)
		wantErr(t, err, ErrUnsupportedScheme)
	}
}

// ---- 7. 429, 503, 5xx ----

// failFirst answers code with the given headers n times, then 200.
func failFirst(n int, code int, header map[string]string) (http.HandlerFunc, *atomic.Int32) {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if int(calls.Add(1)) <= n {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(code)
			return
		}
		fmt.Fprint(w, "finally")
	}, &calls
}

func TestRetryAfterSecondsHonoured(t *testing.T) {
	h, calls := failFirst(1, 429, map[string]string{"Retry-After": "2"})
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, w := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/x")
	if string(res.Body) != "finally" || calls.Load() != 2 {
		t.Errorf("body %q after %d calls", res.Body, calls.Load())
	}
	if got := w.all(); !slices.Equal(got, []time.Duration{2 * time.Second}) {
		t.Errorf("waited %v, want [2s]", got)
	}
}

func TestRetryAfterHTTPDateHonoured(t *testing.T) {
	now := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	h, _ := failFirst(1, 429, map[string]string{"Retry-After": now.Add(7 * time.Second).Format(http.TimeFormat)})
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, w := newFetcher(t, testOptions())
	f.now = func() time.Time { return now }
	mustGet(t, f, srv.URL+"/x")
	if got := w.all(); !slices.Equal(got, []time.Duration{7 * time.Second}) {
		t.Errorf("waited %v, want [7s]", got)
	}
}

func TestRetryAfterBeyondMaxFailsWithoutWaiting(t *testing.T) {
	h, calls := failFirst(1, 429, map[string]string{"Retry-After": "3600"})
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, w := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/x")
	wantErr(t, err, ErrRetryTooLong, ErrStatus)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 {
		t.Errorf("StatusError = %v", se)
	}
	if len(w.all()) != 0 || calls.Load() != 1 {
		t.Errorf("waited %v over %d calls; want no wait, one call", w.all(), calls.Load())
	}
}

func Test503RetriedAtMostThreeTimes(t *testing.T) {
	h, calls := failFirst(100, 503, map[string]string{"Retry-After": "1"})
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, w := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/x")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 {
		t.Fatalf("err = %v, want a 503 StatusError", err)
	}
	if calls.Load() != 3 {
		t.Errorf("%d attempts, want 3", calls.Load())
	}
	if got := w.all(); !slices.Equal(got, []time.Duration{time.Second, time.Second}) {
		t.Errorf("waited %v, want [1s 1s]", got)
	}
}

func Test503ThenSuccess(t *testing.T) {
	h, _ := failFirst(2, 503, map[string]string{"Retry-After": "1"})
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, _ := newFetcher(t, testOptions())
	if res := mustGet(t, f, srv.URL+"/x"); string(res.Body) != "finally" {
		t.Errorf("body %q", res.Body)
	}
}

func TestServerErrorsBackOffWithJitterCapped(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxWait  time.Duration
		lo1, hi1 time.Duration
		lo2, hi2 time.Duration
	}{
		{"doubling", 60 * time.Second, 500 * time.Millisecond, time.Second, time.Second, 2 * time.Second},
		{"capped", 1500 * time.Millisecond, 500 * time.Millisecond, time.Second, 750 * time.Millisecond, 1500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, calls := failFirst(100, 502, nil)
			srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
			o := testOptions()
			o.MaxRetryWait = tc.maxWait
			f, w := newFetcher(t, o)
			_, err := f.Get(context.Background(), srv.URL+"/x")
			wantErr(t, err, ErrStatus)
			got := w.all()
			if calls.Load() != 3 || len(got) != 2 {
				t.Fatalf("%d calls, waits %v", calls.Load(), got)
			}
			if got[0] < tc.lo1 || got[0] > tc.hi1 || got[1] < tc.lo2 || got[1] > tc.hi2 {
				t.Errorf("waits %v outside [%s,%s] [%s,%s]", got, tc.lo1, tc.hi1, tc.lo2, tc.hi2)
			}
		})
	}
}

func TestNotFoundIsNotRetried(t *testing.T) {
	h, calls := failFirst(100, 404, nil)
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": h})
	f, w := newFetcher(t, testOptions())
	_, err := f.Get(context.Background(), srv.URL+"/x")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || calls.Load() != 1 || len(w.all()) != 0 {
		t.Errorf("err %v after %d calls, waits %v", err, calls.Load(), w.all())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Thursday, 01-Jan-26 00:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},       // in the past
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
		{"99999999999999", 0, false},
	} {
		got, ok := retryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// ---- 8. conditional GET and the disk cache ----

func TestConditionalGetPersistsAcrossFetchers(t *testing.T) {
	const page = "<p>Lazarus Group linked to exchange theft</p>"
	var sawINM, sawIMS atomic.Value
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/story": func(w http.ResponseWriter, r *http.Request) {
			sawINM.Store(r.Header.Get("If-None-Match"))
			sawIMS.Store(r.Header.Get("If-Modified-Since"))
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 02 Mar 2026 10:00:00 GMT")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		},
	})
	dir := t.TempDir()
	o := testOptions()
	o.CacheDir = dir

	first, _ := newFetcher(t, o)
	res := mustGet(t, first, srv.URL+"/story")
	if res.NotModified || res.FromCache || sawINM.Load() != "" {
		t.Fatalf("first fetch: NotModified %v FromCache %v If-None-Match %q", res.NotModified, res.FromCache, sawINM.Load())
	}

	second, _ := newFetcher(t, o) // a new process, same cache dir
	res = mustGet(t, second, srv.URL+"/story")
	if sawINM.Load() != `"v1"` || sawIMS.Load() != "Mon, 02 Mar 2026 10:00:00 GMT" {
		t.Errorf("second fetch sent If-None-Match %q If-Modified-Since %q", sawINM.Load(), sawIMS.Load())
	}
	if !res.NotModified || !res.FromCache || res.Status != 304 || string(res.Body) != page || res.Charset != "utf-8" || res.ContentType != "text/html" {
		t.Errorf("second fetch: %d NotModified %v FromCache %v %q %q body %q",
			res.Status, res.NotModified, res.FromCache, res.ContentType, res.Charset, res.Body)
	}

	files, _ := os.ReadDir(dir)
	if len(files) != 1 || !strings.HasSuffix(files[0].Name(), ".json") {
		t.Errorf("cache dir holds %v, want one .json file and no temp files", files)
	}
}

func TestConditionalGetWithLastModifiedOnly(t *testing.T) {
	const lm = "Tue, 03 Mar 2026 08:00:00 GMT"
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/feed": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-Modified-Since") == lm {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lm)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss><channel><title>x</title></channel></rss>`)
		},
	})
	o := testOptions()
	o.CacheDir = t.TempDir()
	f, _ := newFetcher(t, o)
	mustGet(t, f, srv.URL+"/feed")
	res := mustGet(t, f, srv.URL+"/feed")
	if !res.NotModified || !strings.Contains(string(res.Body), "<title>x</title>") {
		t.Errorf("NotModified %v body %q", res.NotModified, res.Body)
	}
}

func TestCacheEntryDroppedWhenValidatorsDisappear(t *testing.T) {
	var withETag atomic.Bool
	withETag.Store(true)
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/p": func(w http.ResponseWriter, r *http.Request) {
			if withETag.Load() {
				w.Header().Set("ETag", `"x"`)
			}
			fmt.Fprint(w, "body")
		},
	})
	o := testOptions()
	o.CacheDir = t.TempDir()
	f, _ := newFetcher(t, o)
	mustGet(t, f, srv.URL+"/p")
	if f.cache.load(srv.URL+"/p") == nil {
		t.Fatal("no cache entry after a 200 with ETag")
	}
	withETag.Store(false)
	mustGet(t, f, srv.URL+"/p")
	if f.cache.load(srv.URL+"/p") != nil {
		t.Fatal("cache entry kept after a 200 without validators")
	}
}

func TestDamagedCacheEntryIgnored(t *testing.T) {
	dir := t.TempDir()
	c := &diskCache{dir: dir}
	if err := os.WriteFile(c.path("http://x/"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c.load("http://x/") != nil {
		t.Error("damaged entry loaded")
	}
	if err := c.store(&cacheEntry{URL: "http://x/", ETag: `"e"`, Body: []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if e := c.load("http://x/"); e == nil || e.ETag != `"e"` {
		t.Errorf("entry after store = %+v", e)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) != 0 {
		t.Errorf("temp files left: %v", tmp)
	}
}

// ---- 9. charset ----

func TestDecodeTextPolicy(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
		want, wantCharset       string
	}{
		{"windows-1252 declared", "text/html; charset=windows-1252", "caf\xe9 \x93quoted\x94 \x80",
			"café “quoted” €", "windows-1252"},
		{"iso-8859-1 declared is read as windows-1252 (WHATWG)", "text/html; charset=ISO-8859-1", "caf\xe9",
			"café", "windows-1252"},
		{"header says latin-1, bytes are UTF-8", "text/html; charset=iso-8859-1", "café — Ελλάδα",
			"café — Ελλάδα", "utf-8"},
		{"header says UTF-8, bytes are latin-1", "text/html; charset=utf-8", "<p>caf\xe9 cr\xe8me</p>",
			"<p>café crème</p>", "windows-1252"},
		{"header says UTF-8, meta names the real charset", "text/html; charset=utf-8",
			"<meta charset=iso-8859-2><p>\xb1\xb1</p>", "<meta charset=iso-8859-2><p>ąą</p>", "iso-8859-2"},
		{"mostly UTF-8 with one broken byte stays UTF-8", "text/html; charset=utf-8", "café crème br\xfbl",
			"café crème br\uFFFDl", "utf-8"},
		{"meta only", "text/html", `<meta charset="windows-1252"><p>caf` + "\xe9</p>",
			`<meta charset="windows-1252"><p>café</p>`, "windows-1252"},
		{"meta says windows-1252, bytes are UTF-8", "text/html", `<meta charset="windows-1252"><p>café</p>`,
			`<meta charset="windows-1252"><p>café</p>`, "utf-8"},
		{"no declaration, latin-1 bytes", "text/html", "<p>caf\xe9</p>", "<p>café</p>", "windows-1252"},
		{"no declaration, UTF-8 bytes", "text/html", "<p>日本</p>", "<p>日本</p>", "utf-8"},
		{"pure ASCII keeps the declared name", "text/html; charset=windows-1252", "plain", "plain", "windows-1252"},
		{"UTF-8 BOM stripped", "text/html; charset=windows-1252", "\xef\xbb\xbfcafé", "café", "utf-8"},
		{"UTF-16LE BOM", "text/plain", "\xff\xfec\x00a\x00f\x00\xe9\x00", "café", "utf-16le"},
		{"Shift_JIS declared", "text/html; charset=shift_jis", "\x93\xfa\x96\x7b", "日本", "shift_jis"},
		{"XML declaration", "application/rss+xml", `<?xml version="1.0" encoding="ISO-8859-1"?><t>caf` + "\xe9</t>",
			`<?xml version="1.0" encoding="UTF-8"?><t>café</t>`, "windows-1252"},
		{"XML declaration mislabelled", "application/xml", `<?xml version='1.0' encoding='iso-8859-1'?><t>café</t>`,
			`<?xml version='1.0' encoding='UTF-8'?><t>café</t>`, "utf-8"},
		{"XML without declaration is UTF-8", "application/atom+xml", "<t>café</t>", "<t>café</t>", "utf-8"},
		{"XML labelled UTF-8, bytes latin-1", "text/xml", `<?xml version="1.0" encoding="utf-8"?><t>caf` + "\xe9</t>",
			`<?xml version="1.0" encoding="utf-8"?><t>café</t>`, "windows-1252"},
		{"unknown charset label", "text/html; charset=klingon", "café", "café", "utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := mediaType(tc.contentType, []byte(tc.body))
			got, cs := decodeText([]byte(tc.body), mt, tc.contentType)
			if string(got) != tc.want || cs != tc.wantCharset {
				t.Errorf("decodeText = %q (%s), want %q (%s)", got, cs, tc.want, tc.wantCharset)
			}
		})
	}
}

func TestWindows1252PageDecoded(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=windows-1252")
			w.Write([]byte("<p>\x93Sandworm\x94 \x96 Ukraine\x92s grid, \x80 loss</p>"))
		},
	})
	f, _ := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/x")
	if want := "<p>“Sandworm” – Ukraine’s grid, € loss</p>"; string(res.Body) != want || res.Charset != "windows-1252" {
		t.Errorf("body %q (%s), want %q", res.Body, res.Charset, want)
	}
}

func TestMislabelledCharsetComesOutReadable(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/utf8-as-latin1": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			fmt.Fprint(w, "<p>Société Générale — Kraków</p>")
		},
		"/latin1-as-utf8": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.Write([]byte("<p>Soci\xe9t\xe9 G\xe9n\xe9rale</p>"))
		},
	})
	f, _ := newFetcher(t, testOptions())
	for path, want := range map[string]string{
		"/utf8-as-latin1": "<p>Société Générale — Kraków</p>",
		"/latin1-as-utf8": "<p>Société Générale</p>",
	} {
		if res := mustGet(t, f, srv.URL+path); string(res.Body) != want {
			t.Errorf("%s: body %q (%s), want %q", path, res.Body, res.Charset, want)
		}
	}
}

func TestLatin1FeedParsesAfterDecoding(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/feed": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>S` + "\xe9curit\xe9" + `</title></channel></rss>`))
		},
	})
	f, _ := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/feed")
	var doc struct {
		Title string `xml:"channel>title"`
	}
	// encoding/xml refuses a non-UTF-8 declaration without a CharsetReader,
	// so this parses only if the declaration now matches the bytes.
	if err := xml.Unmarshal(res.Body, &doc); err != nil || doc.Title != "Sécurité" {
		t.Errorf("parse: %v, title %q", err, doc.Title)
	}
}

func TestBinaryBodyUntouched(t *testing.T) {
	raw := []byte("%PDF-1.7\n\xe9\xff\x00\x93")
	srv, _ := newSite(t, map[string]http.HandlerFunc{
		"/r.pdf": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(raw)
		},
	})
	f, _ := newFetcher(t, testOptions())
	res := mustGet(t, f, srv.URL+"/r.pdf")
	if !bytes.Equal(res.Body, raw) || res.Charset != "" || res.ContentType != "application/pdf" {
		t.Errorf("body %q charset %q type %q", res.Body, res.Charset, res.ContentType)
	}
}

// ---- 10. SSRF guard ----

// guardOptions turn the guard on; ports must be allowed explicitly since
// httptest does not listen on 80 or 443.
func guardOptions(ports ...uint16) Options {
	o := testOptions()
	o.AllowPrivate = false
	o.AllowedPorts = ports
	return o
}

// listenOn starts a test server on a given loopback address.
func listenOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestGuardRefusesLoopback(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{"/": text("secret")})
	f, _ := newFetcher(t, guardOptions(port(t, srv)))
	_, err := f.Get(context.Background(), srv.URL+"/admin")
	wantErr(t, err, ErrForbiddenAddress)
	if h.total() != 0 {
		t.Errorf("server saw %v", h.paths)
	}
}

func TestGuardRefusesOtherPortsByDefault(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{"/": text("secret")})
	f, _ := newFetcher(t, guardOptions()) // 80 and 443 only
	_, err := f.Get(context.Background(), srv.URL+"/admin")
	wantErr(t, err, ErrForbiddenAddress)
	if h.total() != 0 {
		t.Errorf("server saw %v", h.paths)
	}
}

func TestGuardRefusesRedirectToLoopback(t *testing.T) {
	internal, internalHits := newSite(t, map[string]http.HandlerFunc{"/": text("metadata")})
	// 127.0.0.2 plays a public site: the guard is told to let it through.
	public := listenOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, internal.URL+"/latest/meta-data/", http.StatusFound)
	}))
	o := guardOptions(port(t, public), port(t, internal))
	o.allowPrefixes = []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}
	f, _ := newFetcher(t, o)

	_, err := f.Get(context.Background(), public.URL+"/story")
	wantErr(t, err, ErrForbiddenAddress)
	if internalHits.total() != 0 {
		t.Errorf("internal server saw %v", internalHits.paths)
	}
}

func TestGuardRefusesNameResolvingToLoopback(t *testing.T) {
	srv, h := newSite(t, map[string]http.HandlerFunc{"/": text("secret")})
	p := port(t, srv)

	t.Run("localhost", func(t *testing.T) {
		f, _ := newFetcher(t, guardOptions(p))
		_, err := f.Get(context.Background(), fmt.Sprintf("http://localhost:%d/admin", p))
		wantErr(t, err, ErrForbiddenAddress)
	})
	t.Run("DNS answer", func(t *testing.T) {
		o := guardOptions(p)
		o.Resolver = fakeDNS(t, func(name string, n int) netip.Addr {
			if name == "evil.example." {
				return netip.MustParseAddr("127.0.0.1")
			}
			return netip.Addr{}
		})
		f, _ := newFetcher(t, o)
		_, err := f.Get(context.Background(), fmt.Sprintf("http://evil.example:%d/admin", p))
		wantErr(t, err, ErrForbiddenAddress)
	})
	if h.total() != 0 {
		t.Errorf("server saw %v", h.paths)
	}
}

func TestGuardRefusesDNSRebinding(t *testing.T) {
	// The name first resolves to the "public" 127.0.0.2, then to 127.0.0.1.
	// The server closes every connection so the second request dials again.
	public := listenOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "page")
	}))
	p := port(t, public)
	o := guardOptions(p)
	o.allowPrefixes = []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}
	o.Resolver = fakeDNS(t, func(name string, n int) netip.Addr {
		if name != "rebind.example." {
			return netip.Addr{}
		}
		if n == 1 {
			return netip.MustParseAddr("127.0.0.2")
		}
		return netip.MustParseAddr("127.0.0.1")
	})
	f, _ := newFetcher(t, o)
	_, err := f.Get(context.Background(), fmt.Sprintf("http://rebind.example:%d/page", p))
	wantErr(t, err, ErrForbiddenAddress)
}

func TestGuardAddressTable(t *testing.T) {
	f, _ := newFetcher(t, Options{})
	for _, tc := range []struct {
		network, addr string
		refused       bool
	}{
		{"tcp4", "127.0.0.1:80", true},
		{"tcp4", "127.8.9.10:443", true},
		{"tcp6", "[::1]:80", true},
		{"tcp4", "10.1.2.3:80", true},
		{"tcp4", "172.16.0.1:80", true},
		{"tcp4", "192.168.1.1:443", true},
		{"tcp4", "169.254.169.254:80", true}, // cloud metadata
		{"tcp6", "[fd00:ec2::254]:80", true}, // AWS metadata over IPv6
		{"tcp6", "[fe80::1]:80", true},
		{"tcp6", "[::ffff:127.0.0.1]:80", true}, // IPv4-mapped
		{"tcp6", "[::ffff:169.254.169.254]:80", true},
		{"tcp4", "0.0.0.0:80", true},
		{"tcp6", "[::]:80", true},
		{"tcp4", "100.64.0.1:80", true}, // CGNAT
		{"tcp4", "224.0.0.1:80", true},  // multicast
		{"tcp4", "255.255.255.255:80", true},
		{"tcp6", "[64:ff9b::7f00:1]:80", true}, // NAT64 of 127.0.0.1
		{"tcp4", "1.1.1.1:22", true},           // public, wrong port
		{"udp4", "1.1.1.1:443", true},
		{"tcp4", "1.1.1.1:443", false},
		{"tcp4", "93.184.215.14:80", false},
		{"tcp6", "[2606:4700:4700::1111]:443", false},
	} {
		err := f.dialer.Control(tc.network, tc.addr, nil)
		if refused := errors.Is(err, ErrForbiddenAddress); refused != tc.refused {
			t.Errorf("%s %s: refused %v (%v), want %v", tc.network, tc.addr, refused, err, tc.refused)
		}
	}
}

func TestAllowPrivateTurnsGuardOff(t *testing.T) {
	f, _ := newFetcher(t, Options{AllowPrivate: true})
	if f.dialer.Control != nil {
		t.Error("guard installed although AllowPrivate")
	}
}

// fakeDNS serves A records from answer (n counts the A queries for a name,
// from 1) over UDP on loopback, and returns a resolver that uses only it.
func fakeDNS(t *testing.T, answer func(name string, n int) netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var mu sync.Mutex
	counts := map[string]int{}
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			name := strings.ToLower(q.Name.String())
			var ip netip.Addr
			if q.Type == dnsmessage.TypeA {
				mu.Lock()
				counts[name]++
				c := counts[name]
				mu.Unlock()
				ip = answer(name, c)
			}
			rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true}
			if !ip.IsValid() && q.Type == dnsmessage.TypeA {
				rh.RCode = dnsmessage.RCodeNameError
			}
			b := dnsmessage.NewBuilder(nil, rh)
			b.StartQuestions()
			b.Question(q)
			b.StartAnswers()
			if ip.IsValid() {
				b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET}, dnsmessage.AResource{A: ip.As4()})
			}
			msg, err := b.Finish()
			if err == nil {
				pc.WriteTo(msg, from)
			}
		}
	}()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", pc.LocalAddr().String())
		},
	}
}

// ---- 11. errors ----

func TestErrorNamesURLOnce(t *testing.T) {
	srv, _ := newSite(t, nil)
	f, _ := newFetcher(t, testOptions())
	u := srv.URL + "/missing"
	_, err := f.Get(context.Background(), u)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || !errors.Is(err, ErrStatus) {
		t.Fatalf("err = %v, want a 404 StatusError", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "fetch "+u+": ") || strings.Count(msg, u) != 1 || strings.Count(msg, "fetch ") != 1 {
		t.Errorf("error %q should name the URL once, as a prefix", msg)
	}
}

func TestCancelledContext(t *testing.T) {
	srv, _ := newSite(t, map[string]http.HandlerFunc{"/": text("ok")})
	f, _ := newFetcher(t, testOptions())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Get(ctx, srv.URL+"/x")
	wantErr(t, err, context.Canceled)
}

// ---- fuzz ----

func FuzzDecode(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<p>caf\xe9</p>"))
	zw.Close()
	f.Add([]byte("<p>caf\xe9</p>"), "text/html; charset=utf-8", "")
	f.Add([]byte("<meta charset=shift_jis>\x93\xfa"), "text/html", "")
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-1"?><a>`), "application/xml", "")
	f.Add([]byte("\xff\xfea\x00"), "text/plain", "")
	f.Add(gz.Bytes(), "text/html", "gzip")
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00}, "text/html", "deflate")
	f.Add([]byte("x"), "text/html; charset=\"", "br")
	f.Fuzz(func(t *testing.T, data []byte, contentType, contentEncoding string) {
		body, err := readBody(bytes.NewReader(data), contentEncoding, 1<<16, true)
		if len(body) > 1<<16 {
			t.Fatalf("body of %d bytes past the cap", len(body))
		}
		if err != nil {
			return
		}
		mt := mediaType(contentType, body)
		if !isText(mt) {
			return
		}
		out, cs := decodeText(body, mt, contentType)
		if !utf8.Valid(out) {
			t.Fatalf("decodeText(%q, %q) = %q: not UTF-8", body, contentType, out)
		}
		if cs == "" {
			t.Fatal("no charset name")
		}
	})
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private\nCrawl-delay: 2\n"))
	f.Add([]byte("Disallow: /x\nUser-agent: cyberkg\nCrawl-delay: nan\nAllow: /*.html$\n"))
	f.Add([]byte("User-agent: *\nDisallow: /a*b$\n# c: d\nSitemap: http://x/s.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := parseRobots(data)
		d.TestAgent("/private/x?y=1", "cyberkg")
		if cd := d.FindGroup("cyberkg").CrawlDelay; cd < 0 {
			t.Fatalf("negative crawl delay %s", cd)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("120")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("-1")
	f.Fuzz(func(t *testing.T, h string) {
		if d, _ := retryAfter(h, time.Now()); d < 0 {
			t.Fatalf("retryAfter(%q) = %s", h, d)
		}
	})
}
