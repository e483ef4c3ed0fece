package discover

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits on reading one HTML page.
const (
	maxLinksPerPage = 5000
	maxAnchorText   = 300
)

// pages lists the links of a page source: breadth first from the listed page, only
// inside the allowlist, to the source's depth, fetching no URL twice and at most
// MaxPages pages. Links are items in the order they are first seen; the listed page
// itself is not an item.
func (c *collector) pages(ctx context.Context, g Getter) error {
	type job struct {
		u     *url.URL
		depth int
	}
	var (
		queue   = []job{{c.start, 0}}
		known   = map[string]bool{c.start.String(): true} // queued, fetched or listed
		done    = make(map[string]bool)                   // fetched, or landed on by a redirect
		errs    []error
		fetched int
	)
	for len(queue) > 0 && fetched < c.maxPages && !c.full() {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		j := queue[0]
		queue = queue[1:]
		if done[j.u.String()] {
			continue // an earlier redirect already landed here
		}
		done[j.u.String()] = true
		fetched++
		page, final, err := get(ctx, g, j.u)
		if err != nil {
			if j.depth == 0 {
				return err
			}
			errs = append(errs, err)
			continue
		}
		if final.String() != j.u.String() {
			if done[final.String()] {
				continue // redirected to a page already read
			}
			done[final.String()] = true
			if j.depth > 0 && !allowed(c.allow, final) {
				// A redirect is a link the server chose: it must stay inside too.
				errs = append(errs, fmt.Errorf("page %s redirected outside allow to %s; not read", j.u, final))
				continue
			}
			known[final.String()] = true
			c.seen[final.String()] = true
		}
		if j.depth == 0 {
			// The listed page is an index, not an article.
			c.seen[final.String()] = true
			c.seen[c.start.String()] = true
		}
		if !isHTML(page) {
			if j.depth == 0 {
				return fmt.Errorf("page %s is %q, not HTML", final, page.ContentType)
			}
			continue
		}
		body, err := readAll(page.Body, maxDocumentBytes)
		if err != nil {
			if j.depth == 0 {
				return fmt.Errorf("read page %s: %w", final, err)
			}
			errs = append(errs, fmt.Errorf("read page %s: %w", final, err))
			continue
		}
		links, nofollow := extractLinks(body, final)
		if nofollow {
			continue
		}
		for _, l := range links {
			if !allowed(c.allow, l.url) {
				continue
			}
			c.add(l)
			key := l.url.String()
			if known[key] {
				continue
			}
			known[key] = true
			if j.depth < c.Depth && looksLikePage(l.url) {
				queue = append(queue, job{l.url, j.depth + 1})
			}
		}
	}
	return errors.Join(errs...)
}

// isHTML reports whether a fetched document is an HTML page. With no content type,
// the body decides.
func isHTML(p *Page) bool {
	if p.ContentType == "" {
		head := bytes.ToLower(p.Body[:min(len(p.Body), 512)])
		return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
	}
	mt, _, err := mime.ParseMediaType(p.ContentType)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// notPages are file types that are worth listing as items (an advisory's PDF is an
// article to read) but never worth fetching to look for links.
var notPages = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".csv": true, ".json": true, ".xml": true, ".txt": true, ".zip": true, ".gz": true, ".tgz": true, ".7z": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true, ".ico": true,
	".mp3": true, ".mp4": true, ".webm": true, ".mov": true, ".css": true, ".js": true, ".exe": true, ".msi": true,
}

func looksLikePage(u *url.URL) bool { return !notPages[strings.ToLower(path.Ext(u.Path))] }

// extractLinks returns the http(s) links of an HTML page, resolved against its <base
// href> or else base, normalised, each once, with the anchor's text as title. Links
// marked rel="nofollow" are left out; nofollow reports a <meta name="robots"> that
// asks for none of the page's links to be followed.
func extractLinks(body []byte, base *url.URL) (links []entry, nofollow bool) {
	z := html.NewTokenizer(bytes.NewReader(body))
	z.SetMaxBuf(maxDocumentBytes)
	var (
		baseSet bool
		seen    = make(map[string]int) // URL -> index in links
		open    = -1                   // index of the link whose anchor text is being read
		text    strings.Builder
	)
	closeAnchor := func() {
		if open >= 0 && links[open].title == "" {
			links[open].title = clean(text.String())
		}
		open = -1
		text.Reset()
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			closeAnchor()
			return links, nofollow
		case html.TextToken:
			if open >= 0 && text.Len() < maxAnchorText {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.A {
				closeAnchor()
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := atom.Lookup(name)
			if tag == atom.A {
				closeAnchor() // an <a> inside an <a> closes the first
			}
			if !hasAttr {
				continue
			}
			attrs := readAttrs(z)
			switch tag {
			case atom.Base:
				if !baseSet {
					baseSet = true
					if b, ok := resolve(base, attrs["href"]); ok {
						base = b
					}
				}
			case atom.Meta:
				if strings.EqualFold(attrs["name"], "robots") && hasToken(attrs["content"], "nofollow", "none") {
					nofollow = true
				}
			case atom.A, atom.Area:
				if hasToken(attrs["rel"], "nofollow") || len(links) >= maxLinksPerPage {
					continue
				}
				u, ok := resolve(base, attrs["href"])
				if !ok {
					continue
				}
				key := u.String()
				i, dup := seen[key]
				if !dup {
					i = len(links)
					seen[key] = i
					links = append(links, entry{url: u})
				}
				if tag == atom.A {
					open = i
				}
			}
		}
	}
}

// readAttrs reads the current tag's attributes that extractLinks uses, first
// occurrence winning as in browsers.
func readAttrs(z *html.Tokenizer) map[string]string {
	attrs := make(map[string]string, 4)
	for {
		k, v, more := z.TagAttr()
		switch key := string(k); key {
		case "href", "rel", "name", "content":
			if _, dup := attrs[key]; !dup {
				attrs[key] = string(v)
			}
		}
		if !more {
			return attrs
		}
	}
}

// hasToken reports whether a space- or comma-separated attribute holds one of the
// tokens, ignoring case.
func hasToken(list string, tokens ...string) bool {
	sep := func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }
	for _, f := range strings.FieldsFunc(list, sep) {
		for _, t := range tokens {
			if strings.EqualFold(f, t) {
				return true
			}
		}
	}
	return false
}
