package resolvers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
	"github.com/cyberkg/cyberkg/scrapers"
	"github.com/cyberkg/cyberkg/scrapers/discover"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

// auditEntry starts the audit entry of a change by the caller, who must be at least
// an editor (role) and give a reason.
func (r *Resolver) auditEntry(ctx context.Context, role Role, action graph.AuditAction, why string) (*graph.AuditEntry, error) {
	if err := require(ctx, role, "changing the graph"); err != nil {
		return nil, err
	}
	p := principal(ctx)
	a := graph.NewAuditEntry(r.now(), p.Name, p.Role.String(), action, why)
	if a.Why == "" {
		return nil, graph.Errorf(graph.EINVALID, "why: say why; every change to the graph needs a reason")
	}
	return a, nil
}

// recorder is the store as the scraper pipeline sees it during ingestURL: its one
// write of the article's facts carries the audit entry, in the same transaction.
type recorder struct {
	graph.Store
	audit  *graph.AuditEntry
	source string // the source written
	wrote  bool
}

func (s *recorder) Write(ctx context.Context, b *graph.Batch) (graph.Summary, error) {
	if !s.wrote {
		s.wrote = true
		b.Audit = s.audit
		s.audit.Subjects = subjects(b)
		for _, n := range b.Nodes {
			if n.Kind == graph.KindSource {
				s.source = n.ID
			}
		}
	}
	return s.Store.Write(ctx, b)
}

