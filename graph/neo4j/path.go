package neo4j

import (
	"cmp"
	"context"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// Neighborhood answers in one read transaction what graph.WalkNeighborhood answers in
// one round trip per hop: the start node, then the nodes reachable through allowed
// kinds and edge types in order of distance and ID, up to the limit, then the edges
// among them. ANY SHORTEST makes the server find each node's distance breadth-first
// instead of enumerating every walk to it.
func (s *Store) Neighborhood(ctx context.Context, id string, opt graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	if opt.Depth < 1 || opt.Depth > graph.MaxDepth {
		return nil, graph.Errorf(graph.EINVALID, "depth %d: want 1 to %d", opt.Depth, graph.MaxDepth)
	}
	rel, err := relTypeAlternatives(opt.EdgeTypes)
	if err != nil {
		return nil, err
	}
	kinds := graph.NodeKinds
	if len(opt.NodeKinds) > 0 {
		kinds = opt.NodeKinds
	}
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		if _, err := label(k); err != nil {
			return nil, err
		}
		ks[i] = string(k)
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = graph.DefaultNeighborhoodLimit
	}
	reach := `MATCH (s:Entity {id: $id})
		MATCH p = ANY SHORTEST (s) (()-[:` + rel + `]-(x:Entity WHERE x.kind IN $kinds)){1,` + hops(opt.Depth) + `} (n)
		WHERE n <> s
		WITH n, length(p) AS d ORDER BY d, n.id LIMIT $limit
		RETURN properties(n) AS p, d`
	among := `UNWIND $ids AS id MATCH (a:Entity {id: id})-[r:` + rel + `]->(b:Entity) WHERE b.id IN $ids RETURN ` + edgeMap + ` AS p`
	return execute(ctx, s, neo4j.AccessModeRead, "neighborhood", func(ctx context.Context, tx neo4j.ManagedTransaction) (*graph.Subgraph, error) {
		start, err := nodesByID(ctx, tx, []string{id})
		if err != nil {
			return nil, err
		}
		if len(start) == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", id)
		}
		recs, err := run(ctx, tx, reach, map[string]any{"id": id, "kinds": ks, "limit": limit - 1})
		if err != nil {
			return nil, err
		}
		type hit struct {
			n *graph.Node
			d int64
		}
		hits := make([]hit, 0, len(recs))
		for _, r := range recs {
			n, err := decodeNode(r.Values[0].(map[string]any))
			if err != nil {
				return nil, err
			}
			hits = append(hits, hit{n, r.Values[1].(int64)})
		}
		// Neo4j orders strings by code point, as Go does; sorting again costs nothing
		// and keeps the contract independent of that.
		slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.n.ID, b.n.ID)) })
		g := &graph.Subgraph{Nodes: []*graph.Node{start[0]}}
		ids := []string{id}
		for _, h := range hits {
			g.Nodes = append(g.Nodes, h.n)
			ids = append(ids, h.n.ID)
		}
		g.Edges, err = edges(ctx, tx, among, map[string]any{"ids": ids})
		return g, err
	})
}

// ShortestPaths finds every shortest path with ALL SHORTEST, steps through any edge
// type but never through a source or an amount, and keeps the first graph.MaxPaths by
// the node IDs along them (then edge IDs, for parallel edges).
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int) ([]*graph.Path, error) {
	if maxHops < 1 || maxHops > graph.MaxDepth {
		return nil, graph.Errorf(graph.EINVALID, "max hops %d: want 1 to %d", maxHops, graph.MaxDepth)
	}
	rel, err := relTypeAlternatives(nil)
	if err != nil {
		return nil, err
	}
	cypher := `MATCH p = ALL SHORTEST (a:Entity {id: $from})
			(()-[:` + rel + `]-(x:Entity WHERE x.id = $to OR NOT x.kind IN ['Source', 'Amount'])){1,` + hops(maxHops) + `}
			(b:Entity {id: $to})
		WITH p, [n IN nodes(p) | n.id] AS nids, [r IN relationships(p) | r.id] AS rids
		ORDER BY nids, rids LIMIT $max
		RETURN [n IN nodes(p) | properties(n)] AS nodes,
			[r IN relationships(p) | r {.*, type: type(r), from: startNode(r).id, to: endNode(r).id}] AS edges`
	return execute(ctx, s, neo4j.AccessModeRead, "shortest paths", func(ctx context.Context, tx neo4j.ManagedTransaction) ([]*graph.Path, error) {
		ends, err := nodesByID(ctx, tx, []string{from, to})
		if err != nil {
			return nil, err
		}
		switch {
		case len(ends) == 0 || ends[0].ID != from:
			return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", from)
		case from == to:
			return []*graph.Path{{Nodes: ends[:1]}}, nil
		case len(ends) == 1:
			return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", to)
		}
		recs, err := run(ctx, tx, cypher, map[string]any{"from": from, "to": to, "max": graph.MaxPaths})
		if err != nil {
			return nil, err
		}
		var out []*graph.Path
		for _, r := range recs {
			p := &graph.Path{}
			for _, v := range r.Values[0].([]any) {
				n, err := decodeNode(v.(map[string]any))
				if err != nil {
					return nil, err
				}
				p.Nodes = append(p.Nodes, n)
			}
			for _, v := range r.Values[1].([]any) {
				e, err := decodeEdge(v.(map[string]any))
				if err != nil {
					return nil, err
				}
				p.Edges = append(p.Edges, e)
			}
			out = append(out, p)
		}
		slices.SortFunc(out, comparePaths)
		return out, nil
	})
}

func comparePaths(a, b *graph.Path) int {
	for i := range min(len(a.Nodes), len(b.Nodes)) {
		if c := cmp.Compare(a.Nodes[i].ID, b.Nodes[i].ID); c != 0 {
			return c
		}
	}
	for i := range min(len(a.Edges), len(b.Edges)) {
		if c := cmp.Compare(a.Edges[i].ID, b.Edges[i].ID); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a.Nodes), len(b.Nodes))
}
