package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DefaultUserAgent names the project and where to reach its maintainers, as
// a polite crawler should.
const DefaultUserAgent = "cyberkg/0.1 (+https://github.com/cyberkg/cyberkg)"

// maxRedirects is the longest redirect chain Get follows.
const maxRedirects = 5

// Options configures a Fetcher. The zero value is usable: every zero field
// takes the default named in its comment.
type Options struct {
	// UserAgent is sent with every request and must carry a contact URL
	// (default DefaultUserAgent). Its product token, the part before the
	// first "/" (here "cyberkg"), is the agent matched in robots.txt.
	UserAgent string

	DialTimeout           time.Duration // TCP connect (default 10s)
	TLSHandshakeTimeout   time.Duration // default 10s
	ResponseHeaderTimeout time.Duration // from request sent to headers read (default 15s)
	// RequestTimeout bounds one HTTP request end to end, body included
	// (default 30s). Waiting for a host's turn and retry backoff are not
	// part of it; bound those with the context given to Get.
	RequestTimeout time.Duration

	// MaxBodyBytes caps the decompressed body (default 10 MiB).
	MaxBodyBytes int64

	// HostRate is the most requests per second sent to one host (default
	// 1; rate.Inf for no limit). A robots.txt Crawl-delay lowers it.
	HostRate rate.Limit
	// HostConcurrency is the most requests in flight to one host (default 2).
	HostConcurrency int
	// MaxCrawlDelay caps the Crawl-delay we honour (default 60s), so that
	// one robots.txt cannot park a worker for hours.
	MaxCrawlDelay time.Duration
	// RobotsTTL is how long robots.txt is cached per origin (default and
	// maximum 24h, RFC 9309 §2.4).
	RobotsTTL time.Duration

	// MaxRetryWait is the longest we wait before a retry (default 60s).
	// A Retry-After asking for longer fails the request with
	// ErrRetryTooLong instead.
	MaxRetryWait time.Duration

	// CacheDir holds validators and last bodies for conditional GETs.
	// Empty disables the cache.
	CacheDir string

	// AllowPrivate turns the SSRF guard off: loopback, private and other
	// non-public addresses may be dialled. For tests and local use only;
	// never for URLs that come from the API or the web UI.
	AllowPrivate bool
	// AllowedPorts are the destination ports the guard allows (default 80
	// and 443). Ignored when AllowPrivate is set.
	AllowedPorts []uint16
	// Resolver resolves host names (default net.DefaultResolver).
	Resolver *net.Resolver

	// Logger receives what is worth knowing but not worth failing a
	// request for, such as a cache write error (default slog.Default()).
	Logger *slog.Logger

	// allowPrefixes are IPv4 ranges the guard lets through although they
	// are not public; tests use one loopback address as "the internet".
	allowPrefixes []netip.Prefix
}

func (o *Options) setDefaults() error {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if !strings.Contains(o.UserAgent, "http://") && !strings.Contains(o.UserAgent, "https://") {
		return fmt.Errorf("user agent %q must carry a contact URL", o.UserAgent)
	}
	dur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	dur(&o.DialTimeout, 10*time.Second)
	dur(&o.TLSHandshakeTimeout, 10*time.Second)
	dur(&o.ResponseHeaderTimeout, 15*time.Second)
	dur(&o.RequestTimeout, 30*time.Second)
	dur(&o.MaxCrawlDelay, 60*time.Second)
	dur(&o.RobotsTTL, robotsMaxTTL)
	dur(&o.MaxRetryWait, 60*time.Second)
	o.RobotsTTL = min(o.RobotsTTL, robotsMaxTTL)
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 10 << 20
	}
	if o.HostRate <= 0 {
		o.HostRate = 1
	}
	if o.HostConcurrency <= 0 {
		o.HostConcurrency = 2
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}

