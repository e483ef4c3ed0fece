package discover

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"
)

// Getter fetches one URL. It is the only way this package reaches the network, and it
// is where robots.txt, rate limits, the private-network guard, size caps and caching
// are applied; scrapers/fetch satisfies it through a one-line adapter (GetterFunc).
// DiscoverAll calls Get from several goroutines at once. Get's errors are returned
// with the source's name added, so they should name the URL themselves, as net/http's
// do. A response other than success should be an error, not a Page.
type Getter interface {
	Get(ctx context.Context, url string) (*Page, error)
}

// GetterFunc adapts a function to Getter.
type GetterFunc func(ctx context.Context, url string) (*Page, error)

// Get calls f.
func (f GetterFunc) Get(ctx context.Context, url string) (*Page, error) { return f(ctx, url) }

// Page is a fetched document.
type Page struct {
	// URL is where the document was finally found, after redirects; links in it
	// resolve against it. Empty means the URL that was asked for.
	URL         string
	ContentType string
	// Body is the document as served, before any gzip of the file itself (a
	// ".xml.gz" sitemap) is undone: this package undoes that, with a size cap.
	Body []byte
}

// Item is one article to read.
type Item struct {
	URL       string
	Title     string    // as the source lists it; may be empty
	Published time.Time // UTC; zero when the source gives no date
	Author    string    // may be empty
	Source    string    // the Source's Name
	Publisher string    // the Source's Publisher
}

// SourceError is a failure while discovering one source.
type SourceError struct {
	Source string
	Err    error
}

func (e *SourceError) Error() string { return fmt.Sprintf("discover %s: %v", e.Source, e.Err) }
func (e *SourceError) Unwrap() error { return e.Err }

// ErrTooLarge is returned for a document that is larger than this package will read
// once decompressed.
var ErrTooLarge = errors.New("document too large")

// Size caps on documents once decompressed. The sitemap cap is the sitemaps
// protocol's own limit.
const (
	maxSitemapBytes  = 50 << 20
	maxDocumentBytes = 20 << 20
)

// parallelSources is how many sources DiscoverAll works on at once; per-host pacing is
// the Getter's job, so this only overlaps waits on different hosts.
const parallelSources = 4

// Discover lists the articles of one source. The listed URL is always fetched; past
// it, a sitemap index is followed only to child sitemaps on the same host, and a page
// only to links inside the source's allowlist, to its depth, fetching no URL twice.
//
// Discover fails without items when the source is invalid or its listed URL cannot
// be fetched or read. Failures further in (a child sitemap, a linked page) do not stop
// it: it returns the items it found together with an error joining those failures.
func Discover(ctx context.Context, g Getter, src Source) ([]Item, error) {
	if g == nil {
		return nil, &SourceError{Source: src.Name, Err: errors.New("no Getter")}
	}
	p, problems := compile(src)
	if problems != nil {
		return nil, &SourceError{Source: src.Name, Err: errors.Join(problems...)}
	}
	c := &collector{plan: p, seen: make(map[string]bool)}
	var err error
	switch p.Kind {
	case KindFeed:
		err = c.feed(ctx, g)
	case KindSitemap:
		err = c.sitemap(ctx, g)
	case KindPage:
		err = c.pages(ctx, g)
	}
	if err != nil {
		return c.items, &SourceError{Source: src.Name, Err: err}
	}
	return c.items, nil
}

// DiscoverAll runs Discover on every source of cfg. A failing source does not stop the
// others: the items of all sources come back, in the order of cfg.Sources and with
// each URL once (the first source to list it keeps it), together with an error joining
// one *SourceError per source that failed.
func DiscoverAll(ctx context.Context, g Getter, cfg *Config) ([]Item, error) {
	type result struct {
		items []Item
		err   error
	}
	if cfg == nil {
		return nil, errors.New("discover: no configuration")
	}
	results := make([]result, len(cfg.Sources))
	sem := make(chan struct{}, parallelSources)
	var wg sync.WaitGroup
	for i, s := range cfg.Sources {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i].err = &SourceError{Source: s.Name, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			results[i].items, results[i].err = Discover(ctx, g, s)
		})
	}
	wg.Wait()
	var items []Item
	var errs []error
	seen := make(map[string]bool)
	for _, r := range results {
		for _, it := range r.items {
			if !seen[it.URL] {
				seen[it.URL] = true
				items = append(items, it)
			}
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	return items, errors.Join(errs...)
}

// entry is an article link found in a document, before the source's filters.
type entry struct {
	url       *url.URL
	title     string
	published time.Time
	author    string
}

// collector keeps the items of one source: filtered, each URL once, up to MaxItems.
type collector struct {
	*plan
	seen  map[string]bool
	items []Item
}

func (c *collector) full() bool { return c.MaxItems > 0 && len(c.items) >= c.MaxItems }

// add keeps e if the source's filters let it through and it is new.
func (c *collector) add(e entry) {
	if c.full() || !c.keep(e.url) {
		return
	}
	key := e.url.String()
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.items = append(c.items, Item{
		URL:       key,
		Title:     e.title,
		Published: e.published,
		Author:    e.author,
		Source:    c.Name,
		Publisher: c.Publisher,
	})
}

// get fetches u and returns the page with the URL it was finally found at.
func get(ctx context.Context, g Getter, u *url.URL) (*Page, *url.URL, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	page, err := g.Get(ctx, u.String())
	if err != nil {
		return nil, nil, err
	}
	if page == nil {
		return nil, nil, fmt.Errorf("get %s: the getter returned no page", u)
	}
	final := u
	if page.URL != "" {
		f, err := url.Parse(page.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("get %s: the getter returned a bad final URL %q", u, page.URL)
		}
		if n, ok := normalize(f); ok {
			final = n
		} else {
			return nil, nil, fmt.Errorf("get %s: redirected to %s, which is not an http(s) URL", u, page.URL)
		}
	}
	return page, final, nil
}

var gzipMagic = []byte{0x1f, 0x8b}

// open returns a reader of a document's content, gunzipping it when it is gzipped,
// that fails with ErrTooLarge once more than limit bytes have been read.
//
// Gzip is recognised by its magic bytes alone. A ".gz" name or a gzip content type is
// not enough to go on: when a server also sends Content-Encoding: gzip, the HTTP
// client has already undone it, and the body is the plain document despite its name.
func open(body []byte, limit int64) (io.Reader, error) {
	var r io.Reader = bytes.NewReader(body)
	if bytes.HasPrefix(body, gzipMagic) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		r = zr
	}
	return &capped{r: r, left: limit, limit: limit}, nil
}

// readAll reads a whole document through open.
func readAll(body []byte, limit int64) ([]byte, error) {
	r, err := open(body, limit)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// capped fails with ErrTooLarge when its reader holds more than limit bytes, so a
// gzip bomb costs at most limit bytes of inflating before it is refused.
type capped struct {
	r     io.Reader
	left  int64
	limit int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := io.ReadFull(c.r, one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes once decompressed", ErrTooLarge, c.limit)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
