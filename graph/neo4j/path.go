package neo4j

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// Neighborhood answers in one query what graph.WalkNeighborhood answers in one round
// trip per hop: the start node, then the nodes reachable through allowed kinds and
// edge types in order of distance and ID, up to the limit, then the edges among them.
// The query walks breadth-first, one CALL per hop: each takes, of the nodes next to
// the last hop's and not yet found, the first by ID up to the room left, so a hop that
// fills the limit ends the walk and no node is reached twice. The room left is never
// more than the limit, so each hop sorts only the first limit nodes (LIMIT cannot
// refer to the room, a variable).
func (s *Store) Neighborhood(ctx context.Context, id string, opt graph.NeighborhoodOptions) (*graph.Subgraph, error) {
	if opt.Depth < 1 || opt.Depth > graph.MaxDepth {
		return nil, graph.Errorf(graph.EINVALID, "depth %d: want 1 to %d", opt.Depth, graph.MaxDepth)
	}
	if _, err := relTypeAlternatives(opt.EdgeTypes); err != nil {
		return nil, err
	}
	kinds := graph.NodeKinds
	if len(opt.NodeKinds) > 0 {
		kinds = opt.NodeKinds
	}
	// The kinds as a label expression: a node's labels are its kind's, which never
	// changes, and Neo4j checks a label without reading the node's properties.
	ls := make([]string, len(kinds))
	for i, k := range kinds {
		l, err := label(k)
		if err != nil {
			return nil, err
		}
		ls[i] = l
	}
	ofKinds := `Entity&(` + strings.Join(ls, "|") + `)`
	limit := opt.Limit
	if limit <= 0 {
		limit = graph.DefaultNeighborhoodLimit
	}
	startKind, ok := graph.KindOfID(id)
	if !ok {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", id)
	}
	// A brief answer comes back as lists of the few fields it keeps, read by index.
	nmap, rmap, decodeN, decodeE := `properties(n)`, edgeMap, decodeNodeValue, decodeEdgeValue
	if opt.Brief {
		nmap, rmap, decodeN, decodeE = `[n.id, n.kind, n.name, n.confidence]`, `[r.id, type(r), a.id, b.id, r.confidence]`, briefNode, briefEdge
	}
	cypher := `MATCH (s:Entity {id: $id}) WITH s, [s] AS found, [s] AS frontier`
	rel := ""
	if types := graph.FollowedTypes(opt.EdgeTypes, kinds, startKind); len(types) > 0 {
		var err error
		if rel, err = relTypeAlternatives(types); err != nil {
			return nil, err
		}
		hop := `
			CALL (found, frontier) {
				UNWIND CASE WHEN size(found) < $limit THEN frontier ELSE [] END AS f
				MATCH (f)-[:` + rel + `]-(n:` + ofKinds + `)
				WHERE NOT n IN found
				WITH DISTINCT n ORDER BY n.id LIMIT $limit
				WITH collect(n) AS next
				RETURN next[..$limit - size(found)] AS next
			}
			WITH s, found + next AS found, next AS frontier`
		cypher += strings.Repeat(hop, opt.Depth) + `
			WITH found, [n IN found | n.id] AS ids
			CALL (found, ids) {
				UNWIND found AS a
				MATCH (a)-[r:` + rel + `]->(b:Entity) WHERE b.id IN ids
				RETURN collect(` + rmap + `) AS rels
			}`
	} else {
		cypher += ` WITH found, [] AS rels`
	}
	cypher += ` RETURN [n IN found | ` + nmap + `] AS nodes, rels`
	return execute(ctx, s, neo4j.AccessModeRead, "neighborhood", func(ctx context.Context, tx neo4j.ManagedTransaction) (*graph.Subgraph, error) {
		recs, err := run(ctx, tx, cypher, map[string]any{"id": id, "limit": limit})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", id)
		}
		nodes, _ := recs[0].Values[0].([]any)
		rels, _ := recs[0].Values[1].([]any)
		g := &graph.Subgraph{Nodes: make([]*graph.Node, 0, len(nodes)), Edges: make([]*graph.Edge, 0, len(rels))}
		for _, v := range nodes {
			n, err := decodeN(v)
			if err != nil {
				return nil, err
			}
			g.Nodes = append(g.Nodes, n)
		}
		for _, v := range rels {
			e, err := decodeE(v)
			if err != nil {
				return nil, err
			}
			g.Edges = append(g.Edges, e)
		}
		slices.SortFunc(g.Edges, func(x, y *graph.Edge) int { return cmp.Compare(x.ID, y.ID) })
		return g, nil
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
