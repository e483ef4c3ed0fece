package article

import (
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	htmldate "github.com/markusmobius/go-htmldate"
	"golang.org/x/net/html"
)

// published finds when the report was first published, in UTC, or the zero time.
// The page's own metadata comes first (JSON-LD datePublished, article:published_time,
// Dublin Core), then the site's rule, then go-htmldate's search of the page. It never
// takes a date the report only mentions in passing: go-htmldate runs in its fast
// mode, which reads metadata, time elements and date-labelled elements but not free text.
func published(doc *html.Node, ra readability.Article, ruleDate string, pageURL *url.URL, now time.Time) time.Time {
	if t, err := ra.PublishedTime(); err == nil && plausible(t, now) {
		return t.UTC()
	}
	if ruleDate != "" {
		if t, ok := parseTimestamp(ruleDate); ok && plausible(t, now) {
			return t.UTC()
		}
	}
	opts := htmldate.Options{
		UseOriginalDate:     true,
		ExtractTime:         true,
		SkipExtensiveSearch: true,
		// A date in the URL is only a day, and sometimes the day a page was moved.
		DeferUrlExtractor: true,
		MaxDate:           now.Add(48 * time.Hour),
	}
	if pageURL != nil && (pageURL.Scheme == "http" || pageURL.Scheme == "https") {
		opts.URL = pageURL.String()
	}
	res, err := htmldate.FromDocument(doc, opts)
	if err == nil && !res.IsZero() && plausible(res.DateTime, now) {
		if !res.HasTime {
			if t, ok := timeOnDay(doc, res.DateTime); ok {
				return t.UTC()
			}
		}
		return res.DateTime.UTC()
	}
	return time.Time{}
}

// timeOnDay finds a <time datetime> on the day go-htmldate chose, to give that day its
// hour and zone: htmldate often reads the day from a byline's text, where the hour is
// not written, while a time element beside it has both.
func timeOnDay(doc *html.Node, day time.Time) (time.Time, bool) {
	var found time.Time
	goquery.NewDocumentFromNode(doc).Find("time[datetime]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		v, _ := s.Attr("datetime")
		t, ok := parseTimestamp(v)
		if ok && t.Year() == day.Year() && t.YearDay() == day.YearDay() {
			found = t
			return false
		}
		return true
	})
	return found, !found.IsZero()
}

// plausible rejects dates from before the web carried news, or from the future
// (a page's clock, or a template placeholder).
func plausible(t time.Time, now time.Time) bool {
	return !t.IsZero() && t.Year() >= 1990 && t.Before(now.Add(48*time.Hour))
}

// parseTimestamp reads the machine-readable dates sites put in datetime and content
// attributes. One without a zone is taken as UTC.
func parseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04",
		"2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
