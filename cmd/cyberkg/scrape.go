package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/graph/reference"
	"github.com/cyberkg/cyberkg/scrapers"
	"github.com/cyberkg/cyberkg/scrapers/discover"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

func (m *Main) runScrape(ctx context.Context, args []string) error {
	fs := m.flags("scrape")
	storePath := m.storeFlag(fs)
	config := fs.String("config", "", "sources file (YAML; see scrapers/sources.example.yaml)")
	feed := fs.String("feed", "", "read the articles an RSS, Atom or JSON feed lists")
	page := fs.String("url", "", "read one article")
	cache := fs.String("cache", m.Getenv("CYBERKG_CACHE"), "HTTP cache for conditional requests (default: beside the store)")
	allowPrivate := fs.Bool("allow-private", false, "allow private and loopback addresses (local use and tests only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := 0
	for _, v := range []string{*config, *feed, *page} {
		if v != "" {
			set++
		}
	}
	if set != 1 || fs.NArg() != 0 {
		return graph.Errorf(graph.EINVALID, "scrape takes exactly one of --config FILE, --feed URL or --url URL")
	}
	var cfg *discover.Config
	var err error
	switch {
	case *config != "":
		if cfg, err = discover.LoadConfig(*config); err != nil {
			return err
		}
	case *feed != "":
		if cfg, err = discover.ParseConfig([]byte(fmt.Sprintf("sources:\n  - name: feed\n    kind: feed\n    url: %q\n", *feed))); err != nil {
			return err
		}
	}
	s, err := m.openStore(ctx, *storePath)
	if err != nil {
		return err
	}
	if *cache == "" {
		*cache = filepath.Join(m.dataDir(*storePath), "http-cache")
	}
	opts := fetch.Options{CacheDir: *cache, AllowPrivate: *allowPrivate, Logger: m.Logger}
	if cfg != nil && cfg.UserAgent != "" {
		opts.UserAgent = cfg.UserAgent
	}
	f, err := fetch.New(opts)
	if err != nil {
		return err
	}
	defer f.Close()
	p := &scrapers.Pipeline{Fetcher: f, Extractor: extract.New(reference.MustLoad()), Store: s, Workers: 4}

	var items []discover.Item
	if *page != "" {
		items = []discover.Item{{URL: *page}}
	} else {
		found, err := discover.DiscoverAll(ctx, p.Getter(), cfg)
		for _, e := range unwrapAll(err) {
			fmt.Fprintf(m.Stderr, "discover: %v\n", e)
		}
		items = found
	}
	fmt.Fprintf(m.Stderr, "%d articles to read\n", len(items))
	p.Progress = m.progress(len(items))
	sum := p.Read(ctx, items)
	fmt.Fprintf(m.Stdout, "fetched %d, unchanged %d, skipped by robots.txt %d, failed %d\n", sum.Fetched, sum.Unchanged, sum.Robots, sum.Failed)
	for _, r := range sum.ReasonList() {
		fmt.Fprintf(m.Stdout, "  failed: %s\n", r)
	}
	fmt.Fprintf(m.Stdout, "facts: %s\n", sum.Facts)
	return ctx.Err()
}

// progress draws a bar on a terminal and writes a line per article otherwise.
func (m *Main) progress(total int) func(scrapers.Event) {
	f, isFile := m.Stderr.(*os.File)
	if isFile && term.IsTerminal(int(f.Fd())) {
		return func(e scrapers.Event) {
			const width = 30
			filled := width * e.Done / max(e.Total, 1)
			fmt.Fprintf(f, "\r[%s%s] %d/%d", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), e.Done, e.Total)
			if e.Done == e.Total {
				fmt.Fprintln(f)
			}
		}
	}
	return func(e scrapers.Event) {
		line := fmt.Sprintf("%d/%d %s %s", e.Done, e.Total, e.Outcome, e.URL)
		if e.Err != nil {
			line += ": " + e.Err.Error()
		}
		fmt.Fprintln(m.Stderr, line)
	}
}

// dataDir is where files that belong with the store live.
func (m *Main) dataDir(storePath string) string {
	if storePath != "" {
		return filepath.Dir(storePath)
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "cyberkg")
	}
	return os.TempDir()
}

func unwrapAll(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
