package resolvers

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/cyberkg/cyberkg/graph"
)

// The N+1 problem, and how it is avoided: a list of N items whose fields each need the
// store (a claim's source, an edge's far end, an incident's amounts) would cost N store
// calls per level of the query. Instead every such read goes through the per-request
// loaders below. gqlgen resolves the items of a list concurrently; each item asks its
// loader for one key; the loader waits batchWait to collect the keys of the whole
// level, across all the lists at that level, and reads them with one store.Nodes call
// (or one store.Edges call per edge type and direction, which brings the nodes at the
// edges' far ends along when the store can: see fetchEdges). The loaders also cache for
// the request, so a node met twice (North Korea at the end of every path) is read
// once. They are built per operation (see NewHandler), so the cache never outlives it.
//
// Fields computed by a graph function over several round trips (attributedIncidents,
// stolenTotals) call the store directly; the complexity and depth limits bound how
// many of those one query can ask for.

// batchWait is how long a loader collects keys before it reads them. The items of a
// level are resolved within microseconds of each other; the wait only adds latency.
var batchWait = 2 * time.Millisecond

type loadersKey struct{}

// loaders are the batching readers of one operation.
type loaders struct {
	store graph.Store
	nodes *dataloadgen.Loader[string, *graph.Node]
	edges *dataloadgen.Loader[edgeKey, []*graph.Edge]
}

// direction says which end of an edge the key's node is.
type direction uint8

const (
	outgoing direction = iota // the node is the edge's From
	incoming                  // the node is the edge's To
	either                    // either end: for symmetric edges
)

// edgeKey asks for the edges of one type at one node.
type edgeKey struct {
	node string
	typ  graph.EdgeType
	dir  direction
}

