package scrapers

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/scrapers/article"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/resolve"
)

// ReadPage turns a page (HTML or plain text, already UTF-8) into the document that
// extraction reads. The page's own title, publisher and date win over what doc already
// holds (a feed's listing), which fills the gaps.
func ReadPage(body []byte, contentType string, doc extract.Document) (extract.Document, error) {
	switch {
	case strings.Contains(contentType, "html") || article.LooksLikeHTML(body):
		u, _ := url.Parse(doc.URL)
		a, err := article.FromHTML(strings.NewReader(string(body)), u)
		if err != nil {
			return doc, fmt.Errorf("read %s: %w", doc.URL, err)
		}
		doc.Text = a.Text
		doc.Title = cmp.Or(a.Title, doc.Title)
		doc.Publisher = cmp.Or(a.Publisher, doc.Publisher, hostOf(u))
		doc.Published = cmp.Or(a.Published, doc.Published)
	case contentType == "" || strings.HasPrefix(contentType, "text/"):
		a := article.FromText(string(body))
		doc.Text, doc.Title = a.Text, cmp.Or(doc.Title, a.Title)
	default:
		return doc, fmt.Errorf("read %s: %w", doc.URL, errNotArticle)
	}
	return doc, nil
}

// Load writes what a document says. When the store already holds this version of the
// source (same URL, same content hash) it writes nothing and returns Unchanged; a new
// version of a stored source first retracts what the old one said. prepare, when not
// nil, sees the batch just before it is written. Callers that write concurrently must
// serialise Load: resolving incidents and writing are two steps.
func Load(ctx context.Context, s graph.Store, x *extract.Extractor, doc extract.Document, fetched time.Time, hash string,
	prepare func(*graph.Batch)) (Outcome, *extract.Result, graph.Summary, error) {
	src := extract.SourceNode(doc, fetched.UTC(), hash)
	var total graph.Summary
	stored, err := s.Node(ctx, src.ID)
	switch {
	case err == nil && stored.ContentHash == hash:
		return Unchanged, nil, total, nil
	case err == nil:
		if total, err = s.RemoveSource(ctx, src.ID); err != nil && graph.ErrorCode(err) != graph.ENOTFOUND {
			return Failed, nil, total, err
		}
	case graph.ErrorCode(err) != graph.ENOTFOUND:
		return Failed, nil, total, err
	}
	res := x.Extract(doc)
	batch := extract.Facts(src, res)
	if err := resolve.Incidents(ctx, s, batch); err != nil {
		return Failed, res, total, err
	}
	if prepare != nil {
		prepare(batch)
	}
	written, err := graph.Ingest(ctx, s, batch)
	if err != nil {
		return Failed, res, total, fmt.Errorf("write %s: %w", doc.URL, err)
	}
	return Added, res, total.Add(written), nil
}
