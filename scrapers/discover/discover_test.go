package discover

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFeedsListTheirArticles(t *testing.T) {
	s := newFixtureServer(t)
	tests := []struct {
		name string
		path string
		want []string
	}{
		{
			name: "RSS 2.0: relative links resolved, fragment duplicates dropped, GUID permalinks used, unusable links skipped",
			path: "/feed.rss",
			want: []string{
				"{{BASE}}/news/2024/lazarus-exchange-theft.html | Lazarus Group linked to exchange theft | 2024-06-04T07:30:00Z | Jane Analyst | src | Pub",
				"{{BASE}}/news/2024/kimsuky-advisory.html | Kimsuky spear-phishing advisory | 2024-06-03T12:00:00Z | Threat Desk | src | Pub",
				"{{BASE}}/news/2024/permalink-only.html | Permalink only |  |  | src | Pub",
				"https://wire.example.com/story/42?ref=rss | Wire copy | 2024-06-02T08:00:00Z |  | src | Pub",
			},
		},
		{
			name: "Atom: links resolved against the feed URL, updated stands in for published, all authors kept",
			path: "/blog/feed.atom",
			want: []string{
				"{{BASE}}/blog/posts/apt29-diplomats.html | APT29 targets diplomatic entities | 2024-05-30T09:00:00Z | R. Researcher, S. Second | src | Pub",
				"{{BASE}}/blog/posts/volt-typhoon.html | Volt Typhoon infrastructure update | 2024-05-28T16:45:00Z |  | src | Pub",
				"{{BASE}}/news/2024/kimsuky-advisory.html | Shared with the RSS desk | 2024-06-03T12:00:00Z |  | src | Pub",
			},
		},
		{
			name: "JSON Feed: items without a URL skipped",
			path: "/chain/feed.json",
			want: []string{
				"{{BASE}}/chain/dprk-laundering-2024.html | How DPRK launders stolen crypto | 2024-06-01T08:00:00Z | Chain Team | src | Pub",
				"{{BASE}}/chain/mixer-sanctions.html | Mixer sanctions, one year on | 2024-05-15T05:00:00Z |  | src | Pub",
				"{{BASE}}/chain/bridge-hacks.html | Bridge hacks in review |  |  | src | Pub",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Discover(t.Context(), s.getter(), Source{Name: "src", Kind: KindFeed, URL: s.URL + tt.path, Publisher: "Pub"})
			if err != nil {
				t.Fatal(err)
			}
			assertItems(t, s, items, tt.want)
		})
	}
}

func TestFeedFilters(t *testing.T) {
	s := newFixtureServer(t)
	tests := []struct {
		name string
		src  Source
		want []string
	}{
		{
			name: "allow keeps only items inside it",
			src:  Source{Allow: []string{s.host() + "/news/2024"}},
			want: []string{
				"{{BASE}}/news/2024/lazarus-exchange-theft.html",
				"{{BASE}}/news/2024/kimsuky-advisory.html",
				"{{BASE}}/news/2024/permalink-only.html",
			},
		},
		{
			name: "an allow entry with a scheme admits only that scheme",
			src:  Source{Allow: []string{"http://wire.example.com/", "https://" + s.host() + "/"}},
			want: nil,
		},
		{
			name: "include and exclude",
			src:  Source{Include: []string{`/news/`, `wire\.example`}, Exclude: []string{`lazarus`}},
			want: []string{
				"{{BASE}}/news/2024/kimsuky-advisory.html",
				"{{BASE}}/news/2024/permalink-only.html",
				"https://wire.example.com/story/42?ref=rss",
			},
		},
		{
			name: "max_items keeps the first items",
			src:  Source{MaxItems: 2},
			want: []string{
				"{{BASE}}/news/2024/lazarus-exchange-theft.html",
				"{{BASE}}/news/2024/kimsuky-advisory.html",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			src.Name, src.Kind, src.URL = "desk", KindFeed, s.URL+"/feed.rss"
			items, err := Discover(t.Context(), s.getter(), src)
			if err != nil {
				t.Fatal(err)
			}
			assertURLs(t, s, items, tt.want)
		})
	}
}