func withLoaders(ctx context.Context, store graph.Store) context.Context {
	l := &loaders{store: store}
	l.nodes = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*graph.Node, []error) {
		found, err := store.Nodes(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		byID := make(map[string]*graph.Node, len(found))
		for _, n := range found {
			byID[n.ID] = n
		}
		out := make([]*graph.Node, len(ids))
		for i, id := range ids {
			out[i] = byID[id] // nil: the store does not hold it
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
	// The nodes at the far ends of the edges come with them when the store can read
	// both at once: the entities of a level's relations are then in the cache before
	// the next level asks, with no wait and no round trip.
	prime := func(ns []*graph.Node) {
		for _, n := range ns {
			l.nodes.Prime(n.ID, n)
		}
	}
	l.edges = dataloadgen.NewLoader(func(ctx context.Context, keys []edgeKey) ([][]*graph.Edge, []error) {
		found, err := fetchEdges(ctx, store, keys, prime)
		if err != nil {
			return nil, []error{err}
		}
		out := make([][]*graph.Edge, len(keys))
		for i, k := range keys {
			out[i] = found[k]
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
	return context.WithValue(ctx, loadersKey{}, l)
}

// fetchEdges reads the edges of many keys with one store.Edges call per edge type and
// direction among them (EdgesWithEnds, when the store has it, handing the far ends to
// prime).
func fetchEdges(ctx context.Context, store graph.Store, keys []edgeKey, prime func([]*graph.Node)) (map[edgeKey][]*graph.Edge, error) {
	read := store.Edges
	if r, ok := store.(graph.EndsReader); ok {
		read = func(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, error) {
			edges, ends, err := r.EdgesWithEnds(ctx, f)
			prime(ends)
			return edges, err
		}
	}
	type group struct {
		typ graph.EdgeType
		dir direction
	}
	nodes := map[group][]string{}
	for _, k := range keys {
		g := group{k.typ, k.dir}
		nodes[g] = append(nodes[g], k.node)
	}
	groups := make([]group, 0, len(nodes))
	for g := range nodes {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Or(cmp.Compare(a.typ, b.typ), cmp.Compare(a.dir, b.dir)) })
	found := map[edgeKey][]*graph.Edge{}
	for _, g := range groups {
		ids := nodes[g]
		f := graph.EdgeFilter{Types: []graph.EdgeType{g.typ}}
		switch g.dir {
		case outgoing:
			f.From = ids
		case incoming:
			f.To = ids
		default:
			f.Ends = ids
		}
		edges, err := read(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range edges {
			for _, end := range []struct {
				id string
				ok bool
			}{{e.From, g.dir != incoming}, {e.To, g.dir != outgoing}} {
				if end.ok && slices.Contains(ids, end.id) {
					k := edgeKey{end.id, g.typ, g.dir}
					found[k] = append(found[k], e)
				}
			}
		}
	}
	return found, nil
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	if l == nil {
		// Only NewHandler builds the executor, and it always installs loaders.
		panic("resolvers: no loaders in context")
	}
	return l
}

// node returns the node with the given ID, or nil when the store does not hold it.
func node(ctx context.Context, id string) (*graph.Node, error) {
	return loadersFrom(ctx).nodes.Load(ctx, id)
}

// nodes returns the nodes with the given IDs that the store holds, in order.
func nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	found, err := loadersFrom(ctx).nodes.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(found, func(n *graph.Node) bool { return n == nil }), nil
}

// seen tells the node loader about nodes already read, so that fields asking for them
// again do not go back to the store.
func seen(ctx context.Context, ns ...*graph.Node) {
	l := loadersFrom(ctx)
	for _, n := range ns {
		if n != nil {
			l.nodes.Prime(n.ID, n)
		}
	}
}

// edges returns the edges of type t at the node, as certain as asked (nil: any),
// strongest first. The slice is the caller's; the edges are shared and read-only.
func edges(ctx context.Context, id string, t graph.EdgeType, dir direction, certainty *graph.Certainty) ([]*graph.Edge, error) {
	found, err := loadersFrom(ctx).edges.Load(ctx, edgeKey{id, t, dir})
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(slices.Clone(found), func(e *graph.Edge) bool {
		return minimum(certainty) == graph.Asserted && e.Certainty() != graph.Asserted
	})
	slices.SortStableFunc(out, func(a, b *graph.Edge) int {
		return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// minimum turns an optional certainty argument into the graph's minimum: "" for any.
func minimum(c *graph.Certainty) graph.Certainty {
	if c == nil {
		return ""
	}
	return *c
}

// wrap applies a view constructor to each edge.
func wrap[T any](es []*graph.Edge, f func(*graph.Edge) *T) []*T {
	out := make([]*T, len(es))
	for i, e := range es {
		out[i] = f(e)
	}
	return out
}

// edgesOfMany returns the edges of type t at each of the nodes, in one load.
func edgesOfMany(ctx context.Context, ids []string, t graph.EdgeType, dir direction) ([]*graph.Edge, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	keys := make([]edgeKey, len(ids))
	for i, id := range ids {
		keys[i] = edgeKey{id, t, dir}
	}
	found, err := loadersFrom(ctx).edges.LoadAll(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []*graph.Edge
	for _, es := range found {
		out = append(out, es...)
	}
	return out, nil
}

// prefetch reads now, with one store call per edge type, the relations of the given
// kind that the items of a list will ask for, and primes the edge loader with them:
// the list's next level then finds them cached instead of waiting batchWait to
// collect its keys. ids are the items; dirs maps each edge type to read to its
// direction.
func prefetch(ctx context.Context, ids []string, dirs map[graph.EdgeType]direction) error {
	if len(ids) == 0 || len(dirs) == 0 {
		return nil
	}
	l := loadersFrom(ctx)
	var keys []edgeKey
	for t, dir := range dirs {
		for _, id := range ids {
			keys = append(keys, edgeKey{id, t, dir})
		}
	}
	found, err := fetchEdges(ctx, l.store, keys, func(ns []*graph.Node) { seen(ctx, ns...) })
	if err != nil {
		return err
	}
	for _, k := range keys {
		l.edges.Prime(k, found[k])
	}
	return nil
}

// incidentEdges says which relations each field of an Incident reads.
var incidentEdges = map[string]graph.EdgeType{
	"targets": graph.Targeted, "victims": graph.Targeted, "sectors": graph.Targeted,
	"stolen": graph.Stole, "stolenUSD": graph.Stole,
	"attributions": graph.AttributedTo,
}

// incidentRelations says which relations the incidents of a connection will read, as
// the connection's selection (its nodes, or its edges' node or incident) asks for
// them, each with its direction: what prefetchIncidents reads.
func incidentRelations(ctx context.Context) map[graph.EdgeType]direction {
	dirs := map[graph.EdgeType]direction{}
	if graphql.GetFieldContext(ctx) == nil {
		return dirs
	}
	op := graphql.GetOperationContext(ctx)
	want := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, nil) {
			if t, ok := incidentEdges[f.Name]; ok {
				dirs[t] = outgoing
			}
		}
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "nodes":
			want(f.Selections)
		case "edges":
			for _, g := range graphql.CollectFields(op, f.Selections, nil) {
				if g.Name == "node" || g.Name == "incident" {
					want(g.Selections)
				}
			}
		}
	}
	return dirs
}

// prefetchIncidents prefetches the relations of dirs (see incidentRelations) for the
// incidents of a connection.
func prefetchIncidents(ctx context.Context, incidents []*graph.Node, dirs map[graph.EdgeType]direction) error {
	ids := make([]string, len(incidents))
	for i, n := range incidents {
		ids[i] = n.ID
	}
	return prefetch(ctx, ids, dirs)
}

// primeTargets hands the loaders the TARGETED edges of a page of incidents and the
// nodes they target, read with the page (graph.IncidentQuery.Targets): the incidents'
// targets, victims and sectors then cost no round trip of their own. Every incident
// of the page is primed, those without targets with none.
func primeTargets(ctx context.Context, incidents []*graph.Node, targets []*graph.Edge, targeted []*graph.Node) {
	l := loadersFrom(ctx)
	byIncident := make(map[string][]*graph.Edge, len(incidents))
	for _, e := range targets {
		byIncident[e.From] = append(byIncident[e.From], e)
	}
	seen(ctx, targeted...)
	for _, n := range incidents {
		l.edges.Prime(edgeKey{n.ID, graph.Targeted, outgoing}, byIncident[n.ID])
	}
}