// subjects lists what a batch concerns, for finding its audit entry later: its
// source and entities (amounts go with their incidents) and its edges.
func subjects(b *graph.Batch) []string {
	var out []string
	for _, n := range b.Nodes {
		if n.Kind != graph.KindAmount && !slices.Contains(out, n.ID) {
			out = append(out, n.ID)
		}
	}
	for _, e := range b.Edges {
		if id := graph.EdgeID(e.Type, e.From, e.To); !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ingestURL reads one article through the scraper pipeline, with the fetcher's SSRF
// guard.
func (r *Resolver) ingestURL(ctx context.Context, raw, why string) (*model.IngestResult, error) {
	a, err := r.auditEntry(ctx, RoleEditor, graph.AuditIngestURL, why)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, graph.Errorf(graph.EINVALID, "url %q: want an http or https URL", raw)
	}
	a.What = "ingested " + u.String()
	r.curate.Lock()
	defer r.curate.Unlock()
	rec := &recorder{Store: r.store, audit: a}
	var ev scrapers.Event
	p := &scrapers.Pipeline{Fetcher: r.fetcher, Extractor: r.extractor(), Store: rec, Workers: 1, Progress: func(e scrapers.Event) { ev = e }}
	p.Read(ctx, []discover.Item{{URL: u.String()}})
	switch ev.Outcome {
	case scrapers.Added:
	case scrapers.Unchanged:
		rec.source = graph.NodeID(graph.KindSource, u.String())
		a.Subjects = []string{rec.source}
		a.What = "ingested " + u.String() + ", unchanged since it was last read"
		if _, err := r.store.Write(ctx, &graph.Batch{Audit: a}); err != nil {
			return nil, err
		}
	case scrapers.Robots:
		return nil, graph.Errorf(graph.EINVALID, "%s: the site's robots.txt does not let cyberkg read it", u)
	default:
		return nil, fetchError(u.String(), ev.Err)
	}
	return r.ingested(ctx, ev.Outcome, rec.source, ev.Facts, a)
}

// fetchError turns what went wrong reading a URL into what the curator can act on.
func fetchError(u string, err error) error {
	var status *fetch.StatusError
	var domain *graph.Error
	switch {
	case err == nil:
		return fmt.Errorf("ingest %s: the pipeline reported no outcome", u)
	case errors.As(err, &domain):
		return err
	case errors.Is(err, fetch.ErrForbiddenAddress):
		return graph.Errorf(graph.EINVALID, "%s: only public addresses are fetched, and this one resolves to a private, loopback or otherwise local address, or to a port other than 80 and 443", u)
	case errors.Is(err, fetch.ErrUnsupportedScheme), errors.Is(err, fetch.ErrTooManyRedirects), errors.Is(err, fetch.ErrRedirectLoop):
		return graph.Errorf(graph.EINVALID, "%s: %v", u, unwrapLast(err))
	case errors.Is(err, fetch.ErrTooLarge):
		return graph.Errorf(graph.EINVALID, "%s: the page is too large to be a report", u)
	case errors.As(err, &status) && status.Code >= 400 && status.Code < 500:
		return graph.Errorf(graph.EINVALID, "%s: the site answered %s", u, status.Error())
	case errors.As(err, &status), errors.Is(err, fetch.ErrTimeout), errors.Is(err, fetch.ErrRetryTooLong), errors.Is(err, context.DeadlineExceeded):
		return graph.Errorf(graph.EUNAVAILABLE, "%s: could not fetch it now (%v)", u, unwrapLast(err))
	case strings.Contains(err.Error(), "not text or HTML"):
		return graph.Errorf(graph.EINVALID, "%s: not an article (neither text nor HTML)", u)
	case strings.Contains(err.Error(), "no such host"), strings.Contains(err.Error(), "connection refused"):
		return graph.Errorf(graph.EUNAVAILABLE, "%s: could not reach the site", u)
	}
	return fmt.Errorf("ingest %s: %w", u, err)
}

// unwrapLast returns the innermost error, whose text names the problem alone.
func unwrapLast(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// ingested builds the result of an ingest.
func (r *Resolver) ingested(ctx context.Context, outcome scrapers.Outcome, source string, changes graph.Summary, a *graph.AuditEntry) (*model.IngestResult, error) {
	res := &model.IngestResult{Outcome: model.IngestOutcomeAdded, Changes: &changes, Audit: a}
	if outcome == scrapers.Unchanged {
		res.Outcome = model.IngestOutcomeUnchanged
	}
	if source != "" {
		n, err := r.lookup(ctx, source)
		if err != nil {
			return nil, err
		}
		res.Source = model.NewSource(n)
	}
	return res, nil
}

// ingestText reads a text as the pipeline reads an article, without fetching it.
func (r *Resolver) ingestText(ctx context.Context, text string, title, srcURL, publisher *string, published *time.Time, why string) (*model.IngestResult, error) {
	a, err := r.auditEntry(ctx, RoleEditor, graph.AuditIngestText, why)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, graph.Errorf(graph.EINVALID, "text: nothing to read")
	}
	sum := sha256.Sum256([]byte(text))
	hash := "sha256:" + hex.EncodeToString(sum[:])
	doc := extract.Document{URL: "urn:" + hash}
	if srcURL != nil && strings.TrimSpace(*srcURL) != "" {
		doc.URL = strings.TrimSpace(*srcURL)
	}
	doc, err = scrapers.ReadPage([]byte(text), "", doc)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "text: no readable article in it: %v", err)
	}
	if title != nil && *title != "" {
		doc.Title = *title
	}
	if publisher != nil && *publisher != "" {
		doc.Publisher = *publisher
	}
	if published != nil {
		doc.Published = published.UTC()
	}
	a.What = "ingested a text as " + doc.URL
	r.curate.Lock()
	defer r.curate.Unlock()
	outcome, _, changes, err := scrapers.Load(ctx, r.store, r.extractor(), doc, r.now().UTC().Truncate(time.Second), hash,
		func(b *graph.Batch) { b.Audit, a.Subjects = a, subjects(b) })
	if err != nil {
		return nil, err
	}
	source := graph.NodeID(graph.KindSource, doc.URL)
	if outcome == scrapers.Unchanged {
		a.Subjects = []string{source}
		a.What += ", unchanged since it was last read"
		if _, err := r.store.Write(ctx, &graph.Batch{Audit: a}); err != nil {
			return nil, err
		}
	}
	return r.ingested(ctx, outcome, source, changes, a)
}

// merge folds one entity into another.
func (r *Resolver) merge(ctx context.Context, keep, drop, why string) (*model.MergeResult, error) {
	a, err := r.auditEntry(ctx, RoleEditor, graph.AuditMerge, why)
	if err != nil {
		return nil, err
	}
	a.What = "merged " + drop + " into " + keep
	a.Subjects = []string{keep, drop}
	r.curate.Lock()
	defer r.curate.Unlock()
	if _, err := r.store.Merge(ctx, graph.MergeRequest{Keep: keep, Drop: drop, Audit: a}); err != nil {
		return nil, err
	}
	n, err := r.store.Node(ctx, keep)
	if err != nil {
		return nil, err
	}
	e := model.NewEntity(n)
	if e == nil {
		return nil, fmt.Errorf("merged into %s, which is not an entity", keep)
	}
	return &model.MergeResult{Entity: e, Changes: &a.Changes, Audit: a}, nil
}