func assertURLs(t *testing.T, s *fixtureServer, items []Item, want []string) {
	t.Helper()
	var got []string
	for _, it := range items {
		got = append(got, it.URL)
	}
	want = s.expand(want)
	if !slices.Equal(got, want) {
		t.Errorf("URLs:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestSitemapIndexIsWalkedNewestFirst(t *testing.T) {
	s := newFixtureServer(t)
	items, err := Discover(t.Context(), s.getter(), Source{Name: "maps", Kind: KindSitemap, URL: s.URL + "/sitemap-index.xml"})
	assertItems(t, s, items, []string{
		"{{BASE}}/posts/2024/06/andariel-ransomware.html | Andariel deploys new ransomware | 2024-06-04T14:00:00Z |  | maps | ",
		"{{BASE}}/posts/2024/06/apt41-supply-chain.html |  | 2024-06-01T00:00:00Z |  | maps | ",
		"{{BASE}}/posts/2024/05/lazarus-bridge.html |  | 2024-05-21T08:30:00Z |  | maps | ",
		"{{BASE}}/reports/2023/annual-threat-report.html |  | 2023-01-10T14:00:00Z |  | maps | ",
		"{{BASE}}/about/ |  |  |  | maps | ",
		"{{BASE}}/reports/2022/state-actors.html |  |  |  | maps | ",
	})
	// The child on another host is refused, and said so; the rest is still read.
	var se *SourceError
	if !errors.As(err, &se) || se.Source != "maps" || !strings.Contains(err.Error(), "cdn.elsewhere.example/sitemap.xml is on another host") {
		t.Errorf("err = %v, want a SourceError naming the refused child sitemap", err)
	}
	want := map[string]int{"/sitemap-index.xml": 1, "/sitemap-posts.xml.gz": 1, "/sitemap-pages.xml": 1}
	if got := s.fetched(); !maps.Equal(got, want) {
		t.Errorf("fetched %v, want %v", got, want)
	}
}

func TestGzippedSitemaps(t *testing.T) {
	s := newFixtureServer(t)
	want := []string{
		"{{BASE}}/posts/2024/06/andariel-ransomware.html",
		"{{BASE}}/posts/2024/06/apt41-supply-chain.html",
		"{{BASE}}/posts/2024/05/lazarus-bridge.html",
	}
	for _, p := range []string{
		"/sitemap-posts.xml.gz",         // gzip bytes, gzip content type
		"/encoded/sitemap-posts.xml.gz", // .gz name, but the client already inflated it
	} {
		t.Run(p, func(t *testing.T) {
			items, err := Discover(t.Context(), s.getter(), Source{Name: "gz", Kind: KindSitemap, URL: s.URL + p})
			if err != nil {
				t.Fatal(err)
			}
			assertURLs(t, s, items, want)
		})
	}
}

func TestGzipBombIsRefusedQuickly(t *testing.T) {
	s := newFixtureServer(t)
	t.Run("listed sitemap", func(t *testing.T) {
		start := time.Now()
		items, err := Discover(t.Context(), s.getter(), Source{Name: "bomb", Kind: KindSitemap, URL: s.URL + "/bomb.xml.gz"})
		if !errors.Is(err, ErrTooLarge) || len(items) != 0 {
			t.Fatalf("got %d items, err %v; want none and ErrTooLarge", len(items), err)
		}
		// Reading it whole would take twenty times as long as reading to the cap;
		// the bound is loose enough for -race on a small machine.
		if d := time.Since(start); d > 60*time.Second {
			t.Errorf("took %v to refuse the bomb", d)
		}
	})
	t.Run("child of an index", func(t *testing.T) {
		items, err := Discover(t.Context(), s.getter(), Source{Name: "bomb", Kind: KindSitemap, URL: s.URL + "/sitemap-with-bomb.xml"})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge from the bomb child", err)
		}
		assertURLs(t, s, items, []string{
			"{{BASE}}/reports/2023/annual-threat-report.html",
			"{{BASE}}/about/",
			"{{BASE}}/reports/2022/state-actors.html",
		})
	})
}

func TestPageLinksFollowedToDepth(t *testing.T) {
	s0 := []string{
		"{{BASE}}/site/advisories/a1.html | AA24-001: Lazarus targets exchanges |  |  | cisa | CISA",
		"{{BASE}}/site/advisories/a2.html | AA24-002: Kimsuky phishing |  |  | cisa | CISA",
		"{{BASE}}/site/advisories/report.pdf | AA24-002 (PDF) |  |  | cisa | CISA",
	}
	s1 := append(slices.Clone(s0), "{{BASE}}/site/advisories/a3.html | AA24-003 |  |  | cisa | CISA")
	s2 := append(slices.Clone(s1), "{{BASE}}/site/advisories/a4.html | AA24-004 |  |  | cisa | CISA")
	s3 := append(slices.Clone(s2), "{{BASE}}/site/advisories/a5.html | AA24-005 |  |  | cisa | CISA")
	tests := []struct {
		depth   int
		want    []string
		fetched []string // each exactly once; nothing else
	}{
		{0, s0, []string{"index"}},
		{1, s1, []string{"index", "a1", "a2"}},
		{2, s2, []string{"index", "a1", "a2", "a3"}},
		{3, s3, []string{"index", "a1", "a2", "a3", "a4"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("depth %d", tt.depth), func(t *testing.T) {
			s := newFixtureServer(t)
			items, err := Discover(t.Context(), s.getter(), Source{
				Name: "cisa", Kind: KindPage, Publisher: "CISA", Depth: tt.depth,
				URL:   s.URL + "/site/advisories/index.html",
				Allow: []string{s.host() + "/site/advisories"},
			})
			if err != nil {
				t.Fatal(err)
			}
			assertItems(t, s, items, tt.want)
			want := make(map[string]int)
			for _, p := range tt.fetched {
				want["/site/advisories/"+p+".html"] = 1
			}
			if got := s.fetched(); !maps.Equal(got, want) {
				t.Errorf("fetched %v, want each of %v once and nothing else", got, tt.fetched)
			}
		})
	}
}

func TestPageSourceStaysInsideItsAllowlist(t *testing.T) {
	s := newFixtureServer(t)
	t.Run("default allowlist is the listed page's folder", func(t *testing.T) {
		items, err := Discover(t.Context(), s.getter(), Source{Name: "p", Kind: KindPage, URL: s.URL + "/site/advisories/index.html"})
		if err != nil {
			t.Fatal(err)
		}
		assertURLs(t, s, items, []string{"{{BASE}}/site/advisories/a1.html", "{{BASE}}/site/advisories/a2.html", "{{BASE}}/site/advisories/report.pdf"})
	})
	t.Run("first <base href> wins, <area> links count, ../ steps out and is refused", func(t *testing.T) {
		items, err := Discover(t.Context(), s.getter(), Source{Name: "p", Kind: KindPage, URL: s.URL + "/site/base.html", Allow: []string{s.host() + "/site/advisories/"}})
		if err != nil {
			t.Fatal(err)
		}
		assertURLs(t, s, items, []string{"{{BASE}}/site/advisories/a1.html", "{{BASE}}/site/advisories/a2.html"})
	})
	t.Run("meta robots nofollow", func(t *testing.T) {
		items, err := Discover(t.Context(), s.getter(), Source{Name: "p", Kind: KindPage, URL: s.URL + "/site/nofollow.html", Allow: []string{s.host() + "/site"}, Depth: 1})
		if err != nil || len(items) != 0 {
			t.Errorf("items %v, err %v; want none", lines(items), err)
		}
	})
	t.Run("a redirect out of the allowlist is not read; one onto a known page is not fetched again", func(t *testing.T) {
		items, err := Discover(t.Context(), s.getter(), Source{Name: "p", Kind: KindPage, URL: s.URL + "/site/redirect.html", Allow: []string{s.host() + "/site/redirect"}, Depth: 2})
		if !strings.Contains(errString(err), "redirected outside allow") {
			t.Errorf("err = %v, want the refused redirect reported", err)
		}
		// secret.html links to /site/redirect/leak.html, inside the allowlist: had
		// the redirected page been read, it would be listed.
		assertURLs(t, s, items, []string{"{{BASE}}/site/redirect/go", "{{BASE}}/site/redirect/old-kept", "{{BASE}}/site/redirect/kept.html"})
		if n := s.count("/site/redirect/kept.html"); n != 1 {
			t.Errorf("kept.html fetched %d times, want once (through the old address's redirect)", n)
		}
	})
	for _, p := range []string{"/", "/site/advisories-old/x.html", "/site/advisories/report.pdf", "/site/advisories/sponsored.html", "/site/redirect/leak.html", "/site/advisories/leak.html"} {
		if n := s.count(p); n > 0 {
			t.Errorf("%s, outside the allowlist or not a page, was requested %d times", p, n)
		}
	}
	// Only the redirect's target, which the Getter (not this package) followed.
	if n := s.count("/site/admin/secret.html"); n != 1 {
		t.Errorf("/site/admin/secret.html requested %d times, want once, by the redirect", n)
	}
}

func TestPageLimits(t *testing.T) {
	tests := []struct {
		name    string
		src     Source
		want    []string
		fetched int
	}{
		{
			name:    "max_pages stops the crawl",
			src:     Source{Depth: 3, MaxPages: 2},
			want:    []string{"a1.html", "a2.html", "report.pdf", "a3.html"},
			fetched: 2,
		},
		{
			name:    "max_items stops the crawl",
			src:     Source{Depth: 3, MaxItems: 2},
			want:    []string{"a1.html", "a2.html"},
			fetched: 1,
		},
		{
			name:    "include and exclude filter items, not the crawl",
			src:     Source{Depth: 3, Include: []string{`/a\d\.html$`}, Exclude: []string{`a2`}},
			want:    []string{"a1.html", "a3.html", "a4.html", "a5.html"},
			fetched: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFixtureServer(t)
			src := tt.src
			src.Name, src.Kind, src.URL = "cisa", KindPage, s.URL+"/site/advisories/index.html"
			src.Allow = []string{s.host() + "/site/advisories"}
			items, err := Discover(t.Context(), s.getter(), src)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, "{{BASE}}/site/advisories/"+w)
			}
			assertURLs(t, s, items, want)
			total := 0
			for _, n := range s.fetched() {
				total += n
			}
			if total != tt.fetched {
				t.Errorf("fetched %d pages (%v), want %d", total, s.fetched(), tt.fetched)
			}
		})
	}
}

