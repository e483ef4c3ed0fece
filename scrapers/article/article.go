package article

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Article is the readable part of a page. Every field is plain text.
type Article struct {
	Title     string
	Byline    string
	Publisher string
	// Published is when the report was first published, in UTC; zero when the page
	// does not say.
	Published time.Time
	// Text has one paragraph, heading, list item or table row per line.
	Text string
}

// ErrNoText is returned for a page with no readable text: an index, a login wall, a
// page whose body is drawn by scripts.
var ErrNoText = errors.New("no readable text")

// LooksLikeHTML reports whether a document is HTML rather than plain text.
func LooksLikeHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 1024)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<p>")) || bytes.Contains(head, []byte("<article"))
}

// FromHTML reads the report on an HTML page. pageURL is where the page was fetched
// from: it picks the site's rule and names the publisher when the page does not, and is
// never fetched; it may be nil. The reader must already yield UTF-8 (scrapers/fetch and
// the charset package see to that). A page with no readable text gives ErrNoText.
func FromHTML(r io.Reader, pageURL *url.URL) (*Article, error) {
	return fromHTML(r, pageURL, time.Now())
}

func fromHTML(r io.Reader, pageURL *url.URL, now time.Time) (*Article, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	page := goquery.NewDocumentFromNode(doc)
	site, hasRule := ruleFor(pageURL)
	// The rule's own byline and date are read before its Remove can take them away.
	ruleByline, ruleDate := site.byline(page), site.published(page)
	if hasRule && site.Remove != "" {
		page.Find(site.Remove).Remove()
	}

	// The text is read from a copy without the page's furniture, which readability may
	// then take apart; the date search reads the whole page. Readability's metadata is
	// read even when a rule gives the text.
	textDoc := cloneTree(doc)
	removeFurniture(textDoc)
	a := &Article{}
	if hasRule {
		a.Text = site.text(goquery.NewDocumentFromNode(textDoc))
	}
	parser := readability.NewParser()
	ra, err := parser.ParseAndMutate(textDoc, pageURL)
	if err != nil {
		return nil, fmt.Errorf("read article: %w", err)
	}
	if a.Text == "" && ra.Node != nil {
		a.Text = renderText(ra.Node)
	}
	a.Publisher = site.Publisher
	if a.Publisher == "" {
		a.Publisher = plain(ra.SiteName())
	}
	if a.Publisher == "" && pageURL != nil && (pageURL.Scheme == "http" || pageURL.Scheme == "https") {
		a.Publisher = siteHost(pageURL)
	}
	a.Title = cleanTitle(plain(ra.Title()), siteNames(site.Publisher, ra.SiteName(), pageURL)...)
	a.Byline = cleanByline(ruleByline)
	if a.Byline == "" {
		a.Byline = cleanByline(ra.Byline())
	}
	a.Published = published(doc, ra, ruleDate, pageURL, now)
	a.Text = dropHeadline(a.Text, a.Title, a.Byline)
	if a.Text == "" {
		return nil, ErrNoText
	}
	return a, nil
}

// dropHeadline removes the lines at the top of the text that only repeat the title or
// name the author: they are the page's header, not the report.
func dropHeadline(text, title, byline string) string {
	for range 3 {
		first, rest, _ := strings.Cut(text, "\n")
		if !(title != "" && strings.EqualFold(first, title)) && !(byline != "" && cleanByline(first) == byline) {
			break
		}
		text = strings.TrimLeft(rest, "\n")
	}
	return text
}

// FromText reads a plain-text report: its first line is the title when it is short and
// does not end like a sentence.
func FromText(text string) *Article {
	text = tidy(text)
	a := &Article{Text: text}
	if first, _, ok := strings.Cut(text, "\n"); ok && utf8.RuneCountInString(first) <= 200 && !strings.HasSuffix(first, ".") {
		a.Title = strings.TrimSpace(first)
	}
	return a
}

// tidy normalises line endings and trims trailing space, keeping paragraph breaks.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u00a0")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// titleSeparators divide a headline from the site's name in a <title> or og:title.
// A colon is not one: "CISA: ..." is as often a headline as a site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " / "}

// cleanTitle strips a site's name from the end (or the start) of a title, when the
// part cut off is one of the names the site goes by. A title that is only the site's
// name is left alone.
func cleanTitle(title string, names ...string) string {
	known := func(part string) bool {
		p := nameWords(part)
		if len(p) == 0 {
			return false
		}
		for _, n := range names {
			if containsRun(nameWords(n), p) {
				return true
			}
		}
		return false
	}
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 && known(title[i+len(sep):]) {
			title = strings.TrimSpace(title[:i])
			break
		}
	}
	for _, sep := range titleSeparators {
		if i := strings.Index(title, sep); i > 0 && known(title[:i]) && strings.TrimSpace(title[i+len(sep):]) != "" {
			title = strings.TrimSpace(title[i+len(sep):])
			break
		}
	}
	return title
}

// siteNames are the names a page's site may append to its titles: the rule's name,
// og:site_name, the host and the host's main label ("bleepingcomputer").
func siteNames(ruleName, siteName string, pageURL *url.URL) []string {
	names := []string{ruleName, siteName}
	if h := siteHost(pageURL); h != "" {
		names = append(names, h)
		if i := strings.LastIndexByte(h, '.'); i > 0 {
			label := h[:i]
			if j := strings.LastIndexByte(label, '.'); j >= 0 {
				label = label[j+1:]
			}
			names = append(names, label)
		}
	}
	return names
}

// nameWords splits a name into lower-case words of letters and digits.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// containsRun reports whether part is name, name written as one word
// ("BleepingComputer" for "bleepingcomputer"), or a run of whole words at its start or
// end ("CISA" in "Cybersecurity and Infrastructure Security Agency CISA") long enough
// not to be a stray "The".
func containsRun(name, part []string) bool {
	if len(name) == 0 || len(part) == 0 {
		return false
	}
	if strings.Join(name, "") == strings.Join(part, "") {
		return true
	}
	if len(part) >= len(name) || len(strings.Join(part, "")) < 4 {
		return false
	}
	return slices.Equal(name[:len(part)], part) || slices.Equal(name[len(name)-len(part):], part)
}

// cleanByline keeps an author's name: no "By", no URL, nothing the length of a paragraph.
func cleanByline(s string) string {
	s = plain(s)
	for _, prefix := range []string{"written by ", "posted by ", "authors:", "author:", "by "} {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			s = s[len(prefix):]
			break
		}
	}
	s = strings.Trim(s, " ,;:|·-–—")
	if strings.Contains(s, "://") || utf8.RuneCountInString(s) > 120 {
		return ""
	}
	return s
}
