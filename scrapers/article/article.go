// Package article turns a fetched page into the text of its report, with its title,
// byline, publisher and publication date. It never fetches and never extracts facts: it
// only decides what the text of the report is.
package article

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
)

// Article is the readable part of a page.
type Article struct {
	Title     string
	Byline    string
	Publisher string
	Published time.Time
	Text      string
}

// LooksLikeHTML reports whether a document is HTML rather than plain text.
func LooksLikeHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 1024)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<p>")) || bytes.Contains(head, []byte("<article"))
}

// FromHTML extracts the main text and metadata of an HTML page.
func FromHTML(r io.Reader, pageURL *url.URL) (*Article, error) {
	a, err := readability.FromReader(r, pageURL)
	if err != nil {
		return nil, fmt.Errorf("read article: %w", err)
	}
	var text strings.Builder
	if err := a.RenderText(&text); err != nil {
		return nil, fmt.Errorf("render article text: %w", err)
	}
	out := &Article{Title: strings.TrimSpace(a.Title()), Byline: strings.TrimSpace(a.Byline()), Publisher: strings.TrimSpace(a.SiteName()), Text: tidy(text.String())}
	if t, err := a.PublishedTime(); err == nil {
		out.Published = t.UTC()
	}
	return out, nil
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
