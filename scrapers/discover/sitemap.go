package discover

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Limits on walking sitemaps. The protocol allows 50,000 entries per file and forbids
// an index inside an index; sites nest them anyway, so a little nesting is allowed.
const (
	maxSitemapEntries = 50_000
	maxSitemapNesting = 3
	maxSitemapFetches = 100
	maxSitemapTotal   = 250_000 // entries over all the files of one source
)

// sitemap lists the pages of a sitemap source. A sitemap index is followed into its
// child sitemaps, newest first, on the listed sitemap's host (as the protocol
// requires) or inside the source's allowlist. Items come back newest first (undated
// ones last, in document order), so MaxItems keeps the most recent articles.
func (c *collector) sitemap(ctx context.Context, g Getter) error {
	type job struct {
		u     *url.URL
		level int
	}
	var (
		queue   = []job{{c.start, 0}}
		visited = map[string]bool{c.start.String(): true}
		hosts   = map[string]bool{c.start.Host: true}
		entries []entry
		errs    []error
		fetches int
	)
	for len(queue) > 0 && fetches < maxSitemapFetches {
		j := queue[0]
		queue = queue[1:]
		fetches++
		doc, final, err := fetchSitemap(ctx, g, j.u)
		if err != nil {
			if j.level == 0 {
				return err
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		visited[final.String()] = true
		if j.level == 0 {
			hosts[final.Host] = true
		}
		entries = append(entries, doc.urls...)
		if len(entries) >= maxSitemapTotal {
			errs = append(errs, fmt.Errorf("sitemap %s: stopped after %d entries", c.start, len(entries)))
			queue = nil
			break
		}
		slices.SortStableFunc(doc.children, newestFirst)
		for _, child := range doc.children {
			key := child.url.String()
			if visited[key] {
				continue
			}
			if !hosts[child.url.Host] && (len(c.allow) == 0 || !allowed(c.allow, child.url)) {
				errs = append(errs, fmt.Errorf("sitemap %s: child sitemap %s is on another host and outside allow; not followed", final, key))
				continue
			}
			if j.level+1 > maxSitemapNesting {
				errs = append(errs, fmt.Errorf("sitemap %s: child sitemap %s is nested more than %d deep; not followed", final, key, maxSitemapNesting))
				continue
			}
			visited[key] = true
			queue = append(queue, job{child.url, j.level + 1})
		}
	}
	if len(queue) > 0 {
		errs = append(errs, fmt.Errorf("sitemap %s: stopped after %d sitemap files; %d more not read", c.start, maxSitemapFetches, len(queue)))
	}
	slices.SortStableFunc(entries, newestFirst)
	for _, e := range entries {
		c.add(e)
	}
	return errors.Join(errs...)
}

// newestFirst orders dated entries before undated ones, newest first.
func newestFirst(a, b entry) int {
	switch {
	case a.published.IsZero() && b.published.IsZero():
		return 0
	case a.published.IsZero():
		return 1
	case b.published.IsZero():
		return -1
	}
	return b.published.Compare(a.published)
}

func fetchSitemap(ctx context.Context, g Getter, u *url.URL) (*sitemapDoc, *url.URL, error) {
	page, final, err := get(ctx, g, u)
	if err != nil {
		return nil, nil, err
	}
	r, err := open(page.Body, maxSitemapBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("read sitemap %s: %w", final, err)
	}
	doc, err := parseSitemap(r, final)
	if err != nil {
		return nil, nil, fmt.Errorf("read sitemap %s: %w", final, err)
	}
	return doc, final, nil
}

// sitemapDoc is one sitemap file: a urlset's pages or a sitemapindex's children.
type sitemapDoc struct {
	index    bool
	urls     []entry
	children []entry
}

// The elements read, matched by local name: sitemaps in the wild get the namespace
// wrong often enough that insisting on it would lose real ones.
type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    *struct {
		Title           string `xml:"title"`
		PublicationDate string `xml:"publication_date"`
	} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
}

// parseSitemap reads a urlset or sitemapindex document as a stream. Locations resolve
// against base; entries without a usable http(s) location are skipped.
func parseSitemap(r io.Reader, base *url.URL) (*sitemapDoc, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	doc := new(sitemapDoc)
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
			switch root {
			case "urlset":
			case "sitemapindex":
				doc.index = true
			default:
				return nil, fmt.Errorf("<%s> is not a sitemap (want <urlset> or <sitemapindex>)", root)
			}
			continue
		}
		want := "url"
		if doc.index {
			want = "sitemap"
		}
		if se.Name.Local != want {
			if err := d.Skip(); err != nil {
				return nil, err
			}
			continue
		}
		if len(doc.urls)+len(doc.children) >= maxSitemapEntries {
			return nil, fmt.Errorf("more than %d entries", maxSitemapEntries)
		}
		var v sitemapURL
		if err := d.DecodeElement(&v, &se); err != nil {
			return nil, err
		}
		u, ok := resolve(base, v.Loc)
		if !ok {
			continue
		}
		e := entry{url: u, published: parseW3CDate(v.LastMod)}
		if v.News != nil {
			e.title = clean(v.News.Title)
			if t := parseW3CDate(v.News.PublicationDate); !t.IsZero() {
				e.published = t
			}
		}
		if doc.index {
			doc.children = append(doc.children, e)
		} else {
			doc.urls = append(doc.urls, e)
		}
	}
	if root == "" {
		return nil, errors.New("empty document")
	}
	return doc, nil
}

// w3cLayouts are the W3C Datetime profile the protocol prescribes for lastmod, and the
// variations sites produce: no seconds, no zone, a zone without a colon.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseW3CDate returns the time in UTC, or the zero time when s is not a date. A date
// without a zone is taken as UTC.
func parseW3CDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range w3cLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return utc(t)
		}
	}
	return time.Time{}
}
