package resolvers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cyberkg/cyberkg/graph"
	"github.com/cyberkg/cyberkg/resolvers/model"
)

// A cursor is the list it belongs to and a graph.Cursor (a position: sort key and
// ID), as base64url JSON. Opaque to clients; checked on the way back in, so that a
// cursor of one list is INVALID in another instead of silently meaning something else.
type cursorJSON struct {
	List string `json:"l"`
	graph.Cursor
}

func encodeCursor(list string, c graph.Cursor) string {
	b, _ := json.Marshal(cursorJSON{list, c}) // strings and numbers always encode
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(list string, s *string) (*graph.Cursor, error) {
	if s == nil {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*s)
	var c cursorJSON
	if err != nil || json.Unmarshal(b, &c) != nil || c.List != list || c.ID == "" {
		return nil, graph.Errorf(graph.EINVALID, "after: %q is not a cursor of this list", *s)
	}
	return &c.Cursor, nil
}

// page turns a connection's arguments into a graph.Page, counting the whole list only
// when the query asks for totalCount.
func page(ctx context.Context, list string, first *int, after *string) (graph.Page, error) {
	p := graph.Page{First: graph.DefaultPageSize, Count: wants(ctx, "totalCount")}
	if first != nil {
		p.First = *first
	}
	if p.First < 0 || p.First > graph.MaxPageSize {
		return p, graph.Errorf(graph.EINVALID, "first %d: want 0 to %d", p.First, graph.MaxPageSize)
	}
	c, err := decodeCursor(list, after)
	if err != nil {
		return p, err
	}
	p.After = c
	return p, nil
}

// wants reports whether the current field's selection includes the named field.
func wants(ctx context.Context, field string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return true
	}
	return slices.Contains(graphql.CollectAllFields(ctx), field)
}

// wantsUnder reports whether the current field's selection asks, within its field
// named parent, for any of the named fields.
func wantsUnder(ctx context.Context, parent string, fields ...string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return true
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name != parent {
			continue
		}
		for _, g := range graphql.CollectFields(op, f.Selections, nil) {
			if slices.Contains(fields, g.Name) {
				return true
			}
		}
	}
	return false
}

// connection is what every connection type holds, computed once from a page.
type connection[T any] struct {
	items   []T
	cursors []string
	info    *model.PageInfo
	total   int
}

func newConnection[T any](list string, p graph.Page, r *graph.Results[T]) connection[T] {
	c := connection[T]{items: r.Items, total: max(r.Total, 0), info: &model.PageInfo{HasNextPage: r.HasNext, HasPreviousPage: p.After != nil}}
	for _, k := range r.Cursors {
		c.cursors = append(c.cursors, encodeCursor(list, k))
	}
	if n := len(c.cursors); n > 0 {
		c.info.StartCursor, c.info.EndCursor = &c.cursors[0], &c.cursors[n-1]
	}
	return c
}

// listIDs pages a list of IDs held in memory (the incidents behind a total, the
// relations at a node), by ID.
func listIDs[T any](items []T, id func(T) string, p graph.Page) *graph.Results[T] {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b T) int {
		switch x, y := id(a), id(b); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return graph.PageOf(sorted, p, func(it T) graph.Cursor { return graph.Cursor{ID: id(it)} }, graph.ByID)
}

// incidentConnection builds a page of incidents, with each one's path to the state or
// actor the list is of, when there is one.
func incidentConnection(ctx context.Context, list string, p graph.Page, r *graph.IncidentResults) *model.IncidentConnection {
	seen(ctx, r.Items...)
	c := newConnection(list, p, r.Results)
	out := &model.IncidentConnection{TotalCount: c.total, PageInfo: c.info, Edges: []*model.IncidentEdge{}, Nodes: []*model.Incident{}}
	for i, n := range c.items {
		inc := model.AsIncident(n)
		if inc == nil {
			continue
		}
		e := &model.IncidentEdge{Cursor: c.cursors[i], Node: inc, Incident: inc, Path: []*model.Relation{}}
		if path, ok := r.Paths[n.ID]; ok {
			e.Path = model.Relations(path)
			cert := graph.ChainCertainty(path)
			e.Certainty = &cert
		}
		out.Edges = append(out.Edges, e)
		out.Nodes = append(out.Nodes, inc)
	}
	return out
}

// relationPage pages the edges of one type at a node by ID, from the edge loader.
func relationPage(ctx context.Context, id string, t graph.EdgeType, dir direction, first *int, after *string) (connection[*graph.Edge], error) {
	p, err := page(ctx, "relations", first, after)
	if err != nil {
		return connection[*graph.Edge]{}, err
	}
	es, err := edges(ctx, id, t, dir, nil)
	if err != nil {
		return connection[*graph.Edge]{}, err
	}
	p.Count = true // the edges are all here anyway
	return newConnection("relations", p, listIDs(es, func(e *graph.Edge) string { return e.ID }, p)), nil
}

// briefFields are the fields of a neighbourhood's nodes and edges that a brief
// neighbourhood (graph.NeighborhoodOptions.Brief) answers.
var briefFields = map[string]map[string]bool{
	"nodes": {"__typename": true, "id": true, "kind": true, "name": true, "confidence": true},
	"edges": {"__typename": true, "id": true, "type": true, "confidence": true},
}

// briefNeighborhood reports whether the selection of a Subgraph asks only for fields a
// brief neighbourhood answers (in any fragment, for any type): then the store need
// not read claims, descriptions or aliases, nor the resolver decode them.
func briefNeighborhood(ctx context.Context) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return false
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		allowed := briefFields[f.Name]
		if allowed == nil {
			if f.Name == "__typename" {
				continue
			}
			return false
		}
		for _, g := range graphql.CollectFields(op, f.Selections, nil) {
			if !allowed[g.Name] {
				return false
			}
		}
	}
	return true
}
