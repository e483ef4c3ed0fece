package graph

import (
	"context"
	"slices"
	"strings"
)

// WalkNeighborhood answers Store.Neighborhood from a Reader, one round trip per hop.
func WalkNeighborhood(ctx context.Context, r Reader, id string, opt NeighborhoodOptions) (*Subgraph, error) {
	if opt.Depth < 1 || opt.Depth > MaxDepth {
		return nil, Errorf(EINVALID, "depth %d: want 1 to %d", opt.Depth, MaxDepth)
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultNeighborhoodLimit
	}
	start, err := r.Node(ctx, id)
	if err != nil {
		return nil, err
	}
	kinds := opt.NodeKinds
	if len(kinds) == 0 {
		kinds = NodeKinds
	}
	types := FollowedTypes(opt.EdgeTypes, kinds, start.Kind)
	if len(types) == 0 {
		return &Subgraph{Nodes: []*Node{start}}, nil
	}
	nodes := map[string]*Node{id: start}
	order := []string{id}
	frontier := []string{id}
	for d := 0; d < opt.Depth && len(frontier) > 0 && len(order) < limit; d++ {
		edges, err := r.Edges(ctx, EdgeFilter{Types: types, Ends: frontier})
		if err != nil {
			return nil, err
		}
		var next []string
		for _, e := range edges {
			for _, end := range []string{e.From, e.To} {
				if _, ok := nodes[end]; !ok && !slices.Contains(next, end) {
					next = append(next, end)
				}
			}
		}
		slices.Sort(next)
		found, err := r.Nodes(ctx, next)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for _, n := range found {
			if len(order) >= limit {
				break
			}
			if len(opt.NodeKinds) > 0 && !slices.Contains(opt.NodeKinds, n.Kind) {
				continue
			}
			nodes[n.ID] = n
			order = append(order, n.ID)
			frontier = append(frontier, n.ID)
		}
	}
	edges, err := r.Edges(ctx, EdgeFilter{Types: types, Ends: order})
	if err != nil {
		return nil, err
	}
	g := &Subgraph{}
	for _, k := range order {
		g.Nodes = append(g.Nodes, nodes[k])
	}
	for _, e := range edges {
		if nodes[e.From] != nil && nodes[e.To] != nil {
			g.Edges = append(g.Edges, e)
		}
	}
	return g, nil
}

// FollowedTypes returns the edge types among types (none: every type) that a
// neighbourhood walk over nodes of the given kinds, from a start of kind start, can
// use: those that can join two such nodes. A STOLE edge leads only to an amount, so a
// walk that does not take amounts never follows it. None left means nothing is
// reachable.
func FollowedTypes(types []EdgeType, kinds []NodeKind, start NodeKind) []EdgeType {
	if len(types) == 0 {
		types = EdgeTypes
	}
	ends := append(slices.Clone(kinds), start)
	var out []EdgeType
	for _, t := range types {
		if slices.Contains(out, t) {
			continue
		}
		for _, a := range ends {
			if slices.ContainsFunc(ends, func(b NodeKind) bool { return t.Connects(a, b) }) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// PathThrough reports whether a shortest path may pass through a node: sources and
// amounts are evidence, not connections.
func PathThrough(id string) bool {
	return !strings.HasPrefix(id, "source:") && !strings.HasPrefix(id, "amount:")
}

// WalkShortestPaths answers Store.ShortestPaths from a Reader by breadth-first search
// from both ends' side: one round trip per hop.
func WalkShortestPaths(ctx context.Context, r Reader, from, to string, maxHops int) ([]*Path, error) {
	if maxHops < 1 || maxHops > MaxDepth {
		return nil, Errorf(EINVALID, "max hops %d: want 1 to %d", maxHops, MaxDepth)
	}
	ends, err := r.Nodes(ctx, []string{from, to})
	if err != nil {
		return nil, err
	}
	if len(ends) != 2 && !(from == to && len(ends) == 1) {
		missing := from
		if len(ends) == 1 && ends[0].ID == from {
			missing = to
		}
		return nil, Errorf(ENOTFOUND, "no node %s", missing)
	}
	if from == to {
		return []*Path{{Nodes: ends[:1]}}, nil
	}
	// parents[n] holds the edges that reach n on some shortest path from `from`.
	parents := map[string][]*Edge{from: nil}
	frontier := []string{from}
	found := false
	for hop := 0; hop < maxHops && len(frontier) > 0 && !found; hop++ {
		edges, err := r.Edges(ctx, EdgeFilter{Ends: frontier})
		if err != nil {
			return nil, err
		}
		level := map[string][]*Edge{}
		inFrontier := map[string]bool{}
		for _, f := range frontier {
			inFrontier[f] = true
		}
		for _, e := range edges {
			for _, dir := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
				a, b := dir[0], dir[1]
				if !inFrontier[a] {
					continue
				}
				if _, old := parents[b]; old {
					continue
				}
				if b != to && !PathThrough(b) {
					continue
				}
				if !slices.Contains(level[b], e) {
					level[b] = append(level[b], e)
				}
			}
		}
		frontier = frontier[:0]
		for b, es := range level {
			parents[b] = es
			frontier = append(frontier, b)
			found = found || b == to
		}
		slices.Sort(frontier)
	}
	if !found {
		return nil, nil
	}
	// Walk back from `to`, building every shortest path, up to MaxPaths.
	type partial struct {
		nodes []string
		edges []*Edge
	}
	var done []partial
	stack := []partial{{nodes: []string{to}}}
	for len(stack) > 0 && len(done) < MaxPaths*4 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		head := p.nodes[0]
		if head == from {
			done = append(done, p)
			continue
		}
		for _, e := range parents[head] {
			prev := e.From
			if prev == head {
				prev = e.To
			}
			stack = append(stack, partial{
				nodes: append([]string{prev}, p.nodes...),
				edges: append([]*Edge{e}, p.edges...),
			})
		}
	}
	// By the nodes along them, then (for parallel edges) by the edges'.
	slices.SortFunc(done, func(a, b partial) int {
		if c := slices.Compare(a.nodes, b.nodes); c != 0 {
			return c
		}
		return slices.CompareFunc(a.edges, b.edges, func(x, y *Edge) int { return strings.Compare(x.ID, y.ID) })
	})
	if len(done) > MaxPaths {
		done = done[:MaxPaths]
	}
	var ids []string
	for _, p := range done {
		ids = append(ids, p.nodes...)
	}
	nodes, err := r.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	out := make([]*Path, 0, len(done))
	for _, p := range done {
		path := &Path{Edges: p.edges}
		for _, id := range p.nodes {
			path.Nodes = append(path.Nodes, byID[id])
		}
		out = append(out, path)
	}
	return out, nil
}
