package discover

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExampleSourcesFileIsValid(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "sources.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) < 10 {
		t.Errorf("only %d sources", len(cfg.Sources))
	}
	for _, s := range cfg.Sources {
		if s.Publisher == "" {
			t.Errorf("source %q has no publisher", s.Name)
		}
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("source %q: %s is not https", s.Name, s.URL)
		}
	}
}

func TestParseConfigReadsEveryKey(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
user_agent: "cyberkg-test/1"
rate: 0.5
sources:
  - name: cisa
    kind: page
    url: HTTPS://WWW.CISA.GOV:443/news-events/cybersecurity-advisories#top
    publisher: CISA
    allow: ["www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/sites/default/files/"]
    depth: 2
    include: ['/aa\d{2}-\d{3}[a-z]$']
    exclude: ['\.pdf$']
    max_items: 20
    max_pages: 30
  - name: desk
    kind: feed
    url: https://example.org/feed/
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.UserAgent != "cyberkg-test/1" || cfg.Rate != 0.5 || len(cfg.Sources) != 2 {
		t.Fatalf("cfg = %+v", cfg)
	}
	s := cfg.Sources[0]
	if s.Name != "cisa" || s.Kind != KindPage || s.Publisher != "CISA" || s.Depth != 2 || s.MaxItems != 20 || s.MaxPages != 30 ||
		len(s.Allow) != 2 || len(s.Include) != 1 || len(s.Exclude) != 1 {
		t.Errorf("source = %+v", s)
	}
	p, problems := compile(s)
	if problems != nil {
		t.Fatal(problems)
	}
	if got := p.start.String(); got != "https://www.cisa.gov/news-events/cybersecurity-advisories" {
		t.Errorf("start normalised to %s", got)
	}
	if p2, _ := compile(cfg.Sources[1]); p2.maxPages != DefaultMaxPages {
		t.Errorf("default max pages %d", p2.maxPages)
	}
}

