package discover

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// feed lists the items of an RSS, Atom or JSON Feed source, in the feed's order.
func (c *collector) feed(ctx context.Context, g Getter) error {
	page, final, err := get(ctx, g, c.start)
	if err != nil {
		return err
	}
	body, err := readAll(page.Body, maxDocumentBytes)
	if err != nil {
		return fmt.Errorf("read feed %s: %w", final, err)
	}
	entries, err := parseFeed(body, final)
	if err != nil {
		return fmt.Errorf("parse feed %s: %w", final, err)
	}
	for _, e := range entries {
		c.add(e)
	}
	return nil
}

// parseFeed reads an RSS, Atom or JSON Feed document. Item links resolve against base,
// the URL the feed was found at; items without a usable http(s) link are skipped, and
// each link is listed once.
func parseFeed(body []byte, base *url.URL) (entries []entry, err error) {
	// gofeed is a third-party parser fed by strangers' documents: a panic in it is a
	// bad feed, not a reason to stop every other source.
	defer func() {
		if r := recover(); r != nil {
			entries, err = nil, fmt.Errorf("malformed feed (parser panicked: %v)", r)
		}
	}()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		u, ok := itemLink(it, base)
		if !ok || seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		e := entry{url: u, title: clean(it.Title), author: authors(it)}
		switch {
		case it.PublishedParsed != nil:
			e.published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			e.published = it.UpdatedParsed.UTC()
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// itemLink is the article an item points to: its link, else its first listed link,
// else a GUID that is itself an http(s) URL (RSS's isPermaLink GUIDs).
func itemLink(it *gofeed.Item, base *url.URL) (*url.URL, bool) {
	candidates := append([]string{it.Link}, it.Links...)
	if g := strings.TrimSpace(it.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		candidates = append(candidates, g)
	}
	for _, c := range candidates {
		if u, ok := resolve(base, c); ok {
			return u, true
		}
	}
	return nil, false
}

func authors(it *gofeed.Item) string {
	var names []string
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		if n := clean(p.Name); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 && it.Author != nil {
		if n := clean(it.Author.Name); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// clean collapses runs of white space, which feeds and HTML carry in titles.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
