package discover

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind says how a source lists its articles.
type Kind string

// The kinds of source.
const (
	KindFeed    Kind = "feed"    // an RSS, Atom or JSON Feed document
	KindSitemap Kind = "sitemap" // a sitemap or sitemap index, plain or gzipped
	KindPage    Kind = "page"    // an HTML page whose links are followed
)

// Limits a configuration may not exceed. Depth is kept small because each level
// multiplies the pages fetched from a site that owes us nothing.
const (
	MaxDepth        = 3
	DefaultMaxPages = 100
	MaxMaxPages     = 1000
)

// Config is a sources file.
type Config struct {
	// UserAgent and Rate are defaults for the fetcher that serves these sources; this
	// package never fetches, so it only validates them. Rate is in requests per
	// second per host; zero means the fetcher's own default.
	UserAgent string   `yaml:"user_agent"`
	Rate      float64  `yaml:"rate"`
	Sources   []Source `yaml:"sources"`
}

// Source is one configured place to discover articles.
type Source struct {
	// Name identifies the source in items and errors; it is unique in a Config.
	Name string `yaml:"name"`
	Kind Kind   `yaml:"kind"`
	URL  string `yaml:"url"`
	// Publisher is who publishes what the source lists, copied into each Item.
	Publisher string `yaml:"publisher"`
	// Allow lists "host/path-prefix" entries (a scheme may lead: "https://host/path").
	// A page source follows only links inside it; when it is empty, the listed page's
	// host and path are the only prefix (its folder, when the page is a file such as
	// "/advisories/index.html"). A feed or sitemap source with Allow keeps only the
	// items inside it.
	Allow []string `yaml:"allow"`
	// Depth is how many levels of links a page source follows beyond the listed
	// page: 0 fetches only the listed page and returns its links.
	Depth int `yaml:"depth"`
	// Include and Exclude are regular expressions on item URLs: an item is kept when
	// it matches some Include (or Include is empty) and no Exclude. They filter what
	// is returned, not where a page source goes: Allow and Depth bound that.
	Include []string `yaml:"include"`
	Exclude []string `yaml:"exclude"`
	// MaxItems caps the items returned; 0 means no cap.
	MaxItems int `yaml:"max_items"`
	// MaxPages caps the pages a page source fetches; 0 means DefaultMaxPages.
	MaxPages int `yaml:"max_pages"`
}

// LoadConfig reads and validates a sources file. Unknown keys are errors, and every
// problem found is reported, not just the first.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load sources: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("load sources %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes and validates a sources file held in memory.
func ParseConfig(data []byte) (cfg *Config, err error) {
	// The YAML decoder is a large parser fed by hand-edited files; a config mistake
	// must come back as an error, never bring the binary down.
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, fmt.Errorf("parse sources: malformed YAML (%v)", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	cfg = new(Config)
	if err := dec.Decode(cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("parse sources: the file is empty")
		}
		return nil, fmt.Errorf("parse sources: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("parse sources: more than one YAML document; keep every source in one")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Validate reports every problem in the configuration, joined into one error.
func (c *Config) Validate() error {
	var errs []error
	if strings.ContainsFunc(c.UserAgent, isControl) {
		errs = append(errs, errors.New("user_agent contains a control character"))
	}
	if c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) {
		errs = append(errs, fmt.Errorf("rate %v must be a non-negative number of requests per second", c.Rate))
	}
	if len(c.Sources) == 0 {
		errs = append(errs, errors.New("no sources are configured"))
	}
	seen := make(map[string]int, len(c.Sources))
	for i, s := range c.Sources {
		if first, dup := seen[s.Name]; dup && s.Name != "" {
			errs = append(errs, fmt.Errorf("sources[%d] %q: name already used by sources[%d]", i, s.Name, first))
		} else {
			seen[s.Name] = i
		}
		_, problems := compile(s)
		for _, e := range problems {
			errs = append(errs, fmt.Errorf("sources[%d] %q: %w", i, s.Name, e))
		}
	}
	return errors.Join(errs...)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// plan is a Source checked and compiled for one run.
type plan struct {
	Source
	start    *url.URL
	allow    []rule
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
	maxPages int
}

// compile checks a source and prepares it, or returns every problem it has.
func compile(s Source) (*plan, []error) {
	p := &plan{Source: s, maxPages: s.MaxPages}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if strings.TrimSpace(s.Name) == "" {
		bad("name is required")
	} else if strings.ContainsFunc(s.Name, isControl) {
		bad("name contains a control character")
	}
	switch s.Kind {
	case KindFeed, KindSitemap, KindPage:
	case "":
		bad("kind is required (feed, sitemap or page)")
	default:
		bad("kind %q is not one of feed, sitemap, page", s.Kind)
	}
	if u, err := parseStart(s.URL); err != nil {
		bad("url %q: %v", s.URL, err)
	} else {
		p.start = u
	}
	for i, a := range s.Allow {
		r, err := parseRule(a)
		if err != nil {
			bad("allow[%d] %q: %v", i, a, err)
			continue
		}
		p.allow = append(p.allow, r)
	}
	if len(s.Allow) == 0 && s.Kind == KindPage && p.start != nil {
		p.allow = []rule{defaultRule(p.start)}
	}
	switch {
	case s.Depth < 0:
		bad("depth %d must not be negative", s.Depth)
	case s.Depth > MaxDepth:
		bad("depth %d is too large (at most %d)", s.Depth, MaxDepth)
	case s.Depth > 0 && s.Kind != KindPage:
		bad("depth applies only to page sources")
	}
	p.include = compileAll(s.Include, "include", bad)
	p.exclude = compileAll(s.Exclude, "exclude", bad)
	if s.MaxItems < 0 {
		bad("max_items %d must not be negative", s.MaxItems)
	}
	switch {
	case s.MaxPages < 0:
		bad("max_pages %d must not be negative", s.MaxPages)
	case s.MaxPages > MaxMaxPages:
		bad("max_pages %d is too large (at most %d)", s.MaxPages, MaxMaxPages)
	case s.MaxPages > 0 && s.Kind != KindPage:
		bad("max_pages applies only to page sources")
	case s.MaxPages == 0:
		p.maxPages = DefaultMaxPages
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

func compileAll(exprs []string, key string, bad func(string, ...any)) []*regexp.Regexp {
	var out []*regexp.Regexp
	for i, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			bad("%s[%d] %q: %v", key, i, e, err)
			continue
		}
		out = append(out, re)
	}
	return out
}

// parseStart checks a configured source URL.
func parseStart(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("is required")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New("is not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.New("must be an absolute http or https URL")
	}
	n, ok := normalize(u)
	if !ok {
		return nil, errors.New("must be an absolute http or https URL with a host and no user name or password")
	}
	return n, nil
}

// defaultRule is the allowlist of a page source that lists none: the page's own path,
// or its folder when the last segment names a file.
func defaultRule(start *url.URL) rule {
	p := start.Path
	if !strings.HasSuffix(p, "/") && path.Ext(path.Base(p)) != "" {
		p = path.Dir(p) + "/"
	}
	return rule{host: start.Host, path: p}
}

// keep reports whether an item URL passes Allow (for feeds and sitemaps only when it
// is set), Include and Exclude.
func (p *plan) keep(u *url.URL) bool {
	if len(p.allow) > 0 && !allowed(p.allow, u) {
		return false
	}
	s := u.String()
	if len(p.include) > 0 {
		matched := false
		for _, re := range p.include {
			if re.MatchString(s) {
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	for _, re := range p.exclude {
		if re.MatchString(s) {
			return false
		}
	}
	return true
}