// Fetcher is cyberkg's only HTTP client for the outside world. It is safe
// for concurrent use; share one per process so that per-host limits hold.
type Fetcher struct {
	opts   Options
	agent  string // robots.txt product token
	client *http.Client
	tr     *http.Transport
	dialer *net.Dialer
	cache  *diskCache
	robots robotsCache
	hosts  hostTable

	// Seams for tests, so that waits measured in minutes take none.
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// New returns a Fetcher configured by opts.
func New(opts Options) (*Fetcher, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	tr, dialer := newTransport(&opts)
	f := &Fetcher{
		opts:   opts,
		agent:  productToken(opts.UserAgent),
		tr:     tr,
		dialer: dialer,
		client: &http.Client{
			Transport: tr,
			// Get follows redirects itself, so that every hop is checked
			// against robots.txt, the scheme rule and the loop rule.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		hosts: hostTable{rate: opts.HostRate, inFlight: opts.HostConcurrency},
		now:   time.Now,
		sleep: sleepCtx,
	}
	if opts.CacheDir != "" {
		if err := os.MkdirAll(opts.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("fetch: cache dir: %w", err)
		}
		f.cache = &diskCache{dir: opts.CacheDir}
	}
	return f, nil
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.tr.CloseIdleConnections() }

func productToken(ua string) string {
	tok, _, _ := strings.Cut(ua, "/")
	tok, _, _ = strings.Cut(tok, " ")
	return strings.ToLower(tok)
}

// Response is a fetched resource.
type Response struct {
	URL       string   // as requested
	FinalURL  string   // after redirects
	Redirects []string // every URL that answered with a redirect, in order; empty if none
	Status    int      // of the final response: 2xx, or 304 when NotModified
	Header    http.Header
	// ContentType is the media type, lower case, without parameters;
	// sniffed when the server sent none.
	ContentType string
	// Charset is the charset Body was decoded from (WHATWG name, such as
	// "utf-8" or "windows-1252"); empty when Body is not text.
	Charset string
	// Body is decompressed and, for text, HTML and XML types, decoded to
	// UTF-8 (see decodeText for the policy). Other types are as sent.
	Body []byte
	// NotModified: the server answered 304 to our conditional GET.
	NotModified bool
	// FromCache: Body comes from the disk cache (true whenever NotModified).
	FromCache bool
	Fetched   time.Time
}

// Get fetches rawURL. It consults robots.txt first and fails with
// ErrDisallowed without requesting a disallowed URL; it follows at most
// five redirects, checking each hop as if it were the first; it retries 429
// and 5xx at most twice; it revalidates cached copies with If-None-Match and
// If-Modified-Since. Errors wrap the sentinels in errors.go and name rawURL
// once.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (*Response, error) {
	res, err := f.get(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return res, nil
}

func (f *Fetcher) get(ctx context.Context, rawURL string) (*Response, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var redirects []string
	seen := map[string]bool{}
	for {
		here := u.String()
		seen[here] = true
		res, next, err := f.hop(ctx, u)
		if err != nil {
			if len(redirects) > 0 {
				return nil, fmt.Errorf("after redirect to %s: %w", here, err)
			}
			return nil, err
		}
		if next == nil {
			res.URL = rawURL
			res.Redirects = redirects
			return res, nil
		}
		redirects = append(redirects, here)
		switch {
		case next.Scheme != "http" && next.Scheme != "https":
			return nil, fmt.Errorf("redirect from %s to %s: %w", here, next, ErrUnsupportedScheme)
		case seen[next.String()]:
			return nil, fmt.Errorf("redirect from %s to %s: %w", here, next, ErrRedirectLoop)
		case len(redirects) > maxRedirects:
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyRedirects, maxRedirects)
		}
		u = next
	}
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedScheme, u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("URL has no host")
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// hop requests one URL: robots.txt check, conditional headers, retries. It
// returns either a response, or the next URL of a redirect.
func (f *Fetcher) hop(ctx context.Context, u *url.URL) (*Response, *url.URL, error) {
	if err := f.checkRobots(ctx, u); err != nil {
		return nil, nil, err
	}
	key := u.String()
	cached := f.cache.load(key)
	var cond http.Header
	if cached != nil {
		cond = http.Header{}
		if cached.ETag != "" {
			cond.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			cond.Set("If-Modified-Since", cached.LastModified)
		}
	}

	ex, err := f.withRetry(ctx, u, cond)
	if err != nil {
		return nil, nil, err
	}
	switch code := ex.status; {
	case isRedirect(code):
		loc := ex.header.Get("Location")
		if loc == "" {
			return nil, nil, fmt.Errorf("redirect without Location: %w", &StatusError{Code: code})
		}
		next, err := u.Parse(loc)
		if err != nil {
			return nil, nil, fmt.Errorf("redirect to %q: %w", loc, err)
		}
		next.Fragment, next.RawFragment = "", ""
		return nil, next, nil

	case code == http.StatusNotModified && cached != nil:
		header := cached.Header.Clone()
		if header == nil {
			header = http.Header{}
		}
		for k, v := range ex.header { // RFC 9111 §4.3.4: 304 headers update the stored ones
			header[k] = v
		}
		res := f.response(u, code, header, cached.Body)
		res.NotModified, res.FromCache = true, true
		return res, nil, nil

	case code >= 200 && code <= 299:
		if code == http.StatusOK {
			f.remember(key, ex)
		}
		return f.response(u, code, ex.header, ex.body), nil, nil

	default:
		return nil, nil, &StatusError{Code: code}
	}
}

// withRetry makes the request, retrying 429 and 5xx up to maxAttempts in
// all. It waits what Retry-After asks when the server says, else an
// exponential backoff with jitter; never longer than MaxRetryWait.
func (f *Fetcher) withRetry(ctx context.Context, u *url.URL, cond http.Header) (*exchange, error) {
	for attempt := 1; ; attempt++ {
		ex, err := f.roundTrip(ctx, u, cond, f.opts.MaxBodyBytes, false)
		if err != nil {
			return nil, err
		}
		if !retryable(ex.status) {
			return ex, nil
		}
		serr := &StatusError{Code: ex.status}
		wait, asked := retryAfter(ex.header.Get("Retry-After"), f.now())
		if asked && wait > f.opts.MaxRetryWait {
			return nil, fmt.Errorf("%w (Retry-After %s, limit %s): %w", ErrRetryTooLong, wait, f.opts.MaxRetryWait, serr)
		}
		if attempt >= maxAttempts {
			return nil, fmt.Errorf("after %d attempts: %w", attempt, serr)
		}
		if !asked {
			wait = backoff(attempt, f.opts.MaxRetryWait)
		}
		f.opts.Logger.DebugContext(ctx, "fetch: retrying", "url", u.String(), "status", ex.status, "wait", wait)
		if err := f.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting to retry: %w", err)
		}
	}
}

// remember stores the validators and body of a 200, or forgets a URL whose
// 200 no longer carries validators. Failing to cache is not failing to
// fetch, so errors are logged, not returned.
func (f *Fetcher) remember(key string, ex *exchange) {
	if f.cache == nil {
		return
	}
	etag, lm := ex.header.Get("ETag"), ex.header.Get("Last-Modified")
	var err error
	if etag == "" && lm == "" {
		err = f.cache.drop(key)
	} else {
		header := ex.header.Clone()
		header.Del("Set-Cookie")
		err = f.cache.store(&cacheEntry{URL: key, ETag: etag, LastModified: lm, Header: header, Body: ex.body, Stored: f.now()})
	}
	if err != nil {
		f.opts.Logger.Warn("fetch: cache", "err", err)
	}
}

func (f *Fetcher) response(u *url.URL, code int, header http.Header, body []byte) *Response {
	ct := header.Get("Content-Type")
	mt := mediaType(ct, body)
	res := &Response{
		FinalURL:    u.String(),
		Status:      code,
		Header:      header,
		ContentType: mt,
		Body:        body,
		Fetched:     f.now(),
	}
	if isText(mt) {
		res.Body, res.Charset = decodeText(body, mt, ct)
	}
	return res
}
