package article

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// rule says how to read one site's pages where readability alone reads them wrong.
// Selectors are goquery (CSS) selectors; every field but Content is optional.
type rule struct {
	// Content selects the report's body. When it matches nothing (a page of another
	// kind on the same site, or a redesign), the page goes to readability instead.
	Content string
	// Remove selects elements dropped from the whole page before anything else reads
	// it: related-article boxes, ads, author bios. Dates in them are not this page's.
	Remove string
	// Published selects an element whose datetime or content attribute is the
	// original publication date, for sites whose metadata does not carry it.
	Published string
	// Byline selects the element naming the author.
	Byline string
	// Publisher is the name the graph knows the site by. It wins over og:site_name,
	// which some sites fill with a slogan or a name nobody cites.
	Publisher string
}

// rules, keyed by host without "www.", are for the sources cyberkg reads. Each
// selector was checked against the site's markup as captured in public scrapers and
// saved pages (noted per rule); a site whose markup could not be checked has no rule
// and goes to readability, which is better than a guessed selector.
var rules = map[string]rule{
	// BleepingComputer articles: div.articleBody, with related-article boxes and the
	// video-ad player inside it. Checked: miniflux's predefined rules, OSINTer profile.
	"bleepingcomputer.com": {
		Content:   "div.articleBody",
		Remove:    "div.cz-related-article-wrapp, .cnx-main-container",
		Publisher: "BleepingComputer",
	},
	// CISA advisories (Drupal): the title block (l-full__header) holds the release and
	// last-revised dates; the body is the l-page-section blocks of l-full__main; the
	// sibling l-full__footer holds the survey and related advisories, whose teaser
	// dates are not this page's. .c-field--name-body is not the body on advisory pages:
	// it wraps only the "provided subject to this Notification" line. Checked: a saved
	// advisory page (aa18-284a) and several advisory scrapers reading
	// .c-field--name-field-release-date time.
	"cisa.gov": {
		Content:   ".l-full__main",
		Remove:    ".l-full__footer",
		Published: ".c-field--name-field-release-date time[datetime]",
		Publisher: "CISA",
	},
	// SecurityWeek (WordPress, Zox theme). Checked: OSINTer profile.
	"securityweek.com": {
		Content:   "div.zox-post-body",
		Remove:    "div.zox-post-ad-wrap",
		Publisher: "SecurityWeek",
	},
	// The Hacker News (Blogger): div#articlebody (class "articlebody clear cf"), with
	// ad, newsletter-note and ebook boxes inside; the date and author are schema.org
	// microdata. Checked: OSINTer profile and several independent article scrapers.
	"thehackernews.com": {
		Content:   "div#articlebody",
		Remove:    "div.ad_two, div.note-b, div.ebook-image, div.ebook-details, div.check_two",
		Published: `meta[itemprop="datePublished"]`,
		Byline:    `div[itemprop="author"] > meta`,
		Publisher: "The Hacker News",
	},
	// The Record (Recorded Future News): div.article__content, with share icons, tags,
	// the reporter's bio and next/previous links inside. Checked: OSINTer profile (kept
	// up to date through 2024).
	"therecord.media": {
		Content:   "div.article__content",
		Remove:    "div.social-share-icons, div.article__tags, div.editor, div.article__pagination",
		Byline:    "a.article__editor",
		Publisher: "The Record",
	},
}

// ruleFor returns the rule for a page's host, if there is one.
func ruleFor(pageURL *url.URL) (rule, bool) {
	r, ok := rules[siteHost(pageURL)]
	return r, ok
}

// siteHost is the page's host in lower case, without port or "www.".
func siteHost(pageURL *url.URL) string {
	if pageURL == nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(pageURL.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

// text renders what the rule's Content selects, or "" when it selects nothing
// readable. A selection nested in another is read once.
func (r rule) text(doc *goquery.Document) string {
	if r.Content == "" {
		return ""
	}
	nodes := doc.Find(r.Content).Nodes
	selected := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		selected[n] = true
	}
	var outer []*html.Node
	for _, n := range nodes {
		if !hasAncestorIn(n, selected) {
			outer = append(outer, n)
		}
	}
	if len(outer) == 0 {
		return ""
	}
	return renderText(outer...)
}

func hasAncestorIn(n *html.Node, set map[*html.Node]bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if set[p] {
			return true
		}
	}
	return false
}

// byline reads the rule's Byline element, if any.
func (r rule) byline(doc *goquery.Document) string {
	if r.Byline == "" {
		return ""
	}
	s := doc.Find(r.Byline).First()
	if v, ok := s.Attr("content"); ok && s.Is("meta") {
		return v
	}
	return s.Text()
}

// published reads the rule's Published element: its datetime or content attribute.
func (r rule) published(doc *goquery.Document) string {
	if r.Published == "" {
		return ""
	}
	s := doc.Find(r.Published).First()
	for _, attr := range []string{"datetime", "content"} {
		if v, ok := s.Attr(attr); ok && strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
