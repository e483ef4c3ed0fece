// Package article turns a page that has already been fetched into the report it
// carries: its text, title, byline, publisher and publication date.
//
// It is the step between fetch and extract. A page goes through a per-site rule when its
// host has one (a goquery selector for the body, and elements to drop first), and through
// readability otherwise or when the rule's selector matches nothing. The text keeps one
// line per paragraph, heading, list item or table row, because the extractor ends a
// sentence at every line break. The publication date comes from the page's own metadata
// first, then from the site's rule, then from go-htmldate, preferring when the report was
// first published over when it was last changed; it is always in UTC, and zero when the
// page does not say.
//
// What it must never do:
//
//   - fetch anything: no network, no following links or redirects, no loading of
//     images or scripts (scrapers/fetch does that, with its limits and guards);
//   - extract facts: it does not name actors, incidents or amounts, and it does not
//     guess a date from a date the report merely mentions (scrapers/extract reads the text);
//   - return HTML: every string in an Article is plain text, with entities decoded and
//     scripts, styles, navigation and footers left out;
//   - panic on any input: pages come from the outside world (FuzzFromHTML checks it).
package article
