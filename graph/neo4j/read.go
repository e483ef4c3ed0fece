package neo4j

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberkg/cyberkg/graph"
)

// edgeMap is the Cypher projection decodeEdge reads; r, a and b must be bound.
const edgeMap = `r {.*, type: type(r), from: a.id, to: b.id}`

// Node returns the node with the given ID, or ENOTFOUND.
func (s *Store) Node(ctx context.Context, id string) (*graph.Node, error) {
	nodes, err := s.Nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, graph.Errorf(graph.ENOTFOUND, "no node %s", id)
	}
	return nodes[0], nil
}

// Nodes returns the stored nodes among ids, in the order of ids.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*graph.Node, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return execute(ctx, s, neo4j.AccessModeRead, "read nodes", func(ctx context.Context, tx neo4j.ManagedTransaction) ([]*graph.Node, error) {
		return nodesByID(ctx, tx, ids)
	})
}

func nodesByID(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) ([]*graph.Node, error) {
	recs, err := run(ctx, tx, `MATCH (n:Entity) WHERE n.id IN $ids RETURN properties(n) AS p`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*graph.Node, len(recs))
	for _, r := range recs {
		n, err := decodeNode(r.Values[0].(map[string]any))
		if err != nil {
			return nil, err
		}
		byID[n.ID] = n
	}
	out := make([]*graph.Node, 0, len(byID))
	for _, id := range ids {
		if n := byID[id]; n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// Edges returns the edges that pass the filter, ordered by ID. The query starts from
// an index seek on whichever ends the filter names, and scans only when it names none.
func (s *Store) Edges(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, error) {
	cypher, params, err := edgesQuery(f, ``)
	if err != nil {
		return nil, err
	}
	return execute(ctx, s, neo4j.AccessModeRead, "read edges", func(ctx context.Context, tx neo4j.ManagedTransaction) ([]*graph.Edge, error) {
		return edges(ctx, tx, cypher, params)
	})
}

var _ graph.EndsReader = (*Store)(nil)

// EdgesWithEnds returns the edges that pass the filter and the nodes at their far
// ends, from one query; each end once however many edges meet it (a sector that a
// hundred incidents targeted is sent once, not a hundred times).
func (s *Store) EdgesWithEnds(ctx context.Context, f graph.EdgeFilter) ([]*graph.Edge, []*graph.Node, error) {
	rows, params, err := edgesQuery(f, `r, a, b`)
	if err != nil {
		return nil, nil, err
	}
	params["endFrom"], params["endTo"] = len(f.From) == 0 || len(f.To) > 0, len(f.To) == 0 || len(f.From) > 0
	cypher := `CALL () { ` + rows + ` }
		WITH collect(` + edgeMap + `) AS edges,
			collect(DISTINCT CASE WHEN $endFrom THEN a END) AS froms, collect(DISTINCT CASE WHEN $endTo THEN b END) AS tos
		RETURN edges, [n IN froms + tos | properties(n)] AS ends`
	type result struct {
		edges []*graph.Edge
		nodes []*graph.Node
	}
	r, err := execute(ctx, s, neo4j.AccessModeRead, "read edges", func(ctx context.Context, tx neo4j.ManagedTransaction) (result, error) {
		recs, err := run(ctx, tx, cypher, params)
		if err != nil {
			return result{}, err
		}
		var out result
		out.edges, out.nodes, err = decodeEdgesAndEnds(recs[0].Values[0].([]any), recs[0].Values[1].([]any))
		return out, err
	})
	return r.edges, r.nodes, err
}

// decodeEdgesAndEnds decodes a list of edge maps, ordering them by ID, and a list of
// node properties, keeping each node once.
func decodeEdgesAndEnds(edgeMaps, nodeMaps []any) ([]*graph.Edge, []*graph.Node, error) {
	var edges []*graph.Edge
	for _, v := range edgeMaps {
		e, err := decodeEdge(v.(map[string]any))
		if err != nil {
			return nil, nil, err
		}
		edges = append(edges, e)
	}
	var nodes []*graph.Node
	seen := map[string]bool{}
	for _, v := range nodeMaps {
		p := v.(map[string]any)
		if seen[str(p["id"])] {
			continue // a node at both ends of edges of an Ends filter
		}
		seen[str(p["id"])] = true
		n, err := decodeNode(p)
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, n)
	}
	slices.SortFunc(edges, func(x, y *graph.Edge) int { return cmp.Compare(x.ID, y.ID) })
	return edges, nodes, nil
}

// edgesQuery returns the query Edges runs for the filter, returning other columns
// than the edge's when returns is given; a, r and b are bound.
func edgesQuery(f graph.EdgeFilter, returns string) (string, map[string]any, error) {
	rel, err := relTypeAlternatives(f.Types)
	if err != nil {
		return "", nil, err
	}
	var where []string
	params := map[string]any{}
	if len(f.From) > 0 {
		where = append(where, `a.id IN $from`)
		params["from"] = f.From
	}
	if len(f.To) > 0 {
		where = append(where, `b.id IN $to`)
		params["to"] = f.To
	}
	query := func(conds ...string) string {
		q := `MATCH (a:Entity)-[r:` + rel + `]->(b:Entity)`
		if len(conds) > 0 {
			q += ` WHERE ` + strings.Join(conds, ` AND `)
		}
		if returns != "" {
			return q + ` RETURN ` + returns
		}
		return q + ` RETURN ` + edgeMap + ` AS p`
	}
	cypher := query(where...)
	if len(f.Ends) > 0 {
		// Either end: two seeks, not one OR that the planner would answer with a scan.
		params["ends"] = f.Ends
		cypher = query(append([]string{`a.id IN $ends`}, where...)...) + "\nUNION\n" +
			query(append([]string{`b.id IN $ends`}, where...)...)
	}
	return cypher, params, nil
}

// edges runs a query that returns decodeEdge maps in column 0 and orders the result by
// ID in Go, so that the contract does not rest on the server's collation.
func edges(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*graph.Edge, error) {
	recs, err := run(ctx, tx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Edge, 0, len(recs))
	for _, r := range recs {
		e, err := decodeEdge(r.Values[0].(map[string]any))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y *graph.Edge) int { return cmp.Compare(x.ID, y.ID) })
	return out, nil
}

