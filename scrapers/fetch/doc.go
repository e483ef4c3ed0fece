// Package fetch is the only place cyberkg talks HTTP to the outside world.
// Every scraper, importer and feed reader gets its bytes from a
// [Fetcher]; nothing else in the module opens a connection out.
//
// A Fetcher is a polite, defensive GET:
//
//   - it reads robots.txt per origin (RFC 9309) before anything else on
//     that origin, caches it for at most 24 hours, honours Crawl-delay, and
//     fails with [ErrDisallowed] rather than request a disallowed URL;
//   - it sends at most HostRate requests per second and HostConcurrency
//     requests at a time to one host;
//   - it bounds dial, TLS handshake, response headers and the whole
//     request with timeouts ([ErrTimeout]);
//   - it decompresses gzip and deflate itself and caps the decompressed
//     body ([ErrTooLarge]), so a compression bomb or an endless body stops
//     at the cap;
//   - it follows at most five redirects ([ErrTooManyRedirects],
//     [ErrRedirectLoop]), each hop checked again for scheme, robots.txt
//     and address;
//   - it retries 429 and 5xx a bounded number of times, honouring
//     Retry-After up to MaxRetryWait ([ErrRetryTooLong]);
//   - it revalidates with ETag and Last-Modified against a disk cache and
//     returns the cached body on 304;
//   - it decodes text, HTML and XML bodies to UTF-8, detecting the charset
//     and correcting common mislabelling (see decodeText);
//   - its dialer refuses loopback, private, link-local, metadata and other
//     non-public addresses ([ErrForbiddenAddress]) unless AllowPrivate.
//
// Charset policy. A byte order mark wins; then the Content-Type charset;
// then the XML declaration (XML) or <meta> (HTML); XML without one is
// UTF-8, HTML without one is UTF-8 if the bytes are valid UTF-8, else
// windows-1252. Mislabelled pages are corrected: a declared legacy charset
// gives way to UTF-8 when the body is valid UTF-8 with at least one
// multi-byte sequence; a declared UTF-8 gives way to the document's own
// declaration, or windows-1252, when invalid bytes outnumber valid
// multi-byte sequences. Body is always valid UTF-8.
//
// Cache format. One JSON file per URL in CacheDir, named by the SHA-256 of
// the URL, holding the validators, the headers (without Set-Cookie) and the
// decompressed body of the last 200; written to a temp file and renamed, so
// a reader sees the old entry or the new one. A damaged file is ignored.
//
// What it must never do:
//
//   - parse content: no HTML, no feeds, no text extraction. It hands back
//     bytes (as UTF-8 for text) and the metadata to interpret them; the
//     only rewrite is the encoding named in an XML declaration, made to
//     say UTF-8 once the body is UTF-8, so no parser decodes it twice.
//     Downstream code must not re-detect the charset of Body.
//   - follow a redirect without re-checking it: net/http's automatic
//     redirects are off; every hop goes through the same checks as the
//     first request.
//   - connect to a private or otherwise non-public address unless
//     Options.AllowPrivate is set, which is for tests and local use, never
//     for URLs that arrive from the API or the web UI.
//   - use an HTTP proxy from the environment, which would bypass the
//     address guard.
//   - panic on anything a server sends.
package fetch