func TestDiscoverFailures(t *testing.T) {
	s := newFixtureServer(t)
	tests := []struct {
		name string
		src  Source
		want string
	}{
		{"listed feed missing", Source{Kind: KindFeed, URL: s.URL + "/missing.rss"}, "404 Not Found"},
		{"listed URL is not a feed", Source{Kind: KindFeed, URL: s.URL + "/site/base.html"}, "parse feed"},
		{"listed URL is not a sitemap", Source{Kind: KindSitemap, URL: s.URL + "/feed.rss"}, "<rss> is not a sitemap"},
		{"listed page is not HTML", Source{Kind: KindPage, URL: s.URL + "/feed.rss"}, "not HTML"},
		{"invalid source", Source{Kind: "rss", URL: s.URL + "/feed.rss"}, `kind "rss" is not one of feed, sitemap, page`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.src.Name = "broken"
			items, err := Discover(t.Context(), s.getter(), tt.src)
			var se *SourceError
			if !errors.As(err, &se) || se.Source != "broken" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a SourceError for %q containing %q", err, "broken", tt.want)
			}
			if len(items) != 0 {
				t.Errorf("items = %v, want none", lines(items))
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := Discover(ctx, s.getter(), Source{Name: "c", Kind: KindFeed, URL: s.URL + "/feed.rss"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestDiscoverAllReportsEachFailedSourceAndKeepsTheRest(t *testing.T) {
	s := newFixtureServer(t)
	cfg := &Config{Sources: []Source{
		{Name: "desk", Kind: KindFeed, URL: s.URL + "/feed.rss", MaxItems: 2},
		{Name: "gone", Kind: KindFeed, URL: s.URL + "/gone.rss"},
		{Name: "blog", Kind: KindFeed, URL: s.URL + "/blog/feed.atom"},
		{Name: "bad", Kind: KindPage, URL: "ftp://example.org/"},
		{Name: "chain", Kind: KindFeed, URL: s.URL + "/chain/feed.json", MaxItems: 1},
	}}
	items, err := DiscoverAll(t.Context(), s.getter(), cfg)
	// The Atom feed's third entry is the RSS desk's second item: listed once, by
	// the first source in the configuration.
	assertItems(t, s, items, []string{
		"{{BASE}}/news/2024/lazarus-exchange-theft.html | Lazarus Group linked to exchange theft | 2024-06-04T07:30:00Z | Jane Analyst | desk | ",
		"{{BASE}}/news/2024/kimsuky-advisory.html | Kimsuky spear-phishing advisory | 2024-06-03T12:00:00Z | Threat Desk | desk | ",
		"{{BASE}}/blog/posts/apt29-diplomats.html | APT29 targets diplomatic entities | 2024-05-30T09:00:00Z | R. Researcher, S. Second | blog | ",
		"{{BASE}}/blog/posts/volt-typhoon.html | Volt Typhoon infrastructure update | 2024-05-28T16:45:00Z |  | blog | ",
		"{{BASE}}/chain/dprk-laundering-2024.html | How DPRK launders stolen crypto | 2024-06-01T08:00:00Z | Chain Team | chain | ",
	})
	var failed []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var se *SourceError
		if !errors.As(e, &se) {
			t.Fatalf("%v is not a SourceError", e)
		}
		failed = append(failed, se.Source)
	}
	if !slices.Equal(failed, []string{"gone", "bad"}) {
		t.Errorf("failed sources %v, want [gone bad]; err:\n%v", failed, err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
