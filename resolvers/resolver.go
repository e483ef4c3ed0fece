package resolvers

// gqlgen finds gqlgen.yml in the repository root and works from there.
//go:generate go run github.com/99designs/gqlgen generate

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
)

// Resolver is the root of the resolvers: it holds what every field needs. Per-request
// state (the loaders) travels in the context instead; see loaders.go.
type Resolver struct {
	store  graph.Store
	logger *slog.Logger
}

// maxSearch caps Query.search's first argument.
const maxSearch = 100

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

// collaborators returns the COLLABORATES_WITH edges of a state or actor, seen from it.
func collaborators(ctx context.Context, id string, certainty *graph.Certainty) ([]*model.Collaboration, error) {
	es, err := edges(ctx, id, graph.CollaboratesWith, either, certainty)
	out := make([]*model.Collaboration, len(es))
	for i, e := range es {
		out[i] = model.NewCollaboration(e, id)
	}
	return out, err
}

// attributedIncidents answers State.attributedIncidents and ThreatActor's.
func (r *Resolver) attributedIncidents(ctx context.Context, id string, certainty *graph.Certainty) ([]*model.AttributedIncident, error) {
	found, err := graph.AttributedIncidents(ctx, r.store, id, minimum(certainty))
	if err != nil {
		return nil, err
	}
	out := make([]*model.AttributedIncident, len(found))
	for i, a := range found {
		seen(ctx, a.Incident)
		out[i] = model.NewAttributedIncident(a)
	}
	return out, nil
}