// addClaim writes a curator's claim on a relation, with its source.
func (r *Resolver) addClaim(ctx context.Context, in model.AddClaimInput) (*model.ClaimResult, error) {
	a, err := r.auditEntry(ctx, RoleEditor, graph.AuditAddClaim, in.Why)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Source == nil || strings.TrimSpace(in.Source.URL) == "":
		return nil, graph.Errorf(graph.EINVALID, "source: give the URL where the claim was made")
	case strings.TrimSpace(in.Quote) == "":
		return nil, graph.Errorf(graph.EINVALID, "quote: give the words that state it")
	case !isEntityID(in.From) || !isEntityID(in.To):
		return nil, graph.Errorf(graph.EINVALID, "from and to must be entity IDs")
	}
	now := r.now().UTC().Truncate(time.Second)
	src := &graph.Node{Kind: graph.KindSource, URL: strings.TrimSpace(in.Source.URL), Fetched: now}
	src.ID = src.DefaultID()
	src.Name = src.URL
	if in.Source.Title != nil && *in.Source.Title != "" {
		src.Title, src.Name = *in.Source.Title, *in.Source.Title
	}
	if in.Source.Publisher != nil {
		src.Publisher = *in.Source.Publisher
	}
	if in.Source.PublishedAt != nil {
		src.Published = in.Source.PublishedAt.UTC()
	}
	claimant := ""
	if in.Claimant != nil {
		claimant = strings.TrimSpace(*in.Claimant)
	}
	c := graph.Claim{SourceID: src.ID, Quote: strings.TrimSpace(in.Quote), Claimant: claimant, Certainty: in.Certainty,
		Confidence: graph.ClaimConfidence(in.Certainty, claimant), Reported: cmpTime(src.Published, now)}
	e := &graph.Edge{Type: in.Type, From: in.From, To: in.To, Claims: []graph.Claim{c}}
	b := (&graph.Batch{Nodes: []*graph.Node{src}, Edges: []*graph.Edge{e}, Audit: a}).Normalized()
	id := b.Edges[0].ID
	a.What = fmt.Sprintf("added a claim of %s to %s", src.URL, id)
	a.Subjects = []string{id, in.From, in.To, src.ID}
	r.curate.Lock()
	defer r.curate.Unlock()
	if _, err := r.store.Write(ctx, b); err != nil {
		return nil, err
	}
	return r.claimResult(ctx, id, a)
}

// retractClaim removes a source's claims from a relation or an entity, or (admins
// only) everything the source said.
func (r *Resolver) retractClaim(ctx context.Context, in model.RetractClaimInput) (*model.ClaimResult, error) {
	whole := (in.Relation == nil || *in.Relation == "") && (in.Entity == nil || *in.Entity == "")
	role, action := RoleEditor, graph.AuditRetractClaim
	if whole {
		role, action = RoleAdmin, graph.AuditRemoveSource
	}
	a, err := r.auditEntry(ctx, role, action, in.Why)
	if err != nil {
		return nil, err
	}
	req := graph.ClaimRetraction{Source: in.Source, Audit: a}
	if in.Relation != nil {
		req.Edge = *in.Relation
	}
	if in.Entity != nil {
		req.Node = *in.Entity
	}
	if in.Quote != nil {
		req.Quote = *in.Quote
	}
	a.Subjects = []string{in.Source}
	if t := req.Edge + req.Node; t != "" {
		a.Subjects = append(a.Subjects, t)
	}
	a.What = fmt.Sprintf("retracted the claims of %s on %s", in.Source, req.Target())
	if whole {
		a.What = "retracted everything " + in.Source + " said"
	}
	r.curate.Lock()
	defer r.curate.Unlock()
	if _, err := r.store.RetractClaim(ctx, req); err != nil {
		return nil, err
	}
	return r.claimResult(ctx, req.Edge, a)
}

// claimResult reads the relation a claim change concerned, as it now stands.
func (r *Resolver) claimResult(ctx context.Context, edgeID string, a *graph.AuditEntry) (*model.ClaimResult, error) {
	res := &model.ClaimResult{Changes: &a.Changes, Audit: a}
	t, from, to, ok := graph.ParseEdgeID(edgeID)
	if !ok {
		return res, nil
	}
	found, err := r.store.Edges(ctx, graph.EdgeFilter{Types: []graph.EdgeType{t}, From: []string{from}, To: []string{to}})
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		if e.ID == edgeID {
			res.Relation = model.NewRelation(e)
		}
	}
	return res, nil
}

func cmpTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
