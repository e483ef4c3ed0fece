package discover

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseW3CDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-06-04T16:00:00.000+02:00", "2024-06-04T14:00:00Z"},
		{"2024-06-04T16:00:00+02:00", "2024-06-04T14:00:00Z"},
		{"2024-06-04T16:00:00Z", "2024-06-04T16:00:00Z"},
		{"2024-06-04T16:00+02:00", "2024-06-04T14:00:00Z"},
		{"2024-06-04T16:00:00+0200", "2024-06-04T14:00:00Z"},
		{"2024-06-04T16:00:00", "2024-06-04T16:00:00Z"},
		{"2024-06-04 16:00:00", "2024-06-04T16:00:00Z"},
		{" 2024-06-04 ", "2024-06-04T00:00:00Z"},
		{"2024-06", "2024-06-01T00:00:00Z"},
		{"2024", "2024-01-01T00:00:00Z"},
		{"", ""},
		{"last Tuesday", ""},
		{"2024-13-01", ""},
	}
	for _, tt := range tests {
		got := ""
		if d := parseW3CDate(tt.in); !d.IsZero() {
			got = d.Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("parseW3CDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseSitemapRejects(t *testing.T) {
	many := "<urlset>" + strings.Repeat("<url><loc>https://example.org/a</loc></url>", maxSitemapEntries+1) + "</urlset>"
	tests := []struct{ name, doc, want string }{
		{"a feed", `<rss version="2.0"><channel/></rss>`, "<rss> is not a sitemap"},
		{"HTML", `<!DOCTYPE html><html><body>Not found</body></html>`, "is not a sitemap"},
		{"empty", ``, "empty document"},
		{"broken XML", `<urlset><url><loc>https://example.org/</loc></urlset>`, "XML syntax error"},
		{"too many entries", many, "more than 50000 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSitemap(strings.NewReader(tt.doc), fuzzBase)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSizeCapAppliesToPlainAndGzippedDocuments(t *testing.T) {
	const limit = 1000
	for _, tt := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"plain, at the cap", bytes.Repeat([]byte("a"), limit), true},
		{"plain, over the cap", bytes.Repeat([]byte("a"), limit+1), false},
		{"gzipped, at the cap", gzipBytes(bytes.Repeat([]byte("a"), limit)), true},
		{"gzipped, over the cap once inflated", gzipBytes(bytes.Repeat([]byte("a"), limit+1)), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := readAll(tt.body, limit)
			if tt.ok && (err != nil || len(data) != limit) {
				t.Errorf("read %d bytes, err %v", len(data), err)
			}
			if !tt.ok && !errors.Is(err, ErrTooLarge) {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
		})
	}
	t.Run("corrupt gzip", func(t *testing.T) {
		body := gzipBytes([]byte("<urlset></urlset>"))
		body[len(body)-5] ^= 0xff // break the checksum
		if _, err := readAll(body, limit); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("err = %v, want a gzip error", err)
		}
	})
}