// Resolve maps names to the IDs of the nodes of that kind that have them as name or
// alias: one unique-index seek per name.
func (s *Store) Resolve(ctx context.Context, kind graph.NodeKind, names []string) (map[string]string, error) {
	if _, err := label(kind); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var norm []string
	for _, n := range names {
		if k := graph.Normalize(n); k != "" && !slices.Contains(norm, k) {
			norm = append(norm, k)
		}
	}
	if len(norm) == 0 {
		return out, nil
	}
	return execute(ctx, s, neo4j.AccessModeRead, "resolve", func(ctx context.Context, tx neo4j.ManagedTransaction) (map[string]string, error) {
		out := map[string]string{}
		if uniqueNames(kind) {
			keys := make([]string, len(norm))
			for i, n := range norm {
				keys[i] = aliasKey(kind, "", n)
			}
			recs, err := run(ctx, tx, resolveQuery, map[string]any{"keys": keys})
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				out[r.Values[0].(string)] = r.Values[1].(string)
			}
			return out, nil
		}
		// Names of sources and amounts may repeat; a name shared by several nodes
		// resolves to none of them.
		recs, err := run(ctx, tx, `MATCH (a:Alias) WHERE a.name IN $names AND a.kind = $kind
			RETURN a.name, collect(DISTINCT a.owner)`, map[string]any{"names": norm, "kind": string(kind)})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if owners, _ := r.Values[1].([]any); len(owners) == 1 {
				out[r.Values[0].(string)] = owners[0].(string)
			}
		}
		return out, nil
	})
}

const resolveQuery = `UNWIND $keys AS key MATCH (a:Alias {key: key}) RETURN a.name, a.owner`

// Counts reads the count store: one label or relationship type per row, no scan.
func (s *Store) Counts(ctx context.Context) (graph.Counts, error) {
	var parts []string
	kindOf := map[string]string{}
	for _, k := range graph.NodeKinds {
		l, err := label(k)
		if err != nil {
			return graph.Counts{}, err
		}
		kindOf["n"+l] = string(k)
		parts = append(parts, `MATCH (n:`+l+`) RETURN 'n`+l+`' AS what, count(n) AS c`)
	}
	for _, t := range graph.EdgeTypes {
		r, err := relType(t)
		if err != nil {
			return graph.Counts{}, err
		}
		kindOf["r"+r] = string(t)
		parts = append(parts, `MATCH ()-[r:`+r+`]->() RETURN 'r`+r+`' AS what, count(r) AS c`)
	}
	cypher := strings.Join(parts, "\nUNION ALL\n")
	return execute(ctx, s, neo4j.AccessModeRead, "count", func(ctx context.Context, tx neo4j.ManagedTransaction) (graph.Counts, error) {
		recs, err := run(ctx, tx, cypher, nil)
		if err != nil {
			return graph.Counts{}, err
		}
		c := graph.Counts{Nodes: map[graph.NodeKind]int{}, Edges: map[graph.EdgeType]int{}}
		for _, r := range recs {
			what, _ := r.Values[0].(string)
			n, _ := r.Values[1].(int64)
			if n == 0 {
				continue
			}
			if what[0] == 'n' {
				c.Nodes[graph.NodeKind(kindOf[what])] = int(n)
			} else {
				c.Edges[graph.EdgeType(kindOf[what])] = int(n)
			}
		}
		return c, nil
	})
}

var _ graph.HierarchyReader = (*Store)(nil)

// hierarchyCypher finds the nodes within graph.MaxDepth sponsor and parent steps below
// the root, then the steps among them.
var hierarchyCypher = `MATCH (root:Entity {id: $id})
MATCH (x:Entity) (()-[:SPONSORED_BY|PART_OF]->()){0,` + hops(graph.MaxDepth) + `} (root)
WITH collect(DISTINCT x) AS below
UNWIND below AS a
MATCH (a)-[r:SPONSORED_BY|PART_OF]->(b:Entity)
WHERE b IN below AND (NOT $asserted OR r.certainty = 'asserted')
RETURN ` + edgeMap + ` AS p`

// HierarchyEdges reads in one query what graph.Hierarchy would read level by level.
func (s *Store) HierarchyEdges(ctx context.Context, id string, minimum graph.Certainty) ([]*graph.Edge, error) {
	return execute(ctx, s, neo4j.AccessModeRead, "hierarchy", func(ctx context.Context, tx neo4j.ManagedTransaction) ([]*graph.Edge, error) {
		return edges(ctx, tx, hierarchyCypher, map[string]any{"id": id, "asserted": minimum == graph.Asserted})
	})
}
