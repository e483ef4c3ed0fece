package fetch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

const (
	// robotsMaxBytes: RFC 9309 §2.5 asks crawlers to parse at least the
	// first 500 KiB; we read that much and ignore the rest.
	robotsMaxBytes = 512 << 10
	// robotsMaxTTL: RFC 9309 §2.4, a cached robots.txt is not used for
	// more than 24 hours.
	robotsMaxTTL = 24 * time.Hour
	// robotsErrorTTL is how long a failure (5xx, 429, unreachable) is
	// remembered as "disallow all": long enough not to hammer a sick
	// server, short enough that a blip does not block a host for a day.
	robotsErrorTTL = 10 * time.Minute
)

// robotsRules is what we know about one origin's robots.txt.
type robotsRules struct {
	data    *robotstxt.RobotsData // nil: disallow all, see cause
	cause   error                 // why everything is disallowed
	expires time.Time
}

// robotsCache holds rules per origin (scheme://host:port, as RFC 9309 §2.3
// scopes them). Each origin has its own lock, so concurrent first requests
// to a host fetch robots.txt once and others wait for that answer.
type robotsCache struct {
	mu      sync.Mutex
	origins map[string]*robotsSlot
}

type robotsSlot struct {
	mu    sync.Mutex
	rules *robotsRules
}

func (c *robotsCache) slot(origin string) *robotsSlot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.origins == nil {
		c.origins = make(map[string]*robotsSlot)
	}
	s := c.origins[origin]
	if s == nil {
		s = &robotsSlot{}
		c.origins[origin] = s
	}
	return s
}

// checkRobots returns nil when our agent may fetch u, an error wrapping
// ErrDisallowed when it may not, or the error that kept us from finding out
// (cancelled context, forbidden address).
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	if u.EscapedPath() == "/robots.txt" {
		return nil
	}
	origin := u.Scheme + "://" + u.Host
	s := f.robots.slot(origin)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rules == nil || !f.now().Before(s.rules.expires) {
		rules, err := f.fetchRobots(ctx, origin)
		if err != nil {
			return err
		}
		s.rules = rules
		delay := time.Duration(0)
		if rules.data != nil {
			delay = rules.data.FindGroup(f.agent).CrawlDelay
		}
		f.hosts.get(u).setCrawlDelay(delay, f.opts.HostRate, f.opts.MaxCrawlDelay)
	}
	if s.rules.data == nil {
		return fmt.Errorf("%w: %w", ErrDisallowed, s.rules.cause)
	}
	if !s.rules.data.TestAgent(u.RequestURI(), f.agent) {
		return fmt.Errorf("%w: %s", ErrDisallowed, u.RequestURI())
	}
	return nil
}

// fetchRobots fetches and parses origin/robots.txt with the same client,
// rate limit and guard as any other request. Outcomes follow RFC 9309
// §2.3.1: 2xx parsed; 4xx (but 429) allow all; 5xx, 429 and network errors
// disallow all; more than five redirects count as "unavailable", i.e. 4xx.
// A cancelled context or a forbidden address is returned as an error and
// not cached.
func (f *Fetcher) fetchRobots(ctx context.Context, origin string) (*robotsRules, error) {
	u, err := url.Parse(origin + "/robots.txt")
	if err != nil {
		return nil, err
	}
	now := f.now()
	ok := &robotsRules{expires: now.Add(f.opts.RobotsTTL)}
	fail := func(cause error) *robotsRules {
		return &robotsRules{cause: cause, expires: now.Add(min(robotsErrorTTL, f.opts.RobotsTTL))}
	}
	for range maxRedirects + 1 {
		ex, err := f.roundTrip(ctx, u, nil, robotsMaxBytes, true)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrForbiddenAddress) {
				return nil, fmt.Errorf("robots.txt: %w", err)
			}
			return fail(fmt.Errorf("robots.txt unreachable: %w", err)), nil
		}
		switch code := ex.status; {
		case code >= 200 && code <= 299:
			ok.data = parseRobots(ex.body)
			return ok, nil
		case isRedirect(code):
			next, err := u.Parse(ex.header.Get("Location"))
			if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
				ok.data = allowAll()
				return ok, nil
			}
			u = next
		case code == http.StatusTooManyRequests || code >= 500:
			return fail(fmt.Errorf("robots.txt: %w", &StatusError{Code: code})), nil
		default: // 4xx, or anything we cannot read as rules
			ok.data = allowAll()
			return ok, nil
		}
	}
	ok.data = allowAll()
	return ok, nil
}

func allowAll() *robotstxt.RobotsData {
	d, _ := robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	return d
}

// parseRobots parses a robots.txt body. robotstxt rejects a whole file for
// one bad line (a rule before any User-agent, an unparseable Crawl-delay),
// whereas RFC 9309 §2.2 wants the parseable rules used; so such lines are
// dropped first. A file that still does not parse is treated as empty.
func parseRobots(body []byte) *robotstxt.RobotsData {
	if d, err := robotstxt.FromBytes(body); err == nil {
		return d
	}
	if d, err := robotstxt.FromBytes(sanitizeRobots(body)); err == nil {
		return d
	}
	return allowAll()
}

func sanitizeRobots(body []byte) []byte {
	var out bytes.Buffer
	seenAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), robotsMaxBytes)
	for sc.Scan() {
		line := sc.Text()
		field, value, found := strings.Cut(line, ":")
		if i := strings.IndexByte(value, '#'); i >= 0 {
			value = value[:i]
		}
		field = strings.ToLower(strings.TrimSpace(field))
		value = strings.TrimSpace(value)
		if i := strings.IndexByte(field, '#'); i >= 0 || !found {
			out.WriteString(line + "\n")
			continue
		}
		switch field {
		case "user-agent", "useragent":
			seenAgent = true
		case "allow", "disallow":
			if !seenAgent {
				continue
			}
		case "crawl-delay", "crawldelay":
			d, err := strconv.ParseFloat(value, 64)
			if !seenAgent || err != nil || d < 0 || math.IsInf(d, 0) || math.IsNaN(d) {
				continue
			}
		}
		out.WriteString(line + "\n")
	}
	return out.Bytes()
}
