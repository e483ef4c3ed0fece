// Package discover turns configured sources into the list of article URLs to read:
// the first step of the scraping pipeline after fetching, before article text is
// extracted. A source is a feed (RSS, Atom or JSON Feed), a sitemap (urlset or
// sitemapindex, plain or gzipped) or an HTML page whose links are followed; each
// yields Items with the URL, and the title, date and author where the source gives
// them. Sources are listed in a YAML file (see scrapers/sources.example.yaml) read by
// LoadConfig.
//
// What this package must never do:
//
//   - Fetch on its own. Every request goes through the Getter it is handed, which is
//     where robots.txt, per-host rate limits, the private-network (SSRF) guard, size
//     caps and caching are applied. The package has no HTTP client, and feeds are
//     parsed with gofeed's parser only, never its fetcher.
//   - Leave the allowlist. Past its listed URL, a page source requests only links
//     whose host and path prefix are in its allow list (by default the listed page's
//     own folder), and a page whose redirect landed outside it is not read (whether
//     to follow a redirect at all is the Getter's policy). A sitemap index is
//     followed only to the listed sitemap's host, as the protocol requires, or into
//     the allowlist.
//   - Crawl without bounds. Depth is at most MaxDepth, pages fetched at most MaxPages,
//     no URL is fetched twice, sitemap files and entries are capped, and a gzipped
//     document is refused with ErrTooLarge once it inflates past its cap, so a gzip
//     bomb costs a bounded amount of work.
//   - Panic on what strangers serve. Feeds, sitemaps and HTML come from the outside
//     world; a malformed one is an error for that source, and the other sources go on.
//
// It does not read articles, extract facts or touch a store: those are later steps.
package discover
