package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
	"golang.org/x/time/rate"
)

const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml,application/atom+xml,*/*;q=0.8"

// newTransport builds the one transport every request goes through. The
// SSRF guard runs in Dialer.Control, after DNS resolution and before the
// connection is made, so the address checked is the address used: this
// covers redirects and DNS rebinding, which a check on the URL cannot.
func newTransport(o *Options) (*http.Transport, *net.Dialer) {
	d := &net.Dialer{
		Timeout:   o.DialTimeout,
		KeepAlive: 30 * time.Second,
		Resolver:  o.Resolver,
	}
	if !o.AllowPrivate {
		ports := o.AllowedPorts
		if len(ports) == 0 {
			ports = []uint16{80, 443}
		}
		guard := ssrf.New(ssrf.WithPorts(ports...), ssrf.WithAllowedV4Prefixes(o.allowPrefixes...))
		d.Control = func(network, address string, _ syscall.RawConn) error {
			if err := guard.Safe(network, address, nil); err != nil {
				return fmt.Errorf("%w: %w", ErrForbiddenAddress, err)
			}
			return nil
		}
	}
	t := &http.Transport{
		// No proxy, not even from the environment: a proxy would make the
		// dial-time guard check the proxy's address instead of the target's.
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    o.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  o.ResponseHeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// We send Accept-Encoding and decode ourselves, so the size cap
		// sees decoded bytes; see readBody.
		DisableCompression: true,
	}
	return t, d
}

// exchange is one HTTP request and its response, body read and closed.
type exchange struct {
	status int
	header http.Header
	body   []byte // decompressed; only read for 2xx
}

// roundTrip makes one GET to u, without following redirects, holding one of
// the host's concurrency slots and one rate-limit token for it. For a 2xx it
// reads and decompresses up to limit bytes of body; when truncateOK, a
// longer body is cut rather than failed (robots.txt). The whole exchange,
// body included, is bounded by RequestTimeout.
func (f *Fetcher) roundTrip(ctx context.Context, u *url.URL, extra http.Header, limit int64, truncateOK bool) (*exchange, error) {
	h := f.hosts.get(u)
	release, err := h.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()

	rctx, cancel := context.WithTimeout(ctx, f.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	for k, v := range extra {
		req.Header[k] = v
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.netError(ctx, err)
	}
	defer resp.Body.Close()

	ex := &exchange{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused; the rest is
		// not worth waiting for.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 16<<10))
		return ex, nil
	}
	if resp.ContentLength > limit && !truncateOK && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, resp.ContentLength, limit)
	}
	ex.body, err = readBody(resp.Body, resp.Header.Get("Content-Encoding"), limit, truncateOK)
	if err != nil && !(truncateOK && errors.Is(err, ErrTooLarge)) {
		return nil, f.netError(ctx, err)
	}
	return ex, nil
}

// netError marks timeouts with ErrTimeout, leaving a cancelled or expired
// caller context as it is.
func (f *Fetcher) netError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// hostTable holds the politeness state of every host we have talked to.
// Hosts are keyed by name without port: two ports on one machine are still
// one machine to be polite to.
type hostTable struct {
	mu       sync.Mutex
	hosts    map[string]*host
	rate     rate.Limit
	inFlight int
}

type host struct {
	limiter *rate.Limiter
	slots   chan struct{}
}

func (t *hostTable) get(u *url.URL) *host {
	name := strings.ToLower(u.Hostname())
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.hosts == nil {
		t.hosts = make(map[string]*host)
	}
	h := t.hosts[name]
	if h == nil {
		h = &host{
			limiter: rate.NewLimiter(t.rate, 1),
			slots:   make(chan struct{}, t.inFlight),
		}
		t.hosts[name] = h
	}
	return h
}

// acquire takes a concurrency slot, then a rate token. In that order: a
// token taken before a slot could be spent after another request's,
// letting two requests start closer together than the rate allows.
func (h *host) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := h.pace(ctx); err != nil {
		<-h.slots
		return nil, err
	}
	return func() { <-h.slots }, nil
}

// pace returns when this request may start. The token is taken at the
// moment we go (AllowN at the current time), not booked in advance as
// Limiter.Wait does: with a burst of 1 that keeps every two starts at least
// 1/limit apart even when a timer fires late on a busy machine, where a
// booked token would let the next request follow immediately.
func (h *host) pace(ctx context.Context) error {
	for {
		now := time.Now()
		if h.limiter.AllowN(now, 1) {
			return nil
		}
		limit := h.limiter.Limit()
		wait := time.Millisecond
		if limit > 0 {
			need := 1 - h.limiter.TokensAt(now)
			wait = max(wait, time.Duration(need/float64(limit)*float64(time.Second)))
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}

// setCrawlDelay slows the host down to one request per delay (capped at
// maxDelay) when that is slower than the configured rate, and restores the
// configured rate when robots.txt no longer asks for a delay.
func (h *host) setCrawlDelay(delay time.Duration, base rate.Limit, maxDelay time.Duration) {
	limit := base
	if delay > 0 {
		if cd := rate.Every(min(delay, maxDelay)); cd < limit {
			limit = cd
		}
	}
	if h.limiter.Limit() != limit {
		h.limiter.SetLimit(limit)
	}
}
