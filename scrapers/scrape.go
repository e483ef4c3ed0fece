// Package scrapers turns public reporting into facts in the graph, in small steps that
// each live in their own package: fetch (HTTP, robots.txt, rate limits, the SSRF guard),
// discover (feeds, sitemaps, links), article (the text of a page), extract (facts with
// their evidence), resolve (the same incident across reports) and graph.Ingest (the
// write). This package runs the steps in order for a list of articles.
//
// The graph is the crawl state: a source whose content hash is already stored is
// unchanged and is not read again, and writing is idempotent, so a run that is
// interrupted and restarted loses nothing and duplicates nothing.
package scrapers

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/discover"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

// Outcome is what became of one article.
type Outcome string

const (
	Added     Outcome = "added"     // read and written
	Unchanged Outcome = "unchanged" // the stored copy is current
	Robots    Outcome = "robots"    // robots.txt disallows it
	Failed    Outcome = "failed"
)

// Event reports one article's outcome, as it happens.
type Event struct {
	URL     string
	Outcome Outcome
	Err     error
	Facts   graph.Summary
	Done    int // articles finished so far, this one included
	Total   int
}

// Summary is what a run did.
type Summary struct {
	Fetched   int            `json:"fetched"`   // read and written
	Unchanged int            `json:"unchanged"` // already current in the graph
	Robots    int            `json:"robots"`    // skipped: robots.txt disallows them
	Failed    int            `json:"failed"`
	Reasons   map[string]int `json:"reasons"` // failures by reason
	Facts     graph.Summary  `json:"facts"`
}

// Pipeline reads articles into a store.
type Pipeline struct {
	Fetcher   *fetch.Fetcher
	Extractor *extract.Extractor
	Store     graph.Store
	Workers   int         // articles read at once (default 4; the fetcher limits each host)
	Progress  func(Event) // called after each article, from one goroutine at a time
}

// Getter adapts the fetcher to discovery, so discovery goes through robots.txt, the rate
// limits and the SSRF guard like everything else.
func (p *Pipeline) Getter() discover.Getter {
	return discover.GetterFunc(func(ctx context.Context, u string) (*discover.Page, error) {
		r, err := p.Fetcher.Get(ctx, u)
		if err != nil {
			return nil, err
		}
		return &discover.Page{URL: r.FinalURL, ContentType: r.ContentType, Body: r.Body}, nil
	})
}

// Read reads the items and writes what they say. Every item is tried; failures are
// counted by reason, never fatal to the run.
func (p *Pipeline) Read(ctx context.Context, items []discover.Item) Summary {
	sum := Summary{Reasons: map[string]int{}}
	var (
		mu      sync.Mutex // guards sum and progress; serialises resolve+write
		writeMu sync.Mutex
		done    int
		wg      sync.WaitGroup
	)
	work := make(chan discover.Item)
	for range max(p.Workers, 1) {
		wg.Go(func() {
			for it := range work {
				outcome, facts, err := p.readOne(ctx, it, &writeMu)
				mu.Lock()
				done++
				switch outcome {
				case Added:
					sum.Fetched++
					sum.Facts = sum.Facts.Add(facts)
				case Unchanged:
					sum.Unchanged++
				case Robots:
					sum.Robots++
				default:
					sum.Failed++
					sum.Reasons[reason(err)]++
				}
				if p.Progress != nil {
					p.Progress(Event{URL: it.URL, Outcome: outcome, Err: err, Facts: facts, Done: done, Total: len(items)})
				}
				mu.Unlock()
			}
		})
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		work <- it
	}
	close(work)
	wg.Wait()
	return sum
}

func (p *Pipeline) readOne(ctx context.Context, it discover.Item, writeMu *sync.Mutex) (Outcome, graph.Summary, error) {
	resp, err := p.Fetcher.Get(ctx, it.URL)
	switch {
	case errors.Is(err, fetch.ErrDisallowed):
		return Robots, graph.Summary{}, err
	case err != nil:
		return Failed, graph.Summary{}, err
	}
	sum := sha256.Sum256(resp.Body)
	hash := "sha256:" + hex.EncodeToString(sum[:])
	doc := extract.Document{URL: cmp.Or(resp.FinalURL, it.URL), Title: it.Title, Publisher: it.Publisher, Published: it.Published}
	doc, err = ReadPage(resp.Body, resp.ContentType, doc)
	if err != nil {
		return Failed, graph.Summary{}, err
	}
	writeMu.Lock()
	defer writeMu.Unlock()
	outcome, _, facts, err := Load(ctx, p.Store, p.Extractor, doc, resp.Fetched, hash, nil)
	return outcome, facts, err
}

var errNotArticle = errors.New("not text or HTML")

func hostOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// reason names a failure for the summary: the fetch sentinel it wraps, or its code.
func reason(err error) string {
	for _, s := range []error{fetch.ErrTooLarge, fetch.ErrForbiddenAddress, fetch.ErrTooManyRedirects, fetch.ErrRedirectLoop, fetch.ErrStatus, errNotArticle} {
		if errors.Is(err, s) {
			var st *fetch.StatusError
			if errors.As(err, &st) {
				return st.Error()
			}
			return s.Error()
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(fmt.Sprint(err), "timeout") {
		return "timeout"
	}
	if c := graph.ErrorCode(err); c != graph.EINTERNAL {
		return c
	}
	return "error"
}

// ReasonList returns the failure reasons with their counts, for printing.
func (s Summary) ReasonList() []string {
	var out []string
	for r, n := range s.Reasons {
		out = append(out, fmt.Sprintf("%d %s", n, r))
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}
