package resolvers

// internal/generate runs gqlgen, which finds gqlgen.yml in the repository root and
// works from there, and then its own step on the executor (see its doc).
//go:generate go run ./internal/generate

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
	"github.com/cyberkg/cyberkg/scrapers/extract"
	"github.com/cyberkg/cyberkg/scrapers/fetch"
)

// Resolver is the root of the resolvers: it holds what every field needs. Per-request
// state (the loaders, the caller) travels in the context instead; see loaders.go and
// auth.go.
type Resolver struct {
	store  graph.Store
	logger *slog.Logger
	now    func() time.Time

	// Curation: the fetcher behind ingestURL (the SSRF guard on), the extractor
	// (built on first use: it loads the reference knowledge), and a lock that keeps
	// this process's curators from resolving and writing the same incident at once.
	fetcher   *fetch.Fetcher
	extractor func() *extract.Extractor
	curate    sync.Mutex
}

// maxSearch caps Query.search's first argument.
const maxSearch = graph.MaxPageSize

// entityKinds are the node kinds the Entity interface covers.
var entityKinds = []graph.NodeKind{graph.KindState, graph.KindActor, graph.KindIncident, graph.KindOrganization, graph.KindSector}

// lookup returns the node with the given ID, or nil when the store does not hold it:
// a lookup of something unknown is an empty answer, not an error.
func (r *Resolver) lookup(ctx context.Context, id string) (*graph.Node, error) {
	n, err := r.store.Node(ctx, id)
	if graph.ErrorCode(err) == graph.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen(ctx, n)
	return n, nil
}

// entity returns the entity with the given ID, which an edge or a total refers to and
// the store must therefore hold.
func entity(ctx context.Context, id string) (model.Entity, error) {
	n, err := node(ctx, id)
	if err != nil {
		return nil, err
	}
	e := model.NewEntity(n)
	if e == nil {
		return nil, fmt.Errorf("node %s, referred to by an edge, is missing or not an entity", id)
	}
	return e, nil
}

// end returns the node with the given ID as the entity type T wants (model.AsState
// and the like), or an internal error when it is missing or of another kind.
func end[T any](ctx context.Context, id string, as func(*graph.Node) *T) (*T, error) {
	n, err := node(ctx, id)
	if err != nil {
		return nil, err
	}
	v := as(n)
	if v == nil {
		return nil, fmt.Errorf("node %s, referred to by an edge, is missing or of the wrong kind", id)
	}
	return v, nil
}

// ends returns the entities of type T at the far ends of edges (To for outgoing, From
// for incoming), in edge order, each once; ends of other kinds are skipped.
func ends[T any](ctx context.Context, es []*graph.Edge, dir direction, as func(*graph.Node) *T) ([]*T, error) {
	var ids []string
	for _, e := range es {
		id := e.To
		if dir == incoming {
			id = e.From
		}
		ids = append(ids, id)
	}
	found, err := nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []*T{}
	seenIDs := map[string]bool{}
	for _, n := range found {
		if v := as(n); v != nil && !seenIDs[n.ID] {
			seenIDs[n.ID] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// collaborators returns the COLLABORATES_WITH edges of a state or actor, seen from it.
func collaborators(ctx context.Context, id string, certainty *graph.Certainty) ([]*model.Collaboration, error) {
	es, err := edges(ctx, id, graph.CollaboratesWith, either, certainty)
	out := make([]*model.Collaboration, len(es))
	for i, e := range es {
		out[i] = model.NewCollaboration(e, id)
	}
	return out, err
}

// findIncidents answers the incident lists: Query.incidents, Query.timeline and the
// attributedIncidents of states and actors.
func (r *Resolver) findIncidents(ctx context.Context, f graph.IncidentFilter, order graph.IncidentOrder, first *int, after *string) (*model.IncidentConnection, error) {
	list := "incidents:" + string(order.By)
	p, err := page(ctx, list, first, after)
	if err != nil {
		return nil, err
	}
	// The chains that link incidents to a state or an actor cost a round trip; read
	// them only for a query that shows them.
	f.WithoutPaths = !wantsUnder(ctx, "edges", "path", "certainty")
	// The incidents' targets come with the page when the query shows them.
	rels := incidentRelations(ctx)
	_, f.Targets = rels[graph.Targeted]
	found, err := graph.FindIncidents(ctx, r.store, f, order, p)
	if err != nil {
		return nil, err
	}
	if f.Targets {
		primeTargets(ctx, found.Items, found.Edges, found.Ends)
		delete(rels, graph.Targeted)
	}
	if err := prefetchIncidents(ctx, found.Items, rels); err != nil {
		return nil, err
	}
	return incidentConnection(ctx, list, p, found), nil
}

// stateID turns what a client calls a state (its ISO code or its ID) into its ID.
func stateID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, graph.KindPrefix(graph.KindState)) {
		s = strings.TrimPrefix(s, graph.KindPrefix(graph.KindState))
	}
	if len(s) != 2 || strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", graph.Errorf(graph.EINVALID, "state %q: want two letters, ISO 3166-1 alpha-2, or a state ID", s)
	}
	return graph.NodeID(graph.KindState, s), nil
}

