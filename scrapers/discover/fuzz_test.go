package discover

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fuzz tests feed the parsers what strangers could serve. Beyond not panicking,
// each checks the promise callers rely on: every URL that comes out is absolute
// http(s), normalised, and without a fragment.

var fuzzBase = &url.URL{Scheme: "https", Host: "example.org", Path: "/dir/doc"}

func addFixtures(f *testing.F, names ...string) {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte("https://example.org")))
	}
}

func checkURL(t *testing.T, u *url.URL) {
	t.Helper()
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || u.User != nil {
		t.Fatalf("bad URL out: %#v", u)
	}
	if n, ok := normalize(u); !ok || n.String() != u.String() {
		t.Fatalf("URL out not normalised: %s", u)
	}
}

func FuzzParseFeed(f *testing.F) {
	addFixtures(f, "feed.rss", "blog/feed.atom", "chain/feed.json")
	f.Add([]byte(`<rss><channel><item><link>//x.example/a#b</link></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"url":"?q"}]}`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href=""/></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseFeed(data, fuzzBase)
		if err != nil {
			return
		}
		seen := make(map[string]bool)
		for _, e := range entries {
			checkURL(t, e.url)
			if seen[e.url.String()] {
				t.Fatalf("duplicate %s", e.url)
			}
			seen[e.url.String()] = true
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	addFixtures(f, "sitemap-index.xml", "sitemap-posts.xml", "sitemap-pages.xml")
	f.Add(gzipBytes([]byte(`<urlset><url><loc>/a</loc><lastmod>2024</lastmod></url></urlset>`)))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>https://example.org/caf` + "\xe9" + `</loc></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://example.org/s.xml</loc></sitemap></sitemapindex>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A small cap, so the fuzzer also reaches the cap's edge.
		r, err := open(data, 1<<16)
		if err != nil {
			return
		}
		doc, err := parseSitemap(r, fuzzBase)
		if err != nil {
			return
		}
		for _, e := range append(doc.urls, doc.children...) {
			checkURL(t, e.url)
			if !e.published.IsZero() && e.published.Location().String() != "UTC" {
				t.Fatalf("date not in UTC: %v", e.published)
			}
		}
	})
}

func FuzzExtractLinks(f *testing.F) {
	addFixtures(f, "site/advisories/index.html", "site/base.html", "site/nofollow.html")
	f.Add([]byte(`<base href="javascript:x"><a href="a">x<a href="b">y</a>`))
	f.Add([]byte(`<a href="http://[::1">x</a><a href=" /p ">`))
	f.Fuzz(func(t *testing.T, data []byte) {
		links, _ := extractLinks(data, fuzzBase)
		if len(links) > maxLinksPerPage {
			t.Fatalf("%d links", len(links))
		}
		seen := make(map[string]bool)
		for _, l := range links {
			checkURL(t, l.url)
			if seen[l.url.String()] {
				t.Fatalf("duplicate %s", l.url)
			}
			seen[l.url.String()] = true
		}
	})
}

func FuzzAllowRule(f *testing.F) {
	f.Add("www.cisa.gov/news-events/cybersecurity-advisories", "aa24-038a")
	f.Add("https://example.org:8443/x/", "../y")
	f.Add("example.org", "%2e%2e/%2fadmin")
	f.Fuzz(func(t *testing.T, ruleText, ref string) {
		r, err := parseRule(ruleText)
		if err != nil {
			return
		}
		base := &url.URL{Scheme: "https", Host: r.host, Path: r.path}
		if r.scheme != "" {
			base.Scheme = r.scheme
		}
		u, ok := resolve(base, ref)
		if !ok || !allowed([]rule{r}, u) {
			return
		}
		// Whatever is allowed is on the rule's host and under its path prefix, even
		// once the path is read by a server that decodes escapes.
		if u.Host != r.host || !strings.HasPrefix(u.Path+"/", strings.TrimSuffix(r.path, "/")+"/") || unsafePath(u.Path) {
			t.Fatalf("rule %q allowed %s", ruleText, u)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "sources.example.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("sources:\n  - {name: a, kind: page, url: 'https://a.example/', allow: ['a.example/x'], depth: 2}\n"))
	f.Add([]byte("sources: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			return
		}
		for _, s := range cfg.Sources {
			if _, problems := compile(s); problems != nil {
				t.Fatalf("accepted config has an invalid source: %v", problems)
			}
		}
	})
}