func TestParseConfigRejects(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each must appear in the error
	}{
		{"empty file", ``, []string{"the file is empty"}},
		{"no sources", `user_agent: x`, []string{"no sources are configured"}},
		{"unknown top-level key", "feeds: []\nsources: []", []string{"field feeds not found"}},
		{"unknown source key", "sources:\n  - name: a\n    kind: feed\n    url: https://a.example/\n    follow: true", []string{"field follow not found"}},
		{"misspelt key", "sources:\n  - name: a\n    kind: feed\n    url: https://a.example/\n    maxitems: 3", []string{"field maxitems not found"}},
		{"wrong type", "sources:\n  - name: a\n    kind: page\n    url: https://a.example/\n    depth: deep", []string{"cannot unmarshal"}},
		{"two documents", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/'}\n---\nsources: []", []string{"more than one YAML document"}},
		{"not YAML", "sources: [", []string{"parse sources"}},
		{"bad URL", "sources:\n  - {name: a, kind: feed, url: 'http://[::1'}", []string{`sources[0] "a": url "http://[::1": is not a URL`}},
		{"relative URL", "sources:\n  - {name: a, kind: feed, url: '/feed.xml'}", []string{"must be an absolute http or https URL"}},
		{"ftp URL", "sources:\n  - {name: a, kind: feed, url: 'ftp://a.example/feed'}", []string{"must be an absolute http or https URL"}},
		{"URL with password", "sources:\n  - {name: a, kind: feed, url: 'https://u:p@a.example/feed'}", []string{"no user name or password"}},
		{"missing URL", "sources:\n  - {name: a, kind: feed}", []string{`url "": is required`}},
		{"unknown kind", "sources:\n  - {name: a, kind: rss, url: 'https://a.example/'}", []string{`kind "rss" is not one of feed, sitemap, page`}},
		{"missing kind", "sources:\n  - {name: a, url: 'https://a.example/'}", []string{"kind is required"}},
		{"missing name", "sources:\n  - {kind: feed, url: 'https://a.example/'}", []string{`sources[0] "": name is required`}},
		{"duplicate name", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/'}\n  - {name: a, kind: feed, url: 'https://b.example/'}", []string{`sources[1] "a": name already used by sources[0]`}},
		{"bad include", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/', include: ['(']}", []string{`include[0] "(": error parsing regexp`}},
		{"bad exclude", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/', exclude: ['[z-a]']}", []string{`exclude[0] "[z-a]"`}},
		{"depth too large", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', depth: 4}", []string{"depth 4 is too large (at most 3)"}},
		{"negative depth", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', depth: -1}", []string{"depth -1 must not be negative"}},
		{"depth on a feed", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/', depth: 1}", []string{"depth applies only to page sources"}},
		{"negative max_items", "sources:\n  - {name: a, kind: feed, url: 'https://a.example/', max_items: -5}", []string{"max_items -5 must not be negative"}},
		{"max_pages too large", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', max_pages: 5000}", []string{"max_pages 5000 is too large"}},
		{"max_pages on a sitemap", "sources:\n  - {name: a, kind: sitemap, url: 'https://a.example/s.xml', max_pages: 5}", []string{"max_pages applies only to page sources"}},
		{"allow with a query", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', allow: ['a.example/x?y=1']}", []string{`allow[0] "a.example/x?y=1": must be a host and path prefix`}},
		{"allow stepping up", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', allow: ['a.example/x/%2e%2e/']}", []string{`must not contain "." or ".."`}},
		{"empty allow entry", "sources:\n  - {name: a, kind: page, url: 'https://a.example/', allow: ['']}", []string{`allow[0] "": is empty`}},
		{"negative rate", "rate: -1\nsources:\n  - {name: a, kind: feed, url: 'https://a.example/'}", []string{"rate -1 must be a non-negative number"}},
		{"NaN rate", "rate: .nan\nsources:\n  - {name: a, kind: feed, url: 'https://a.example/'}", []string{"rate NaN"}},
		{"user agent with a newline", "user_agent: \"a\\nb\"\nsources:\n  - {name: a, kind: feed, url: 'https://a.example/'}", []string{"user_agent contains a control character"}},
		{
			"every problem reported at once",
			"sources:\n  - {name: a, kind: rss, url: 'ftp://x/', depth: 9, include: ['(']}\n  - {name: b, kind: feed}",
			[]string{`sources[0] "a": kind "rss"`, `sources[0] "a": url "ftp://x/"`, `sources[0] "a": depth 9`, `sources[0] "a": include[0]`, `sources[1] "b": url "": is required`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("accepted: %+v", cfg)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadConfigNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  - {name: a, kind: blog, url: 'https://a.example/'}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `kind "blog"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"HTTPS://Example.COM:443/a/b?x=1#frag", "https://example.com/a/b?x=1"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/x", "http://example.com:8080/x"},
		{"https://example.com.:443/x", "https://example.com/x"},
		{"http://[::1]:80/x", "http://[::1]/x"},
		{"http://[::1]:8080/x", "http://[::1]:8080/x"},
		{"https://example.com/a%20b", "https://example.com/a%20b"},
		{"https://example.com/Case/Kept", "https://example.com/Case/Kept"},
		{"https://user:pw@example.com/", ""},
		{"ftp://example.com/", ""},
		{"mailto:x@example.com", ""},
		{"https:///path", ""},
		{"http:opaque", ""},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		got := ""
		if n, ok := normalize(u); ok {
			got = n.String()
		}
		if got != tt.want {
			t.Errorf("normalize(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAllowRules(t *testing.T) {
	tests := []struct {
		rule string
		url  string
		want bool
	}{
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/cybersecurity-advisories", true},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/cybersecurity-advisories?page=2", true},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "http://www.cisa.gov/news-events/cybersecurity-advisories/aa24-038a", true},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/cybersecurity-advisories-archive", false},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/", false},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://cisa.gov/news-events/cybersecurity-advisories/x", false},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://evil.cisa.gov.example/news-events/cybersecurity-advisories/x", false},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/cybersecurity-advisories/%2e%2e/admin", false},
		{"www.cisa.gov/news-events/cybersecurity-advisories", "https://www.cisa.gov/news-events/cybersecurity-advisories/..%2Fadmin", false}, // decodes to a ".." segment
		{"www.cisa.gov/news-events/cybersecurity-advisories", `https://www.cisa.gov/news-events/cybersecurity-advisories/x\..\admin`, false},
		{"WWW.CISA.GOV/news-events/", "https://www.cisa.gov:443/news-events/x", true},
		{"example.org", "https://example.org/anything", true},
		{"https://example.org/", "http://example.org/anything", false},
		{"example.org:8443/x", "https://example.org:8443/x/y", true},
		{"example.org:8443/x", "https://example.org/x/y", false},
	}
	for _, tt := range tests {
		r, err := parseRule(tt.rule)
		if err != nil {
			t.Fatalf("parseRule(%q): %v", tt.rule, err)
		}
		u, ok := resolve(&url.URL{Scheme: "https", Host: "base.example", Path: "/"}, tt.url)
		if !ok {
			t.Fatalf("resolve(%q) refused", tt.url)
		}
		if got := allowed([]rule{r}, u); got != tt.want {
			t.Errorf("allow %q, %s (path %q): got %v, want %v", tt.rule, tt.url, u.Path, got, tt.want)
		}
	}
}