// actorID turns what a client calls an actor (its ID, or any of its names) into its
// ID; "" when no actor has that name.
func (r *Resolver) actorID(ctx context.Context, s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, graph.KindPrefix(graph.KindActor)) {
		return s, nil
	}
	if graph.Normalize(s) == "" {
		return "", graph.Errorf(graph.EINVALID, "actor: give an ID or a name")
	}
	found, err := r.store.Resolve(ctx, graph.KindActor, []string{s})
	if err != nil {
		return "", err
	}
	return found[graph.Normalize(s)], nil
}

// date parses an optional date argument.
func date(name string, s *string) (graph.Date, error) {
	if s == nil || *s == "" {
		return "", nil
	}
	d, err := graph.ParseDate(strings.TrimSpace(*s))
	if err != nil {
		return "", graph.Errorf(graph.EINVALID, "%s: %s", name, graph.ErrorMessage(err))
	}
	return d, nil
}

// isEntityID reports whether an ID names an entity, by its prefix.
func isEntityID(id string) bool {
	for _, k := range entityKinds {
		if strings.HasPrefix(id, graph.KindPrefix(k)) {
			return true
		}
	}
	return false
}

// listNodes pages the entities of some kinds by name.
func (r *Resolver) listNodes(ctx context.Context, kinds []graph.NodeKind, first *int, after *string) (connection[*graph.Node], error) {
	p, err := page(ctx, "entities", first, after)
	if err != nil {
		return connection[*graph.Node]{}, err
	}
	if len(kinds) == 0 {
		kinds = entityKinds
	}
	found, err := r.store.ListNodes(ctx, graph.NodeQuery{Kinds: kinds, Page: p})
	if err != nil {
		return connection[*graph.Node]{}, err
	}
	seen(ctx, found.Items...)
	return newConnection("entities", p, found), nil
}

// incidentFilter turns the GraphQL filter into graph's; ok is false when it names a
// state or an actor the graph does not hold, whose list is empty.
func (r *Resolver) incidentFilter(ctx context.Context, in *model.IncidentFilter) (f graph.IncidentFilter, ok bool, err error) {
	if in == nil {
		return f, true, nil
	}
	f.Kinds = in.Kind
	f.Minimum = minimum(in.Certainty)
	f.MinUSD = in.MinUSD
	if in.Sector != nil {
		f.Sector = *in.Sector
	}
	if in.Target != nil {
		f.Target = *in.Target
	}
	if f.From, err = date("from", in.From); err != nil {
		return f, false, err
	}
	if f.To, err = date("to", in.To); err != nil {
		return f, false, err
	}
	if in.State != nil && in.Actor != nil {
		return f, false, graph.Errorf(graph.EINVALID, "filter by a state or by an actor, not both")
	}
	if in.State != nil {
		if f.State, err = stateID(*in.State); err != nil {
			return f, false, err
		}
	}
	if in.Actor != nil {
		if f.Actor, err = r.actorID(ctx, *in.Actor); err != nil || f.Actor == "" {
			return f, false, err
		}
	}
	return f, true, nil
}

func emptyIncidents() *model.IncidentConnection {
	return &model.IncidentConnection{PageInfo: &model.PageInfo{}, Edges: []*model.IncidentEdge{}, Nodes: []*model.Incident{}}
}

var matchQualities = map[graph.SearchMatch]model.MatchQuality{
	graph.MatchName: model.MatchQualityName, graph.MatchAlias: model.MatchQualityAlias,
	graph.MatchNamePrefix: model.MatchQualityNamePrefix, graph.MatchAliasPrefix: model.MatchQualityAliasPrefix,
	graph.MatchNameContains: model.MatchQualityNameContains, graph.MatchAliasContains: model.MatchQualityAliasContains,
	graph.MatchWords: model.MatchQualityWords, graph.MatchTypos: model.MatchQualityTypos,
}

func matchQuality(m graph.SearchMatch) model.MatchQuality {
	if q, ok := matchQualities[m]; ok {
		return q
	}
	return model.MatchQualityTypos
}

var (
	asOrganization = model.AsOrganization
	asSector       = model.AsSector
)

// targetedBy pages the TARGETED edges that end at a node.
func targetedBy(ctx context.Context, id string, first *int, after *string) (*model.TargetConnection, error) {
	c, err := relationPage(ctx, id, graph.Targeted, incoming, first, after)
	if err != nil {
		return nil, err
	}
	out := &model.TargetConnection{TotalCount: c.total, PageInfo: c.info, Edges: []*model.TargetEdge{}, Nodes: []*model.Target{}}
	for i, e := range c.items {
		v := model.NewTarget(e)
		out.Edges = append(out.Edges, &model.TargetEdge{Cursor: c.cursors[i], Node: v})
		out.Nodes = append(out.Nodes, v)
	}
	return out, nil
}
